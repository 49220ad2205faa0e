"""督办跟踪 and the 工作台's waiting lists, driven as an operator would: a paper about a unit's
conduct issued, answered and closed from the windows; a waiting list's row and card."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandcenter.db.engine import Database
from commandcenter.db.models import Supervision, SupervisionKind, Unit, UnitKind
from commandcenter.paths import AppPaths
from commandcenter.services.actor import Actor
from commandcenter.services.followups.listings import SUPERVISION_WAITING
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.dialogs.followups import FollowUpDialog
from commandcenter.ui.launch import build_main_window
from commandcenter.ui.main_window import MainWindow
from commandcenter.ui.pages import dashboard
from commandcenter.ui.pages.followups import FollowUpsPage
from commandcenter.ui.runner import Runner
from tests.ui.test_incidents_ui import save_and_wait


@pytest.fixture(autouse=True)
def _app(qapp: QApplication) -> None:
    configure(qapp)


def when_shown(title: str, work: Callable[[QDialog], None], failures: list[BaseException]) -> None:
    """Run *work* on the modal dialog titled *title* once it is up."""

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


def _click(dialog: QDialog, name: str) -> None:
    button = dialog.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_paper_about_a_unit_is_issued_answered_and_closed(
    demo_db: Database, operator: Actor, tmp_path: Path, qtbot: QtBot
) -> None:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    runner = Runner(demo_db, operator, tmp_path / "documents", attachments_dir=tmp_path / "att")
    page = FollowUpsPage(runner, settings)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    runner.wait()
    with demo_db.read() as s:
        agency = s.scalars(select(Unit.id).where(Unit.kind == UnitKind.AGENCY)).first()
    failures: list[BaseException] = []
    seen: list[str] = []

    def issue(dialog: QDialog) -> None:
        assert isinstance(dialog, form_dialog.FormDialog)
        dialog.fields["kind"].put(SupervisionKind.NOTICE)
        dialog.fields["unit_id"].put(agency)
        dialog.fields["content"].put("请加强夜间巡查并书面回复。")
        save_and_wait(qtbot, dialog)

    def record(dialog: QDialog) -> None:
        assert isinstance(dialog, FollowUpDialog)
        seen.append(dialog.state.text())
        assert not dialog.close_button.isEnabled()  # nothing to close before a reply

        def reply(form: QDialog) -> None:
            assert isinstance(form, form_dialog.FormDialog)
            form.fields["summary"].put("已增加夜间巡查频次。")
            form.fields["attachment"].put("纸质回复函（存档）")
            save_and_wait(qtbot, form)

        when_shown("登记书面回复", reply, failures)
        _click(dialog, "followUpAnswer")
        seen.append(dialog.state.text())

        def close(form: QDialog) -> None:
            assert isinstance(form, form_dialog.FormDialog)
            form.fields["note"].put("回复属实，予以办结")
            save_and_wait(qtbot, form)

        when_shown("办结", close, failures)
        _click(dialog, "followUpClose")
        seen.append(dialog.state.text())
        dialog.reject()

    when_shown("发出督办文书（单位整体工作）", issue, failures)

    # The record window opens on the new paper; its title carries the number.
    def record_when_up() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, FollowUpDialog):
            try:
                record(dialog)
            except BaseException as exc:
                failures.append(exc)
                dialog.reject()
            return
        QTimer.singleShot(20, record_when_up)

    QTimer.singleShot(0, record_when_up)
    _click(page, "newUnitSupervision")  # type: ignore[arg-type]
    assert not failures, failures
    assert [text.split("状态：")[1] for text in seen] == ["待回复", "已回复待办结", "已办结"]
    with demo_db.read() as s:
        paper = s.scalars(select(Supervision).order_by(Supervision.id.desc())).first()
        assert paper is not None and paper.incident_id is None
        assert paper.reply_attachment_name == "纸质回复函（存档）"
        assert paper.close_note == "回复属实，予以办结"


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database, leader: Actor, paths: AppPaths) -> Iterator[MainWindow]:
    ui = build_main_window(QApplication.instance(), demo_db, leader, paths)  # type: ignore[arg-type]
    qtbot.addWidget(ui.window)
    ui.window.show()
    qtbot.waitExposed(ui.window)
    yield ui.window
    ui.window.close()


def test_a_waiting_card_opens_its_list_and_a_row_its_record(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str, int]] = []

    class Recorded:
        open_incident_id = None

        def __init__(self, _runner: object, kind: str, record_id: int, _parent: object) -> None:
            opened.append((kind, record_id))

        def exec(self) -> int:
            return 0

    monkeypatch.setattr(dashboard, "FollowUpDialog", Recorded)
    window.show_page("dashboard")
    page = window.page("dashboard")
    assert isinstance(page, dashboard.DashboardPage)
    view = page.lists[SUPERVISION_WAITING.key]
    card = page.cards[SUPERVISION_WAITING.key]
    qtbot.waitUntil(lambda: card.value.text() != "–")  # the figures are read in a worker
    card.setFocus()
    QTest.keyClick(card, Qt.Key.Key_Return)
    assert page.tabs.currentWidget() is view and view.table.hasFocus()
    # The list behind its tab is read once shown, and the first row is chosen for Enter.
    qtbot.waitUntil(lambda: view.table.currentIndex().isValid())
    assert card.value.text() == str(view.model.total) and view.model.total > 0
    wanted = view.model.row_id(0)
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    assert opened == [("supervision", wanted)]
    # A list of incidents opens the incident in the queue.
    returned = page.lists["returned_waiting"]
    page.tabs.setCurrentWidget(returned)
    qtbot.waitUntil(lambda: returned.model.rowCount() > 0)
    returned.table.setFocus()
    returned.table.selectRow(0)
    incident = returned.model.row_id(0)
    QTest.keyClick(returned.table, Qt.Key.Key_Return)
    assert window.current_key() == "incidents"
    queue = window.page("incidents")
    qtbot.waitUntil(lambda: queue.detail.current is not None)  # type: ignore[attr-defined]
    assert queue.detail.current.id == incident  # type: ignore[attr-defined]


def test_a_filter_with_a_long_label_shows_its_whole_caption(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    page = FollowUpsPage(Runner(db, admin, tmp_path / "documents"), settings)
    qtbot.addWidget(page)
    page.show()
    page.interviews.refresh()
    box = page.interviews.filter_boxes["unit"]
    assert box.currentText() == "全部被约谈单位"
    # At the width the filter row gives it, the box's text field holds the caption whole.
    box.resize(box.sizeHint())
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    field = box.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, box
    )
    assert field.width() >= box.fontMetrics().horizontalAdvance(box.currentText())
