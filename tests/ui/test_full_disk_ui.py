"""A form saved onto a full disk: a clear message, the form still filled in, and the same save
going through once there is room again."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from commandcenter.db.engine import Database
from commandcenter.db.models import Unit, UnitKind
from commandcenter.errors import DatabaseFull
from commandcenter.paths import AppPaths
from commandcenter.services import organisation
from commandcenter.services.actor import Actor
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.runner import Runner, Work
from tests.conftest import sqlite_only
from tests.ui.test_incidents_ui import type_into


@sqlite_only
def test_a_full_disk_keeps_the_form_and_the_save_succeeds_later(
    qtbot: QtBot, db: Database, admin: Actor, paths: AppPaths
) -> None:
    cap = {"pages": 0}

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_connection: Any, _record: object) -> None:
        if cap["pages"]:
            dbapi_connection.execute(f"PRAGMA max_page_count = {cap['pages']}")

    with db.read() as session:
        cap["pages"] = (
            int(session.connection().exec_driver_sql("PRAGMA page_count").scalar() or 0) + 4
        )
    db.engine.dispose()
    # The disk fills up with the centre's ordinary work until not one more unit fits.
    filled = 0
    while True:
        try:
            with db.write() as session:
                form = organisation.UnitForm(f"填充单位{filled}", f"填充{filled}", UnitKind.SQUAD)
                organisation.create_unit(session, admin, form)
        except DatabaseFull as exc:
            assert isinstance(exc.__cause__, OperationalError)
            assert exc.__cause__.orig.sqlite_errorname == "SQLITE_FULL"  # type: ignore[union-attr]
            break
        filled += 1

    def submit(values: dict[str, Any]) -> Work:
        form = organisation.UnitForm(
            values["name"], values["name"], UnitKind.SQUAD, address=values["address"]
        )
        return lambda session, actor: organisation.create_unit(session, actor, form).id

    runner = Runner(db, admin, paths.documents)
    dialog = form_dialog.FormDialog(
        runner,
        "新增单位",
        [form_dialog.text("name", "名称"), form_dialog.text("address", "地址")],
        submit,
    )
    qtbot.addWidget(dialog)
    type_into(dialog, "name", "执法三中队")
    type_into(dialog, "address", "梅山路 88 号")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=10_000)
    assert "磁盘空间不足" in dialog.error.text() and "仍保留" in dialog.error.text()
    assert dialog.values() == {"name": "执法三中队", "address": "梅山路 88 号"}
    with db.read() as session:
        assert session.scalar(select(func.count(Unit.id))) == filled

    cap["pages"] = 0  # room again
    db.engine.dispose()
    dialog.save()
    qtbot.waitUntil(
        lambda: dialog.result() == form_dialog.FormDialog.DialogCode.Accepted, timeout=10_000
    )
    with db.read() as session:
        assert session.scalar(select(func.count(Unit.id))) == filled + 1
        assert session.scalar(select(Unit.id).where(Unit.name == "执法三中队")) is not None
