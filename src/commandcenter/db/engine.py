"""The engine and the two ways to reach it: a read scope and a write scope.

SQLite runs in WAL mode with foreign keys on and a busy timeout; a write scope takes the write lock
at BEGIN (``BEGIN IMMEDIATE``) so two workstations or two threads never discover a conflict halfway
through a transaction. PostgreSQL, for several workstations, uses the same scopes, and a write
scope there takes one advisory lock first, so writers queue as they do on SQLite.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from commandcenter.db import changes, search_index
from commandcenter.db.failures import classified
from commandcenter.db.location import read_only_uri
from commandcenter.errors import PermissionDenied, ReadOnlyDatabase

# "CCMD" - marks a SQLite file as ours, so a foreign file is never migrated or overwritten.
APPLICATION_ID = 0x43434D44
BUSY_TIMEOUT_MS = 10_000
_WRITE_OPTION = "commandcenter_write"


# Called with each refused attempt; the audit service registers the one that records it.
REFUSAL_HOOKS: list[Callable[[Database, PermissionDenied], None]] = []


def _install_sqlite_hooks(engine: Engine, *, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin hook, not the driver, decide how transactions start.
        dbapi_connection.isolation_level = None
        search_index.register(dbapi_connection)  # the search index's triggers call it
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
            # FULL: an acknowledged change survives a power cut, not just a crash; records are
            # evidence.
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# On PostgreSQL a write scope first takes this transaction-level advisory lock, so writers run
# one at a time as on SQLite (BEGIN IMMEDIATE): numbers are max + 1 without gaps or clashes, the
# audit chain never forks, and no deadlock between counters can arise. Writes are short units
# of work, so the queue is milliseconds long; readers never wait for it.
WRITER_LOCK_KEY = APPLICATION_ID


def _install_postgres_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(_WRITE_OPTION, False):
            # As long as SQLite's busy timeout: then the operator is told the database is busy.
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_MS}ms'")
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str, *, read_only: bool = False, **kwargs: Any) -> Engine:
    """An engine for *url*; *read_only* opens a SQLite file so that nothing can write to it."""
    parsed = make_url(url)
    # JSON columns keep Chinese as UTF-8, not as \uXXXX escapes: a draw record's pool and
    # exclusions (names and reasons of everyone considered) take 30% less space.
    kwargs.setdefault("json_serializer", _json_text)
    # A failing statement's error message never carries its parameters: they are people's names
    # and ID numbers, and the message may reach a log, a crash report or the terminal.
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        if read_only and parsed.database:
            kwargs["creator"] = _read_only_connector(Path(parsed.database))
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)
        _install_sqlite_hooks(engine, read_only=read_only)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if read_only:  # the server refuses every write in these sessions
        kwargs["connect_args"] = {"options": "-c default_transaction_read_only=on"}
    # READ COMMITTED (the server's default, named here because the writer lock relies on it):
    # each statement after the lock sees what the writer before committed.
    kwargs.setdefault("isolation_level", "READ COMMITTED")
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    if not read_only:
        _install_postgres_hooks(engine)
    return engine


def _read_only_connector(path: Path) -> Callable[[], sqlite3.Connection]:
    """Connections that SQLite itself keeps from writing."""
    uri = read_only_uri(path)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(
            uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )

    return connect


class Database:
    """An open, migrated database. Sessions are short: one per user action.

    *read_only* is the reason, in words for the user, why nothing may be written; every write
    scope then refuses at once, so a change is turned away before any work is done. *damaged*
    says the reason is a failed check of the file (the window shows it as an alarm).
    """

    def __init__(
        self, engine: Engine, read_only: str | None = None, *, damaged: bool = False
    ) -> None:
        self.engine = engine
        self.read_only = read_only
        self.damaged = damaged
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(
            engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )
        changes.track(engine, self._writer)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite or not self.engine.url.database:
            return None
        return Path(self.engine.url.database)

    def describe(self) -> str:
        """What the status bar shows: the file, or the server without the password."""
        path = self.sqlite_path
        if path is not None:
            return str(path)
        url = self.engine.url
        return f"PostgreSQL {url.host or 'localhost'}/{url.database}"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read unit of work. Closing it ends the transaction without committing; objects
        read keep their loaded state (closing, unlike a rollback, does not expire them).
        A locked, full, failing or damaged database is raised as its ``UserError``
        (``db.failures``)."""
        try:
            with classified(), self._reader() as session:
                yield session
        except PermissionDenied as exc:
            self._note_refusal(exc)
            raise

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write unit of work: committed if the block succeeds, rolled back whole if not.
        Once committed, what it changed is reported (:func:`changes.committed`). Failures of
        the database itself are raised as in :meth:`read`."""
        if self.read_only:
            raise ReadOnlyDatabase(f"数据库以只读方式打开，不能修改。{self.read_only}")
        try:
            with classified(), self._writer() as session, session.begin():
                yield session
                session.flush()  # what commit would flush, so that it is counted
                written = changes.written(session)
        except PermissionDenied as exc:
            self._note_refusal(exc)
            raise
        changes.committed(written)

    def _note_refusal(self, exc: PermissionDenied) -> None:
        """A refused attempt is evidence too: it is recorded in a transaction of its own, after
        the one it happened in has been rolled back."""
        if exc.recorded or self.read_only:
            return
        exc.recorded = True
        for hook in REFUSAL_HOOKS:
            hook(self, exc)

    def dispose(self) -> None:
        self.engine.dispose()
