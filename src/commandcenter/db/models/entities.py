"""Inspected entities (检查对象) and the recusal register (回避)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandcenter.db.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, enum_type
from commandcenter.db.models.org import Grid
from commandcenter.db.models.people import Person
from commandcenter.enums import CreditGrade


class Entity(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "entities"

    name: Mapped[str] = mapped_column(String(200), index=True)
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    address: Mapped[str | None] = mapped_column(String(200))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"), index=True)
    industry: Mapped[str | None] = mapped_column(String(50), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    credit_grade: Mapped[CreditGrade] = mapped_column(
        enum_type(CreditGrade), default=CreditGrade.GREEN
    )
    active: Mapped[bool] = mapped_column(default=True)

    grid: Mapped[Grid | None] = relationship()


class Recusal(IdMixin, TimestampMixin, Base):
    """A person who must not inspect an entity (kinship, interest), with reason and dates."""

    __tablename__ = "recusals"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    reason: Mapped[str] = mapped_column(String(300))
    from_date: Mapped[date]
    to_date: Mapped[date | None]

    person: Mapped[Person] = relationship()
    entity: Mapped[Entity] = relationship()
