"""指挥调度单: the dispatch order with its tear-off receipt (签收回执).

The first-responsible operator is named on it (R4); auxiliary staff are marked as such (R10);
the reporter's personal data is masked. An order without a registered number prints as a
specimen (样稿) so an unnumbered paper can never pass for a real one, and an order that no longer
stands (replaced by a later one, taken back, or its incident transferred) prints as 作废.
A major-decision incident's order shows the leader's approval: who, when and the opinion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import AssignmentRole, UnitRole
from commandcenter.documents import subset_cache
from commandcenter.documents.fonts import font_set
from commandcenter.documents.form_grid import Cell, CentredLine, FormGrid, Lines, Text
from commandcenter.documents.layout import (
    TEXT_WIDTH,
    CutLine,
    PageDecor,
    audit_mark,
    build_pdf,
    escape,
    gap,
    styles,
)
from commandcenter.services import audit_evidence, masking, settings
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import paper_records, parts

subset_cache.install()  # inert but within subset_cache.kept


@dataclass(frozen=True)
class Officer:
    name: str
    unit: str
    certificate: str
    auxiliary: bool


@dataclass(frozen=True)
class DispatchOrder:
    centre_name: str
    number: str | None
    incident_number: str
    received_at: datetime
    channel: str
    channel_ref: str | None
    title: str
    description: str
    address: str
    grid: str
    reporter: str
    item: str
    legal_basis: str
    list_type: str
    route: str
    lead_unit: str
    co_units: list[str]
    officers: list[Officer]
    deadline_at: datetime | None
    deadline_uncertain: bool
    priority: str
    first_responsible: str
    dispatched_at: datetime | None
    requirements: str = ""
    approved_by: str = ""  # the leader who approved a major incident's dispatch
    approved_at: datetime | None = None
    audit: str = ""  # where the audit log stood (审计 12345·3fa9c2e1), for the footer
    # Each co-operating unit's part as it stands (签收, 反馈, 免除), one line per unit.
    part_lines: tuple[str, ...] = ()
    approval_note: str = ""  # the leader's opinion, "同意派单：…"
    void: str = ""  # why the order no longer stands (作废), "" while it does


def load(
    session: Session, actor: Actor, incident_id: int, number: str | None = None
) -> DispatchOrder:
    """The incident's order: its latest, or the one numbered *number* (an earlier order is
    printed as 作废, replaced by the latest)."""
    incident = paper_records.incident_for_dispatch_order(session, actor, incident_id)
    centre = settings.load(session)
    numbers = paper_records.dispatch_numbers(session, incident.id)
    number = (number or "").strip()
    number = number if number in numbers else (numbers[-1] if numbers else None)
    officers = []
    for a in sorted(
        incident.assignments, key=lambda a: (a.role is AssignmentRole.AUXILIARY, a.person.name)
    ):
        person = a.person
        cert = a.certificate_number or next((c.number for c in person.certificates), "")
        officers.append(
            Officer(
                person.name,
                person.unit.short_name,
                "" if a.role is AssignmentRole.AUXILIARY else cert,
                a.role is AssignmentRole.AUXILIARY or person.is_auxiliary,
            )
        )
    reporter = ""
    if incident.reporter_name or incident.reporter_phone:
        reporter = f"{masking.mask_name(incident.reporter_name)} {masking.mask_phone(incident.reporter_phone)}"
    item = incident.item
    return DispatchOrder(
        centre_name=centre.centre_name,
        audit=audit_mark(audit_evidence.chain_position(session)),
        number=number,
        incident_number=incident.number,
        received_at=incident.received_at,
        channel=incident.channel.label,
        channel_ref=incident.channel_ref,
        title=incident.title,
        description=incident.description,
        address=incident.address or "",
        grid=incident.grid.name if incident.grid else "",
        reporter=reporter.strip(),
        item=f"{item.code} {item.name}" if item else "（未研判）",
        legal_basis=(item.legal_basis or "") if item else "",
        list_type=item.list_type.label if item else "",
        route=incident.route.label if incident.route else "",
        lead_unit=next(
            (u.unit.name for u in incident.units if u.role is UnitRole.LEAD),
            incident.lead_unit.name if incident.lead_unit else "",
        ),
        co_units=[u.unit.name for u in incident.units if u.role is UnitRole.CO],
        officers=officers,
        deadline_at=incident.deadline_at,
        deadline_uncertain=incident.deadline_uncertain,
        priority=incident.priority.label,
        first_responsible=incident.registered_by.display_name,
        dispatched_at=incident.dispatched_at,
        requirements=incident.requirements or "",
        approved_by=(
            incident.dispatch_approved_by.display_name if incident.dispatch_approved_by else ""
        ),
        approved_at=incident.dispatch_approved_at,
        part_lines=tuple(part.line for part in parts.parts_of(session, incident)),
        approval_note=paper_records.dispatch_approval_note(session, incident),
        void=paper_records.dispatch_order_void(session, incident, number),
    )


def _story(order: DispatchOrder) -> list[Flowable]:
    st = styles()

    def p(text: object, style: ParagraphStyle = st.cell) -> Text:
        return Text(str(text) if text is not None else "", style)

    def label(text: str) -> Text:
        return Text(text, st.cell_label)

    officers = (
        "；".join(
            f"{o.name}（{o.unit}，{'【协勤】不计入执法人员' if o.auxiliary else '执法证号 ' + o.certificate}）"
            for o in order.officers
        )
        or "（待指派）"
    )
    deadline = timeutil.format_local(order.deadline_at) if order.deadline_at else "（待研判）"
    if order.deadline_uncertain:
        deadline += "（跨越未载入节假日安排的年度，期限待核）"
    source = order.channel + (f"（{order.channel_ref}）" if order.channel_ref else "")
    approval = "<br/>"
    if order.approved_by:
        opinion = order.approval_note.removeprefix("同意派单").lstrip("：") or "同意"
        approval = (
            escape(
                f"重大执法决定事件，{order.approved_by}于 {timeutil.format_local(order.approved_at)} "
                f"审批同意。审批意见：{opinion}"
            )
            + "<br/>"
        )
    w = TEXT_WIDTH
    lw = 26 * mm
    rows: list[list[Cell]] = [
        [
            label("事件编号"),
            p(order.incident_number),
            label("受理时间"),
            p(timeutil.format_local(order.received_at)),
        ],
        [label("来源渠道"), p(source), label("紧急程度"), p(order.priority)],
        [label("事件名称"), p(order.title), "", ""],
        [
            label("事发地点"),
            p(f"{order.address}（{order.grid}）" if order.grid else order.address),
            "",
            "",
        ],
        [label("事件描述"), p(order.description), "", ""],
        [label("执法事项"), p(order.item), "", ""],
        [label("法律依据"), p(order.legal_basis or "—"), "", ""],
        [label("清单类别"), p(order.list_type), label("处置路径"), p(order.route)],
        [
            label("主办单位"),
            p(order.lead_unit),
            label("协办单位"),
            Lines(
                order.part_lines,
                st.cell,
                "<br/>".join(escape(line) for line in order.part_lines),
            )
            if order.part_lines
            else p("、".join(order.co_units) or "无"),
        ],
        [label("执法人员"), p(officers), "", ""],
        [
            label("办理要求"),
            p(order.requirements or "按规定时限依法处置，及时反馈办理结果。"),
            "",
            "",
        ],
        [label("办理期限"), p(deadline), label("反映人"), p(order.reporter or "无")],
        [
            label("首问负责人"),
            p(order.first_responsible),
            label("派单时间"),
            p(timeutil.format_local(order.dispatched_at)),
        ],
        [label("领导签发"), _leader_cell(approval, st.cell), "", ""],
    ]
    widths = [lw, w / 2 - lw, lw, w / 2 - lw]
    # The form is drawn at fixed places (form_grid): the rules, the labels and each value that
    # fits its line as strings, only the values that wrap as paragraphs. Where a part does not
    # fit the page it goes over as the table it stands for.
    # A long order runs over at a row's edge, never inside one: the incident's number and
    # receipt time head each later page's part of the table, and the closing rows (deadline,
    # first-responsible, the leader's signature) go over with each other, never one alone.
    body_rows, closing_rows = rows[:11], rows[11:]
    spans = [(r, 1) for r in (2, 3, 4, 5, 6, 9, 10)]
    # A field longer than a page (facts pasted whole) goes on in the same row on the next page
    # rather than failing; at least three lines of it stay on either side.
    body = FormGrid(
        body_rows, widths, spans, padding=2.5, header_rows=1, split_in_row=3 * st.cell.leading
    )
    closing = FormGrid(closing_rows, widths, [(2, 1)], padding=2.5)
    number = order.number or "（未编号）"
    number_line = number + (f"（作废：{order.void}）" if order.void else "")
    receipt = FormGrid(
        [
            [label("调度单号"), p(number), label("事件编号"), p(order.incident_number)],
            [label("签收单位"), p(order.lead_unit), "", ""],
            [label("签收人"), Lines((), st.cell, ""), label("签收时间"), _receipt_time(st.cell)],
            [label("备注"), p(_RECEIPT_NOTE), "", ""],
        ],
        widths,
        [(1, 1), (3, 1)],
        padding=2.5,
    )
    # The receipt stays on the page of the order it belongs to: it is torn off that page.
    return [
        CentredLine(order.centre_name, st.form_subtitle),
        CentredLine("指挥调度单", st.form_title),
        CentredLine(number_line, st.number),
        body,
        KeepTogether([closing]),
        KeepTogether(
            [
                Spacer(1, 3 * mm),
                CutLine("沿此线剪下，签收后交回指挥中心", st.fonts.body),
                Spacer(1, 2 * mm),
                CentredLine("签收回执", st.form_title),
                receipt,
            ]
        ),
    ]


_RECEIPT_NOTE = (
    "请于签收后 2 小时内在系统中确认签收；如认为不属本单位职责，请注明理由退回指挥中心。"
)


_NBSP = "\xa0"  # gap()'s &nbsp; as the character a paragraph sets


def _receipt_time(style: ParagraphStyle) -> Lines:
    markup = f"年{gap(3)}月{gap(3)}日{gap(3)}时{gap(3)}分"
    return Lines((markup.replace("&nbsp;", _NBSP),), style, markup)


def _leader_cell(approval: str, style: ParagraphStyle) -> Lines | Paragraph:
    """领导签发: the approval (who, when, the opinion) over a line to sign and date by hand; a
    blank line above it where there is no approval to print."""
    signature = f"签名：{gap(22)}日期：{gap(8)}年{gap(4)}月{gap(4)}日"
    if approval == "<br/>":
        return Lines(("", signature.replace("&nbsp;", _NBSP)), style, approval + signature)
    return Paragraph(approval + signature, style)


def page_decor(order: DispatchOrder) -> PageDecor:
    title = f"指挥调度单 {order.number or order.incident_number}"
    watermark = "作废" if order.void else (None if order.number else "样稿")
    return PageDecor(
        title=title,
        watermark=watermark,
        form=True,
        continued=title,
        audit=(order.audit or None) if order.number else None,
    )


def render(order: DispatchOrder, path: Path) -> Path:
    f = font_set()
    # The labels' and titles' faces print the same characters on every order; the body's change.
    with subset_cache.kept({f.title, f.heading, f.kai} - {f.body}):
        return build_pdf(path, _story(order), page_decor(order), author=order.centre_name)
