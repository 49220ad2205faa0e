"""Working-day deadlines on the official calendar (R7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from commandcenter import timeutil
from commandcenter.db.engine import Database
from commandcenter.db.models import CalendarDay
from commandcenter.services import work_calendar
from commandcenter.services.actor import Actor
from commandcenter.services.work_calendar import WorkCalendar


def _calendar(db: Database, admin: Actor) -> WorkCalendar:
    with db.write() as s:
        loaded = work_calendar.load_official_years(s, admin, range(2024, 2027))
    assert loaded == [2024, 2025, 2026]
    with db.read() as s:
        return WorkCalendar.load(s)


def test_national_day_and_make_up_saturday(db: Database, admin: Actor) -> None:
    cal = _calendar(db, admin)
    start = timeutil.local_datetime(date(2026, 9, 30), time(10))
    deadline = cal.add_working_days(start, 3)
    # 1-7 October are holidays; 8 and 9 October and Saturday 10 October (调休) are working days.
    assert timeutil.local_date(deadline.at) == date(2026, 10, 10)
    assert timeutil.to_local(deadline.at).time() == work_calendar.END_OF_WORKING_DAY
    assert not deadline.uncertain
    assert not cal.is_working_day(date(2026, 10, 1))
    assert cal.is_working_day(date(2026, 10, 10))


def test_year_without_data_is_uncertain_not_guessed(db: Database, admin: Actor) -> None:
    cal = _calendar(db, admin)
    deadline = cal.add_working_days(timeutil.local_datetime(date(2026, 12, 29), time(9)), 5)
    assert deadline.uncertain


def test_day_boundary_is_beijing_time(db: Database, admin: Actor) -> None:
    cal = _calendar(db, admin)
    # 2026-11-20 17:00 UTC is already Saturday 21 November 01:00 in Beijing.
    late_friday_utc = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    deadline = cal.add_working_days(late_friday_utc, 1)
    assert timeutil.local_date(deadline.at) == date(2026, 11, 23)


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 11, 30)),
    days=st.integers(min_value=1, max_value=20),
)
def test_deadline_is_the_nth_working_day(start: date, days: int) -> None:
    cal = _official()
    deadline = cal.add_working_days(timeutil.local_datetime(start, time(9)), days)
    end = timeutil.local_date(deadline.at)
    assert cal.is_working_day(end)
    counted = sum(
        cal.is_working_day(start + timedelta(days=k)) for k in range(1, (end - start).days + 1)
    )
    assert counted == days


_CACHED: list[WorkCalendar] = []


def _official() -> WorkCalendar:
    """The package's calendar without a database, for the property test."""
    if not _CACHED:
        from chinese_calendar import constants

        cal = WorkCalendar(known_years={2024, 2025, 2026})
        cal.holidays = {d: "" for d in constants.holidays if 2024 <= d.year <= 2026}
        cal.workdays = {d for d in constants.workdays if 2024 <= d.year <= 2026}
        _CACHED.append(cal)
    return _CACHED[0]


def test_a_calendar_read_again_after_a_change_counts_the_change(db: Database, admin: Actor) -> None:
    # Calendars with the same days share their year tables; a changed day must not reuse them.
    cal = _calendar(db, admin)
    first, last = date(2026, 11, 1), date(2026, 11, 30)
    before = cal.working_days_between(first, last)
    with db.write() as s:
        work_calendar.set_day(
            s, admin, date(2026, 11, 18), work_calendar.CalendarDayKind.HOLIDAY, "测试假日"
        )
    with db.read() as s:
        assert WorkCalendar.load(s).working_days_between(first, last) == before - 1
        assert WorkCalendar.load(s)._before is not cal._before
    with db.write() as s:
        work_calendar.remove_day(s, admin, date(2026, 11, 18))
    with db.read() as s:
        again = WorkCalendar.load(s)
    assert again.working_days_between(first, last) == before
    assert again._before is cal._before  # the same days: the tables already built


def test_lists_keep_the_calendar_a_minute_and_see_this_workstations_edits_at_once(
    db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    holiday = date(2026, 11, 18)
    with db.read() as s:
        shown = work_calendar.for_display(s)
        assert work_calendar.for_display(s) is shown and holiday not in shown.holidays
    with db.write() as s:
        work_calendar.set_day(s, admin, holiday, work_calendar.CalendarDayKind.HOLIDAY, "测试假日")
        assert holiday in work_calendar.for_display(s).holidays  # read inside the edit
    with db.read() as s:
        assert holiday in work_calendar.for_display(s).holidays  # and again once it committed

    # Another workstation's edit (here straight in the database) shows within the minute.
    with db.write() as s:
        s.execute(delete(CalendarDay).where(CalendarDay.day == holiday))
    with db.read() as s:
        assert holiday in work_calendar.for_display(s).holidays
        later = work_calendar.monotonic() + work_calendar.SHOWN_MAX_AGE
        monkeypatch.setattr(work_calendar, "monotonic", lambda: later)
        assert holiday not in work_calendar.for_display(s).holidays
        assert holiday not in WorkCalendar.load(s).holidays  # deadlines always read afresh
