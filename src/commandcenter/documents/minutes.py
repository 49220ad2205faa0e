"""会议纪要: the meeting, how earlier agreed items stood on its day, and what it agreed.

The layout follows the 纪要 habit of government offices: a red title line, the issuing centre and
date, an opening paragraph naming chair and place, then the numbered parts, and at the foot the
attendees (参会人员, chosen from the roster and liaisons or typed) and who recorded it. The items
are tables rather than prose so that a responsible unit finds its own line at a glance.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer
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
from commandcenter.services import meeting_attendees, meetings, settings
from commandcenter.services.actor import Actor
from commandcenter.services.meetings import ItemLine, MeetingDetail
from commandcenter.services.meetings import find_meeting as find_meeting  # the CLI's way in


def _date(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _story(centre: str, m: MeetingDetail) -> list[Flowable]:
    st = styles()
    red_title = ParagraphStyle("red_title", parent=st.title, textColor=RED)
    meta = ParagraphStyle("meta", parent=st.number, alignment=TA_CENTER, spaceAfter=1 * mm)
    heading = ParagraphStyle("part", parent=st.body, fontName=st.fonts.heading, firstLineIndent=32)
    cell, label, center = st.cell, st.small_label, st.cell_center
    small = ParagraphStyle("small_cell", parent=st.cell, fontSize=10.5, leading=15)

    def p(text: str, style: ParagraphStyle = st.body) -> Paragraph:
        return Paragraph(escape(text), style)

    held = timeutil.to_local(m.held_at)
    when = f"{timeutil.chinese_date(held.date())}{'上午' if held.hour < 12 else '下午'}"
    opening = f"{when}，"
    opening += f"{m.chair}在{m.place}主持召开{m.title}。" if m.chair and m.place else ""
    if not (m.chair and m.place):
        opening += f"召开{m.title}。"
    opening += "现将会议主要精神和议定事项纪要如下："

    story: list[Flowable] = [
        Paragraph(escape(f"{m.title}纪要"), red_title),
        p(f"{centre}　{timeutil.chinese_date(held.date())}", meta),
        HRFlowable(width="100%", thickness=1.5, color=RED, spaceBefore=1 * mm, spaceAfter=5 * mm),
        p(opening),
    ]
    for para in (m.minutes or "").splitlines():
        if para.strip():
            story.append(p(para.strip()))

    part = 1
    numerals = "一二三四五"
    if m.carried:
        story.append(p(f"{numerals[part - 1]}、上次会议议定事项落实情况", heading))
        part += 1
        done = sum(1 for i in m.carried if i.status.value == "done")
        late = sum(1 for i in m.carried if i.overdue_on(held.date()))
        story.append(
            p(
                f"截至会前，前期议定事项 {len(m.carried)} 项，已完成 {done} 项"
                + (f"，逾期未完成 {late} 项，请责任单位说明原因并限期销号。" if late else "。")
            )
        )
        rows: list[list[object]] = [
            [Paragraph(h, label) for h in ("序号", "议定事项", "责任单位", "完成时限", "落实情况")]
        ]
        for n, item in enumerate(m.carried, start=1):
            state = item.state_text
            if item.overdue_on(held.date()) and item.status.value == "open":
                state = "逾期未完成"
            progress = f"{state}。{item.progress}" if item.progress else state
            rows.append(
                [
                    Paragraph(str(n), center),
                    Paragraph(escape(f"{item.task}（{_date(item.held_on)}会议）"), small),
                    Paragraph(escape(item.unit), small),
                    Paragraph(escape(item.deadline.isoformat()), small),
                    Paragraph(escape(progress), small),
                ]
            )
        w = TEXT_WIDTH
        story.append(
            grid_table(
                rows,
                [12 * mm, w * 0.33, 26 * mm, 24 * mm, w - 62 * mm - w * 0.33],
                padding=2,
                header_rows=1,
            )
        )

    story += [Spacer(1, 3 * mm), p(f"{numerals[part - 1]}、会议议定事项", heading)]
    if m.items:
        rows = [
            [
                Paragraph(h, label)
                for h in ("序号", "工作任务", "工作标准", "责任单位", "责任人", "完成时限")
            ]
        ]
        rows += [_item_row(n, item, center, small) for n, item in enumerate(m.items, start=1)]
        w = TEXT_WIDTH
        story.append(
            grid_table(
                rows,
                [12 * mm, w * 0.3, w * 0.7 - 78 * mm, 26 * mm, 16 * mm, 24 * mm],
                padding=2,
                header_rows=1,
            )
        )
        story.append(
            p("请各责任单位按时限推进，每周向指挥中心报告进展，完成后报指挥中心复核销号。")
        )
    else:
        story.append(p("本次会议未形成新的议定事项。"))
    # Who attended and who recorded, between the rules at the foot, kept together on one page.
    foot = ParagraphStyle("foot", parent=cell, fontSize=12, leading=19)
    attended = meeting_attendees.split(m.attendees)
    story += [
        Spacer(1, 8 * mm),
        KeepTogether(
            [
                HRFlowable(width="100%", thickness=0.75, color=RED, spaceAfter=2 * mm),
                *(
                    [p(f"参会人员（{len(attended)}）：{'、'.join(attended)}", foot)]
                    if attended
                    else []
                ),
                p(f"记录：{m.recorded_by}", foot),
            ]
        ),
    ]
    return story


def _item_row(
    n: int, item: ItemLine, center: ParagraphStyle, small: ParagraphStyle
) -> list[object]:
    return [
        Paragraph(str(n), center),
        Paragraph(escape(item.task), small),
        Paragraph(escape(item.standard), small),
        Paragraph(escape(item.unit), small),
        Paragraph(escape(item.responsible_person), small),
        Paragraph(escape(item.deadline.isoformat()), small),
    ]


def print_minutes(session: Session, actor: Actor, meeting_id: int, path: Path) -> Path:
    detail = meetings.detail_for_minutes(session, actor, meeting_id)
    centre = settings.load(session).centre_name
    title = f"{detail.title}纪要"
    return build_pdf(path, _story(centre, detail), PageDecor(title=title), author=centre)
