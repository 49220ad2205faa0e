"""Copy a SQLite database of the current schema into an empty PostgreSQL database, quickly.

    python -m benchmarks.pg_copy SQLITE_FILE POSTGRES_URL [--create]

The full-scale street takes 25–45 minutes to generate on PostgreSQL; copied from its SQLite file
it took 2 min 39 s on the 2-core build machine (half of it the draw records' JSON and the 2
million incident events). The schema is made by the app's own migration (`open_database(url,
create=True)`), so the copy is what a workstation would have made; every table of the models is
then streamed with COPY in dependency order, in one transaction, in primary-key order. The
source file is opened read-only and never written.

- The audit log's hash chain survives because its rows are copied verbatim (id, moment, the
  previous hash and the hash): the hash covers the moment in Asia/Shanghai and the JSON of the
  changes, and both read back the same. The session's time zone is UTC, so SQLite's naive UTC
  text lands in `timestamptz` as the same instant. The triggers the migration installs on
  `audit_log` refuse UPDATE, DELETE and TRUNCATE only, so COPY's inserts pass them.
- Rows a migration seeds (the reply templates) are deleted first: the source has its own.
- Every column sequence is set to the table's largest id, so the next insert follows it.
- `VACUUM (ANALYZE)` at the end gives the planner its statistics and sets the visibility map,
  as a server's autovacuum would have long since done on a settled database.

`--create` makes the database named in the URL first (connecting to the server's `postgres`
database). `benchmarks.run --pg-database URL` measures figures 2 and 7 on the result. A target that already has tables is refused. At the end the row counts of every
table are compared and the audit chain is verified on the copy; a difference exits with 1.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import Table
from sqlalchemy.engine import make_url

from commandcenter.db.migrate import head_revision, open_database
from commandcenter.db.models import Base

BATCH = 1000  # rows fetched from SQLite at a time (a draw record holds ~120 KB)


@dataclass
class CopyReport:
    """What was copied: rows per table (source and copy), and how long it took."""

    source_rows: dict[str, int] = field(default_factory=dict)
    copied_rows: dict[str, int] = field(default_factory=dict)
    chain_intact: bool = False
    chain_head: str = ""
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def counts_equal(self) -> bool:
        return self.source_rows == self.copied_rows

    @property
    def ok(self) -> bool:
        return self.counts_equal and self.chain_intact


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL *url* (`postgresql+psycopg://…`) as libpq takes it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def create_database(url: str) -> None:
    """Create the database *url* names, on its server (via the `postgres` database)."""
    parsed = make_url(url)
    admin = libpq_url(parsed.set(database="postgres").render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(parsed.database or "")))


def clone_database(url: str, name: str) -> str:
    """A copy of the database *url* named *name*, on the same server (`CREATE DATABASE …
    TEMPLATE`, file by file: seconds for the full street); its URL. Nobody may be connected to
    *url* meanwhile."""
    parsed = make_url(url)
    admin = libpq_url(parsed.set(database="postgres").render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                sql.Identifier(name), sql.Identifier(parsed.database or "")
            )
        )
    return parsed.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop the database *url* names, closing whatever is still connected to it."""
    parsed = make_url(url)
    admin = libpq_url(parsed.set(database="postgres").render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(parsed.database or "")
            )
        )


def copy_database(source: Path, url: str) -> CopyReport:
    """Copy the SQLite file *source* into the empty PostgreSQL database *url*."""
    report = CopyReport()
    started = time.perf_counter()
    lite = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        _check_source(lite)
        with psycopg.connect(libpq_url(url)) as conn:
            if conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchone() != (0,):
                raise SystemExit("目标数据库不是空的：请指定一个新建的空数据库。")
        open_database(url, create=True).dispose()
        report.seconds["schema"] = time.perf_counter() - started

        tables = Base.metadata.sorted_tables
        with psycopg.connect(libpq_url(url)) as conn:
            conn.execute("SET TimeZone = 'UTC'")
            conn.execute("SET synchronous_commit = off")
            _clear_seeded(conn, tables)
            for table in tables:
                moment = time.perf_counter()
                report.source_rows[table.name] = _copy_table(lite, conn, table)
                report.seconds[table.name] = time.perf_counter() - moment
            _reset_sequences(conn, tables)
        report.seconds["copy"] = sum(report.seconds[t.name] for t in tables)

        moment = time.perf_counter()
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
        report.seconds["vacuum analyze"] = time.perf_counter() - moment
    finally:
        lite.close()
    report.seconds["total"] = time.perf_counter() - started
    _verify(url, tables, report)
    return report


def _check_source(lite: sqlite3.Connection) -> None:
    try:
        rows = lite.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError as exc:
        raise SystemExit(f"源文件不是指挥中心工作台的数据库：{exc}") from exc
    if rows != [(head_revision(),)]:
        raise SystemExit(
            f"源数据库的结构版本是 {rows}，不是当前的 {head_revision()}："
            "请先用本版程序打开一次（会自动升级）再复制。"
        )


def _clear_seeded(conn: psycopg.Connection, tables: list[Table]) -> None:
    """Delete what the migration itself inserted: the source carries its own copy of it."""
    for table in reversed(tables):
        name = sql.Identifier(table.name)
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(name)).fetchone()
        if row and row[0]:
            conn.execute(sql.SQL("DELETE FROM {}").format(name))


def _copy_table(lite: sqlite3.Connection, conn: psycopg.Connection, table: Table) -> int:
    source_columns = {row[1] for row in lite.execute(f'PRAGMA table_info("{table.name}")')}
    columns = [c.name for c in table.columns]
    if source_columns != set(columns):
        raise SystemExit(
            f"表 {table.name} 的列与当前结构不符：多 {sorted(source_columns - set(columns))}，"
            f"少 {sorted(set(columns) - source_columns)}。"
        )
    keys = [c.name for c in table.primary_key.columns] or columns
    select = (
        f"SELECT {', '.join(_quoted(c) for c in columns)} FROM {_quoted(table.name)} "
        f"ORDER BY {', '.join(_quoted(c) for c in keys)}"
    )
    copy = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    count = 0
    with conn.cursor().copy(copy) as stream:
        for row in _rows(lite, select):
            # SQLite's text for dates, moments, times and JSON is what PostgreSQL's input
            # functions read (moments as UTC, the session's zone); 0 and 1 are booleans to it.
            stream.write_row(row)
            count += 1
    return count


def _rows(lite: sqlite3.Connection, select: str) -> Iterator[tuple[object, ...]]:
    cursor = lite.execute(select)
    while batch := cursor.fetchmany(BATCH):
        yield from batch


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _reset_sequences(conn: psycopg.Connection, tables: list[Table]) -> None:
    """Each serial column's sequence continues after the largest value copied."""
    for table in tables:
        for column in table.columns:
            row = conn.execute(
                "SELECT pg_get_serial_sequence(%s, %s)", (table.name, column.name)
            ).fetchone()
            if row is None or row[0] is None:
                continue
            conn.execute(
                sql.SQL(
                    "SELECT setval(%s, coalesce(max({c}), 1), max({c}) IS NOT NULL) FROM {t}"
                ).format(c=sql.Identifier(column.name), t=sql.Identifier(table.name)),
                (row[0],),
            )


def _verify(url: str, tables: list[Table], report: CopyReport) -> None:
    from commandcenter.services.audit import verify_chain

    with psycopg.connect(libpq_url(url)) as conn:
        for table in tables:
            row = conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table.name))
            ).fetchone()
            report.copied_rows[table.name] = row[0] if row else -1
    db = open_database(url, read_only=True)
    try:
        with db.read() as session:
            chain = verify_chain(session)
        report.chain_intact = chain.intact
        report.chain_head = chain.head_hash
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="the SQLite file (read only)")
    parser.add_argument("url", help="the empty PostgreSQL database, postgresql+psycopg://…")
    parser.add_argument("--create", action="store_true", help="create the database first")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        raise SystemExit(f"找不到源文件：{args.source}")
    if args.create:
        create_database(args.url)
    report = copy_database(args.source, args.url)
    for name, rows in report.source_rows.items():
        mark = "" if report.copied_rows.get(name) == rows else f"  ≠ {report.copied_rows.get(name)}"
        print(f"{name:<32}{rows:>10,}{report.seconds[name]:>9.1f} s{mark}")
    for step in ("schema", "copy", "vacuum analyze", "total"):
        print(f"{step:<32}{'':>10}{report.seconds[step]:>9.1f} s")
    print(
        f"行数{'一致' if report.counts_equal else '不一致'}；审计链{'完整' if report.chain_intact else '断裂'}"
    )
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
