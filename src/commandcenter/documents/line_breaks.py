"""Chinese line breaking for papers: 避头尾 (GB/T 15834) and codes that never break.

No line starts with Chinese closing punctuation, none ends with opening punctuation and none hangs
a closing mark past its end; no line breaks inside a number, a date, a time, a code or a certificate or work-order number
("12345-20268 2761465", "8:30-17:30", "浙执02062600005", "2026-10-04（逾期）"): the whole
token goes down to the next line instead.

reportlab's CJK wrapping lets one character that may not start a line hang at the end of the
one before, but no more: in "……12月6日），综合得分" a line ending at "）" hangs it and starts
the next with "，". Where a line would start so, the wrapping is run again with the line
before it ending one character earlier, so the character before the closing run ("日") moves
down with it, as a typesetter would do. The shortened line keeps its full measure for
justification.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import textsplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph

# Chinese punctuation that may not begin a line; reportlab's own list was made for Japanese and
# lacks the full-width comma, colon, semicolon and others that Chinese documents use.
CANNOT_START = "，：；！？、。）》」』】〕〉”’…—"
# Opening punctuation may not end a line: it goes down with what it opens.
CANNOT_END = "（《「『【〔〈“‘([{"
# How many times a paragraph is rewrapped at most (each pass mends one line), beyond one pass
# per line of a long paragraph (facts pasted whole), so that none of its lines is left hanging.
_PASSES = 20
# What never breaks: runs of digits, Latin letters and the marks inside codes, times and dates,
# a space between digit groups (12345-20268 2761465), two Han characters right before six or
# more digits (a certificate number: 浙执02062600005) and a short note in brackets right after
# (2026-10-04（逾期）).
CODE = re.compile(
    r"(?:[\u4e00-\u9fff]{2}(?=\d{6}))?"
    r"[0-9A-Za-z](?:[0-9A-Za-z_.:/\-]|[ ](?=\d))*"
    r"(?:[（(][^（）()\s]{1,6}[）)])?"
)

Glyphs = list[tuple[str, float]]  # a line's characters with their widths


class _NoStart:
    """Membership in reportlab's list as it stands (install() extends it); '' is not in it."""

    def __contains__(self, c: object) -> bool:
        return bool(c) and isinstance(c, str) and c in textsplit.ALL_CANNOT_START


_NO_START = _NoStart()


def _text(text: str | bytes, encoding: str) -> str:
    return text.decode(encoding) if isinstance(text, bytes) else text


def _carry_from(before: str, after: str) -> int | None:
    """Where the line *before* must end instead for the break before *after* to be allowed:
    the index in *before* of the first character to carry down, or None if the break is
    fine."""
    if after[:1] in _NO_START:  # 避头: the character before goes down with the closing run
        j = len(before) - 1
        while j > 0 and before[j] in _NO_START:
            j -= 1
        return j
    if before[-1:] and before[-1] in CANNOT_END:  # 避尾
        j = len(before) - 1
        while j > 0 and before[j - 1] in CANNOT_END:
            j -= 1
        return j
    joined = before + after
    cut = len(before)
    for match in CODE.finditer(joined, max(0, cut - 40)):
        if match.start() < cut < match.end():
            return match.start()
        if match.start() >= cut:
            break
    return None


def _mended(
    split: Callable[[list[float]], Any],
    lines_of: Callable[[Any], list[Any]],
    first: Callable[[Any], str],
    glyphs: Callable[[Any], Glyphs],
    widen: Callable[[Any, float], None],
    max_widths: Sequence[float],
) -> Any:
    widths = list(max_widths)
    shortened: dict[int, float] = {}  # line -> its full measure
    result = split(widths)
    for _ in range(max(_PASSES, len(lines_of(result)))):
        lines = lines_of(result)
        bad, j, before = None, 0, []
        for k in range(len(lines)):
            line = glyphs(lines[k])
            measure = widths[min(k, len(widths) - 1)]
            # reportlab hangs a closing mark past the line's end: outside the type area, and a
            # 29th character on the grid. The character before goes down with it instead.
            if line and line[-1][0] in _NO_START and sum(w for _, w in line) > measure + 0.01:
                carry = _carry_from("".join(c for c, _ in line), line[-1][0])
                if carry is not None and carry > 1:
                    bad, j, before = k + 1, carry, line
                    break
            if k == 0:
                continue
            before = glyphs(lines[k - 1])
            after = "".join(c for c, _ in line[:48])
            carry = _carry_from("".join(c for c, _ in before), after)
            # A token longer than the line breaks where it must; so does one at a line's start.
            if carry is not None and carry > 1:
                bad, j = k, carry
                break
        if bad is None:
            break
        while len(widths) <= len(lines):
            widths.append(widths[-1])
        shortened.setdefault(bad - 1, widths[bad - 1])
        # The line overflows at before[j], which may start a line, so it moves down.
        widths[bad - 1] = sum(w for _, w in before[:j]) + before[j][1] / 2
        result = split(widths)
    for k, line in enumerate(lines_of(result)):
        if k in shortened:
            widen(line, shortened[k] - widths[k])
    return result


_word_split = textsplit.wordSplit
_frag_split = paragraph.cjkFragSplit


def word_split(
    word: str | bytes,
    maxWidths: Sequence[float] | float,
    fontName: str,
    fontSize: float,
    encoding: str = "utf8",
) -> Any:
    """textsplit.wordSplit for a paragraph of one run of text: lines are [extraSpace, text]."""
    text = _text(word, encoding)
    if isinstance(maxWidths, (list, tuple)):
        measures = [float(w) for w in maxWidths]
    else:
        measures = [float(maxWidths)]  # type: ignore[arg-type]

    def widen(line: list[Any], by: float) -> None:
        line[0] += by

    return _mended(
        lambda widths: _word_split(text, widths, fontName, fontSize, encoding),
        lambda lines: lines,
        lambda line: line[1],
        lambda line: [(c, stringWidth(c, fontName, fontSize)) for c in line[1]],
        widen,
        measures,
    )


def frag_split(
    frags: list[Any], maxWidths: Sequence[float], calcBounds: bool, encoding: str = "utf8"
) -> Any:
    """paragraph.cjkFragSplit for a paragraph of several runs (bold, superscripts …)."""

    def glyphs(line: Any) -> Glyphs:
        return [
            (c, stringWidth(c, f.fontName, f.fontSize))
            for f in line.words
            for c in _text(f.text, encoding)
        ]

    def widen(line: Any, by: float) -> None:
        line.extraSpace += by
        line.maxWidth += by

    return _mended(
        lambda widths: _frag_split(frags, widths, calcBounds, encoding),
        lambda result: result.lines,
        lambda line: "".join(_text(f.text, encoding) for f in line.words[:2]),
        glyphs,
        widen,
        maxWidths,
    )


def install() -> None:
    """Teach reportlab the Chinese list and the mended wrapping (paragraph looks both up as
    module globals at each call)."""
    textsplit.ALL_CANNOT_START += "".join(
        c for c in CANNOT_START if c not in textsplit.ALL_CANNOT_START
    )
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START
    paragraph.wordSplit = word_split
    paragraph.cjkFragSplit = frag_split
