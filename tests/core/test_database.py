"""Opening databases: what is created, refused and left untouched."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from commandcenter.db.engine import APPLICATION_ID, Database
from commandcenter.db.migrate import SCHEMA_HEAD, head_revision, open_database
from commandcenter.db.sqlite_backup import backup_sqlite, verify_sqlite
from commandcenter.errors import DatabaseNotFound, ForeignDatabase, NewerDatabase
from commandcenter.paths import sqlite_url
from tests.conftest import sqlite_only


def test_missing_path_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "cc.db"
    with pytest.raises(DatabaseNotFound, match="数据库未找到"):
        open_database(sqlite_url(path))
    assert not path.exists()
    assert not path.parent.exists()


def test_new_database_is_marked_and_migrated(tmp_path: Path) -> None:
    db = open_database(sqlite_url(tmp_path / "cc.db"), create=True)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA application_id").scalar() == APPLICATION_ID
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == head_revision()
    db.dispose()


def test_the_named_schema_head_is_alembics() -> None:
    # Opening a database already at SCHEMA_HEAD skips Alembic; a new migration must move it.
    assert head_revision() == SCHEMA_HEAD


@pytest.mark.parametrize(
    "content", [b"", b"hello, not a database", b"SQLite format 3\x00" + b"\x00" * 50]
)
def test_foreign_or_damaged_files_are_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other.db"
    path.write_bytes(content)
    with pytest.raises(ForeignDatabase):
        open_database(sqlite_url(path))
    assert path.read_bytes() == content


def test_someone_elses_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ForeignDatabase, match="不是指挥中心工作台的数据库"):
        open_database(sqlite_url(path), create=True)
    assert path.read_bytes() == before


@sqlite_only
def test_newer_schema_is_refused_untouched(db: Database) -> None:
    path = db.sqlite_path
    assert path is not None
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    db.dispose()
    before = path.read_bytes()
    with pytest.raises(NewerDatabase, match="更新版本"):
        open_database(sqlite_url(path))
    assert path.read_bytes() == before


@sqlite_only
def test_write_scope_takes_the_write_lock_at_begin(db: Database) -> None:
    path = db.sqlite_path
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with db.write() as session:
            session.execute(text("SELECT 1"))  # no write yet, but the lock is taken
            holding.set()
            release.wait(5)

    worker = threading.Thread(target=hold)
    worker.start()
    assert holding.wait(5)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        # Readers are never blocked by a writer in WAL mode.
        assert other.execute("SELECT count(*) FROM users").fetchone()[0] == 1
    finally:
        other.close()
        release.set()
        worker.join()


def test_failed_write_scope_leaves_nothing(db: Database) -> None:
    from commandcenter.db.models import Setting

    with pytest.raises(RuntimeError), db.write() as session:
        session.add(Setting(key="half", value="done"))
        session.flush()
        raise RuntimeError("crash in the middle")
    with db.read() as session:
        assert session.get(Setting, "half") is None


@sqlite_only
def test_backup_is_a_verified_copy(db: Database, tmp_path: Path) -> None:
    path = db.sqlite_path
    assert path is not None
    target = backup_sqlite(path, tmp_path / "backups" / "copy.db")
    verify_sqlite(target)
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT username FROM users").fetchone()[0] == "admin"
    copy.close()
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_timestamps_come_back_aware_in_utc(db: Database) -> None:
    from commandcenter.db.models import User

    with db.read() as session:
        user = session.query(User).one()
    assert user.created_at.tzinfo is not None
    assert user.created_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_migrations_match_the_models(db: Database) -> None:
    """A model change without a migration fails here (autogenerate finds no difference)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from commandcenter.db import search_index
    from commandcenter.db.models import Base

    def include_name(name: str | None, kind: str, _parents: object) -> bool:
        # The search index (FTS5 and its shadow tables) is SQL of its own, not a model.
        return not (kind == "table" and (name or "").startswith(search_index.TABLE_PREFIX))

    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_a_database_with_records_is_upgraded_keeping_them(tmp_path: Path) -> None:
    """A 0002 database with incidents and whistle calls (tables other tables refer to) moves to
    the current schema; the rows, their links and the foreign-key checks all survive."""
    from alembic import command

    from commandcenter.db.engine import make_engine
    from commandcenter.db.migrate import alembic_config

    path = tmp_path / "old.db"
    engine = make_engine(sqlite_url(path))
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        command.upgrade(alembic_config(conn), "0002")
        conn.exec_driver_sql(
            "INSERT INTO users (id, username, display_name, role, password_hash, active,"
            " failed_attempts, version, created_at, updated_at)"
            " VALUES (1, 'op', '值班员', 'operator', 'x', 1, 0, 1, '2026-01-01', '2026-01-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO units (id, name, short_name, kind, fields, sort_order, active, version,"
            " created_at, updated_at) VALUES (1, '区市场监管局', '市场监管', 'department', '', 0,"
            " 1, 1, '2026-01-01', '2026-01-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO incidents (id, number, channel, title, description, received_at,"
            " registered_by_id, status, priority, is_major, deadline_uncertain, version,"
            " created_at, updated_at) VALUES (1, '2026-000001', 'hotline_12345', '占道', '',"
            " '2026-10-09 02:00:00', 1, 'in_progress', 'normal', 0, 0, 1, '2026-10-09',"
            " '2026-10-09')"
        )
        conn.exec_driver_sql(
            "INSERT INTO incident_events (incident_id, at, user_id, kind, to_status)"
            " VALUES (1, '2026-10-09 02:00:00', 1, 'registered', 'registered')"
        )
        conn.exec_driver_sql(
            "INSERT INTO whistle_calls (incident_id, department_id, called_at, called_by_id,"
            " reported_at, reporter_name) VALUES (1, 1, '2026-10-09 03:00:00', 1,"
            " '2026-10-09 03:40:00', '林联')"
        )
    engine.dispose()

    db = open_database(sqlite_url(path), backup_dir=tmp_path / "backups")
    with db.read() as s:
        row = s.execute(text("SELECT arrived_names, reason, arrived_at FROM whistle_calls")).one()
        assert row[0] == "林联" and row[1] == "professional" and row[2] is not None
        assert s.execute(text("SELECT status FROM incidents")).scalar() == "in_progress"
        assert s.execute(text("PRAGMA foreign_key_check")).fetchall() == []
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
    backups = sorted(p.name for p in (tmp_path / "backups").iterdir())
    # One whole file (no -wal or -shm beside it) and the audit checkpoint it carries.
    assert len(backups) == 2 and backups[0].endswith("before-migration.db")
    assert backups[1] == backups[0] + ".checkpoint.json"
    db.dispose()
