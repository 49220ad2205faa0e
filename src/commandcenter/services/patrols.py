"""Grid patrols (seed 004 III.3 网格化巡查机制; seed 003 (10) 日常巡查).

A patrol is who walked a grid, when, along which route or past which places, and the problems
found. A problem becomes an incident of channel 网格巡查 in one step, through the ordinary
registration (首问负责 is whoever registers it); the problem keeps the incident it became, so it
is never registered twice.

The figures: patrols counted by the day they started (Beijing time) in the period, per grid and
per person (each member of a patrol counts it once), with the problems found on them and how
many of those became incidents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from commandcenter import timeutil
from commandcenter.db.models import (
    Channel,
    Grid,
    GridPatrol,
    Incident,
    PatrolProblem,
    Person,
    Staffing,
    Unit,
    patrol_members,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records, training
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import intake
from commandcenter.services.permissions import Action, require
from commandcenter.services.statistics import Period

# Patrols are recorded where problems are registered: at the operator's desk.
_RECORD = Action.REGISTER_INCIDENT


@dataclass
class ProblemForm:
    description: str = ""
    address: str = ""


@dataclass
class PatrolForm:
    grid_id: int | None = None
    started_at: datetime | None = None
    minutes: int | None = None
    route: str = ""
    member_ids: list[int] = field(default_factory=list)
    notes: str = ""
    problems: list[ProblemForm] = field(default_factory=list)


def patrol_values(
    session: Session, form: PatrolForm, now: datetime
) -> tuple[dict[str, object], list[ValidationError]]:
    c = records.Checks()

    def grid() -> int:
        if form.grid_id is None:
            raise ValidationError("请选择巡查网格。")
        records.get(session, Grid, form.grid_id, "所选网格")
        return form.grid_id

    def started() -> datetime:
        if form.started_at is None:
            raise ValidationError("请填写巡查时间。")
        if form.started_at.tzinfo is None:
            raise ValidationError("巡查时间缺少时区。")
        if form.started_at > now:
            raise ValidationError("巡查时间不能晚于当前时间。")
        return form.started_at

    def minutes() -> int | None:
        if form.minutes is not None and not 0 < form.minutes <= 24 * 60:
            raise ValidationError("巡查用时应在 1 至 1440 分钟之间。")
        return form.minutes

    def members() -> list[int]:
        ids = sorted(set(form.member_ids))
        if not ids:
            raise ValidationError("请至少选择一名巡查人员。")
        found = set(session.scalars(select(Person.id).where(Person.id.in_(ids))))
        if len(found) != len(ids):
            raise ValidationError("巡查人员中有人已被删除，请刷新后重新选择。")
        return ids

    c.step("grid_id", grid)
    c.step("started_at", started)
    c.step("minutes", minutes)
    c.step(
        "route",
        lambda: records.text(form.route, "route", "巡查路线或点位", required=True, limit=500),
    )
    c.step("member_ids", members)
    c.step("notes", lambda: records.text(form.notes, "notes", "备注", limit=1000) or None)
    problems = []
    for n, problem in enumerate(form.problems, 1):
        text = (problem.description or "").strip()
        if not text:
            continue
        if len(text) > 500:
            c.fail(f"第 {n} 个问题的描述不能超过 500 个字。", "problems")
        address = (problem.address or "").strip()
        if len(address) > 200:
            c.fail(f"第 {n} 个问题的地点不能超过 200 个字。", "problems")
        problems.append(ProblemForm(text, address))
    c.values["problems"] = problems
    return c.values, c.problems


def record_patrol(
    session: Session, actor: Actor, form: PatrolForm, now: datetime | None = None
) -> GridPatrol:
    require(actor, _RECORD)
    values, problems = patrol_values(session, form, now or timeutil.now())
    records.raise_first(problems)
    member_ids: list[int] = values.pop("member_ids")  # type: ignore[assignment]
    found: list[ProblemForm] = values.pop("problems")  # type: ignore[assignment]
    patrol = GridPatrol(**values)
    session.add(patrol)
    session.flush()
    session.execute(
        insert(patrol_members), [{"patrol_id": patrol.id, "person_id": p} for p in member_ids]
    )
    for problem in found:
        session.add(
            PatrolProblem(
                patrol_id=patrol.id,
                description=problem.description,
                address=problem.address or None,
            )
        )
    session.flush()
    grid = session.get(Grid, patrol.grid_id)
    assert grid is not None
    audit.record(
        session,
        actor,
        "登记巡查",
        f"{grid.name} {timeutil.format_local(patrol.started_at)} 巡查（{len(member_ids)} 人，"
        f"发现问题 {len(found)} 个）",
        entity_type="patrol",
        entity_id=patrol.id,
        changes=records.snapshot(values) | {"members": member_ids, "problems": len(found)},
    )
    return patrol


def delete_patrol(session: Session, actor: Actor, patrol_id: int) -> None:
    require(actor, _RECORD)
    patrol = records.get(session, GridPatrol, patrol_id, "该巡查记录")
    registered = [p for p in patrol.problems if p.incident_id is not None]
    if registered:
        raise ValidationError(
            f"该巡查发现的问题已有 {len(registered)} 个登记为事件，不能删除巡查记录。", "patrol_id"
        )
    audit.record(
        session,
        actor,
        "删除巡查",
        f"删除 {patrol.grid.name} {timeutil.format_local(patrol.started_at)} 的巡查记录",
        entity_type="patrol",
        entity_id=patrol.id,
    )
    session.execute(delete(patrol_members).where(patrol_members.c.patrol_id == patrol.id))
    session.delete(patrol)


def register_problem(
    session: Session,
    actor: Actor,
    problem_id: int,
    title: str = "",
    now: datetime | None = None,
) -> Incident:
    """Register a problem found on patrol as an incident of channel 网格巡查, in the grid, with the
    patrol's route and members in its description."""
    problem = records.get(session, PatrolProblem, problem_id, "该巡查问题")
    if problem.incident_id is not None:
        assert problem.incident is not None
        raise ValidationError(f"该问题已登记为事件 {problem.incident.number}。", "problem_id")
    patrol = problem.patrol
    members = "、".join(p.name for p in patrol.members)
    description = (
        f"{patrol.grid.name}巡查发现（{timeutil.format_local(patrol.started_at)}，巡查人员 "
        f"{members}；路线：{patrol.route}）：{problem.description}"
    )
    incident = intake.register(
        session,
        actor,
        intake.IncidentForm(
            channel=Channel.GRID_PATROL,
            title=(title or problem.description).strip()[:200],
            description=description,
            address=problem.address or "",
            grid_id=patrol.grid_id,
        ),
        now=now,
    )
    problem.incident_id = incident.id
    audit.record(
        session,
        actor,
        "巡查问题登记为事件",
        f"{patrol.grid.name}巡查发现的问题登记为事件 {incident.number}",
        entity_type="patrol",
        entity_id=patrol.id,
        changes={"problem_id": problem.id, "incident_id": incident.id},
    )
    return incident


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemRow:
    id: int
    description: str
    address: str
    incident_id: int | None
    incident_number: str


@dataclass(frozen=True)
class PatrolRow:
    id: int
    grid: str
    started_at: datetime
    minutes: int | None
    route: str
    members: str  # names, auxiliaries marked
    notes: str
    problems: tuple[ProblemRow, ...]

    @property
    def open_problems(self) -> int:
        return sum(1 for p in self.problems if p.incident_id is None)


def patrols(
    session: Session, actor: Actor, period: Period, grid_id: int | None = None
) -> list[PatrolRow]:
    """The period's patrols, newest first, of one grid or all."""
    require(actor, Action.VIEW)
    stmt = select(GridPatrol).where(period.contains(GridPatrol.started_at))
    if grid_id is not None:
        stmt = stmt.where(GridPatrol.grid_id == grid_id)
    found = []
    for patrol in session.scalars(stmt.order_by(GridPatrol.started_at.desc(), GridPatrol.id)):
        members = "、".join(
            f"{p.name}{'（协勤）' if p.staffing is Staffing.AUXILIARY else ''}"
            for p in sorted(patrol.members, key=lambda p: p.id)
        )
        problems = tuple(
            ProblemRow(
                p.id,
                p.description,
                p.address or "",
                p.incident_id,
                p.incident.number if p.incident else "",
            )
            for p in patrol.problems
        )
        found.append(
            PatrolRow(
                patrol.id,
                patrol.grid.name,
                patrol.started_at,
                patrol.minutes,
                patrol.route,
                members,
                patrol.notes or "",
                problems,
            )
        )
    return found


@dataclass(frozen=True)
class PatrolCount:
    key: int
    name: str  # the grid's name, or the person's
    where: str  # the grid's code, or the person's unit
    patrols: int
    problems: int
    registered: int  # problems registered as incidents


def _problem_counts(period: Period) -> Subquery:
    return (
        select(
            PatrolProblem.patrol_id.label("patrol_id"),
            func.count(PatrolProblem.id).label("found"),
            func.count(PatrolProblem.incident_id).label("registered"),
        )
        .join(GridPatrol, PatrolProblem.patrol_id == GridPatrol.id)
        .where(period.contains(GridPatrol.started_at))
        .group_by(PatrolProblem.patrol_id)
        .subquery()
    )


def counts_by_grid(session: Session, actor: Actor, period: Period) -> list[PatrolCount]:
    """Every active grid, with nought where nobody patrolled it, in code order."""
    require(actor, Action.VIEW)
    problems = _problem_counts(period)
    done = (
        select(
            GridPatrol.grid_id.label("grid_id"),
            func.count(GridPatrol.id).label("patrols"),
            func.coalesce(func.sum(problems.c.found), 0).label("found"),
            func.coalesce(func.sum(problems.c.registered), 0).label("registered"),
        )
        .outerjoin(problems, problems.c.patrol_id == GridPatrol.id)
        .where(period.contains(GridPatrol.started_at))
        .group_by(GridPatrol.grid_id)
        .subquery()
    )
    rows = session.execute(
        select(Grid.id, Grid.name, Grid.code, done.c.patrols, done.c.found, done.c.registered)
        .outerjoin(done, done.c.grid_id == Grid.id)
        .where(Grid.active.is_(True) | done.c.patrols.is_not(None))
        .order_by(Grid.code)
    ).all()
    return [
        PatrolCount(gid, name, code, int(n or 0), int(f or 0), int(r or 0))
        for gid, name, code, n, f, r in rows
    ]


def counts_by_person(session: Session, actor: Actor, period: Period) -> list[PatrolCount]:
    """Everyone who patrolled in the period, most patrols first."""
    require(actor, Action.VIEW)
    problems = _problem_counts(period)
    rows = session.execute(
        select(
            Person.id,
            Person.name,
            Unit.short_name,
            func.count(GridPatrol.id),
            func.coalesce(func.sum(problems.c.found), 0),
            func.coalesce(func.sum(problems.c.registered), 0),
        )
        .join(patrol_members, patrol_members.c.person_id == Person.id)
        .join(GridPatrol, GridPatrol.id == patrol_members.c.patrol_id)
        .join(Unit, Person.unit_id == Unit.id)
        .outerjoin(problems, problems.c.patrol_id == GridPatrol.id)
        .where(period.contains(GridPatrol.started_at))
        .group_by(Person.id, Person.name, Unit.short_name)
        .order_by(func.count(GridPatrol.id).desc(), Person.name)
    ).all()
    return [
        PatrolCount(pid, name, unit, int(n), int(f or 0), int(r or 0))
        for pid, name, unit, n, f, r in rows
    ]


@dataclass(frozen=True)
class PatrolFigures:
    """The period's patrols for the reports: totals, per grid and per person."""

    patrols: int
    problems: int
    registered: int
    grids_patrolled: int
    grids: int  # active grids
    by_grid: list[PatrolCount]
    by_person: list[PatrolCount]

    @property
    def text(self) -> str:
        """The period's patrols in one sentence, for the reports page and the 月通报."""
        if not self.grids:
            return "未设置网格，无网格巡查记录。"
        missed = [g.name for g in self.by_grid if not g.patrols]
        if not missed:
            coverage = "各网格均已巡查"
        elif len(missed) <= 5:
            coverage = f"未巡查：{'、'.join(missed)}"
        else:
            coverage = f"未巡查：{'、'.join(missed[:5])}等 {len(missed)} 个"
        most = "、".join(f"{p.name} {p.patrols} 次" for p in self.by_person[:3])
        return (
            f"网格巡查 {self.patrols} 次，覆盖网格 {self.grids_patrolled}/{self.grids} 个"
            f"（{coverage}）；巡查发现问题 {self.problems} 个，登记为事件 {self.registered} 件"
            + (f"。巡查次数较多的人员：{most}。" if most else "。")
        )


def figures(session: Session, actor: Actor, period: Period) -> PatrolFigures:
    by_grid = counts_by_grid(session, actor, period)
    by_person = counts_by_person(session, actor, period)
    return PatrolFigures(
        sum(g.patrols for g in by_grid),
        sum(g.problems for g in by_grid),
        sum(g.registered for g in by_grid),
        sum(1 for g in by_grid if g.patrols),
        len(by_grid),
        by_grid,
        by_person,
    )


def member_choices(session: Session, actor: Actor) -> list[tuple[str, int]]:
    """Who can patrol: everyone still serving, auxiliaries marked (as for training)."""
    return training.attendee_choices(session, actor)
