"""What follows a dispatch beside the lead unit's own steps: each co-operating unit's part and
the legal reviews of a major decision, with their outcomes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandcenter.db.models.base import Base, IdMixin, enum_type
from commandcenter.db.models.incidents import Incident
from commandcenter.db.models.org import Unit
from commandcenter.db.models.system import User
from commandcenter.enums import LegalReviewOutcome, PartState


class IncidentPart(Base):
    """A co-operating unit's (协办) own part of an incident: it signs for it and reports it on
    its own, against the unit deadline of the dispatch; the centre may waive it with a reason.
    The lead unit's part is the incident itself."""

    __tablename__ = "incident_parts"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)
    state: Mapped[PartState] = mapped_column(enum_type(PartState), default=PartState.DISPATCHED)
    accepted_at: Mapped[datetime | None]
    accepted_by: Mapped[str | None] = mapped_column(String(50))  # who signed for the unit
    # Indexed for the figures counting reports in a period (migration 0019).
    reported_at: Mapped[datetime | None] = mapped_column(index=True)
    result: Mapped[str | None] = mapped_column(Text)
    waived_at: Mapped[datetime | None]
    waived_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    waive_reason: Mapped[str | None] = mapped_column(String(500))

    incident: Mapped[Incident] = relationship()
    unit: Mapped[Unit] = relationship()
    waived_by: Mapped[User | None] = relationship()


class LegalReview(IdMixin, Base):
    """One 法制审核 of a major decision's result. The latest decides: 通过 lets a leader close
    the case, 不通过 sends it back to the unit for 补正 and asks for a new review."""

    __tablename__ = "legal_reviews"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    reviewed_at: Mapped[datetime]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[LegalReviewOutcome] = mapped_column(enum_type(LegalReviewOutcome))
    opinion: Mapped[str] = mapped_column(Text, default="")
    corrections: Mapped[str | None] = mapped_column(Text)  # 需补正的事项, when not passed

    reviewed_by: Mapped[User | None] = relationship()
