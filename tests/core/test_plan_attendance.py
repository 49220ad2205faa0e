"""联合执法参与率 from the attendance recorded when a plan is finished, and the migration that
back-fills it for plans finished before it was recorded."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from commandcenter.db.models import (
    AuditRecord,
    Person,
    Plan,
    PlanOfficer,
    PlanStatus,
    PlanTheme,
    Staffing,
    plan_departments,
)
from commandcenter.errors import ValidationError
from commandcenter.services import plans
from commandcenter.services.assessment.metrics import METRICS
from commandcenter.services.statistics import Period
from tests.core.incident_world import World, local

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31), "2026年")
METRIC = METRICS["joint_attendance"]


def finished_plan(
    world: World,
    departments: list[int],
    day: date,
    *,
    status: PlanStatus = PlanStatus.DONE,
    officers: list[int] = (),  # type: ignore[assignment]
) -> int:
    """A plan already carried out, its departments invited and nothing recorded yet."""
    with world.db.write() as s:
        plan = Plan(
            title=f"{day:%m月%d日}联合检查",
            theme=PlanTheme.COMBINED,
            lead_unit_id=world.squad,
            planned_on=day,
            created_by_id=world.operator.user_id,
            status=status,
        )
        s.add(plan)
        s.flush()
        for unit_id in departments:
            s.execute(plan_departments.insert().values(plan_id=plan.id, unit_id=unit_id))
        for person_id in officers:
            s.add(PlanOfficer(plan_id=plan.id, person_id=person_id, team=1))
        return plan.id


def record(world: World, plan_id: int, **given: tuple[bool, str]) -> None:
    ids = {"department": world.department, "agency": world.agency}
    with world.db.write() as s:
        plans.record_attendance(
            s,
            world.operator,
            plan_id,
            {ids[k]: plans.Attendance(came, note) for k, (came, note) in given.items()},
        )


def agency_officer(world: World) -> int:
    with world.db.write() as s:
        person = Person(name="钱所员", unit_id=world.agency, staffing=Staffing.ADMINISTRATIVE)
        s.add(person)
        s.flush()
        return person.id


def figure(world: World) -> tuple[float | None, list[tuple[str, ...]]]:
    with world.db.read() as s:
        value = METRIC.compute(s, YEAR, local(date(2026, 12, 30)), [world.agency])[world.agency]
        rows = list(METRIC.sources(s, YEAR, local(date(2026, 12, 30)), world.agency).rows)
    return value, rows


def test_invited_three_times_and_came_twice_is_two_thirds(world: World) -> None:
    officer = agency_officer(world)
    came = [finished_plan(world, [world.agency], date(2026, m, 10)) for m in (3, 5)]
    # Its officer was drawn for the one it missed: the draw no longer decides attendance.
    missed = finished_plan(world, [world.agency], date(2026, 7, 10), officers=[officer])
    for plan_id in came:
        record(world, plan_id, agency=(True, "2人"))
    record(world, missed, agency=(False, "同日区局专项检查"))
    # Not carried out, or another year: not counted.
    finished_plan(world, [world.agency], date(2026, 9, 1), status=PlanStatus.IN_PROGRESS)
    finished_plan(world, [world.agency], date(2025, 9, 1))
    value, rows = figure(world)
    assert value is not None and round(value, 1) == 66.7
    assert METRIC.format(value) == "66.7%"
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("2026-03-10", "参加", "2人"),
        ("2026-05-10", "参加", "2人"),
        ("2026-07-10", "未参加", "同日区局专项检查"),
    ]
    assert "登记为参加" in METRIC.rule


def test_an_agency_is_invited_through_its_department(world: World) -> None:
    through_department = finished_plan(world, [world.department], date(2026, 4, 1))
    both = finished_plan(world, [world.department, world.agency], date(2026, 6, 1))
    record(world, through_department, department=(True, "梅山所2人"))
    # Both listed: the agency's own row answers for it, not its department's.
    record(world, both, department=(False, "区局人员外出培训"), agency=(True, "1人"))
    value, rows = figure(world)
    assert value == 100.0
    assert rows[0][3:] == ("参加", "经区市场监督管理局邀请；梅山所2人")
    assert rows[1][3:] == ("参加", "1人")


def test_a_unit_invited_to_nothing_is_not_applicable(world: World) -> None:
    finished_plan(world, [], date(2026, 4, 1))
    value, rows = figure(world)
    assert value is None and METRIC.format(value) == "不适用" and rows == []


def test_finishing_records_every_invited_department(world: World) -> None:
    plan_id = finished_plan(
        world, [world.department, world.agency], date(2026, 10, 9), status=PlanStatus.IN_PROGRESS
    )
    with pytest.raises(ValidationError, match="请登记") as refused, world.db.write() as s:
        plans.finish(s, world.operator, plan_id, {world.agency: plans.Attendance(True, "")})
    assert "区市场监督管理局" in str(refused.value) and "梅山" not in str(refused.value)
    with pytest.raises(ValidationError, match="未参加，请写明原因"), world.db.write() as s:
        plans.finish(s, world.operator, plan_id, {world.department: plans.Attendance(False)})
    with pytest.raises(ValidationError, match="只能登记本方案"), world.db.write() as s:
        plans.finish(s, world.operator, plan_id, {world.squad: plans.Attendance(True)})
    with world.db.write() as s:
        plans.finish(
            s,
            world.operator,
            plan_id,
            {
                world.department: plans.Attendance(False, "同日区局专项检查"),
                world.agency: plans.Attendance(True, "2人"),
            },
        )
    with world.db.read() as s:
        assert s.get_one(Plan, plan_id).status is PlanStatus.DONE
        detail = plans.detail(s, world.operator, plan_id)
        assert [r.text for r in detail.attendance] == ["未参加（同日区局专项检查）", "参加（2人）"]
        audited = s.scalars(
            select(AuditRecord.summary).where(AuditRecord.action == "plan.attendance")
        ).all()
    assert len(audited) == 1 and "区市场监督管理局未参加（同日区局专项检查）" in audited[0]


def test_the_migration_backfills_finished_plans_from_their_teams(world: World) -> None:
    from alembic import command

    from commandcenter.db.migrate import alembic_config

    officer = agency_officer(world)
    on_teams = finished_plan(
        world, [world.agency, world.department], date(2026, 3, 1), officers=[officer]
    )
    not_drawn = finished_plan(world, [world.agency], date(2026, 4, 1))
    running = finished_plan(world, [world.agency], date(2026, 11, 1), status=PlanStatus.IN_PROGRESS)
    engine = world.db.engine
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        raw = conn.connection.driver_connection
        assert raw is not None
        if sqlite:  # batch rebuilds of referenced tables, as the application's upgrade does
            raw.execute("PRAGMA foreign_keys = OFF")
        with conn.begin():
            command.downgrade(alembic_config(conn), "0006")
            command.upgrade(alembic_config(conn), "head")
        if sqlite:
            raw.execute("PRAGMA foreign_keys = ON")
    with world.db.read() as s:
        rows = {
            (plan_id, unit_id): (attended, note)
            for plan_id, unit_id, attended, note in s.execute(
                text("SELECT plan_id, unit_id, attended, attendance_note FROM plan_departments")
            )
        }
    backfilled = "按执法人员名单补记"
    assert rows[(on_teams, world.agency)] == (True, backfilled)
    # The department answers through its agency's people at the street.
    assert rows[(on_teams, world.department)] == (True, backfilled)
    assert rows[(not_drawn, world.agency)] == (False, backfilled)
    assert rows[(running, world.agency)] == (None, None)
    value, _rows = figure(world)
    assert value == 50.0  # the old rule's figure: on the teams for one plan of two
