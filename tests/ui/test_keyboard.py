"""Keyboard first: an operator reaches and opens everything without the mouse."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from commandcenter.db.engine import Database
from commandcenter.paths import AppPaths
from commandcenter.services.actor import Actor
from commandcenter.services.incidents.workflow import Step
from commandcenter.services.plans import PlanStep
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs.incident_steps import RegisterDialog
from commandcenter.ui.launch import build_main_window
from commandcenter.ui.main_window import MainWindow
from commandcenter.ui.pages.dashboard import DashboardPage
from commandcenter.ui.pages.incidents import IncidentsPage
from commandcenter.ui.step_keys import MENU_LETTERS, PLAN_STEP_KEYS, STEP_KEYS


@pytest.fixture(autouse=True)
def _app(qapp: QApplication) -> None:
    configure(qapp)


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database, leader: Actor, paths: AppPaths) -> Iterator[MainWindow]:
    ui = build_main_window(QApplication.instance(), demo_db, leader, paths)  # type: ignore[arg-type]
    qtbot.addWidget(ui.window)
    ui.window.show()
    qtbot.waitExposed(ui.window)
    yield ui.window
    ui.window.close()


def test_every_step_has_its_own_letter_clear_of_the_menus() -> None:
    assert set(STEP_KEYS) == set(Step) and set(PLAN_STEP_KEYS) == set(PlanStep)
    for keys in (STEP_KEYS, PLAN_STEP_KEYS):
        letters = list(keys.values())
        assert len(set(letters)) == len(letters)
        assert not set(letters) & MENU_LETTERS  # 文件 视图 工具 帮助


def test_step_buttons_carry_their_alt_letter(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page("incidents")
    page = window.page("incidents")
    assert isinstance(page, IncidentsPage)
    qtbot.waitUntil(lambda: page.detail.current is not None)
    assert page.detail.current is not None
    buttons = {b.objectName(): b for b in page.detail.findChildren(QPushButton)}
    for step in page.detail.current.steps:
        button = buttons[f"step_{step.value}"]
        assert QKeySequence.mnemonic(button.text()) == QKeySequence(f"Alt+{STEP_KEYS[step]}")


def test_tab_leaves_the_queue(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page("incidents")
    page = window.page("incidents")
    assert isinstance(page, IncidentsPage)
    table = page.view.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    QTest.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()


def test_enter_on_a_dashboard_list_opens_the_incident(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page("dashboard")
    page = window.page("dashboard")
    assert isinstance(page, DashboardPage)
    view = page.overdue
    page.tabs.setCurrentWidget(view)  # read in a worker when its tab is shown
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    view.table.setFocus()
    view.table.selectRow(0)
    wanted = view.model.row_id(0)
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    assert window.current_key() == "incidents"
    queue = window.page("incidents")
    assert isinstance(queue, IncidentsPage)
    qtbot.waitUntil(lambda: queue.detail.current is not None and queue.detail.current.id == wanted)


def test_a_card_opens_what_it_counts(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page("dashboard")
    page = window.page("dashboard")
    assert isinstance(page, DashboardPage)
    card = page.cards["overdue"]
    card.setFocus()
    QTest.keyClick(card, Qt.Key.Key_Return)
    assert page.tabs.currentWidget() is page.overdue
    assert page.overdue.table.hasFocus()
    qtbot.mouseClick(page.cards["officers_on_duty"], Qt.MouseButton.LeftButton)
    assert window.current_key() == "roster"


def test_a_search_that_finds_one_shows_it(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page("incidents")
    page = window.page("incidents")
    assert isinstance(page, IncidentsPage)
    qtbot.waitUntil(lambda: page.detail.current is not None)
    model = page.view.model
    last = model.row_id(model.rowCount() - 1)  # not the incident the pane shows now
    number = model.data(model.index(model.rowCount() - 1, 0))
    page.view.search.setText(str(number))
    with qtbot.waitSignal(page.view.read):  # a search is read in a worker
        QTest.keyClick(page.view.search, Qt.Key.Key_Return)
    assert model.rowCount() == 1
    qtbot.waitUntil(lambda: page.detail.current is not None and page.detail.current.id == last)


def test_tab_crosses_a_date_and_time_in_one_press(window: MainWindow, qtbot: QtBot) -> None:
    dialog = RegisterDialog(window.page("incidents").runner, window)  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    received = dialog.fields["received_at"].widget
    received.setFocus()
    qtbot.waitUntil(received.hasFocus)
    QTest.keyClick(received, Qt.Key.Key_Tab)
    assert not received.hasFocus()
    dialog.reject()
