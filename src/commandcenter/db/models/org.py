"""Units (a tree), grids and the yearly establishment of each unit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandcenter.db.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, enum_type
from commandcenter.enums import DepartmentType, UnitKind

if TYPE_CHECKING:
    from commandcenter.db.models.people import Person


class Unit(IdMixin, TimestampMixin, VersionedMixin, Base):
    """Street office, command centre, squads, district departments, their agencies, communities."""

    __tablename__ = "units"

    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    short_name: Mapped[str] = mapped_column(String(30))
    kind: Mapped[UnitKind] = mapped_column(enum_type(UnitKind), index=True)
    department_type: Mapped[DepartmentType | None] = mapped_column(enum_type(DepartmentType))
    # Enforcement field codes the unit covers (e.g. 市场监管), comma separated, for routing.
    fields: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id", back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")


class Grid(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "grids"

    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    description: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)

    community: Mapped[Unit | None] = relationship()
    worker: Mapped[Person | None] = relationship(foreign_keys=[worker_id])


class Establishment(IdMixin, TimestampMixin, Base):
    """Approved headcount of a unit for a year (空编率, R9)."""

    __tablename__ = "establishments"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int]
    approved_headcount: Mapped[int]
    # For district departments: enforcement staff in total, of whom locked to this street (R9).
    enforcement_total: Mapped[int | None]
    enforcement_locked: Mapped[int | None]
    # Approved auxiliaries (协勤核定数, seed 001 (14)); None until the unit's number is set.
    approved_auxiliaries: Mapped[int | None]
