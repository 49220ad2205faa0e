"""No line of a paper starts with Chinese closing punctuation (GB/T 15834 line-breaking rules).

reportlab's CJK wrapping lets one character that may not start a line hang at the end of the
one before, but no more: in "……12月6日），综合得分" a line ending at "）" hangs it and starts
the next with "，". Where a line would start so, the wrapping is run again with the line
before it ending one character earlier, so the character before the closing run ("日") moves
down with it, as a typesetter would do. The shortened line keeps its full measure for
justification.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import textsplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph

# Chinese punctuation that may not begin a line; reportlab's own list was made for Japanese and
# lacks the full-width comma, colon, semicolon and others that Chinese documents use.
CANNOT_START = "，：；！？、。）》」』】〕〉”’…—"
# How many times a paragraph is rewrapped at most (each pass mends one line).
_PASSES = 20

Glyphs = list[tuple[str, float]]  # a line's characters with their widths


class _NoStart:
    """Membership in reportlab's list as it stands (install() extends it); '' is not in it."""

    def __contains__(self, c: object) -> bool:
        return bool(c) and isinstance(c, str) and c in textsplit.ALL_CANNOT_START


_NO_START = _NoStart()


def _text(text: str | bytes, encoding: str) -> str:
    return text.decode(encoding) if isinstance(text, bytes) else text


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
    for _ in range(_PASSES):
        lines = lines_of(result)
        bad = next((k for k in range(1, len(lines)) if first(lines[k])[:1] in _NO_START), None)
        if bad is None:
            break
        before = glyphs(lines[bad - 1])
        j = len(before) - 1
        while j > 0 and before[j][0] in _NO_START:
            j -= 1
        if j <= 1:  # nothing left to carry down
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
