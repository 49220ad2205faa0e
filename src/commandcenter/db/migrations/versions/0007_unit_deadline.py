"""the unit's own deadline: the incident's allowance counted from the dispatch

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 21:00:00

Every incident already dispatched gets its unit deadline: the item's allowance for its priority
plus approved extensions, counted on the working calendar from the dispatch. The counting below
is a frozen copy of the rules in services/work_calendar.py and services/incidents/deadlines.py
as they stood when this revision was written, so later changes there do not change what it did.
"""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from alembic import op

from commandcenter import timeutil
from commandcenter.db.models.base import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PERIODS = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))
_DEFAULT_LIMIT_DAYS = 5

_incidents = sa.table(
    "incidents",
    sa.column("id", sa.Integer),
    sa.column("item_id", sa.Integer),
    sa.column("priority", sa.String),
    sa.column("dispatched_at", UTCDateTime),
    sa.column("deadline_at", UTCDateTime),
    sa.column("unit_deadline_at", UTCDateTime),
)
_items = sa.table(
    "catalogue_items",
    sa.column("id", sa.Integer),
    sa.column("time_limit_days", sa.Integer),
    sa.column("time_limit_hours", sa.Integer),
)
_extensions = sa.table(
    "extensions",
    sa.column("incident_id", sa.Integer),
    sa.column("working_days", sa.Integer),
    sa.column("state", sa.String),
)
_days = sa.table("calendar_days", sa.column("day", sa.Date), sa.column("kind", sa.String))


class _Calendar:
    def __init__(self, holidays: set[date], workdays: set[date]) -> None:
        self.holidays, self.workdays = holidays, workdays

    def working(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day not in self.holidays and day.weekday() < 5

    def add_days(self, start: datetime, days: int) -> datetime:
        day, counted = timeutil.local_date(start), 0
        while counted < days:
            day += timedelta(days=1)
            counted += self.working(day)
        return timeutil.local_datetime(day, _PERIODS[-1][1])

    def add_hours(self, start: datetime, hours: int) -> datetime:
        day, moment, remaining = timeutil.local_date(start), start, hours * 3600.0
        while True:
            if self.working(day):
                for a, b in _PERIODS:
                    low = max(timeutil.local_datetime(day, a), moment)
                    high = timeutil.local_datetime(day, b)
                    if high <= low:
                        continue
                    available = (high - low).total_seconds()
                    if remaining <= available:
                        return low + timedelta(seconds=remaining)
                    remaining -= available
            day += timedelta(days=1)
            moment = timeutil.start_of_local_day(day)


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("unit_deadline_at", UTCDateTime(), nullable=True))
    bind = op.get_bind()
    holidays: set[date] = set()
    workdays: set[date] = set()
    for day, kind in bind.execute(sa.select(_days.c.day, _days.c.kind)):
        (holidays if kind == "holiday" else workdays).add(day)
    cal = _Calendar(holidays, workdays)
    limits = {
        item_id: (days, hours)
        for item_id, days, hours in bind.execute(
            sa.select(_items.c.id, _items.c.time_limit_days, _items.c.time_limit_hours)
        )
    }
    extra: dict[int, int] = {
        incident_id: int(total or 0)
        for incident_id, total in bind.execute(
            sa.select(_extensions.c.incident_id, sa.func.sum(_extensions.c.working_days))
            .where(_extensions.c.state == "approved")
            .group_by(_extensions.c.incident_id)
        )
    }
    rows = bind.execute(
        sa.select(
            _incidents.c.id, _incidents.c.item_id, _incidents.c.priority, _incidents.c.dispatched_at
        ).where(_incidents.c.dispatched_at.is_not(None), _incidents.c.deadline_at.is_not(None))
    ).all()
    for incident_id, item_id, priority, dispatched_at in rows:
        days, hours = limits.get(item_id, (None, None))
        days = days or _DEFAULT_LIMIT_DAYS
        if priority == "urgent":
            base = (
                cal.add_hours(dispatched_at, hours)
                if item_id is not None and hours
                else cal.add_days(dispatched_at, max(1, -(-days // 2)))
            )
        else:
            base = cal.add_days(dispatched_at, days)
        more = extra.get(incident_id, 0)
        bind.execute(
            sa.update(_incidents)
            .where(_incidents.c.id == incident_id)
            .values(unit_deadline_at=cal.add_days(base, more) if more else base)
        )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would drop the search
    # index's triggers on it.
    op.drop_column("incidents", "unit_deadline_at")
