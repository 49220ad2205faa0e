"""Pinyin initials for finding people by typing a few letters ("zw" finds 张伟)."""

from __future__ import annotations

import functools

_MAX_VARIANTS = 4


@functools.lru_cache(maxsize=4096)  # names repeat, and an import of thousands asks often
def name_initials(name: str) -> str:
    """Space-separated initials variants of *name*.

    A surname may read several ways (曾 zeng/ceng, 单 shan/dan); every reading of the first
    character is kept so whichever the operator types finds the person. The given name takes the
    usual reading.
    """
    # pypinyin's dictionaries take a fifth of a second to load: not at start-up, when nobody
    # is being named yet.
    from pypinyin import Style, lazy_pinyin, pinyin

    name = name.strip()
    if not name:
        return ""
    first = [r[0].lower() for r in pinyin(name[0], style=Style.FIRST_LETTER, heteronym=True)[0]]
    rest = "".join(lazy_pinyin(name[1:], style=Style.FIRST_LETTER)).lower()
    variants = dict.fromkeys(a + rest for a in first)  # ordered, without duplicates
    return " ".join(list(variants)[:_MAX_VARIANTS])
