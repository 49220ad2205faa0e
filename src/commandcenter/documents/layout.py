"""Page and type after GB/T 9704-2012, and the pieces every paper shares.

A4; top margin 37 mm, left 28 mm (the standard's type area of 156 x 225 mm); title in 二号
(22 pt) in the title face; body in 三号 (16 pt) FangSong; page numbers in 四号 as "— 1 —",
odd pages right and even pages left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.graphics import shapes
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle

from commandcenter import APP_NAME
from commandcenter.documents import line_breaks
from commandcenter.documents.fonts import FontSet, font_set
from commandcenter.fileio import atomic_path

line_breaks.install()  # no line starts with Chinese closing punctuation

PAGE_WIDTH, PAGE_HEIGHT = A4
TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT  # 156 mm

SIZE_TITLE = 22  # 二号
SIZE_BODY = 16  # 三号
SIZE_PAGE_NUMBER = 14  # 四号
SIZE_TABLE = 12  # 小四
SIZE_SMALL = 10.5  # 五号
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
        body=style("body", f.body, SIZE_BODY, leading=28.9, firstLineIndent=2 * SIZE_BODY),
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
        right=style("right", f.body, SIZE_BODY, alignment=TA_RIGHT),
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


def grid_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    extra: Sequence[tuple[Any, ...]] = (),
    padding: float = 4,
    header_rows: int = 0,  # repeated at the top of each page a long table runs onto
) -> Table:
    table = Table(list(rows), colWidths=list(widths), repeatRows=header_rows)
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

    @property
    def top(self) -> float:
        return 20 * mm if self.form else TOP

    @property
    def bottom(self) -> float:
        return 22 * mm if self.form else BOTTOM


def _decorate(decor: PageDecor, fonts: FontSet) -> Any:
    def on_page(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        page = doc.page
        text = f"— {page} —"
        canvas.setFont(fonts.body, SIZE_PAGE_NUMBER)
        y = decor.bottom - 7 * mm - SIZE_PAGE_NUMBER
        if page % 2:
            canvas.drawRightString(PAGE_WIDTH - RIGHT - SIZE_PAGE_NUMBER, y, text)
        else:
            canvas.drawString(LEFT + SIZE_PAGE_NUMBER, y, text)
        if decor.continued and page > 1:
            canvas.setFont(fonts.body, SIZE_SMALL)
            canvas.drawRightString(
                PAGE_WIDTH - RIGHT, PAGE_HEIGHT - decor.top + 4 * mm, f"{decor.continued}（续）"
            )
        if decor.watermark:
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.15))
            canvas.setFont(fonts.heading, 96)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, decor.watermark)
        canvas.restoreState()

    return on_page


def build_pdf(path: Path, story: list[Flowable], decor: PageDecor, *, author: str = "") -> Path:
    """Typeset *story* on GB/T 9704 pages into *path*, atomically."""
    fonts = font_set()
    # Charts start from reportlab's default state, whose font is Helvetica: start them in ours.
    shapes.STATE_DEFAULTS["fontName"] = fonts.body
    with atomic_path(path) as temp:
        doc = SimpleDocTemplate(
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
            initialFontName=fonts.body,
        )
        hook = _decorate(decor, fonts)
        doc.build(story, onFirstPage=hook, onLaterPages=hook)
    return path
