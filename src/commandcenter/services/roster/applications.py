"""Applications for an enforcement certificate (seed 003 (7)).

Only a person on the establishment or dispatched (never an auxiliary, R10), still serving, with
no certificate in force, who passed a training exam held within :data:`EXAM_VALID_DAYS` before
the application, may apply; the application names the passed result it rests on. Everyone else is
refused with the reason in words, and the list of who may apply (:func:`candidates`) is built from
the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    Certificate,
    CertificateApplication,
    CertificateState,
    ExamResult,
    Person,
    PersonStatus,
    Staffing,
    TrainingExam,
    Unit,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require
from commandcenter.services.roster.people import person_label

# An exam pass supports an application for a year after the exam.
EXAM_VALID_DAYS = 365

_GONE = {PersonStatus.RETIRED: "已退休", PersonStatus.TRANSFERRED: "已调离"}


def _latest_result(
    session: Session, person_id: int, on: date
) -> tuple[ExamResult, TrainingExam] | None:
    row = session.execute(
        select(ExamResult, TrainingExam)
        .join(TrainingExam, ExamResult.exam_id == TrainingExam.id)
        .where(
            ExamResult.person_id == person_id,
            TrainingExam.held_on <= on,
            TrainingExam.held_on > on - timedelta(days=EXAM_VALID_DAYS),
        )
        .order_by(ExamResult.passed.desc(), TrainingExam.held_on.desc(), ExamResult.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def refusal(session: Session, person: Person, on: date) -> tuple[str, ExamResult | None]:
    """Why *person* cannot apply on *on* ('' when he can), and the passed result he can apply on."""
    gone = _GONE.get(person.status)
    if gone:
        return f"{person.name}{gone}，不能申领执法证。", None
    if person.staffing is Staffing.AUXILIARY:
        return f"{person.name}是编外协勤人员，不得申领执法证。", None
    in_force = session.scalar(
        select(Certificate.number).where(
            Certificate.person_id == person.id,
            Certificate.state == CertificateState.VALID,
            Certificate.expires_on >= on,
        )
    )
    if in_force:
        return f"{person.name}已持有有效执法证（{in_force}），无需申领。", None
    pending = session.scalar(
        select(CertificateApplication.applied_on)
        .where(
            CertificateApplication.person_id == person.id,
            CertificateApplication.applied_on > on - timedelta(days=EXAM_VALID_DAYS),
            ~select(Certificate.id)
            .where(
                Certificate.person_id == person.id,
                Certificate.issued_on >= CertificateApplication.applied_on,
            )
            .exists(),
        )
        .order_by(CertificateApplication.applied_on.desc())
        .limit(1)
    )
    if pending is not None:
        return f"{person.name}已于 {pending.isoformat()} 申领执法证，尚未发证。", None
    latest = _latest_result(session, person.id, on)
    if latest is None:
        return (
            f"{person.name}近一年内没有培训考试成绩；申领执法证须经培训考试合格。",
            None,
        )
    result, exam = latest
    if not result.passed:
        return (
            f"{person.name}未通过培训考试：{exam.held_on.isoformat()}“{exam.title}”成绩 "
            f"{result.score:g} 分，合格分 {exam.pass_mark:g} 分。",
            None,
        )
    return "", result


def apply(
    session: Session,
    actor: Actor,
    person_id: int | None,
    applied_on: date | None = None,
    note: str = "",
) -> CertificateApplication:
    require(actor, Action.EDIT_ROSTER)
    if person_id is None:
        raise ValidationError("请选择申领人。", "person_id")
    person = records.get(session, Person, person_id, "该人员")
    on = applied_on or timeutil.today()
    why, result = refusal(session, person, on)
    if why or result is None:
        raise ValidationError(why, "person_id")
    application = CertificateApplication(
        person_id=person.id,
        exam_result_id=result.id,
        applied_on=on,
        note=records.text(note, "note", "备注", limit=500) or None,
    )
    session.add(application)
    session.flush()
    exam = result.exam
    audit.record(
        session,
        actor,
        "申领执法证",
        f"{person_label(person)}申领执法证（{exam.held_on.isoformat()}“{exam.title}”"
        f"成绩 {result.score:g} 分）",
        entity_type="certificate_application",
        entity_id=application.id,
        changes={"person_id": person.id, "exam_result_id": result.id, "applied_on": on},
    )
    return application


def candidates(session: Session, actor: Actor, on: date | None = None) -> list[tuple[str, int]]:
    """Who may apply on *on*: only people who passed an exam, as ("name（unit） score", id)."""
    require(actor, Action.VIEW)
    on = on or timeutil.today()
    passed = (
        select(ExamResult.person_id)
        .join(TrainingExam)
        .where(
            ExamResult.passed.is_(True),
            TrainingExam.held_on <= on,
            TrainingExam.held_on > on - timedelta(days=EXAM_VALID_DAYS),
        )
    )
    found = []
    for person in session.scalars(
        select(Person)
        .join(Unit)
        .where(Person.id.in_(passed))
        .order_by(Unit.sort_order, Person.name)
    ):
        why, result = refusal(session, person, on)
        if not why and result is not None:
            found.append((f"{person_label(person)} 考试 {result.score:g} 分", person.id))
    return found


@dataclass(frozen=True)
class ApplicationRow:
    id: int
    applied_on: date
    person: str
    unit: str
    exam: str
    exam_on: date
    score: float
    issued: str  # the certificate issued since, '' while waiting


def applications_of_year(session: Session, actor: Actor, year: int) -> list[ApplicationRow]:
    require(actor, Action.VIEW)
    rows = session.execute(
        select(CertificateApplication, Person.name, Unit.short_name, TrainingExam, ExamResult.score)
        .join(Person, CertificateApplication.person_id == Person.id)
        .join(Unit, Person.unit_id == Unit.id)
        .join(ExamResult, CertificateApplication.exam_result_id == ExamResult.id)
        .join(TrainingExam, ExamResult.exam_id == TrainingExam.id)
        .where(
            CertificateApplication.applied_on >= date(year, 1, 1),
            CertificateApplication.applied_on <= date(year, 12, 31),
        )
        .order_by(CertificateApplication.applied_on, Person.name)
    ).all()
    found = []
    for a, name, unit, exam, score in rows:
        issued = session.scalar(
            select(Certificate.number)
            .where(Certificate.person_id == a.person_id, Certificate.issued_on >= a.applied_on)
            .order_by(Certificate.issued_on)
            .limit(1)
        )
        found.append(
            ApplicationRow(
                a.id, a.applied_on, name, unit, exam.title, exam.held_on, score, issued or ""
            )
        )
    return found
