"""The 培训 tab's exams: a row opens as the keyboard and the mouse expect."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import SIGNAL, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from commandcenter.db.engine import Database
from commandcenter.services.actor import Actor
from commandcenter.ui.pages.training_exams import ExamsPanel
from commandcenter.ui.runner import Runner
from tests.ui.test_incidents_ui import in_modal


def test_enter_on_an_exam_enters_a_result_for_it(
    qtbot: QtBot, demo_db: Database, leader: Actor, operator: Actor, tmp_path: Path
) -> None:
    panel = ExamsPanel(Runner(demo_db, leader, tmp_path / "documents"))
    qtbot.addWidget(panel)
    panel.refresh(2026)
    assert panel.exams.rowCount() == 2  # the demo street's two exams of the year
    panel.exams.selectRow(1)
    panel.exams.setFocus()
    opened: list[str] = []

    def note(dialog: QDialog) -> None:
        opened.append(dialog.windowTitle())
        dialog.reject()

    failures = in_modal(note)
    qtbot.keyClick(panel.exams, Qt.Key.Key_Return)
    assert not failures, failures
    assert opened == [f"登记成绩：{panel.exams.item(1, 1).text()}"]
    # An operator, who may not enter results, gets no form from a row.
    others = ExamsPanel(Runner(demo_db, operator, tmp_path / "documents"))
    qtbot.addWidget(others)
    activated = SIGNAL("activated(QModelIndex)")
    assert panel.exams.receivers(activated) == others.exams.receivers(activated) + 1
