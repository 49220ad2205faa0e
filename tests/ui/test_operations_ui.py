"""A 综合查一次 through the 联合行动 page: plan, draw, approve, results, summary, papers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandcenter.db.models import CreditGrade, Incident, InspectionResult, Plan, PlanStatus
from commandcenter.services.actor import Actor
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.pages.joint_operations import JointOperationsPage
from commandcenter.ui.runner import Runner
from tests.core.incident_world import World
from tests.core.test_draws import make_entities
from tests.ui.test_incidents_ui import in_modal, save_and_wait


@pytest.fixture(autouse=True)
def _app(qapp) -> None:  # type: ignore[no-untyped-def]
    configure(qapp)


@pytest.fixture(autouse=True)
def _yes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Confirmations are answered 是 (a modal question would wait for a person)."""
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes
    )


def page_for(world: World, actor: Actor, tmp_path: Path, qtbot: QtBot) -> JointOperationsPage:
    runner = Runner(world.db, actor, tmp_path / "documents")
    page = JointOperationsPage(
        runner, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(page)
    page.resize(1500, 850)
    page.show()
    page.refresh()
    return page


def step(
    page: JointOperationsPage, qtbot: QtBot, name: str, work: Callable[[QDialog], None] | None
) -> None:
    button = page.plans.pane.findChild(QPushButton, f"planstep_{name}")
    assert button is not None, [b.objectName() for b in page.plans.pane.findChildren(QPushButton)]
    failures = in_modal(work) if work else []
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    page.runner.wait()
    qtbot.wait(50)
    assert not failures, failures
    page.refresh()


def status(world: World) -> PlanStatus:
    with world.db.read() as session:
        return session.scalars(select(Plan.status)).one()


def test_a_joint_operation_from_plan_to_summary(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    make_entities(
        world, [CreditGrade.GREEN, CreditGrade.RED, CreditGrade.YELLOW, CreditGrade.GREEN]
    )
    page = page_for(world, world.operator, tmp_path, qtbot)

    def plan(dialog: QDialog) -> None:
        assert isinstance(dialog, form_dialog.FormDialog)
        dialog.load(
            {
                "title": "梅东餐饮“综合查一次”",
                "lead_unit_id": world.squad,
                "department_ids": [world.department],
                "planned_on": date(2026, 10, 9),
                "grid_ids": [world.grid],
                "item_ids": [world.items["empowered"], world.items["linked"]],
            }
        )
        save_and_wait(qtbot, dialog)

    failures = in_modal(plan)
    qtbot.mouseClick(page.findChild(QPushButton, "newPlan"), Qt.MouseButton.LeftButton)
    assert not failures, failures
    page.runner.wait()
    page.refresh()
    assert page.plans.pane.current is not None

    step(page, qtbot, "draw_inspectors", lambda d: save_and_wait(qtbot, d))
    step(page, qtbot, "draw_targets", lambda d: (d.load({"count": 3}), save_and_wait(qtbot, d)))
    assert page.plans.pane.targets.rowCount() == 3
    assert page.plans.pane.draws.rowCount() == 2
    # 复算核验 replays both draws in a worker and reports each as it matched.
    verified: list[str] = []
    failures = in_modal(lambda box: (verified.append(box.text()), box.accept()))
    page.plans.pane.verify()
    qtbot.waitUntil(lambda: bool(verified) or bool(failures), timeout=10_000)
    assert not failures and verified[0].count("复算结果与记录一致") == 2, verified
    step(page, qtbot, "submit", None)
    assert status(world) is PlanStatus.SUBMITTED

    leader = page_for(world, world.leader, tmp_path / "leader", qtbot)
    step(leader, qtbot, "approve", lambda d: save_and_wait(qtbot, d))
    step(leader, qtbot, "start", None)
    assert status(world) is PlanStatus.IN_PROGRESS

    pane = leader.plans.pane
    for row in range(3):
        pane.targets.selectRow(row)

        def result(dialog: QDialog, row: int = row) -> None:
            assert isinstance(dialog, form_dialog.FormDialog)
            if row == 2:
                dialog.fields["result"].put(InspectionResult.CASE_OPENED)
                dialog.fields["findings"].put("无证经营")
            save_and_wait(qtbot, dialog)

        step(leader, qtbot, "result", result)

    def attendance(dialog: QDialog) -> None:  # 实施完毕 records who came
        assert isinstance(dialog, form_dialog.FormDialog)
        dialog.fields[f"attended_{world.department}"].put(True)
        dialog.fields[f"attendance_note_{world.department}"].put("区局2人")
        save_and_wait(qtbot, dialog)

    step(leader, qtbot, "finish", attendance)
    step(leader, qtbot, "summarise", lambda d: save_and_wait(qtbot, d))
    assert status(world) is PlanStatus.SUMMARISED
    with world.db.read() as session:
        assert session.scalars(select(Incident).where(Incident.plan_id.is_not(None))).one()
    assert "减少重复进门" in pane.facts.toPlainText()
    assert pane.findChild(QPushButton, "planpaper_plan").isEnabled()
    leader.grab().save(str(tmp_path / "operations.png"))
