"""What a file-level attacker does to the audit log shows against evidence kept outside it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import Connection, select, update

from commandcenter.db import audit_checkpoints, backup_folder
from commandcenter.db.migrate import known_revisions
from commandcenter.db.models import AuditRecord
from commandcenter.services import audit, audit_evidence, checks
from commandcenter.services.actor import SYSTEM
from tests.conftest import sqlite_only
from tests.core.incident_world import World
from tests.core.test_incidents import register


def _unguard(conn: Connection) -> None:
    """Drop or switch off the append-only triggers, as the file's owner could."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
        conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate")
    else:
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_delete")


def _reasons(world: World, folder: Path) -> list[str]:
    with world.db.read() as s:
        return [f.reason for f in checks.run_checks(s, SYSTEM, folder) if f.table == "audit_log"]


def _checkpoint(world: World, folder: Path) -> None:
    with world.db.read() as s:
        audit_evidence.record_checkpoint(s, world.operator, folder)


def test_a_clean_log_agrees_with_its_checkpoints(world: World, tmp_path: Path) -> None:
    register(world)
    _checkpoint(world, tmp_path)
    register(world, "春晓路噪声扰民")
    _checkpoint(world, tmp_path)
    assert _reasons(world, tmp_path) == []
    assert len(audit_checkpoints.read(tmp_path)) == 2


def test_a_cut_tail_shows(world: World, tmp_path: Path) -> None:
    register(world)
    _checkpoint(world, tmp_path)
    with world.db.engine.begin() as conn:
        _unguard(conn)
        last = conn.execute(select(AuditRecord.id).order_by(AuditRecord.id.desc())).scalar()
        conn.execute(AuditRecord.__table__.delete().where(AuditRecord.id == last))
    reasons = _reasons(world, tmp_path)
    assert any("已不存在" in r for r in reasons), reasons
    assert any("触发器缺失" in r for r in reasons), reasons


def test_a_log_deleted_whole_shows(world: World, tmp_path: Path) -> None:
    register(world)
    with world.db.engine.begin() as conn:
        _unguard(conn)
        conn.execute(AuditRecord.__table__.delete())
    assert any("审计记录为空" in r for r in _reasons(world, tmp_path))


def test_a_rewritten_and_rehashed_log_shows(world: World, tmp_path: Path) -> None:
    register(world)
    _checkpoint(world, tmp_path)
    with world.db.engine.begin() as conn:
        _unguard(conn)
        first = conn.execute(select(AuditRecord.id).order_by(AuditRecord.id)).scalar()
        conn.execute(
            update(AuditRecord).where(AuditRecord.id == first).values(summary="改写的内容")
        )
    # Every hash recomputed with the application's own function: the chain itself is whole.
    with world.db.engine.begin() as conn:
        prev = audit.GENESIS
        for row in conn.execute(select(AuditRecord).order_by(AuditRecord.id)).all():
            record = AuditRecord(**row._mapping)
            new = audit.record_hash(prev, record)
            conn.execute(
                update(AuditRecord).where(AuditRecord.id == row.id).values(prev_hash=prev, hash=new)
            )
            prev = new
    with world.db.read() as s:
        assert audit.verify_chain(s).intact
    reasons = _reasons(world, tmp_path)
    assert any("哈希已改变" in r for r in reasons), reasons


def test_a_gap_in_the_ids_shows(world: World, tmp_path: Path) -> None:
    register(world)
    register(world, "春晓路噪声扰民")
    with world.db.engine.begin() as conn:
        _unguard(conn)
        conn.execute(AuditRecord.__table__.delete().where(AuditRecord.id == 2))
    assert any("编号不连续" in r for r in _reasons(world, tmp_path))


def _backup(world: World, folder: Path, reason: str = "manual") -> Path:
    assert world.db.sqlite_path is not None
    return backup_folder.make_backup(world.db.sqlite_path, folder, reason)


def _head(world: World) -> tuple[int, int, str]:
    with world.db.read() as s:
        rows = s.execute(select(AuditRecord.id, AuditRecord.hash).order_by(AuditRecord.id)).all()
    return len(rows), rows[-1].id, rows[-1].hash


@sqlite_only
def test_every_backup_carries_where_the_log_stood(world: World, tmp_path: Path) -> None:
    register(world)
    count, last_id, head = _head(world)
    made = _backup(world, tmp_path)
    point = audit_checkpoints.read_beside(made)
    assert point is not None
    assert (point.count, point.last_id, point.head_hash) == (count, last_id, head)
    assert point.database == audit_checkpoints.sqlite_key(world.db.sqlite_path or Path())
    assert audit_checkpoints.beside(made).name == made.name + ".checkpoint.json"
    assert audit_checkpoints.read(tmp_path) == []  # none in the file: the backup's own holds
    assert _reasons(world, tmp_path) == []


@sqlite_only
def test_a_cut_tail_shows_against_a_backup(world: World, tmp_path: Path) -> None:
    register(world)
    register(world, "春晓路噪声扰民")
    count, last_id, _ = _head(world)
    made = _backup(world, tmp_path)
    with world.db.engine.begin() as conn:
        _unguard(conn)
        conn.execute(AuditRecord.__table__.delete().where(AuditRecord.id > last_id - 2))
    reasons = _reasons(world, tmp_path)
    cut = [r for r in reasons if made.name in r]
    assert len(cut) == 1, reasons
    assert f"第 {last_id} 号审计记录已不存在（现有 {count - 2} 条，当时已有 {count} 条）" in cut[0]


@sqlite_only
def test_a_rehashed_log_shows_against_a_backup(world: World, tmp_path: Path) -> None:
    register(world)
    _, last_id, _ = _head(world)
    made = _backup(world, tmp_path)
    with world.db.engine.begin() as conn:
        _unguard(conn)
        conn.execute(update(AuditRecord).where(AuditRecord.id == last_id).values(hash="0" * 64))
    reasons = [r for r in _reasons(world, tmp_path) if made.name in r]
    assert len(reasons) == 1 and "的哈希已改变" in reasons[0], reasons


@sqlite_only
def test_backups_of_a_log_a_restore_replaced_no_longer_count(world: World, tmp_path: Path) -> None:
    register(world)
    early = _backup(world, tmp_path)
    register(world, "春晓路噪声扰民")
    _backup(world, tmp_path)  # holds records the restore below takes away, rightly
    path = world.db.sqlite_path
    assert path is not None
    world.db.dispose()
    backup_folder.restore(path, early, tmp_path, known_revisions())
    assert _reasons(world, tmp_path) == []


@sqlite_only
def test_a_backup_checkpoint_of_another_database_is_not_held_against_this_one(
    world: World, tmp_path: Path
) -> None:
    register(world)
    _, last_id, _ = _head(world)
    made = _backup(world, tmp_path)
    point = audit_checkpoints.read_beside(made)
    assert point is not None
    audit_checkpoints.write_beside(made, replace(point, database="/elsewhere/other.db", count=99))
    with world.db.engine.begin() as conn:
        _unguard(conn)
        conn.execute(update(AuditRecord).where(AuditRecord.id == last_id).values(hash="0" * 64))
    assert not any(made.name in r for r in _reasons(world, tmp_path))


@sqlite_only
def test_thinning_takes_a_backups_checkpoint_with_it(world: World, tmp_path: Path) -> None:
    register(world)
    old = _backup(world, tmp_path)
    renamed = old.with_name("commandcenter-20200101-080000-000000-manual.db")
    old.rename(renamed)
    audit_checkpoints.beside(old).rename(audit_checkpoints.beside(renamed))
    _backup(world, tmp_path)
    assert renamed in backup_folder.thin(tmp_path)
    assert not audit_checkpoints.beside(renamed).exists()


def test_chain_position_is_the_count_and_the_heads_first_digits(world: World) -> None:
    register(world)
    count, _, head = _head(world)
    with world.db.read() as s:
        assert audit_evidence.chain_position(s) == (count, head[:8])


def test_the_chain_position_is_the_count_and_the_head_hash(world: World) -> None:
    register(world)
    with world.db.read() as s:
        count, short = audit_evidence.chain_position(s)
        records = s.scalars(select(AuditRecord).order_by(AuditRecord.id)).all()
    assert count == len(records) > 0
    assert short == records[-1].hash[:8] and len(short) == 8
    register(world, "春晓路噪声扰民")
    with world.db.read() as s:
        later = audit_evidence.chain_position(s)
    assert later[0] > count and later[1] != short
