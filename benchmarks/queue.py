"""Figure 2: the incident queue on the full database, each view against the raw SQL that
returns the same rows (the listing's own SELECT, compiled and run on a bare sqlite3 connection)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from benchmarks.common import Figure, median_ms
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


def measure(path: Path) -> list[Figure]:
    db = open_database(sqlite_url(path))
    raw = sqlite3.connect(path)
    figures = []
    with db.read() as session:
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
            rows_sql = _compiled(
                INCIDENTS._rows_select(
                    ctx, text, chosen, view.get("sort"), view.get("descending")
                ).limit(PAGE)
            )
            count_sql = _compiled(INCIDENTS.count_select(ctx, text, chosen))

            def bare(rows_sql: str = rows_sql, count_sql: str = count_sql) -> None:
                raw.execute(rows_sql).fetchall()
                raw.execute(count_sql).fetchall()

            figures.append(
                Figure(
                    "2", f"queue: {name}", median_ms(ours), median_ms(bare), 2.0, absolute_ms=100
                )
            )
    raw.close()
    db.dispose()
    return figures


def _compiled(stmt: Any) -> str:
    from sqlalchemy.dialects import sqlite

    return str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def raw_limits(path: Path, url: str) -> dict[str, float]:
    """The raw SQL (rows and count) of figure 7's queue actions, on a bare connection to the
    SQLite file *path*: filter 处置中, search 占道, sort by deadline."""
    db = open_database(url)
    raw = sqlite3.connect(path)
    limits: dict[str, float] = {}
    with db.read() as session:
        ctx = ListContext.of(session, None)
        views: dict[str, tuple[str, dict[str, Any], int | None, bool | None]] = {
            "filter": ("", {"status": _option(session, "status", "处置中")}, None, None),
            "search": ("占道", {}, None, None),
            "sort": ("", {}, 7, False),
        }
        for key, (text, chosen, sort, descending) in views.items():
            rows_sql = _compiled(
                INCIDENTS._rows_select(ctx, text, chosen, sort, descending).limit(PAGE)
            )
            count_sql = _compiled(INCIDENTS.count_select(ctx, text, chosen))

            def bare(rows_sql: str = rows_sql, count_sql: str = count_sql) -> None:
                raw.execute(rows_sql).fetchall()
                raw.execute(count_sql).fetchall()

            limits[key] = median_ms(bare)
    raw.close()
    db.dispose()
    return limits
