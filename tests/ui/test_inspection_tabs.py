"""联合行动's 抽查公示 and 年度检查计划 tabs, and a leader's grade change on 检查对象, driven as a
user drives them; the screens are grabbed at 1366×768 when COMMANDCENTER_SHOTS names a folder."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import SIGNAL, QDate, QSettings, Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandcenter.db.models import CreditGrade, Entity, EntityGradeChange, InspectionPublication
from commandcenter.services import annual_inspection_plan as annual
from commandcenter.services.actor import Actor
from commandcenter.ui.app import configure
from commandcenter.ui.pages import inspection_tabs
from commandcenter.ui.pages.joint_operations import JointOperationsPage
from commandcenter.ui.runner import Runner
from commandcenter.ui.tables import cell_text
from tests.core.incident_world import World
from tests.core.inspection_world import build
from tests.ui.test_incidents_ui import in_modal, save_and_wait


@pytest.fixture(autouse=True)
def _app(qapp) -> None:  # type: ignore[no-untyped-def]
    configure(qapp)


@pytest.fixture(autouse=True)
def _yes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes
    )


def page_for(world: World, actor: Actor, tmp_path: Path, qtbot: QtBot) -> JointOperationsPage:
    runner = Runner(world.db, actor, tmp_path / "documents")
    page = JointOperationsPage(
        runner, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    return page


def shot(page: JointOperationsPage, name: str) -> None:
    folder = os.environ.get("COMMANDCENTER_SHOTS")
    if folder:
        page.grab().save(str(Path(folder) / f"{name}.png"))


def press(page: JointOperationsPage, qtbot: QtBot, name: str, work: object) -> None:
    button = page.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    failures = in_modal(work)  # type: ignore[arg-type]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    page.runner.wait()
    qtbot.wait(50)
    assert not failures, failures


def test_an_operator_publishes_a_month(
    qtbot: QtBot, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(world)
    page = page_for(world, world.operator, tmp_path, qtbot)
    page.tabs.setCurrentWidget(page.publication)
    page.publication.start.setDate(QDate(2026, 3, 1))
    page.publication.end.setDate(QDate(2026, 3, 31))
    assert page.publication.rows.rowCount() == 3
    assert "尚未登记公示" in page.publication.state.text()

    def publish(dialog: QDialog) -> None:
        dialog.load({"published_on": date(2026, 4, 2), "note": "街道门户网站"})  # type: ignore[attr-defined]
        save_and_wait(qtbot, dialog)

    press(page, qtbot, "publishResults", publish)
    with world.db.read() as s:
        found = s.scalars(select(InspectionPublication)).one()
    assert (found.period_from, found.published_on, found.place) == (
        date(2026, 3, 1),
        date(2026, 4, 2),
        "政府网站",
    )
    assert "本期已于 2026-04-02 在政府网站公示（3 条）" in page.publication.state.text()
    assert cell_text(page.publication.published, 0, 0) == "2026年3月"
    shot(page, "inspection-publication")
    # Enter on the published list previews it as 打印所选公示 does.
    previewed: list[str] = []
    monkeypatch.setattr(
        inspection_tabs, "generate_and_preview", lambda _w, _r, kind, *_a: previewed.append(kind)
    )
    published = page.publication.published
    published.setCurrentCell(0, 0)
    published.setFocus()
    qtbot.keyClick(published, Qt.Key.Key_Return)
    assert previewed == ["inspection-notice"]


def test_a_leader_plans_the_year_and_sees_its_coverage(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    build(world)
    page = page_for(world, world.leader, tmp_path, qtbot)
    page.tabs.setCurrentWidget(page.annual_plan)
    page.annual_plan.year.setValue(2026)
    assert "尚未制定" in page.annual_plan.conclusion.text()

    def line(dialog: QDialog) -> None:
        dialog.load({"industry": "娱乐场所", "full_coverage": True, "frequency": 1})  # type: ignore[attr-defined]
        save_and_wait(qtbot, dialog)

    press(page, qtbot, "addPlanLine", line)
    page.refresh()
    assert cell_text(page.annual_plan.lines, 0, 10) == "未全覆盖：1 家未查"
    assert page.annual_plan.unchecked.rowCount() == 4
    assert cell_text(page.annual_plan.unchecked, 0, 0) == "经营户F"
    shot(page, "annual-inspection-plan")


def test_a_leader_lowers_a_grade_with_the_inspection_behind_it(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    year = build(world)
    page = page_for(world, world.leader, tmp_path, qtbot)
    page.tabs.setCurrentWidget(page.entities)
    page.refresh()
    row = next(
        r for r in range(page.entities.view.model.rowCount())
        if page.entities.view.model.row_id(r) == year.entities["B"]
    )  # fmt: skip
    page.entities.view.table.selectRow(row)

    def grade(dialog: QDialog) -> None:
        dialog.load({"grade": CreditGrade.YELLOW, "reason": "责令整改逾期未改"})  # type: ignore[attr-defined]
        save_and_wait(qtbot, dialog)

    failures = in_modal(grade)
    page.entities.change_grade()
    page.runner.wait()
    assert not failures, failures
    with world.db.read() as s:
        change = s.scalars(select(EntityGradeChange)).one()
        assert s.get_one(Entity, year.entities["B"]).credit_grade is CreditGrade.YELLOW
    assert change.plan_target_id == year.targets[("P1", "B")]  # the newest inspection, offered
    assert change.reason == "责令整改逾期未改"


def test_enter_on_a_plan_line_opens_it_for_a_leader_only(
    qtbot: QtBot, world: World, admin: Actor, tmp_path: Path
) -> None:
    build(world)
    with world.db.write() as s:
        annual.save_line(
            s, world.leader, 2026, annual.LineForm(industry="娱乐场所", percent=50, frequency=2)
        )
    page = page_for(world, world.leader, tmp_path, qtbot)
    page.tabs.setCurrentWidget(page.annual_plan)
    page.annual_plan.year.setValue(2026)
    lines = page.annual_plan.lines
    lines.setCurrentIndex(lines.model().index(0, 0))
    lines.setFocus()
    opened: list[str] = []

    def note(dialog: QDialog) -> None:
        opened.append(dialog.windowTitle())
        dialog.reject()

    failures = in_modal(note)
    qtbot.keyClick(lines, Qt.Key.Key_Return)
    assert not failures, failures
    assert opened == ["2026年度检查总计划：编辑"]
    # An admin, who may not edit the plan, gets no form from a row.
    admin_page = page_for(world, admin, tmp_path, qtbot)
    activated = SIGNAL("activated(QModelIndex)")
    assert lines.receivers(activated) == admin_page.annual_plan.lines.receivers(activated) + 1
