"""Figures for the 工作台 page and the status bar, computed in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    OPEN_INCIDENT_STATUSES,
    AgreedItem,
    AgreedItemStatus,
    Certificate,
    CertificateState,
    Extension,
    ExtensionState,
    Incident,
    IncidentStatus,
    Person,
    PersonStatus,
    Plan,
    PlanStatus,
    Staffing,
)
from commandcenter.services import settings
from commandcenter.services.actor import Actor
from commandcenter.services.incidents.listings import overdue_condition
from commandcenter.services.permissions import Action, require


@dataclass(frozen=True)
class Overview:
    today: date
    received_today: int
    open_incidents: int
    overdue: int
    due_within_two_days: int
    pending_extensions: int
    plans_awaiting_approval: int
    plans_upcoming: int
    certificates_expiring: int
    certificates_expired_in_use: int
    officers_on_duty: int
    overdue_agreed_items: int
    certificate_warning_days: int


def overdue_count(session: Session, actor: Actor, now: datetime | None = None) -> int:
    require(actor, Action.VIEW)
    moment = now or timeutil.now()
    return int(
        session.scalar(select(func.count(Incident.id)).where(overdue_condition(moment))) or 0
    )


def overview(session: Session, actor: Actor, now: datetime | None = None) -> Overview:
    require(actor, Action.VIEW)
    moment = now or timeutil.now()
    today = timeutil.local_date(moment)
    warning_days = settings.load(session).certificate_warning_days

    def count(stmt: object) -> int:
        return int(session.scalar(stmt) or 0)  # type: ignore[call-overload]

    open_status = Incident.status.in_(OPEN_INCIDENT_STATUSES)
    active_person = Person.status == PersonStatus.ON_DUTY
    return Overview(
        today=today,
        received_today=count(
            select(func.count(Incident.id)).where(
                Incident.received_at >= timeutil.start_of_local_day(today),
                Incident.received_at < timeutil.end_of_local_day(today),
                Incident.status != IncidentStatus.MERGED,  # a repeat call counts once
            )
        ),
        open_incidents=count(select(func.count(Incident.id)).where(open_status)),
        overdue=count(select(func.count(Incident.id)).where(overdue_condition(moment))),
        due_within_two_days=count(
            select(func.count(Incident.id)).where(
                open_status,
                Incident.deadline_at >= moment,
                Incident.deadline_at < moment + timedelta(days=2),
            )
        ),
        pending_extensions=count(
            select(func.count(Extension.id)).where(Extension.state == ExtensionState.REQUESTED)
        ),
        plans_awaiting_approval=count(
            select(func.count(Plan.id)).where(Plan.status == PlanStatus.SUBMITTED)
        ),
        plans_upcoming=count(
            select(func.count(Plan.id)).where(
                Plan.status == PlanStatus.APPROVED,
                Plan.planned_on >= today,
                Plan.planned_on <= today + timedelta(days=7),
            )
        ),
        certificates_expiring=count(
            select(func.count(Certificate.id))
            .join(Person, Certificate.person_id == Person.id)
            .where(
                active_person,
                Certificate.state == CertificateState.VALID,
                Certificate.expires_on >= today,
                Certificate.expires_on <= today + timedelta(days=warning_days),
            )
        ),
        certificates_expired_in_use=count(
            select(func.count(Certificate.id))
            .join(Person, Certificate.person_id == Person.id)
            .where(
                active_person,
                Certificate.state == CertificateState.VALID,
                Certificate.expires_on < today,
            )
        ),
        officers_on_duty=count(
            select(func.count(Person.id)).where(
                active_person, Person.staffing != Staffing.AUXILIARY
            )
        ),
        overdue_agreed_items=count(
            select(func.count(AgreedItem.id)).where(
                AgreedItem.status == AgreedItemStatus.OPEN, AgreedItem.deadline < today
            )
        ),
        certificate_warning_days=warning_days,
    )
