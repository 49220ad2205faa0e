"""A database file that is refused is left exactly as it was: same bytes, no -wal or -shm."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from commandcenter.db.engine import APPLICATION_ID
from commandcenter.db.migrate import open_database
from commandcenter.errors import DatabaseError, ForeignDatabase, NewerDatabase
from commandcenter.paths import sqlite_url


def _made(path: Path, *statements: str, wal: bool = False) -> Path:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


def _state(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("wal", [False, True])
def test_a_foreign_file_with_our_mark_is_refused_untouched(tmp_path: Path, wal: bool) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = _made(folder / "other.db", "CREATE TABLE foo (x)", "INSERT INTO foo VALUES (1)", wal=wal)
    before = _state(folder)
    with pytest.raises(ForeignDatabase, match="文件未作改动"):
        open_database(sqlite_url(path), backup_dir=tmp_path / "backups")
    assert _state(folder) == before


def test_a_newer_file_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = _made(
        folder / "newer.db",
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
        "INSERT INTO alembic_version VALUES ('9999')",
        wal=True,
    )
    before = _state(folder)
    with pytest.raises(NewerDatabase):
        open_database(sqlite_url(path), backup_dir=tmp_path / "backups")
    assert _state(folder) == before


def test_a_truncated_file_is_refused_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    whole = _made(tmp_path / "whole.db", "CREATE TABLE alembic_version (version_num VARCHAR(32))")
    path = folder / "cut.db"
    path.write_bytes(whole.read_bytes()[:700])
    before = _state(folder)
    with pytest.raises(DatabaseError):
        open_database(sqlite_url(path), backup_dir=tmp_path / "backups")
    assert _state(folder) == before
