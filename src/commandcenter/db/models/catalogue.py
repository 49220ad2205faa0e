"""The versioned enforcement item catalogue and the working-day calendar."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandcenter.db.models.base import Base, IdMixin, TimestampMixin, enum_type
from commandcenter.db.models.org import Unit
from commandcenter.enums import CalendarDayKind, ListType


class CatalogueVersion(IdMixin, TimestampMixin, Base):
    __tablename__ = "catalogue_versions"

    label: Mapped[str] = mapped_column(String(100), unique=True)
    effective_from: Mapped[date]
    effective_to: Mapped[date | None]
    source: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)

    items: Mapped[list[CatalogueItem]] = relationship(
        back_populates="version", order_by="CatalogueItem.code"
    )


class CatalogueItem(IdMixin, Base):
    __tablename__ = "catalogue_items"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    version_id: Mapped[int] = mapped_column(ForeignKey("catalogue_versions.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    legal_basis: Mapped[str | None] = mapped_column(Text)
    field: Mapped[str] = mapped_column(String(40))
    list_type: Mapped[ListType] = mapped_column(enum_type(ListType))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    time_limit_days: Mapped[int | None]
    time_limit_hours: Mapped[int | None]  # urgent items count working hours instead
    # The industries (行业) the item applies to, joined by 、; empty: any business. A plan's
    # target pool follows its items' industries (services/catalogue_industries).
    industries: Mapped[str] = mapped_column(String(200), default="", server_default="")

    version: Mapped[CatalogueVersion] = relationship(back_populates="items")
    department: Mapped[Unit | None] = relationship()


class CalendarYear(Base):
    """A year whose holidays are known; deadlines in other years are marked uncertain (R7)."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(200))
    loaded_at: Mapped[datetime]


class CalendarDay(Base):
    """An exception to the Monday-to-Friday week: a holiday, or a weekend day worked (调休)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[CalendarDayKind] = mapped_column(enum_type(CalendarDayKind))
    name: Mapped[str | None] = mapped_column(String(50))
