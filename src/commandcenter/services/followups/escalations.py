"""Decisions on incidents referred upward (上报) because responsibility was unclear or several
departments were concerned (seed 003: 由县政府决定…确定责任主体).

The decision records who decided (the authority), on which day, what, and the unit made
responsible. The incident then takes the route that unit gives: a district department receives
it by transfer (移送); any other unit (the squad, an agency stationed in the street, a
community) leads it and it is dispatched to it. Its deadline is set as at a triage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    EscalationDecision,
    IncidentEvent,
    IncidentEventKind,
    IncidentStatus,
    Route,
    Unit,
    UnitKind,
)
from commandcenter.errors import ValidationError
from commandcenter.services import records
from commandcenter.services.actor import Actor
from commandcenter.services.followups.common import day_in_past, long_text
from commandcenter.services.incidents import deadlines, workflow
from commandcenter.services.incidents.workflow import Step
from commandcenter.services.work_calendar import WorkCalendar

RESPONSIBLE = (UnitKind.SQUAD, UnitKind.AGENCY, UnitKind.DEPARTMENT, UnitKind.COMMUNITY)


@dataclass
class EscalationForm:
    authority: str = "区人民政府"
    decided_on: date | None = None
    decision: str = ""
    responsible_unit_id: int | None = None


def route_for(unit: Unit) -> Route:
    """A district department takes the case by transfer; a unit in the street leads it."""
    return Route.TRANSFER if unit.kind is UnitKind.DEPARTMENT else Route.SQUAD


def record_decision(
    session: Session,
    actor: Actor,
    incident_id: int,
    form: EscalationForm,
    expected_version: int | None = None,
) -> EscalationDecision:
    incident = workflow.begin(
        session, actor, incident_id, Step.ESCALATION_DECISION, expected_version
    )
    authority = records.text(form.authority, "authority", "决定机关", limit=100)
    if not authority:
        raise ValidationError("请填写作出决定的机关，例如“区人民政府”。", "authority")
    referred_at = session.scalar(
        select(IncidentEvent.at)
        .where(
            IncidentEvent.incident_id == incident.id,
            IncidentEvent.kind == IncidentEventKind.REFERRED,
        )
        .order_by(IncidentEvent.at.desc())
        .limit(1)
    )
    day = day_in_past(
        form.decided_on, "决定日期", "decided_on", not_before=referred_at or incident.received_at
    )
    decision = long_text(form.decision, "decision", "决定内容")
    if form.responsible_unit_id is None:
        raise ValidationError("请选择确定的责任单位。", "responsible_unit_id")
    unit = records.get(session, Unit, form.responsible_unit_id, "责任单位")
    if not unit.active or unit.kind not in RESPONSIBLE:
        raise ValidationError(
            "责任单位应为在用的执法中队、派驻机构、区级部门或村社区。", "responsible_unit_id"
        )
    moment = timeutil.now()
    assert actor.user_id is not None
    entry = EscalationDecision(
        incident_id=incident.id,
        referred_at=referred_at,
        authority=authority,
        decided_on=day,
        decision=decision,
        responsible_unit_id=unit.id,
        recorded_at=moment,
        recorded_by_id=actor.user_id,
    )
    session.add(entry)
    route = route_for(unit)
    incident.route = route
    incident.route_override_reason = None
    incident.lead_unit_id = unit.id
    deadlines.set_deadline(session, incident, WorkCalendar.load(session))
    words = [
        f"{authority}{timeutil.chinese_date(day)}决定：{decision}",
        f"责任单位 {unit.short_name}",
        f"处置路径：{route.label}",
    ]
    if incident.deadline_at is not None:
        words.append(f"办理期限 {timeutil.format_local(incident.deadline_at)}")
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.TRIAGED,
        "；".join(words),
        to_status=IncidentStatus.TRIAGED,
        at=moment,
    )
    return entry


def decision_of(session: Session, incident_id: int) -> EscalationDecision | None:
    return session.scalar(
        select(EscalationDecision)
        .where(EscalationDecision.incident_id == incident_id)
        .order_by(EscalationDecision.id.desc())
    )
