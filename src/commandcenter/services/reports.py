"""The cadence reports' figures: 周例会 (a week), 月通报 (a month) and 季汇总 (a quarter) share
one shape.

Everything is counted with the conditions in :mod:`statistics`, so the bulletin, the red/green
ranking and the assessment sheets agree to the incident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    CatalogueItem,
    Channel,
    Grid,
    Incident,
    IncidentStatus,
    Plan,
    Supervision,
    WhistleCall,
)
from commandcenter.services import settings
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require
from commandcenter.services.statistics import (
    Period,
    RankedUnit,
    UnitFigures,
    closed_in,
    closed_on_time,
    count_incidents,
    month_period,
    overdue_in,
    plans_carried_out,
    quarter_period,
    rate,
    received_in,
    red_green,
    unit_figures,
    week_period,
)

TOP = 10  # items and grids shown by name; the rest are summed as 其他


@dataclass(frozen=True)
class TrendPoint:
    label: str
    received: int
    on_time_rate: float | None


@dataclass(frozen=True)
class PeriodReport:
    kind: str  # 周例会, 月通报 or 季汇总
    centre_name: str
    period: Period
    previous: Period
    received: int
    received_before: int  # in the previous period, for 环比
    closed: int
    closed_on_time: int
    overdue: int
    supervisions: int
    whistle_calls: int
    plans_done: int
    by_channel: list[tuple[str, int]]
    by_status: list[tuple[str, int]]  # where the period's incidents stand now
    by_item: list[tuple[str, int]]
    by_grid: list[tuple[str, int]]
    units: list[UnitFigures]
    ranking: list[RankedUnit]
    trend: list[TrendPoint]

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.closed_on_time, self.closed)

    @property
    def change(self) -> float | None:
        """环比: the change in incidents received against the previous period."""
        return rate(self.received - self.received_before, self.received_before)


def _top(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    rows = sorted(rows, key=lambda r: (-r[1], r[0]))
    if len(rows) <= TOP:
        return rows
    return [*rows[:TOP], ("其他", sum(n for _, n in rows[TOP:]))]


def _shifted(period: Period, back: int) -> Period:
    """The period of the same kind (week, month or quarter) *back* periods before *period*."""
    if (period.last - period.first).days == 6:  # a week
        return week_period(period.first - timedelta(weeks=back))
    quarter = (period.last.month - period.first.month) % 12 == 2
    months = back * (3 if quarter else 1)
    year, month = period.first.year, period.first.month - months
    while month < 1:
        year, month = year - 1, month + 12
    if quarter:
        return quarter_period(year, (month - 1) // 3 + 1)
    return month_period(year, month)


def period_report(
    session: Session, actor: Actor, period: Period, kind: str, now: datetime | None = None
) -> PeriodReport:
    require(actor, Action.VIEW)
    moment = now or timeutil.now()
    previous = _shifted(period, 1)
    received = received_in(period)
    by_channel = dict(
        session.execute(
            select(Incident.channel, func.count()).where(received).group_by(Incident.channel)
        ).all()
    )
    by_status = dict(
        session.execute(
            select(Incident.status, func.count()).where(received).group_by(Incident.status)
        ).all()
    )
    by_item = session.execute(
        select(CatalogueItem.name, func.count())
        .select_from(Incident)
        .join(CatalogueItem, Incident.item_id == CatalogueItem.id)
        .where(received)
        .group_by(CatalogueItem.name)
    ).all()
    by_grid = session.execute(
        select(Grid.name, func.count())
        .select_from(Incident)
        .join(Grid, Incident.grid_id == Grid.id)
        .where(received)
        .group_by(Grid.name)
    ).all()
    units = unit_figures(session, period, moment)
    trend = []
    for back in range(5, -1, -1):
        p = _shifted(period, back) if back else period
        closed = count_incidents(session, closed_in(p))
        trend.append(
            TrendPoint(
                p.label.replace(f"{p.first.year}年", f"{p.first.year % 100}年"),
                count_incidents(session, received_in(p)),
                rate(count_incidents(session, closed_in(p), closed_on_time()), closed),
            )
        )
    return PeriodReport(
        kind=kind,
        centre_name=settings.load(session).centre_name,
        period=period,
        previous=previous,
        received=count_incidents(session, received),
        received_before=count_incidents(session, received_in(previous)),
        closed=count_incidents(session, closed_in(period)),
        closed_on_time=count_incidents(session, closed_in(period), closed_on_time()),
        overdue=count_incidents(session, overdue_in(period, moment)),
        supervisions=int(
            session.scalar(
                select(func.count(Supervision.id)).where(period.contains(Supervision.issued_at))
            )
            or 0
        ),
        whistle_calls=int(
            session.scalar(
                select(func.count(WhistleCall.id)).where(period.contains(WhistleCall.called_at))
            )
            or 0
        ),
        plans_done=int(
            session.scalar(select(func.count(Plan.id)).where(plans_carried_out(period))) or 0
        ),
        by_channel=[(c.label, by_channel.get(c, 0)) for c in Channel],
        by_status=[(st.label, by_status[st]) for st in IncidentStatus if st in by_status],
        by_item=_top([(name, int(n)) for name, n in by_item]),
        by_grid=_top([(name, int(n)) for name, n in by_grid]),
        units=units,
        ranking=red_green(units),
        trend=trend,
    )


def monthly(
    session: Session, actor: Actor, year: int, month: int, now: datetime | None = None
) -> PeriodReport:
    return period_report(session, actor, month_period(year, month), "月通报", now)


def quarterly(
    session: Session, actor: Actor, year: int, quarter: int, now: datetime | None = None
) -> PeriodReport:
    return period_report(session, actor, quarter_period(year, quarter), "季汇总", now)


def monthly_for_paper(session: Session, actor: Actor, year: int, month: int) -> PeriodReport:
    """The 月通报 as printed."""
    require(actor, Action.PRINT_DOCUMENT)
    return monthly(session, actor, year, month)


def quarterly_for_paper(session: Session, actor: Actor, year: int, quarter: int) -> PeriodReport:
    """The 季汇总 as printed."""
    require(actor, Action.PRINT_DOCUMENT)
    return quarterly(session, actor, year, quarter)
