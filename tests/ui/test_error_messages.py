"""What the windows say about an error: the database's own failures in plain words, classified
where they happened, and anything else as a fault to report."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy import event, text

from commandcenter.db.engine import Database
from commandcenter.errors import ConflictError, DatabaseBusy, ValidationError
from commandcenter.ui.runner import user_message
from tests.conftest import sqlite_only


@sqlite_only
def test_a_locked_database_is_said_so_and_the_form_kept(db: Database) -> None:
    @event.listens_for(db.engine, "connect")
    def _short(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout = 100")

    db.engine.dispose()
    holder = sqlite3.connect(str(db.sqlite_path), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseBusy) as caught, db.write() as s:
            s.execute(text("DELETE FROM settings WHERE key = 'none'"))
    finally:
        holder.close()
    assert user_message(caught.value) == (
        "数据库正被其他工作站占用，请稍后重试。刚才填写的内容仍保留在窗口中。"
    )


def test_our_own_errors_are_shown_as_they_are() -> None:
    assert user_message(ValidationError("请填写单位全称。", "name")) == "请填写单位全称。"
    conflict = ConflictError("单位已被其他人修改。")
    assert user_message(conflict) == "单位已被其他人修改。"


@sqlite_only
def test_an_unexpected_database_error_is_a_fault_and_quotes_no_data(db: Database) -> None:
    with pytest.raises(Exception) as caught, db.read() as s:
        s.execute(text("SELECT no_such_column FROM users WHERE username = :u"), {"u": "张三"})
    message = user_message(caught.value)
    assert message.startswith("程序内部错误") and "系统管理员" in message
    assert "张三" not in message and "SELECT" not in message


def test_any_other_error_is_a_fault_to_report() -> None:
    message = user_message(KeyError("field"))
    assert message == "程序内部错误：KeyError: 'field'。请将此信息告知系统管理员。"
