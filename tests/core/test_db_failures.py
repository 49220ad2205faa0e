"""Database failures provoked for real: each reaches the caller as its own error class with a
Chinese message, the driver's error chained for the log."""

from __future__ import annotations

import logging
import re
import shutil
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, event, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from commandcenter.db.engine import Database, make_engine
from commandcenter.db.failures import classify
from commandcenter.db.migrate import open_database
from commandcenter.db.models import Unit, UnitKind, User
from commandcenter.errors import (
    ConflictError,
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseError,
    DatabaseFailure,
    DatabaseFull,
    DatabaseIOError,
    ReadOnlyDatabase,
    UserError,
)
from commandcenter.paths import sqlite_url
from commandcenter.services import organisation
from commandcenter.services.actor import Actor
from tests.conftest import _pg, postgresql_only, sqlite_only

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _in_chinese(exc: UserError) -> None:
    assert CHINESE.search(exc.message), exc.message
    assert "SELECT" not in exc.message and "UPDATE" not in exc.message


def _sqlite_code(exc: BaseException) -> int:
    cause = exc.__cause__
    assert isinstance(cause, DBAPIError) and isinstance(cause.orig, sqlite3.Error)
    return int(cause.orig.sqlite_errorcode) & 0xFF


def _sqlstate(exc: BaseException) -> str:
    cause = exc.__cause__
    assert isinstance(cause, DBAPIError)
    return str(cause.orig.sqlstate)  # type: ignore[union-attr]


def _a_unit(name: str) -> organisation.UnitForm:
    return organisation.UnitForm(name, name, UnitKind.SQUAD)


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def short_busy_wait(db: Database) -> Database:
    """New connections give up waiting for a lock after a tenth of a second."""
    if db.is_sqlite:

        @event.listens_for(db.engine, "connect")
        def _short(dbapi_connection: Any, _record: object) -> None:
            dbapi_connection.execute("PRAGMA busy_timeout = 100")

        db.engine.dispose()
    return db


def test_a_write_while_another_connection_holds_the_lock_is_busy(
    short_busy_wait: Database,
) -> None:
    db = short_busy_wait
    other = create_engine(_url(db), isolation_level="AUTOCOMMIT")
    try:
        with other.connect() as holder:
            if db.is_sqlite:
                holder.exec_driver_sql("BEGIN IMMEDIATE")  # another workstation's write lock
            else:
                holder.exec_driver_sql("BEGIN")
                holder.exec_driver_sql("SELECT id FROM users FOR UPDATE")
            try:
                with pytest.raises(DatabaseBusy) as caught, db.write() as s:
                    if not db.is_sqlite:
                        s.execute(text("SET LOCAL lock_timeout = '200ms'"))
                    s.execute(update(User).values(display_name="改名"))
            finally:
                holder.exec_driver_sql("ROLLBACK")
    finally:
        other.dispose()
    _in_chinese(caught.value)
    if db.is_sqlite:
        assert _sqlite_code(caught.value) == 5  # SQLITE_BUSY
    else:
        assert _sqlstate(caught.value) == "55P03"  # lock_not_available
    # The lock gone, the same write goes through.
    with db.write() as s:
        s.execute(update(User).values(display_name="改名"))


@postgresql_only
def test_a_statement_timeout_is_busy(db: Database) -> None:
    with pytest.raises(DatabaseBusy) as caught, db.read() as s:
        s.execute(text("SET LOCAL statement_timeout = '50ms'"))
        s.execute(text("SELECT pg_sleep(2)"))
    assert _sqlstate(caught.value) == "57014"


@sqlite_only
def test_a_full_database_refuses_and_keeps_nothing(db: Database, admin: Actor) -> None:
    cap = {"pages": 0}

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_connection: Any, _record: object) -> None:
        if cap["pages"]:
            dbapi_connection.execute(f"PRAGMA max_page_count = {cap['pages']}")

    with db.read() as s:
        cap["pages"] = int(s.connection().exec_driver_sql("PRAGMA page_count").scalar() or 0) + 1
    db.engine.dispose()
    with pytest.raises(DatabaseFull) as caught, db.write() as s:
        for n in range(200):
            form = organisation.UnitForm(
                f"填充单位{n}", f"{n}", UnitKind.SQUAD, address="梅山路" * 30
            )
            organisation.create_unit(s, admin, form)
    _in_chinese(caught.value)
    assert "磁盘空间不足" in caught.value.message
    assert _sqlite_code(caught.value) == 13  # SQLITE_FULL
    with db.read() as s:
        assert s.scalars(select(Unit.id)).first() is None


@sqlite_only
def test_a_write_to_a_read_only_file_is_refused(db: Database, admin: Actor) -> None:
    # Opened as SQLite opens a file it may not write (mode=ro), without the app's own refusal.
    ro = Database(make_engine(_url(db), read_only=True))
    try:
        with pytest.raises(ReadOnlyDatabase) as caught, ro.write() as s:
            organisation.create_unit(s, admin, _a_unit("执法一中队"))
    finally:
        ro.dispose()
    _in_chinese(caught.value)
    assert _sqlite_code(caught.value) == 8  # SQLITE_READONLY


@pytest.fixture
def corrupt_copy(db: Database, tmp_path: Path) -> Iterator[Database]:
    """A copy of the database with the users table's page overwritten."""
    with db.read() as s:
        root = s.connection().exec_driver_sql(
            "SELECT rootpage FROM sqlite_master WHERE name = 'users'"
        )
        page = int(root.scalar_one())
        size = int(s.connection().exec_driver_sql("PRAGMA page_size").scalar_one())
    path = db.sqlite_path
    assert path is not None
    db.dispose()  # the last connection folds the write-ahead log into the file
    copy = tmp_path / "damaged.db"
    shutil.copyfile(path, copy)
    with copy.open("r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(b"\xa5" * size)
    damaged = Database(make_engine(sqlite_url(copy)))
    yield damaged
    damaged.dispose()


@sqlite_only
def test_a_damaged_page_is_corrupt(corrupt_copy: Database) -> None:
    with pytest.raises(DatabaseCorrupt) as caught, corrupt_copy.read() as s:
        s.scalars(select(User.display_name)).all()
    _in_chinese(caught.value)
    assert "备份" in caught.value.message
    assert _sqlite_code(caught.value) == 11  # SQLITE_CORRUPT
    # A damaged database is one that cannot be used as it is: the restore path takes it.
    assert isinstance(caught.value, DatabaseError)


def test_a_file_that_cannot_be_opened_is_an_io_error(tmp_path: Path) -> None:
    missing = Database(make_engine(sqlite_url(tmp_path / "不存在" / "cc.db")))
    try:
        with pytest.raises(DatabaseIOError) as caught, missing.read() as s:
            s.execute(text("SELECT 1"))
    finally:
        missing.dispose()
    _in_chinese(caught.value)
    assert _sqlite_code(caught.value) == 14  # SQLITE_CANTOPEN


def test_a_record_changed_by_someone_else_is_a_conflict(db: Database, admin: Actor) -> None:
    with db.write() as s:
        unit_id = organisation.create_unit(s, admin, _a_unit("执法一中队")).id
    with db.read() as s:
        mine = s.get(Unit, unit_id)  # the form opens on version 1
    assert mine is not None
    with db.write() as s:
        theirs = s.get(Unit, unit_id)
        assert theirs is not None
        theirs.address = "对方写的地址"
    with pytest.raises(ConflictError) as caught, db.write() as s:
        s.add(mine)
        mine.address = "我写的地址"
    assert isinstance(caught.value.__cause__, StaleDataError)
    assert "已被其他人修改" in caught.value.message
    with db.read() as s:
        assert s.get(Unit, unit_id).address == "对方写的地址"  # type: ignore[union-attr]


@postgresql_only
def test_a_serialization_failure_asks_to_retry(db: Database) -> None:
    other = create_engine(_url(db))
    # The application writes in READ COMMITTED behind its writer lock; a stricter level is what
    # makes the server refuse with 40001, which must still read as a conflict.
    strict = Database(make_engine(_url(db), isolation_level="REPEATABLE READ"))
    try:
        with pytest.raises(ConflictError) as caught, strict.write() as s:
            s.execute(select(User.display_name)).all()  # the snapshot is taken
            with other.begin() as conn:
                conn.execute(update(User).values(display_name="对方"))
            s.execute(update(User).values(display_name="我方"))
    finally:
        other.dispose()
        strict.dispose()
    assert _sqlstate(caught.value) == "40001"
    assert "请重试" in caught.value.message


@postgresql_only
def test_a_deadlock_asks_to_retry(db: Database, admin: Actor) -> None:
    with db.write() as s:
        first = organisation.create_unit(s, admin, _a_unit("执法一中队")).id
        second = organisation.create_unit(s, admin, _a_unit("执法二中队")).id
    other = create_engine(_url(db))
    locked = threading.Event()
    mine_taken = threading.Event()
    failures: list[BaseException] = []

    def theirs() -> None:
        try:
            with other.begin() as conn:
                _touch(conn, second)
                locked.set()
                assert mine_taken.wait(5)
                _touch(conn, first)  # waits for the row the test holds: a cycle
        except BaseException as exc:
            failures.append(exc)

    worker = threading.Thread(target=theirs)
    worker.start()
    try:
        assert locked.wait(5)
        with db.write() as s:
            _touch(s.connection(), first)
            mine_taken.set()
            _touch(s.connection(), second)
    except ConflictError as exc:
        failures.append(exc)
    finally:
        worker.join(10)
        other.dispose()
    # The server ends one side of the cycle; when it is ours, the operator is asked to retry.
    assert len(failures) == 1
    if isinstance(failures[0], ConflictError):
        assert _sqlstate(failures[0]) == "40P01" and "请重试" in failures[0].message
    else:
        assert isinstance(failures[0], DBAPIError)
        assert failures[0].orig.sqlstate == "40P01"  # type: ignore[union-attr]
        assert isinstance(classify(failures[0]), ConflictError)


def _touch(conn: Connection, unit_id: int) -> None:
    conn.execute(update(Unit).where(Unit.id == unit_id).values(address="地址"))


@postgresql_only
def test_an_account_without_privileges_and_a_read_only_transaction_are_refused(
    db: Database,
) -> None:
    role = f"cc_reader_{db.engine.url.database}"
    _pg(f'CREATE ROLE "{role}" LOGIN')
    limited = Database(make_engine(db.engine.url.set(username=role).render_as_string(False)))
    try:
        with pytest.raises(ReadOnlyDatabase) as caught, limited.read() as s:
            s.execute(select(User.username)).all()
        assert _sqlstate(caught.value) == "42501"
        _in_chinese(caught.value)
        with pytest.raises(ReadOnlyDatabase) as caught, db.write() as s:
            s.execute(text("SET TRANSACTION READ ONLY"))
            s.execute(update(User).values(display_name="改名"))
        assert _sqlstate(caught.value) == "25006"
    finally:
        limited.dispose()
        _pg(f'DROP OWNED BY "{role}"')
        _pg(f'DROP ROLE "{role}"')


@postgresql_only
def test_a_server_out_of_resources_is_full(db: Database) -> None:
    with pytest.raises(DatabaseFull) as caught, db.read() as s:
        s.execute(text("SET LOCAL work_mem = '64kB'"))
        s.execute(text("SET LOCAL temp_file_limit = '64kB'"))  # the sort must spill to disk
        s.execute(text("SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC")).all()
    assert _sqlstate(caught.value) == "53400"  # configuration_limit_exceeded
    _in_chinese(caught.value)


@postgresql_only
def test_a_server_that_cannot_be_reached_is_an_io_error(db: Database) -> None:
    role = f"cc_none_{db.engine.url.database}"
    _pg(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 0')
    try:  # libpq's refusals carry no SQLSTATE: every one is "cannot connect"
        with pytest.raises(DatabaseIOError) as refused:
            open_database(db.engine.url.set(username=role).render_as_string(False))
    finally:
        _pg(f'DROP ROLE "{role}"')
    with pytest.raises(DatabaseIOError) as gone:
        open_database(db.engine.url.set(port=_a_closed_port()).render_as_string(False))
    assert "无法连接数据库服务器" in gone.value.message == refused.value.message


@postgresql_only
def test_a_connection_ended_by_the_server_is_an_io_error(db: Database) -> None:
    with pytest.raises(DatabaseIOError) as caught, db.read() as s:
        s.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
    _in_chinese(caught.value)


def _a_closed_port() -> int:
    """A local port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unknown_error_propagates_unchanged(db: Database) -> None:
    with pytest.raises(DBAPIError) as caught, db.read() as s:
        s.execute(text("SELECT no_such_column FROM users"))
    assert not isinstance(caught.value, UserError)
    assert classify(caught.value) is None


@pytest.mark.parametrize(
    ("sqlstate", "kind"),
    [
        ("55P03", DatabaseBusy),
        ("57014", DatabaseBusy),
        ("40001", ConflictError),
        ("40P01", ConflictError),
        ("25006", ReadOnlyDatabase),
        ("42501", ReadOnlyDatabase),
        ("53100", DatabaseFull),
        ("53300", DatabaseFull),
        ("58030", DatabaseIOError),
        ("08006", DatabaseIOError),
        ("57P01", DatabaseIOError),
        ("XX001", DatabaseCorrupt),
        ("XX002", DatabaseCorrupt),
        ("23505", type(None)),  # a unique violation the code did not expect: a bug
    ],
)
def test_postgresql_errors_are_known_by_their_sqlstate(sqlstate: str, kind: type) -> None:
    import psycopg.errors

    known = classify(psycopg.errors.lookup(sqlstate)("server text, not read"))
    assert isinstance(known, kind)
    if known is not None:
        _in_chinese(known)


def test_every_failure_is_a_user_error_with_a_chinese_message() -> None:
    for code in (5, 6, 8, 10, 11, 13, 14, 26, 5 | (2 << 8), 10 | (13 << 8)):
        error = sqlite3.OperationalError("x")
        error.sqlite_errorcode = code  # type: ignore[attr-defined]
        known = classify(error)
        assert isinstance(known, UserError)
        _in_chinese(known)
    error = sqlite3.OperationalError("x")
    error.sqlite_errorcode = 7  # type: ignore[attr-defined] # SQLITE_NOMEM: a bug or worse
    assert classify(error) is None
    assert issubclass(DatabaseCorrupt, DatabaseFailure)


def test_a_failing_statement_s_message_carries_no_personal_data(
    db: Database, tmp_path: Path
) -> None:
    """A name or an ID number must not reach a log, a crash report or a terminal: the driver's
    parameters are hidden, and what the server repeats of the failing row is redacted."""
    from commandcenter.diagnostics import RedactingFormatter, write_crash_report

    secret = "演示专用姓名甲乙丙"
    with pytest.raises(DBAPIError) as caught, db.write() as s:
        s.execute(
            text("INSERT INTO users (username, display_name) VALUES (:u, :n)"),
            {"u": None, "n": secret},
        )
    error = caught.value
    report = write_crash_report(tmp_path, type(error), error, error.__traceback__)
    assert report is not None and secret not in report.read_text(encoding="utf-8")
    record = logging.LogRecord("x", logging.ERROR, "", 0, "failed", (), None)
    record.exc_info = (type(error), error, error.__traceback__)
    assert secret not in RedactingFormatter("%(message)s").format(record)
