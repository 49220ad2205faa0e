"""The demo street's training exams, certificate applications, grid patrols and approved
auxiliaries. Each part draws from a random source of its own, so the rest of the demo stays as
it was with or without it."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    Channel,
    Establishment,
    ExamResult,
    Grid,
    GridPatrol,
    Incident,
    PatrolProblem,
    Person,
    PersonStatus,
    Staffing,
    TrainingCourse,
    TrainingExam,
    Unit,
    UnitKind,
    patrol_members,
)
from commandcenter.demo import data
from commandcenter.services.actor import Actor
from commandcenter.services.roster import applications

# Seed 002 reports 达标率 96.92%: about 6 % of each year's sitters fail the first sitting and
# half of them pass the re-sit a month later, so some 97 % of the people pass.
_MEAN, _SPREAD, _PASS = 80.0, 12.0, 60.0


def exams(s: Session, as_of: date) -> None:
    """Each year's law exam after the first central course, sat by the officers and squad staff
    in post (auxiliaries hold no certificate and sit none), and a re-sit for those who failed."""
    rng = random.Random(f"exams-{as_of.isoformat()}")
    sitters = list(
        s.scalars(
            select(Person)
            .join(Unit, Person.unit_id == Unit.id)
            .where(
                Person.staffing != Staffing.AUXILIARY,
                Person.status == PersonStatus.ON_DUTY,
                Unit.kind.in_([UnitKind.SQUAD, UnitKind.AGENCY, UnitKind.COMMAND_CENTRE]),
            )
            .order_by(Person.id)
        )
    )
    for year in (as_of.year - 1, as_of.year):
        course = s.scalar(
            select(TrainingCourse)
            .where(
                TrainingCourse.title == "行政处罚法专题培训",
                TrainingCourse.held_on >= date(year, 1, 1),
                TrainingCourse.held_on <= min(as_of, date(year, 12, 31)) - timedelta(days=40),
            )
            .order_by(TrainingCourse.held_on)
            .limit(1)
        )
        held = course.held_on + timedelta(days=1) if course else date(year, 4, 15)
        if held > as_of - timedelta(days=40):
            continue
        first = TrainingExam(
            title=f"{year}年度执法人员法律知识考试",
            held_on=held,
            course_id=course.id if course else None,
            full_mark=100.0,
            pass_mark=_PASS,
        )
        resit = TrainingExam(
            title=f"{year}年度执法人员法律知识补考",
            held_on=held + timedelta(days=30),
            course_id=course.id if course else None,
            full_mark=100.0,
            pass_mark=_PASS,
        )
        s.add_all([first, resit])
        s.flush()
        present = [p for p in sitters if rng.random() >= 0.06]  # a few away on the day
        # About 6 % fail the first sitting, the lowest scores; half of them pass the re-sit.
        ranked = sorted(present, key=lambda _p: rng.gauss(_MEAN, _SPREAD))
        failing = max(1, round(len(ranked) * 0.06))
        for n, person in enumerate(ranked):
            if n < failing:
                score = rng.uniform(42.0, 59.5)
            else:
                score = min(100.0, max(_PASS, rng.gauss(_MEAN + 4, _SPREAD - 4)))
            score = round(score * 2) / 2
            s.add(
                ExamResult(
                    exam_id=first.id, person_id=person.id, score=score, passed=score >= _PASS
                )
            )
        for n, person in enumerate(ranked[:failing]):
            score = (
                round((rng.uniform(60.0, 76.0) if n % 2 == 0 else rng.uniform(40.0, 59.5)) * 2) / 2
            )
            s.add(
                ExamResult(
                    exam_id=resit.id, person_id=person.id, score=score, passed=score >= _PASS
                )
            )
    s.flush()


def certificate_applications(s: Session, leader: Actor, as_of: date) -> None:
    """Two of those who passed this year and hold no certificate in force apply for one."""
    on = as_of - timedelta(days=12)
    for _label, person_id in applications.candidates(s, leader, on)[:2]:
        applications.apply(s, leader, person_id, on, "年度考试合格，申领执法证")


def approved_auxiliaries(s: Session, as_of: date) -> None:
    """The squads' approved auxiliaries: the first squad has one more in post than approved."""
    rows = s.execute(
        select(Establishment, Unit)
        .join(Unit, Establishment.unit_id == Unit.id)
        .where(Establishment.year == as_of.year, Unit.kind == UnitKind.SQUAD)
        .order_by(Unit.sort_order)
    ).all()
    for n, (establishment, unit) in enumerate(rows):
        in_post = len(
            s.scalars(
                select(Person.id).where(
                    Person.unit_id == unit.id,
                    Person.staffing == Staffing.AUXILIARY,
                    Person.status.not_in([PersonStatus.RETIRED, PersonStatus.TRANSFERRED]),
                )
            ).all()
        )
        establishment.approved_auxiliaries = in_post - 1 if n == 0 else in_post + 1
    s.flush()


_PLACES = ["农贸市场", "小学门口", "公交站", "商业街", "老旧小区", "建筑工地", "河道沿线", "菜场"]
_OPEN_PROBLEMS = ["店外堆放纸箱占用人行道", "围挡破损、渣土外露", "沿街晾晒影响市容"]


def _route(rng: random.Random, community: str) -> str:
    roads = rng.sample(data.ROADS, 2)
    return f"{roads[0]}—{community}{rng.choice(_PLACES)}—{roads[1]}"


def patrols(s: Session, as_of: date) -> None:
    """Each grid walked every week or so for the last year by its grid worker, with a squad
    officer or auxiliary now and then; every 网格巡查 incident was found on a patrol of its grid;
    a few problems found in the last days are not registered yet."""
    rng = random.Random(f"patrols-{as_of.isoformat()}")
    grids = list(s.scalars(select(Grid).where(Grid.active.is_(True)).order_by(Grid.code)))
    squads = list(
        s.scalars(select(Unit).where(Unit.kind == UnitKind.SQUAD).order_by(Unit.sort_order))
    )
    squad_people = {
        squad.id: list(
            s.scalars(
                select(Person.id)
                .where(Person.unit_id == squad.id, Person.status == PersonStatus.ON_DUTY)
                .order_by(Person.id)
            )
        )
        for squad in squads
    }
    communities = {u.id: u.short_name for u in s.scalars(select(Unit))}
    made: list[tuple[GridPatrol, list[int]]] = []

    def patrol(grid: Grid, at: datetime, walkers: list[int]) -> GridPatrol:
        one = GridPatrol(
            grid_id=grid.id,
            started_at=at,
            minutes=rng.choice([60, 90, 90, 120, 150]),
            route=_route(rng, communities.get(grid.community_id or 0, "")),
        )
        s.add(one)
        made.append((one, sorted(set(walkers))))
        return one

    def team(grid: Grid, n: int) -> list[int]:
        found = [grid.worker_id] if grid.worker_id else []
        if squads and (rng.random() < 0.4 or not found):
            pool = squad_people[squads[n % len(squads)].id]
            if pool:
                found.append(rng.choice(pool))
        return [p for p in found if p is not None]

    start = as_of - timedelta(days=365)
    for n, grid in enumerate(grids):
        day = start + timedelta(days=rng.randint(0, 6))
        while day <= as_of - timedelta(days=1):
            at = timeutil.local_datetime(day, time(rng.randint(8, 15), rng.choice([0, 30])))
            walkers = team(grid, n)
            if walkers:
                patrol(grid, at, walkers)
            day += timedelta(days=rng.randint(5, 9))
    by_id = {g.id: (n, g) for n, g in enumerate(grids)}
    for incident in s.scalars(
        select(Incident)
        .where(Incident.channel == Channel.GRID_PATROL, Incident.grid_id.is_not(None))
        .order_by(Incident.received_at)
    ):
        if incident.grid_id not in by_id:
            continue
        n, grid = by_id[incident.grid_id]
        walkers = team(grid, n)
        if not walkers:
            continue
        found = patrol(grid, incident.received_at - timedelta(minutes=rng.randint(20, 90)), walkers)
        s.add(
            PatrolProblem(
                patrol=found,
                description=incident.title[:500],
                address=incident.address,
                incident_id=incident.id,
            )
        )
    for text, grid in zip(_OPEN_PROBLEMS, rng.sample(grids, min(3, len(grids))), strict=False):
        n = by_id[grid.id][0]
        at = timeutil.local_datetime(as_of - timedelta(days=1), time(rng.randint(9, 15), 0))
        found = patrol(grid, at, team(grid, n))
        s.add(
            PatrolProblem(
                patrol=found,
                description=text,
                address=f"{data.STREET}{rng.choice(data.ROADS)}{rng.randint(1, 300)}号",
            )
        )
    s.flush()
    members = [{"patrol_id": one.id, "person_id": p} for one, walkers in made for p in walkers]
    if members:
        s.execute(patrol_members.insert(), members)
    s.flush()
