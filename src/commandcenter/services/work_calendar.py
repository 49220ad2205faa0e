"""The working-day calendar (R7): holidays and make-up working days (调休).

Deadlines count working days. A year without calendar data is never guessed from weekends
alone: a deadline that reaches into such a year is marked uncertain.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import monotonic
from typing import Any

from sqlalchemy import Engine, delete, event, func, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import CalendarDay, CalendarDayKind, CalendarYear
from commandcenter.errors import ValidationError
from commandcenter.services import audit
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

# Office hours. A deadline of N working days ends when the office closes on the Nth working
# day; urgent items count working hours inside these periods.
WORKING_PERIODS = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))
END_OF_WORKING_DAY = WORKING_PERIODS[-1][1]
WORKING_DAY_SECONDS = sum(
    (datetime.combine(date.min, b) - datetime.combine(date.min, a)).total_seconds()
    for a, b in WORKING_PERIODS
)

_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@dataclass(frozen=True)
class Deadline:
    at: datetime
    uncertain: bool  # counted through a year with no calendar data


_SHARED_TABLES: dict[tuple[frozenset[date], frozenset[date]], dict[int, list[int]]] = {}


@dataclass
class WorkCalendar:
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: set[date] = field(default_factory=set)
    known_years: set[int] = field(default_factory=set)
    # Working days before each day of a year, so spans of any length count in constant time.
    _before: dict[int, list[int]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, session: Session) -> WorkCalendar:
        cal = cls(known_years=set(session.scalars(select(CalendarYear.year))))
        # Plain rows, not ORM objects: every list page with deadlines loads this.
        rows = session.execute(select(CalendarDay.day, CalendarDay.kind, CalendarDay.name))
        for day, kind, name in rows:
            if kind is CalendarDayKind.HOLIDAY:
                cal.holidays[day] = name or ""
            else:
                cal.workdays.add(day)
        # The year tables depend only on which days are off and on: calendars read again with
        # the same days share them, so a list page does not rebuild ten years of them.
        key = (frozenset(cal.holidays), frozenset(cal.workdays))
        if key not in _SHARED_TABLES and len(_SHARED_TABLES) >= 4:
            _SHARED_TABLES.clear()
        cal._before = _SHARED_TABLES.setdefault(key, {})
        return cal

    def is_known(self, day: date) -> bool:
        return day.year in self.known_years

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: datetime, days: int) -> Deadline:
        """The end of the *days*-th working day after the day *start* falls on (Beijing time)."""
        if days < 1:
            raise ValueError("a time limit counts at least one working day")
        day = timeutil.local_date(start)
        uncertain = not self.is_known(day)
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            uncertain = uncertain or not self.is_known(day)
            if self.is_working_day(day):
                counted += 1
        return Deadline(timeutil.local_datetime(day, END_OF_WORKING_DAY), uncertain)

    # --- working time -----------------------------------------------------------------------

    def _periods(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (timeutil.local_datetime(day, a), timeutil.local_datetime(day, b))
            for a, b in WORKING_PERIODS
        ]

    def _seconds_within(self, day: date, start: datetime, end: datetime) -> float:
        total = 0.0
        for a, b in self._periods(day):
            low, high = max(a, start), min(b, end)
            if high > low:
                total += (high - low).total_seconds()
        return total

    def _year_table(self, year: int) -> list[int]:
        """Working days of *year* before each of its days, and the year's total last."""
        table = self._before.get(year)
        if table is None:
            table, count = [], 0
            current = date(year, 1, 1)
            while current.year == year:
                table.append(count)
                count += self.is_working_day(current)
                current += timedelta(days=1)
            table.append(count)
            self._before[year] = table
        return table

    def working_days_between(self, first: date, last: date) -> int:
        """Working days from *first* up to, not including, *last* (0 when last <= first)."""
        if last <= first:
            return 0

        def before(day: date) -> int:
            return self._year_table(day.year)[day.timetuple().tm_yday - 1]

        if first.year == last.year:
            return before(last) - before(first)
        count = self._year_table(first.year)[-1] - before(first)
        for year in range(first.year + 1, last.year):
            count += self._year_table(year)[-1]
        return count + before(last)

    def working_seconds(self, start: datetime, end: datetime) -> float:
        """Office time between two moments; negative when *end* is before *start*."""
        if end < start:
            return -self.working_seconds(end, start)
        first, last = timeutil.local_date(start), timeutil.local_date(end)
        if first == last:
            return self._seconds_within(first, start, end)
        head = self._seconds_within(first, start, timeutil.end_of_local_day(first))
        tail = self._seconds_within(last, timeutil.start_of_local_day(last), end)
        middle = self.working_days_between(first + timedelta(days=1), last)
        return head + middle * WORKING_DAY_SECONDS + tail

    def add_working_seconds(self, start: datetime, seconds: float) -> Deadline:
        """The moment *seconds* of office time after *start*."""
        day = timeutil.local_date(start)
        uncertain = not self.is_known(day)
        remaining = seconds
        moment = start
        while True:
            for a, b in self._periods(day):
                low = max(a, moment)
                if b <= low:
                    continue
                available = (b - low).total_seconds()
                if remaining <= available:
                    return Deadline(low + timedelta(seconds=remaining), uncertain)
                remaining -= available
            day += timedelta(days=1)
            moment = timeutil.start_of_local_day(day)
            uncertain = uncertain or not self.is_known(day)

    def add_working_hours(self, start: datetime, hours: int) -> Deadline:
        if hours < 1:
            raise ValueError("a time limit counts at least one working hour")
        return self.add_working_seconds(start, hours * 3600)


# --- the calendar lists show ---------------------------------------------------------------

# Lists show each open incident's time left in working time. Reading the calendar's several
# hundred days costs more than reading a page of incidents, so what is only shown may use a
# calendar read up to a minute before: this workstation's own edits replace it as they commit,
# another workstation's within the minute. Deadlines are always counted on a fresh read.
SHOWN_MAX_AGE = 60.0
_shown: weakref.WeakKeyDictionary[Any, tuple[float, WorkCalendar]] = weakref.WeakKeyDictionary()


def for_display(session: Session) -> WorkCalendar:
    """The working calendar for what is only shown (time left in lists), read at most
    :data:`SHOWN_MAX_AGE` seconds ago."""
    database = _database(session)
    kept = _shown.get(database)
    if kept is not None and monotonic() - kept[0] < SHOWN_MAX_AGE:
        return kept[1]
    cal = WorkCalendar.load(session)
    _shown[database] = (monotonic(), cal)
    return cal


def _changed(session: Session) -> None:
    """The calendar is being edited: lists read it afresh now, and again once the edit commits
    (a list read in between would have kept the calendar as it was)."""
    database = _database(session)
    _shown.pop(database, None)
    event.listen(session, "after_commit", lambda _s: _shown.pop(database, None), once=True)


def _database(session: Session) -> Any:
    """What identifies the database a session reads: its engine's pool, which the engine's
    copies with other options (the write scopes') share."""
    bind = session.get_bind()
    return (bind if isinstance(bind, Engine) else bind.engine).pool


def official_years() -> list[int]:
    """The years the bundled State Council schedule covers."""
    from chinese_calendar import constants

    return sorted({d.year for d in constants.holidays})


def load_official_years(session: Session, actor: Actor, years: range | list[int]) -> list[int]:
    """Load the State Council schedule from the chinese-calendar package for *years*.

    Returns the years loaded; years the package does not cover are skipped, never invented.
    """
    require(actor, Action.EDIT_CALENDAR)
    _changed(session)
    import chinese_calendar
    from chinese_calendar import constants

    covered = {d.year for d in constants.holidays}
    loaded: list[int] = []
    for year in years:
        if year not in covered:
            continue
        first, last = date(year, 1, 1), date(year, 12, 31)
        session.execute(delete(CalendarDay).where(CalendarDay.day.between(first, last)))
        for day, name in constants.holidays.items():
            if day.year == year:
                session.add(
                    CalendarDay(
                        day=day, kind=CalendarDayKind.HOLIDAY, name=_HOLIDAY_NAMES.get(name, name)
                    )
                )
        for day, name in constants.workdays.items():
            if day.year == year:
                session.add(
                    CalendarDay(
                        day=day,
                        kind=CalendarDayKind.WORKDAY,
                        name=_HOLIDAY_NAMES.get(name, name) + "调休",
                    )
                )
        existing = session.get(CalendarYear, year)
        source = f"chinese-calendar {getattr(chinese_calendar, '__version__', '')}".strip()
        if existing is None:
            session.add(CalendarYear(year=year, source=source, loaded_at=timeutil.now()))
        else:
            existing.source, existing.loaded_at = source, timeutil.now()
        loaded.append(year)
    if loaded:
        audit.record(
            session,
            actor,
            "calendar.load",
            f"载入 {loaded[0]}–{loaded[-1]} 年国务院节假日安排（{len(loaded)} 年）",
        )
    return loaded


# --- keeping the calendar by hand -----------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    year: int
    known: bool  # the whole year's schedule is in: deadlines through it are certain
    source: str
    holidays: int
    workdays: int


def years(session: Session, actor: Actor) -> list[YearRow]:
    """Every year with calendar days or marked complete, newest first."""
    require(actor, Action.VIEW)
    known = {y.year: y for y in session.scalars(select(CalendarYear))}
    counts: dict[int, list[int]] = {}
    for day in session.scalars(select(CalendarDay)):
        pair = counts.setdefault(day.day.year, [0, 0])
        pair[0 if day.kind is CalendarDayKind.HOLIDAY else 1] += 1
    rows = []
    for year in sorted(set(known) | set(counts), reverse=True):
        holidays, workdays = counts.get(year, [0, 0])
        entry = known.get(year)
        rows.append(
            YearRow(year, entry is not None, entry.source if entry else "", holidays, workdays)
        )
    return rows


def days_of(session: Session, actor: Actor, year: int) -> list[CalendarDay]:
    require(actor, Action.VIEW)
    return list(
        session.scalars(
            select(CalendarDay)
            .where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
            .order_by(CalendarDay.day)
        )
    )


def day_problem(day: date, kind: CalendarDayKind) -> str | None:
    """Why *day* cannot be of *kind*, or None: a make-up working day falls on a weekend."""
    if kind is CalendarDayKind.WORKDAY and day.weekday() < 5:
        return f"{day.isoformat()} 本来就是工作日，不能设为调休上班日（调休上班日应为周六或周日）。"
    return None


def set_day(
    session: Session, actor: Actor, day: date, kind: CalendarDayKind, name: str
) -> CalendarDay:
    """Add or change one holiday or make-up working day."""
    require(actor, Action.EDIT_CALENDAR)
    _changed(session)
    problem = day_problem(day, kind)
    if problem:
        raise ValidationError(problem, "day")
    label = (name or "").strip()[:50]
    if not label:
        raise ValidationError("请填写名称，例如“春节”或“春节调休”。", "name")
    entry = session.get(CalendarDay, day)
    before = (entry.kind.label, entry.name) if entry else None
    if entry is None:
        entry = CalendarDay(day=day, kind=kind, name=label)
        session.add(entry)
    else:
        entry.kind, entry.name = kind, label
    audit.record(
        session,
        actor,
        "calendar.day",
        f"{day.isoformat()} 设为{kind.label}（{label}）",
        changes={"before": before, "after": [kind.label, label]},
    )
    return entry


def remove_day(session: Session, actor: Actor, day: date) -> None:
    require(actor, Action.EDIT_CALENDAR)
    _changed(session)
    entry = session.get(CalendarDay, day)
    if entry is None:
        raise ValidationError(f"{day.isoformat()} 不是节假日或调休上班日。", "day")
    session.delete(entry)
    audit.record(
        session, actor, "calendar.day", f"删除 {day.isoformat()}（{entry.kind.label} {entry.name}）"
    )


def mark_year_complete(session: Session, actor: Actor, year: int, source: str) -> None:
    """Declare *year*'s schedule complete: from now on deadlines through it are certain."""
    require(actor, Action.EDIT_CALENDAR)
    _changed(session)
    text = (source or "").strip()
    if not text:
        raise ValidationError(
            "请注明依据，例如“国务院办公厅关于2027年部分节假日安排的通知”。", "source"
        )
    holidays = session.scalar(
        select(func.count())
        .select_from(CalendarDay)
        .where(
            CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)),
            CalendarDay.kind == CalendarDayKind.HOLIDAY,
        )
    )
    if not holidays:
        raise ValidationError(f"{year} 年还没有录入任何法定节假日，不能确认为完整。", "year")
    entry = session.get(CalendarYear, year)
    if entry is None:
        session.add(CalendarYear(year=year, source=text[:200], loaded_at=timeutil.now()))
    else:
        entry.source, entry.loaded_at = text[:200], timeutil.now()
    audit.record(session, actor, "calendar.year", f"确认 {year} 年节假日安排完整（{text}）")


def replace_years(
    session: Session, actor: Actor, days: list[tuple[date, CalendarDayKind, str]], source: str
) -> list[int]:
    """Put *days* in place of everything recorded for their years, and mark those years
    complete (an imported State Council schedule)."""
    require(actor, Action.EDIT_CALENDAR)
    _changed(session)
    covered = sorted({d.year for d, _kind, _name in days})
    for year in covered:
        session.execute(
            delete(CalendarDay).where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
        )
    for day, kind, name in days:
        session.add(CalendarDay(day=day, kind=kind, name=name))
    for year in covered:
        entry = session.get(CalendarYear, year)
        if entry is None:
            session.add(CalendarYear(year=year, source=source[:200], loaded_at=timeutil.now()))
        else:
            entry.source, entry.loaded_at = source[:200], timeutil.now()
    audit.record(
        session,
        actor,
        "calendar.import",
        f"导入 {'、'.join(map(str, covered))} 年节假日安排（{len(days)} 天，{source}）",
    )
    return covered


def days_for_export(session: Session, actor: Actor) -> list[CalendarDay]:
    """Every day recorded in the calendar, in order."""
    require(actor, Action.VIEW)
    return list(session.scalars(select(CalendarDay).order_by(CalendarDay.day)))
