"""Year-end assessment (考核): schemes with indicators and grade bands, and the sheets."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandcenter.db.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, enum_type
from commandcenter.db.models.org import Unit
from commandcenter.db.models.people import Person
from commandcenter.enums import (
    AssessmentSubject,
    Grade,
    IndicatorSide,
    IndicatorSource,
    PersonGroup,
    SheetStatus,
)


class AssessmentScheme(IdMixin, TimestampMixin, Base):
    __tablename__ = "assessment_schemes"
    __table_args__ = (UniqueConstraint("year", "subject", "group"),)

    year: Mapped[int]
    subject: Mapped[AssessmentSubject] = mapped_column(enum_type(AssessmentSubject))
    # A person scheme assesses one group; an agency scheme has none.
    group: Mapped[PersonGroup | None] = mapped_column(enum_type(PersonGroup))
    name: Mapped[str] = mapped_column(String(200))
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_schemes.id"))

    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="scheme", order_by="Indicator.sort_order"
    )
    bands: Mapped[list[GradeBand]] = relationship(
        back_populates="scheme", order_by="GradeBand.min_score.desc()"
    )


class Indicator(IdMixin, Base):
    __tablename__ = "assessment_indicators"
    __table_args__ = (UniqueConstraint("scheme_id", "code"),)

    scheme_id: Mapped[int] = mapped_column(ForeignKey("assessment_schemes.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    source: Mapped[IndicatorSource] = mapped_column(enum_type(IndicatorSource))
    metric: Mapped[str | None] = mapped_column(String(40))  # which computed figure, if computed
    side: Mapped[IndicatorSide] = mapped_column(
        enum_type(IndicatorSide), default=IndicatorSide.STREET
    )
    weight: Mapped[float] = mapped_column(Numeric(6, 2))
    # A computed figure scores linearly: full marks at full_at, none at zero_at (either way up).
    full_at: Mapped[float | None] = mapped_column(Numeric(12, 4))
    zero_at: Mapped[float | None] = mapped_column(Numeric(12, 4))
    max_score: Mapped[float] = mapped_column(Numeric(6, 2), default=100)
    sort_order: Mapped[int] = mapped_column(default=0)
    description: Mapped[str | None] = mapped_column(Text)

    scheme: Mapped[AssessmentScheme] = relationship(back_populates="indicators")


class GradeBand(IdMixin, Base):
    __tablename__ = "assessment_grade_bands"
    __table_args__ = (UniqueConstraint("scheme_id", "grade"),)

    scheme_id: Mapped[int] = mapped_column(ForeignKey("assessment_schemes.id"))
    grade: Mapped[Grade] = mapped_column(enum_type(Grade))
    min_score: Mapped[float] = mapped_column(Numeric(6, 2))

    scheme: Mapped[AssessmentScheme] = relationship(back_populates="bands")


class AssessmentSheet(IdMixin, TimestampMixin, VersionedMixin, Base):
    """One sheet per agency or person per year; locked by a leader when signed."""

    __tablename__ = "assessment_sheets"
    __table_args__ = (
        UniqueConstraint("scheme_id", "unit_id"),
        UniqueConstraint("scheme_id", "person_id"),
    )

    scheme_id: Mapped[int] = mapped_column(ForeignKey("assessment_schemes.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    status: Mapped[SheetStatus] = mapped_column(enum_type(SheetStatus), default=SheetStatus.DRAFT)
    street_score: Mapped[float | None] = mapped_column(Numeric(6, 2))
    department_score: Mapped[float | None] = mapped_column(Numeric(6, 2))
    total_score: Mapped[float | None] = mapped_column(Numeric(6, 2))
    grade: Mapped[Grade | None] = mapped_column(enum_type(Grade))
    period_start: Mapped[date | None]  # the data the computed figures were taken from
    period_end: Mapped[date | None]
    computed_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    locked_at: Mapped[datetime | None]
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    remarks: Mapped[str | None] = mapped_column(Text)

    scheme: Mapped[AssessmentScheme] = relationship()
    unit: Mapped[Unit | None] = relationship()
    person: Mapped[Person | None] = relationship()
    scores: Mapped[list[Score]] = relationship(back_populates="sheet")


class Score(IdMixin, Base):
    __tablename__ = "assessment_scores"
    __table_args__ = (UniqueConstraint("sheet_id", "indicator_id"),)

    sheet_id: Mapped[int] = mapped_column(ForeignKey("assessment_sheets.id"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("assessment_indicators.id"))
    raw_value: Mapped[float | None] = mapped_column(Numeric(12, 4))
    score: Mapped[float | None] = mapped_column(Numeric(6, 2))
    source_note: Mapped[str | None] = mapped_column(String(500))  # where the figure comes from
    entered_at: Mapped[datetime | None]  # a hand score: when and by whom
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    sheet: Mapped[AssessmentSheet] = relationship(back_populates="scores")
    indicator: Mapped[Indicator] = relationship()


class PersonnelMotion(IdMixin, TimestampMixin, VersionedMixin, Base):
    """人事调整动议 on an agency graded 不合格, and the record that the street's party working
    committee (街道党工委) was consulted: the motion prints only once that record is in."""

    __tablename__ = "personnel_motions"

    sheet_id: Mapped[int] = mapped_column(ForeignKey("assessment_sheets.id"), unique=True)
    # The agency's 主要负责人: the roster records no head of a unit, so it is typed here.
    head_name: Mapped[str] = mapped_column(String(50))
    head_position: Mapped[str | None] = mapped_column(String(50))
    reasons: Mapped[str] = mapped_column(Text)
    meeting_date: Mapped[date]
    meeting_name: Mapped[str] = mapped_column(String(200))  # 会议名称 / 纪要编号
    decision: Mapped[str] = mapped_column(Text)
    entered_at: Mapped[datetime]
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    sheet: Mapped[AssessmentSheet] = relationship()
