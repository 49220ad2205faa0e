"""Time in one place: aware datetimes in UTC inside, Asia/Shanghai for days and years.

A command centre's "today", its deadlines and its yearly document numbers follow Beijing time
whatever zone the PC is set to, so nothing here reads the machine's local zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def to_local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every stored moment must be time-zone aware")
    return moment.astimezone(LOCAL_TZ)


def local_date(moment: datetime) -> date:
    """The calendar day in Beijing time on which *moment* falls."""
    return to_local(moment).date()


def today(moment: datetime | None = None) -> date:
    return local_date(moment or now())


def start_of_local_day(day: date) -> datetime:
    """The UTC instant at which *day* begins in Beijing time."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)


def end_of_local_day(day: date) -> datetime:
    return start_of_local_day(day + timedelta(days=1))


def local_datetime(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=LOCAL_TZ).astimezone(UTC)


def format_local(moment: datetime | None, with_time: bool = True) -> str:
    if moment is None:
        return ""
    local = to_local(moment)
    return local.strftime("%Y-%m-%d %H:%M") if with_time else local.strftime("%Y-%m-%d")


def chinese_date(day: date) -> str:
    """A date as official documents write it: 2026年11月22日."""
    return f"{day.year}年{day.month}月{day.day}日"
