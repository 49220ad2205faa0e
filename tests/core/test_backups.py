"""Backups, thinning, restore and `check`: nothing lost, nothing overwritten, problems named."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from commandcenter import timeutil
from commandcenter.cli import main
from commandcenter.db import backup_folder
from commandcenter.db.engine import Database
from commandcenter.db.migrate import known_revisions, open_database
from commandcenter.db.models import Person, Staffing, Unit, UnitKind
from commandcenter.demo.generator import DEMO_PASSWORD
from commandcenter.errors import DatabaseError
from commandcenter.paths import sqlite_url
from commandcenter.services import checks
from commandcenter.services.actor import Actor
from tests.conftest import disable_audit_guard, sqlite_only


def _path(db: Database) -> Path:
    path = db.sqlite_path
    assert path is not None
    return path


def _units(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count(Unit.id))) or 0)


def _add_unit(db: Database, name: str) -> None:
    with db.write() as s:
        s.add(Unit(name=name, short_name=name, kind=UnitKind.SQUAD))


@sqlite_only
def test_a_backup_is_verified_and_a_restore_keeps_what_it_replaces(
    db: Database, tmp_path: Path
) -> None:
    path = _path(db)
    folder = tmp_path / "backups"
    _add_unit(db, "执法一中队")
    made = backup_folder.make_backup(path, folder)
    usb = backup_folder.make_backup(path, tmp_path / "usb" / "copy.db")  # a file on a stick
    assert usb.exists() and [b.path for b in backup_folder.list_backups(folder)] == [made]
    assert not list(folder.glob("*.partial"))
    _add_unit(db, "执法二中队")
    assert _units(db) == 2

    kept = backup_folder.restore(path, made, folder, known_revisions())
    assert kept is not None and kept.name.endswith("-before-restore.db")
    assert _units(db) == 1  # the open database reads the restored content
    # The restore is undone by restoring what it kept.
    backup_folder.restore(path, kept, folder, known_revisions())
    assert _units(db) == 2


@sqlite_only
def test_a_bad_backup_is_refused_and_the_database_left_alone(db: Database, tmp_path: Path) -> None:
    path = _path(db)
    folder = tmp_path / "backups"
    before = path.read_bytes()
    not_ours = tmp_path / "notes.db"
    sqlite3.connect(not_ours).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(DatabaseError, match="不是指挥中心工作台"):
        backup_folder.restore(path, not_ours, folder, known_revisions())
    text = tmp_path / "text.db"
    text.write_text("hello")
    with pytest.raises(DatabaseError, match="无法读取"):
        backup_folder.restore(path, text, folder, known_revisions())
    newer = backup_folder.make_backup(path, tmp_path / "newer.db")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(DatabaseError, match="更新版本"):
        backup_folder.restore(path, newer, folder, known_revisions())
    assert path.read_bytes() == before and not folder.exists()


@sqlite_only
def test_a_damaged_database_is_kept_byte_for_byte(db: Database, tmp_path: Path) -> None:
    path = _path(db)
    folder = tmp_path / "backups"
    good = backup_folder.make_backup(path, folder)
    db.dispose()
    path.with_name(path.name + "-wal").unlink(missing_ok=True)
    damaged = path.read_bytes()[:9000]
    path.write_bytes(damaged)
    kept = backup_folder.restore(path, good, folder, known_revisions())
    assert kept is not None and kept.name.endswith("-damaged.db")
    assert kept.read_bytes() == damaged
    reopened = open_database(sqlite_url(path))
    assert _units(reopened) == 0
    reopened.dispose()
    # Thinning never removes it.
    later = timeutil.now() + timedelta(days=400)
    assert kept not in backup_folder.thin(folder, later) and kept.exists()


def _fake(folder: Path, made: datetime, reason: str = "scheduled") -> Path:
    path = folder / f"commandcenter-{made:%Y%m%d-%H%M%S}-000000-{reason}.db"
    path.write_bytes(b"x")
    return path


def test_thinning_keeps_a_week_then_days_then_months_and_the_newest(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime(2026, 11, 22, 12, 0)
    recent = [_fake(folder, now - timedelta(days=d, hours=h)) for d in range(7) for h in (0, 6)]
    same_day = [_fake(folder, now - timedelta(days=10, hours=h)) for h in (1, 3)]  # newest first
    month_old = [_fake(folder, now - timedelta(days=d)) for d in (60, 65, 95)]
    ancient = _fake(folder, now - timedelta(days=500))
    foreign = folder / "my-notes.txt"
    foreign.write_text("not ours")
    removed = set(backup_folder.thin(folder, timeutil.local_datetime(now.date(), now.time())))
    assert removed == {same_day[1], month_old[1], ancient}
    assert all(p.exists() for p in recent) and foreign.exists()
    # The newest is kept however old it is.
    lone = tmp_path / "lone"
    lone.mkdir()
    only = _fake(lone, now - timedelta(days=900))
    assert backup_folder.thin(lone, timeutil.local_datetime(now.date(), now.time())) == []
    assert only.exists()


@sqlite_only
def test_the_scheduled_backup_runs_once_a_day(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _path(db)
    folder = tmp_path / "backups"
    moment = timeutil.local_datetime(datetime(2026, 11, 22).date(), datetime.min.time())
    monkeypatch.setattr(timeutil, "now", lambda: moment)
    assert backup_folder.scheduled(path, folder) is not None
    assert backup_folder.scheduled(path, folder) is None
    moment += timedelta(hours=25)
    assert backup_folder.scheduled(path, folder) is not None
    assert [b.reason for b in backup_folder.list_backups(folder)] == ["scheduled", "scheduled"]


def test_check_names_each_problem_and_repairs_nothing(db: Database, admin: Actor) -> None:
    with db.read() as s:
        assert checks.run_checks(s, admin) == []
    with db.write() as s:
        unit = Unit(name="执法一中队", short_name="执法一中队", kind=UnitKind.SQUAD)
        s.add(unit)
        s.flush()
        s.add(
            Person(
                name="张伟",
                unit_id=unit.id,
                staffing=Staffing.ADMINISTRATIVE,
                id_number="110101199003076666",  # the check character should be 5
            )
        )
    with db.engine.begin() as conn:
        disable_audit_guard(conn)  # what a curious colleague might do
        first = conn.exec_driver_sql("SELECT min(id) FROM audit_log").scalar()
        conn.exec_driver_sql(
            f"UPDATE audit_log SET summary = summary || '（改）' WHERE id = {first}"
        )
    with db.read() as s:
        findings = checks.run_checks(s, admin)
    # The broken link, and the guard switched off to break it: both are evidence.
    assert [(f.table, f.reason[:8]) for f in findings] == [
        ("audit_log", "审计链在此处断开"),
        ("audit_log", "审计记录的防篡改"),
        ("people", "身份证号 110"),
    ]
    assert findings[0].row == first
    lines = checks.report_lines(findings)
    assert lines[0] == "发现 3 个问题：" and "【审计记录】2 个" in lines


@sqlite_only
def test_cli_backup_restore_and_check(
    demo_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", DEMO_PASSWORD)
    path = _path(demo_db)
    demo_db.dispose()
    home = tmp_path / "home"
    base = ["--home", str(home), "--db", sqlite_url(path)]
    assert main([*base, "backup", "--user", "leader"]) == 2  # leaders do not keep backups
    assert "无权备份和恢复" in capsys.readouterr().err
    assert main([*base, "backup", "--user", "admin"]) == 0
    assert main([*base, "check", "--user", "admin"]) == 0
    assert "未发现问题" in capsys.readouterr().out
    # A truncated database: nobody can sign in, and the newest backup goes back in.
    shutil.copyfile(path, tmp_path / "before.db")
    path.with_name(path.name + "-wal").unlink(missing_ok=True)
    path.write_bytes(path.read_bytes()[:50_000])
    assert main([*base, "check", "--user", "admin"]) == 2
    assert main([*base, "restore", "--latest"]) == 0
    out = capsys.readouterr().out
    assert "不经登录直接恢复" in out and "-damaged.db" in out
    assert main([*base, "check", "--user", "admin"]) == 0
    assert main([*base, "check", "--user", "admin", "--repair"]) == 0
    assert "没有可安全修复的项目" in capsys.readouterr().out
    assert main([*base, "backup", "--list"]) == 0
    assert "共 2 份备份" in capsys.readouterr().out


def test_safe_repairs_come_after_a_backup_and_never_touch_the_chain(
    demo_db: Database, tmp_path: Path
) -> None:
    from commandcenter.db.models import Incident, IncidentEvent, IncidentStatus
    from commandcenter.services.auth import actor_for

    with demo_db.read() as s:
        admin = actor_for(s, "admin")
        closed = s.scalars(
            select(Incident.id)
            .where(Incident.status == IncidentStatus.CLOSED)
            .order_by(Incident.id)
            .limit(2)
        ).all()
        when = {
            i: s.scalar(
                select(func.max(IncidentEvent.at)).where(
                    IncidentEvent.incident_id == i, IncidentEvent.to_status == IncidentStatus.CLOSED
                )
            )
            for i in closed
        }
    with demo_db.engine.begin() as conn:
        conn.exec_driver_sql(
            f"UPDATE incidents SET closed_at = NULL WHERE id IN ({closed[0]}, {closed[1]})"
        )
        disable_audit_guard(conn)
        conn.exec_driver_sql("UPDATE audit_log SET summary = summary || '（改）' WHERE id = 3")
    with demo_db.read() as s:
        found = checks.run_checks(s, admin)
    assert [(f.table, f.row, f.fix is not None) for f in found] == [
        ("audit_log", 3, False),
        ("audit_log", None, False),  # the append-only guard switched off
        ("incidents", closed[0], True),
        ("incidents", closed[1], True),
    ]
    assert "（可安全修复）" in checks.report_lines(found)[-1]
    made, repaired = checks.repair_database(demo_db, admin, tmp_path / "backups")
    assert len(repaired) == 2 and "办结时间按办结记录补为" in repaired[0]
    assert (made is not None) == (demo_db.sqlite_path is not None)
    with demo_db.read() as s:
        for i in closed:
            assert s.get(Incident, i).closed_at == when[i]  # type: ignore[union-attr]
        again = checks.run_checks(s, admin)
    # Evidence stays evidence.
    assert [(f.table, f.row) for f in again] == [("audit_log", 3), ("audit_log", None)]
    assert checks.repair_database(demo_db, admin, tmp_path / "backups") == (None, [])
