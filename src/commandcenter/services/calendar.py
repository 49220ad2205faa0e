"""The working-day calendar (R7): holidays and make-up working days (调休).

Deadlines count working days. A year without calendar data is never guessed from weekends
alone: a deadline that reaches into such a year is marked uncertain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import CalendarDay, CalendarDayKind, CalendarYear
from commandcenter.services import audit
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

# A deadline of N working days ends when the office closes on the Nth working day.
END_OF_WORKING_DAY = time(17, 30)

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


@dataclass
class WorkCalendar:
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: set[date] = field(default_factory=set)
    known_years: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, session: Session) -> WorkCalendar:
        cal = cls(known_years=set(session.scalars(select(CalendarYear.year))))
        for day in session.scalars(select(CalendarDay)):
            if day.kind is CalendarDayKind.HOLIDAY:
                cal.holidays[day.day] = day.name or ""
            else:
                cal.workdays.add(day.day)
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


def load_official_years(session: Session, actor: Actor, years: range | list[int]) -> list[int]:
    """Load the State Council schedule from the chinese-calendar package for *years*.

    Returns the years loaded; years the package does not cover are skipped, never invented.
    """
    require(actor, Action.EDIT_CALENDAR)
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
