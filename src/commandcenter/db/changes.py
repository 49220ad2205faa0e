"""What a write changed, as the views understand it.

Each committed write scope reports the areas of the application whose data it changed, worked out
from the tables its statements wrote (ORM flushes and Core inserts alike), so no caller has to
declare, and perhaps forget, what its write touched. The windows refresh the pages that show
those areas.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.expression import TableClause


class Area(StrEnum):
    """A part of the application whose views show the same data."""

    INCIDENTS = "incidents"
    PEOPLE = "people"
    ORGANISATION = "organisation"  # units, grids and establishments
    LIAISONS = "liaisons"
    PLANS = "plans"  # joint operations, their draws and the inspected entities
    MEETINGS = "meetings"
    CATALOGUE = "catalogue"
    ASSESSMENT = "assessment"
    SETTINGS = "settings"
    USERS = "users"


Changes = frozenset[Area]
NOTHING: Changes = frozenset()

_INCIDENTS = frozenset({Area.INCIDENTS})
# Every table by the areas it feeds. A table missing here is a test failure
# (tests/core/test_changes.py), so a new table cannot go unnoticed.
TABLE_AREAS: dict[str, Changes] = {
    **dict.fromkeys(
        (
            "incidents",
            "incident_events",
            "incident_units",
            "incident_parts",
            "legal_reviews",
            "incident_assignments",
            "whistle_calls",
            "incident_returns",
            "transfers",
            "attachments",
            "extensions",
            "supervisions",
            "incident_replies",
            "interviews",
            "escalation_decisions",
        ),
        _INCIDENTS,
    ),
    **dict.fromkeys(
        (
            "people",
            "person_postings",
            "certificates",
            "certificate_events",
            "training_courses",
            "training_attendance",
            "training_exams",
            "exam_results",
            "certificate_applications",
        ),
        frozenset({Area.PEOPLE}),
    ),
    **dict.fromkeys(
        ("units", "grids", "establishments", "grid_patrols", "patrol_members", "patrol_problems"),
        frozenset({Area.ORGANISATION}),
    ),
    "liaisons": frozenset({Area.LIAISONS}),
    **dict.fromkeys(
        (
            "plans",
            "plan_targets",
            "plan_officers",
            "plan_departments",
            "plan_grids",
            "plan_items",
            "draws",
            "entities",
            "recusals",
            "inspection_publications",
            "entity_grade_changes",
            "annual_inspection_plans",
            "annual_plan_lines",
        ),
        frozenset({Area.PLANS}),
    ),
    **dict.fromkeys(
        ("meetings", "agreed_items", "agreed_item_reports"), frozenset({Area.MEETINGS})
    ),
    # The queue filters and triages by the catalogue's items.
    **dict.fromkeys(
        ("catalogue_versions", "catalogue_items"), frozenset({Area.CATALOGUE, Area.INCIDENTS})
    ),
    # Time left on every open incident is counted on the working calendar.
    **dict.fromkeys(
        ("calendar_years", "calendar_days"), frozenset({Area.SETTINGS, Area.INCIDENTS})
    ),
    **dict.fromkeys(
        (
            "assessment_schemes",
            "assessment_indicators",
            "assessment_grade_bands",
            "assessment_sheets",
            "assessment_scores",
            "personnel_motions",
        ),
        frozenset({Area.ASSESSMENT}),
    ),
    # The centre's name, document prefix and thresholds show on incidents and their papers.
    "settings": frozenset({Area.SETTINGS, Area.INCIDENTS}),
    "users": frozenset({Area.USERS}),
    # Reply templates are kept in 系统设置; a layout only steers the next import.
    "reply_templates": frozenset({Area.SETTINGS}),
    "work_order_layouts": NOTHING,
    # Written with everything, shown by no view of their own.
    "audit_log": NOTHING,
    "document_numbers": NOTHING,
    "alembic_version": NOTHING,
}

_WRITTEN = "commandcenter_written_tables"  # in a connection's info: tables written since BEGIN
_CONNECTION = "commandcenter_connection"  # in a session's info: its connection
_collector: ContextVar[set[Area] | None] = ContextVar("commandcenter_changes", default=None)


def areas_of(tables: Iterable[str]) -> Changes:
    return frozenset(area for table in tables for area in TABLE_AREAS[table])


def track(engine: Engine, sessions: sessionmaker[Session]) -> None:
    """Note the table of every INSERT, UPDATE and DELETE run on *engine* since each BEGIN, and
    let *sessions* find their connection's notes."""

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.info[_WRITTEN] = set()

    @event.listens_for(engine, "after_execute")
    def _executed(
        connection: Any,
        statement: Any,
        _multiparams: Any,
        _params: Any,
        _options: Any,
        _result: Any,
    ) -> None:
        if isinstance(statement, UpdateBase) and isinstance(statement.table, TableClause):
            connection.info.setdefault(_WRITTEN, set()).add(statement.table.name)

    @event.listens_for(sessions, "after_begin")
    def _session_began(session: Session, _transaction: Any, connection: Any) -> None:
        session.info[_CONNECTION] = connection


def written(session: Session) -> Changes:
    """The areas *session*'s transaction has written so far."""
    connection = session.info.get(_CONNECTION)
    if connection is None:
        return NOTHING  # it never reached the database
    return areas_of(connection.info.get(_WRITTEN, ()))


def committed(changes: Changes) -> None:
    """Called by a write scope once it has committed *changes*."""
    collector = _collector.get()
    if collector is not None:
        collector.update(changes)


@contextmanager
def collecting() -> Iterator[set[Area]]:
    """Gather the areas of every write scope committed inside the block, in this thread."""
    gathered: set[Area] = set()
    token = _collector.set(gathered)
    try:
        yield gathered
    finally:
        _collector.reset(token)
