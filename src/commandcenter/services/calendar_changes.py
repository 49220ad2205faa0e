"""Changes to the working calendar made for a user, each followed by the open deadlines.

The calendar itself (work_calendar) sits below the incidents, which count on it, so it cannot
recount their deadlines; the deadlines module should not own calendar editing either. Every
front end (the calendar tab, the Excel import, the CLI) changes the calendar through these
functions, so none can leave a deadline counted on the calendar as it was. Each returns what
the calendar service returns and how many open incidents' deadlines changed.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from commandcenter.db.models import CalendarDay, CalendarDayKind
from commandcenter.services import work_calendar
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import deadlines


def followed_message(moved: int) -> str:
    """What the operator is told after a change; empty when no deadline moved."""
    return f"已按新日历重算 {moved} 件未办结事件的办理时限。" if moved else ""


def load_official_years(
    session: Session, actor: Actor, years: range | list[int]
) -> tuple[list[int], int]:
    loaded = work_calendar.load_official_years(session, actor, years)
    return loaded, deadlines.follow_calendar(session, actor, loaded)


def set_day(
    session: Session, actor: Actor, day: date, kind: CalendarDayKind, name: str
) -> tuple[CalendarDay, int]:
    entry = work_calendar.set_day(session, actor, day, kind, name)
    return entry, deadlines.follow_calendar(session, actor, [day.year])


def remove_day(session: Session, actor: Actor, day: date) -> int:
    work_calendar.remove_day(session, actor, day)
    return deadlines.follow_calendar(session, actor, [day.year])


def mark_year_complete(session: Session, actor: Actor, year: int, source: str) -> int:
    work_calendar.mark_year_complete(session, actor, year, source)
    return deadlines.follow_calendar(session, actor, [year])


def replace_years(
    session: Session, actor: Actor, days: list[tuple[date, CalendarDayKind, str]], source: str
) -> tuple[list[int], int]:
    covered = work_calendar.replace_years(session, actor, days, source)
    return covered, deadlines.follow_calendar(session, actor, covered)
