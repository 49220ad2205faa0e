"""Life after dispatch: accept, return and ruling, report back, legal review, close, reopen.

R5: an incident marked as a major decision closes only after a 通过 legal review, by a leader
(the review itself is in :mod:`legal_review`).
R6: whoever handled it on site cannot review it or close it, and for a major decision the
legal reviewer does not also decide the closing (办、审、定三分离).
Co-operating units' parts (:mod:`parts`) must all be reported or waived before it closes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    IncidentAssignment,
    IncidentEventKind,
    IncidentReturn,
    IncidentStatus,
    IncidentUnit,
    LegalReviewOutcome,
    ReturnReason,
    ReturnRuling,
)
from commandcenter.errors import ValidationError
from commandcenter.faults import crash_point
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import legal_review as legal_review_service
from commandcenter.services.incidents import parts, workflow
from commandcenter.services.incidents.workflow import Step

SATISFACTION = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}


def _words(value: str | None, what: str, *, required: bool, limit: int = 1000) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(f"请填写{what}。", "note")
    if len(text) > limit:
        raise ValidationError(f"{what}不能超过 {limit} 个字。", "note")
    return text


def accept(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    signed_by: str,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    """签收: the lead unit signed the receipt; the operator records who and when."""
    incident = workflow.begin(session, actor, incident_id, Step.ACCEPT, expected_version)
    name = _words(signed_by, "签收人", required=True, limit=50)
    moment = workflow.moment_or_now(at, "签收时间", not_before=incident.dispatched_at)
    incident.accepted_at = moment
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.ACCEPTED,
        f"{incident.lead_unit.short_name if incident.lead_unit else ''} {name} 签收",
        to_status=IncidentStatus.ACCEPTED,
        at=moment,
    )


def return_dispatch(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    reason: ReturnReason,
    note: str,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> IncidentReturn:
    """退回: the lead unit says it is not theirs; the centre must rule on it."""
    incident = workflow.begin(session, actor, incident_id, Step.RETURN, expected_version)
    text = _words(note, "退回理由说明", required=reason is ReturnReason.OTHER, limit=500)
    moment = workflow.moment_or_now(at, "退回时间", not_before=incident.dispatched_at)
    assert incident.lead_unit_id is not None and actor.user_id is not None
    entry = IncidentReturn(
        incident_id=incident.id,
        unit_id=incident.lead_unit_id,
        reason=reason,
        note=text,
        returned_at=moment,
        recorded_by_id=actor.user_id,
    )
    session.add(entry)
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.RETURNED,
        f"{incident.lead_unit.short_name if incident.lead_unit else ''}退回：{reason.label}"
        + (f"，{text}" if text else ""),
        to_status=IncidentStatus.RETURNED,
        at=moment,
    )
    return entry


def rule_on_return(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    ruling: ReturnRuling,
    note: str,
    expected_version: int | None = None,
) -> None:
    """The centre's ruling: the unit keeps the order, or the incident is triaged anew."""
    incident = workflow.begin(session, actor, incident_id, Step.RULE, expected_version)
    text = _words(note, "裁定意见", required=True, limit=500)
    pending = session.scalar(
        select(IncidentReturn)
        .where(IncidentReturn.incident_id == incident.id, IncidentReturn.ruling.is_(None))
        .order_by(IncidentReturn.id.desc())
        .limit(1)
    )
    if pending is None:
        raise ValidationError("没有待裁定的退回记录。")
    moment = timeutil.now()
    pending.ruling, pending.ruling_note = ruling, text
    pending.ruled_at, pending.ruled_by_id = moment, actor.user_id
    if ruling is ReturnRuling.UPHELD:
        to_status = IncidentStatus.DISPATCHED
        incident.accepted_at = None  # the unit signs for it again
    else:
        # The old team is cleared for a new dispatch; the timeline keeps who it was.
        to_status = IncidentStatus.TRIAGED
        parts.clear_parts(session, incident.id)
        session.execute(delete(IncidentUnit).where(IncidentUnit.incident_id == incident.id))
        session.execute(
            delete(IncidentAssignment).where(IncidentAssignment.incident_id == incident.id)
        )
        incident.lead_unit_id = None
        incident.dispatched_at = incident.accepted_at = incident.unit_deadline_at = None
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.RULED,
        f"{ruling.label}：{text}",
        to_status=to_status,
        at=moment,
    )


def start(
    session: Session, actor: Actor, incident_id: int, expected_version: int | None = None
) -> None:
    incident = workflow.begin(session, actor, incident_id, Step.START, expected_version)
    workflow.record(
        session, actor, incident, IncidentEventKind.STARTED, to_status=IncidentStatus.IN_PROGRESS
    )


def report_back(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    result: str,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    """反馈: the unit reports what it did; attachments are added separately."""
    incident = workflow.begin(session, actor, incident_id, Step.REPORT, expected_version)
    text = _words(result, "处置结果", required=True, limit=2000)
    moment = workflow.moment_or_now(at, "反馈时间", not_before=incident.accepted_at)
    incident.reported_at = moment
    corrected = incident.correction_requested_at is not None
    incident.correction_requested_at = None  # a 补正 report asks for a new legal review
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.REPORTED,
        f"补正后反馈：{text}" if corrected else text,
        to_status=IncidentStatus.REPORTED,
        at=moment,
    )


def legal_review(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    opinion: str,
    outcome: LegalReviewOutcome = LegalReviewOutcome.PASSED,
    corrections: str = "",
    expected_version: int | None = None,
) -> None:
    """法制审核 of a major decision, before it may close (R5): see :mod:`legal_review`."""
    legal_review_service.review(
        session,
        actor,
        incident_id,
        outcome=outcome,
        opinion=opinion,
        corrections=corrections,
        expected_version=expected_version,
    )


def close(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    satisfaction: int | None,
    callback_note: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> None:
    """办结, with the call-back result where the reporter was called back (回访)."""
    incident = workflow.begin(session, actor, incident_id, Step.CLOSE, expected_version)
    legal_review_service.refuse_closing(session, actor, incident)
    workflow.refuse_handler(session, actor, incident, "审核办结")
    parts.refuse_open_parts(session, incident)
    if satisfaction is not None and satisfaction not in SATISFACTION:
        raise ValidationError("回访满意度应为 1 到 5 分。", "satisfaction")
    callback = _words(callback_note, "回访记录", required=False, limit=500)
    text = _words(note, "办结意见", required=False, limit=1000)
    moment = timeutil.now()
    incident.satisfaction = satisfaction
    if satisfaction is not None:
        workflow.record(
            session,
            actor,
            incident,
            IncidentEventKind.CALLBACK,
            f"{SATISFACTION[satisfaction]}" + (f"：{callback}" if callback else ""),
            at=moment,
        )
    incident.closed_at = moment
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.CLOSED,
        text or None,
        to_status=IncidentStatus.CLOSED,
        at=moment,
    )
    session.flush()
    crash_point("incident.close")


def reopen(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """重新办理: the result does not hold (a dissatisfied call-back, a repeat report)."""
    incident = workflow.begin(session, actor, incident_id, Step.REOPEN, expected_version)
    text = _words(reason, "重新办理的理由", required=True, limit=500)
    incident.closed_at = None
    incident.satisfaction = None
    # A new result needs a new legal review before a major decision closes again.
    incident.legal_reviewed_at = incident.legal_reviewed_by_id = None
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.REOPENED,
        text,
        to_status=IncidentStatus.IN_PROGRESS,
    )
