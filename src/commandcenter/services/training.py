"""Training courses and the yearly figures against the targets of seed 004 I.6."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, extract, func, insert, select
from sqlalchemy.orm import Session

from commandcenter.db.models import (
    Person,
    PersonStatus,
    Staffing,
    TrainingCourse,
    TrainingKind,
    Unit,
    UnitKind,
    training_attendance,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

# Seed 004 I.6: the district runs 1-2 central courses a year, departments tour each street at
# least twice a year, and each department coaches at least three of the street's cases.
STREET_TARGETS = {TrainingKind.CENTRAL: 1, TrainingKind.TOURING: 2}
DEPARTMENT_CASE_TARGET = 3


@dataclass
class CourseForm:
    title: str = ""
    kind: TrainingKind | None = None
    held_on: date | None = None
    hours: float = 0.0
    organiser_id: int | None = None
    attendee_ids: list[int] = field(default_factory=list)


def save_course(
    session: Session, actor: Actor, form: CourseForm, course_id: int | None = None
) -> TrainingCourse:
    require(actor, Action.EDIT_ROSTER)
    title = records.text(form.title, "title", "培训名称", required=True, limit=200)
    if form.kind is None:
        raise ValidationError("请选择培训类别。", "kind")
    if form.held_on is None:
        raise ValidationError("请填写培训日期。", "held_on")
    if not 0 < form.hours <= 200:
        raise ValidationError("学时应大于 0、不超过 200。", "hours")
    if form.organiser_id is not None:
        records.get(session, Unit, form.organiser_id, "所选组织单位")
    ids = sorted(set(form.attendee_ids))
    if ids:
        found = set(session.scalars(select(Person.id).where(Person.id.in_(ids))))
        if len(found) != len(ids):
            raise ValidationError("参训人员中有人已被删除，请刷新后重新选择。", "attendee_ids")
    values: dict[str, Any] = {
        "title": title,
        "kind": form.kind,
        "held_on": form.held_on,
        "hours": float(form.hours),
        "organiser_id": form.organiser_id,
    }
    if course_id is None:
        course = TrainingCourse(**values)
        session.add(course)
        session.flush()
        changes: dict[str, Any] = records.snapshot(values)
        verb = "登记培训"
    else:
        course = records.get(session, TrainingCourse, course_id, "该培训")
        changes = records.apply(course, values)
        verb = "修改培训"
        session.execute(
            delete(training_attendance).where(training_attendance.c.course_id == course.id)
        )
    if ids:
        session.execute(
            insert(training_attendance), [{"course_id": course.id, "person_id": p} for p in ids]
        )
    changes["attendees"] = len(ids)
    audit.record(
        session,
        actor,
        verb,
        f"{verb}：{course.held_on.isoformat()} {course.title}（{len(ids)} 人）",
        entity_type="training",
        entity_id=course.id,
        changes=changes,
    )
    session.expire(course)
    return course


def delete_course(session: Session, actor: Actor, course_id: int) -> None:
    require(actor, Action.EDIT_ROSTER)
    course = records.get(session, TrainingCourse, course_id, "该培训")
    audit.record(
        session,
        actor,
        "删除培训",
        f"删除培训：{course.held_on.isoformat()} {course.title}",
        entity_type="training",
        entity_id=course.id,
    )
    session.execute(delete(training_attendance).where(training_attendance.c.course_id == course.id))
    session.delete(course)


@dataclass(frozen=True)
class PersonHours:
    person_id: int
    name: str
    unit: str
    courses: int
    hours: float


def hours_by_person(session: Session, actor: Actor, year: int) -> list[PersonHours]:
    """Training hours of everyone who attended something in *year*, most hours first."""
    require(actor, Action.VIEW)
    rows = session.execute(
        select(
            Person.id,
            Person.name,
            Unit.short_name,
            func.count(TrainingCourse.id),
            func.sum(TrainingCourse.hours),
        )
        .join(training_attendance, training_attendance.c.person_id == Person.id)
        .join(TrainingCourse, TrainingCourse.id == training_attendance.c.course_id)
        .join(Unit, Person.unit_id == Unit.id)
        .where(extract("year", TrainingCourse.held_on) == year)
        .group_by(Person.id, Person.name, Unit.short_name)
        .order_by(func.sum(TrainingCourse.hours).desc(), Person.name)
    ).all()
    return [PersonHours(pid, n, u, int(c), float(h or 0)) for pid, n, u, c, h in rows]


@dataclass(frozen=True)
class DepartmentTraining:
    unit_id: int
    department: str
    touring: int
    case_based: int

    @property
    def case_target_met(self) -> bool:
        return self.case_based >= DEPARTMENT_CASE_TARGET


@dataclass(frozen=True)
class TrainingSummary:
    year: int
    street: dict[TrainingKind, int]  # courses of each kind held in the year
    departments: list[DepartmentTraining]

    def street_target_met(self, kind: TrainingKind) -> bool:
        return self.street.get(kind, 0) >= STREET_TARGETS.get(kind, 0)


def summary(session: Session, actor: Actor, year: int) -> TrainingSummary:
    require(actor, Action.VIEW)
    in_year = extract("year", TrainingCourse.held_on) == year
    street = {
        kind: int(n)
        for kind, n in session.execute(
            select(TrainingCourse.kind, func.count()).where(in_year).group_by(TrainingCourse.kind)
        )
    }
    counts: dict[tuple[int | None, TrainingKind], int] = {
        (org, kind): int(n)
        for org, kind, n in session.execute(
            select(TrainingCourse.organiser_id, TrainingCourse.kind, func.count())
            .where(in_year, TrainingCourse.organiser_id.is_not(None))
            .group_by(TrainingCourse.organiser_id, TrainingCourse.kind)
        )
    }
    departments = [
        DepartmentTraining(
            unit.id,
            unit.short_name,
            counts.get((unit.id, TrainingKind.TOURING), 0),
            counts.get((unit.id, TrainingKind.CASE_BASED), 0),
        )
        for unit in session.scalars(
            select(Unit)
            .where(Unit.kind == UnitKind.DEPARTMENT, Unit.active.is_(True))
            .order_by(Unit.sort_order, Unit.id)
        )
    ]
    return TrainingSummary(year, street, departments)


def attendee_choices(session: Session, actor: Actor) -> list[tuple[str, int]]:
    """Who can attend a course: everyone still serving, as choices that show the unit, mark
    auxiliaries and end with the name's initials (so typing "zs" finds 张三)."""
    require(actor, Action.VIEW)
    rows = session.execute(
        select(Person.id, Person.name, Person.name_initials, Unit.short_name, Person.staffing)
        .join(Unit, Person.unit_id == Unit.id)
        .where(Person.status.not_in([PersonStatus.RETIRED, PersonStatus.TRANSFERRED]))
        .order_by(Unit.sort_order, Person.name)
    ).all()
    return [
        (
            f"{name}（{unit}）{'【协勤】' if staffing is Staffing.AUXILIARY else ''} {initials}",
            person_id,
        )
        for person_id, name, initials, unit, staffing in rows
    ]
