"""A leader's account names its roster person: refused without one, listed where it has none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from commandcenter.db.models import Role, User
from commandcenter.errors import ValidationError
from commandcenter.exchange import exporters, importers
from commandcenter.exchange.report import ImportRejected
from commandcenter.services import auth, checks, user_people
from tests.core.incident_world import World


def test_a_leader_account_needs_its_person_and_keeps_it(world: World) -> None:
    with world.db.read() as s:
        admin = auth.actor_for(s, "admin")
    new = {"username": "wangjg", "display_name": "王建国", "password": "12345678"}
    needs = pytest.raises(ValidationError, match="领导账号须关联人员名册中的本人")
    with needs as refused, world.db.write() as s:
        auth.create_user(s, admin, role=Role.LEADER, **new)
    assert refused.value.field == "person_id"
    person = world.officers[1]
    with world.db.write() as s:
        user_id = auth.create_user(s, admin, role=Role.LEADER, person_id=person, **new).id
    with world.db.read() as s:
        assert s.get_one(User, user_id).person_id == person
    with pytest.raises(ValidationError, match="领导账号须关联"), world.db.write() as s:
        user_people.link_person(s, admin, user_id, None)
    # An operator's account may still be made without a person.
    with world.db.write() as s:
        auth.create_user(
            s, admin, username="zhou", display_name="周", role=Role.OPERATOR, password="12345678"
        )


def test_leader_accounts_without_a_person_are_listed_not_refused(world: World) -> None:
    """Accounts made before the rule (the world's first two leaders) keep working; check and
    the users page name them."""
    with world.db.read() as s:
        admin = auth.actor_for(s, "admin")
        assert user_people.unlinked_leaders(s, admin) == ["张主任（ld1）", "刘副主任（ld2）"]
        found = [f for f in checks.run_checks(s, admin) if f.table == "users"]
    assert [(f.row, f.table_label) for f in found] == [
        (world.leader.user_id, "用户"),
        (world.leader2.user_id, "用户"),
    ]
    assert found[0].reason.startswith("领导账号 张主任（ld1）未关联人员名册中的本人")
    assert found[0].reason.endswith("请在“系统设置 → 用户 → 关联人员”中关联")
    with world.db.write() as s:
        user_people.link_person(s, admin, world.leader.user_id, world.officers[0])
    with world.db.read() as s:
        assert user_people.unlinked_leaders(s, admin) == ["刘副主任（ld2）"]


def _sheet(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "账号关联"
    ws.append(["用户名", "人员姓名", "所在单位"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_the_users_workbook_links_accounts_to_people_all_or_nothing(
    world: World, tmp_path: Path
) -> None:
    with world.db.read() as s:
        admin = auth.actor_for(s, "admin")
        exported = exporters.export_users(s, admin, tmp_path / "users.xlsx")
    sheet = load_workbook(exported).active
    assert sheet is not None
    listed = [tuple(c.value or "" for c in row) for row in sheet.iter_rows(min_row=2)]
    assert ("ld3", "陈立", "梅山街道综合行政执法中队") in listed
    bad = _sheet(
        tmp_path / "bad.xlsx",
        [
            ["ld1", "王强", ""],
            ["nobody", "李明", ""],
            ["op1", "钱七", ""],
            ["LD1", "李明", "执法中队"],
            ["ld2", "陈立", ""],  # 陈立 belongs to ld3's account already
        ],
    )
    with pytest.raises(ImportRejected) as rejected:
        importers.run_import(world.db, admin, "users", bad)
    assert [(p.row, p.column) for p in rejected.value.report.problems] == [
        (3, "用户名"),
        (4, "人员姓名"),
        (5, "用户名"),
        (6, "人员姓名"),
    ]
    assert "已关联账号 ld3" in rejected.value.report.problems[-1].reason
    # The tab that makes accounts is named as the window names it.
    assert "请先在“系统设置 → 用户”中新建账号" in rejected.value.report.problems[0].reason
    with world.db.read() as s:
        assert user_people.unlinked_leaders(s, admin) == ["张主任（ld1）", "刘副主任（ld2）"]
    good = _sheet(tmp_path / "good.xlsx", [["ld1", "王强", ""], ["LD2", "李明", "执法中队"]])
    report = importers.run_import(world.db, admin, "users", good)
    assert report.accepted and report.updated == 2
    with world.db.read() as s:
        assert user_people.unlinked_leaders(s, admin) == []
        assert s.get_one(User, world.leader2.user_id).person_id == world.officers[1]
