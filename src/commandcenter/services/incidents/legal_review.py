"""法制审核 with an outcome, and the 重大执法决定 mark that calls for it (R5, R6).

A review of a major decision's result is 通过 or 不通过, with the reviewer's opinion; 不通过 names
the points to correct and sends the case back to the lead unit for 补正: the incident returns to
处置中 with ``correction_requested_at`` set, the failed report no longer counts as the unit's
report (its own deadline keeps running, extensions as usual), and its next 反馈 asks for a new
review. Only the latest review counts: a major decision closes after a 通过 that no later report
or reopening has overtaken, and only a leader closes it.

A leader may mark a case major at any stage before closing, with a reason: from then on a
dispatch not yet issued waits for a leader's approval, and the closing waits for a review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    Incident,
    IncidentEventKind,
    IncidentStatus,
    LegalReview,
    LegalReviewOutcome,
    Unit,
)
from commandcenter.errors import ValidationError
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import workflow
from commandcenter.services.incidents.workflow import Step
from commandcenter.services.permissions import Action, require


def _words(value: str | None, what: str, field: str, *, required: bool, limit: int) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(f"请填写{what}。", field)
    if len(text) > limit:
        raise ValidationError(f"{what}不能超过 {limit} 个字。", field)
    return text


def review(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    outcome: LegalReviewOutcome,
    opinion: str,
    corrections: str = "",
    expected_version: int | None = None,
) -> LegalReview:
    """Record a legal review of the reported result; 不通过 sends it back for 补正."""
    incident = workflow.begin(session, actor, incident_id, Step.LEGAL_REVIEW, expected_version)
    if not incident.is_major:
        raise ValidationError("该事件未标记为重大执法决定，无需法制审核。")
    workflow.refuse_handler(session, actor, incident, "进行法制审核")
    text = _words(opinion, "审核意见", "opinion", required=True, limit=1000)
    points = _words(
        corrections,
        "需补正的事项",
        "corrections",
        required=outcome is LegalReviewOutcome.FAILED,
        limit=1000,
    )
    moment = timeutil.now()
    entry = LegalReview(
        incident_id=incident.id,
        reviewed_at=moment,
        reviewed_by_id=actor.user_id,
        outcome=outcome,
        opinion=text,
        corrections=points or None,
    )
    session.add(entry)
    if outcome is LegalReviewOutcome.PASSED:
        incident.legal_reviewed_at = moment
        incident.legal_reviewed_by_id = actor.user_id
        workflow.record(
            session, actor, incident, IncidentEventKind.LEGAL_REVIEW, f"通过：{text}", at=moment
        )
        return entry
    # 补正: the unit's report did not hold; it reports again against its own deadline.
    incident.legal_reviewed_at = incident.legal_reviewed_by_id = None
    incident.correction_requested_at = moment
    incident.reported_at = None
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.LEGAL_REVIEW,
        f"不通过：{text}；需补正：{points}。退回承办单位补正后重新审核",
        to_status=IncidentStatus.IN_PROGRESS,
        at=moment,
    )
    return entry


def latest(session: Session, incident_id: int) -> LegalReview | None:
    return session.scalar(
        select(LegalReview)
        .where(LegalReview.incident_id == incident_id)
        .order_by(LegalReview.reviewed_at.desc(), LegalReview.id.desc())
        .limit(1)
    )


def refuse_closing(session: Session, actor: Actor, incident: Incident) -> None:
    """A major decision closes only by a leader, after a 通过 review by someone else (R5, R6)."""
    if not incident.is_major:
        return
    require(actor, Action.CLOSE_MAJOR_DECISION)
    last = latest(session, incident.id)
    if last is not None and last.outcome is LegalReviewOutcome.FAILED:
        raise ValidationError(
            f"事件 {incident.number} 最近一次法制审核未通过，须承办单位补正并重新审核通过后才能办结"
            "（未经法制审核或审核未通过的，不得作出决定）。"
        )
    if incident.legal_reviewed_at is None:
        raise ValidationError(
            f"事件 {incident.number} 为重大执法决定，须先经法制审核通过，才能办结"
            "（未经法制审核或审核未通过的，不得作出决定）。"
        )
    if actor.user_id == incident.legal_reviewed_by_id:
        raise ValidationError("法制审核人不能同时决定办结（办、审、定三分离），请由其他领导办结。")


def mark_major(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """A leader marks the case 重大执法决定 before it closes: the gates apply from now on."""
    incident = workflow.begin(session, actor, incident_id, Step.MARK_MAJOR, expected_version)
    if incident.is_major:
        raise ValidationError(f"事件 {incident.number} 已是重大执法决定。")
    text = _words(reason, "标记理由", "reason", required=True, limit=500)
    incident.is_major = True
    issued = incident.dispatched_at is not None
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.NOTE,
        f"标记为重大执法决定：{text}。"
        + (
            "办结前须经法制审核通过，由领导决定办结"
            if issued
            else "派单须经领导审批，办结前须经法制审核"
        )
        + "。",
        action="incident.mark_major",
    )


@dataclass(frozen=True)
class CorrectionRow:
    """A major decision waiting for its unit's 补正 after a failed review (法制审核待补正)."""

    incident_id: int
    number: str
    title: str
    unit: str
    requested_at: datetime
    corrections: str
    unit_deadline_at: datetime | None


def awaiting_correction(session: Session, actor: Actor) -> list[CorrectionRow]:
    """The 工作台 list 法制审核待补正: failed reviews whose unit has not reported again, oldest
    request first."""
    require(actor, Action.VIEW)
    rows = session.execute(
        select(Incident, Unit.short_name)
        .outerjoin(Unit, Incident.lead_unit_id == Unit.id)
        .where(Incident.correction_requested_at.is_not(None))
        .order_by(Incident.correction_requested_at, Incident.id)
    ).all()
    result = []
    for incident, unit in rows:
        assert incident.correction_requested_at is not None
        last = latest(session, incident.id)
        result.append(
            CorrectionRow(
                incident_id=incident.id,
                number=incident.number,
                title=incident.title,
                unit=unit or "",
                requested_at=incident.correction_requested_at,
                corrections=(last.corrections or "") if last else "",
                unit_deadline_at=incident.unit_deadline_at,
            )
        )
    return result
