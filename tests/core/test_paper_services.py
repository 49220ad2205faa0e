"""The reads behind the printed papers: the services check the printing permission and find
records by number, so the papers themselves only lay out what they are given."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter.db.engine import Database
from commandcenter.db.models import (
    AssessmentSheet,
    DocType,
    DocumentNumber,
    Draw,
    Incident,
    Liaison,
    Meeting,
    Plan,
)
from commandcenter.errors import NotFound, PermissionDenied
from commandcenter.services import briefings, draws, liaisons, meetings, plans, reports
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import schemes, sheets
from commandcenter.services.incidents import paper_records
from commandcenter.services.statistics import Period

DAY = date(2026, 11, 13)
GUEST = Actor(None, "guest", "访客", None)  # no role: refused every action

PAPER_READS: dict[str, Callable[[Session, Actor], Any]] = {
    "dispatch order": lambda s, a: paper_records.incident_for_dispatch_order(s, a, 1),
    "transfer letter": lambda s, a: paper_records.transfer_for_letter(s, a, 1),
    "supervision": lambda s, a: paper_records.supervision_for_letter(s, a, 1),
    "directory": liaisons.directory_entries,
    "minutes": lambda s, a: meetings.detail_for_minutes(s, a, 1),
    "plan": lambda s, a: plans.plan_for_paper(s, a, 1),
    "draw record": lambda s, a: draws.draw_for_paper(s, a, 1),
    "assessment sheet": lambda s, a: sheets.detail_for_paper(s, a, 1),
    "year count": lambda s, a: sheets.count_for_year_export(s, a, 2026),
    "year schemes": lambda s, a: schemes.for_year_export(s, a, 2026),
    "bulletin": lambda s, a: reports.monthly_for_paper(s, a, 2026, 1),
    "quarterly": lambda s, a: reports.quarterly_for_paper(s, a, 2026, 1),
    "huddle": briefings.daily_for_paper,
    "weekly": lambda s, a: briefings.weekly_for_paper(s, a, briefings.last_full_week(DAY)),
}


@pytest.mark.parametrize("name", sorted(PAPER_READS))
def test_a_paper_read_refuses_who_may_not_print(db: Database, name: str) -> None:
    # The printing permission is refused by name, before anything is read.
    with pytest.raises(PermissionDenied, match="生成和打印文书"), db.read() as s:
        PAPER_READS[name](s, GUEST)


def test_dispatch_orders_are_found_by_their_number_or_the_incident_s(
    demo_db: Database, leader: Actor
) -> None:
    with demo_db.read() as s:
        numbered = s.execute(
            select(DocumentNumber.number, DocumentNumber.entity_id)
            .where(DocumentNumber.doc_type == DocType.DISPATCH.value)
            .limit(1)
        ).one()
        incident = s.get(Incident, numbered.entity_id)
        assert incident is not None
        assert paper_records.dispatch_order_incident(s, f" {numbered.number} ") == incident.id
        assert paper_records.dispatch_order_incident(s, incident.number) == incident.id
        assert paper_records.dispatch_order_incident(s, "无此编号") is None
        loaded = paper_records.incident_for_dispatch_order(s, leader, incident.id)
        assert loaded.id == incident.id
        with pytest.raises(NotFound):
            paper_records.incident_for_dispatch_order(s, leader, -1)


def test_samples_and_lookups_find_the_newest_records(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        newest_draw = draws.newest_draw(s)
        assert newest_draw is not None
        draw = s.get(Draw, newest_draw)
        assert draw is not None and draw.doc_number
        assert draws.find_draw(s, draw.doc_number) == draw.id
        found, _previous, drawer = draws.draw_for_paper(s, leader, draw.id)
        assert found is draw and drawer is not None and drawer.id == draw.drawn_by_id

        plan_id = plans.newest_approved_plan(s)
        assert plan_id is not None
        plan = s.get(Plan, plan_id)
        assert plan is not None and plan.number
        assert plans.find_plan(s, plan.number) is plan
        assert plans.find_plan(s, str(plan.id)) is plan
        with pytest.raises(NotFound):
            plans.find_plan(s, "无此方案")
        assert plans.plan_for_paper(s, leader, plan.id)[0] is plan

        assert sheets.newest_sheet(s) == s.scalar(
            select(AssessmentSheet.id).order_by(AssessmentSheet.id.desc()).limit(1)
        )
        assert paper_records.newest_transfer(s) is not None
        assert paper_records.newest_supervision(s) is not None
        assert paper_records.sample_dispatch_incident(s) is not None

        entries = liaisons.directory_entries(s, leader)
        assert len(entries) == len(s.scalars(select(Liaison)).all())

        latest = s.scalar(select(Meeting.id).order_by(Meeting.held_at.desc(), Meeting.id.desc()))
        assert meetings.find_meeting(s, None) == latest
        assert meetings.detail_for_minutes(s, leader, latest).title


def test_a_year_export_counts_the_year_s_sheets(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        sheet = s.get(AssessmentSheet, sheets.newest_sheet(s))
        assert sheet is not None
        year = sheet.scheme.year
        found = schemes.for_year_export(s, leader, year)
        assert found
        expected = sum(len(sheets.scheme_sheets(s, scheme.id)) for _, scheme in found)
        assert sheets.count_for_year_export(s, leader, year) == expected
        assert sheets.count_for_year_export(s, leader, year + 50) == 0


def test_the_period_papers_read_what_the_screens_show(demo_db: Database, leader: Actor) -> None:
    week = briefings.last_full_week(DAY)
    assert isinstance(week, Period)
    with demo_db.read() as s:
        printed = reports.monthly_for_paper(s, leader, 2026, 1)
        shown = reports.monthly(s, leader, 2026, 1)
        assert (printed.kind, printed.period, printed.received) == (
            shown.kind,
            shown.period,
            shown.received,
        )
        assert briefings.weekly_for_paper(s, leader, week).title == (
            briefings.weekly(s, leader, week).title
        )
