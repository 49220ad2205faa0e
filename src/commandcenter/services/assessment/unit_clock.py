"""The unit's clock for the agency assessment: dispatch → acceptance → report, against the unit
deadline of the dispatch.

The lead unit (主办) runs on the incident's own acceptance and report. A co-operating unit (协办)
runs on its own part: when it signed for its part and when it reported it, so a department that
reported its share late is late even when the lead unit was on time, and the other way round. A
part the centre waived asks nothing of the unit and is left out. Units that co-handled before
the parts existed were given parts that follow the lead unit's times (migration 0014), so their
past figures stay as they were.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select, union
from sqlalchemy.orm import Session

from commandcenter.db.models import (
    Incident,
    IncidentPart,
    IncidentStatus,
    IncidentUnit,
    PartState,
)
from commandcenter.services.statistics import LEFT_STATUSES, Period


@dataclass(frozen=True)
class Clock:
    """One unit's clock on one incident."""

    unit_id: int
    number: str
    title: str
    dispatched_at: datetime | None
    deadline: datetime | None  # the incident's unit deadline
    status: IncidentStatus
    accepted_at: datetime | None
    reported_at: datetime | None
    own_part: bool  # a co-operating unit's own part, not the incident's

    @property
    def stayed(self) -> bool:
        """Still the street's: a merged, transferred or referred one left it."""
        return self.status not in LEFT_STATUSES

    def reported_in(self, p: Period) -> bool:
        return self.stayed and self.reported_at is not None and p.start <= self.reported_at < p.end

    def on_time(self) -> bool:
        return (
            self.deadline is not None
            and self.reported_at is not None
            and self.reported_at <= self.deadline
        )

    def overdue_in(self, p: Period, now: datetime) -> bool:
        """Its deadline fell in the period (up to *now*) before its report."""
        cutoff = min(p.end, now)
        return (
            self.stayed
            and self.deadline is not None
            and p.start <= self.deadline < cutoff
            and (self.reported_at is None or self.reported_at > self.deadline)
        )

    def overdue_open(self, p: Period, now: datetime) -> bool:
        """Overdue in the period and not reported within it: it weighs on the on-time rate."""
        cutoff = min(p.end, now)
        return self.overdue_in(p, now) and (self.reported_at is None or self.reported_at >= cutoff)

    def counted_for_rate(self, p: Period, now: datetime) -> bool:
        return self.reported_in(p) or self.overdue_open(p, now)

    def accepted_after_dispatch_in(self, p: Period) -> bool:
        d = self.dispatched_at
        return d is not None and p.start <= d < p.end and self.accepted_at is not None


_SHARED = "unit_clock.shared"


@contextmanager
def shared(s: Session) -> Iterator[None]:
    """Within the block, ``clocks`` reads each units' and period's clocks once for all the
    figures computed from them (the block must not change incidents)."""
    s.info[_SHARED] = {}
    try:
        yield
    finally:
        del s.info[_SHARED]


def clocks(s: Session, ids: Sequence[int], p: Period) -> list[Clock]:
    """Every clock of the units *ids* that can touch period *p*: reported in it, due in it, or
    dispatched in it; in dispatch order."""
    cache: dict[tuple[tuple[int, ...], date, date], list[Clock]] | None = s.info.get(_SHARED)
    if cache is None:
        return _read(s, ids, p)
    key = (tuple(ids), p.first, p.last)
    if key not in cache:
        cache[key] = _read(s, ids, p)
    return cache[key]


def _read(s: Session, ids: Sequence[int], p: Period) -> list[Clock]:
    part = IncidentPart
    # The incidents any of the four moments puts in the period, each found by its own index
    # (migration 0019); the units are then read by incident rather than all of each unit's.
    candidates = union(
        select(Incident.id).where(p.contains(Incident.reported_at)),
        select(Incident.id).where(p.contains(Incident.unit_deadline_at)),
        select(Incident.id).where(p.contains(Incident.dispatched_at)),
        select(part.incident_id).where(p.contains(part.reported_at)),
    )
    rows = s.execute(
        select(
            IncidentUnit.unit_id,
            Incident.number,
            Incident.title,
            Incident.dispatched_at,
            Incident.unit_deadline_at,
            Incident.status,
            Incident.accepted_at,
            Incident.reported_at,
            part.state,
            part.accepted_at,
            part.reported_at,
        )
        .join(Incident, IncidentUnit.incident_id == Incident.id)
        .outerjoin(
            part,
            and_(
                part.incident_id == IncidentUnit.incident_id, part.unit_id == IncidentUnit.unit_id
            ),
        )
        .where(
            Incident.id.in_(candidates),
            # "+ 0": tested on each row, not looked up once per unit in every incident's index
            # entries (the list holds every agency: that was most of the time).
            (IncidentUnit.unit_id + 0).in_(ids),
            or_(
                p.contains(Incident.reported_at),
                p.contains(part.reported_at),
                p.contains(Incident.unit_deadline_at),
                p.contains(Incident.dispatched_at),
            ),
        )
        .order_by(Incident.dispatched_at, Incident.id)
    )
    found = []
    for unit_id, number, title, dispatched, deadline, status, accepted, reported, *own in rows:
        state, own_accepted, own_reported = own
        if state is None:  # no part: the lead unit, on the incident's own times
            found.append(
                Clock(
                    unit_id, number, title, dispatched, deadline, status, accepted, reported, False
                )
            )
        elif state is not PartState.WAIVED:
            found.append(
                Clock(
                    unit_id, number, title, dispatched, deadline, status, own_accepted,
                    own_reported, True,
                )
            )  # fmt: skip
    return found
