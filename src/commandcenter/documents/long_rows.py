"""A table row taller than a page, cut into rows that each fit one.

reportlab's ``Table`` goes over a page at a row's edge only (:func:`layout.grid_table` asks for
no more): a row taller than the page, a cell of facts or opinions pasted whole, can go nowhere
and the paper fails with ``LayoutError``. Before the table is built, such a row's tall cells
are cut at line ends into pieces of at most :data:`PIECE` points, one row each; the row's other
cells stand in its first piece, the rest of their column left blank below. The pieces then go
over pages as rows do. Rows that fit a page, every row of an ordinary paper, are left as they
are, and a cell is measured only where its text is long enough to need it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Paragraph

LIMIT_SHARE = 0.8  # a row above this share of the type area's height is cut …
PIECE_SHARE = 0.4  # … into pieces of at most this share


def cut(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    extra: Sequence[tuple[Any, ...]],
    padding: float,
    page: float,
    sides: float = 10,
) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
    """*rows* with every row taller than ``LIMIT_SHARE`` of *page* cut into pieces, and the
    style commands *extra* renumbered to match. *padding* is a cell's top padding (the bottom
    one a point more, as :func:`layout.grid_table` has them), *sides* its left and right
    padding together."""
    limit, piece = page * LIMIT_SHARE, page * PIECE_SHARE
    spans = _span_widths(rows, widths, extra)
    out: list[list[Any]] = []
    first: list[int] = []  # each old row's first and last new row
    last: list[int] = []
    for r, row in enumerate(rows):
        first.append(len(out))
        inner = [spans.get((c, r), w) - sides for c, w in enumerate(widths)]
        pieces = _pieces(list(row), inner, limit, piece - 2 * padding - 1)
        out.extend(pieces)
        last.append(len(out) - 1)
    if len(out) == len(rows):
        return [list(row) for row in rows], list(extra)
    return out, _renumber(extra, first, last, len(rows))


def _span_widths(
    rows: Sequence[Sequence[Any]], widths: Sequence[float], extra: Sequence[tuple[Any, ...]]
) -> dict[tuple[int, int], float]:
    """The width of each spanning cell, by its (column, row)."""
    found: dict[tuple[int, int], float] = {}
    n_rows, n_cols = len(rows), len(widths)
    for command in extra:
        if command[0] != "SPAN":
            continue
        (c0, r0), (c1, r1) = command[1], command[2]
        c0, c1 = c0 % n_cols, c1 % n_cols
        for r in range(r0 % n_rows, r1 % n_rows + 1):
            found[(c0, r)] = sum(widths[c0 : c1 + 1])
    return found


def _height(cell: Any, width: float, limit: float) -> float:
    """A paragraph's height in a cell *width* points wide inside, where it may exceed *limit*;
    0 where it cannot."""
    if not isinstance(cell, Paragraph):
        return 0.0
    style, text = cell.style, getattr(cell, "text", None)
    # No more lines than characters over a line's worth (twice, for words kept whole): a
    # shorter text cannot reach the limit and is not wrapped here.
    per_line = max(1.0, width / style.fontSize)
    if (
        text is not None
        and (2 * len(text) / per_line + text.count("<br") + 1) * style.leading <= limit
    ):
        return 0.0
    return float(cell.wrap(width, 1e9)[1])


def _pieces(row: list[Any], widths: list[float], limit: float, piece: float) -> list[list[Any]]:
    if not any(_height(cell, w, limit) > limit for cell, w in zip(row, widths, strict=False)):
        return [row]
    out: list[list[Any]] = []
    rest = row
    while True:
        top: list[Any] = []
        later: list[Any] = []
        for cell, w in zip(rest, widths, strict=False):
            if isinstance(cell, Paragraph) and cell.wrap(w, 1e9)[1] > piece:
                parts = cell.split(w, piece)
                if len(parts) == 2:
                    top.append(parts[0])
                    later.append(parts[1])
                    continue
            top.append(cell)
            later.append("")
        out.append(top)
        if all(c == "" for c in later):
            return out
        rest = later


def _renumber(
    extra: Sequence[tuple[Any, ...]], first: list[int], last: list[int], n_rows: int
) -> list[tuple[Any, ...]]:
    """Style commands over the new rows: a row's command over all its pieces, a span (of one
    row) repeated in each piece."""
    out: list[tuple[Any, ...]] = []
    for command in extra:
        if len(command) < 3 or not isinstance(command[1], tuple):
            out.append(command)
            continue
        (c0, r0), (c1, r1) = command[1], command[2]
        a, b = r0 % n_rows, r1 % n_rows
        if command[0] == "SPAN" and a == b:
            out += [
                (command[0], (c0, r), (c1, r), *command[3:]) for r in range(first[a], last[a] + 1)
            ]
            continue
        out.append((command[0], (c0, first[a]), (c1, last[b]), *command[3:]))
    return out
