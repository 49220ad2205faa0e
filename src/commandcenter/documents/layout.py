"""Page and type after GB/T 9704-2012, and the pieces every paper shares.

A4; top margin 37 mm, left 28 mm: the standard's type area of 156 x 225 mm, filled edge to edge
(the frame has no padding). Body text in 三号 (16 pt) FangSong on the 28 x 22 grid: 28
characters a line (the body face's pitch is 156/28 mm, ``fonts._on_grid``) and 22 lines a
page (leading 225/22 mm). Title in 二号 (22 pt) in the title face; page numbers in 四号 as
"— 1 —", odd pages right and even pages left, one character in from the type area's edge.

The 公文 (letters, bulletin, minutes, briefings, the plan) are built from the same parts:
:class:`Letterhead` (版头: the issuing authority in red, the 发文字号 centred under it, the red
separator), :func:`title_block` where there is no 版头, :class:`SignatureBlock` (署名 and 成文日期,
the date four characters in from the right, the name centred over it, room for the seal above),
:func:`attachment_note` (附件说明) and :class:`Imprint` (版记: 抄送, 印发机关 and 印发日期 between
their lines, at the foot of the last page). Forms (orders, receipts, checklists, tables) keep
their own layout on the same left and right margins, with a tighter top and bottom.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.graphics import shapes
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LayoutError,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
    doctemplate,
)

from commandcenter import APP_NAME, timeutil
from commandcenter.documents import fallback, fonts, line_breaks, long_rows
from commandcenter.documents.fonts import FontSet, font_set
from commandcenter.errors import ValidationError
from commandcenter.fileio import atomic_path

log = logging.getLogger(__name__)

line_breaks.install()  # no line starts with Chinese closing punctuation
fallback.install()  # each character in a face that has it

PAGE_WIDTH, PAGE_HEIGHT = A4
TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT  # 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM  # 225 mm
LINES_PER_PAGE = 22
LINE = TEXT_HEIGHT / LINES_PER_PAGE  # the body's leading: 22 lines fill the type area
PITCH = fonts.GRID_LINE / fonts.GRID_CHARS  # one body character: 28 fill a line

SIZE_TITLE = 22  # 二号
SIZE_BODY = 16  # 三号
SIZE_PAGE_NUMBER = 14  # 四号
SIZE_TABLE = 12  # 小四
SIZE_SMALL = 10.5  # 五号
SIZE_MARK = 7.5  # 六号: the audit mark in the footer
RED = colors.HexColor("#C8161D")


@dataclass(frozen=True)
class Styles:
    fonts: FontSet
    title: ParagraphStyle
    subtitle: ParagraphStyle
    number: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_label: ParagraphStyle
    cell_center: ParagraphStyle
    small: ParagraphStyle
    small_label: ParagraphStyle
    right: ParagraphStyle
    heading: ParagraphStyle
    form_title: ParagraphStyle
    form_subtitle: ParagraphStyle


def styles() -> Styles:
    f = font_set()

    def style(name: str, font: str, size: float, **kw: Any) -> ParagraphStyle:
        kw.setdefault("leading", size * 1.5)
        return ParagraphStyle(name, fontName=font, fontSize=size, wordWrap="CJK", **kw)

    return Styles(
        fonts=f,
        title=style(
            "title",
            f.title,
            SIZE_TITLE,
            alignment=TA_CENTER,
            leading=SIZE_TITLE * 1.6,
            spaceAfter=4 * mm,
        ),
        subtitle=style("subtitle", f.kai, SIZE_BODY, alignment=TA_CENTER),
        number=style("number", f.body, SIZE_BODY, alignment=TA_CENTER, spaceAfter=3 * mm),
        body=style("body", f.body, SIZE_BODY, leading=LINE, firstLineIndent=2 * PITCH),
        cell=style("cell", f.body, SIZE_TABLE, leading=SIZE_TABLE * 1.45),
        cell_label=style(
            "cell_label", f.heading, SIZE_TABLE, leading=SIZE_TABLE * 1.45, alignment=TA_CENTER
        ),
        cell_center=style(
            "cell_center", f.body, SIZE_TABLE, leading=SIZE_TABLE * 1.45, alignment=TA_CENTER
        ),
        small=style("small", f.body, SIZE_SMALL, leading=SIZE_SMALL * 1.4, alignment=TA_LEFT),
        small_label=style(
            "small_label", f.heading, SIZE_SMALL, leading=SIZE_SMALL * 1.4, alignment=TA_CENTER
        ),
        heading=style("heading", f.heading, SIZE_BODY, alignment=TA_CENTER, spaceAfter=2 * mm),
        # Forms carry more fields than a letter: a smaller title block leaves room for them.
        form_title=style("form_title", f.title, 20, alignment=TA_CENTER, leading=26),
        form_subtitle=style("form_subtitle", f.kai, 14, alignment=TA_CENTER, leading=20),
        right=style("right", f.body, SIZE_BODY, alignment=TA_RIGHT, leading=LINE),
    )


def escape(text: object) -> str:
    """Text for a reportlab Paragraph, which reads a small XML dialect."""
    return (
        (str(text) if text is not None else "")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", "<br/>")
    )


def gap(width: int) -> str:
    """Room to write by hand (signature, date): non-breaking spaces, which CJK wrapping keeps
    (it squeezes ordinary and full-width spaces away). Paragraph markup, not escaped text."""
    return "&nbsp;" * width


_LABELS = ("cell_label", "small_label")  # the header and label cells' styles
_CELL_SIDES = 10  # a grid cell's left and right padding


def _label_width(text: str, chars_per_line: int, char_width: float) -> float:
    return chars_per_line * char_width + _CELL_SIDES + 0.5


def _last_line(n: int, per_line: int) -> int:
    return n % per_line or per_line


def _is_label(style: Any) -> bool:
    while style is not None:
        if style.name in _LABELS:
            return True
        style = getattr(style, "parent", None)
    return False


def fit_labels(rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> list[float]:
    """Column widths in which no header or label cell, nor a cell of a short word, wraps one
    character alone ("信用等/级", "序/号", "件数不/足") and no cell has to break a code, time or number ("8:30-17:3/0"): such a column is
    widened just enough (a label to lines of at least two characters, or one line for a label
    of three or fewer), the room taken from the widest column that can spare it. The table
    keeps its width."""
    fitted = list(widths)
    need = [0.0] * len(fitted)
    for row in rows:
        for i, cell in enumerate(row):
            if i >= len(fitted) or not isinstance(cell, Paragraph):
                continue
            text = cell.getPlainText().strip()
            face, size = cell.style.fontName, cell.style.fontSize
            tokens = [m.group() for m in line_breaks.CODE.finditer(text)]
            if tokens:
                widest = max(runs_width(t, face, size) for t in tokens)
                # A code longer than half the table breaks where it must.
                if widest + _CELL_SIDES < sum(widths) / 2:
                    need[i] = max(need[i], widest + _CELL_SIDES + 0.5)
            n = len(text)
            # Labels, and short words in any cell (件数不足): never one character alone.
            if n < 2 or "\n" in text or " " in text or not (_is_label(cell.style) or n <= 6):
                continue
            char = runs_width(text, face, size) / n
            per_line = max(1, int((fitted[i] - _CELL_SIDES) / char + 1e-6))
            if per_line >= n or _last_line(n, per_line) != 1:
                continue  # one line, or no single character on the last
            k = per_line + 1
            while k < n and _last_line(n, k) == 1:
                k += 1
            need[i] = max(need[i], _label_width(text, min(k, n), char))
    for i, wanted in enumerate(need):
        short = wanted - fitted[i]
        if short <= 0:
            continue
        donors = sorted(
            (j for j in range(len(fitted)) if j != i and fitted[j] - short >= max(need[j], 0)),
            key=lambda j: -fitted[j],
        )
        if donors:
            fitted[donors[0]] -= short
            fitted[i] += short
    return fitted


def grid_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    extra: Sequence[tuple[Any, ...]] = (),
    padding: float = 4,
    header_rows: int = 0,  # repeated at the top of each page a long table runs onto
) -> Table:
    widths = fit_labels(rows, widths)
    # A row taller than a page is cut into rows that fit one: a table goes over at row edges.
    data, extra = long_rows.cut(rows, widths, extra, padding, TEXT_HEIGHT)
    table = Table(data, colWidths=widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.75, colors.black),
                # A cell that is no paragraph (an empty one) is still set in the body font, so
                # no page names reportlab's unembedded Helvetica.
                ("FONTNAME", (0, 0), (-1, -1), font_set().body),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), padding),
                ("BOTTOMPADDING", (0, 0), (-1, -1), padding + 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                *extra,
            ]
        )
    )
    return table


class TableTail(Flowable):
    """A long table's last rows, set apart so they go over with what follows (the 落款, the
    signatures): where they start a page, they carry the table's header again, as every
    continued page of a table does."""

    def __init__(
        self,
        header: Sequence[Sequence[Any]],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        extra: Sequence[tuple[Any, ...]] = (),
        padding: float = 4,
    ) -> None:
        super().__init__()
        self._headed = grid_table([*header, *rows], widths, extra, padding, len(header))
        # The header's own style (a grey band) stays on the header; the bare rows take the
        # columns the headed table settled on, so both read as one table with the main one.
        bare = [e for e in extra if not (len(e) > 2 and e[1] == (0, 0) and e[2][1] == 0)]
        self._bare = grid_table(rows, self._headed._colWidths, bare, padding)
        self._table: Table = self._bare

    def _at_page_top(self) -> bool:
        doc = getattr(getattr(self, "canv", None), "_doctemplate", None)
        return bool(getattr(getattr(doc, "frame", None), "_atTop", False))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._table = self._headed if self._at_page_top() else self._bare
        return self._table.wrap(available_width, available_height)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        # Rows no page can hold with what follows go over as the table's rows do.
        self.wrap(available_width, available_height)
        parts: list[Flowable] = self._table.split(available_width, available_height)
        return parts

    def draw(self) -> None:
        self._table.drawOn(self.canv, 0, 0)


def plain_row(cells: Sequence[Any], widths: Sequence[float]) -> Table:
    """One row of fixed columns without lines (a signature line): each part keeps its place
    instead of wrapping after the others."""
    table = Table([list(cells)], colWidths=list(widths))
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font_set().body),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


class CutLine(Flowable):
    """A dashed tear-off line with a caption, for receipts (回执)."""

    def __init__(self, caption: str, font: str) -> None:
        super().__init__()
        self.caption = caption
        self.font = font
        self.height = 10 * mm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        c = self.canv
        y = self.height / 2
        c.setDash(4, 3)
        c.setLineWidth(0.6)
        c.line(-LEFT + 8 * mm, y, self.width + RIGHT - 8 * mm, y)
        c.setDash()
        c.setFont(self.font, SIZE_SMALL)
        label_width = c.stringWidth(self.caption, self.font, SIZE_SMALL) + 6
        c.setFillColor(colors.white)
        c.rect((self.width - label_width) / 2, y - 5, label_width, 10, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.drawCentredString(self.width / 2, y - 3.5, self.caption)


def draw_runs(canvas: Canvas, x: float, y: float, text: str, face: str, size: float) -> float:
    """Draw *text* from (x, y) in *face*, each character in a face that has it; the width."""
    start = x
    for part, name in fonts.runs(text, face):
        canvas.setFont(name, size)
        canvas.drawString(x, y, part)
        x += stringWidth(part, name, size)
    return x - start


def runs_width(text: str, face: str, size: float) -> float:
    return sum(stringWidth(part, name, size) for part, name in fonts.runs(text, face))


class Letterhead(Flowable):
    """版头: the issuing authority's name in red 小标宋, the 发文字号 centred under it and the red
    separator 4 mm below the number, as wide as the type area. With *red* False (a paper issued
    in the centre's own name, no 版头 chosen in 系统设置) the name is set in black and without
    the line, so the number still stands in its place above the title."""

    NAME_SIZE = 26.0  # 小标宋, between 一号 and 小初: a short name fills about half the line

    def __init__(self, name: str, number: str | None, *, red: bool = True) -> None:
        super().__init__()
        self.name = name
        self.number = number or ""
        self.red = red
        st = font_set()
        self.name_face, self.number_face = st.title, st.body
        name_size = self.NAME_SIZE if red else SIZE_BODY
        # A long name shrinks to the line rather than running off it.
        natural = runs_width(name, self.name_face, name_size)
        self.name_size = name_size * min(1.0, TEXT_WIDTH / natural) if natural else name_size
        # 发文机关标志下空二行 for the number; one line under a black name, which is smaller.
        self.gap = 2 * LINE if red else LINE
        # The red line sits 4 mm under the number; without it the title follows directly.
        self.height = self.name_size * 1.3 + (self.gap if self.number else 0)
        if red:
            self.height += 4 * mm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        y = self.height - self.name_size
        c.setFillColor(RED if self.red else colors.black)
        width = runs_width(self.name, self.name_face, self.name_size)
        draw_runs(c, (self.width - width) / 2, y, self.name, self.name_face, self.name_size)
        c.setFillColor(colors.black)
        line_y = 0.0
        if self.number:
            # 发文机关标志下空二行: the number on the second line below the name.
            base = y - self.name_size * 0.3 - self.gap + (LINE - SIZE_BODY) / 2
            width = runs_width(self.number, self.number_face, SIZE_BODY)
            draw_runs(c, (self.width - width) / 2, base, self.number, self.number_face, SIZE_BODY)
            line_y = base - 4 * mm
        if self.red:
            c.setStrokeColor(RED)
            c.setLineWidth(1.0)
            c.line(0, max(line_y, 0.5), self.width, max(line_y, 0.5))
        c.restoreState()


def title_block(title: str, *, blank_lines_before: int = 2) -> list[Flowable]:
    """The title: 二号 小标宋, centred, two lines below the red separator (or the 版头)."""
    st = styles()
    return [
        Spacer(1, LINE * blank_lines_before - SIZE_TITLE * 0.6),
        Paragraph(escape(title), st.title),
    ]


class SignatureBlock(Flowable):
    """署名 and 成文日期 after GB/T 9704 7.3.5: the date four characters in from the right
    (右空四字), the name centred over the date, and two blank lines above for the seal, which
    presses on both (its top within a line of the text above). Where the page lacks up to a
    line for the block kept with the text's last lines, the room above closes to one line
    rather than the block going over (the standard's 调整行距 for a signature that does not fit):
    see :func:`_fit_signature`."""

    SEAL_LINES = 2.0
    MIN_SEAL_LINES = 1.0

    def __init__(self, name: str, day: date | None) -> None:
        super().__init__()
        self.name = name
        # No day yet (a plan before its approval): the date is left to write by hand.
        self.date_text = (
            timeutil.chinese_date(day)
            if day
            else "\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"
        )
        self.face = font_set().body
        self.seal_lines = self.SEAL_LINES
        self.height = LINE * (self.seal_lines + 2)

    def shrink(self, by: float) -> float:
        """Close the room above by up to *by* points; how much it closed."""
        closed = min(by, (self.seal_lines - self.MIN_SEAL_LINES) * LINE)
        self.seal_lines -= closed / LINE
        self.height = LINE * (self.seal_lines + 2)
        return closed

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def positions(self) -> tuple[float, float]:
        """x of the name and of the date."""
        date_width = runs_width(self.date_text, self.face, SIZE_BODY)
        date_x = self.width - 4 * PITCH - date_width
        name_width = runs_width(self.name, self.face, SIZE_BODY)
        name_x = date_x + (date_width - name_width) / 2
        # A name longer than the date keeps two characters in from the right (右空二字).
        return min(name_x, self.width - 2 * PITCH - name_width), date_x

    def draw(self) -> None:
        name_x, date_x = self.positions()
        base = (LINE - SIZE_BODY) / 2 + SIZE_BODY * 0.12
        draw_runs(self.canv, name_x, LINE + base, self.name, self.face, SIZE_BODY)
        draw_runs(self.canv, date_x, base, self.date_text, self.face, SIZE_BODY)


_keep_split = KeepTogether.split


def _fit_signature(self: KeepTogether, aW: float, aH: float) -> list[Flowable]:
    """KeepTogether.split, but a block ending in a signature that misses the page by no more
    than its seal room can spare closes that room and stays."""
    if getattr(self, "_wrapInfo", None) != (aW, aH):
        self.wrap(aW, aH)
    over = self._H - aH
    signatures = [f for f in self._content if isinstance(f, SignatureBlock)]
    if over > 0 and signatures:
        block = signatures[-1]
        if over <= (block.seal_lines - block.MIN_SEAL_LINES) * LINE:
            block.shrink(over + 0.01)
            self.wrap(aW, aH)
    return _keep_split(self, aW, aH)


KeepTogether.split = _fit_signature

_size_string = doctemplate._fSizeString


def _sized(flowable: Any) -> str:
    """reportlab's size of a flowable that failed, for its LayoutError's message: a table part
    never wrapped fails in measuring itself (a TypeError), which would hide the LayoutError
    that :func:`build_pdf` turns into a message."""
    try:
        return str(_size_string(flowable))
    except Exception:
        return ""


doctemplate._fSizeString = _sized


def attachment_note(names: Sequence[str]) -> list[Flowable]:
    """附件说明 (GB/T 9704 7.3.4): a blank line below the text, then 附件： two characters in;
    several are numbered 1．2．… and stand one under another."""
    if not names:
        return []
    st = styles()
    # The items hang after 附件： (three characters), two characters in from the left.
    style = ParagraphStyle("attachment", parent=st.body, leftIndent=5 * PITCH, firstLineIndent=0)
    items = (
        [escape(names[0])]
        if len(names) == 1
        else [f"{n}．{escape(name)}" for n, name in enumerate(names, 1)]
    )
    first = ParagraphStyle("attachment-first", parent=style, firstLineIndent=-3 * PITCH)
    out: list[Flowable] = [Spacer(1, LINE), Paragraph(f"附件：{items[0]}", first)]
    out += [Paragraph(item, style) for item in items[1:]]
    return out


class Imprint(Flowable):
    """版记 at the foot of the last page (GB/T 9704 7.4): 抄送 and then 印发机关 with 印发日期,
    in 四号, one character in from each side, between a thick first and last line (0.35 mm)
    with thin lines (0.25 mm) between its rows. It takes the rest of the page, so it sits at the
    bottom of whatever page it lands on."""

    SIZE = SIZE_PAGE_NUMBER  # 四号
    ROW = 7 * mm

    def __init__(
        self, copy_to: Sequence[str], printed_by: str, printed_on: date, *, fill: bool = True
    ) -> None:
        super().__init__()
        self.copy_to = "，".join(copy_to)
        self.printed_by = printed_by
        self.printed_on = f"{timeutil.chinese_date(printed_on)}印发"
        self.rows = 2 if self.copy_to else 1
        self.face = font_set().body
        self.needed = self.rows * self.ROW + 1
        self.height = self.needed
        # A paper with a tear-off receipt keeps its 版记 above the cut line, not at the foot.
        self.fill = fill

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        # Kept together with the signature, it is first measured against no page at all.
        on_page = self.fill and available_height < PAGE_HEIGHT
        self.height = max(self.needed, available_height - 0.01) if on_page else self.needed
        return available_width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(colors.black)
        indent = self.SIZE
        y = 0.0
        c.setLineWidth(0.35 * mm)
        c.line(0, y, self.width, y)
        base = (self.ROW - self.SIZE) / 2 + self.SIZE * 0.12
        draw_runs(c, indent, y + base, self.printed_by, self.face, self.SIZE)
        right = runs_width(self.printed_on, self.face, self.SIZE)
        draw_runs(c, self.width - indent - right, y + base, self.printed_on, self.face, self.SIZE)
        y += self.ROW
        if self.copy_to:
            c.setLineWidth(0.25 * mm)
            c.line(0, y, self.width, y)
            text = f"抄送：{self.copy_to}。"
            draw_runs(c, indent, y + base, text, self.face, self.SIZE)
            y += self.ROW
        c.setLineWidth(0.35 * mm)
        c.line(0, y, self.width, y)
        c.restoreState()


@dataclass(frozen=True)
class PageDecor:
    """What every page carries besides the flowables: page number, watermark, author."""

    title: str
    watermark: str | None = None  # e.g. 样稿 for a paper without a registered number
    # Forms (调度单, 回执, 检查记录表) are not 公文 body text: tighter top and bottom margins
    # let an order and its tear-off receipt share one page.
    form: bool = False
    # A form that runs over a page says on each later page what it continues (指挥调度单
    # 梅执指派〔2026〕15号（续）), so a loose second sheet is never a page of nothing.
    continued: str | None = None
    # A numbered paper's footer names where the audit log stood when it was printed
    # (审计 12345·3fa9c2e1, ``audit_evidence.chain_position``): a paper and the log vouch for
    # each other.
    audit: str | None = None

    @property
    def top(self) -> float:
        return 20 * mm if self.form else TOP

    @property
    def bottom(self) -> float:
        return 22 * mm if self.form else BOTTOM


def audit_mark(position: tuple[int, str]) -> str:
    count, short_hash = position
    return f"审计 {count}·{short_hash}"


def _decorate(decor: PageDecor, fonts_: FontSet) -> Any:
    def on_page(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        page = doc.page
        text = f"— {page} —"
        canvas.setFont(fonts_.body, SIZE_PAGE_NUMBER)
        y = decor.bottom - 7 * mm - SIZE_PAGE_NUMBER
        if page % 2:
            canvas.drawRightString(PAGE_WIDTH - RIGHT - SIZE_PAGE_NUMBER, y, text)
        else:
            canvas.drawString(LEFT + SIZE_PAGE_NUMBER, y, text)
        if decor.audit:
            # On the inner side, opposite the page number, small and grey.
            canvas.setFillColor(colors.Color(0.35, 0.35, 0.35))
            canvas.setFont(fonts_.body, SIZE_MARK)
            if page % 2:
                canvas.drawString(LEFT + SIZE_PAGE_NUMBER, y, decor.audit)
            else:
                canvas.drawRightString(PAGE_WIDTH - RIGHT - SIZE_PAGE_NUMBER, y, decor.audit)
            canvas.setFillColor(colors.black)
        if decor.continued and page > 1:
            head = f"{decor.continued}（续）"
            width = runs_width(head, fonts_.body, SIZE_SMALL)
            draw_runs(
                canvas,
                PAGE_WIDTH - RIGHT - width,
                PAGE_HEIGHT - decor.top + 4 * mm,
                head,
                fonts_.body,
                SIZE_SMALL,
            )
        if decor.watermark:
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.15))
            canvas.setFont(fonts_.heading, 96)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, decor.watermark)
        canvas.restoreState()

    return on_page


# Characters the last paper built in each file lost (no face has them), for the preview to say.
_LOST: dict[Path, frozenset[str]] = {}


def lost_characters(path: Path) -> frozenset[str]:
    """Characters that print as empty boxes in the paper at *path*, as built in this process."""
    return _LOST.get(Path(path), frozenset())


def lost_message(chars: frozenset[str] | set[str]) -> str:
    return (
        f"本文书中有 {len(chars)} 个字符（{fonts.code_points(chars)}）在本机所有字体中都没有字形，"
        "打印出来将是空白方框。请安装含该字符的字体（如 Windows 的 SimSun-ExtB），"
        "或打印后手写补齐。"
    )


def layout_failure_message(title: str) -> str:
    """What the operator is told where a paper cannot be laid out: which paper (its title
    without the number), and what to do."""
    name = title.split(" ", 1)[0] or title
    return f"《{name}》无法排版：某一栏或某一段内容过长，一页纸排不下。请精简过长的内容后重试。"


def build_pdf(path: Path, story: list[Flowable], decor: PageDecor, *, author: str = "") -> Path:
    """Typeset *story* on GB/T 9704 pages into *path*, atomically."""
    fonts_ = font_set()
    # Charts start from reportlab's default state, whose font is Helvetica: start them in ours.
    shapes.STATE_DEFAULTS["fontName"] = fonts_.body
    height = PAGE_HEIGHT - decor.top - decor.bottom
    # No padding: reportlab's default 6 pt on each side made the line 151.8 mm, 26 characters.
    frame = Frame(
        LEFT,
        decor.bottom,
        TEXT_WIDTH,
        height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="type-area",
    )
    hook = _decorate(decor, fonts_)
    lost: set[str] = set()

    class Checked(Canvas):
        def save(self) -> None:
            # Read before saving: writing the fonts out drops what their subsets held.
            lost.update(fonts.lost_in(self._doc))
            super().save()

    with atomic_path(path) as temp:
        doc = BaseDocTemplate(
            str(temp),
            pagesize=A4,
            topMargin=decor.top,
            bottomMargin=decor.bottom,
            leftMargin=LEFT,
            rightMargin=RIGHT,
            title=decor.title,
            author=author,
            creator=APP_NAME,
            subject=decor.title,
            # Each page starts in the body font, not reportlab's Helvetica: a font a page names
            # but never embeds is flagged by archive and preflight checks, though unused.
            initialFontName=fonts_.body,
            pageTemplates=[PageTemplate("page", [frame], onPage=hook)],
        )
        try:
            doc.build(story, canvasmaker=Checked)
        except LayoutError:
            # A part no page can hold, for a cause no layout foresaw. Nothing reaches *path*
            # (the temporary file goes); the log leaves out reportlab's message, which quotes
            # the text (a person's name, an address).
            log.warning("paper %s could not be laid out", path.name)
            raise ValidationError(layout_failure_message(decor.title)) from None
    _LOST[Path(path)] = frozenset(lost)
    if lost:
        # The code points only: the text around them may be a person's name.
        log.warning(
            "paper %s prints %s as empty boxes: no font has them",
            path.name,
            fonts.code_points(lost),
        )
    return path
