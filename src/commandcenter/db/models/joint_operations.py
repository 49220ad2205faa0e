"""Joint operations (联合执法): plans, their departments, items, targets, officers and draws."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Boolean, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandcenter.db.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, enum_type
from commandcenter.db.models.catalogue import CatalogueItem
from commandcenter.db.models.entities import Entity
from commandcenter.db.models.org import Grid, Unit
from commandcenter.db.models.people import Person
from commandcenter.enums import DrawKind, InspectionResult, PlanStatus, PlanTheme

plan_departments = Table(
    "plan_departments",
    Base.metadata,
    Column("plan_id", ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True),
    # Recorded when the plan is finished: None until then; the note says who came or why not.
    Column("attended", Boolean, nullable=True),
    Column("attendance_note", String(500), nullable=True),
)

plan_grids = Table(
    "plan_grids",
    Base.metadata,
    Column("plan_id", ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    Column("grid_id", ForeignKey("grids.id"), primary_key=True),
)

plan_items = Table(
    "plan_items",
    Base.metadata,
    Column("plan_id", ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("catalogue_items.id"), primary_key=True),
)


class Plan(IdMixin, TimestampMixin, VersionedMixin, Base):
    """行动方案."""

    __tablename__ = "plans"

    number: Mapped[str | None] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    theme: Mapped[PlanTheme] = mapped_column(enum_type(PlanTheme))
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    status: Mapped[PlanStatus] = mapped_column(enum_type(PlanStatus), default=PlanStatus.DRAFT)
    planned_on: Mapped[date] = mapped_column(index=True)
    start_time: Mapped[time | None]
    end_time: Mapped[time | None]
    objective: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]

    lead_unit: Mapped[Unit] = relationship()
    departments: Mapped[list[Unit]] = relationship(secondary=plan_departments)
    grids: Mapped[list[Grid]] = relationship(secondary=plan_grids)
    items: Mapped[list[CatalogueItem]] = relationship(secondary=plan_items)
    targets: Mapped[list[PlanTarget]] = relationship(back_populates="plan")
    officers: Mapped[list[PlanOfficer]] = relationship(back_populates="plan")
    draws: Mapped[list[Draw]] = relationship(back_populates="plan", order_by="Draw.drawn_at")


class PlanTarget(IdMixin, Base):
    __tablename__ = "plan_targets"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    team: Mapped[int] = mapped_column(default=1)
    result: Mapped[InspectionResult] = mapped_column(
        enum_type(InspectionResult), default=InspectionResult.PENDING
    )
    findings: Mapped[str | None] = mapped_column(Text)
    inspected_at: Mapped[datetime | None]
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    # A target already inspected the yearly cap, kept on the plan because a leader approved it.
    cap_override_reason: Mapped[str | None] = mapped_column(String(500))
    cap_override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cap_override_at: Mapped[datetime | None]

    plan: Mapped[Plan] = relationship(back_populates="targets")
    entity: Mapped[Entity] = relationship()


class PlanOfficer(Base):
    __tablename__ = "plan_officers"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True, index=True)
    team: Mapped[int] = mapped_column(default=1)

    plan: Mapped[Plan] = relationship(back_populates="officers")
    person: Mapped[Person] = relationship()


class Draw(IdMixin, Base):
    """A random draw (双随机, R8): everything needed to publish it and to replay it exactly."""

    __tablename__ = "draws"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    kind: Mapped[DrawKind] = mapped_column(enum_type(DrawKind))
    seed: Mapped[str] = mapped_column(String(64))
    algorithm_version: Mapped[str] = mapped_column(String(20))
    parameters: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # Lists of JSON objects ({"id", "name", "weight", ...}): what the record shows and replays.
    pool: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    exclusions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    result: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    drawn_at: Mapped[datetime]
    drawn_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("draws.id"))
    redraw_reason: Mapped[str | None] = mapped_column(String(500))
    doc_number: Mapped[str | None] = mapped_column(String(60))

    plan: Mapped[Plan] = relationship(back_populates="draws")
