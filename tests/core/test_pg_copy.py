"""The SQLite-to-PostgreSQL loader (benchmarks/pg_copy.py) on the generated demo street: every
row of every table reads back the same through the models, the audit chain holds, sequences
continue after the copied ids, and the services give the same answers on both engines."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from benchmarks import pg_copy
from commandcenter.db.engine import Database
from commandcenter.db.migrate import open_database
from commandcenter.db.models import Base
from commandcenter.demo import generator
from commandcenter.paths import sqlite_url
from commandcenter.services import auth, checks, reports
from commandcenter.services.audit import verify_chain
from commandcenter.services.incidents.listings import INCIDENTS
from tests.conftest import PG_URL_ENV, _pg, old_database

NOW = datetime(2026, 11, 20, 8, tzinfo=UTC)

pytestmark = [pytest.mark.postgresql, pytest.mark.slow]


@pytest.fixture
def empty_pg() -> Iterator[str]:
    name = f"cc_copy_{uuid.uuid4().hex[:12]}"
    _pg(f'CREATE DATABASE "{name}"')
    # A server in the local zone: SQLite's naive UTC text must still land as UTC.
    _pg(f"ALTER DATABASE \"{name}\" SET timezone TO 'Asia/Shanghai'")
    try:
        yield (
            make_url(os.environ[PG_URL_ENV])
            .set(database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def copied(demo_template: Path, empty_pg: str) -> Iterator[tuple[Database, Database]]:
    report = pg_copy.copy_database(demo_template, empty_pg)
    assert report.ok
    assert report.source_rows["incidents"] == 606  # the demo's 600 and its six fixed cases
    assert report.source_rows == report.copied_rows
    source = open_database(sqlite_url(demo_template), read_only=True)
    copy = open_database(empty_pg)
    try:
        yield source, copy
    finally:
        source.dispose()
        copy.dispose()


def _all_rows(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.read() as session:
        return {
            table.name: [
                tuple(row)
                for row in session.execute(
                    select(table).order_by(*(table.primary_key.columns or table.columns))
                )
            ]
            for table in Base.metadata.sorted_tables
        }


def test_every_row_reads_back_the_same(copied: tuple[Database, Database]) -> None:
    source, copy = copied
    before, after = _all_rows(source), _all_rows(copy)
    for name, rows in before.items():
        assert after[name] == rows, name
    # Moments come back as the same aware instants, to the microsecond.
    stamp = before["audit_log"][-1][1]
    assert isinstance(stamp, datetime) and stamp.tzinfo is not None


def test_the_audit_chain_holds_and_the_checks_pass(copied: tuple[Database, Database]) -> None:
    source, copy = copied
    with source.read() as s:
        expected = verify_chain(s)
    with copy.read() as session:
        chain = verify_chain(session)
        assert chain.intact and chain.head_hash == expected.head_hash
        admin = auth.actor_for(session, "admin")
        assert checks.run_checks(session, admin, None) == []


def test_sequences_continue_after_the_copied_ids(copied: tuple[Database, Database]) -> None:
    _, copy = copied
    with copy.read() as session:
        top = session.scalar(text("SELECT max(id) FROM incidents"))
        nextval = session.scalar(text("SELECT nextval(pg_get_serial_sequence('incidents', 'id'))"))
        assert nextval == top + 1
        # An empty table starts at 1.
        assert session.scalar(text("SELECT nextval(pg_get_serial_sequence('recusals', 'id'))")) == 1
    # A write through the services appends to the chain after the copied head.
    auth.sign_in(copy, "admin", generator.DEMO_PASSWORD)
    with copy.read() as session:
        assert verify_chain(session).intact


def test_the_services_answer_alike(copied: tuple[Database, Database]) -> None:
    results = []
    for db in copied:
        with db.read() as session:
            leader = auth.actor_for(session, generator.DEMO_LEADER)
            page = INCIDENTS.fetch(session, leader, "", limit=200)
            count = INCIDENTS.count(session, leader, "")
            month = reports.monthly(session, leader, 2026, 10, now=NOW)
            results.append(([(r.id, r.values) for r in page], count, month))
    assert results[0] == results[1]
    assert results[0][1] == 606


def test_a_target_with_tables_is_refused(demo_template: Path, empty_pg: str) -> None:
    open_database(empty_pg, create=True).dispose()
    with pytest.raises(SystemExit, match="不是空的"):
        pg_copy.copy_database(demo_template, empty_pg)


def test_an_older_schema_is_refused(tmp_path: Path, empty_pg: str) -> None:
    with pytest.raises(SystemExit, match="结构版本"):
        pg_copy.copy_database(old_database(tmp_path / "old.db"), empty_pg)
