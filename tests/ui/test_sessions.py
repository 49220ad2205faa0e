"""The session on screen: the idle lock keeps an unsaved form, a switch of user leaves nothing of
the last one, and accounts are looked after from the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandcenter.db.engine import Database
from commandcenter.db.models import AuditRecord
from commandcenter.demo.generator import DEMO_PASSWORD
from commandcenter.paths import AppPaths
from commandcenter.services import auth
from commandcenter.services.actor import Actor
from commandcenter.ui.dialogs.form_dialog import FormDialog, text
from commandcenter.ui.launch import AppSession, build_main_window, switch_user
from tests.ui.test_incidents_ui import in_modal, type_into


@pytest.fixture
def session(qtbot: QtBot, demo_db: Database, leader: Actor, paths: AppPaths) -> AppSession:
    ui = build_main_window(QApplication.instance(), demo_db, leader, paths)  # type: ignore[arg-type]
    qtbot.addWidget(ui.window)
    ui.window.show()
    qtbot.waitExposed(ui.window)
    return ui


def _covers(widget: QWidget) -> list[QLabel]:
    return [c for c in widget.findChildren(QLabel, "lockCover") if c.isVisible()]


def test_the_idle_lock_hides_everything_and_keeps_the_unsaved_form(
    session: AppSession, qtbot: QtBot
) -> None:
    lock = session.window.idle_lock
    assert lock is not None and lock.minutes == 15  # the centre's default
    now = [1000.0]
    lock.clock = lambda: now[0]
    lock.last_input = now[0]
    form = FormDialog(session.runner, "记录情况", [text("note", "情况")], lambda values: None)
    qtbot.addWidget(form)
    form.show()
    type_into(form, "note", "尚未保存的现场情况")

    now[0] += 14 * 60
    QTest.keyClick(session.window, Qt.Key.Key_Shift)  # someone is there
    now[0] += 14 * 60
    lock.check()
    assert not lock.locked
    now[0] += 15 * 60
    lock.check()
    assert lock.locked and lock.dialog is not None
    # Both windows are covered edge to edge; the prompt is the one window left readable.
    for window in (session.window, form):
        (cover,) = _covers(window)
        assert cover.geometry() == window.rect()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is lock.dialog)

    lock.dialog.password.setText("不是这个密码")
    lock.dialog.try_unlock()
    assert lock.locked and lock.dialog.error.text() == auth.SIGN_IN_FAILED
    lock.dialog.password.setText(DEMO_PASSWORD)
    lock.dialog.try_unlock()
    assert not lock.locked
    qtbot.waitUntil(lambda: not _covers(session.window) and not _covers(form))
    field = form.findChild(QLineEdit, "field_note")
    assert field is not None and field.text() == "尚未保存的现场情况"
    with session.db.read() as s:
        last = s.scalars(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(2)).all()
    # The failed try counts towards the sign-in lock like any other.
    assert [r.action for r in last] == ["auth.sign_in", "auth.failed"]


def test_switching_user_closes_the_last_users_windows(
    session: AppSession, qtbot: QtBot, paths: AppPaths
) -> None:
    form = FormDialog(session.runner, "记录情况", [text("note", "情况")], lambda values: None)
    form.show()
    type_into(form, "note", "王建国的草稿")

    def sign_in(dialog: QDialog) -> None:
        dialog.ui.usernameEdit.setText("operator")  # type: ignore[attr-defined]
        dialog.ui.passwordEdit.setText(DEMO_PASSWORD)  # type: ignore[attr-defined]
        dialog.try_sign_in()  # type: ignore[attr-defined]

    failures = in_modal(sign_in)
    following = switch_user(session, paths)
    assert not failures
    assert following is not None and following.runner.actor.username == "operator"
    qtbot.addWidget(following.window)
    following.window.show()
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible == [following.window]
    assert "王建国" not in following.window.user_label.text()
    following.window.close()


def test_users_change_their_password_from_the_window(
    session: AppSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    seen: list[str] = []

    def fill(dialog: QDialog) -> None:
        type_into(dialog, "current", DEMO_PASSWORD)
        type_into(dialog, "new", "王建国的新密码-2026")
        type_into(dialog, "repeat", "王建国的新密码-2027")
        dialog.save()  # type: ignore[attr-defined]
        error = dialog.findChild(QLabel, "formError")
        assert error is not None
        qtbot.waitUntil(error.isVisible, timeout=10_000)  # refused; the dialog stays open
        seen.append(error.text())
        type_into(dialog, "repeat", "王建国的新密码-2026")
        dialog.save()  # type: ignore[attr-defined]

    failures = in_modal(fill)
    session.window._change_password()
    assert not failures, failures
    assert seen == ["两次输入的新密码不一致。"]
    assert shown and "密码已修改" in shown[0]
    auth.sign_in(session.db, "leader", "王建国的新密码-2026")


def test_an_admin_resets_a_forgotten_password_in_the_users_tab(
    qtbot: QtBot, demo_db: Database, paths: AppPaths
) -> None:
    from commandcenter.ui.pages.users import UsersTab

    with demo_db.read() as session:
        admin = auth.actor_for(session, "admin")
    ui = build_main_window(QApplication.instance(), demo_db, admin, paths)  # type: ignore[arg-type]
    qtbot.addWidget(ui.window)
    ui.window.show_page("settings")
    tab = ui.window.page("settings").users  # type: ignore[attr-defined]
    assert isinstance(tab, UsersTab)
    tab.refresh()
    qtbot.waitUntil(lambda: tab.view.model.rowCount() >= 3, timeout=10_000)
    row = next(
        r
        for r in range(tab.view.model.rowCount())
        if tab.view.model.index(r, 0).data(Qt.ItemDataRole.DisplayRole) == "operator"
    )
    tab.view.table.selectRow(row)

    def fill(dialog: QDialog) -> None:
        assert "operator" in dialog.windowTitle()
        type_into(dialog, "new", "临时密码-4321")
        type_into(dialog, "repeat", "临时密码-4321")
        dialog.save()  # type: ignore[attr-defined]

    failures = in_modal(fill)
    tab.reset_password()
    assert not failures, failures
    assert auth.sign_in(demo_db, "operator", "临时密码-4321").username == "operator"


def test_a_window_whose_account_is_disabled_signs_out_and_writes_nothing(
    session: AppSession, demo_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another workstation's administrator disables the leader signed in here."""
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: told.append(text))
    runner = session.runner
    with demo_db.write() as s:
        admin = auth.actor_for(s, "admin")
        assert runner.actor.user_id is not None
        auth.set_active(s, admin, runner.actor.user_id, False)
    with demo_db.read() as s:
        before = s.scalar(select(AuditRecord.id).order_by(AuditRecord.id.desc()).limit(1))
    written: list[object] = []
    with qtbot.waitSignal(session.window.switch_user_requested, timeout=10_000):
        runner.run(
            lambda s, actor: auth.change_password(s, actor, DEMO_PASSWORD, "Newpass#2026"),
            written.append,
            write=True,
        )
    assert written == [] and told == ["您的账号已被管理员停用，请联系管理员。本窗口将退出登录。"]
    with demo_db.read() as s:
        after = s.scalar(select(AuditRecord.id).order_by(AuditRecord.id.desc()).limit(1))
    assert after == before  # nothing written by the withdrawn account


def test_an_idle_window_notices_within_its_status_refresh(
    session: AppSession, demo_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "warning", lambda *_args: None)
    with demo_db.write() as s:
        admin = auth.actor_for(s, "admin")
        assert session.runner.actor.user_id is not None
        auth.set_active(s, admin, session.runner.actor.user_id, False)
    with qtbot.waitSignal(session.window.switch_user_requested, timeout=10_000):
        session.window.refresh_status()  # as its timer does each minute
