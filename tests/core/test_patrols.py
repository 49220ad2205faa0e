"""Grid patrols on the small incident street, counted by hand.

September 2026 (Beijing days), grids 梅东一网格 (MD-01) and 梅东二网格 (MD-02, never walked):
  09-03 09:00  MD-01  officers[0] + auxiliary     problems: 占道经营, 乱堆物料
  09-17 14:00  MD-01  officers[0]                 no problem
  09-30 23:30  MD-01  officers[1]                 1 problem  (still September in Beijing)
  10-01 08:00  MD-01  officers[1]                 outside the month
So: MD-01 3 patrols, 3 problems; MD-02 0. officers[0] 2 patrols (2 problems), auxiliary 1 (2),
officers[1] 1 (1).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from commandcenter.db.models import Channel, Grid, Incident, IncidentStatus
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.services import patrols
from commandcenter.services.actor import Actor
from commandcenter.services.statistics import month_period
from tests.core.incident_world import World, local


def _record(world: World, when: date, hour: int, members: list[int], *found: str) -> int:
    with world.db.write() as s:
        return patrols.record_patrol(
            s,
            world.operator,
            patrols.PatrolForm(
                grid_id=world.grid,
                started_at=local(when, hour, 30 if hour == 23 else 0),
                minutes=90,
                route="梅东路—梅东市场—梅东小学",
                member_ids=members,
                problems=[patrols.ProblemForm(text, "梅东路 12 号") for text in found],
            ),
        ).id


@pytest.fixture
def walked(world: World) -> World:
    world.clock.set(local(date(2026, 10, 2), 9))
    with world.db.write() as s:
        s.add(Grid(code="MD-02", name="梅东二网格"))
    a, b = world.officers[0], world.officers[1]
    _record(world, date(2026, 9, 3), 9, [a, world.auxiliary], "占道经营", "乱堆物料")
    _record(world, date(2026, 9, 17), 14, [a])
    _record(world, date(2026, 9, 30), 23, [b], "违规张贴广告")
    _record(world, date(2026, 10, 1), 8, [b], "十月的问题")
    return world


def test_counts_per_grid_and_person(walked: World) -> None:
    world = walked
    september = month_period(2026, 9)
    with world.db.read() as s:
        figures = patrols.figures(s, world.leader, september)
    assert [(g.where, g.patrols, g.problems, g.registered) for g in figures.by_grid] == [
        ("MD-01", 3, 3, 0),
        ("MD-02", 0, 0, 0),
    ]
    people = {p.key: (p.patrols, p.problems) for p in figures.by_person}
    names = {p.key: p.name for p in figures.by_person}
    assert people == {
        world.officers[0]: (2, 2),
        world.auxiliary: (1, 2),
        world.officers[1]: (1, 1),
    }
    assert figures.text == (
        "网格巡查 3 次，覆盖网格 1/2 个（未巡查：梅东二网格）；巡查发现问题 3 个，登记为事件 0 件。"
        f"巡查次数较多的人员：{names[world.officers[0]]} 2 次、{names[world.auxiliary]} 1 次、"
        f"{names[world.officers[1]]} 1 次。"
    )


def test_a_problem_becomes_an_incident_once(walked: World) -> None:
    world = walked
    with world.db.read() as s:
        (latest, *_rest) = patrols.patrols(s, world.operator, month_period(2026, 9))
        assert latest.problems[0].description == "违规张贴广告"
        first = patrols.patrols(s, world.operator, month_period(2026, 9))[-1]
    assert "（协勤）" in first.members  # auxiliaries stay distinguishable (R10)
    problem = first.problems[0].id
    with world.db.write() as s:
        incident_id = patrols.register_problem(s, world.operator, problem).id
    with world.db.read() as s:
        shown = s.get(Incident, incident_id)
        assert shown is not None
        number = shown.number
        assert (shown.channel, shown.status) == (Channel.GRID_PATROL, IncidentStatus.REGISTERED)
        assert (shown.title, shown.grid_id, shown.address) == (
            "占道经营",
            world.grid,
            "梅东路 12 号",
        )
        assert "梅东一网格巡查发现" in shown.description
        figures = patrols.figures(s, world.leader, month_period(2026, 9))
    assert figures.by_grid[0].registered == 1 and figures.registered == 1
    with world.db.write() as s, pytest.raises(ValidationError, match=f"已登记为事件 {number}"):
        patrols.register_problem(s, world.operator, problem)
    # A patrol whose problem became an incident stays on record.
    with world.db.write() as s, pytest.raises(ValidationError, match="不能删除巡查记录"):
        patrols.delete_patrol(s, world.operator, first.id)


def test_a_patrol_needs_a_grid_people_and_a_route(world: World) -> None:
    with world.db.write() as s, pytest.raises(ValidationError) as refused:
        patrols.record_patrol(
            s,
            world.operator,
            patrols.PatrolForm(grid_id=world.grid, started_at=local(date(2026, 9, 3))),
        )
    assert refused.value.field == "route"
    with world.db.write() as s, pytest.raises(ValidationError, match="至少选择一名巡查人员"):
        patrols.record_patrol(
            s,
            world.operator,
            patrols.PatrolForm(grid_id=world.grid, started_at=local(date(2026, 9, 3)), route="x"),
        )
    with world.db.write() as s, pytest.raises(ValidationError, match="不能晚于当前时间"):
        patrols.record_patrol(
            s,
            world.operator,
            patrols.PatrolForm(
                grid_id=world.grid,
                started_at=local(date(2026, 12, 3)),
                route="x",
                member_ids=[world.officers[0]],
            ),
        )
    with world.db.read() as s:
        assert s.scalar(select(Grid.id).where(Grid.id == world.grid)) == world.grid


def test_only_the_desk_records_patrols(world: World, admin: Actor) -> None:
    with world.db.write() as s, pytest.raises(PermissionDenied):
        patrols.record_patrol(s, admin, patrols.PatrolForm(grid_id=world.grid))
