"""日碰头清单 and 周例会材料 on paper: the figures in a grid, then each section as a table.

These are working papers for a meeting, not letters: a form title and small type, so a long
overdue list stays a few pages.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.documents.layout import (
    RED,
    TEXT_WIDTH,
    PageDecor,
    build_pdf,
    escape,
    grid_table,
    styles,
)
from commandcenter.services import briefings
from commandcenter.services.actor import Actor
from commandcenter.services.briefings import Briefing, Section
from commandcenter.services.statistics import Period

# Fixed widths by header; the one flexible column (the case, the task, the operation) takes
# what is left.
_WIDTHS = {
    "编号": 24 * mm,
    "主办单位": 22 * mm,
    "状态": 15 * mm,
    "办理期限": 27 * mm,
    "剩余时间": 34 * mm,
    "会议": 18 * mm,
    "责任单位": 22 * mm,
    "责任人": 14 * mm,
    "完成时限": 24 * mm,
    "最新进展": 36 * mm,
    "日期": 21 * mm,
    "时间": 12 * mm,
    "牵头单位": 24 * mm,
    "排名": 14 * mm,
    "单位": 32 * mm,
    "承办": 14 * mm,
    "办结": 14 * mm,
    "按期办结率": 22 * mm,
    "超期": 12 * mm,
    "件数": 12 * mm,
    "退回": 12 * mm,
    "红绿榜": 16 * mm,
}
_FLAG_COLOURS = {
    "overdue": colors.HexColor("#FDECEA"),
    "due_soon": colors.HexColor("#FFF6DA"),
    "red": colors.HexColor("#FDE3E3"),
    "green": colors.HexColor("#E4F3E8"),
}


def _widths(headers: tuple[str, ...]) -> list[float]:
    fixed = sum(_WIDTHS.get(h, 0) for h in headers)
    flexible = [h for h in headers if h not in _WIDTHS]
    share = (TEXT_WIDTH - fixed) / len(flexible) if flexible else 0
    widths = [_WIDTHS.get(h, share) for h in headers]
    if not flexible:  # stretch the fixed columns to the full width
        widths = [w * TEXT_WIDTH / fixed for w in widths]
    return widths


def _section(section: Section, n: int) -> list[Flowable]:
    s = styles()
    heading = ParagraphStyle(
        "sec", parent=s.cell, fontName=s.fonts.heading, fontSize=13, leading=20
    )
    cell = ParagraphStyle("bcell", parent=s.cell, fontSize=9.5, leading=13)
    label = ParagraphStyle("blabel", parent=s.small_label, fontSize=9.5, leading=13)
    numerals = "一二三四五六七八九十"
    title = f"{numerals[n] if n < len(numerals) else n + 1}、{section.title}（{section.count}）"
    # A heading never ends a page: start the section on the next one when little room is left.
    parts: list[Flowable] = [CondPageBreak(30 * mm), Paragraph(escape(title), heading)]
    if section.note:
        parts.append(Paragraph(escape(section.note), cell))
    if not section.rows:
        parts.append(Paragraph("无。", cell))
        return [*parts, Spacer(1, 3 * mm)]
    rows = [[Paragraph(escape(h), label) for h in section.headers]]
    rows += [[Paragraph(escape(v), cell) for v in row] for row in section.rows]
    shading = [
        ("BACKGROUND", (0, r), (-1, r), _FLAG_COLOURS[flag])
        for r, flag in enumerate(section.flags, start=1)
        if flag in _FLAG_COLOURS
    ]
    table = grid_table(
        rows,
        _widths(section.headers),
        [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF1F5")), *shading],
        padding=1.5,
    )
    table.repeatRows = 1
    return [*parts, table, Spacer(1, 4 * mm)]


def _story(b: Briefing) -> list[Flowable]:
    st = styles()
    meta = ParagraphStyle("bmeta", parent=st.form_subtitle, fontSize=12, leading=18)
    cell = ParagraphStyle("fig", parent=st.cell, fontSize=11, leading=16)
    label = ParagraphStyle("figl", parent=st.small_label, fontSize=11, leading=16)
    story: list[Flowable] = [
        Paragraph(escape(b.title), st.form_title),
        Paragraph(escape(b.centre_name), meta),
        Paragraph(
            escape(
                f"{b.period.text if b.kind == '周例会' else b.period.label}"
                f"　　生成于 {timeutil.format_local(b.made_at)}"
            ),
            meta,
        ),
        Spacer(1, 3 * mm),
    ]
    pairs = list(b.figures) + [("", "")] * (len(b.figures) % 2)
    rows = [
        [
            Paragraph(escape(pairs[k][0]), label),
            Paragraph(escape(pairs[k][1]), cell),
            Paragraph(escape(pairs[k + 1][0]), label),
            Paragraph(escape(pairs[k + 1][1]), cell),
        ]
        for k in range(0, len(pairs), 2)
    ]
    w = TEXT_WIDTH
    story += [
        grid_table(
            rows,
            [w * 0.19, w * 0.31, w * 0.19, w * 0.31],
            [
                ("TEXTCOLOR", (0, 0), (-1, -1), colors.black),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, RED),
            ],
            padding=2,
        ),
        Spacer(1, 5 * mm),
    ]
    for n, section in enumerate(b.sections):
        story += _section(section, n)
    return story


def render(b: Briefing, path: Path) -> Path:
    return build_pdf(
        path,
        _story(b),
        PageDecor(title=b.title, form=True, continued=b.title),
        author=b.centre_name,
    )


def print_daily(session: Session, actor: Actor, path: Path) -> Path:
    return render(briefings.daily_for_paper(session, actor), path)


def print_weekly(session: Session, actor: Actor, week: Period, path: Path) -> Path:
    return render(briefings.weekly_for_paper(session, actor, week), path)
