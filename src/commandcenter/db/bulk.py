"""Inserting many rows at once and learning their ids, on both engines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session


def insert_rows(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Insert *rows* into *model*'s table in one executemany, through Core: the ORM's bulk
    insert would look at every row in Python first, for nothing it needs here."""
    if rows:
        table: Table = model.__table__
        session.connection().execute(insert(table), rows)


def insert_ids(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert *rows* into *model*'s table in their order; the new ids, in the same order.

    PostgreSQL gives them back from batched INSERT … RETURNING statements. SQLite cannot tie
    RETURNING rows to parameter sets, so SQLAlchemy would fall back to one INSERT per row
    (ten thousand statements for a roster import). There the rows go in one executemany and the
    ids are read afterwards: the write transaction holds SQLite's only write lock, so nobody
    inserts in between, and an executemany inserts its rows in order, each taking the next rowid.
    """
    if not rows:
        return []
    if session.get_bind().dialect.name != "sqlite":
        stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
        return list(session.scalars(stmt, rows))
    session.flush()
    before = session.scalar(select(func.max(model.id))) or 0
    insert_rows(session, model, rows)
    ids = list(session.scalars(select(model.id).where(model.id > before).order_by(model.id)))
    if len(ids) != len(rows):  # only if the lock were not held: never write on a wrong guess
        raise RuntimeError(
            f"{len(rows)} rows inserted into {model.__tablename__}, {len(ids)} found"
        )
    return ids
