"""Pinyin initials for finding people by typing a few letters ("zw" finds 张伟)."""

from __future__ import annotations

import functools

_MAX_VARIANTS = 4


def name_initials(name: str) -> str:
    """Space-separated initials variants of *name*.

    A surname may read several ways (曾 zeng/ceng, 单 shan/dan); every reading of the first
    character is kept so whichever the operator types finds the person. The given name takes the
    usual reading.
    """
    name = name.strip()
    if not name:
        return ""
    rest = _usual_letters(name[1:])
    variants = dict.fromkeys(a + rest for a in _surname_letters(name[0]))  # ordered, no repeats
    return " ".join(list(variants)[:_MAX_VARIANTS])


def caption_matches(caption: str, typed: str) -> bool:
    """Whether every word typed is in *caption*, as characters or as pinyin initials: "梅港"
    and "mgsq" both find 梅港社区第1网格."""
    words = typed.lower().split()
    if not words:
        return True
    text = caption.lower()
    initials = ""
    for word in words:
        if word in text:
            continue
        if not word.isascii():
            return False
        initials = initials or _usual_letters(caption)
        if word not in initials:
            return False
    return True


# Both halves are cached apart: a roster of thousands has a few hundred surnames, and given names
# repeat far more often than whole names. pypinyin costs about 20 µs a call; uncached, it was an
# import's largest share after reading the file.


@functools.cache
def _surname_letters(char: str) -> tuple[str, ...]:
    """The initial of every reading of *char*."""
    # pypinyin's dictionaries take a fifth of a second to load: not at start-up, when nobody
    # is being named yet.
    from pypinyin import Style, pinyin

    return tuple(r[0].lower() for r in pinyin(char, style=Style.FIRST_LETTER, heteronym=True)[0])


@functools.lru_cache(maxsize=16384)
def _usual_letters(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()
