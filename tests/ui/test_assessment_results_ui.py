"""考核结果运用…: a leader records the party committee's consultation and prints the papers."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from commandcenter.services.actor import Actor
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.dialogs.assessment_results import NOT_YET, ResultsDialog
from commandcenter.ui.pages.assessment import AssessmentPage
from commandcenter.ui.runner import Runner
from tests.core.test_assessment_results import Street, _signed, street  # noqa: F401

SHOTS = os.environ.get("COMMANDCENTER_SCREENSHOTS")  # a folder to save the screens in


@pytest.fixture(autouse=True)
def _app(qapp) -> None:  # type: ignore[no-untyped-def]
    configure(qapp)


def _page(site: Street, actor: Actor, tmp_path: Path, qtbot: QtBot) -> AssessmentPage:
    runner = Runner(site.world.db, actor, tmp_path / "documents")
    page = AssessmentPage(runner, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(page)
    page.year.setCurrentIndex(page.year.findData(2026))
    page.resize(1366, 768)
    page.show()
    page.refresh()
    return page


def test_a_leader_consults_and_prints_from_the_dialog(
    street: Street,  # noqa: F811
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    _signed(street)
    page = _page(street, street.world.leader, tmp_path, qtbot)
    assert page.results_button.isVisible() and page.results_button.isEnabled()
    # The top row is no wider for it: the page fits beside the navigation at 1280×720.
    assert page.minimumSizeHint().width() <= 900, page.minimumSizeHint()
    dialog = ResultsDialog(page.runner, street.scheme, page)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() <= 1366 and dialog.height() <= 740
    assert dialog.letters.rowCount() == 2 and dialog.letters.item(0, 2).text() == NOT_YET
    assert dialog.motions.item(0, 4).text() == "未录入"
    assert not dialog.print_motion.isEnabled() and dialog.consult.isEnabled()
    if SHOTS:
        page.grab().save(str(Path(SHOTS) / "assessment-page.png"))
        dialog.grab().save(str(Path(SHOTS) / "results-dialog.png"))

    opened: list[form_dialog.FormDialog] = []
    original = form_dialog.FormDialog.exec

    def fill_and_save(self: form_dialog.FormDialog) -> int:
        opened.append(self)
        self.fields["head_name"].put("吴某")
        self.fields["head_position"].put("所长")
        self.fields["meeting_date"].put(date(2026, 12, 4))
        self.fields["meeting_name"].put("街道党工委会议（纪要〔2026〕21号）")
        self.fields["decision"].put("同意提出人事调整动议。")
        if SHOTS:
            self.grab().save(str(Path(SHOTS) / "consultation-form.png"))
        self.save()
        page.runner.wait()
        qtbot.wait(20)
        return int(self.result())

    form_dialog.FormDialog.exec = fill_and_save  # type: ignore[method-assign]
    try:
        qtbot.mouseClick(dialog.consult, Qt.MouseButton.LeftButton)
    finally:
        form_dialog.FormDialog.exec = original  # type: ignore[method-assign]
    assert opened and opened[0].result_value is not None
    assert dialog.motions.item(0, 3).text() == "所长吴某"
    assert dialog.print_motion.isEnabled()

    qtbot.mouseClick(dialog.print_letter, Qt.MouseButton.LeftButton)
    page.runner.wait()
    qtbot.waitUntil(lambda: dialog.letters.item(0, 2).text() == "梅执考通〔2026〕1号")
    assert list((tmp_path / "documents").glob("考核结果通报函-*.pdf"))


def test_an_operator_sees_no_results_button(
    street: Street,  # noqa: F811
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    page = _page(street, street.world.operator, tmp_path, qtbot)
    assert not page.results_button.isVisible()
    assert page.findChild(QPushButton, "assessmentResults") is page.results_button
