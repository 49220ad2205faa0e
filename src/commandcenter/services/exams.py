"""Training exams: an exam after a course or on its own, a score per person, and pass rates.

Seed 003 (7) issues a certificate only after the training exam is passed; seed 002 reports the
street's 达标率. A result's ``passed`` is fixed against the exam's pass mark when the score is
entered, so the figures count it in SQL; changing the pass mark re-marks the exam's results.

The pass rate of a unit and year is counted per person, as 达标率 is: of the people who sat at
least one exam held in the year, those who passed at least one (a re-sit that passes counts).
A person is counted under his unit today.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, delete, extract, func, select
from sqlalchemy.orm import Session

from commandcenter.db.models import (
    CertificateApplication,
    ExamResult,
    Person,
    Staffing,
    TrainingCourse,
    TrainingExam,
    Unit,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records, validators
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require


@dataclass
class ExamForm:
    title: str = ""
    held_on: date | None = None
    course_id: int | None = None  # None: a standalone exam
    full_mark: float = 100.0
    pass_mark: float = 60.0


def exam_values(session: Session, form: ExamForm) -> tuple[dict[str, Any], list[ValidationError]]:
    c = records.Checks()

    def held_on() -> date:
        if form.held_on is None:
            raise ValidationError("请填写考试日期。")
        return form.held_on

    def course_id() -> int | None:
        if form.course_id is not None:
            records.get(session, TrainingCourse, form.course_id, "所选培训")
        return form.course_id

    c.step("title", lambda: records.text(form.title, "title", "考试名称", required=True, limit=200))
    c.step("held_on", held_on)
    c.step("course_id", course_id)
    if not 0 < form.full_mark <= 1000:
        c.fail("满分应大于 0、不超过 1000。", "full_mark")
    elif not 0 < form.pass_mark <= form.full_mark:
        c.fail("合格分应大于 0、不超过满分。", "pass_mark")
    c.values["full_mark"] = float(form.full_mark)
    c.values["pass_mark"] = float(form.pass_mark)
    return c.values, c.problems


def save_exam(
    session: Session, actor: Actor, form: ExamForm, exam_id: int | None = None
) -> TrainingExam:
    require(actor, Action.EDIT_ROSTER)
    values, problems = exam_values(session, form)
    records.raise_first(problems)
    if exam_id is None:
        exam = TrainingExam(**values)
        session.add(exam)
        session.flush()
        changes: dict[str, Any] = records.snapshot(values)
        verb = "登记考试"
    else:
        exam = records.get(session, TrainingExam, exam_id, "该考试")
        if values["full_mark"] < max((r.score for r in exam.results), default=0):
            raise ValidationError("已有成绩高于新的满分，请先核对成绩。", "full_mark")
        changes = records.apply(exam, values)
        verb = "修改考试"
        if "pass_mark" in changes:  # re-mark every result against the new pass mark
            for result in exam.results:
                result.passed = result.score >= exam.pass_mark
    if changes:
        audit.record(
            session,
            actor,
            verb,
            f"{verb}：{exam.held_on.isoformat()} {exam.title}",
            entity_type="exam",
            entity_id=exam.id,
            changes=changes,
        )
    return exam


def delete_exam(session: Session, actor: Actor, exam_id: int) -> None:
    require(actor, Action.EDIT_ROSTER)
    exam = records.get(session, TrainingExam, exam_id, "该考试")
    used = session.scalar(
        select(func.count(CertificateApplication.id))
        .join(ExamResult, CertificateApplication.exam_result_id == ExamResult.id)
        .where(ExamResult.exam_id == exam.id)
    )
    if used:
        raise ValidationError(
            f"有 {used} 份执法证申领以本次考试成绩为依据，不能删除该考试。", "exam_id"
        )
    audit.record(
        session,
        actor,
        "删除考试",
        f"删除考试：{exam.held_on.isoformat()} {exam.title}（{len(exam.results)} 人成绩）",
        entity_type="exam",
        entity_id=exam.id,
    )
    session.delete(exam)


def score_problem(score: float | None, exam: TrainingExam) -> str:
    """Why a score cannot stand for *exam* ('' when it can)."""
    if score is None:
        return "请填写成绩。"
    if not 0 <= score <= exam.full_mark:
        return f"成绩应在 0 至 {exam.full_mark:g} 分之间。"
    return ""


def record_results(
    session: Session, actor: Actor, exam_id: int, scores: Mapping[int, float]
) -> tuple[int, int]:
    """Enter or correct the scores of *exam_id* (person id → score); people not named keep their
    result. Returns (entered, changed)."""
    require(actor, Action.EDIT_ROSTER)
    exam = records.get(session, TrainingExam, exam_id, "该考试")
    if scores:
        found = set(session.scalars(select(Person.id).where(Person.id.in_(list(scores)))))
        if len(found) != len(scores):
            raise ValidationError("考试人员中有人已被删除，请刷新后重新选择。", "scores")
    for score in scores.values():
        problem = score_problem(score, exam)
        if problem:
            raise ValidationError(problem, "scores")
    existing = {r.person_id: r for r in exam.results}
    entered = changed = 0
    for person_id, score in scores.items():
        passed = score >= exam.pass_mark
        result = existing.get(person_id)
        if result is None:
            session.add(
                ExamResult(exam_id=exam.id, person_id=person_id, score=score, passed=passed)
            )
            entered += 1
        elif result.score != score:
            result.score, result.passed = score, passed
            changed += 1
    if entered or changed:
        session.flush()
        audit.record(
            session,
            actor,
            "登记考试成绩",
            f"{exam.held_on.isoformat()} {exam.title}：新登记 {entered} 人，更正 {changed} 人",
            entity_type="exam",
            entity_id=exam.id,
            changes={"entered": entered, "changed": changed},
        )
    session.expire(exam)
    return entered, changed


def record_result(
    session: Session, actor: Actor, exam_id: int, person_id: int | None, score: float
) -> tuple[int, int]:
    """One person's score, from the form."""
    if person_id is None:
        raise ValidationError("请选择人员。", "person_id")
    try:
        return record_results(session, actor, exam_id, {person_id: score})
    except ValidationError as exc:
        raise ValidationError(exc.message, "score" if exc.field == "scores" else exc.field) from exc


def remove_result(session: Session, actor: Actor, exam_id: int, person_id: int) -> None:
    require(actor, Action.EDIT_ROSTER)
    exam = records.get(session, TrainingExam, exam_id, "该考试")
    result = session.scalar(
        select(ExamResult).where(ExamResult.exam_id == exam_id, ExamResult.person_id == person_id)
    )
    if result is None:
        return
    audit.record(
        session,
        actor,
        "删除考试成绩",
        f"{exam.held_on.isoformat()} {exam.title}：删除 {result.person.name} 的成绩",
        entity_type="exam",
        entity_id=exam.id,
    )
    session.execute(delete(ExamResult).where(ExamResult.id == result.id))


def person_with_id_number(session: Session, id_number: str) -> Person | None:
    """The person an import's ID number names, however the number was typed."""
    return session.scalar(select(Person).where(Person.id_number == validators.normalise(id_number)))


def people_named_in_unit(session: Session, name: str, unit_id: int) -> list[Person]:
    """Everyone of this name in the unit (two namesakes make a file's row ambiguous)."""
    return list(
        session.scalars(
            select(Person).where(Person.name == name.strip(), Person.unit_id == unit_id)
        )
    )


def exam_named(session: Session, title: str) -> TrainingExam | None:
    """The latest exam of this title, for the command line."""
    return session.scalar(
        select(TrainingExam)
        .where(TrainingExam.title == title.strip())
        .order_by(TrainingExam.held_on.desc(), TrainingExam.id.desc())
        .limit(1)
    )


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExamRow:
    id: int
    title: str
    held_on: date
    course: str  # the course's title, '' for a standalone exam
    full_mark: float
    pass_mark: float
    sat: int
    passed: int

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.sat if self.sat else None


def exams_of_year(session: Session, actor: Actor, year: int) -> list[ExamRow]:
    require(actor, Action.VIEW)
    rows = session.execute(
        select(
            TrainingExam,
            TrainingCourse.title,
            func.count(ExamResult.id),
            func.coalesce(func.sum(case((ExamResult.passed, 1), else_=0)), 0),
        )
        .outerjoin(TrainingCourse, TrainingExam.course_id == TrainingCourse.id)
        .outerjoin(ExamResult, ExamResult.exam_id == TrainingExam.id)
        .where(extract("year", TrainingExam.held_on) == year)
        .group_by(TrainingExam.id, TrainingCourse.title)
        .order_by(TrainingExam.held_on.desc(), TrainingExam.id.desc())
    ).all()
    return [
        ExamRow(e.id, e.title, e.held_on, course or "", e.full_mark, e.pass_mark, int(n), int(ok))
        for e, course, n, ok in rows
    ]


@dataclass(frozen=True)
class ResultRow:
    person_id: int
    name: str
    unit: str
    auxiliary: bool
    score: float
    passed: bool


def results_of(session: Session, actor: Actor, exam_id: int) -> list[ResultRow]:
    require(actor, Action.VIEW)
    rows = session.execute(
        select(ExamResult, Person.name, Unit.short_name, Person.staffing)
        .join(Person, ExamResult.person_id == Person.id)
        .join(Unit, Person.unit_id == Unit.id)
        .where(ExamResult.exam_id == exam_id)
        .order_by(ExamResult.score.desc(), Person.name)
    ).all()
    return [
        ResultRow(r.person_id, name, unit, staffing is Staffing.AUXILIARY, r.score, r.passed)
        for r, name, unit, staffing in rows
    ]


def exam_form(session: Session, actor: Actor, exam_id: int) -> ExamForm:
    require(actor, Action.VIEW)
    e = records.get(session, TrainingExam, exam_id, "该考试")
    return ExamForm(e.title, e.held_on, e.course_id, e.full_mark, e.pass_mark)


def course_choices(session: Session, actor: Actor, year: int) -> list[tuple[str, int]]:
    """The year's courses an exam can follow, newest first."""
    require(actor, Action.VIEW)
    return [
        (f"{held_on.isoformat()} {title}", course_id)
        for course_id, title, held_on in session.execute(
            select(TrainingCourse.id, TrainingCourse.title, TrainingCourse.held_on)
            .where(extract("year", TrainingCourse.held_on).in_([year - 1, year]))
            .order_by(TrainingCourse.held_on.desc())
        )
    ]


@dataclass(frozen=True)
class PassRate:
    unit_id: int | None  # None: the whole street
    unit: str
    sat: int  # people who sat at least one exam held in the year
    passed: int  # of them, people who passed at least one

    @property
    def rate(self) -> float | None:
        return self.passed / self.sat if self.sat else None


PASS_RATE_NOTE = (
    "考试合格率＝本年度参加培训考试且至少一次合格的人数÷本年度参加培训考试的人数"
    "（按人计，补考合格计为合格；人员按现所在单位统计）"
)


def pass_rates(session: Session, actor: Actor, year: int) -> list[PassRate]:
    """Per unit (display order) and, last, the whole street: see :data:`PASS_RATE_NOTE`."""
    require(actor, Action.VIEW)
    per_person = (
        select(
            ExamResult.person_id.label("person_id"),
            func.max(case((ExamResult.passed, 1), else_=0)).label("ok"),
        )
        .join(TrainingExam, ExamResult.exam_id == TrainingExam.id)
        .where(extract("year", TrainingExam.held_on) == year)
        .group_by(ExamResult.person_id)
        .subquery()
    )
    rows = session.execute(
        select(Unit.id, Unit.short_name, func.count(), func.sum(per_person.c.ok))
        .select_from(per_person)
        .join(Person, Person.id == per_person.c.person_id)
        .join(Unit, Person.unit_id == Unit.id)
        .group_by(Unit.id, Unit.short_name, Unit.sort_order)
        .order_by(Unit.sort_order, Unit.id)
    ).all()
    units = [PassRate(uid, name, int(n), int(ok or 0)) for uid, name, n, ok in rows]
    street = PassRate(None, "全街道", sum(u.sat for u in units), sum(u.passed for u in units))
    return [*units, street]
