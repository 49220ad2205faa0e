"""The audit record: written with the change, append-only, hash-chained."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from commandcenter.db.engine import Database
from commandcenter.db.models import AuditRecord
from commandcenter.services import audit, settings
from commandcenter.services.actor import Actor
from tests.conftest import disable_audit_guard


def test_change_and_audit_record_commit_together(db: Database, admin: Actor) -> None:
    with db.write() as s:
        before = s.scalar(select(text("count(*)")).select_from(AuditRecord))
    with pytest.raises(RuntimeError), db.write() as s:
        settings.update_centre(s, admin, "七星街道", "七执")
        raise RuntimeError("power cut")
    with db.read() as s:
        assert settings.load(s).street_name == "梅山街道"
        assert s.scalar(select(text("count(*)")).select_from(AuditRecord)) == before
    with db.write() as s:
        settings.update_centre(s, admin, "七星街道", "七执")
    with db.read() as s:
        last = s.scalars(select(AuditRecord).order_by(AuditRecord.id.desc())).first()
    assert last is not None and last.action == "settings.update"
    assert last.changes == {"doc_prefix": ["梅执", "七执"], "street_name": ["梅山街道", "七星街道"]}
    assert last.username == "admin"


def test_audit_log_refuses_update_and_delete(db: Database) -> None:
    for statement in ("UPDATE audit_log SET summary = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), db.write() as s:
            s.execute(text(statement))


def test_chain_verifies_and_detects_tampering(db: Database, admin: Actor) -> None:
    with db.write() as s:
        for n in range(3):
            audit.record(s, admin, "test.step", f"第 {n} 步")
    with db.read() as s:
        report = audit.verify_chain(s)
    assert report.intact and report.count >= 4
    # Someone with the file or the owner's login lifts the guard and edits a record.
    with db.engine.begin() as conn:
        disable_audit_guard(conn)
        target = conn.execute(text("SELECT id FROM audit_log WHERE summary = '第 1 步'")).scalar()
        conn.execute(
            text("UPDATE audit_log SET summary = '第 1 步（改）' WHERE id = :i"), {"i": target}
        )
    with db.read() as s:
        report = audit.verify_chain(s)
    assert not report.intact
    assert report.broken_at == target
