"""Grid patrols (seed 004 III.3 网格化巡查机制): who walked a grid when, where, and what they found."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandcenter.db.models.base import Base, IdMixin, TimestampMixin
from commandcenter.db.models.incidents import Incident
from commandcenter.db.models.org import Grid
from commandcenter.db.models.people import Person

patrol_members = Table(
    "patrol_members",
    Base.metadata,
    Column("patrol_id", ForeignKey("grid_patrols.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id"), primary_key=True, index=True),
)


class GridPatrol(IdMixin, TimestampMixin, Base):
    __tablename__ = "grid_patrols"

    grid_id: Mapped[int] = mapped_column(ForeignKey("grids.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    minutes: Mapped[int | None]  # how long it took, where known
    route: Mapped[str] = mapped_column(String(500))  # the route walked or the places visited
    notes: Mapped[str | None] = mapped_column(String(1000))

    grid: Mapped[Grid] = relationship()
    members: Mapped[list[Person]] = relationship(secondary=patrol_members)
    problems: Mapped[list[PatrolProblem]] = relationship(
        back_populates="patrol",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PatrolProblem.id",
    )


class PatrolProblem(IdMixin, Base):
    """A problem found on a patrol; once registered, the incident it became."""

    __tablename__ = "patrol_problems"

    patrol_id: Mapped[int] = mapped_column(ForeignKey("grid_patrols.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(String(500))
    address: Mapped[str | None] = mapped_column(String(200))
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)

    patrol: Mapped[GridPatrol] = relationship(back_populates="problems")
    incident: Mapped[Incident | None] = relationship()
