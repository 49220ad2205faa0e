"""Migration 0015 on a database with supervision papers and a transfer letter."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import select, text

from commandcenter.db.engine import APPLICATION_ID, make_engine
from commandcenter.db.migrate import alembic_config, open_database
from commandcenter.db.models import Supervision, Transfer
from commandcenter.paths import sqlite_url

_STAMPS = "'2026-01-01', '2026-01-01'"


def test_old_papers_get_a_reply_by_date_and_answered_ones_are_closed(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(sqlite_url(path))
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        command.upgrade(alembic_config(conn), "0010")
        conn.exec_driver_sql(
            "INSERT INTO users (id, username, display_name, role, password_hash, active,"
            " failed_attempts, version, created_at, updated_at) VALUES (1, 'op', '值班员',"
            f" 'operator', 'x', 1, 0, 1, {_STAMPS})"
        )
        conn.exec_driver_sql(
            "INSERT INTO units (id, name, short_name, kind, fields, sort_order, active, version,"
            f" created_at, updated_at) VALUES (1, '执法中队', '中队', 'squad', '', 0, 1, 1, {_STAMPS})"
        )
        conn.exec_driver_sql(
            "INSERT INTO incidents (id, number, channel, title, description, received_at,"
            " registered_by_id, status, priority, is_major, deadline_uncertain, version,"
            " created_at, updated_at) VALUES (1, '2026-000001', 'hotline_12345', '占道', '',"
            f" '2026-03-02 02:00:00', 1, 'transferred', 'normal', 0, 0, 1, {_STAMPS})"
        )
        papers = (
            (1, "'2026-03-02 02:00:00'", "NULL", "NULL"),  # no reply-by date, unanswered
            (2, "'2026-03-02 02:00:00'", "'2026-03-05 09:30:00'", "'2026-03-04 16:00:00'"),
        )
        for paper_id, issued, due, replied in papers:
            conn.exec_driver_sql(
                "INSERT INTO supervisions (id, incident_id, unit_id, kind, doc_number, issued_at,"
                " issued_by_id, content, reply_due_on, replied_at) VALUES"
                f" ({paper_id}, 1, 1, 'letter', '梅执督〔2026〕{paper_id}号', {issued}, 1, '督办',"
                f" {due}, {replied})"
            )
        conn.exec_driver_sql(
            "INSERT INTO transfers (id, incident_id, department_id, doc_number, facts, sent_at,"
            " sent_by_id) VALUES (1, 1, 1, '梅执移〔2026〕1号', '', '2026-03-02 03:00:00', 1)"
        )
    engine.dispose()

    db = open_database(sqlite_url(path), backup_dir=tmp_path / "backups")
    with db.read() as s:
        first, second = s.scalars(select(Supervision).order_by(Supervision.id)).all()
        assert first.reply_due_on == datetime(2026, 3, 7, 2, 0, tzinfo=UTC)  # five days on
        assert first.closed_at is None
        assert second.reply_due_on == datetime(2026, 3, 5, 9, 30, tzinfo=UTC)  # kept
        assert second.closed_at == second.replied_at  # answered before: ended at its reply
        letter = s.scalars(select(Transfer)).one()
        assert letter.receipt_due_at == datetime(2026, 3, 9, 3, 0, tzinfo=UTC)  # seven days on
        assert letter.result is None
        assert s.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    db.dispose()

    engine = make_engine(sqlite_url(path))
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0010")
        assert conn.exec_driver_sql("SELECT count(*) FROM supervisions").scalar() == 2
    engine.dispose()
