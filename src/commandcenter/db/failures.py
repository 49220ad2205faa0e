"""Driver errors the operator can act on, recognised by their codes where they happen.

A locked, full, read-only, failing or damaged database is not a bug: the scopes in ``engine``
turn such an error into one of the ``UserError`` classes below, with a Chinese message that says
what happened and what to do, and the driver's error chained for the log. The codes decide, never
the text (which changes between versions and languages): SQLite's ``sqlite_errorcode`` (its
primary code is the low byte) and PostgreSQL's SQLSTATE. Anything not recognised propagates
unchanged: it is a bug, for the crash report. Messages never carry SQL, parameters or data.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from commandcenter.errors import (
    ConflictError,
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseFull,
    DatabaseIOError,
    ReadOnlyDatabase,
    UserError,
)

log = logging.getLogger(__name__)

# SQLite's primary result codes (https://sqlite.org/rescode.html).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

BUSY = "数据库正被其他工作站占用，请稍后重试。"
STALE = "记录已被其他人修改或删除。为免覆盖对方的修改，本次未保存；请关闭后重新打开再修改。"
SERIALIZATION = "另一工作站同时在修改相同的数据，本次未保存。请重试。"


def _sqlite_error(primary: int) -> UserError | None:
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseBusy(BUSY)
    if primary == SQLITE_READONLY:
        return ReadOnlyDatabase("数据库为只读，无法保存更改。请检查文件权限或存储介质。")
    if primary == SQLITE_FULL:
        return DatabaseFull("磁盘空间不足，无法保存。请清理磁盘后重试。")
    if primary == SQLITE_IOERR:
        return DatabaseIOError(
            "读写数据库文件时出错，本次未保存。请检查磁盘、U 盘或网络盘是否正常连接后重试；"
            "如反复出现，请联系系统管理员。"
        )
    if primary == SQLITE_CANTOPEN:
        return DatabaseIOError(
            "无法打开数据库文件。请检查文件所在的磁盘、U 盘或网络盘是否已连接，以及文件夹的权限。"
        )
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DatabaseCorrupt(
            "数据库文件已损坏，无法继续读写。请停止录入，联系系统管理员从备份恢复"
            "（commandcenter restore --latest）。"
        )
    return None


_UNREACHABLE = (
    "无法连接数据库服务器（网络中断、服务器已停止，或连接数已满、账户不能登录），本次未保存。"
    "请检查网络后重试；如反复出现，请联系数据库管理员。"
)


def _postgres_error(sqlstate: str) -> UserError | None:
    if sqlstate in ("55P03", "57014"):  # lock_not_available, query_canceled (statement timeout)
        return DatabaseBusy(BUSY)
    if sqlstate in ("40001", "40P01"):  # serialization_failure, deadlock_detected
        return ConflictError(SERIALIZATION)
    if sqlstate == "25006":  # read_only_sql_transaction
        return ReadOnlyDatabase(
            "数据库服务器只允许读取（例如备用服务器），无法保存更改。请联系数据库管理员。"
        )
    if sqlstate == "42501":  # insufficient_privilege
        return ReadOnlyDatabase(
            "当前数据库账户没有这项操作所需的权限，未作任何改动。请联系数据库管理员检查账户权限。"
        )
    if sqlstate == "53100":  # disk_full
        return DatabaseFull(
            "数据库服务器磁盘空间不足，无法保存。请联系数据库管理员腾出空间后重试。"
        )
    if sqlstate.startswith("53"):  # insufficient_resources: memory, connections
        return DatabaseFull(
            "数据库服务器资源不足（内存或连接数），暂时无法完成操作。请稍后重试；"
            "如反复出现，请联系数据库管理员。"
        )
    if sqlstate == "58030":  # io_error
        return DatabaseIOError("数据库服务器读写磁盘时出错，本次未保存。请联系数据库管理员。")
    if sqlstate.startswith("08") or sqlstate in ("57P01", "57P02", "57P03"):
        # connection_exception; admin_shutdown, crash_shutdown, cannot_connect_now
        return DatabaseIOError(_UNREACHABLE)
    if sqlstate in ("XX001", "XX002"):  # data_corrupted, index_corrupted
        return DatabaseCorrupt(
            "数据库服务器上的数据或索引已损坏。请停止录入，联系数据库管理员检查和修复。"
        )
    return None


def classify(exc: BaseException) -> UserError | None:
    """The error the operator is shown for *exc*, or None when it is not a known cause."""
    if isinstance(exc, StaleDataError):  # the mapper's version check found the row moved
        return ConflictError(STALE)
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        return _sqlite_error(code & 0xFF) if isinstance(code, int) else None
    if type(orig).__module__.startswith("psycopg"):
        import psycopg  # loaded already: the error came from it

        if isinstance(orig, psycopg.Error) and orig.sqlstate is not None:
            return _postgres_error(orig.sqlstate)
        # libpq's own failures carry no SQLSTATE: the server never answered (refused, dropped).
        if isinstance(orig, psycopg.OperationalError):
            return DatabaseIOError(_UNREACHABLE)
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return DatabaseIOError(_UNREACHABLE)
    return None


def _code(exc: BaseException) -> str:
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    name = getattr(orig, "sqlite_errorname", None) or getattr(orig, "sqlstate", None)
    return f"{type(orig).__name__} {name or ''}".strip()


@contextmanager
def classified() -> Iterator[None]:
    """Raise a known database failure inside the block as its ``UserError``, chained."""
    try:
        yield
    except (DBAPIError, StaleDataError, sqlite3.Error) as exc:
        known = classify(exc)
        if known is None:
            raise
        # Codes only: the driver's text may quote the statement's parameters.
        log.info("database refused: %s (%s)", type(known).__name__, _code(exc))
        raise known from exc
