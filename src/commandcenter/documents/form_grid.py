"""A form's ruled grid and its one-line captions, drawn at fixed places on the canvas.

reportlab's ``Table`` wraps every cell's paragraph two or three times to size and place it
(column widths, row heights, again as it draws) and a ``Paragraph`` parses its text as markup
before it can measure it. A form like the dispatch order is mostly labels and one-line values:
:class:`FormGrid` lays its rows out the way :func:`layout.grid_table` does (the same column
widths, row heights and cell positions, so the page is the same to the point), but draws the
rules as lines and every text that fits on one line as a string; only a cell that wraps (the
facts, the requirements, a long name) is set as a paragraph, wrapped once. Where the grid does
not fit the room left on the page it splits itself (``grid_split``): at a row's edge, or inside
a row taller than a page, the header rows repeated on every page it goes on to.

:class:`CentredLine` does the same for a one-line centred caption (a form's title).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Paragraph

from commandcenter.documents import fonts
from commandcenter.documents.layout import escape, fit_labels, runs_width

# A text this much narrower than its line is set on one line by Paragraph too; nearer the
# edge it goes to a paragraph, which decides (and mends the break) itself.
_MARGIN = 0.5
_SIDES = 5.0  # grid_table's left and right cell padding
_RULE = 0.75  # grid_table's rule weight


@dataclass(frozen=True)
class Text:
    """Plain text in a cell, set in *style*: a string where it fits one line, else a paragraph."""

    text: str
    style: ParagraphStyle


@dataclass(frozen=True)
class Lines:
    """Lines the form breaks itself (a signature line under a blank one, a unit's part a line):
    each set as it stands where all fit their line, else *markup* as a paragraph."""

    lines: tuple[str, ...]  # plain text; \xa0 where the markup has &nbsp;
    style: ParagraphStyle
    markup: str  # the same lines as paragraph markup, joined by <br/>


# A cell: plain text, broken lines, a paragraph (markup), or "" where a span covers it.
type Cell = Text | Lines | Paragraph | str


def _one_line(text: str, *, nbsp: bool = False) -> bool:
    """Text a paragraph sets as it stands: no markup, and no spaces it would fold (a paragraph
    turns any run of white space, 　 included, into one plain space); non-breaking spaces, which
    it keeps, where the cell's markup spells them &nbsp;."""
    if not text or text[0].isspace() or text[-1].isspace() or any(c in "&<>" for c in text):
        return False
    allowed = {" ", "\xa0"} if nbsp else {" "}
    if not {c for c in text if c.isspace()} <= allowed:
        return False
    return not any(pair in text for pair in ("  ", " \xa0", "\xa0 "))


def _plain_style(style: ParagraphStyle) -> bool:
    """A style whose lines stand where they are drawn here: left or centred, no indents."""
    return style.alignment in (TA_LEFT, TA_CENTER) and not (
        style.leftIndent or style.rightIndent or style.firstLineIndent
    )


def _as_lines(cell: Cell) -> tuple[tuple[str, ...], ParagraphStyle] | None:
    """The lines a cell sets as they stand, if it is text a paragraph would not change."""
    if isinstance(cell, Text | Lines) and not _plain_style(cell.style):
        return None
    if isinstance(cell, Text):
        return ((cell.text,), cell.style) if _one_line(cell.text) else None
    if not isinstance(cell, Lines):
        return None
    lines = cell.lines
    # No lines is an empty paragraph; a blank line may stand first, over a line of text.
    rest = lines[1:] if len(lines) > 1 and not lines[0] else lines
    if all(_one_line(line, nbsp=True) for line in rest):
        return lines, cell.style
    return None


@lru_cache(maxsize=1024)
def _width(text: str, face: str, size: float) -> float:
    """The width of a caption (labels recur on every copy of a form: measured once)."""
    return runs_width(text, face, size)


def _put(text: PDFTextObject, x: float, y: float, line: str, face: str, size: float) -> None:
    """*line* from (x, y), each character in a face that has it (``layout.draw_runs`` within a
    text object: the runs follow on without a new object and font state each)."""
    text.setTextOrigin(x, y)
    for part, name in fonts.runs(line, face):
        text.setFont(name, size)
        text.textOut(part)


class _Measured(Paragraph):
    """A cell's text as ``fit_labels`` reads a paragraph, without parsing it as markup."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        self.text = text
        self.style = style

    def getPlainText(self, identify: Any = None) -> str:
        return self.text


class _Placed:
    """One cell as drawn: strings on their lines, or a wrapped paragraph."""

    __slots__ = ("height", "lines", "para", "style", "width", "x")

    def __init__(self) -> None:
        self.lines: tuple[str, ...] | None = None
        self.style: ParagraphStyle | None = None
        self.para: Paragraph | None = None
        self.height = 0.0
        self.x = 0.0  # the cell's left edge
        self.width = 0.0  # the cell's width (spans added)


class FormGrid(Flowable):
    """The rows of a :func:`layout.grid_table` (the same arguments), laid out alike."""

    def __init__(
        self,
        rows: Sequence[Sequence[Cell]],
        widths: Sequence[float],
        spans: Sequence[tuple[int, int]] = (),  # (row, first column): to the last column
        padding: float = 4,
        header_rows: int = 0,
        split_in_row: float = 0,  # the least of a split cell on either side; 0: three lines
    ) -> None:
        super().__init__()
        self.rows = [list(row) for row in rows]
        self.widths = list(widths)
        self.spans = dict(spans)
        self.padding = padding
        self.header_rows = header_rows
        self.split_in_row = split_in_row
        self.hAlign = "CENTER"  # as a Table stands in the frame
        self._laid_out: float | None = None
        self._cells: list[list[_Placed]] = []
        self._heights: list[float] = []
        self._fitted = self.widths  # the columns as laid out (labels fitted)
        self._fixed = False  # a part of a split grid keeps the whole grid's columns

    def _paragraph(self, cell: Cell) -> Any:
        if isinstance(cell, Text):
            return Paragraph(escape(cell.text), cell.style)
        if isinstance(cell, Lines):
            return Paragraph(cell.markup, cell.style)
        return cell

    # --- fixed layout ----------------------------------------------------------------------

    def _lay_out(self) -> None:
        # Cells with markup or folded spaces are parsed here, once, for fit_labels and drawing.
        as_lines = [[_as_lines(c) for c in row] for row in self.rows]
        measured = [
            [
                _Measured("".join(fixed[0]), fixed[1]) if fixed else self._paragraph(c)
                for c, fixed in zip(row, fixed_row, strict=True)
            ]
            for row, fixed_row in zip(self.rows, as_lines, strict=True)
        ]
        widths = self.widths if self._fixed else fit_labels(measured, self.widths)
        self._fitted = list(widths)
        edges = [0.0]
        for w in widths:
            edges.append(edges[-1] + w)
        top, bottom = self.padding, self.padding + 1
        self._cells, self._heights = [], []
        for r, row in enumerate(self.rows):
            placed: list[_Placed] = []
            tallest = 0.0
            span_from = self.spans.get(r)
            for c, cell in enumerate(row):
                if span_from is not None and c > span_from:
                    break  # covered by the span
                last = len(widths) - 1 if span_from == c else c
                p = _Placed()
                p.x, p.width = edges[c], edges[last + 1] - edges[c]
                room = p.width - 2 * _SIDES
                fixed = as_lines[r][c]
                if fixed is not None:
                    lines, style = fixed
                    face, size = style.fontName, style.fontSize
                    if all(_width(line, face, size) <= room - _MARGIN for line in lines):
                        p.lines, p.style = lines, style
                        p.height = style.leading * len(lines)
                if p.lines is None and cell != "":
                    made = measured[r][c]
                    p.para = made if not isinstance(made, _Measured) else self._paragraph(cell)
                    p.height = p.para.wrap(room, 72000)[1]
                tallest = max(tallest, p.height + top + bottom)
                placed.append(p)
            self._cells.append(placed)
            self._heights.append(tallest)
        self._edges = edges

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._laid_out != available_width:
            self._lay_out()
            self._laid_out = available_width
        self.width = self._edges[-1]
        self.height = sum(self._heights)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        from commandcenter.documents import grid_split  # it builds FormGrids: imported late

        self.wrap(available_width, available_height)
        return grid_split.split(self, available_height, self._page_height())

    def _page_height(self) -> float | None:
        """The height of a whole frame (the room on the next page), where the grid is placed."""
        frame = getattr(self, "_frame", None)
        if frame is None:
            return None
        return float(frame._height - frame._topPadding - frame._bottomPadding)

    def part(
        self, rows: Sequence[Sequence[Cell]], spans: dict[int, int], header_rows: int
    ) -> FormGrid:
        """Some of this grid's rows (a row's cells split where it goes over) as a grid of its
        own, in this grid's columns."""
        grid = FormGrid(
            rows,
            self._fitted,
            list(spans.items()),
            self.padding,
            header_rows,
            self.split_in_row,
        )
        grid._fixed = True
        return grid

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        top, bottom = self.padding, self.padding + 1
        # Row edges from the top, as the Table places them.
        y_edges = [self.height]
        for h in self._heights:
            y_edges.append(y_edges[-1] - h)
        # The one-line texts go into one text object: a string each, a font change per face.
        strings = c.beginText()
        for r, placed in enumerate(self._cells):
            row_bottom, row_height = y_edges[r + 1], self._heights[r]
            for p in placed:
                h = p.height
                y = row_bottom + (row_height + bottom - top + h) / 2 - h
                x = p.x + _SIDES
                if p.para is not None:
                    p.para.drawOn(c, x, y)
                elif p.lines and p.style is not None:
                    style = p.style
                    face, size = style.fontName, style.fontSize
                    strings.setFillColor(style.textColor)
                    # A paragraph's first baseline is its font size under its top.
                    base = y + h - size
                    for line in p.lines:
                        if line:
                            shift = 0.0
                            if style.alignment == TA_CENTER:
                                shift = (p.width - 2 * _SIDES - _width(line, face, size)) / 2
                            _put(strings, x + shift, base, line, face, size)
                        base -= style.leading
        c.drawText(strings)
        # The rules: every row's edge across, the columns' edges down but inside a span.
        c.setStrokeColor(colors.black)
        c.setLineWidth(_RULE)
        c.setLineCap(1)
        c.setLineJoin(1)
        width = self._edges[-1]
        for y in y_edges:
            c.line(0, y, width, y)
        for r, placed in enumerate(self._cells):
            for p in placed:
                c.line(p.x, y_edges[r + 1], p.x, y_edges[r])
            c.line(width, y_edges[r + 1], width, y_edges[r])
        c.restoreState()


class CentredLine(Flowable):
    """A centred caption in *style* that fits one line, drawn as a string where a paragraph
    would set it; a longer one is a paragraph."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self._para: Paragraph | None = None

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        st = self.style
        self.width = available_width
        fits = (
            _one_line(self.text)
            and st.alignment == TA_CENTER
            and _plain_style(st)
            and _width(self.text, st.fontName, st.fontSize) <= available_width - _MARGIN
        )
        if not fits:
            self._para = self._para or Paragraph(escape(self.text), st)
            self.width, self.height = self._para.wrap(available_width, available_height)
            return self.width, self.height
        self._para = None
        self.height = st.leading
        return available_width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return Paragraph(escape(self.text), self.style).split(available_width, available_height)

    def draw(self) -> None:
        if self._para is not None:
            self._para.drawOn(self.canv, 0, 0)
            return
        st = self.style
        width = _width(self.text, st.fontName, st.fontSize)
        text = self.canv.beginText()
        text.setFillColor(st.textColor)
        _put(
            text,
            (self.width - width) / 2,
            self.height - st.fontSize,
            self.text,
            st.fontName,
            st.fontSize,
        )
        self.canv.drawText(text)
