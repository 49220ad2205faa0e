"""Find and register the CJK fonts a paper is set in.

Official documents use a Song/Hei face for titles and FangSong or Song for the body. We look in
the Windows font folders first, then for Debian's TrueType CJK fonts. reportlab embeds only
TrueType outlines (not CFF: Noto Sans CJK and Source Han cannot be used). The non-embedded
``STSong-Light`` CID font is a last resort, logged, because a PC without it shows boxes.

A role's face lacks the rarer characters (CJK Extensions B–G, e.g. 𠮷 U+20BB7 in a name), so each
face has a fallback chain: the extension faces the machine has (Windows: SimSun-ExtB, SimSun-ExtG,
MingLiU-ExtB; Linux: Hanazono Mincho from fonts-hanazono), then the other roles' faces. Text is
set per character in the first face of the chain that has the glyph (:func:`runs`); a character
no face has is found in the finished PDF (:func:`lost_in`) and reported, instead of silently
printing as an empty box.

The body face is set on GB/T 9704's grid: 28 characters of 三号 (16 pt) fill the 156 mm line, so
its advance widths are condensed to 156/28 mm (a 1.3 % tighter pitch, as a word processor's
character grid does); glyphs keep their size.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

FONT_DIR_ENV = "COMMANDCENTER_FONT_DIR"

# Candidate files per role, best first: (file name, sub-font index in a .ttc).
_CANDIDATES: dict[str, list[tuple[str, int]]] = {
    # 标题: 方正小标宋 where installed, else a Hei or Song face.
    "title": [
        ("FZXBSJW.TTF", 0),
        ("simhei.ttf", 0),
        ("simsun.ttc", 0),
        ("msyhbd.ttc", 0),
        ("wqy-zenhei.ttc", 0),
        ("uming.ttc", 0),
        ("wqy-microhei.ttc", 0),
    ],
    # 正文: 仿宋, then 宋体.
    "body": [
        ("simfang.ttf", 0),
        ("simsun.ttc", 0),
        ("uming.ttc", 0),
        ("msyh.ttc", 0),
        ("wqy-microhei.ttc", 0),
        ("wqy-zenhei.ttc", 0),
    ],
    # 小标题、表头: 黑体.
    "heading": [
        ("simhei.ttf", 0),
        ("msyh.ttc", 0),
        ("wqy-zenhei.ttc", 0),
        ("wqy-microhei.ttc", 0),
        ("uming.ttc", 0),
    ],
    # 签名、批示: 楷体.
    "kai": [
        ("simkai.ttf", 0),
        ("ukai.ttc", 0),
        ("simfang.ttf", 0),
        ("uming.ttc", 0),
        ("wqy-microhei.ttc", 0),
    ],
}
FALLBACK_CID = "STSong-Light"

# Faces with the CJK extension blocks, tried per character after a role's own face, best first:
# Windows' SimSun-ExtB (B), SimSun-ExtG (G, Windows 11) and MingLiU-ExtB (B, with the Traditional
# Chinese fonts); Debian's fonts-hanazono (A: BMP and Ext A, B: Ext B–F).
EXTENSION_FACES: tuple[str, ...] = (
    "simsunb.ttf",
    "SimsunExtG.ttf",
    "mingliub.ttc",
    "HanaMinA.ttf",
    "HanaMinB.ttf",
)

# GB/T 9704: 28 characters of 三号 on a 156 mm line. In points (mm = 72 / 25.4).
GRID_LINE = 156 * 72 / 25.4
GRID_CHARS = 28
GRID_SIZE = 16.0


def font_dirs() -> list[Path]:
    dirs: list[Path] = []
    extra = os.environ.get(FONT_DIR_ENV)
    if extra:
        dirs.append(Path(extra))
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/Library/Fonts"), Path.home() / "Library" / "Fonts"]
    else:
        dirs += [
            Path("/usr/share/fonts"),
            Path("/usr/local/share/fonts"),
            Path.home() / ".local" / "share" / "fonts",
            Path.home() / ".fonts",
        ]
    return [d for d in dirs if d.is_dir()]


def extension_candidates(folder: Path) -> list[Path]:
    """The extension faces *folder* holds, in the order they are tried (a Windows font folder
    spells file names in any case)."""
    if not folder.is_dir():
        return []
    present = {p.name.lower(): p for p in folder.iterdir()}
    return [present[name.lower()] for name in EXTENSION_FACES if name.lower() in present]


def _index_fonts() -> dict[str, Path]:
    """Lower-case file name -> path, over every font folder (first found wins)."""
    found: dict[str, Path] = {}
    for folder in font_dirs():
        for path in folder.rglob("*"):
            if path.suffix.lower() in (".ttf", ".ttc"):
                found.setdefault(path.name.lower(), path)
    return found


@dataclass(frozen=True)
class FontSet:
    title: str
    body: str
    heading: str
    kai: str
    sources: dict[str, str]

    @property
    def extensions(self) -> tuple[str, ...]:
        """The extension faces, registered on first need (parsing them costs ~0.2 s)."""
        return tuple(extension_faces())

    @property
    def embedded(self) -> bool:
        return FALLBACK_CID not in (self.title, self.body, self.heading, self.kai)

    def chain(self, face: str) -> tuple[str, ...]:
        """Where a character *face* lacks is looked for: the extension faces, then the other
        roles' faces."""
        seen = [face]
        for name in (*self.extensions, self.body, self.title, self.heading, self.kai):
            if name not in seen:
                seen.append(name)
        return tuple(seen)


class _Window:
    """A read-only window on a font file's bytes whose slices are bytes, as reportlab expects."""

    def __init__(self, data: bytes, start: int, length: int) -> None:
        self._view = memoryview(data)[start : start + length]

    def __len__(self) -> int:
        return len(self._view)

    def __getitem__(self, part: slice) -> bytes:
        return self._view[part].tobytes()


def share_glyph_table(font: TTFont) -> None:
    """Let reportlab subset *font* without copying its glyph table each time.

    reportlab embeds at most 256 characters per subset and, for every subset of every paper,
    copies the face's whole ``glyf`` table (megabytes for a CJK face) to take a few glyphs from
    it: a fifth of the time of a typical paper. A window on the file's bytes gives the same
    glyphs without the copy; the subset written is byte for byte the same (tested).
    """
    face = font.face
    data = getattr(face, "_ttf_data", None)
    if not isinstance(data, bytes) or not hasattr(face, "get_table_pos"):
        return  # another reportlab than the one this was written for: leave it as it is
    copy_table = face.get_table

    def get_table(tag: str) -> Any:
        if tag == "glyf":
            start, length = face.get_table_pos(tag)
            return _Window(data, start, length)
        return copy_table(tag)

    face.get_table = get_table


@cache
def font_set() -> FontSet:
    """Register one font per role with reportlab and return their names."""
    index = _index_fonts()
    names: dict[str, str] = {}
    sources: dict[str, str] = {}
    # Roles that land on the same face share one registration, so a paper embeds (and spends
    # time subsetting) each font file once: 黑体 is both title and heading where 小标宋 is absent.
    registered: dict[tuple[Path, int], str] = {}
    for role, candidates in _CANDIDATES.items():
        for file_name, sub in candidates:
            path = index.get(file_name.lower())
            if path is None:
                continue
            # The body is on the grid (condensed widths): a registration of its own.
            shared = role != "body"
            if shared and (path, sub) in registered:
                names[role] = registered[path, sub]
                sources[role] = str(path)
                break
            name = f"cc-{role}"
            try:
                font = TTFont(name, str(path), subfontIndex=sub)
                share_glyph_table(font)
                if role == "body":
                    _on_grid(font)
                pdfmetrics.registerFont(font)
            except Exception as exc:  # a damaged or CFF font: try the next candidate
                log.warning("cannot use font %s for %s: %s", path, role, exc)
                continue
            names[role] = name
            if shared:
                registered[path, sub] = name
            sources[role] = str(path)
            break
        else:
            log.warning("no TrueType CJK font for %s; using non-embedded %s", role, FALLBACK_CID)
            pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID))
            names[role] = FALLBACK_CID
            sources[role] = f"{FALLBACK_CID}（未嵌入）"
    return FontSet(names["title"], names["body"], names["heading"], names["kai"], sources)


@cache
def extension_faces() -> dict[str, str]:
    """Registered extension faces, best first: font name -> file."""
    index = _index_fonts()
    names: dict[str, str] = {}
    for n, file_name in enumerate(EXTENSION_FACES):
        path = index.get(file_name.lower())
        if path is None:
            continue
        name = f"cc-ext{n}"
        try:
            font = TTFont(name, str(path))
            share_glyph_table(font)
            pdfmetrics.registerFont(font)
        except Exception as exc:
            log.warning("cannot use extension font %s: %s", path, exc)
            continue
        names[name] = str(path)
    return names


def _on_grid(font: TTFont) -> None:
    """Condense the face's advance widths so that GRID_CHARS ideographs of GRID_SIZE fill
    GRID_LINE (widths are in thousandths of the size; the PDF's /Widths take them as well)."""
    face = font.face
    ideograph = face.charWidths.get(ord("中"))
    if not ideograph:
        return
    # A hair under the exact pitch, so rounding never pushes the 28th character over.
    scale = GRID_LINE / GRID_CHARS / GRID_SIZE * 1000 / ideograph * (1 - 1e-6)
    face.charWidths = {code: width * scale for code, width in face.charWidths.items()}
    face.defaultWidth = face.defaultWidth * scale


def _glyphs(font_name: str) -> Any:
    """The face's code point -> glyph map, or None for the CID last resort (it cannot say)."""
    font = pdfmetrics.getFont(font_name)
    return getattr(getattr(font, "face", None), "charToGlyph", None)


def has_glyph(font_name: str, char: str) -> bool:
    to_glyph = _glyphs(font_name)
    return to_glyph is None or ord(char) in to_glyph


def runs(text: str, face: str) -> list[tuple[str, str]]:
    """*text* cut into (text, face) runs, each character in the first face of *face*'s chain
    that has it; a character none has stays in *face* (an empty box: see :func:`lost_in`)."""
    own = _glyphs(face)
    if own is None or all(ord(c) in own for c in text if ord(c) > 0x7F):
        return [(text, face)] if text else []  # the common case, at one look-up a character
    out: list[tuple[str, str]] = []
    chain = font_set().chain(face)
    for char in text:
        name = face
        if ord(char) > 0x7F and ord(char) not in own:
            name = next((f for f in chain[1:] if has_glyph(f, char)), face)
        if out and out[-1][1] == name:
            out[-1] = (out[-1][0] + char, name)
        else:
            out.append((char, name))
    return out


# Characters drawn in a face without their glyph, per PDF being written (reportlab maps them
# to glyph 0, an empty box, and keeps no record).
_missing: WeakKeyDictionary[Any, set[str]] = WeakKeyDictionary()
_split_string = TTFont.splitString


def _split_noting_missing(
    self: TTFont, text: str | bytes, doc: Any, encoding: str = "utf-8"
) -> Any:
    chars = text.decode("utf-8") if isinstance(text, bytes) else text
    to_glyph = self.face.charToGlyph
    gone = {c for c in chars if ord(c) > 0xA0 and ord(c) not in to_glyph}
    if gone:
        _missing.setdefault(doc, set()).update(gone)
    return _split_string(self, text, doc, encoding)


def note_missing_glyphs() -> None:
    """Have reportlab's TrueType fonts note each character they draw without a glyph."""
    TTFont.splitString = _split_noting_missing


def lost_in(pdf_document: Any) -> set[str]:
    """Characters a PDF being written showed as empty boxes: drawn in a face without their
    glyph. Read from what was drawn, so paragraphs, tables and canvas strings alike count."""
    return {c for c in _missing.pop(pdf_document, set()) if c.isprintable() and not c.isspace()}


def code_points(chars: set[str] | frozenset[str] | tuple[str, ...]) -> str:
    """How lost characters are named in the log and to the user: "U+20BB7、U+2A6D6", never
    the text around them (which may be personal data)."""
    return "、".join(f"U+{ord(c):04X}" for c in sorted(set(chars)))
