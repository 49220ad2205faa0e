"""Find and register the CJK fonts a paper is set in.

Official documents use a Song/Hei face for titles and FangSong or Song for the body. We look in
the Windows font folders first, then for Debian's TrueType CJK fonts. reportlab embeds only
TrueType outlines (not CFF: Noto Sans CJK and Source Han cannot be used). The non-embedded
``STSong-Light`` CID font is a last resort, logged, because a PC without it shows boxes.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

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
    def embedded(self) -> bool:
        return FALLBACK_CID not in (self.title, self.body, self.heading, self.kai)


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
            if (path, sub) in registered:
                names[role] = registered[path, sub]
                sources[role] = str(path)
                break
            name = f"cc-{role}"
            try:
                font = TTFont(name, str(path), subfontIndex=sub)
                share_glyph_table(font)
                pdfmetrics.registerFont(font)
            except Exception as exc:  # a damaged or CFF font: try the next candidate
                log.warning("cannot use font %s for %s: %s", path, role, exc)
                continue
            names[role] = registered[path, sub] = name
            sources[role] = str(path)
            break
        else:
            log.warning("no TrueType CJK font for %s; using non-embedded %s", role, FALLBACK_CID)
            pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID))
            names[role] = FALLBACK_CID
            sources[role] = f"{FALLBACK_CID}（未嵌入）"
    return FontSet(names["title"], names["body"], names["heading"], names["kai"], sources)
