"""Font subsets made once per process: the same characters of the same face give the same bytes.

Every PDF embeds, for each face it uses, a subset of the font holding the glyphs it printed, and
compresses it. A form's fixed faces print the same characters on every copy (the dispatch
order's labels and titles in 黑体, the centre's name in 楷体), so their subsets, and the
compressed streams written for them, are the same from one order to the next: making and
compressing them again took about a third of an order's time. reportlab's subsetting and zlib
are both deterministic, so a paper's bytes are the same whether a subset was made now or taken
from here; only the body face, whose characters change with every order, is made afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from reportlab.pdfbase import pdfdoc, ttfonts

# Subsets kept per face. A paper's fixed faces need one or two each; the body face's subsets,
# which rarely repeat, pass through without crowding them out for long.
_KEEP = 16


class Subset(bytes):
    """A font subset's bytes, with its compressed form once a PDF has needed it."""

    compressed: bytes | None = None


_lock = threading.Lock()  # papers are laid out on worker threads
_make_subset = ttfonts.TTFontFace.makeSubset
_compress = pdfdoc.PDFZCompress.encode


def make_subset(face: Any, subset: list[int]) -> Subset:
    # Kept on the face itself, so they go with it (a face made for a test, a font re-read).
    with _lock:
        made: OrderedDict[tuple[int, ...], Subset] = face.__dict__.setdefault(
            "_made_subsets", OrderedDict()
        )
    key = tuple(subset)
    with _lock:
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
