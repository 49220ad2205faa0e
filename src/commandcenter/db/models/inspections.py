"""双随机一公开's last part and the year's plan: published inspection results, credit-grade
changes with their reasons, and the 年度检查总计划 with its lines by industry and department."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandcenter.db.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, enum_type
from commandcenter.db.models.entities import Entity
from commandcenter.db.models.org import Unit
from commandcenter.enums import CreditGrade


class InspectionPublication(IdMixin, TimestampMixin, Base):
    """抽查结果公示: the list of one period as it was published, frozen.

    ``rows`` holds each line as printed (entity, code, plan, date, items, result, and the target
    it came from), so renaming an entity or correcting a result later leaves it as published.
    """

    __tablename__ = "inspection_publications"

    period_from: Mapped[date] = mapped_column(index=True)
    period_to: Mapped[date]
    published_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(100))  # 政府网站, 街道公示栏 …
    note: Mapped[str | None] = mapped_column(String(500))  # a web address, a notice board's place
    published_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class EntityGradeChange(IdMixin, Base):
    """A change of an entity's credit grade, decided by the centre with its reason; the
    inspection that prompted it, where there was one."""

    __tablename__ = "entity_grade_changes"

    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    from_grade: Mapped[CreditGrade] = mapped_column(enum_type(CreditGrade))
    to_grade: Mapped[CreditGrade] = mapped_column(enum_type(CreditGrade))
    reason: Mapped[str] = mapped_column(String(500))
    plan_target_id: Mapped[int | None] = mapped_column(ForeignKey("plan_targets.id"))
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime]

    entity: Mapped[Entity] = relationship()


class AnnualInspectionPlan(IdMixin, TimestampMixin, VersionedMixin, Base):
    """年度检查总计划: one a year."""

    __tablename__ = "annual_inspection_plans"

    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(String(1000))

    lines: Mapped[list[AnnualPlanLine]] = relationship(
        back_populates="plan", order_by="AnnualPlanLine.id", cascade="all, delete-orphan"
    )


class AnnualPlanLine(IdMixin, Base):
    """One industry (all when empty) with one department (any when empty): the share of its
    entities to check, how often each a year, and whether every one must be checked."""

    __tablename__ = "annual_plan_lines"
    __table_args__ = (UniqueConstraint("plan_id", "industry", "department_id"),)

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("annual_inspection_plans.id", ondelete="CASCADE"), index=True
    )
    industry: Mapped[str | None] = mapped_column(String(50))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    percent: Mapped[int]  # 抽查比例, whole per cent
    frequency: Mapped[int] = mapped_column(default=1)  # times a year for each entity drawn
    full_coverage: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[AnnualInspectionPlan] = relationship(back_populates="lines")
    department: Mapped[Unit | None] = relationship()
