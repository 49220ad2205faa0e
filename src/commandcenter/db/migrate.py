"""Open a database: refuse what is not ours, back up, then migrate to the current schema.

The gate in one place, so the GUI, the CLI and the tests open databases the same way:

* a configured SQLite path that does not exist is an error; only ``create=True`` (first run,
  demo, tests) makes a new file;
* a file that is not SQLite, or is SQLite but not ours, is refused and left untouched;
* a database written by a newer version of the application is refused and left untouched;
* an older schema is backed up with the backup API, then migrated;
* a file that did not close cleanly is given a quick check, and opens read-only when it fails
  (``db.open_check``).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from commandcenter.db import open_check
from commandcenter.db.engine import APPLICATION_ID, Database, make_engine
from commandcenter.db.failures import classified
from commandcenter.db.location import is_network_path, read_only_reason, sqlite_uri
from commandcenter.db.sqlite_backup import backup_file_name, backup_sqlite
from commandcenter.errors import DatabaseError, DatabaseNotFound, ForeignDatabase, NewerDatabase
from commandcenter.faults import crash_point

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

# The newest migration in migrations/versions, named here so that opening a database already at
# it reads one row instead of loading Alembic and its scripts (a quarter of a second at start).
# A test keeps it equal to Alembic's head.
SCHEMA_HEAD = "0020"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_HEADER = b"SQLite format 3\x00"
ASKED_READ_ONLY = "按要求以只读方式打开（--read-only）。"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every schema revision this version knows; anything else was written by a newer one."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database of ours, without writing to it."""
    size = path.stat().st_size
    if size == 0:
        raise ForeignDatabase(f"数据库文件是空的（0 字节）：{path}。文件未作改动，请从备份恢复。")
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise ForeignDatabase(
            f"该文件不是本程序的数据库，或已损坏：{path}。文件未作改动，请选择正确的数据库或从备份恢复。"
        )
    try:
        app_id, tables, revision = _peek(path)
    except sqlite3.DatabaseError as exc:
        raise ForeignDatabase(
            f"数据库文件已损坏，无法读取：{path}（{exc}）。文件未作改动，请从备份恢复。"
        ) from exc
    if app_id != APPLICATION_ID:
        raise ForeignDatabase(
            f"该文件是 SQLite 数据库，但不是指挥中心工作台的数据库：{path}。文件未作改动。"
        )
    if tables and "alembic_version" not in tables:
        # Our mark but not our tables: someone else's file. Refused before a connection that
        # could switch its journal or leave -wal and -shm files beside it.
        raise ForeignDatabase(
            f"该文件带有本程序的标记，但其中的表不是指挥中心工作台的：{path}。文件未作改动。"
        )
    if revision is not None and revision != SCHEMA_HEAD and revision not in known_revisions():
        raise _newer(revision)


def _peek(path: Path) -> tuple[object, set[str], str | None]:
    """The file's application id, its tables and its schema revision, read through an immutable
    read-only connection: SQLite then writes nothing, not even a -wal or -shm file."""
    conn = sqlite3.connect(sqlite_uri(path, mode="ro", immutable="1"), uri=True)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        revision = None
        if "alembic_version" in tables:
            found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = found[0] if found else None
        return app_id, tables, revision
    finally:
        conn.close()


def _newer(revision: str) -> NewerDatabase:
    return NewerDatabase(
        f"该数据库由更新版本的指挥中心工作台写入（结构版本 {revision}），本程序无法打开。"
        "请先升级本程序。数据库未作改动。"
    )


def _current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _at_head(engine: Engine) -> bool:
    """Whether the schema is this version's, read without Alembic; False when in any doubt."""
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except (OperationalError, ProgrammingError):
        return False  # no version table: a new or foreign database, for the full check
    return [row[0] for row in rows] == [SCHEMA_HEAD]


def open_database(
    url: str, *, create: bool = False, backup_dir: Path | None = None, read_only: bool = False
) -> Database:
    """Open *url*, creating it only when *create* is true, and bring its schema to the head.

    A SQLite file that may not be written (read-only file or medium, network share), or any
    database when *read_only* is asked for, opens read-only: nothing is migrated or written and
    :attr:`Database.read_only` says why."""
    parsed = make_url(url)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    path = Path(parsed.database) if is_sqlite and parsed.database else None
    if is_sqlite and path is None:
        raise DatabaseNotFound("内存数据库不能作为工作数据库使用。")

    new_file = False
    damaged = False
    reason = ASKED_READ_ONLY if read_only else None
    if path is not None:
        if path.exists():
            _check_sqlite_file(path)
            reason = reason or read_only_reason(path)
            if reason is None:  # about to be written: a file left open is checked first
                reason = open_check.check_on_open(path)
                damaged = reason is not None
        elif create and not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
            if is_network_path(path.parent):
                raise DatabaseError(
                    f"不能在网络共享上新建数据库：{path}。多台电脑经网络共享写入同一个 SQLite 文件"
                    "会损坏数据；请放在本机，多台电脑共用请改用 PostgreSQL 服务器。"
                )
            new_file = True
        else:
            raise DatabaseNotFound(
                f"数据库未找到：{path}。请检查路径是否正确、U 盘或网络盘是否已连接，或从备份恢复。"
            )

    engine = make_engine(url, read_only=reason is not None)
    try:
        with classified():  # a locked, full or damaged database is said so, as in the scopes
            if new_file:
                with engine.connect() as conn:
                    conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.commit()
            if _at_head(engine):
                pass
            elif reason is None:
                _migrate(engine, path, create=create, backup_dir=backup_dir)
            else:
                _check_current(engine, reason)
    except BaseException:
        engine.dispose()
        raise
    if reason is not None:
        log.info("opened %s read-only: %s", path or parsed.host, reason)
    return Database(engine, read_only=reason, damaged=damaged)


def _check_current(engine: Engine, reason: str) -> None:
    """A read-only database can be used only as it is: of this version's schema."""
    with engine.connect() as conn:
        current = _current_revision(conn)
    if current == head_revision():
        return
    if current is not None and current not in known_revisions():
        raise _newer(current)
    raise DatabaseError(
        "该数据库只能以只读方式打开，但它的结构版本较旧，需要升级后才能使用，而只读时无法升级。"
        f"请把文件复制到本机可写的文件夹后再打开。数据库未作改动。只读的原因：{reason}"
    )


def _migrate(engine: Engine, path: Path | None, *, create: bool, backup_dir: Path | None) -> None:
    head = head_revision()
    with engine.connect() as conn:
        current = _current_revision(conn)
        has_tables = bool(inspect(conn).get_table_names())
    if current is None and has_tables:
        raise ForeignDatabase(
            "该数据库中已有其他程序的数据表，不是指挥中心工作台的数据库。未作任何改动。"
        )
    if current is None and not create:
        raise DatabaseNotFound("数据库尚未初始化。请先完成首次设置，或指定已有的数据库。")
    if current is not None and current not in known_revisions():
        raise _newer(current)
    if current == head:
        return
    if current is not None and path is not None:
        target = (backup_dir or path.parent / "backups") / backup_file_name("before-migration")
        backup_sqlite(path, target)
        log.info("backed up %s to %s before migrating", path, target)
    _upgrade(engine)
    log.info("database migrated from %s to %s", current, head)


def _upgrade(engine: Engine) -> None:
    """Run the migrations in one transaction.

    On SQLite a batch migration rebuilds a table (copy, drop, rename), which foreign keys from
    other tables would forbid; they are switched off for the upgrade, as SQLite's ALTER TABLE
    documentation prescribes, and every reference is checked before the commit.
    """
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        if sqlite:
            raw.execute("PRAGMA foreign_keys = OFF")  # outside any transaction, or it is ignored
        try:
            with conn.begin():
                from alembic import command

                command.upgrade(alembic_config(conn), "head")
                crash_point("migrate.upgrade")
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken references: {broken[:5]}")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")
