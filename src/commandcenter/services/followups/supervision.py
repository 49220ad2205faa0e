"""Supervision papers (督办函, 工作提示单, 执法建议书, 风险提示单) from issue to end.

A paper is issued about an incident (``incidents.followup.supervise``) or about a unit's
general conduct (:func:`supervise_unit`); either way it carries a reply-by date counted in
working days from the issue. The unit's written reply is recorded with its date, a summary and
the reply itself (a copy in the data folder, or only its name when the paper stays on file);
the centre then closes the paper. A paper is overdue while no reply is recorded after its
reply-by date; a reply dated after that day was late (both count against the unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    FollowUpState,
    Supervision,
    SupervisionKind,
    Unit,
    UnitKind,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, docnumbers, records
from commandcenter.services.actor import Actor
from commandcenter.services.followups.common import day_in_past, long_text
from commandcenter.services.incidents.followup import SUPERVISION_DOCS
from commandcenter.services.incidents.intake import store_file
from commandcenter.services.permissions import Action, require
from commandcenter.services.work_calendar import WorkCalendar

REPLY_DAYS_RANGE = (1, 30)
# Units a paper may be addressed to: those that do the work, not the street or the centre.
ADDRESSEES = (UnitKind.SQUAD, UnitKind.AGENCY, UnitKind.DEPARTMENT, UnitKind.COMMUNITY)


def reply_due(session: Session, issued_at: datetime, days: int | None) -> datetime:
    low, high = REPLY_DAYS_RANGE
    if days is None or not low <= days <= high:
        raise ValidationError(f"回复期限应为 {low} 到 {high} 个工作日。", "reply_days")
    return WorkCalendar.load(session).add_working_days(issued_at, days).at


@dataclass
class UnitSupervisionForm:
    unit_id: int | None = None
    kind: SupervisionKind = SupervisionKind.LETTER
    content: str = ""
    reply_days: int = 5


def supervise_unit(session: Session, actor: Actor, form: UnitSupervisionForm) -> Supervision:
    """A numbered supervision paper about a unit's general conduct, not one incident."""
    require(actor, Action.ISSUE_SUPERVISION)
    if form.unit_id is None:
        raise ValidationError("请选择督办对象单位。", "unit_id")
    unit = records.get(session, Unit, form.unit_id, "督办对象")
    if not unit.active or unit.kind not in ADDRESSEES:
        raise ValidationError("督办对象应为在用的执法中队、派驻机构、区级部门或村社区。", "unit_id")
    content = long_text(form.content, "content", "督办内容")
    moment = timeutil.now()
    due = reply_due(session, moment, form.reply_days)
    number = docnumbers.issue(
        session,
        actor,
        SUPERVISION_DOCS[form.kind],
        entity_type="unit",
        entity_id=unit.id,
        title=f"{form.kind.label}（{unit.short_name}）",
        at=moment,
    )
    assert actor.user_id is not None
    entry = Supervision(
        incident_id=None,
        unit_id=unit.id,
        kind=form.kind,
        doc_number=number.number,
        issued_at=moment,
        issued_by_id=actor.user_id,
        content=content,
        reply_due_on=due,
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor,
        "supervision.issue",
        f"向{unit.short_name}发出{form.kind.label} {number.number}，"
        f"请于{timeutil.chinese_date(timeutil.local_date(due))}前书面回复",
        entity_type="supervision",
        entity_id=entry.id,
        at=moment,
    )
    return entry


@dataclass
class ReplyForm:
    replied_on: date | None = None  # the date on the unit's written reply
    summary: str = ""
    attachment: Path | None = None  # a file to copy into the data folder ...
    attachment_name: str = ""  # ... or only the name of the paper kept on file


def record_reply(
    session: Session,
    actor: Actor,
    supervision_id: int,
    form: ReplyForm,
    store: Path | None = None,
) -> Supervision:
    """The unit's written reply; recorded again, it replaces the earlier one until closed."""
    require(actor, Action.ISSUE_SUPERVISION)
    entry = records.get(session, Supervision, supervision_id, "该督办文书")
    if entry.closed_at is not None:
        raise ValidationError(f"{entry.kind.label} {entry.doc_number} 已办结，不能再登记回复。")
    day = day_in_past(form.replied_on, "回复日期", "replied_on", not_before=entry.issued_at)
    summary = long_text(form.summary, "summary", "回复内容摘要")
    stored, name = None, (form.attachment_name or "").strip()[:255] or None
    if form.attachment is not None:
        if store is None:
            raise ValidationError("未设置附件存放位置，无法复制回复附件。", "attachment")
        stored = store_file(form.attachment, store)[0]
        name = form.attachment.name[:255]
    before = {"replied_on": _day(entry.replied_at), "summary": entry.reply_summary}
    entry.replied_at = timeutil.start_of_local_day(day)
    entry.reply_summary = summary
    entry.reply_attachment, entry.reply_attachment_name = stored, name
    entry.reply_recorded_by_id = actor.user_id
    late = entry.reply_due_on is not None and entry.replied_at > entry.reply_due_on
    audit.record(
        session,
        actor,
        "supervision.reply",
        f"登记{entry.unit.short_name}对{entry.kind.label} {entry.doc_number} 的书面回复"
        f"（{timeutil.chinese_date(day)}{'，逾期' if late else ''}）",
        entity_type="supervision",
        entity_id=entry.id,
        changes=audit.diff(before, {"replied_on": day.isoformat(), "summary": summary}),
    )
    return entry


def close_supervision(session: Session, actor: Actor, supervision_id: int, note: str) -> None:
    """The centre is satisfied with the reply: the paper ends."""
    require(actor, Action.ISSUE_SUPERVISION)
    entry = records.get(session, Supervision, supervision_id, "该督办文书")
    if entry.closed_at is not None:
        raise ValidationError(f"{entry.kind.label} {entry.doc_number} 已办结。")
    if entry.replied_at is None:
        raise ValidationError(
            f"{entry.unit.short_name}尚未书面回复 {entry.doc_number}，请先登记回复再办结。"
        )
    entry.closed_at = timeutil.now()
    entry.closed_by_id = actor.user_id
    entry.close_note = (note or "").strip()[:500] or None
    audit.record(
        session,
        actor,
        "supervision.close",
        f"{entry.kind.label} {entry.doc_number} 办结" + (f"：{entry.close_note}" if note else ""),
        entity_type="supervision",
        entity_id=entry.id,
    )


def _day(moment: datetime | None) -> str | None:
    return timeutil.local_date(moment).isoformat() if moment else None


def state_of(entry: Supervision, now: datetime) -> FollowUpState:
    if entry.closed_at is not None:
        return FollowUpState.CLOSED
    if entry.replied_at is not None:
        return FollowUpState.ANSWERED
    if entry.reply_due_on is not None and entry.reply_due_on < now:
        return FollowUpState.OVERDUE
    return FollowUpState.AWAITING


def awaiting_reply() -> ColumnElement[bool]:
    return and_(Supervision.closed_at.is_(None), Supervision.replied_at.is_(None))


def overdue(now: datetime) -> ColumnElement[bool]:
    """No reply recorded and the reply-by moment has passed."""
    return and_(awaiting_reply(), Supervision.reply_due_on < now)


def late_or_unanswered() -> ColumnElement[bool]:
    """The reply came after the reply-by date, or had not come (a reply is dated by its day,
    stored as the day's start, so a reply on the last day is on time)."""
    return or_(Supervision.replied_at.is_(None), Supervision.replied_at > Supervision.reply_due_on)
