"""The users tab ties an account to its person on the roster."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QToolButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandcenter.db.engine import Database
from commandcenter.db.models import AuditRecord, Person, Unit, UnitKind, User
from commandcenter.paths import AppPaths
from commandcenter.services import auth
from commandcenter.services.actor import Actor
from commandcenter.ui.dialogs.form_dialog import FormDialog
from commandcenter.ui.launch import build_main_window
from commandcenter.ui.pages.users import UsersTab
from commandcenter.ui.runner import Runner
from tests.ui.test_incidents_ui import in_modal


def test_an_admin_ties_an_account_to_a_command_room_person(
    qtbot: QtBot, demo_db: Database, paths: AppPaths
) -> None:
    with demo_db.read() as session:
        admin = auth.actor_for(session, "admin")
        unlinked = session.scalars(
            select(Person.id)
            .join(Unit, Person.unit_id == Unit.id)
            .where(
                Unit.kind == UnitKind.COMMAND_CENTRE,
                Person.position == "值班员",
                Person.id.not_in(select(User.person_id).where(User.person_id.is_not(None))),
            )
        ).first()
        assert unlinked is not None  # the demo leaves one 值班员 without an account
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
        if tab.view.model.index(r, 0).data(Qt.ItemDataRole.DisplayRole) == "director"
    )
    tab.view.table.selectRow(row)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, FormDialog) and "director" in dialog.windowTitle()
        dialog.fields["person_id"].put(unlinked)
        dialog.save()

    failures = in_modal(fill)
    tab.link_person()
    assert not failures, failures
    with demo_db.read() as session:
        assert session.scalar(select(User.person_id).where(User.username == "director")) == (
            unlinked
        )
        assert (
            session.scalars(select(AuditRecord.summary).where(AuditRecord.action == "user.person"))
            .all()[-1]
            .startswith("用户 director（李卫东）关联人员")
        )


def test_the_account_buttons_say_what_they_do(
    qtbot: QtBot, db: Database, admin: Actor, tmp_path: Path
) -> None:
    tab = UsersTab(
        Runner(db, admin, tmp_path / "documents"),
        QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
    )
    qtbot.addWidget(tab)
    captions = {}
    for name in ("add", "key", "toggle", "roster"):
        button = tab.findChild(QToolButton, f"users_{name}")
        assert button is not None
        assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        captions[name] = button.text()
    assert captions == {
        "add": "新建用户",
        "key": "重置密码",
        "toggle": "停用/启用",
        "roster": "关联人员",
    }
