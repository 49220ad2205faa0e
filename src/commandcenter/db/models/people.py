"""The roster: people, enforcement certificates, training and the liaison directory."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandcenter.db.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, enum_type
from commandcenter.db.models.org import Unit
from commandcenter.enums import (
    CertificateState,
    Gender,
    LiaisonRole,
    PersonStatus,
    Staffing,
    Stationing,
    TrainingKind,
)


class Person(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "people"
    __table_args__ = (Index("ix_people_unit_status", "unit_id", "status"),)

    name: Mapped[str] = mapped_column(String(50), index=True)
    # Pinyin initials of the name ("zw" for 张伟) so a person is found by typing a few letters;
    # space-separated variants where the surname has several readings ("cw zw" for 曾伟).
    name_initials: Mapped[str] = mapped_column(String(60), default="", index=True)
    gender: Mapped[Gender | None] = mapped_column(enum_type(Gender))
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True)
    mobile: Mapped[str | None] = mapped_column(String(20))
    office_phone: Mapped[str | None] = mapped_column(String(30))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    position: Mapped[str | None] = mapped_column(String(50))
    staffing: Mapped[Staffing] = mapped_column(enum_type(Staffing))
    stationing: Mapped[Stationing | None] = mapped_column(enum_type(Stationing))
    status: Mapped[PersonStatus] = mapped_column(
        enum_type(PersonStatus), default=PersonStatus.ON_DUTY
    )
    status_since: Mapped[date | None]
    status_until: Mapped[date | None]  # expected end of leave or secondment
    # Enforcement field codes, comma separated (市场监管,自然资源, ...).
    fields: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[Unit] = relationship()
    postings: Mapped[list[PersonPosting]] = relationship(
        back_populates="person", order_by="PersonPosting.from_date"
    )
    certificates: Mapped[list[Certificate]] = relationship(
        back_populates="person", order_by="Certificate.expires_on.desc()"
    )

    @property
    def is_auxiliary(self) -> bool:
        """Auxiliary staff may accompany but never count as enforcement officers (R1, R10)."""
        return self.staffing is Staffing.AUXILIARY


class PersonPosting(IdMixin, Base):
    """Where a person worked from a date: unit, staffing and position. The latest is the
    current one; the year's history decides which assessment scheme he falls under."""

    __tablename__ = "person_postings"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    staffing: Mapped[Staffing] = mapped_column(enum_type(Staffing))
    position: Mapped[str | None] = mapped_column(String(50))
    from_date: Mapped[date]

    person: Mapped[Person] = relationship(back_populates="postings")
    unit: Mapped[Unit] = relationship()


class Certificate(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "certificates"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    issuer: Mapped[str] = mapped_column(String(100))
    fields: Mapped[str] = mapped_column(String(200), default="")
    area: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[date]
    expires_on: Mapped[date] = mapped_column(index=True)
    last_review_on: Mapped[date | None]
    state: Mapped[CertificateState] = mapped_column(
        enum_type(CertificateState), default=CertificateState.VALID
    )

    person: Mapped[Person] = relationship(back_populates="certificates")


class CertificateEvent(IdMixin, Base):
    """History of a certificate: issued, reviewed, suspended, revoked, renewed."""

    __tablename__ = "certificate_events"

    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(String(500))


training_attendance = Table(
    "training_attendance",
    Base.metadata,
    Column("course_id", ForeignKey("training_courses.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id"), primary_key=True, index=True),
)


class TrainingCourse(IdMixin, TimestampMixin, Base):
    __tablename__ = "training_courses"

    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[TrainingKind] = mapped_column(enum_type(TrainingKind))
    held_on: Mapped[date] = mapped_column(index=True)
    hours: Mapped[float]
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    attendees: Mapped[list[Person]] = relationship(secondary=training_attendance)


class TrainingExam(IdMixin, TimestampMixin, Base):
    """An exam held after a course, or on its own (seed 003 (7): 培训考试合格后申领执法证)."""

    __tablename__ = "training_exams"

    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(index=True)
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_courses.id", ondelete="SET NULL"), index=True
    )
    full_mark: Mapped[float] = mapped_column(default=100.0)
    pass_mark: Mapped[float] = mapped_column(default=60.0)

    course: Mapped[TrainingCourse | None] = relationship()
    results: Mapped[list[ExamResult]] = relationship(
        back_populates="exam", cascade="all, delete-orphan", passive_deletes=True
    )


class ExamResult(IdMixin, Base):
    """One person's score in an exam; *passed* is fixed against the pass mark when entered."""

    __tablename__ = "exam_results"
    __table_args__ = (UniqueConstraint("exam_id", "person_id"),)

    exam_id: Mapped[int] = mapped_column(ForeignKey("training_exams.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    score: Mapped[float]
    passed: Mapped[bool]

    exam: Mapped[TrainingExam] = relationship(back_populates="results")
    person: Mapped[Person] = relationship()


class CertificateApplication(IdMixin, TimestampMixin, Base):
    """An application for an enforcement certificate, on the strength of a passed exam."""

    __tablename__ = "certificate_applications"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    exam_result_id: Mapped[int] = mapped_column(ForeignKey("exam_results.id"))
    applied_on: Mapped[date] = mapped_column(index=True)
    note: Mapped[str | None] = mapped_column(String(500))

    person: Mapped[Person] = relationship()
    exam_result: Mapped[ExamResult] = relationship()


class Liaison(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A row of the point-to-point liaison directory (通讯名录) of a district department."""

    __tablename__ = "liaisons"
    __table_args__ = (UniqueConstraint("department_id", "role"),)

    department_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[LiaisonRole] = mapped_column(enum_type(LiaisonRole))
    office: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(50))
    position: Mapped[str | None] = mapped_column(String(50))
    mobile: Mapped[str | None] = mapped_column(String(20))
    office_phone: Mapped[str | None] = mapped_column(String(30))
    duty_hours: Mapped[str | None] = mapped_column(String(100))  # 值班时间, e.g. 工作日 8:30-17:30
    notes: Mapped[str | None] = mapped_column(String(500))

    department: Mapped[Unit] = relationship()
