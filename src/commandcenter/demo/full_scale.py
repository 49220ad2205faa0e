"""The reference data at the scale of ten years of a busy street, for trials and benchmarks.

``commandcenter demo --full-scale`` adds, after the street's usual data and its incidents: units
to 300 (60 of them dispatched agencies), people to 2,000, inspection objects to 50,000, and the
assessment schemes and computed sheets of the nine years before this one. Joint operations are
made to 5,000 by the generator's own plan loop. People go through the roster's bulk service
(validated and audited); units, grids and inspection objects go in as plain inserts, as the
incidents do.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    AssessmentSubject,
    Certificate,
    CertificateState,
    CreditGrade,
    Entity,
    Gender,
    Grid,
    Person,
    PersonStatus,
    Staffing,
    Stationing,
    TrainingCourse,
    TrainingKind,
    Unit,
    UnitKind,
    training_attendance,
)
from commandcenter.demo import data
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import schemes, sheets
from commandcenter.services.roster import people

if TYPE_CHECKING:
    from commandcenter.demo.generator import _Builder, _Org

Report = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Scale:
    units: int = 300
    agencies: int = 60
    people: int = 2_000
    entities: int = 50_000
    plans: int = 5_000
    assessment_years: int = 10


FULL = Scale()


def grow(s: Session, b: _Builder, org: _Org, leader: Actor, scale: Scale, report: Report) -> None:
    """Units, people and inspection objects up to *scale*."""
    report("扩充单位", 0, 1)
    _units(s, b, org, scale)
    report("扩充人员", 0, 1)
    _people(s, b, org, leader, scale)
    report("扩充检查对象", 0, 1)
    _entities(s, b, org, scale)


def _units(s: Session, b: _Builder, org: _Org, scale: Scale) -> None:
    fields = list(org.departments)
    agencies = sum(1 for u in org.all_units if u.kind is UnitKind.AGENCY)
    n = 0
    while agencies < scale.agencies:
        n += 1
        field = fields[n % len(fields)]
        department = org.departments[field]
        unit = Unit(
            name=f"{department.short_name}{data.STREET}第{n}派驻组",
            short_name=f"{field}派驻{n}组",
            kind=UnitKind.AGENCY,
            parent=department,
            fields=field,
            sort_order=len(org.all_units),
            address=f"{data.STREET}{b.rng.choice(data.ROADS)}{b.rng.randint(1, 300)}号",
        )
        s.add(unit)
        org.all_units.append(unit)
        agencies += 1
    # The rest are communities, each with three grids: where a street's units are most.
    n = 0
    while len(org.all_units) < scale.units:
        n += 1
        community = Unit(
            name=f"{data.STREET}新建第{n}社区",
            short_name=f"新建{n}社区",
            kind=UnitKind.COMMUNITY,
            parent=org.street,
            sort_order=len(org.all_units),
        )
        s.add(community)
        org.all_units.append(community)
        s.flush()
        for g in range(1, 4):
            grid = Grid(
                code=f"MX{n:03d}{g}", name=f"新建{n}社区第{g}网格", community_id=community.id
            )
            s.add(grid)
            org.grids.append(grid)
    s.flush()


def _people(s: Session, b: _Builder, org: _Org, leader: Actor, scale: Scale) -> None:
    have = s.scalar(select(func.count()).select_from(Person)) or 0
    homes = [u for u in org.all_units if u.kind in (UnitKind.SQUAD, UnitKind.AGENCY)]
    forms = []
    for n in range(max(0, scale.people - have)):
        unit = homes[n % len(homes)]
        gender = b.rng.choice([Gender.MALE, Gender.FEMALE])
        forms.append(
            people.PersonForm(
                name=b.name(),
                unit_id=unit.id,
                staffing=Staffing.INSTITUTION
                if unit.kind is UnitKind.SQUAD
                else Staffing.DISPATCHED,
                gender=gender,
                id_number=b.id_number(gender),
                mobile=b.mobile(),
                position="队员",
                stationing=None if unit.kind is UnitKind.SQUAD else Stationing.RESIDENT,
                status=PersonStatus.ON_DUTY,
                fields=unit.fields,
            )
        )
    lookup = people.RosterLookup.preload(s, [f.id_number for f in forms])
    ids = people.create_people(s, leader, forms, lookup)
    # Two five-year certificates each, the first long expired: ten years of draws find officers
    # certified on the day, as the street's own people are.
    rows = []
    for person_id, form in zip(ids, forms, strict=True):
        for term in (0, 1):
            issued = b.as_of - timedelta(days=365 * (10 - 5 * term) + b.rng.randint(30, 200))
            rows.append(
                {
                    "person_id": person_id,
                    "number": f"浙执{data.REGION_CODE[2:]}{issued.year % 100:02d}9{person_id:05d}{term}",
                    "issuer": "宁波市北仑区人民政府",
                    "fields": form.fields,
                    "area": "宁波市北仑区",
                    "issued_on": issued,
                    "expires_on": issued + timedelta(days=365 * 5 + 180),
                    "state": CertificateState.VALID,
                    "last_review_on": issued,
                }
            )
    s.execute(insert(Certificate), rows)
    _train(s, b, org, ids)


# The grown roster's yearly courses: the centre's whole-staff sessions. Without them two
# thousand officers had no training at all and a third of them failed their assessment.
_WHOLE_STAFF_COURSES = ((4, "行政处罚法专题培训（全员轮训）"), (10, "执法文书制作规范（全员轮训）"))


def _train(s: Session, b: _Builder, org: _Org, person_ids: list[int]) -> None:
    """Two eight-hour courses a year, each reaching most of the grown roster. A random source
    of its own, so the rest of the full-scale street stays as it was."""
    rng = random.Random(f"full-scale-training-{b.as_of.year}")
    for year in (b.as_of.year - 1, b.as_of.year):
        for month, title in _WHOLE_STAFF_COURSES:
            held = date(year, month, 15)
            if held > b.as_of:
                continue
            course = TrainingCourse(
                title=title,
                kind=TrainingKind.CENTRAL,
                held_on=held,
                hours=8.0,
                organiser_id=org.centre.id,
            )
            s.add(course)
            s.flush()
            rows = [
                {"course_id": course.id, "person_id": person_id}
                for person_id in person_ids
                if rng.random() < 0.85
            ]
            if rows:
                s.execute(insert(training_attendance), rows)


def _entities(s: Session, b: _Builder, org: _Org, scale: Scale) -> None:
    have = s.scalar(select(func.count()).select_from(Entity)) or 0
    rows = []
    for _ in range(max(0, scale.entities - have)):
        industry, suffix = b.rng.choice(data.INDUSTRIES)
        rows.append(
            {
                "name": f"宁波{b.rng.choice(data.ENTITY_WORDS)}{b.rng.choice(data.ENTITY_WORDS)}{suffix}",
                "uscc": b.uscc(),
                "address": f"{data.STREET}{b.rng.choice(data.ROADS)}{b.rng.randint(1, 400)}号",
                "grid_id": b.rng.choice(org.grids).id,
                "industry": industry,
                "contact_name": b.name(),
                "contact_phone": b.mobile(),
                "credit_grade": b.rng.choices(
                    [CreditGrade.GREEN, CreditGrade.YELLOW, CreditGrade.RED], weights=[80, 15, 5]
                )[0],
            }
        )
    for start in range(0, len(rows), 5000):
        s.execute(insert(Entity), rows[start : start + 5000])


def past_assessments(s: Session, b: _Builder, leader: Actor, scale: Scale, report: Report) -> None:
    """The schemes and computed sheets of the years before this one, each as of its year end."""
    years = range(b.as_of.year - scale.assessment_years + 1, b.as_of.year)
    for done, year in enumerate(years):
        report("历年考核", done, len(years))
        moment = timeutil.local_datetime(
            b.as_of.replace(year=year, month=12, day=31) + timedelta(days=1), time(9)
        )
        for subject in AssessmentSubject:
            for scheme in schemes.ensure_all(s, leader, year, subject):
                sheets.compute(s, leader, scheme.id, now=moment)
