"""Every place of the main window is a Page, and the window asks its pages through that type."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandcenter.db.engine import Database
from commandcenter.db.models import Incident
from commandcenter.paths import AppPaths
from commandcenter.services.actor import Actor
from commandcenter.ui.app import configure
from commandcenter.ui.launch import build_main_window
from commandcenter.ui.main_window import MainWindow
from commandcenter.ui.pages import PAGES, PageSpec
from commandcenter.ui.pages.base import Page


@pytest.fixture(autouse=True)
def _app(qapp: QApplication) -> None:
    configure(qapp)


def test_every_place_is_a_page() -> None:
    for spec in PAGES:
        module, name = spec.factory.split(":")
        page_class = getattr(importlib.import_module(f"commandcenter.ui.pages.{module}"), name)
        assert issubclass(page_class, Page), spec.factory


def test_a_page_has_defaults_for_what_it_does_not_do(qtbot: QtBot) -> None:
    page = Page()
    qtbot.addWidget(page)
    page.place("somewhere", "某处")
    assert (page.key, page.title, page.objectName()) == ("somewhere", "某处", "page_somewhere")
    page.focus_search()  # no search box: nothing happens
    assert page.running_work() is None
    page.cancel_running()
    with pytest.raises(NotImplementedError):
        page.refresh()  # every page must say how it reads its data
    with pytest.raises(NotImplementedError):
        page.open_record(1)


def test_a_factory_that_makes_no_page_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    class NotAPage(QWidget):
        def __init__(self, runner: object, settings: object) -> None:
            super().__init__()

    module = types.ModuleType("commandcenter.ui.pages.not_a_page")
    module.NotAPage = NotAPage  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    spec = PageSpec("odd", "奇怪", "dashboard", "not_a_page:NotAPage", frozenset())
    with pytest.raises(TypeError, match="not a Page"):
        spec.build(None, None)  # type: ignore[arg-type]


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database, leader: Actor, paths: AppPaths) -> Iterator[MainWindow]:
    ui = build_main_window(QApplication.instance(), demo_db, leader, paths)  # type: ignore[arg-type]
    qtbot.addWidget(ui.window)
    ui.window.show()
    qtbot.waitExposed(ui.window)
    yield ui.window
    ui.window.close()


def test_the_window_names_its_pages_after_their_places(window: MainWindow) -> None:
    for spec in PAGES:
        page = window.page(spec.key)
        assert (page.key, page.title, page.objectName()) == (
            spec.key,
            spec.title,
            f"page_{spec.key}",
        )


def test_an_incident_asked_for_on_another_page_opens_in_the_queue(
    window: MainWindow, demo_db: Database, qtbot: QtBot
) -> None:
    with demo_db.read() as session:
        incident_id = session.scalars(select(Incident.id).order_by(Incident.id.desc())).first()
    assert incident_id is not None
    window.show_page("dashboard")
    dashboard = window.page("dashboard")
    dashboard.open_incident.emit(incident_id)
    assert window.current_key() == "incidents"
    queue = window.page("incidents")
    assert queue.detail.asked_id == incident_id  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not queue.detail.reading)  # type: ignore[attr-defined]
    assert queue.detail.current is not None  # type: ignore[attr-defined]
    assert queue.detail.current.id == incident_id  # type: ignore[attr-defined]


def test_find_goes_to_the_visible_page(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show_page("directory")
    asked: list[str] = []
    page = window.page("directory")
    monkeypatch.setattr(page, "focus_search", lambda: asked.append(page.key))
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["directory"]


def test_closing_asks_about_a_page_s_running_work(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = window.page("reports")
    cancelled: list[str] = []
    monkeypatch.setattr(page, "running_work", lambda: "正在生成报表")
    monkeypatch.setattr(page, "cancel_running", lambda: cancelled.append(page.key))
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    window.close()
    assert window.isVisible() and cancelled == []
    assert asked == ["正在生成报表。关闭程序将取消它，已写的部分会清除。确定关闭吗？"]
    answer = QMessageBox.StandardButton.Yes
    window.close()
    assert not window.isVisible() and cancelled == ["reports"]


def test_preloading_imports_every_page_without_making_a_widget() -> None:
    # What the warm-up thread does after sign-in, in a process of its own: imports only (no
    # QApplication, so no widget could have been made), and every page's module is loaded.
    script = (
        "import sys\n"
        "from commandcenter.ui.pages import PAGES, preload_pages\n"
        "name = lambda s: 'commandcenter.ui.pages.' + s.factory.split(':')[0]\n"
        "assert not any(name(s) in sys.modules for s in PAGES[1:])\n"
        "preload_pages()\n"
        "from PySide6.QtWidgets import QApplication\n"
        "assert QApplication.instance() is None\n"
        "missing = [s.key for s in PAGES if name(s) not in sys.modules]\n"
        "assert not missing, missing\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
