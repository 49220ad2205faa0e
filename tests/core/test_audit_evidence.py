"""What a file-level attacker does to the audit log shows against evidence kept outside it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, select, update

from commandcenter.db import audit_checkpoints
from commandcenter.db.models import AuditRecord
from commandcenter.services import audit, audit_evidence, checks
from commandcenter.services.actor import SYSTEM
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
