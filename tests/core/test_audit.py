"""The audit record: written with the change, append-only, hash-chained."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from commandcenter.db.engine import Database
from commandcenter.db.models import AuditRecord
from commandcenter.services import audit, settings
from commandcenter.services.actor import Actor
from tests.conftest import disable_audit_guard, postgresql_only


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


@postgresql_only
def test_the_documented_server_roles_let_the_app_work_and_only_append_audit(
    db: Database,
) -> None:
    """docs/postgresql-roles.sql as an IT person runs it: the workstation role signs in and
    works, and cannot change the audit log nor lift its guard."""
    from pathlib import Path
    from uuid import uuid4

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ProgrammingError

    from commandcenter.db.migrate import open_database
    from commandcenter.services import auth
    from tests.conftest import PASSWORD

    role = f"cc_app_{uuid4().hex[:8]}"
    url = make_url(db.engine.url.render_as_string(hide_password=False))
    script = (Path(__file__).parents[2] / "docs" / "postgresql-roles.sql").read_text("utf-8")
    script = script.replace("cc_app", role).replace("commandcenter", str(url.database))
    with db.engine.begin() as conn:
        conn.exec_driver_sql(script)
    app = open_database(url.set(username=role, password=None).render_as_string())
    try:
        actor = auth.sign_in(app, "admin", PASSWORD)  # updates users, appends audit
        with app.write() as s:
            settings.set_value(s, actor, "street_name", "梅山街道")
        with pytest.raises(ProgrammingError, match="permission denied"), app.engine.begin() as c:
            c.exec_driver_sql("UPDATE audit_log SET summary = 'x'")
        with pytest.raises(ProgrammingError, match="owner"), app.engine.begin() as c:
            c.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
        with app.read() as s:
            assert audit.verify_chain(s).intact
    finally:
        app.dispose()
        with db.engine.begin() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')


def test_json_is_stored_as_readable_utf8(db: Database, admin: Actor) -> None:
    """Chinese in JSON columns is kept as characters, not \\uXXXX escapes (30% fewer bytes in a draw record),
    and reads back the same."""
    with db.write() as s:
        audit.record(
            s, admin, "test.json", "抽取记录", changes={"理由": "与抽中的执法人员有回避关系"}
        )
    with db.read() as s:
        raw = s.execute(
            text("SELECT CAST(changes AS TEXT) FROM audit_log WHERE action = 'test.json'")
        ).scalar_one()
        stored = s.scalars(select(AuditRecord).where(AuditRecord.action == "test.json")).one()
    assert "与抽中的执法人员有回避关系" in raw and "\\u" not in raw
    assert stored.changes == {"理由": "与抽中的执法人员有回避关系"}
    with db.read() as s:
        assert audit.verify_chain(s).intact
