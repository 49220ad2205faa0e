"""What became of a transferred case: the receipt's deadline and the department's result.

A transfer letter's receipt falls due a configurable number of working days after it was sent
(``settings.TRANSFER_RECEIPT_DAYS``, 5 unless changed); a receipt not recorded by then is late
and listed on the 工作台. The receiving department's result (立案查处, 处理完毕, 不予立案,
退回街道) and its decision are recorded against the letter (seed 003 案件移送抄告).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import IncidentEvent, IncidentEventKind, Transfer, TransferResult
from commandcenter.errors import ValidationError
from commandcenter.services import audit, settings
from commandcenter.services.actor import Actor
from commandcenter.services.followups.common import day_in_past, long_text
from commandcenter.services.incidents import workflow
from commandcenter.services.incidents.workflow import Step
from commandcenter.services.work_calendar import WorkCalendar

RECEIPT_DAYS_RANGE = (1, 30)


def receipt_days(session: Session) -> int:
    return int(settings.get(session, settings.TRANSFER_RECEIPT_DAYS) or 5)


def receipt_due(session: Session, sent_at: datetime, cal: WorkCalendar | None = None) -> datetime:
    calendar = cal or WorkCalendar.load(session)
    return calendar.add_working_days(sent_at, receipt_days(session)).at


def set_receipt_days(session: Session, actor: Actor, days: int) -> int:
    """Change the working days a receipt may take; the letters still waiting for theirs are
    given their new deadline. Returns how many moved."""
    low, high = RECEIPT_DAYS_RANGE
    if not low <= days <= high:
        raise ValidationError(
            f"移送回执期限应在 {low} 到 {high} 个工作日之间。", "transfer_receipt_days"
        )
    settings.set_value(session, actor, settings.TRANSFER_RECEIPT_DAYS, str(days))
    cal = WorkCalendar.load(session)
    moved = 0
    for entry in session.scalars(select(Transfer).where(Transfer.receipt_at.is_(None))):
        due = receipt_due(session, entry.sent_at, cal)
        if due != entry.receipt_due_at:
            entry.receipt_due_at = due
            moved += 1
    return moved


def receipt_late(now: datetime) -> ColumnElement[bool]:
    return and_(Transfer.receipt_at.is_(None), Transfer.receipt_due_at < now)


@dataclass
class TransferResultForm:
    result: TransferResult | None = None
    result_on: date | None = None
    decision: str = ""  # the receiving department's decision, e.g. 行政处罚决定书 and its content


def record_result(
    session: Session,
    actor: Actor,
    incident_id: int,
    form: TransferResultForm,
    expected_version: int | None = None,
) -> Transfer:
    """The department's result against the incident's latest transfer letter; recorded again,
    it replaces the earlier one (a case filed, then handled)."""
    incident = workflow.begin(session, actor, incident_id, Step.TRANSFER_RESULT, expected_version)
    entry = newest_of(session, incident.id)
    if entry is None:
        raise ValidationError("没有找到该事件的移送记录。")
    if entry.receipt_at is None:
        raise ValidationError(f"移送函 {entry.doc_number} 尚未登记回执，请先登记接收部门的签收。")
    if form.result is None:
        raise ValidationError("请选择接收部门的处理结果。", "result")
    day = day_in_past(form.result_on, "处理结果日期", "result_on", not_before=entry.sent_at)
    decision = long_text(form.decision, "decision", "接收部门的处理决定")
    before = {"result": entry.result.label if entry.result else None, "decision": entry.decision}
    entry.result, entry.result_on, entry.decision = form.result, day, decision
    entry.result_recorded_by_id = actor.user_id
    moment = timeutil.now()
    words = (
        f"{entry.department.short_name}{timeutil.chinese_date(day)}函告移送函 "
        f"{entry.doc_number} 处理结果：{form.result.label}；{decision}"
    )
    # On the timeline as a note (the event kinds are the workflow's); audited as the result.
    session.add(
        IncidentEvent(
            incident_id=incident.id,
            at=moment,
            user_id=actor.user_id,
            kind=IncidentEventKind.NOTE,
            note=words,
        )
    )
    audit.record(
        session,
        actor,
        "transfer.result",
        f"事件 {incident.number} 移送结果：{form.result.label}",
        entity_type="incident",
        entity_id=incident.id,
        changes=audit.diff(before, {"result": form.result.label, "decision": decision}),
        at=moment,
    )
    return entry


def newest_of(session: Session, incident_id: int) -> Transfer | None:
    return session.scalar(
        select(Transfer).where(Transfer.incident_id == incident_id).order_by(Transfer.id.desc())
    )


def is_late(entry: Transfer, now: datetime) -> bool:
    return (
        entry.receipt_at is None
        and entry.receipt_due_at is not None
        and (entry.receipt_due_at < now)
    )
