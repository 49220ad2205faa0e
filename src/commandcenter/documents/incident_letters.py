"""Letters about one incident: 案件移送函 (with its receipt) and the four supervision papers
(督办函, 工作提示单, 执法建议书, 风险提示单), which may also be about a unit's general conduct
(then without incident facts), on the GB/T 9704 page: the 版头 (the authority chosen in 系统设置
in red, or the centre's name) with the 发文字号 under it, the title, the addressee, the body on the
28 x 22 grid, the reply-by line of a supervision paper, 署名 and 成文日期 with room for the seal,
and the 版记; a reprint keeps its number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import Incident, SupervisionKind
from commandcenter.documents.layout import (
    LINE,
    TEXT_WIDTH,
    CutLine,
    Imprint,
    Letterhead,
    PageDecor,
    SignatureBlock,
    audit_mark,
    build_pdf,
    escape,
    gap,
    grid_table,
    styles,
    title_block,
)
from commandcenter.services import audit_evidence, settings
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import paper_records

_OPENING = {
    SupervisionKind.LETTER: "你单位承办的下列事件已超过办理期限或办理进度滞后，现予督办：",
    SupervisionKind.NOTICE: "现就你单位承办的下列事件作如下工作提示：",
    SupervisionKind.SUGGESTION: "经研判，现就下列事件向你单位提出执法建议：",
    SupervisionKind.RISK: "下列事件存在以下风险，请你单位高度重视并做好防范：",
}
# A paper about the unit's general conduct, not one incident.
_UNIT_OPENING = {
    SupervisionKind.LETTER: "你单位的下列工作进度滞后，现予督办：",
    SupervisionKind.NOTICE: "现就你单位的下列工作作如下提示：",
    SupervisionKind.SUGGESTION: "经研判，现就你单位的下列工作提出执法建议：",
    SupervisionKind.RISK: "你单位的下列工作存在以下风险，请高度重视并做好防范：",
}


def reply_line(reply_due: datetime) -> str:
    """The reply-by sentence on a supervision paper (the day is the reply deadline's)."""
    day = timeutil.chinese_date(timeutil.local_date(reply_due))
    return f"请于{day}前书面回复指挥中心，并报送办理情况。"


@dataclass(frozen=True)
class IncidentLetter:
    kind: str  # 案件移送函, 督办函 ...
    centre_name: str
    number: str
    addressee: str
    incident_number: str
    incident_title: str
    received_at: datetime | None
    address: str
    item: str
    legal_basis: str
    opening: str
    body: str
    reply_due: datetime | None
    first_responsible: str
    issued_at: datetime
    receipt: bool  # the transfer letter carries a tear-off receipt
    letterhead: str | None = None  # the authority's 版头 chosen in 系统设置, else the centre's
    audit: str = ""  # where the audit log stood (审计 12345·3fa9c2e1), for the footer


def _letter(
    session: Session, incident: Incident | None, key: str, **paper: object
) -> IncidentLetter:
    """The letter's incident facts (none for a paper about a unit's conduct), with the paper's
    own fields in *paper*; *key* is the paper's kind in 系统设置's choice of 版头."""
    common = {
        "centre_name": settings.load(session).centre_name,
        "letterhead": settings.letterhead(session).for_paper(key),
        "audit": audit_mark(audit_evidence.chain_position(session)),
    }
    if incident is None:
        return IncidentLetter(
            incident_number="",
            incident_title="",
            received_at=None,
            address="",
            item="",
            legal_basis="",
            **common,  # type: ignore[arg-type]
            **paper,  # type: ignore[arg-type]
        )
    item = incident.item
    return IncidentLetter(
        **common,  # type: ignore[arg-type]
        incident_number=incident.number,
        incident_title=incident.title,
        received_at=incident.received_at,
        address=incident.address or "",
        item=f"{item.code} {item.name}" if item else "",
        legal_basis=(item.legal_basis or "") if item else "",
        first_responsible=incident.registered_by.display_name,
        **paper,  # type: ignore[arg-type]
    )


def load_transfer(session: Session, actor: Actor, transfer_id: int) -> IncidentLetter:
    t, incident = paper_records.transfer_for_letter(session, actor, transfer_id)
    return _letter(
        session,
        incident,
        "transfer-letter",
        kind="案件移送函",
        number=t.doc_number,
        addressee=t.department.name,
        opening="经研判，下列事件不属于街道综合行政执法事项范围，根据有关规定，现移送你单位依法处理：",
        body=t.facts,
        reply_due=None,
        issued_at=t.sent_at,
        receipt=True,
    )


def load_supervision(session: Session, actor: Actor, supervision_id: int) -> IncidentLetter:
    sv, incident = paper_records.supervision_for_letter(session, actor, supervision_id)
    return _letter(
        session,
        incident,
        "supervision",
        kind=sv.kind.label,
        number=sv.doc_number,
        addressee=sv.unit.name,
        opening=(_OPENING if incident is not None else _UNIT_OPENING)[sv.kind],
        body=sv.content,
        reply_due=sv.reply_due_on,
        issued_at=sv.issued_at,
        receipt=False,
        **({} if incident is not None else {"first_responsible": sv.issued_by.display_name}),
    )


def _story(letter: IncidentLetter) -> list[Flowable]:
    st = styles()
    plain = ParagraphStyle("plain", parent=st.body, firstLineIndent=0)

    def para(text: str, style: ParagraphStyle = st.body) -> Paragraph:
        return Paragraph(escape(text), style)

    facts = []
    if letter.incident_number:
        facts = [
            f"事件编号：{letter.incident_number}",
            f"事件名称：{letter.incident_title}",
            f"受理时间：{timeutil.format_local(letter.received_at)}",
        ]
    if letter.address:
        facts.append(f"事发地点：{letter.address}")
    if letter.item:
        facts.append(f"执法事项：{letter.item}")
    if letter.legal_basis:
        facts.append(f"法律依据：{letter.legal_basis}")
    head = letter.letterhead or letter.centre_name
    story: list[Flowable] = [
        Letterhead(head, letter.number, red=letter.letterhead is not None),
        *title_block(letter.kind, blank_lines_before=2 if letter.letterhead else 1),
        Spacer(1, LINE),  # 标题下空一行
        para(f"{letter.addressee}：", plain),
        para(letter.opening),
        *(para(line) for line in facts),
        para(("移送事实及街道已采取的措施：" if letter.receipt else "具体事项：") + letter.body),
    ]
    if letter.reply_due is not None:
        story.append(para(reply_line(letter.reply_due)))
    elif letter.receipt:
        story.append(para("请接收后在回执上签收，并将处理结果函告指挥中心。"))
    issued = timeutil.local_date(letter.issued_at)
    # The 落款 never stands alone on a page: it goes over with the letter's last paragraph,
    # and the 版记 (at the foot of the last page; above the cut line where a receipt follows)
    # with it, so it is never a page of its own.
    ending: list[Flowable] = [
        story.pop(),
        para(
            f"联系人：{letter.first_responsible}"
            + ("（首问负责人）" if letter.incident_number else "")
        ),
        SignatureBlock(head, issued),
        Spacer(1, LINE / 2),
        Imprint((), letter.centre_name, issued, fill=not letter.receipt),
    ]
    if not letter.receipt:
        story.append(KeepTogether(ending))
    if letter.receipt:
        st_cell, st_label = st.cell, st.cell_label
        lw = 26 * mm
        receipt = grid_table(
            [
                [Paragraph("移送函号", st_label), Paragraph(escape(letter.number), st_cell)],
                [
                    Paragraph("事件编号", st_label),
                    Paragraph(escape(letter.incident_number), st_cell),
                ],
                [Paragraph("接收单位", st_label), Paragraph(escape(letter.addressee), st_cell)],
                [
                    Paragraph("签收人", st_label),
                    Paragraph(
                        f"{gap(24)}签收时间：{gap(6)}年{gap(3)}月{gap(3)}日{gap(3)}时", st_cell
                    ),
                ],
            ],
            [lw, TEXT_WIDTH - lw],
            padding=3,
        )
        # The receipt is cut from the letter's last sheet: it goes over with the letter's
        # closing lines and 落款, so no page holds a receipt alone.
        story.append(
            KeepTogether(
                [
                    *ending,
                    Spacer(1, 6 * mm),
                    CutLine("沿此线剪下，签收后交回指挥中心", st.fonts.body),
                    Spacer(1, 2 * mm),
                    Paragraph("移送回执", st.form_title),
                    Spacer(1, 2 * mm),
                    receipt,
                ]
            )
        )
    return story


def render(letter: IncidentLetter, path: Path) -> Path:
    return build_pdf(
        path,
        _story(letter),
        PageDecor(title=f"{letter.kind} {letter.number}", audit=letter.audit or None),
        author=letter.centre_name,
    )
