"""An operator's call handled with the keyboard alone, on the real main window.

Every press goes to the widget that has the focus, as a keyboard would send it: Ctrl+1 and
Ctrl+2 to the queue, Ctrl+N to register a call (typed, Tab between fields, Enter saves), Alt+Y
研判 with the item picked from its list by arrow keys, Alt+P 派单 with the lead unit and two
officers chosen by arrows and Space, and Ctrl+P for the dispatch order. Nothing is clicked and
no button's method is called: where a keyboard cannot reach something the window is at fault.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QListWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from commandcenter.db.engine import Database
from commandcenter.paths import AppPaths
from commandcenter.services.actor import Actor
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs.dispatch import DispatchDialog
from commandcenter.ui.dialogs.form_dialog import FormDialog
from commandcenter.ui.dialogs.incident_steps import RegisterDialog
from commandcenter.ui.dialogs.pdf_preview import PdfPreviewDialog
from commandcenter.ui.launch import AppSession, build_main_window
from commandcenter.ui.pages.incidents import IncidentsPage
from tests.ui.dialog_census import let_go

Key = Qt.Key
CTRL, ALT, NONE = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.NoModifier,
)
TITLE = "梅山大道18号门口夜间占道经营"


@pytest.fixture(autouse=True)
def _app(qapp: QApplication) -> None:
    configure(qapp)


@pytest.fixture
def session(
    qtbot: QtBot, demo_db: Database, operator: Actor, paths: AppPaths
) -> Iterator[AppSession]:
    ui = build_main_window(QApplication.instance(), demo_db, operator, paths)  # type: ignore[arg-type]
    # Closed and deleted below (let_go), not by qtbot, which would close it once more.
    ui.window.resize(1366, 728)
    ui.window.show()
    qtbot.waitExposed(ui.window)
    ui.window.activateWindow()
    yield ui
    ui.window.close()
    let_go(ui.window)


@dataclass
class Keyboard:
    """Sends keys where the focus is, and counts them."""

    fallback: QWidget
    presses: int = 0

    def target(self) -> QWidget:
        return QApplication.focusWidget() or QApplication.activeModalWidget() or self.fallback

    def press(self, key: Key, modifier: Qt.KeyboardModifier = NONE) -> None:
        self.presses += 1
        QTest.keyClick(self.target(), key, modifier)

    def type(self, text: str) -> None:
        """Letters and digits as key presses; Chinese as the input method commits it, counted
        as a press per character (a pinyin input takes about that with its phrase guesses)."""
        for char in text:
            self.presses += 1
            if char.isascii():
                QTest.keyClicks(self.target(), char)
            else:
                event = QInputMethodEvent("", [])
                event.setCommitString(char)
                QApplication.sendEvent(self.target(), event)

    def focused(self) -> QWidget | None:
        return QApplication.focusWidget()


@dataclass
class Modal:
    failures: list[BaseException] = field(default_factory=list)
    done: bool = False


def in_modal(work: Callable[[QDialog], None]) -> Modal:
    """Run *work* on the next modal dialog once it is up; close it if *work* fails."""
    modal = Modal()
    failures = modal.failures
    tries = [0]

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        ready = isinstance(dialog, QDialog) and focus is not None and dialog.isAncestorOf(focus)
        if not ready and tries[0] < 100:  # the window system activates the dialog first
            tries[0] += 1
            QTimer.singleShot(20, run)
            return
        assert isinstance(dialog, QDialog)
        try:
            work(dialog)
        except BaseException as exc:  # reported by the test once exec() returns
            failures.append(exc)
            dialog.reject()
        modal.done = True

    QTimer.singleShot(0, run)
    return modal


def check(modal: Modal, qtbot: QtBot, window: QWidget) -> None:
    """The dialog did its work, and the focus is back in *window* as the dialog closed."""
    # A button's Alt+letter presses it as a click would show, a moment later.
    qtbot.waitUntil(lambda: modal.done and QApplication.activeModalWidget() is None)
    failures = modal.failures
    assert not failures, "".join(traceback.format_exception(failures[0]))
    # A desktop's window manager hands the focus back to the window a dialog belonged to; the
    # offscreen platform has none, so the test does what it would.
    window.activateWindow()
    qtbot.waitUntil(
        lambda: (
            QApplication.focusWidget() is not None and QApplication.focusWidget().window() is window
        )
    )


def tab_to(keys: Keyboard, dialog: QWidget, name: str | QWidget, limit: int = 30) -> QWidget:
    """Tab until the field named *name* (or a widget inside it) has the focus."""
    wanted = dialog.findChild(QWidget, name) if isinstance(name, str) else name
    assert wanted is not None, name
    for _ in range(limit):
        now = keys.focused()
        if now is not None and (now is wanted or wanted.isAncestorOf(now)):
            return now
        keys.press(Key.Key_Tab)
    raise AssertionError(f"Tab never reaches {name}; focus is on {keys.focused()}")


def arrow_to(keys: Keyboard, matches: Callable[[], bool], limit: int = 60) -> None:
    """Press Down until *matches* holds."""
    for _ in range(limit):
        if matches():
            return
        keys.press(Key.Key_Down)
    raise AssertionError("the arrow keys never reach the entry")


def test_a_call_registered_triaged_dispatched_and_printed_by_keyboard(
    session: AppSession, qtbot: QtBot
) -> None:
    window = session.window
    keys = Keyboard(window)
    window.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)

    # Ctrl+1 the dashboard, Ctrl+2 the queue.
    keys.press(Key.Key_1, CTRL)
    assert window.current_key() == "dashboard"
    keys.press(Key.Key_2, CTRL)
    assert window.current_key() == "incidents"
    page = window.page("incidents")
    assert isinstance(page, IncidentsPage)
    session.runner.wait()

    # Ctrl+N: the call, typed field by field; Enter saves.
    start = keys.presses
    grid_name: list[str] = []

    def register(dialog: QDialog) -> None:
        assert isinstance(dialog, RegisterDialog)
        assert keys.focused() is dialog.fields["channel"].widget
        keys.press(Key.Key_Down)  # 12345热线 -> 基层治理四平台
        assert dialog.fields["channel"].get().label == "基层治理四平台"
        tab_to(keys, dialog, "field_title")
        keys.type(TITLE)
        tab_to(keys, dialog, "field_address")
        keys.type("梅山大道18号")
        grid = dialog.fields["grid_id"].widget
        assert isinstance(grid, QComboBox)
        tab_to(keys, dialog, "field_grid_id")
        grid_name.append(grid.itemText(1).split("（", 1)[0])
        keys.type(grid_name[0])
        tab_to(keys, dialog, "field_description")
        keys.type("晚上七点后有摊贩在门口摆摊，影响通行。")
        tab_to(keys, dialog, "field_reporter_phone")
        keys.type("13800001234")
        keys.press(Key.Key_Return)
        session.runner.wait()

    failures = in_modal(register)
    keys.press(Key.Key_N, CTRL)
    check(failures, qtbot, window)
    registration = keys.presses - start
    print(f"\n登记 took {registration} key presses")
    session.runner.wait()
    qtbot.waitUntil(lambda: page.detail.current is not None and page.detail.current.title == TITLE)
    detail = page.detail.current
    assert detail is not None and detail.status == "已登记"
    assert grid_name and detail.grid.startswith(grid_name[0])

    # Alt+Y 研判: narrow the catalogue by a word, then arrow down to an item.
    chosen: list[str] = []

    def triage(dialog: QDialog) -> None:
        assert isinstance(dialog, FormDialog)
        keys.type("摆摊")
        picker = dialog.findChild(QListWidget)
        assert picker is not None
        tab_to(keys, dialog, picker)
        keys.press(Key.Key_Down)
        item = picker.currentItem()
        assert item is not None and not item.isHidden() and "摆摊" in item.text()
        chosen.append(item.text().split("　")[1])
        keys.press(Key.Key_Return)
        session.runner.wait()

    failures = in_modal(triage)
    keys.press(Key.Key_Y, ALT)
    check(failures, qtbot, window)
    session.runner.wait()
    qtbot.waitUntil(lambda: page.detail.current is not None and page.detail.current.item != "")
    detail = page.detail.current
    assert detail is not None and detail.status == "已研判"
    assert chosen and detail.item.endswith(chosen[0])

    # Alt+P 派单: the lead unit by arrows, two officers by arrows and Space, Enter sends.
    ticked: list[str] = []

    def send(dialog: QDialog) -> None:
        assert isinstance(dialog, DispatchDialog)
        assert keys.focused() is dialog.lead
        # The first squad is proposed; the call is the second squad's patch this evening.
        assert dialog.lead.currentText() == "梅山街道综合行政执法队第一中队"
        lead = dialog.lead.findText("梅山街道综合行政执法队第二中队")
        arrow_to(keys, lambda: dialog.lead.currentIndex() == lead)
        # Tab goes down the form as it reads: 协办单位, then 办理要求.
        keys.press(Key.Key_Tab)
        assert keys.focused() is dialog.co_units
        keys.press(Key.Key_Tab)
        assert keys.focused() is dialog.requirements
        keys.type("到场核实，当晚反馈。")
        tab_to(keys, dialog, "field_officer_ids")
        officers = dialog.officers

        def on_someone_free() -> bool:
            item = officers.currentItem()
            return (
                item is not None
                and bool(item.flags() & Qt.ItemFlag.ItemIsUserCheckable)
                and bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)
                and item.checkState() == Qt.CheckState.Unchecked
            )

        for _ in range(2):
            arrow_to(keys, on_someone_free)
            keys.press(Key.Key_Space)
            ticked.append(officers.currentItem().text().split("　")[0])
        assert dialog.count.text() == "已选执法人员 2 名"
        keys.press(Key.Key_Return)
        session.runner.wait()

    failures = in_modal(send)
    keys.press(Key.Key_P, ALT)
    check(failures, qtbot, window)
    session.runner.wait()
    qtbot.waitUntil(
        lambda: page.detail.current is not None and page.detail.current.status != "已研判"
    )
    detail = page.detail.current
    assert detail is not None and detail.status == "已派单"
    assert detail.lead_unit == "梅山街道综合行政执法队第二中队"
    assert sorted(p.name for p in detail.team if not p.auxiliary) == sorted(ticked)
    assert detail.requirements == "到场核实，当晚反馈。"

    # Ctrl+P: the dispatch order, numbered, in the preview.
    keys.press(Key.Key_P, CTRL)

    qtbot.waitUntil(
        lambda: window.findChild(PdfPreviewDialog, "pdfPreview") is not None, timeout=20_000
    )
    preview = window.findChild(PdfPreviewDialog, "pdfPreview")
    assert preview is not None and "指挥调度单" in preview.windowTitle()
    assert preview.page_count == 1
    preview.close()
