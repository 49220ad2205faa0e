"""办结回复单: what the reporter was told when the incident closed, how and by whom, on one
form for the file (and for the work order's source, where it asks for paper)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.documents.layout import (
    TEXT_WIDTH,
    PageDecor,
    build_pdf,
    escape,
    gap,
    grid_table,
    styles,
)
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import progress, replies
from commandcenter.services.incidents.replies import ReplyView


def load(session: Session, actor: Actor, incident_id: int) -> ReplyView:
    return replies.for_paper(session, actor, incident_id)


def _story(view: ReplyView) -> list[Flowable]:
    st = styles()
    label_w = 26 * mm
    half = (TEXT_WIDTH - 2 * label_w) / 2

    def label(text: str) -> Paragraph:
        return Paragraph(escape(text), st.cell_label)

    def cell(text: object) -> Paragraph:
        return Paragraph(escape(text), st.cell)

    source = view.source + (f"\n{view.channel_ref}" if view.channel_ref else "")
    satisfaction = (
        f"{view.satisfaction} 分 {progress.SATISFACTION[view.satisfaction]}"
        if view.satisfaction
        else "未回访"
    )
    rows = [
        [label("事件编号"), cell(view.incident_number), label("来源工单"), cell(source)],
        [label("事件名称"), cell(view.title), "", ""],
        [
            label("反映人"),
            cell(view.reporter or "（未留）"),
            label("承办单位"),
            cell(view.lead_unit),
        ],
        [
            label("受理时间"),
            cell(timeutil.format_local(view.received_at)),
            label("办结时间"),
            cell(timeutil.format_local(view.closed_at)),
        ],
        [label("办理结果"), cell(view.outcome), label("回访满意度"), cell(satisfaction)],
        [
            label("回复方式"),
            cell(view.channel),
            label("回复时间"),
            cell(timeutil.format_local(view.replied_at)),
        ],
        [label("回复内容"), cell(view.text), "", ""],
        [label("回复人"), cell(view.replied_by), label("审核人"), Paragraph(gap(2), st.cell)],
    ]
    table = grid_table(
        rows,
        [label_w, half, label_w, half],
        extra=[
            ("SPAN", (1, 1), (3, 1)),
            ("SPAN", (1, 6), (3, 6)),
            ("VALIGN", (1, 6), (3, 6), "TOP"),
        ],
        padding=5,
    )
    return [
        Paragraph(escape(view.centre_name), st.form_subtitle),
        Paragraph("办结回复单", st.form_title),
        Spacer(1, 5 * mm),
        table,
        Spacer(1, 8 * mm),
        KeepTogether(
            [
                Paragraph(escape(view.centre_name), st.right),
                Paragraph(
                    escape(timeutil.chinese_date(timeutil.local_date(view.replied_at))), st.right
                ),
            ]
        ),
    ]


def render(view: ReplyView, path: Path) -> Path:
    return build_pdf(
        path,
        _story(view),
        PageDecor(title=f"办结回复单 {view.incident_number}"),
        author=view.centre_name,
    )


def print_reply(session: Session, actor: Actor, incident_id: int, path: Path) -> Path:
    return render(load(session, actor, incident_id), path)
