"""The incident state machine: steps, the statuses they start from, and who may take them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    Incident,
    IncidentAssignment,
    IncidentEvent,
    IncidentEventKind,
    Labelled,
    User,
)
from commandcenter.db.models import IncidentStatus as S
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, allowed, require


class Step(Labelled):
    EDIT = "edit", "修改登记"
    TRIAGE = "triage", "研判"
    MERGE = "merge", "并单"
    DISPATCH = "dispatch", "派单"
    APPROVE = "approve", "审批派单"
    ACCEPT = "accept", "签收"
    RETURN = "return", "退回"
    RULE = "rule", "退回裁定"
    START = "start", "开始处置"
    REPORT = "report", "反馈"
    LEGAL_REVIEW = "legal_review", "法制审核"
    PART_ACCEPT = "part_accept", "协办签收"
    PART_REPORT = "part_report", "协办反馈"
    PART_WAIVE = "part_waive", "免除协办"
    MARK_MAJOR = "mark_major", "标记重大"
    CLOSE = "close", "办结"
    REOPEN = "reopen", "重新办理"
    EXTEND = "extend", "申请延期"
    DECIDE_EXTENSION = "decide_extension", "审批延期"
    WHISTLE = "whistle", "吹哨报到"
    SUPERVISE = "supervise", "督办"
    TRANSFER = "transfer", "移送"
    TRANSFER_RECEIPT = "transfer_receipt", "登记移送回执"
    TRANSFER_RESULT = "transfer_result", "登记移送结果"
    ESCALATION_DECISION = "escalation_decision", "登记上级决定"
    ATTACH = "attach", "添加附件"
    NOTE = "note", "备注"


@dataclass(frozen=True)
class Rule:
    action: Action
    statuses: frozenset[S]


_DISPATCHED = frozenset({S.DISPATCHED, S.ACCEPTED, S.IN_PROGRESS})
_LIVE = frozenset(
    {S.REGISTERED, S.TRIAGED, S.AWAITING_APPROVAL, S.DISPATCHED, S.ACCEPTED, S.IN_PROGRESS}
    | {S.REPORTED, S.RETURNED, S.REFERRED}
)

RULES: dict[Step, Rule] = {
    Step.EDIT: Rule(Action.REGISTER_INCIDENT, frozenset({S.REGISTERED, S.TRIAGED, S.REFERRED})),
    Step.TRIAGE: Rule(Action.TRIAGE_INCIDENT, frozenset({S.REGISTERED, S.TRIAGED, S.REFERRED})),
    Step.MERGE: Rule(Action.TRIAGE_INCIDENT, frozenset({S.REGISTERED, S.TRIAGED})),
    Step.DISPATCH: Rule(Action.DISPATCH_INCIDENT, frozenset({S.TRIAGED})),
    Step.APPROVE: Rule(Action.APPROVE_MAJOR_DISPATCH, frozenset({S.AWAITING_APPROVAL})),
    Step.ACCEPT: Rule(Action.RECORD_PROGRESS, frozenset({S.DISPATCHED})),
    Step.RETURN: Rule(Action.RECORD_PROGRESS, frozenset({S.DISPATCHED, S.ACCEPTED})),
    Step.RULE: Rule(Action.TRIAGE_INCIDENT, frozenset({S.RETURNED})),
    Step.START: Rule(Action.RECORD_PROGRESS, frozenset({S.ACCEPTED})),
    Step.REPORT: Rule(Action.RECORD_PROGRESS, frozenset({S.ACCEPTED, S.IN_PROGRESS})),
    Step.LEGAL_REVIEW: Rule(Action.LEGAL_REVIEW, frozenset({S.REPORTED})),
    # A co-operating unit works beside the lead unit until the incident closes.
    Step.PART_ACCEPT: Rule(Action.RECORD_PROGRESS, _DISPATCHED | {S.REPORTED}),
    Step.PART_REPORT: Rule(Action.RECORD_PROGRESS, _DISPATCHED | {S.REPORTED}),
    Step.PART_WAIVE: Rule(Action.WAIVE_PART, _DISPATCHED | {S.REPORTED}),
    Step.MARK_MAJOR: Rule(Action.MARK_MAJOR, _LIVE),
    Step.CLOSE: Rule(Action.CLOSE_INCIDENT, frozenset({S.REPORTED})),
    Step.REOPEN: Rule(Action.CLOSE_INCIDENT, frozenset({S.REPORTED, S.CLOSED})),
    Step.EXTEND: Rule(Action.RECORD_PROGRESS, _DISPATCHED),
    Step.DECIDE_EXTENSION: Rule(Action.APPROVE_EXTENSION, _DISPATCHED | {S.REPORTED}),
    Step.WHISTLE: Rule(Action.DISPATCH_INCIDENT, _LIVE - {S.REGISTERED}),
    Step.SUPERVISE: Rule(Action.ISSUE_SUPERVISION, _DISPATCHED | {S.REPORTED, S.RETURNED}),
    Step.TRANSFER: Rule(Action.DISPATCH_INCIDENT, frozenset({S.TRIAGED}) | _DISPATCHED),
    Step.TRANSFER_RECEIPT: Rule(Action.DISPATCH_INCIDENT, frozenset({S.TRANSFERRED})),
    Step.TRANSFER_RESULT: Rule(Action.DISPATCH_INCIDENT, frozenset({S.TRANSFERRED})),
    Step.ESCALATION_DECISION: Rule(Action.TRIAGE_INCIDENT, frozenset({S.REFERRED})),
    Step.ATTACH: Rule(Action.REGISTER_INCIDENT, _LIVE | {S.CLOSED, S.TRANSFERRED}),
    Step.NOTE: Rule(Action.REGISTER_INCIDENT, _LIVE | {S.CLOSED, S.TRANSFERRED, S.MERGED}),
}


def available_steps(actor: Actor, status: S) -> list[Step]:
    """The steps *actor* may take on an incident in *status*, in menu order."""
    return [
        step
        for step, rule in RULES.items()
        if status in rule.statuses and allowed(actor, rule.action)
    ]


def begin(
    session: Session,
    actor: Actor,
    incident_id: int,
    step: Step,
    expected_version: int | None = None,
) -> Incident:
    """Load the incident for *step*: the role may take it, the status allows it, nobody
    changed it since the user looked (when *expected_version* is given)."""
    rule = RULES[step]
    require(actor, rule.action)
    incident = records.get(session, Incident, incident_id, "该事件")
    records.check_version(incident, expected_version, f"事件 {incident.number}")
    if incident.status not in rule.statuses:
        raise ValidationError(
            f"事件 {incident.number} 当前为“{incident.status.label}”，不能{step.label}。"
        )
    return incident


def record(
    session: Session,
    actor: Actor,
    incident: Incident,
    kind: IncidentEventKind,
    note: str | None = None,
    *,
    to_status: S | None = None,
    at: datetime | None = None,
    action: str | None = None,
) -> IncidentEvent:
    """Move *incident* (when *to_status* is given) and write its timeline event and audit record
    (under *action*, when the step is not the event kind's own: a co-unit's part, a mark)."""
    moment = at or timeutil.now()
    before = incident.status
    if to_status is not None:
        incident.status = to_status
    event = IncidentEvent(
        incident_id=incident.id,
        at=moment,
        user_id=actor.user_id,
        kind=kind,
        from_status=before if to_status is not None else None,
        to_status=to_status,
        note=note,
    )
    session.add(event)
    changes = (
        {"status": [before.label, to_status.label]} if to_status not in (None, before) else None
    )
    audit.record(
        session,
        actor,
        action or f"incident.{kind.value}",
        f"事件 {incident.number} {kind.label}" + (f"：{note}" if note else ""),
        entity_type="incident",
        entity_id=incident.id,
        changes=changes,
        at=moment,
    )
    return event


def moment_or_now(
    at: datetime | None, what: str, *, not_before: datetime | None = None
) -> datetime:
    """A time the operator entered: never in the future, never before the step it follows."""
    now = timeutil.now()
    moment = at or now
    if moment > now + timedelta(minutes=5):
        raise ValidationError(f"{what}不能晚于当前时间。", "at")
    if not_before is not None and moment < not_before:
        raise ValidationError(f"{what}不能早于 {timeutil.format_local(not_before)}。", "at")
    return moment


# --- R6: 办、审、定三分离 ---------------------------------------------------------------------


def handler_user_ids(session: Session, incident: Incident) -> set[int]:
    """Users whose person was sent on site for *incident*: they handled it."""
    return set(
        session.scalars(
            select(User.id)
            .join(IncidentAssignment, IncidentAssignment.person_id == User.person_id)
            .where(IncidentAssignment.incident_id == incident.id)
        )
    )


def refuse_handler(session: Session, actor: Actor, incident: Incident, doing: str) -> None:
    if actor.user_id is not None and actor.user_id in handler_user_ids(session, incident):
        raise ValidationError(
            f"您参与了事件 {incident.number} 的现场办理，按“办、审、定三分离”不能{doing}。"
            "请由其他领导办理。"
        )


# --- numbers --------------------------------------------------------------------------------


def next_number(session: Session, moment: datetime) -> str:
    """The incident number for something received at *moment*: 2026-000123, per year.

    Taken inside a write scope, which holds the write lock, so two workstations never get the
    same number; the unique constraint is the last guard.
    """
    year = timeutil.local_date(moment).year
    last = session.scalar(
        select(func.max(Incident.number)).where(Incident.number.like(f"{year}-%"))
    )
    seq = int(last.split("-")[1]) + 1 if last else 1
    return f"{year}-{seq:06d}"
