"""Two windows on one database, as two workstations: what one writes, the other shows without
F5, keeping its place, and a call registered at the other desk is said in the status bar."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from commandcenter.db.engine import Database
from commandcenter.paths import AppPaths
from commandcenter.services import auth
from commandcenter.services.incidents import intake
from commandcenter.ui.app import configure
from commandcenter.ui.launch import AppSession, build_main_window
from commandcenter.ui.pages.incidents import IncidentsPage


@pytest.fixture(autouse=True)
def _app(qapp: QApplication) -> None:
    configure(qapp)


@pytest.fixture
def desk(qtbot: QtBot, demo_db: Database, tmp_path: Path) -> Iterator[AppSession]:
    """The operator's desk, watching the queue."""
    with demo_db.read() as s:
        operator = auth.actor_for(s, "operator")
    paths = AppPaths(tmp_path / "desk")
    ui = build_main_window(QApplication.instance(), demo_db, operator, paths)  # type: ignore[arg-type]
    qtbot.addWidget(ui.window)
    ui.window.show()
    qtbot.waitExposed(ui.window)
    ui.window.show_page("incidents")
    yield ui
    ui.window.close()


def test_a_call_registered_at_another_desk_appears_and_is_told(
    desk: AppSession, demo_db: Database, qtbot: QtBot
) -> None:
    queue = desk.window.page("incidents")
    assert isinstance(queue, IncidentsPage)
    qtbot.waitUntil(lambda: queue.detail.current is not None)
    kept = queue.detail.current.id if queue.detail.current else None
    before = queue.view.model.total
    # The other workstation: another account, its own unit of work on the same database.
    with demo_db.write() as s:
        other = auth.actor_for(s, "operator2")
        number = intake.register(
            s,
            other,
            intake.IncidentForm(
                channel=intake.Channel.HOTLINE_12345,
                title="七星路夜间施工噪声",
                address="七星路8号",
            ),
        ).number
    # Through the window's own timer, in the real event loop: within a few seconds.
    qtbot.waitUntil(lambda: queue.view.model.total == before + 1, timeout=10_000)
    assert number in desk.window.statusBar().currentMessage()
    assert "新登记" in desk.window.statusBar().currentMessage()
    assert queue.detail.current is not None and queue.detail.current.id == kept  # its place kept


def test_the_notice_sound_is_this_pc_s_choice(desk: AppSession) -> None:
    from commandcenter.ui.live_updates import SOUND_KEY
    from commandcenter.ui.pages.settings_page import SettingsPage

    page = desk.window.page("settings")
    assert isinstance(page, SettingsPage)
    assert not page.sound.isChecked()  # off until the desk wants it
    page.sound.setChecked(True)
    assert desk.window.settings.value(SOUND_KEY, type=bool) is True
