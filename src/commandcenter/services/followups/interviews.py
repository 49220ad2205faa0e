"""约谈 (seed 002 "约谈提醒"): the street calls a unit's responsible person in.

Scheduled with a numbered 约谈提醒书 (whom, why, when, where, who conducts it); once held, the
commitments made and the day the centre checks on them are recorded; after that check the
centre closes it. It is overdue when the check day has passed and it is still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import DocType, Incident, Interview, InterviewState, Unit
from commandcenter.errors import ValidationError
from commandcenter.services import audit, docnumbers, records
from commandcenter.services.actor import Actor
from commandcenter.services.followups.common import day_in_past, long_text
from commandcenter.services.followups.supervision import ADDRESSEES
from commandcenter.services.permissions import Action, require


@dataclass
class InterviewForm:
    unit_id: int | None = None
    person_name: str = ""
    person_title: str = ""
    conducted_by: str = ""
    reason: str = ""
    scheduled_at: datetime | None = None
    place: str = ""
    incident_id: int | None = None


def schedule(session: Session, actor: Actor, form: InterviewForm) -> Interview:
    require(actor, Action.ISSUE_SUPERVISION)
    if form.unit_id is None:
        raise ValidationError("请选择被约谈单位。", "unit_id")
    unit = records.get(session, Unit, form.unit_id, "被约谈单位")
    if not unit.active or unit.kind not in ADDRESSEES:
        raise ValidationError(
            "被约谈单位应为在用的执法中队、派驻机构、区级部门或村社区。", "unit_id"
        )
    person = records.text(form.person_name, "person_name", "被约谈人", limit=50)
    if not person:
        raise ValidationError("请填写被约谈人姓名。", "person_name")
    conductor = records.text(form.conducted_by, "conducted_by", "约谈人", limit=100)
    if not conductor:
        raise ValidationError("请填写约谈人（姓名和职务）。", "conducted_by")
    reason = long_text(form.reason, "reason", "约谈事由")
    moment = timeutil.now()
    if form.scheduled_at is None:
        raise ValidationError("请填写约谈时间。", "scheduled_at")
    if form.scheduled_at < moment:
        raise ValidationError("约谈时间应晚于现在。", "scheduled_at")
    if form.incident_id is not None:
        records.get(session, Incident, form.incident_id, "所涉事件")
    number = docnumbers.issue(
        session,
        actor,
        DocType.INTERVIEW,
        entity_type="unit",
        entity_id=unit.id,
        title=f"约谈提醒书（{unit.short_name} {person}）",
        at=moment,
    )
    assert actor.user_id is not None
    entry = Interview(
        unit_id=unit.id,
        person_name=person,
        person_title=records.text(form.person_title, "person_title", "职务", limit=50) or None,
        conducted_by=conductor,
        incident_id=form.incident_id,
        reason=reason,
        scheduled_at=form.scheduled_at,
        place=records.text(form.place, "place", "约谈地点", limit=100) or None,
        doc_number=number.number,
        issued_at=moment,
        issued_by_id=actor.user_id,
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor,
        "interview.schedule",
        f"约谈{unit.short_name}{person}，{timeutil.format_local(form.scheduled_at)}，"
        f"约谈提醒书 {number.number}",
        entity_type="interview",
        entity_id=entry.id,
        at=moment,
    )
    return entry


@dataclass
class InterviewOutcome:
    held_on: date | None = None
    commitments: str = ""
    follow_up_on: date | None = None  # when the centre checks the commitments are kept


def record_outcome(
    session: Session, actor: Actor, interview_id: int, form: InterviewOutcome
) -> Interview:
    require(actor, Action.ISSUE_SUPERVISION)
    entry = records.get(session, Interview, interview_id, "该约谈记录")
    if entry.closed_at is not None:
        raise ValidationError(f"约谈 {entry.doc_number} 已办结，不能再修改。")
    held = day_in_past(form.held_on, "约谈日期", "held_on", not_before=entry.issued_at)
    commitments = long_text(form.commitments, "commitments", "被约谈方的整改承诺")
    if form.follow_up_on is None:
        raise ValidationError("请填写跟进核查日期。", "follow_up_on")
    if form.follow_up_on < held:
        raise ValidationError("跟进核查日期不能早于约谈日期。", "follow_up_on")
    entry.held_at = timeutil.start_of_local_day(held)
    entry.commitments = commitments
    entry.follow_up_on = form.follow_up_on
    audit.record(
        session,
        actor,
        "interview.held",
        f"约谈{entry.unit.short_name}{entry.person_name}已于{timeutil.chinese_date(held)}进行，"
        f"{timeutil.chinese_date(form.follow_up_on)}跟进核查",
        entity_type="interview",
        entity_id=entry.id,
        changes={"commitments": [None, commitments]},
    )
    return entry


def close(session: Session, actor: Actor, interview_id: int, note: str) -> None:
    """The check on the commitments is done: the 约谈 ends, with what the check found."""
    require(actor, Action.ISSUE_SUPERVISION)
    entry = records.get(session, Interview, interview_id, "该约谈记录")
    if entry.closed_at is not None:
        raise ValidationError(f"约谈 {entry.doc_number} 已办结。")
    if entry.held_at is None:
        raise ValidationError("约谈尚未登记进行情况，请先登记约谈情况和整改承诺。")
    text = long_text(note, "note", "跟进核查情况", limit=500)
    entry.closed_at = timeutil.now()
    entry.closed_by_id = actor.user_id
    entry.close_note = text
    audit.record(
        session,
        actor,
        "interview.close",
        f"约谈{entry.unit.short_name}{entry.person_name}办结：{text}",
        entity_type="interview",
        entity_id=entry.id,
    )


def state_of(entry: Interview, today: date) -> InterviewState:
    if entry.closed_at is not None:
        return InterviewState.CLOSED
    if entry.held_at is None:
        return InterviewState.SCHEDULED
    if entry.follow_up_on is not None and entry.follow_up_on < today:
        return InterviewState.FOLLOW_UP_DUE
    return InterviewState.HELD


def waiting(now: datetime) -> ColumnElement[bool]:
    """Open and due for the centre's attention: held and the check day reached, or the
    interview time passed with nothing recorded."""
    today = timeutil.local_date(now)
    return and_(
        Interview.closed_at.is_(None),
        (Interview.follow_up_on <= today)
        | (Interview.held_at.is_(None) & (Interview.scheduled_at < now)),
    )
