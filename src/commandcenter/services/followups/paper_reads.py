"""What the 约谈提醒书 prints, read with the permission to print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter.db.models import Interview
from commandcenter.services import records, settings
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require


@dataclass(frozen=True)
class InterviewNotice:
    centre_name: str
    number: str
    addressee: str
    person: str  # name and title
    conducted_by: str
    reason: str
    scheduled_at: datetime
    place: str
    incident_number: str
    contact: str
    issued_at: datetime


def interview_notice(session: Session, actor: Actor, interview_id: int) -> InterviewNotice:
    require(actor, Action.PRINT_DOCUMENT)
    entry = records.get(session, Interview, interview_id, "该约谈记录")
    return InterviewNotice(
        centre_name=settings.load(session).centre_name,
        number=entry.doc_number,
        addressee=entry.unit.name,
        person=entry.person_name + (f"（{entry.person_title}）" if entry.person_title else ""),
        conducted_by=entry.conducted_by,
        reason=entry.reason,
        scheduled_at=entry.scheduled_at,
        place=entry.place or "",
        incident_number=entry.incident.number if entry.incident else "",
        contact=entry.issued_by.display_name,
        issued_at=entry.issued_at,
    )


def interview_numbered(session: Session, number: str) -> int | None:
    return session.scalar(select(Interview.id).where(Interview.doc_number == number.strip()))


def newest_interview(session: Session) -> int | None:
    return session.scalar(select(Interview.id).order_by(Interview.id.desc()).limit(1))
