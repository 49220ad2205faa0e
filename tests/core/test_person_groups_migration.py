"""Migration 0007 on a database with people and a year's person scheme."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy import select, text

from commandcenter.db.engine import APPLICATION_ID, make_engine
from commandcenter.db.migrate import alembic_config, open_database
from commandcenter.db.models import AssessmentScheme, AssessmentSubject, PersonGroup, PersonPosting
from commandcenter.paths import sqlite_url

_STAMPS = "1, '2025-01-01', '2025-01-01'"


def test_existing_people_get_a_posting_and_person_schemes_become_the_officers(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(sqlite_url(path))
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        command.upgrade(alembic_config(conn), "0006")
        conn.exec_driver_sql(
            "INSERT INTO units (id, name, short_name, kind, fields, sort_order, active, version,"
            f" created_at, updated_at) VALUES (1, '执法中队', '中队', 'squad', '', 0, 1, {_STAMPS})"
        )
        # Entered at 20:00 UTC on 1 March: 2 March in Beijing.
        conn.exec_driver_sql(
            "INSERT INTO people (id, name, name_initials, unit_id, position, staffing, status,"
            " fields, version, created_at, updated_at) VALUES (1, '王强', 'wq', 1, '中队长',"
            " 'administrative', 'on_duty', '', 1, '2025-03-01 20:00:00', '2025-03-01')"
        )
        for scheme_id, subject in ((1, "agency"), (2, "person")):
            conn.exec_driver_sql(
                "INSERT INTO assessment_schemes (id, year, subject, name, created_at, updated_at)"
                f" VALUES ({scheme_id}, 2026, '{subject}', '方案', '2026-01-01', '2026-01-01')"
            )
    engine.dispose()

    db = open_database(sqlite_url(path), backup_dir=tmp_path / "backups")
    with db.read() as s:
        posting = s.scalars(select(PersonPosting)).one()
        assert (posting.person_id, posting.unit_id, posting.position) == (1, 1, "中队长")
        assert posting.from_date == date(2025, 3, 2)
        groups = {sc.subject: sc.group for sc in s.scalars(select(AssessmentScheme))}
        assert groups == {
            AssessmentSubject.AGENCY: None,
            AssessmentSubject.PERSON: PersonGroup.OFFICER,
        }
        assert s.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    with db.write() as s:  # the other groups' schemes of 2026 may now be made beside it
        s.add(
            AssessmentScheme(
                year=2026,
                subject=AssessmentSubject.PERSON,
                group=PersonGroup.COMMAND,
                name="指挥室",
            )
        )
    db.dispose()

    # Back to 0006: one person scheme a year again, the 执法人员 one.
    engine = make_engine(sqlite_url(path))
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0006")
        assert conn.exec_driver_sql("SELECT id FROM assessment_schemes").scalars().all() == [1, 2]
    engine.dispose()
