"""年度检查总计划: lines by industry and department, each joint operation counted against them,
the entities never checked, and whether the year reaches 全覆盖 where the plan requires it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from commandcenter.db.models import AuditRecord
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.services import annual_inspection_plan as annual
from commandcenter.services.actor import Actor
from tests.core.incident_world import World
from tests.core.inspection_world import build

LineForm = annual.LineForm


def three_lines(world: World) -> list[int]:
    with world.db.write() as s:
        return [
            annual.save_line(s, world.operator, 2026, form).id
            for form in (
                LineForm("餐饮", world.agency, 50, 1),
                LineForm("餐饮", None, 25, 2),
                LineForm("娱乐场所", None, None, 1, full_coverage=True),
            )
        ]


def test_coverage_counts_each_operation_against_the_lines(world: World) -> None:
    """餐饮 has 4 active entities (A B C D; G is closed), 娱乐场所 2 (E F).

    餐饮／梅山所 50 %: 应查 ⌈4 × 0.5⌉ = 2; only P1 has 梅山所: A, B → 已查 2, 查足 2, 2 次; P2's
    pending C is not its plan's → 已安排 0; C, D unchecked → 完成.
    餐饮／各部门 25 %, twice a year: 应查 ⌈4 × 0.25⌉ = 1, 2 次; A (P1, P2) twice, B once (G is
    closed) → 已查 2, 查足 1, 3 次, 已安排 1 (C on P2) → 完成.
    娱乐场所 全覆盖: 应查 2; E checked, F waits on P5 → 未全覆盖, 1 家未查.
    """
    build(world)
    three_lines(world)
    with world.db.read() as s:
        got = annual.coverage(s, world.operator, 2026, as_of=date(2026, 9, 30))
    figures = [
        (
            line.industry,
            line.department,
            line.registered,
            line.planned,
            line.planned_visits,
            line.checked,
            line.enough,
            line.visits,
            line.scheduled,
            line.unchecked,
            line.verdict,
        )
        for line in got.lines
    ]
    assert figures == [
        ("餐饮", "区市场监管局梅山所", 4, 2, 2, 2, 2, 2, 0, 2, "已完成"),
        ("餐饮", "各部门", 4, 1, 2, 2, 1, 3, 1, 2, "已完成"),
        ("娱乐场所", "各部门", 2, 2, 2, 1, 1, 1, 1, 1, "未全覆盖：1 家未查"),
    ]
    assert got.lines[2].percent == 100  # 全覆盖 is every entity
    assert got.full_coverage_reached is False
    # Never checked this year: C, D, F and the world's own 梅山小吃店; F first (全覆盖).
    assert [(u.name, u.must) for u in got.unchecked] == [
        ("经营户F", True),
        ("梅山小吃店", False),
        ("经营户C", False),
        ("经营户D", False),
    ]
    assert (got.active, got.checked) == (7, 3)
    assert got.conclusion == (
        "计划 3 项，已完成 2 项；尚未全覆盖：娱乐场所（1 家未查）。全街道在册 7 家，本年已检查 3 家。"
    )
    # P1 counts A and B for both 餐饮 lines and E for 娱乐场所; P3 is cancelled, P4 last year.
    assert [(p.title, p.inspected, p.waiting, p.lines) for p in got.plans] == [
        (
            "P1联合检查",
            3,
            0,
            "餐饮／区市场监管局梅山所 2 次；餐饮／各部门 2 次；娱乐场所／各部门 1 次",
        ),
        ("P2联合检查", 2, 1, "餐饮／各部门 1 次"),
        ("P5联合检查", 0, 1, "不计入计划"),
    ]


def test_full_coverage_is_reached_when_every_entity_is_checked(world: World) -> None:
    from commandcenter.db.models import InspectionResult, PlanTarget

    year = build(world)
    three_lines(world)
    with world.db.write() as s:
        s.get_one(PlanTarget, year.targets[("P5", "F")]).result = InspectionResult.COMPLIANT
    with world.db.read() as s:
        got = annual.coverage(s, world.operator, 2026)
    assert got.lines[2].verdict == "已全覆盖" and got.full_coverage_reached is True
    assert got.conclusion.startswith("计划 3 项，已完成 3 项；要求全覆盖的行业均已全覆盖。")


def test_a_year_without_a_plan_says_so(world: World) -> None:
    build(world)
    with world.db.read() as s:
        got = annual.coverage(s, world.operator, 2027)
    assert got.plan_id is None and got.lines == []
    assert got.conclusion == "2027年尚未制定年度检查总计划。"


def test_lines_are_checked_edited_deleted_and_audited(world: World, admin: Actor) -> None:
    ids = three_lines(world)
    for bad, words in (
        (LineForm("餐饮", None, 0, 1), "抽查比例"),
        (LineForm("餐饮", None, 120, 1), "抽查比例"),
        (LineForm("零售", None, 10, 0), "检查频次"),
        (LineForm("餐饮", None, 10, 1), "同一行业和部门"),
    ):
        with pytest.raises(ValidationError, match=words), world.db.write() as s:
            annual.save_line(s, world.operator, 2026, bad)
    with pytest.raises(PermissionDenied), world.db.write() as s:
        annual.save_line(s, admin, 2026, LineForm("零售", None, 10, 1))
    with world.db.write() as s:
        annual.save_line(s, world.operator, 2026, LineForm("餐饮", None, 30, 1), ids[1])
        annual.delete_line(s, world.leader, ids[0])
    with world.db.read() as s:
        assert annual.line_form(s, world.operator, ids[1]).percent == 30
        got = annual.coverage(s, world.operator, 2026)
        words = s.scalars(
            select(AuditRecord.summary).where(AuditRecord.action.like("annual_plan.%"))
        ).all()
    assert [line.industry for line in got.lines] == ["餐饮", "娱乐场所"]
    assert words[0] == "建立2026年度检查总计划"
    assert words[-1] == "2026年度检查总计划删除：餐饮／区市场监管局梅山所：抽查 50％，每年 1 次"


def test_an_import_replaces_the_year_or_changes_nothing(world: World) -> None:
    three_lines(world)
    wrong = [LineForm("零售", None, 10, 1), LineForm("住宿", None, 10, 13)]
    with pytest.raises(ValidationError, match="第 2 行：检查频次"), world.db.write() as s:
        annual.replace_lines(s, world.operator, 2026, wrong)
    with world.db.read() as s:
        assert len(annual.coverage(s, world.operator, 2026).lines) == 3
    with world.db.write() as s:
        n = annual.replace_lines(
            s,
            world.operator,
            2026,
            [LineForm("全部行业", None, 5, 1), LineForm("住宿", None, 10, 1)],
        )
    with world.db.read() as s:
        got = annual.coverage(s, world.operator, 2026)
    assert n == 2
    assert [(line.industry, line.percent) for line in got.lines] == [("全部行业", 5), ("住宿", 10)]
