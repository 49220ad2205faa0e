"""The plan forms of attendance and of the yearly cap: 实施完毕 asks each invited department,
and a target over the cap asks a leader for the reason or tells an operator to ask one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandcenter.db.models import CreditGrade, InspectionResult, Plan, PlanStatus, PlanTarget
from commandcenter.services import plans
from commandcenter.services.actor import Actor
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs import form_dialog, plan_steps
from commandcenter.ui.pages.joint_operation_plan import PlanPane
from commandcenter.ui.runner import Runner
from tests.core.incident_world import World
from tests.core.test_draws import make_entities, make_plan
from tests.core.test_plans import plan_form
from tests.ui.test_incidents_ui import in_modal, save_and_wait


@pytest.fixture(autouse=True)
def _app(qapp) -> None:  # type: ignore[no-untyped-def]
    configure(qapp)


def running_plan(world: World) -> int:
    """A plan carried out with both the department and its agency invited, results in."""
    [entity] = make_entities(world, [CreditGrade.GREEN])
    with world.db.write() as s:
        form = plan_form(world, department_ids=[world.department, world.agency])
        plan_id = plans.create_plan(s, world.operator, form).id
        plans.choose_targets(s, world.operator, plan_id, [entity])
        plan = s.get_one(Plan, plan_id)
        plan.status = PlanStatus.IN_PROGRESS
        for target in plan.targets:
            target.result = InspectionResult.COMPLIANT
    return plan_id


def open_step(world: World, actor: Actor, tmp_path: Path, step: plans.PlanStep, plan_id: int):  # type: ignore[no-untyped-def]
    runner = Runner(world.db, actor, tmp_path / "documents")
    with world.db.read() as s:
        detail = plans.detail(s, actor, plan_id)
    plan_steps.run_plan_step(QWidget(), runner, step, detail, None)
    runner.wait()


def test_the_finish_step_asks_each_invited_department(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    plan_id = running_plan(world)
    department, agency = world.department, world.agency
    seen: dict[str, object] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, form_dialog.FormDialog)
        dialog.resize(dialog.sizeHint())
        seen["size"] = dialog.sizeHint()
        # Keyboard reachable: Tab walks the choices and the notes in order.
        dialog.activateWindow()
        widget = dialog.fields[f"attended_{department}"].widget
        widget.setFocus()
        chain = [dialog.focusWidget()]
        for _ in range(3):
            QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
            chain.append(dialog.focusWidget())
        assert chain == [
            dialog.fields[key].widget
            for key in (
                f"attended_{department}",
                f"attendance_note_{department}",
                f"attended_{agency}",
                f"attendance_note_{agency}",
            )
        ]
        assert isinstance(chain[0], QComboBox) and isinstance(chain[1], QLineEdit)
        dialog.save()  # nothing chosen yet
        qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
        assert "请登记区市场监督管理局、区市场监管局梅山所是否参加" in dialog.error.text()
        dialog.fields[f"attended_{department}"].put(False)
        dialog.fields[f"attended_{agency}"].put(True)
        dialog.save()  # 未参加 without its reason
        qtbot.waitUntil(lambda: "写明原因" in dialog.error.text(), timeout=10_000)
        assert dialog.focusWidget() is dialog.fields[f"attendance_note_{department}"].widget
        dialog.fields[f"attendance_note_{department}"].put("区局人员外出培训")
        dialog.fields[f"attendance_note_{agency}"].put("梅山所2人")
        dialog.grab().save(str(tmp_path / "finish.png"))
        save_and_wait(qtbot, dialog)

    failures = in_modal(fill)
    open_step(world, world.operator, tmp_path, plans.PlanStep.FINISH, plan_id)
    assert not failures, failures
    size = seen["size"]
    assert size.width() <= 1366 and size.height() <= 700  # type: ignore[attr-defined]
    with world.db.read() as s:
        assert s.get_one(Plan, plan_id).status is PlanStatus.DONE
        rows = {r.unit_id: r.text for r in plans.detail(s, world.operator, plan_id).attendance}
    assert rows == {department: "未参加（区局人员外出培训）", agency: "参加（梅山所2人）"}


def capped(world: World) -> tuple[int, int]:
    [entity] = make_entities(world, [CreditGrade.RED])
    for month in (3, 5):
        make_plan(world, targets=[entity], planned_on=date(2026, month, 1))
    with world.db.write() as s:
        plan_id = plans.create_plan(s, world.operator, plan_form(world)).id
    return plan_id, entity


def when_asked(title: str, work: Callable[[QDialog], None]) -> list[BaseException]:
    """Like in_modal, for a dialog opened from a dialog: wait for the one named *title*."""
    failures: list[BaseException] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or dialog.windowTitle() != title:
            QTimer.singleShot(20, run)
            return
        try:
            work(dialog)
        except BaseException as exc:
            failures.append(exc)
            dialog.reject()

    QTimer.singleShot(0, run)
    return failures


def test_a_leader_gives_the_reason_for_a_target_over_the_cap(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    plan_id, entity = capped(world)
    asked: list[str] = []

    def reason(dialog: QDialog) -> None:
        assert isinstance(dialog, form_dialog.FormDialog)
        asked.append(dialog.windowTitle())
        asked.append(" ".join(w.text() for w in dialog.findChildren(form_dialog.QLabel)))
        dialog.fields["reason"].put("群众反复投诉，需再次检查")
        save_and_wait(qtbot, dialog)

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, plan_steps.ChooseTargetsDialog)
        dialog.fields["entity_ids"].put([entity])
        failures.extend(when_asked("超出年度检查上限", reason))
        dialog.save()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)

    failures = in_modal(choose)  # the reason dialog's failures are added to these
    open_step(world, world.leader, tmp_path, plans.PlanStep.CHOOSE_TARGETS, plan_id)
    assert not failures, failures
    assert asked[0] == "超出年度检查上限" and "本年度已检查 2 次" in asked[1]
    with world.db.read() as s:
        target = s.scalars(select(PlanTarget).where(PlanTarget.plan_id == plan_id)).one()
    assert target.cap_override_reason == "群众反复投诉，需再次检查"
    pane = PlanPane(Runner(world.db, world.operator, tmp_path / "documents"))
    qtbot.addWidget(pane)
    pane.show_plan(plan_id)
    note = "超出年度检查上限，经张主任批准：群众反复投诉，需再次检查"
    assert f"经营户0：{note}" in pane.facts.toPlainText()
    assert pane.targets.item(0, 8).text() == note


def test_an_operator_reads_that_a_leader_must_approve(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    plan_id, entity = capped(world)
    shown: list[str] = []

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, plan_steps.ChooseTargetsDialog)
        dialog.fields["entity_ids"].put([entity])
        dialog.save()
        qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
        shown.append(dialog.error.text())
        dialog.reject()

    failures = in_modal(choose)
    open_step(world, world.operator, tmp_path, plans.PlanStep.CHOOSE_TARGETS, plan_id)
    assert not failures, failures
    assert "须经领导批准" in shown[0] and "“经营户0”本年度已检查 2 次" in shown[0]
    with world.db.read() as s:
        assert s.scalars(select(PlanTarget).where(PlanTarget.plan_id == plan_id)).all() == []
