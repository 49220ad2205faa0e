"""The start: the sign-in form before SQLAlchemy, the database opened behind it while the
operator types, and every way an open can end reaching the operator as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from commandcenter.db.engine import Database
from commandcenter.db.migrate import open_database
from commandcenter.errors import DatabaseError
from commandcenter.paths import sqlite_url
from commandcenter.services import settings
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs.sign_in import OPENING, WAITING, SignInDialog
from commandcenter.ui.opening import DatabaseOpening
from commandcenter.ui.start import _without_password
from tests.conftest import PASSWORD

SRC = Path(__file__).resolve().parents[2] / "src"

# The app's own start (`cli.main`) with each dialog's first paint noted: which modules the GUI
# thread had imported by then, and which dialogs came up. Dialogs named in CC_REJECT are
# cancelled as soon as they are painted; message boxes print their text instead of waiting.
WATCH = """
import json, sys, threading
main_imports, shown = [], []
def hook(event, args):
    if event == "import" and not shown and threading.current_thread() is threading.main_thread():
        main_imports.append(args[0])
sys.addaudithook(hook)
import os
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QMessageBox
reject = os.environ["CC_REJECT"].split(",")
original = QDialog.exec
def exec_(dialog):
    def painted():
        shown.append(type(dialog).__name__)
        if type(dialog).__name__ in reject:
            dialog.reject()
    QTimer.singleShot(0, painted)
    return original(dialog)
QDialog.exec = exec_
QMessageBox.critical = lambda parent, title, text, *a: print("critical:", title, text)
from commandcenter.cli import main
code = main(sys.argv[1:])
print(json.dumps({"main_imports": main_imports, "shown": shown}))
sys.exit(code)
"""


def _start(home: Path, url: str, reject: str) -> tuple[int, dict[str, list[str]], str]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        CC_REJECT=reject,
    )
    done = subprocess.run(
        [sys.executable, "-c", WATCH, "--db", url, "--home", str(home)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = done.stdout.strip().splitlines()
    return done.returncode, json.loads(lines[-1]), done.stdout + done.stderr


def _set_up(path: Path) -> None:
    db = open_database(sqlite_url(path), create=True)
    settings.set_up_centre(
        db,
        street_name="梅山街道",
        doc_prefix="梅执",
        admin_username="admin",
        admin_display_name="张管理",
        admin_password=PASSWORD,
    )
    db.dispose()


def test_the_sign_in_form_is_painted_before_sqlalchemy_is_imported(tmp_path: Path) -> None:
    _set_up(tmp_path / "cc.db")
    code, seen, output = _start(tmp_path / "home", sqlite_url(tmp_path / "cc.db"), "SignInDialog")
    assert seen["shown"] == ["SignInDialog"], output
    heavy = [
        name
        for name in seen["main_imports"]
        if name.startswith(("sqlalchemy", "commandcenter.db", "commandcenter.services"))
        or name in ("commandcenter.ui.launch", "commandcenter.ui.main_window", "argon2")
    ]
    assert heavy == [], heavy
    assert "commandcenter.ui.dialogs.sign_in" in seen["main_imports"]  # the hook did watch
    assert code == 1  # cancelled: the open behind the form ended, nothing signed in
    assert "Traceback" not in output


def test_a_database_not_set_up_gives_the_form_to_the_first_run(tmp_path: Path) -> None:
    open_database(sqlite_url(tmp_path / "new.db"), create=True).dispose()
    code, seen, output = _start(
        tmp_path / "home", sqlite_url(tmp_path / "new.db"), "FirstRunDialog"
    )
    assert seen["shown"][-1] == "FirstRunDialog", output
    assert set(seen["shown"]) <= {"SignInDialog", "FirstRunDialog"}
    assert code == 1 and "Traceback" not in output


def test_a_refused_open_is_told_in_chinese_and_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "elsewhere" / "cc.db"  # a configured file that is not there
    code, _seen, output = _start(tmp_path / "home", sqlite_url(missing), "")
    assert code == 2, output
    assert "critical: 无法打开数据库" in output
    assert "Traceback" not in output


def test_server_urls_are_told_apart_without_their_password() -> None:
    from commandcenter.paths import shown_url

    for url in (
        "postgresql://cc:secret@db.local/commandcenter",
        "postgresql+psycopg://cc:p4ss@10.0.0.5:5432/cc",
        "postgresql://cc@db.local/commandcenter",
    ):
        assert _without_password(url) == shown_url(url)


# --- the form while the database opens ----------------------------------------------------------


@pytest.fixture(autouse=True)
def _app(qapp) -> None:  # type: ignore[no-untyped-def]
    configure(qapp)


def _gated(open_db: Callable[[], Database]) -> tuple[threading.Event, Callable[[], Database]]:
    gate = threading.Event()

    def opener() -> Database:
        assert gate.wait(30)
        return open_db()

    return gate, opener


def _form(qtbot: QtBot, opening: DatabaseOpening) -> SignInDialog:
    dialog = SignInDialog(opening=opening)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _type_and_press(dialog: SignInDialog, username: str, password: str) -> None:
    dialog.ui.usernameEdit.setText(username)
    dialog.ui.passwordEdit.setText(password)
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_sign_in_pressed_before_the_open_ends_waits_then_signs_in(
    qtbot: QtBot, tmp_path: Path
) -> None:
    _set_up(tmp_path / "cc.db")
    gate, opener = _gated(lambda: open_database(sqlite_url(tmp_path / "cc.db")))
    opening = DatabaseOpening(opener)
    dialog = _form(qtbot, opening)
    assert dialog.ui.databaseLabel.text() == OPENING
    assert not dialog.is_ready()
    _type_and_press(dialog, "admin", PASSWORD)
    qtbot.wait(50)
    assert dialog.ui.databaseLabel.text() == WAITING  # said, not frozen
    assert dialog.isVisible() and dialog.actor is None
    dialog.ui.usernameEdit.setText("Admin")  # still typed into while it waits
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        gate.set()
    assert dialog.actor is not None and dialog.actor.username == "admin"
    assert dialog.ui.centreLabel.text() == "梅山街道综合行政执法指挥中心"
    assert opening.is_loaded  # accepted only with the window's modules imported
    assert opening.result is not None
    opening.result.db.dispose()


def test_a_wrong_password_after_the_open_keeps_the_form(qtbot: QtBot, tmp_path: Path) -> None:
    _set_up(tmp_path / "cc.db")
    opening = DatabaseOpening(lambda: open_database(sqlite_url(tmp_path / "cc.db")))
    dialog = _form(qtbot, opening)
    with qtbot.waitSignal(dialog.ready, timeout=30_000):
        pass
    assert dialog.ui.databaseLabel.text() == f"数据库：{tmp_path / 'cc.db'}"
    _type_and_press(dialog, "admin", "not the password")
    qtbot.waitUntil(lambda: dialog.ui.errorLabel.text() != "", timeout=10_000)
    assert dialog.ui.errorLabel.text() == "用户名或密码不正确。"
    assert dialog.isVisible() and dialog.actor is None
    assert opening.result is not None
    opening.result.db.dispose()


def test_an_open_that_fails_closes_the_form_with_its_error(qtbot: QtBot) -> None:
    refused = DatabaseError("数据库文件已损坏。")
    gate, opener = _gated(lambda: (_ for _ in ()).throw(refused))
    opening = DatabaseOpening(opener)
    dialog = _form(qtbot, opening)
    _type_and_press(dialog, "admin", PASSWORD)
    with qtbot.waitSignal(dialog.finished, timeout=30_000) as finished:
        gate.set()
    assert finished.args == [SignInDialog.OPEN_FAILED]
    assert opening.error is refused  # the launcher tells it (and offers a restore) as before
    assert not opening.is_loaded


def test_a_bug_while_opening_reaches_the_gui_thread(qtbot: QtBot) -> None:
    def opener() -> Database:
        raise RuntimeError("a bug")

    opening = DatabaseOpening(opener)
    dialog = _form(qtbot, opening)
    with qtbot.waitSignal(dialog.finished, timeout=30_000) as finished:
        pass
    assert finished.args == [SignInDialog.OPEN_FAILED]
    assert isinstance(opening.error, RuntimeError)  # run_gui raises it: the crash hooks report


def test_cancelled_while_opening_lets_the_open_finish_and_closes_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_up(tmp_path / "cc.db")
    disposed: list[Database] = []
    monkeypatch.setattr(Database, "dispose", lambda db: disposed.append(db))
    gate, opener = _gated(lambda: open_database(sqlite_url(tmp_path / "cc.db")))
    opening = DatabaseOpening(opener)
    dialog = _form(qtbot, opening)
    qtbot.waitUntil(lambda: opening._opening is not None)
    dialog.reject()
    threading.Timer(0.2, gate.set).start()
    opening.abandon()  # waits for the open, however long, then closes what it opened
    assert len(disposed) == 1
    assert opening._opening is not None and opening._opening.outcome is not None
    assert opening._opening.outcome.value is not None
    assert disposed[0] is opening._opening.outcome.value.db
    monkeypatch.undo()
    disposed[0].dispose()
