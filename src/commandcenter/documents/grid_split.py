"""A :class:`~form_grid.FormGrid` taller than a page, split by itself over as many pages as it
needs.

reportlab's ``Table`` splits a long row once, and badly (the part that goes over is drawn over
the page's top edge, a column collapses); what is left of it, still taller than a page, cannot
go on at all (``LayoutError``). Here a grid splits at a row's edge where the row that does not
fit would fit a page of its own, and inside that row otherwise: each cell too tall for the room
keeps as many of its lines as fit (at least three, and at least three go over), the other cells
of the row stay whole on this side, centred in it. The part that goes over starts with the
grid's header rows again and splits itself in turn on the next page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.platypus import Flowable, Paragraph

from commandcenter.documents.form_grid import _SIDES, Cell, FormGrid, Lines, _Placed
from commandcenter.documents.layout import escape

MIN_LINES = 3  # lines of a split cell kept on either side of the break, at the least


def split(grid: FormGrid, room: float, page: float | None) -> list[Flowable]:
    """*grid* (wrapped) as a part that fits *room* and the rest, or [] where no part fits."""
    heights = grid._heights
    header = grid.header_rows
    if page is not None and sum(heights[:header]) > page / 2:
        header = 0  # a header that would fill the pages itself is not repeated
    used, n = 0.0, 0
    while n < len(heights) and used + heights[n] <= room + 1e-6:
        used += heights[n]
        n += 1
    if n == len(heights):
        return [grid]
    if n < grid.header_rows:
        return []  # not even the header fits: the whole grid goes to the next page
    fits_a_page = page is not None and sum(heights[:header]) + heights[n] <= page + 1e-6
    if n > grid.header_rows and fits_a_page:
        return _at_edge(grid, n, header)
    halves = _split_row(grid, n, room - used)
    if halves is None:
        return _at_edge(grid, n, header) if n > grid.header_rows else []
    top, rest = halves
    rows = grid.rows
    first = grid.part([*rows[:n], top], _spans(grid, range(n + 1)), 0)
    later = grid.part(
        [*rows[:header], rest, *rows[n + 1 :]],
        _spans(grid, [*range(header), *range(n, len(rows))]),
        header,
    )
    return [first, later]


def _at_edge(grid: FormGrid, n: int, header: int) -> list[Flowable]:
    rows = grid.rows
    first = grid.part(rows[:n], _spans(grid, range(n)), 0)
    later = grid.part(
        [*rows[:header], *rows[n:]], _spans(grid, [*range(header), *range(n, len(rows))]), header
    )
    return [first, later]


def _spans(grid: FormGrid, kept: Sequence[int]) -> dict[int, int]:
    """The spans of the rows *kept*, numbered as they stand in the part."""
    return {i: grid.spans[r] for i, r in enumerate(kept) if r in grid.spans}


def _split_row(grid: FormGrid, r: int, room: float) -> tuple[list[Cell], list[Cell]] | None:
    """Row *r*'s cells before and after a break *room* points below its top edge, or None
    where a cell that must split cannot keep enough lines on either side."""
    content = room - grid.padding - (grid.padding + 1)
    placed = grid._cells[r]
    top: list[Cell] = []
    rest: list[Cell] = []
    for c, cell in enumerate(grid.rows[r]):
        p = placed[c] if c < len(placed) else None
        if p is None or cell == "" or p.height <= content + 1e-6:
            top.append(cell)
            rest.append("")
            continue
        halves = _split_cell(p, content, grid.split_in_row)
        if halves is None:
            return None
        top.append(halves[0])
        rest.append(halves[1])
    return top, rest


def _split_cell(p: _Placed, content: float, least: float) -> tuple[Cell, Cell] | None:
    """A cell's lines that fit *content* points and the rest, *least* points of each at the
    least (three lines where 0)."""
    if p.lines is not None and p.style is not None:
        style, lines = p.style, p.lines
        k = _kept(content, style.leading, len(lines), least)
        return None if k is None else (_lines(lines[:k], p), _lines(lines[k:], p))
    para = p.para
    if para is None:
        return None
    leading = para.style.leading
    k = _kept(content, leading, round(p.height / leading), least)
    if k is None:
        return None
    parts = para.split(p.width - 2 * _SIDES, k * leading + 0.01)
    if len(parts) != 2 or not all(isinstance(part, Paragraph) for part in parts):
        return None
    return parts[0], parts[1]


def _kept(content: float, leading: float, total: int, least: float) -> int | None:
    """How many of *total* lines stay before the break, or None where too few would."""
    fewest = max(MIN_LINES, math.ceil(least / leading - 1e-6))
    k = min(int(content / leading + 1e-6), total - fewest)
    return k if k >= fewest else None


def _lines(lines: tuple[str, ...], p: _Placed) -> Lines:
    assert p.style is not None
    markup = "<br/>".join(escape(line).replace("\xa0", "&nbsp;") for line in lines)
    return Lines(lines, p.style, markup)
