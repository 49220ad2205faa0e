"""The roster and directory pages as a leader and an operator use them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QLineEdit, QTableWidget, QToolButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from commandcenter.db.engine import Database
from commandcenter.db.models import Person
from commandcenter.exchange.report import ImportReport
from commandcenter.services.actor import Actor
from commandcenter.services.roster import people
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.dialogs.certificates import CertificatesDialog
from commandcenter.ui.dialogs.roster_forms import person_fields
from commandcenter.ui.exchange_actions import ImportReportDialog
from commandcenter.ui.pages.liaisons import LiaisonsPage
from commandcenter.ui.pages.roster import RosterPage
from commandcenter.ui.runner import Runner
from commandcenter.ui.table_model import FLAG_ROLE


@pytest.fixture(autouse=True)
def _app(qapp) -> None:  # type: ignore[no-untyped-def]
    configure(qapp)


def runner_for(db: Database, actor: Actor, tmp_path: Path) -> Runner:
    return Runner(db, actor, tmp_path / "documents")


def test_roster_tabs_filters_and_r9(
    qtbot: QtBot, demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    runner = runner_for(demo_db, leader, tmp_path)
    page = RosterPage(runner, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    page.refresh()
    view = page.people.page.view
    total = view.model.total
    view.choose_filter("certificate", "即将到期")
    assert 0 < view.model.total < total
    flags = {
        view.model.data(view.model.index(r, 0), FLAG_ROLE) for r in range(view.model.rowCount())
    }
    assert flags == {"warning"}
    for index in range(1, 4):
        page.tabs.setCurrentIndex(index)
    assert page.units.tree.topLevelItemCount() > 0
    assert page.force.table.rowCount() > 0
    assert "专业巡讲" in page.training.street.text()
    page.grab().save(str(tmp_path / "training.png"))


def test_person_form_keeps_input_and_points_at_the_bad_field(
    qtbot: QtBot, demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    runner = runner_for(demo_db, leader, tmp_path)
    dialog = form_dialog.FormDialog(
        runner,
        "新增人员",
        person_fields(runner),
        lambda values: (
            lambda session, actor: (
                people.create_person(session, actor, people.PersonForm(**values)).id
            )
        ),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    name = dialog.fields["name"].widget
    assert isinstance(name, QLineEdit)
    name.insert("王芳")
    unit_box = dialog.fields["unit_id"].widget
    unit_box.setCurrentIndex(1)  # type: ignore[attr-defined]
    dialog.fields["staffing"].widget.setCurrentIndex(2)  # type: ignore[attr-defined]
    id_edit = dialog.fields["id_number"].widget
    assert isinstance(id_edit, QLineEdit)
    id_edit.insert("330206198001011231")
    with demo_db.read() as session:
        before = session.scalar(select(func.count(Person.id)))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert "校验位" in dialog.error.text()
    assert dialog.isVisible() and name.text() == "王芳" and id_edit.hasFocus()
    id_edit.clear()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with demo_db.read() as session:
        assert session.scalar(select(func.count(Person.id))) == (before or 0) + 1


def test_certificates_dialog_says_whether_the_person_may_be_dispatched(
    qtbot: QtBot, demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    from commandcenter.db.models import Certificate

    with demo_db.read() as session:
        person_id = session.scalar(select(Certificate.person_id).limit(1))
    assert person_id is not None
    dialog = CertificatesDialog(runner_for(demo_db, leader, tmp_path), person_id)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() >= 1
    assert "派出执法" in dialog.eligibility.text()


def test_import_report_dialog_lists_every_problem(qtbot: QtBot) -> None:
    report = ImportReport("人员", "名册.xlsx")
    report.add(3, "身份证号", "330206198001011231", "身份证号校验位不正确，请核对后重新输入。")
    report.add(5, "单位", "不存在", "系统中没有单位“不存在”。")
    dialog = ImportReportDialog(report)
    qtbot.addWidget(dialog)
    summary = dialog.findChild(QLabel, "importSummary")
    assert summary is not None and "2 行共 2 处问题" in summary.text()
    table = dialog.findChild(QTableWidget, "importProblems")
    assert table is not None and table.rowCount() == 2
    item = table.item(0, 0)
    assert item is not None and item.text() == "3"


def test_operator_edits_the_directory_but_not_the_roster(
    qtbot: QtBot, demo_db: Database, operator: Actor, tmp_path: Path
) -> None:
    runner = runner_for(demo_db, operator, tmp_path)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    directory = LiaisonsPage(runner, settings)
    roster_page = RosterPage(runner, settings)
    qtbot.addWidget(directory)
    qtbot.addWidget(roster_page)
    visible = {b.text() for b in directory.findChildren(QToolButton) if not b.isHidden()}
    assert {"新增", "编辑", "删除", "复制手机号"} <= visible
    assert "导入联络人" not in visible  # imports are for admins
    people_buttons = {b.text() for b in roster_page.findChildren(QToolButton) if not b.isHidden()}
    assert "新增人员" not in people_buttons and "执法证" in people_buttons
