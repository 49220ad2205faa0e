"""Two people edit one record: the second save meets both versions side by side, never a
silent overwrite, and the choice made there is what is stored."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QDialog, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from commandcenter.db.engine import Database
from commandcenter.db.models import Person
from commandcenter.paths import AppPaths
from commandcenter.services import auth
from commandcenter.services.actor import Actor
from commandcenter.services.roster import people
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.dialogs.roster_forms import person_fields, person_form
from commandcenter.ui.runner import Runner
from tests.ui.test_incidents_ui import in_modal, type_into


def _open(runner: Runner, person_id: int) -> form_dialog.FormDialog:
    return form_dialog.edit_record(
        runner,
        "编辑人员",
        person_fields(runner),
        lambda session, actor: form_dialog.stored(people.person_form(session, actor, person_id)),
        lambda values, version: (
            lambda session, actor: (
                people.update_person(session, actor, person_id, person_form(values), version).id
            )
        ),
    )


def _someone_else_sets_the_mobile(db: Database, person_id: int, mobile: str) -> None:
    with db.read() as session:
        admin = auth.actor_for(session, "admin")
        form, version = people.person_form(session, admin, person_id)
    with db.write() as session:
        people.update_person(
            session, admin, person_id, dataclasses.replace(form, mobile=mobile), version
        )


def _stored(db: Database, person_id: int) -> tuple[str, str]:
    with db.read() as session:
        person = session.get(Person, person_id)
        assert person is not None
        return person.position, person.mobile


def test_a_concurrent_edit_shows_both_and_the_chosen_one_is_stored(
    qtbot: QtBot, demo_db: Database, leader: Actor, paths: AppPaths
) -> None:
    runner = Runner(demo_db, leader, paths.documents)
    with demo_db.read() as session:
        person_id = session.scalars(select(Person.id).order_by(Person.id).limit(1)).one()
    seen: list[tuple[str, str, str]] = []

    def read_table(dialog: QDialog) -> None:
        table = dialog.findChild(QTableWidget, "conflictTable")
        assert table is not None
        for row in range(table.rowCount()):
            cells = tuple(table.item(row, c).text() for c in range(3))
            if cells[1] != cells[2]:
                seen.append(cells)  # type: ignore[arg-type]

    # Keep mine: my position and my (old) mobile win, knowingly.
    dialog = _open(runner, person_id)
    qtbot.addWidget(dialog)
    old_mobile = _stored(demo_db, person_id)[1]
    type_into(dialog, "position", "副中队长")
    _someone_else_sets_the_mobile(demo_db, person_id, "13900001111")

    def keep_mine(conflict: QDialog) -> None:
        read_table(conflict)
        conflict.done(form_dialog.ConflictDialog.KEEP_MINE)

    failures = in_modal(keep_mine)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert not failures
    labels = {cells[0] for cells in seen}
    assert labels == {"职务", "手机"}
    assert _stored(demo_db, person_id) == ("副中队长", old_mobile)

    # Take theirs: the form is refilled from the stored record and nothing is written yet.
    seen.clear()
    dialog = _open(runner, person_id)
    qtbot.addWidget(dialog)
    type_into(dialog, "position", "中队长")
    _someone_else_sets_the_mobile(demo_db, person_id, "13900002222")

    def take_theirs(conflict: QDialog) -> None:
        read_table(conflict)
        conflict.done(form_dialog.ConflictDialog.TAKE_THEIRS)

    failures = in_modal(take_theirs)
    dialog.save()
    qtbot.waitUntil(lambda: bool(seen) and not dialog.error.isHidden(), timeout=10_000)
    assert not failures
    assert dialog.values()["mobile"] == "13900002222" and dialog.values()["position"] == "副中队长"
    assert _stored(demo_db, person_id) == ("副中队长", "13900002222")
    # Saving now goes against the version just loaded.
    type_into(dialog, "position", "中队长")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert _stored(demo_db, person_id) == ("中队长", "13900002222")
