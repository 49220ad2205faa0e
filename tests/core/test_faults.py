"""Crashes, full disks and torn files: whatever stops the program, the database opens without
help, passes its checks and holds every change that was acknowledged, and an operation is there
whole or not at all.

The processes killed here are real child processes; each test is bounded (a few dozen seconds).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError
from sqlalchemy import event, func, select

from commandcenter.db import backup_folder
from commandcenter.db.engine import Database, make_engine
from commandcenter.db.migrate import head_revision, known_revisions, open_database
from commandcenter.db.models import AuditRecord, Incident, IncidentStatus, Unit, UnitKind
from commandcenter.errors import UserError
from commandcenter.exchange import importers
from commandcenter.faults import CRASH_ENV, CRASH_EXIT_CODE
from commandcenter.paths import sqlite_url
from commandcenter.services import audit, auth, organisation
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import progress
from tests.conftest import old_database, sqlite_only
from tests.core.test_exchange import workbook

KILLS = 50

WRITER = """
import sys
from commandcenter.db.migrate import open_database
from commandcenter.db.models import UnitKind
from commandcenter.services import auth, organisation

db = open_database(sys.argv[1])
with db.read() as s:
    admin = auth.actor_for(s, "admin")
n = int(sys.argv[2])
print("ready", flush=True)
while True:
    n += 1
    with db.write() as s:
        organisation.create_unit(
            s, admin, organisation.UnitForm(f"测试中队{n:05d}", f"测{n}", UnitKind.SQUAD)
        )
    print(n, flush=True)  # acknowledged: the transaction has committed
"""


def _run(code: str, *args: str, crash_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if crash_at:
        env[CRASH_ENV] = crash_at
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120
    )


def _sound(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def _units(db: Database) -> set[str]:
    with db.read() as s:
        return set(s.scalars(select(Unit.name)))


@pytest.mark.slow
@sqlite_only
def test_killed_at_random_moments_while_writing_nothing_acknowledged_is_lost(
    db: Database,
) -> None:
    path = db.sqlite_path
    assert path is not None
    db.dispose()
    rng = random.Random(20261122)
    acknowledged = written = 0
    for kill in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, sqlite_url(path), str(written)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        lines: list[str] = []
        reader = threading.Thread(target=lines.extend, args=(child.stdout,))
        reader.start()
        time.sleep(rng.uniform(0.0, 0.12))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        reader.join(timeout=30)
        child.stdout.close()
        acknowledged = max([acknowledged, *(int(x) for x in lines if x.strip().isdigit())])
        # Opens without help, sound, and every acknowledged unit is there.
        reopened = open_database(sqlite_url(path))
        try:
            names = _units(reopened)
            assert {f"测试中队{n:05d}" for n in range(1, acknowledged + 1)} <= names
            # A change may commit just before the kill, unacknowledged: it is there too.
            written = len(names)
            assert names == {f"测试中队{n:05d}" for n in range(1, written + 1)}
            with reopened.read() as s:
                assert audit.verify_chain(s).intact, f"kill {kill}"
        finally:
            reopened.dispose()
        _sound(path)
    assert acknowledged > KILLS  # the kills did land among writes


CLOSE = """
import sys
from commandcenter.db.migrate import open_database
from commandcenter.services import auth
from commandcenter.services.incidents import progress

db = open_database(sys.argv[1])
with db.read() as s:
    leader = auth.actor_for(s, "leader")
with db.write() as s:
    progress.close(s, leader, int(sys.argv[2]), satisfaction=5, callback_note="满意")
"""

IMPORT = """
import sys
from pathlib import Path
from commandcenter.db.migrate import open_database
from commandcenter.exchange import importers
from commandcenter.services import auth

db = open_database(sys.argv[1])
with db.read() as s:
    admin = auth.actor_for(s, "admin")
importers.run_import(db, admin, "units", Path(sys.argv[2]), backup_dir=Path(sys.argv[3]))
"""

OPEN = """
import sys
from commandcenter.db.migrate import open_database
open_database(sys.argv[1]).dispose()
"""

BACKUP = """
import sys
from pathlib import Path
from commandcenter.db import backup_folder
backup_folder.make_backup(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def _crashed(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == CRASH_EXIT_CODE, result.stderr


def _records(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count(AuditRecord.id))) or 0)


@sqlite_only
def test_a_close_cut_short_is_not_there_and_goes_through_again(demo_db: Database) -> None:
    path = demo_db.sqlite_path
    assert path is not None
    with demo_db.read() as s:
        leader = auth.actor_for(s, "leader")
        incident_id = s.scalars(
            select(Incident.id)
            .where(Incident.status == IncidentStatus.REPORTED, Incident.is_major.is_(False))
            .order_by(Incident.id)
            .limit(1)
        ).one()
    before = _records(demo_db)
    demo_db.dispose()
    _crashed(_run(CLOSE, sqlite_url(path), str(incident_id), crash_at="incident.close"))
    _sound(path)
    db = open_database(sqlite_url(path))
    with db.read() as s:
        incident = s.get(Incident, incident_id)
        assert incident is not None
        assert incident.status is IncidentStatus.REPORTED and incident.closed_at is None
        assert incident.satisfaction is None
    assert _records(db) == before
    with db.write() as s:
        progress.close(s, leader, incident_id, satisfaction=5)
    with db.read() as s:
        assert s.get(Incident, incident_id).status is IncidentStatus.CLOSED  # type: ignore[union-attr]
        assert audit.verify_chain(s).intact
    db.dispose()


@sqlite_only
def test_an_import_cut_short_leaves_nothing_and_goes_through_again(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path = db.sqlite_path
    assert path is not None
    sheet = workbook(
        tmp_path / "units.xlsx",
        [
            ["单位全称", "简称", "类别"],
            ["执法一中队", "一中队", "执法中队"],
            ["执法二中队", "二中队", "执法中队"],
        ],
        "单位",
    )
    before = _records(db)
    db.dispose()
    folder = tmp_path / "backups"
    _crashed(_run(IMPORT, sqlite_url(path), str(sheet), str(folder), crash_at="import.rows"))
    _sound(path)
    reopened = open_database(sqlite_url(path))
    assert _units(reopened) == set() and _records(reopened) == before
    assert [b.reason for b in backup_folder.list_backups(folder)] == ["before-import"]
    report = importers.run_import(reopened, admin, "units", sheet)
    assert report.created == 2 and _units(reopened) == {"执法一中队", "执法二中队"}
    reopened.dispose()


@pytest.mark.slow
def test_a_migration_cut_short_leaves_the_old_schema_and_runs_again(tmp_path: Path) -> None:
    from alembic.runtime.migration import MigrationContext

    path = old_database(tmp_path / "old.db")

    def revision() -> str | None:
        engine = make_engine(sqlite_url(path))
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        engine.dispose()
        return current

    _crashed(_run(OPEN, sqlite_url(path), crash_at="migrate.upgrade"))
    _sound(path)
    assert revision() == "0002"
    assert [b.reason for b in backup_folder.list_backups(tmp_path / "backups")] == [
        "before-migration"
    ]
    assert _run(OPEN, sqlite_url(path)).returncode == 0
    assert revision() == head_revision()


@sqlite_only
def test_a_backup_cut_short_leaves_no_backup_that_looks_good(db: Database, tmp_path: Path) -> None:
    path = db.sqlite_path
    assert path is not None
    folder = tmp_path / "usb"
    _crashed(_run(BACKUP, str(path), str(folder), crash_at="backup.copy"))
    assert backup_folder.list_backups(folder) == []  # only the half-made copy, under its own name
    assert _run(BACKUP, str(path), str(folder)).returncode == 0
    (made,) = backup_folder.list_backups(folder)
    backup_folder.check_backup(made.path, known_revisions())
    _sound(path)


EXPORTER = """
import sys
from pathlib import Path
from commandcenter.db.migrate import open_database
from commandcenter.exchange import exporters
from commandcenter.services import auth

db = open_database(sys.argv[1])
with db.read() as s:
    admin = auth.actor_for(s, "admin")
print("ready", flush=True)
while True:
    with db.read() as s:
        exporters.export_people(s, admin, Path(sys.argv[2]))
"""


@pytest.mark.slow
@sqlite_only
def test_an_export_killed_mid_write_leaves_a_whole_file(demo_db: Database, tmp_path: Path) -> None:
    path = demo_db.sqlite_path
    assert path is not None
    demo_db.dispose()
    target = tmp_path / "人员名册.xlsx"
    rng = random.Random(7)
    for _ in range(12):
        child = subprocess.Popen(
            [sys.executable, "-c", EXPORTER, sqlite_url(path), str(target)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        if target.exists():  # the old file or the new one, never a torn one
            with zipfile.ZipFile(target) as archive:
                assert archive.testzip() is None
            assert load_workbook(target, read_only=True).active is not None
    assert target.exists()


@sqlite_only
def test_a_full_disk_refuses_clearly_keeps_nothing_partial_and_recovers(
    db: Database, admin: Actor
) -> None:
    limit = {"pages": 0}

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_connection: object, _record: object) -> None:
        if limit["pages"]:
            dbapi_connection.execute(f"PRAGMA max_page_count = {limit['pages']}")  # type: ignore[attr-defined]

    db.engine.dispose()  # new connections take the cap
    with db.read() as s:
        pages = int(s.connection().exec_driver_sql("PRAGMA page_count").scalar() or 0)
    limit["pages"] = pages + 2
    db.engine.dispose()
    before = _records(db)
    forms = [
        organisation.UnitForm(f"执法{n}中队", f"{n}中队", UnitKind.SQUAD, address="梅山路" * 30)
        for n in range(1, 80)
    ]
    with pytest.raises(Exception) as caught, db.write() as s:
        for form in forms:
            organisation.create_unit(s, admin, form)
    from sqlalchemy.exc import OperationalError

    from commandcenter.errors import DatabaseFull

    assert isinstance(caught.value, DatabaseFull) and "磁盘空间不足" in caught.value.message
    cause = caught.value.__cause__
    assert isinstance(cause, OperationalError)
    assert cause.orig.sqlite_errorname == "SQLITE_FULL"  # type: ignore[union-attr]
    assert _units(db) == set() and _records(db) == before  # no partial rows
    limit["pages"] = 0
    db.engine.dispose()
    with db.write() as s:
        for form in forms:
            organisation.create_unit(s, admin, form)
    assert len(_units(db)) == len(forms)
    path = db.sqlite_path
    assert path is not None
    _sound(path)


def test_an_io_error_while_saving_a_file_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commandcenter.fileio import atomic_path

    target = tmp_path / "派单.pdf"
    target.write_bytes(b"%PDF-old")

    def broken(*_args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(UserError, match="原文件未受影响"), atomic_path(target) as temp:
        temp.write_bytes(b"%PDF-new")
    assert target.read_bytes() == b"%PDF-old"
    assert [p.name for p in tmp_path.iterdir()] == ["派单.pdf"]  # no temporary file left


_CELL = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["执法中队", "街道办事处", "区级部门", "=1+1", "@SUM(A1)", "+86", " ", "\t"]),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=60,
    ),
)


@given(rows=st.lists(st.lists(_CELL, min_size=3, max_size=4), min_size=1, max_size=6))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_an_import_of_any_cells_is_whole_or_refused_row_by_row(
    db: Database, admin: Actor, tmp_path: Path, rows: list[list[object]]
) -> None:
    """Whatever the cells hold, the import either takes every row or writes nothing and names
    the rows at fault; it never fails in some other way."""
    sheet = tmp_path / "fuzz.xlsx"
    try:
        workbook(sheet, [["单位全称", "简称", "类别"], *rows], "单位")
    except IllegalCharacterError:  # openpyxl refuses control characters: no file to import
        return
    before, records = _units(db), _records(db)
    try:
        report = importers.run_import(db, admin, "units", sheet)
    except importers.ImportRejected as rejected:
        assert rejected.report.problems and all(
            p.row is None or 2 <= p.row <= len(rows) + 1 for p in rejected.report.problems
        )
        assert _units(db) == before and _records(db) == records
        return
    # The database is shared by the examples: a row may name a unit an earlier example made,
    # already as the row has it (neither created nor updated). Every row is one of the three.
    assert report.created + report.updated <= report.rows
    assert len(_units(db)) == len(before) + report.created
