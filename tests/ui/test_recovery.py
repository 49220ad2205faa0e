"""At start-up a database that does not open is offered the newest backup; nothing is lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from commandcenter.db import backup_folder
from commandcenter.db.engine import Database
from commandcenter.db.migrate import open_database
from commandcenter.errors import DatabaseError, ForeignDatabase, NewerDatabase
from commandcenter.paths import AppPaths, sqlite_url
from commandcenter.ui.recovery import can_offer, offer_restore
from tests.conftest import sqlite_only


def _yes(*_a: object) -> QMessageBox.StandardButton:
    return QMessageBox.StandardButton.Yes


def _no(*_a: object) -> QMessageBox.StandardButton:
    return QMessageBox.StandardButton.No


@sqlite_only
def test_a_damaged_database_is_offered_the_newest_backup(
    qapp, db: Database, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    path = db.sqlite_path
    if path is None:
        pytest.skip("SQLite only")
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: told.append(text))
    assert not offer_restore(paths, path, "损坏", ask=_yes)  # no backups yet: nothing to offer
    backup_folder.make_backup(path, paths.backups)
    db.dispose()
    path.with_name(path.name + "-wal").unlink(missing_ok=True)
    damaged = path.read_bytes()[:4096]
    path.write_bytes(damaged)
    with pytest.raises(DatabaseError) as refused:
        open_database(sqlite_url(path))
    assert can_offer(refused.value) and not can_offer(NewerDatabase("新版本"))
    assert can_offer(ForeignDatabase("不是本程序的"))

    assert not offer_restore(paths, path, refused.value.message, ask=_no)
    assert path.read_bytes() == damaged  # declined: untouched
    assert offer_restore(paths, path, refused.value.message, ask=_yes)
    assert "已从备份恢复" in told[-1] and "-damaged.db" in told[-1]
    open_database(sqlite_url(path)).dispose()  # opens again
    kept = [b for b in backup_folder.list_backups(paths.backups) if b.reason == "damaged"]
    assert len(kept) == 1 and kept[0].path.read_bytes() == damaged


@sqlite_only
def test_a_missing_file_is_restored_not_created_empty(
    qapp, db: Database, paths: AppPaths, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = db.sqlite_path
    if path is None:
        pytest.skip("SQLite only")
    monkeypatch.setattr(QMessageBox, "information", lambda *_a: None)
    backup_folder.make_backup(path, paths.backups)
    missing = tmp_path / "moved" / "cc.db"
    missing.parent.mkdir()
    assert offer_restore(paths, missing, "数据库未找到", ask=_yes)
    reopened = open_database(sqlite_url(missing))
    with reopened.read() as s:
        from commandcenter.services import settings

        assert settings.is_initialised(s)
    reopened.dispose()


@sqlite_only
def test_a_moved_database_is_found_and_remembered_never_recreated(
    qapp, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from commandcenter.ui import launch
    from commandcenter.ui.recovery import CREATE, LOCATE, resolve_missing

    path = db.sqlite_path
    assert path is not None
    db.dispose()
    home = AppPaths(tmp_path / "新电脑的数据")
    offered: list[list[str]] = []

    def choose(_text: str, options: list[tuple[str, str]]) -> str:
        offered.append([key for key, _label in options])
        return LOCATE

    # A new PC: nothing in the data folder; the file copied from the old PC is looked for.
    assert resolve_missing(home, "未找到", first_start=True, choose=choose, pick=lambda _h: path)
    assert offered == [[CREATE, LOCATE]] and home.database == path.resolve()
    opened = launch._open_or_first_run(home, None, False)
    assert opened is not None and opened.sqlite_path == path.resolve()
    opened.dispose()

    # Later the file is gone (a USB stick not plugged in): found elsewhere or nothing, never new.
    path.rename(tmp_path / "别处.db")
    asked: list[bool] = []

    def declined(_paths: AppPaths, _problem: str, *, first_start: bool) -> None:
        asked.append(first_start)
        return None

    monkeypatch.setattr(launch, "resolve_missing", declined)
    assert launch._open_or_first_run(home, None, False) is None
    assert asked == [False] and not path.exists()


@sqlite_only
def test_an_admin_restores_a_backup_from_the_running_app(
    qapp,
    qtbot,
    db: Database,
    admin,
    paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from commandcenter.db.models import Unit, UnitKind
    from commandcenter.services import organisation
    from commandcenter.ui.dialogs.restore import RestoreDialog
    from commandcenter.ui.launch import build_main_window, restore_from_backup
    from tests.conftest import PASSWORD
    from tests.ui.test_incidents_ui import in_modal

    def add(name: str) -> None:
        with db.write() as s:
            organisation.create_unit(s, admin, organisation.UnitForm(name, name, UnitKind.SQUAD))

    def units(database: Database) -> list[str]:
        with database.read() as s:
            return list(s.scalars(select(Unit.name).order_by(Unit.name)))

    add("执法一中队")
    backup_folder.make_backup(db.sqlite_path, paths.backups)  # type: ignore[arg-type]
    add("执法二中队")
    ui = build_main_window(qapp, db, admin, paths)  # closed by the restores below
    assert ui.window.backups is not None
    listing = RestoreDialog(ui.window.backups.folder)
    qtbot.addWidget(listing)
    assert listing.table.rowCount() == 1
    listing._take_selected()
    assert listing.chosen is not None and listing.chosen.name.endswith("-manual.db")

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: told.append(text))

    # A bad file is refused: nothing changes and the same user carries on.
    bad = tmp_path / "not-a-backup.db"
    bad.write_text("这不是数据库")
    same = restore_from_backup(ui, paths, bad)
    assert same is not None and same.runner.actor.username == "admin"
    assert units(same.db) == ["执法一中队", "执法二中队"]

    def sign_in(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.ui.usernameEdit.setText("admin")
        dialog.ui.passwordEdit.setText(PASSWORD)
        dialog.try_sign_in()

    failures = in_modal(sign_in)
    restored = restore_from_backup(same, paths, listing.chosen)
    assert not failures and restored is not None
    qtbot.addWidget(restored.window)
    assert units(restored.db) == ["执法一中队"]
    assert "已从备份恢复" in told[-1]
    (before,) = [
        b for b in backup_folder.list_backups(paths.backups) if b.reason == "before-restore"
    ]
    kept = open_database(sqlite_url(before.path))
    assert units(kept) == ["执法一中队", "执法二中队"]  # the replaced database, kept whole
    kept.dispose()
    restored.window.close()
    restored.db.dispose()
