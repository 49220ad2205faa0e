"""The entity directory (检查对象) with credit codes, its history, Excel, and the recusal register."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from commandcenter.db.models import CreditGrade, Entity, Incident
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.exchange.exporters import export_entities
from commandcenter.exchange.importers import run_import
from commandcenter.exchange.report import ImportRejected
from commandcenter.services import entities
from commandcenter.services.validators import uscc_check_char
from tests.core.incident_world import World
from tests.core.test_exchange import workbook
from tests.core.test_incidents import register


def code(first17: str) -> str:
    return first17 + uscc_check_char(first17)


GOOD = code("91330206MA2AB1234")


def test_credit_codes_are_checked_folded_and_unique(world: World) -> None:
    wide = GOOD.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"})
    form = entities.EntityForm(name="梅山小吃店二店", uscc=wide.lower(), grid_id=world.grid)
    with world.db.write() as s:
        assert entities.save_entity(s, world.operator, form).uscc == GOOD
    with pytest.raises(ValidationError, match="已登记为“梅山小吃店二店”"), world.db.write() as s:
        entities.save_entity(s, world.operator, entities.EntityForm(name="另一家", uscc=GOOD))
    bad = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")
    with world.db.read() as s:
        _values, problems = entities.entity_values(s, entities.EntityForm(name="", uscc=bad))
    assert {p.field for p in problems} == {"name", "uscc"}


def test_history_lists_complaints_and_inspections(world: World) -> None:
    register(world, "梅山小吃店油烟扰民", entity_id=world.entity)
    with world.db.read() as s:
        lines = entities.history(s, world.operator, world.entity)
    assert [line.kind for line in lines] == ["事件"] and "油烟扰民" in lines[0].text


def test_recusals_are_kept_by_leaders(world: World) -> None:
    form = entities.RecusalForm(
        person_id=world.officers[0],
        entity_id=world.entity,
        reason="配偶经营",
        from_date=date(2026, 1, 1),
    )
    with pytest.raises(PermissionDenied), world.db.write() as s:
        entities.add_recusal(s, world.operator, form)
    with world.db.write() as s:
        recusal = entities.add_recusal(s, world.leader, form)
        recusal_id = recusal.id
    with world.db.read() as s:
        names = [r[1] for r in entities.recusals_in_force(s, world.leader, date(2026, 10, 1))]
    assert "王强" in names
    with world.db.write() as s:
        entities.end_recusal(s, world.leader, recusal_id, date(2026, 9, 30))
    with world.db.read() as s:
        names = [r[1] for r in entities.recusals_in_force(s, world.leader, date(2026, 10, 1))]
    assert "王强" not in names
    with pytest.raises(ValidationError, match="结束日期"), world.db.write() as s:
        entities.add_recusal(
            s,
            world.leader,
            entities.RecusalForm(
                person_id=world.officers[1],
                entity_id=world.entity,
                reason="亲属",
                from_date=date(2026, 5, 1),
                to_date=date(2026, 4, 1),
            ),
        )


HEADER = ["名称", "统一社会信用代码", "地址", "网格", "行业", "联系人", "联系电话", "信用等级"]


def test_import_is_all_or_nothing_and_updates_by_code(world: World, admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = code("92330206MA2CD5678")
    rows = [
        HEADER,
        ["梅山小吃店", GOOD, "梅山大道1号", "梅东一网格", "餐饮", "张老板", "13900000001", "黄"],
        ["七星五金", other, "七星路2号", "MD-01", "五金", "", "", ""],
        ["坏代码", GOOD[:-1] + "Z", "", "不存在网格", "", "", "", "紫"],
    ]
    path = workbook(tmp_path / "对象.xlsx", rows, sheet="检查对象")
    with pytest.raises(ImportRejected) as caught:
        run_import(world.db, admin, "entities", path)
    reasons = " ".join(p.reason for p in caught.value.report.problems)
    assert ("网格“不存在网格”" in reasons and "校验位" in reasons) or "18 位" in reasons
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Entity)) == 1  # the world's one
    good = workbook(tmp_path / "好.xlsx", rows[:3], sheet="检查对象")
    report = run_import(world.db, admin, "entities", good)
    assert (report.created, report.updated) == (2, 0)
    out = tmp_path / "导出.xlsx"
    with world.db.read() as s:
        export_entities(s, admin, out)
        grade = s.scalar(select(Entity.credit_grade).where(Entity.uscc == GOOD))
    assert grade is CreditGrade.YELLOW
    again = run_import(world.db, admin, "entities", out)
    assert (again.created, again.updated) == (0, 0)  # an export imports back unchanged


def test_incidents_can_name_their_entity(world: World) -> None:
    incident_id = register(world, entity_id=world.entity)
    with world.db.read() as s:
        assert s.get_one(Incident, incident_id).entity_id == world.entity
