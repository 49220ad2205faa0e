"""A file that did not close cleanly is given a quick check at open; one that fails it opens
read-only, is marked, and is never written again until a backup is put back."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from commandcenter.db import backup_folder, open_check
from commandcenter.db.engine import Database
from commandcenter.db.migrate import known_revisions, open_database
from commandcenter.db.models import Unit, UnitKind
from commandcenter.errors import DatabaseCorrupt, ReadOnlyDatabase
from commandcenter.paths import sqlite_url
from commandcenter.services import auth, checks, organisation
from commandcenter.services.actor import Actor
from tests.conftest import PASSWORD, sqlite_only


def _unit(name: str) -> organisation.UnitForm:
    return organisation.UnitForm(name=name, short_name=name, kind=UnitKind.SQUAD)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _closed_copy(db: Database, admin: Actor, folder: Path) -> tuple[Path, int, int]:
    """A cleanly closed copy of the database with one unit, and the units table's root page
    and the page size."""
    with db.write() as s:
        organisation.create_unit(s, admin, _unit("执法一中队"))
    with db.read() as s:
        conn = s.connection()
        page = conn.exec_driver_sql("SELECT rootpage FROM sqlite_master WHERE name = 'units'")
        root = int(page.scalar_one())
        size = int(conn.exec_driver_sql("PRAGMA page_size").scalar_one())
    path = db.sqlite_path
    assert path is not None
    db.dispose()  # the last connection folds the write-ahead log back into the file
    folder.mkdir()
    copy = folder / "cc.db"
    shutil.copyfile(path, copy)
    return copy, root, size


def _damage(path: Path, page: int, size: int) -> None:
    with path.open("r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(b"\xa5" * size)


def _left_open(path: Path) -> None:
    """What a killed program leaves: its write-ahead log beside the file."""
    path.with_name(path.name + "-wal").write_bytes(b"")


@sqlite_only
def test_a_damaged_file_left_open_opens_read_only_and_is_never_written(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path, root, size = _closed_copy(db, admin, tmp_path / "data")
    _damage(path, root, size)
    _left_open(path)
    before = _sha(path)
    opened = open_database(sqlite_url(path))
    try:
        assert opened.damaged
        assert opened.read_only is not None
        assert opened.read_only.startswith("数据库文件检查未通过，文件已损坏（")
        assert "请恢复备份（工具 → 从备份恢复，或 commandcenter restore）" in opened.read_only
        actor = auth.sign_in(opened, "admin", PASSWORD)  # signing in records nothing
        with pytest.raises(ReadOnlyDatabase, match="只读方式打开"), opened.write() as s:
            organisation.create_unit(s, actor, _unit("执法二中队"))
        with pytest.raises(DatabaseCorrupt):  # no repair is made inside a damaged file
            checks.repair_database(opened, actor, tmp_path / "backups")
    finally:
        opened.dispose()
    assert _sha(path) == before
    assert open_check.mark_of(path).exists()
    # With the log gone, the mark still makes the next open check, and refuse to write.
    path.with_name(path.name + "-wal").unlink()
    again = open_database(sqlite_url(path))
    try:
        assert again.damaged
    finally:
        again.dispose()
    assert _sha(path) == before


@sqlite_only
def test_a_sound_file_left_open_by_a_killed_program_opens_for_writing(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path, _, _ = _closed_copy(db, admin, tmp_path / "data")
    killed = (
        "import os, sys\n"
        "from commandcenter.db.migrate import open_database\n"
        "db = open_database(sys.argv[1])\n"
        "with db.engine.begin() as conn:\n"
        "    conn.exec_driver_sql(\"UPDATE units SET short_name = '一中队'\")\n"
        "os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", killed, sqlite_url(path)], check=False)
    assert path.with_name(path.name + "-wal").exists()  # what a killed program leaves
    opened = open_database(sqlite_url(path))
    try:
        assert not opened.damaged and opened.read_only is None
        with opened.read() as s:
            assert s.scalar(select(Unit.short_name)) == "一中队"  # the log's commit is kept
        with opened.write() as s:
            organisation.create_unit(s, admin, _unit("执法二中队"))
    finally:
        opened.dispose()
    assert not open_check.mark_of(path).exists()


@sqlite_only
def test_a_clean_file_is_not_checked(db: Database, admin: Actor, tmp_path: Path) -> None:
    path, root, size = _closed_copy(db, admin, tmp_path / "data")
    assert not open_check.closed_uncleanly(path)
    _damage(path, root, size)  # unseen at open: only a file left open is checked there
    opened = open_database(sqlite_url(path))
    opened.dispose()
    assert not opened.damaged


@sqlite_only
def test_check_marks_a_damaged_file_so_it_next_opens_read_only(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path, root, size = _closed_copy(db, admin, tmp_path / "data")
    _damage(path, root, size)
    opened = open_database(sqlite_url(path))
    try:
        with opened.read() as s:
            findings = checks.run_checks(s, admin)
    finally:
        opened.dispose()
    assert any(f.table == "database" for f in findings)
    assert open_check.mark_of(path).exists()
    again = open_database(sqlite_url(path))
    again.dispose()
    assert again.damaged


@sqlite_only
def test_putting_a_backup_back_makes_the_file_writable_again(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path, root, size = _closed_copy(db, admin, tmp_path / "data")
    backups = tmp_path / "backups"
    made = backup_folder.make_backup(path, backups)
    _damage(path, root, size)
    _left_open(path)
    open_database(sqlite_url(path)).dispose()
    assert open_check.mark_of(path).exists()
    backup_folder.restore(path, made, backups, known_revisions())
    assert not open_check.mark_of(path).exists()
    opened = open_database(sqlite_url(path))
    try:
        assert opened.read_only is None
        with opened.write() as s:
            organisation.create_unit(s, admin, _unit("执法二中队"))
        with opened.read() as s:
            assert s.scalar(select(func.count(Unit.id))) == 2
    finally:
        opened.dispose()


def test_the_quick_check_names_the_first_complaint(tmp_path: Path) -> None:
    sound = tmp_path / "a.db"
    conn = __import__("sqlite3").connect(sound)
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(str(i) * 200,) for i in range(200)])
    conn.commit()
    conn.close()
    assert open_check.quick_check(sound) is None
    _damage(sound, 3, 4096)
    found = open_check.quick_check(sound)
    assert found is not None and len(found) <= open_check.SHOWN_DETAIL


@sqlite_only
def test_no_command_writes_into_a_file_that_failed_its_check(
    db: Database,
    admin: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from commandcenter import cli
    from tests.core.test_exchange import workbook

    path, root, size = _closed_copy(db, admin, tmp_path / "data")
    _damage(path, root, size)
    _left_open(path)
    before = _sha(path)
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", PASSWORD)
    roster = workbook(
        tmp_path / "roster.xlsx", [["姓名", "单位", "编制类别"], ["张伟", "执法一中队", "行政编制"]]
    )
    url = sqlite_url(path)
    assert cli.main(["--db", url, "import", "people", str(roster), "--user", "admin"]) == 2
    assert "数据库文件检查未通过" in capsys.readouterr().err
    assert cli.main(["--db", url, "check", "--user", "admin", "--repair"]) == 2
    assert "不能在损坏的文件中修复" in capsys.readouterr().err
    assert _sha(path) == before
