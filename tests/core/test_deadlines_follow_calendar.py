"""Open deadlines follow the working calendar: a year loaded, a day set or removed, a year
confirmed complete or imported recounts every open deadline that reaches into it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from commandcenter.db.models import (
    AuditRecord,
    CalendarDayKind,
    Incident,
    IncidentEventKind,
    IncidentStatus,
)
from commandcenter.exchange.importers import run_import
from commandcenter.services import calendar_changes
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import intake, triage
from tests.core.incident_world import World, local
from tests.core.test_exchange import workbook


def triaged(w: World, list_type: str = "empowered") -> int:
    form = intake.IncidentForm(
        channel=intake.Channel.HOTLINE_12345,
        title="梅山大道占道经营",
        address="梅山大道1号",
        grid_id=w.grid,
        reporter_name="张三",
        reporter_phone="13912345678",
    )
    with w.db.write() as s:
        incident_id = intake.register(s, w.operator, form).id
        triage.triage(s, w.operator, incident_id, triage.TriageForm(item_id=w.items[list_type]))
    return incident_id


def deadline_of(w: World, incident_id: int) -> tuple[object, bool]:
    with w.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        return incident.deadline_at, incident.deadline_uncertain


def recounts(w: World, incident_id: int) -> list[object]:
    with w.db.read() as s:
        return list(
            s.scalars(
                select(AuditRecord.changes)
                .where(
                    AuditRecord.action == "incident.deadline", AuditRecord.entity_id == incident_id
                )
                .order_by(AuditRecord.id)
            )
        )


def test_entering_next_years_holidays_moves_open_deadlines(world: World, admin: Actor) -> None:
    # Received Mon 28 Dec 2026, five working days, 2027 not yet on record: counted on weekends
    # alone, 29-31 Dec, Fri 1 Jan and Mon 4 Jan 2027, and marked uncertain.
    world.clock.set(local(date(2026, 12, 28), 9))
    open_id = triaged(world)
    closed_id = triaged(world)
    with world.db.write() as s:
        s.get_one(Incident, closed_id).status = IncidentStatus.CLOSED
    assert deadline_of(world, open_id) == (local(date(2027, 1, 4), 17, 30), True)

    # New Year's Day entered: the deadline moves a day on and stays uncertain.
    with world.db.write() as s:
        _entry, moved = calendar_changes.set_day(
            s, admin, date(2027, 1, 1), CalendarDayKind.HOLIDAY, "元旦"
        )
    assert moved == 1
    assert deadline_of(world, open_id) == (local(date(2027, 1, 5), 17, 30), True)
    # The closed incident keeps the deadline it closed with.
    assert deadline_of(world, closed_id) == (local(date(2027, 1, 4), 17, 30), True)
    assert recounts(world, closed_id) == []

    # The year confirmed complete: the same day, now certain.
    with world.db.write() as s:
        moved = calendar_changes.mark_year_complete(s, admin, 2027, "国办发明电〔2026〕")
    assert moved == 1
    assert deadline_of(world, open_id) == (local(date(2027, 1, 5), 17, 30), False)
    assert recounts(world, open_id) == [
        {"deadline": ["2027-01-04 17:30（待核）", "2027-01-05 17:30（待核）"]},
        {"deadline": ["2027-01-05 17:30（待核）", "2027-01-05 17:30"]},
    ]
    with world.db.read() as s:
        incident = s.get_one(Incident, open_id)
        notes = [e.note for e in incident.events if e.kind is IncidentEventKind.NOTE]
        assert notes[-1] == "按新日历重算办理时限：2027-01-05 17:30（待核） → 2027-01-05 17:30"
        assert incident.warning_at is not None
        assert incident.received_at < incident.warning_at < incident.deadline_at

    # A day after the deadline changes nothing: nothing counted, nothing recorded.
    with world.db.write() as s:
        _entry, moved = calendar_changes.set_day(
            s, admin, date(2027, 10, 1), CalendarDayKind.HOLIDAY, "国庆节"
        )
    assert moved == 0
    assert len(recounts(world, open_id)) == 2

    # Removing the holiday again brings the deadline back.
    with world.db.write() as s:
        moved = calendar_changes.remove_day(s, admin, date(2027, 1, 1))
    assert moved == 1
    assert deadline_of(world, open_id) == (local(date(2027, 1, 4), 17, 30), False)


def test_an_imported_year_moves_the_deadlines_it_reaches(world: World, admin: Actor) -> None:
    # Received Thu 31 Dec 2026, ten working days: on weekends alone Thu 14 Jan 2027, uncertain.
    world.clock.set(local(date(2026, 12, 31), 9))
    incident_id = triaged(world, "linked")
    assert deadline_of(world, incident_id) == (local(date(2027, 1, 14), 17, 30), True)
    days = [
        (date(2027, 1, 1), CalendarDayKind.HOLIDAY, "元旦"),
        (date(2027, 1, 11), CalendarDayKind.HOLIDAY, "测试假日"),
        (date(2027, 1, 12), CalendarDayKind.HOLIDAY, "测试假日"),
        (date(2027, 10, 1), CalendarDayKind.HOLIDAY, "国庆节"),
    ]
    with world.db.write() as s:
        years, moved = calendar_changes.replace_years(s, admin, days, "测试通知")
    assert (years, moved) == ([2027], 1)
    # 4-8, 13-15, 18 and 19 Jan: the tenth working day, and the year is now complete.
    assert deadline_of(world, incident_id) == (local(date(2027, 1, 19), 17, 30), False)
    assert calendar_changes.followed_message(moved) == "已按新日历重算 1 件未办结事件的办理时限。"
    assert calendar_changes.followed_message(0) == ""


def test_a_calendar_workbook_import_reports_the_deadlines_it_moved(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    world.clock.set(local(date(2026, 12, 28), 9))
    incident_id = triaged(world)
    path = workbook(
        tmp_path / "2027.xlsx",
        [["日期", "类别", "名称"], [date(2027, 1, 1), "法定节假日", "元旦"]],
        sheet="节假日安排",
    )
    trial = run_import(world.db, admin, "calendar", path, source="2027年安排", dry_run=True)
    assert trial.notes == []
    assert deadline_of(world, incident_id) == (local(date(2027, 1, 4), 17, 30), True)
    report = run_import(world.db, admin, "calendar", path, source="2027年安排")
    assert report.notes == ["已按新日历重算 1 件未办结事件的办理时限。"]
    assert deadline_of(world, incident_id) == (local(date(2027, 1, 5), 17, 30), False)
