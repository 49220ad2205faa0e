"""Font subsets of a form's fixed faces, made once per process.

Every PDF embeds, for each face it uses, a subset of the font holding the glyphs it printed, and
compresses it. A form's fixed faces print the same characters on every copy (the dispatch
order's labels and titles in 黑体, the centre's name in 楷体), so their subsets, and the
compressed streams written for them, are the same from one order to the next: making and
compressing them again took about a third of an order's time. Within :func:`kept` the subsets of
the faces named are stored and handed out again; reportlab's subsetting and zlib are both
deterministic, so the paper's bytes are the same as if they had been made afresh. Other faces
(the body, whose characters change with every order) and other papers are made as before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts

# Subsets kept per face: a few variants each (a watermark, a centre renamed in 系统设置).
_KEEP = 16


class Subset(bytes):
    """A font subset's bytes, with its compressed form once a PDF has needed it."""

    compressed: bytes | None = None


_lock = threading.Lock()  # papers are laid out on worker threads
_faces: ContextVar[frozenset[int]] = ContextVar("kept_faces", default=frozenset())
_make_subset = ttfonts.TTFontFace.makeSubset
_compress = pdfdoc.PDFZCompress.encode


@contextmanager
def kept(font_names: Iterable[str]) -> Iterator[None]:
    """Within the block, subsets of the named (registered TrueType) fonts are stored."""
    faces = frozenset(
        id(font.face)
        for font in (pdfmetrics.getFont(name) for name in font_names)
        if isinstance(font, ttfonts.TTFont)
    )
    token = _faces.set(faces)
    try:
        yield
    finally:
        _faces.reset(token)


def make_subset(face: Any, subset: list[int]) -> bytes:
    if id(face) not in _faces.get():
        made_now: bytes = _make_subset(face, subset)
        return made_now
    key = tuple(subset)
    with _lock:
        # Kept on the face itself, so they go with it.
        made: OrderedDict[tuple[int, ...], Subset] = face.__dict__.setdefault(
            "_made_subsets", OrderedDict()
        )
        found = made.get(key)
        if found is not None:
            made.move_to_end(key)
            return found
    found = Subset(_make_subset(face, subset))
    with _lock:
        made[key] = found
        while len(made) > _KEEP:
            made.popitem(last=False)
    return found


def compress(text: Any) -> bytes:
    if isinstance(text, Subset):
        if text.compressed is None:
            text.compressed = _compress(text)
        return text.compressed
    result: bytes = _compress(text)
    return result


def install() -> None:
    ttfonts.TTFontFace.makeSubset = make_subset
    pdfdoc.PDFZCompress.encode = compress
