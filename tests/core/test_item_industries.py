"""Items carry the industries they apply to (migration 0013 fills them from their names), and
a plan's target draw follows its items' industries unless the drafter widens it, with why."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select

from commandcenter.db.engine import APPLICATION_ID, make_engine
from commandcenter.db.migrate import alembic_config, open_database
from commandcenter.db.models import CatalogueItem, CreditGrade, Entity, Plan
from commandcenter.documents import plan_papers
from commandcenter.errors import ValidationError
from commandcenter.paths import sqlite_url
from commandcenter.services import catalogue, catalogue_industries, draws
from tests.core.incident_world import World
from tests.core.test_draws import make_plan


@pytest.mark.parametrize(
    ("name", "industries"),
    [
        ("对餐饮服务提供者未按规定公示食品经营许可证的处罚", ["餐饮"]),
        ("对销售过期食品的行政处罚", ["餐饮", "零售"]),
        ("对公共场所经营者未取得卫生许可证擅自营业的处罚", ["住宿", "娱乐场所", "美容美发"]),
        ("对施工单位未按规定处置建筑垃圾的处罚", ["建筑施工"]),
        ("对无照经营的查处", []),  # any business
        ("对未经批准搭建建筑物、构筑物的行政处罚", []),
    ],
)
def test_an_items_industries_are_read_from_its_name(name: str, industries: list[str]) -> None:
    assert catalogue_industries.from_name(name) == industries


def test_typed_industries_are_cleaned_and_a_blank_is_read_from_the_name() -> None:
    assert catalogue_industries.parse(" 餐饮，零售、 餐饮 ") == ["餐饮", "零售"]
    form = catalogue.ItemForm(
        code="X-1", name="对网吧接纳未成年人的行政处罚", field="文化市场", list_type=None
    )
    values, _problems = catalogue.item_values(form)
    assert values["industries"] == "娱乐场所"
    form.industries = "住宿,娱乐场所"
    assert catalogue.item_values(form)[0]["industries"] == "住宿、娱乐场所"


def test_migration_0013_fills_the_existing_items(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(sqlite_url(path))
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        command.upgrade(alembic_config(conn), "0010")
        conn.exec_driver_sql(
            "INSERT INTO catalogue_versions (id, label, effective_from, created_at, updated_at)"
            " VALUES (1, '2025版', '2025-01-01', '2025-01-01', '2025-01-01')"
        )
        for n, name in enumerate(
            ("对饮食服务业经营者未安装油烟净化设施的行政处罚", "对无照经营的查处")
        ):
            conn.exec_driver_sql(
                "INSERT INTO catalogue_items (id, version_id, code, name, field, list_type)"
                f" VALUES ({n + 1}, 1, 'I-{n}', '{name}', '市场监管', 'empowered')"
            )
    engine.dispose()
    db = open_database(sqlite_url(path), backup_dir=tmp_path / "backups")
    with db.read() as s:
        found = dict(s.execute(select(CatalogueItem.code, CatalogueItem.industries)).all())
    assert found == {"I-0": "餐饮", "I-1": ""}


def _themed_world(world: World) -> tuple[int, dict[str, list[int]]]:
    """A plan whose one item applies to 餐饮, and entities of three industries in its grid."""
    made: dict[str, list[int]] = {}
    with world.db.write() as s:
        for industry in ("餐饮", "汽车维修", "建筑施工"):
            entities = [
                Entity(
                    name=f"{industry}{n}号",
                    grid_id=world.grid,
                    credit_grade=CreditGrade.GREEN,
                    industry=industry,
                )
                for n in range(3)
            ]
            s.add_all(entities)
            s.flush()
            made[industry] = [e.id for e in entities]
        item = s.get_one(CatalogueItem, world.items["empowered"])
        item.industries = "餐饮"
    plan_id = make_plan(world)
    with world.db.write() as s:
        s.get_one(Plan, plan_id).items = [s.get_one(CatalogueItem, world.items["empowered"])]
    return plan_id, made


def test_the_target_pool_follows_the_plans_items(world: World) -> None:
    plan_id, made = _themed_world(world)
    with world.db.read() as s:
        assert draws.target_pool_size(s, world.operator, plan_id) == 3
    with world.db.write() as s:
        draw = draws.draw_targets(s, world.operator, plan_id, count=3)
        assert {r["id"] for r in draw.result} == set(made["餐饮"])
        assert draw.parameters["industries"] == ["餐饮"] and draw.parameters["widened"] is None
    # Another industry, or all of them, only with a reason; the reason stays on the record.
    refused = "不含“汽车维修”；如需扩大抽取范围，请写明理由"
    with pytest.raises(ValidationError, match=refused), world.db.write() as s:
        draws.draw_targets(s, world.operator, plan_id, count=1, industry="汽车维修", reason="再抽")
    with world.db.write() as s:
        wide = draws.draw_targets(
            s, world.operator, plan_id, count=9, widen_reason="群众投诉集中", reason="扩大范围"
        )
        assert len(wide.result) == 9 and wide.parameters["industries"] == []
        assert wide.parameters["widened"] == "群众投诉集中"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by CI")
def test_the_draw_record_prints_its_scope_and_why_it_was_widened(
    world: World, tmp_path: Path
) -> None:
    plan_id, _made = _themed_world(world)
    with world.db.write() as s:
        themed = draws.draw_targets(s, world.operator, plan_id, count=2).id
        wide = draws.draw_targets(
            s, world.operator, plan_id, count=2, widen_reason="群众投诉集中", reason="扩大范围"
        ).id
    texts = []
    for draw_id in (themed, wide):
        with world.db.read() as s:
            paper = plan_papers.load_draw(s, world.leader, draw_id)
        path = plan_papers.render_draw(paper, tmp_path / f"{draw_id}.pdf")
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
        texts.append("".join(out.stdout.split()))
    assert "行业：餐饮（按检查事项适用行业）" in texts[0]
    assert "行业：不限（超出检查事项适用行业，扩大范围理由：群众投诉集中）" in texts[1]
