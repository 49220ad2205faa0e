"""The runner tells the views what a write changed, as the database layer reports it."""

from __future__ import annotations

import logging
import threading
import time
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot
from shiboken6 import delete as shiboken_delete

from commandcenter.db.changes import Area
from commandcenter.db.engine import Database
from commandcenter.db.models import Role, UnitKind
from commandcenter.services import auth, organisation
from commandcenter.services.actor import Actor
from commandcenter.ui.busy import SHOW_AFTER_MS, BusyIndicator
from commandcenter.ui.pages import PAGES
from commandcenter.ui.runner import Runner
from tests.conftest import PASSWORD

SQUAD = organisation.UnitForm(
    name="梅山街道综合行政执法中队", short_name="执法中队", kind=UnitKind.SQUAD
)


def test_a_write_tells_the_views_what_it_changed(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path
) -> None:
    runner = Runner(db, admin, tmp_path / "documents")
    results: list[int] = []
    with qtbot.waitSignal(runner.changed, timeout=10_000) as changed:
        runner.run(
            lambda session, actor: organisation.create_unit(session, actor, SQUAD).id,
            results.append,
            write=True,
        )
    assert changed.args == [frozenset({Area.ORGANISATION})]
    qtbot.waitUntil(lambda: len(results) == 1)

    with qtbot.assertNotEmitted(runner.changed, wait=100):
        runner.run(
            lambda session, actor: len(organisation.unit_tree(session, actor)), results.append
        )
        qtbot.waitUntil(lambda: len(results) == 2)
    assert results[1] == 1


def test_work_with_transactions_of_its_own_reports_all_of_them(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path
) -> None:
    runner = Runner(db, admin, tmp_path / "documents")

    def work(database: Database, actor: Actor) -> None:
        with database.write() as session:
            organisation.create_unit(session, actor, SQUAD)
        with database.write() as session:
            auth.create_user(
                session,
                actor,
                username="op",
                display_name="值班员",
                role=Role.OPERATOR,
                password=PASSWORD,
            )

    with qtbot.waitSignal(runner.changed, timeout=10_000) as changed:
        runner.run_transactions(work)
    assert changed.args == [frozenset({Area.ORGANISATION, Area.USERS})]


def test_every_area_is_shown_by_some_page() -> None:
    # Otherwise a write to it would refresh nothing the operator can see.
    assert set().union(*(spec.areas for spec in PAGES)) == set(Area)


def test_the_control_that_started_work_waits_for_it_and_long_work_shows(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path
) -> None:
    runner = Runner(db, admin, tmp_path / "documents")
    label = QLabel()
    indicator = BusyIndicator(label)
    runner.busy_changed.connect(indicator.set_busy)
    button = QPushButton("计算")
    qtbot.addWidget(button)
    release = threading.Event()
    results: list[int] = []

    def slow(session: object, actor: Actor) -> int:
        release.wait(10)
        return 1

    runner.run(slow, results.append, busy=button)
    assert not button.isEnabled()  # no second click while it runs
    assert not indicator.shown  # nothing flickers for a moment's work
    qtbot.waitUntil(lambda: indicator.shown, timeout=5_000)
    assert label.text() == "正在处理…"
    assert QApplication.overrideCursor() is not None
    release.set()
    qtbot.waitUntil(lambda: results == [1])
    assert button.isEnabled()
    assert not indicator.shown and label.text() == ""
    assert QApplication.overrideCursor() is None


def test_quick_work_shows_nothing(qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path) -> None:
    runner = Runner(db, admin, tmp_path / "documents")
    indicator = BusyIndicator(QLabel())
    runner.busy_changed.connect(indicator.set_busy)
    results: list[int] = []
    runner.run(lambda session, actor: 2, results.append)
    qtbot.waitUntil(lambda: results == [2])
    qtbot.wait(SHOW_AFTER_MS + 100)
    assert not indicator.shown
    assert QApplication.overrideCursor() is None


def test_quiet_work_never_shows_as_busy(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path
) -> None:
    runner = Runner(db, admin, tmp_path / "documents")
    release = threading.Event()
    results: list[int] = []

    def slow(session: object, actor: Actor) -> int:
        release.wait(10)
        return 3

    with qtbot.assertNotEmitted(runner.busy_changed, wait=SHOW_AFTER_MS + 100):
        runner.run(slow, results.append, quiet=True)
    release.set()
    qtbot.waitUntil(lambda: results == [3])


def test_a_view_closed_while_its_work_runs_is_not_called_back(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path
) -> None:
    runner = Runner(db, admin, tmp_path / "documents")
    view = QLabel()
    release = threading.Event()
    called: list[object] = []

    def slow(session: object, actor: Actor) -> int:
        release.wait(10)
        return 4

    def boom(session: object, actor: Actor) -> int:
        release.wait(10)
        raise RuntimeError("失败")

    runner.run(slow, lambda n: called.append(view.text()), parent=view)
    runner.run(boom, lambda n: None, parent=view, on_error=lambda exc: called.append(view.text()))
    shiboken_delete(view)  # the page went away (a sign-out, a closed dialog)
    release.set()
    assert runner.wait()
    qtbot.wait(100)  # the queued results are delivered on the GUI thread
    assert called == []


def test_a_slow_read_on_the_gui_thread_is_logged_by_name_only(
    db: Database, admin: Actor, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    runner = Runner(db, admin, tmp_path)

    def quick_look(_session: object, _actor: object) -> str:
        return "13912345678"

    def slow_look(_session: object, _actor: object) -> str:
        time.sleep(0.08)
        return "13912345678"

    with caplog.at_level(logging.INFO, logger="commandcenter.ui.runner"):
        assert runner.read_now(quick_look) == "13912345678"
        assert caplog.messages == []
        assert runner.read_now(partial(slow_look)) == "13912345678"
    (message,) = caplog.messages
    assert message.startswith("GUI thread waited ") and message.endswith(
        " ms for " + slow_look.__qualname__
    )
    assert "139" not in message
