"""Figure 2: the incident queue on the full database, each view against the raw SQL that
returns the same rows (the listing's own SELECT, compiled for the engine and run on a bare
`sqlite3` connection, or a bare psycopg one on PostgreSQL)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from benchmarks.common import Figure, median_ms
from benchmarks.pg_copy import libpq_url
from commandcenter.db.migrate import open_database
from commandcenter.paths import sqlite_url
from commandcenter.services import auth
from commandcenter.services.incidents.listings import INCIDENTS
from commandcenter.services.listing import ListContext

PAGE = 200
VISIBLE = 30  # rows on screen in a maximised window; the table formats only these


def _option(session: Any, key: str, label: str) -> Any:
    spec = next(f for f in INCIDENTS.filters if f.key == key)
    return next(o.condition for o in spec.options(session) if o.label == label)


def measure(path: Path | str, engine: str = "") -> list[Figure]:
    """Figure 2 on the SQLite file *path*, or on the database URL *path* (a PostgreSQL
    database: its names then start with *engine*)."""
    url = path if isinstance(path, str) else sqlite_url(path)
    db = open_database(url)
    compiled = _compiled_postgres if db.engine.dialect.name == "postgresql" else _compiled
    prefix = f"{engine}: " if engine else ""
    figures = []
    with db.read() as session, _bare_connection(url) as raw:
        leader = auth.actor_for(session, "leader")
        views: list[tuple[str, dict[str, Any]]] = [
            ("first page (newest first)", {}),
            (
                "filter: 处置中 + 执法一中队",
                {
                    "chosen": {
                        "status": _option(session, "status", "处置中"),
                        "unit": _option(session, "unit", "执法一中队"),
                    }
                },
            ),
            ("search: 占道", {"text": "占道"}),
            ("sort by deadline", {"sort": 7, "descending": False}),
        ]
        for name, view in views:
            text = view.get("text", "")
            chosen = view.get("chosen", {})

            def ours(
                text: str = text, chosen: dict[str, Any] = chosen, view: dict[str, Any] = view
            ) -> None:
                # What the queue does to show a page: the rows, the count above them, and
                # the cells of the rows on screen.
                rows = INCIDENTS.fetch(
                    session,
                    leader,
                    text,
                    sort=view.get("sort"),
                    descending=view.get("descending"),
                    limit=PAGE,
                    chosen=chosen,
                )
                INCIDENTS.count(session, leader, text, chosen=chosen)
                for row in rows[:VISIBLE]:
                    row.values, row.flag  # noqa: B018

            ctx = ListContext.of(session, None)
            rows_sql = compiled(
                INCIDENTS._rows_select(
                    ctx, text, chosen, view.get("sort"), view.get("descending")
                ).limit(PAGE)
            )
            count_sql = compiled(INCIDENTS.count_select(ctx, text, chosen))

            def bare(rows_sql: str = rows_sql, count_sql: str = count_sql) -> None:
                raw.execute(rows_sql).fetchall()
                raw.execute(count_sql).fetchall()

            figures.append(
                Figure(
                    "2",
                    f"{prefix}queue: {name}",
                    median_ms(ours),
                    median_ms(bare),
                    2.0,
                    absolute_ms=100,
                )
            )
    db.dispose()
    return figures


def _compiled(stmt: Any) -> str:
    from sqlalchemy.dialects import sqlite

    return str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def raw_limits(url: str) -> dict[str, float]:
    """The raw SQL (rows and count) of figure 7's queue actions, on a bare connection to *url*:
    filter 处置中, search 占道, sort by deadline. On SQLite the listing's SELECTs are compiled for
    SQLite and run on `sqlite3` over the file (read only); on PostgreSQL they are compiled for
    PostgreSQL and run on a bare psycopg connection."""
    db = open_database(url, read_only=True)
    postgres = db.engine.dialect.name == "postgresql"
    limits: dict[str, float] = {}
    with db.read() as session, _bare_connection(url) as raw:
        ctx = ListContext.of(session, None)
        views: dict[str, tuple[str, dict[str, Any], int | None, bool | None]] = {
            "filter": ("", {"status": _option(session, "status", "处置中")}, None, None),
            "search": ("占道", {}, None, None),
            "sort": ("", {}, 7, False),
        }
        for key, (text, chosen, sort, descending) in views.items():
            compiled = _compiled_postgres if postgres else _compiled
            rows_sql = compiled(
                INCIDENTS._rows_select(ctx, text, chosen, sort, descending).limit(PAGE)
            )
            count_sql = compiled(INCIDENTS.count_select(ctx, text, chosen))

            def bare(rows_sql: str = rows_sql, count_sql: str = count_sql) -> None:
                raw.execute(rows_sql).fetchall()
                raw.execute(count_sql).fetchall()

            limits[key] = median_ms(bare)
    db.dispose()
    return limits


def _compiled_postgres(stmt: Any) -> str:
    """*stmt* as PostgreSQL text with its values inline; the named paramstyle keeps a LIKE
    pattern's % single (pyformat would double it for the driver to undo)."""
    from sqlalchemy.dialects import postgresql

    dialect = postgresql.dialect(paramstyle="named")
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


@contextmanager
def _bare_connection(url: str) -> Iterator[Any]:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            yield conn
        return
    raw = sqlite3.connect(f"file:{parsed.database}?mode=ro", uri=True)
    try:
        yield raw
    finally:
        raw.close()
