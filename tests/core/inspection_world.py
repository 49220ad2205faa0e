"""A small street's inspection year, for 抽查结果公示 and the 年度检查总计划; every figure the
tests expect is counted by hand in their docstrings.

Entities: 餐饮 A B C D (active) and G (closed), 娱乐场所 E F, and the world's own 梅山小吃店
(no industry). Plans:

- P1 2026-03-10, lead 执法中队 with 梅山所, done: A 合格, B 责令整改, E 合格 (10:00, 11:00, 12:00);
  items 赋权 and 联动;
- P2 2026-06-10, lead 执法中队 alone, done: A 合格, G 合格, C still 待检查;
- P3 2026-07-01 cancelled: D 合格 (not counted);
- P4 2025-12-20, last year: D 合格 (not counted);
- P5 2026-11-25 approved: F 待检查.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from commandcenter.db.models import (
    CatalogueItem,
    Entity,
    InspectionResult,
    Plan,
    PlanStatus,
    PlanTarget,
    PlanTheme,
    plan_departments,
)
from commandcenter.db.models.joint_operations import plan_items
from commandcenter.services.validators import uscc_check_char
from tests.core.incident_world import World, local

R = InspectionResult


@dataclass(frozen=True)
class InspectionYear:
    entities: dict[str, int]  # letter -> id
    plans: dict[str, int]  # P1 … P5 -> id
    targets: dict[tuple[str, str], int]  # (plan, letter) -> target id


def code(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def build(world: World) -> InspectionYear:
    with world.db.write() as s:
        made = {}
        for letter, industry, active in (
            ("A", "餐饮", True),
            ("B", "餐饮", True),
            ("C", "餐饮", True),
            ("D", "餐饮", True),
            ("G", "餐饮", False),
            ("E", "娱乐场所", True),
            ("F", "娱乐场所", True),
        ):
            e = Entity(
                name=f"经营户{letter}",
                uscc=code(f"913302060000000{ord(letter):02d}"),
                industry=industry,
                active=active,
                grid_id=world.grid,
            )
            s.add(e)
            made[letter] = e
        s.flush()
        plans: dict[str, int] = {}
        targets: dict[tuple[str, str], int] = {}
        for key, day, status, units, rows in (
            ("P1", date(2026, 3, 10), PlanStatus.DONE, [world.agency],
             [("A", R.COMPLIANT), ("B", R.RECTIFY), ("E", R.COMPLIANT)]),
            ("P2", date(2026, 6, 10), PlanStatus.DONE, [],
             [("A", R.COMPLIANT), ("G", R.COMPLIANT), ("C", R.PENDING)]),
            ("P3", date(2026, 7, 1), PlanStatus.CANCELLED, [], [("D", R.COMPLIANT)]),
            ("P4", date(2025, 12, 20), PlanStatus.DONE, [], [("D", R.COMPLIANT)]),
            ("P5", date(2026, 11, 25), PlanStatus.APPROVED, [], [("F", R.PENDING)]),
        ):  # fmt: skip
            plan = Plan(
                title=f"{key}联合检查",
                number=f"梅执方〔{day.year}〕{key[1]}号",
                theme=PlanTheme.RANDOM,
                lead_unit_id=world.squad,
                status=status,
                planned_on=day,
                created_by_id=world.operator.user_id,
            )
            s.add(plan)
            s.flush()
            plans[key] = plan.id
            for unit in units:
                s.execute(plan_departments.insert().values(plan_id=plan.id, unit_id=unit))
            for hour, (letter, result) in enumerate(rows, start=10):
                target = PlanTarget(
                    plan_id=plan.id,
                    entity_id=made[letter].id,
                    result=result,
                    findings="消防通道堆物" if result is R.RECTIFY else None,
                    inspected_at=None if result is R.PENDING else local(day, hour),
                )
                s.add(target)
                s.flush()
                targets[(key, letter)] = target.id
        for item_id in (world.items["empowered"], world.items["linked"]):
            s.execute(plan_items.insert().values(plan_id=plans["P1"], item_id=item_id))
        return InspectionYear({k: e.id for k, e in made.items()}, plans, targets)


def item_names(world: World) -> str:
    with world.db.read() as s:
        found = [s.get_one(CatalogueItem, world.items[k]) for k in ("empowered", "linked")]
    return "、".join(i.name for i in sorted(found, key=lambda i: i.code))
