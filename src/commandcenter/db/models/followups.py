"""Follow-ups that are not papers about one incident: 约谈 and decisions on escalated disputes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandcenter.db.models.base import Base, IdMixin
from commandcenter.db.models.incidents import Incident
from commandcenter.db.models.org import Unit
from commandcenter.db.models.system import User


class Interview(IdMixin, Base):
    """约谈: the street calls a unit's responsible person in about its conduct (seed 002).

    Scheduled with a numbered 约谈提醒书; once held, the commitments made and the date the
    centre checks on them are recorded; it ends when the centre closes it after that check.
    """

    __tablename__ = "interviews"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    person_name: Mapped[str] = mapped_column(String(50))  # whom: the unit's responsible person
    person_title: Mapped[str | None] = mapped_column(String(50))
    conducted_by: Mapped[str] = mapped_column(String(100))  # who conducts it
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    scheduled_at: Mapped[datetime]
    place: Mapped[str | None] = mapped_column(String(100))
    doc_number: Mapped[str] = mapped_column(String(60), unique=True)
    issued_at: Mapped[datetime]
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    held_at: Mapped[datetime | None]
    commitments: Mapped[str | None] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    close_note: Mapped[str | None] = mapped_column(String(500))

    unit: Mapped[Unit] = relationship()
    incident: Mapped[Incident | None] = relationship()
    issued_by: Mapped[User] = relationship(foreign_keys=[issued_by_id])


class EscalationDecision(IdMixin, Base):
    """The decision on an incident referred upward (上报) for unclear responsibility: who
    decided, what, when, and the unit made responsible (seed 003: 由县政府决定…确定责任主体)."""

    __tablename__ = "escalation_decisions"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    referred_at: Mapped[datetime | None]  # when the incident was referred
    authority: Mapped[str] = mapped_column(String(100))  # e.g. 区人民政府
    decided_on: Mapped[date]
    decision: Mapped[str] = mapped_column(Text)
    responsible_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    incident: Mapped[Incident] = relationship()
    responsible_unit: Mapped[Unit] = relationship()
