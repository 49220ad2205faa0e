"""Every character printed: a paragraph's text is cut into runs of the face that has each glyph.

reportlab sets a paragraph run in one face and draws a character that face lacks as an empty
box. After a paragraph is parsed, each run is cut where its face lacks a character, and the
piece goes to the first face of the face's fallback chain that has it (``fonts.runs``); the
wrapping and line-breaking rules then see ordinary runs of several faces. The text layer names
such characters correctly too (:func:`to_unicode_cmap`).
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase import ttfonts
from reportlab.platypus import paragraph

from commandcenter.documents import fonts


def split_frags(frags: list[Any]) -> list[Any]:
    out: list[Any] = []
    for frag in frags:
        text = getattr(frag, "text", None)
        font = getattr(frag, "fontName", None)
        if not text or not font or getattr(frag, "cbDefn", None) is not None:
            out.append(frag)
            continue
        parts = fonts.runs(text, font)
        if len(parts) == 1 and parts[0][1] == font:
            out.append(frag)
            continue
        out.extend(frag.clone(text=part, fontName=face) for part, face in parts)
    return out


_setup = paragraph.Paragraph._setup


def _setup_with_fallback(
    self: Any, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any
) -> None:
    _setup(self, text, style, bulletText, frags, cleaner)
    if frags is None and self.frags and not hasattr(self.frags[0], "words"):
        self.frags = split_frags(self.frags)


def install() -> None:
    paragraph.Paragraph._setup = _setup_with_fallback
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
    fonts.note_missing_glyphs()


def _utf16_hex(code: int) -> str:
    if code <= 0xFFFF:
        return f"{code:04X}"
    code -= 0x10000
    return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"


_to_unicode = ttfonts.makeToUnicodeCMap


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map, with characters beyond the BMP (𠮷 U+20BB7) written as the
    UTF-16 pair a PDF reader expects: reportlab writes five hex digits, so copying or searching
    the text of a printed name gave "₻" instead."""
    cmap: str = _to_unicode(fontname, subset)
    for i, code in enumerate(subset):
        if code > 0xFFFF:
            cmap = cmap.replace(f"<{i:02X}> <{code:04X}>", f"<{i:02X}> <{_utf16_hex(code)}>", 1)
    return cmap
