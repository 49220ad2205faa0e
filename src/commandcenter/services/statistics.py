"""The figures every report shares: periods on Beijing days, per-unit incident counts, the
street's figures and rate, periods compared (环比, 同比) and the joint operations' figures.

Rankings, the cadence reports and the assessment sheets all count with the conditions defined
here, so a rate is the same number wherever it is printed. Each condition is a SQL expression,
which also lists the incidents behind a figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, union
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    CatalogueItem,
    Incident,
    IncidentReturn,
    IncidentStatus,
    IncidentUnit,
    InspectionResult,
    Plan,
    PlanStatus,
    PlanTarget,
    Priority,
    ReturnRuling,
    Supervision,
    Unit,
    UnitKind,
    plan_departments,
)
from commandcenter.db.models.joint_operations import plan_items
from commandcenter.services.work_calendar import WorkCalendar

# Incidents that left the street's hands: they are neither on time nor late for it.
LEFT_STATUSES = (IncidentStatus.MERGED, IncidentStatus.TRANSFERRED, IncidentStatus.REFERRED)
# The units the centre dispatches to and ranks.
RANKED_KINDS = (UnitKind.SQUAD, UnitKind.AGENCY)


@dataclass(frozen=True)
class Period:
    """Whole Beijing days from *first* to *last*, inclusive."""

    first: date
    last: date
    label: str

    # Cached: the assessment tests tens of thousands of clocks against one period.
    @cached_property
    def start(self) -> datetime:
        return timeutil.start_of_local_day(self.first)

    @cached_property
    def end(self) -> datetime:
        return timeutil.end_of_local_day(self.last)

    @property
    def text(self) -> str:
        return f"{timeutil.chinese_date(self.first)}至{timeutil.chinese_date(self.last)}"

    def contains(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= self.start, column < self.end)

    def cut_at(self, day: date) -> Period:
        """The part of the period up to *day* (a year still running)."""
        return Period(self.first, min(self.last, max(day, self.first)), self.label)


def day_period(day: date) -> Period:
    return Period(day, day, timeutil.chinese_date(day))


def week_period(day: date) -> Period:
    """Monday to Sunday around *day*."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6), f"{monday.month}月{monday.day}日当周")


def month_period(year: int, month: int) -> Period:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return Period(first, following - timedelta(days=1), f"{year}年{month}月")


def quarter_period(year: int, quarter: int) -> Period:
    if not 1 <= quarter <= 4:
        raise ValueError(quarter)
    first = month_period(year, 3 * quarter - 2).first
    last = month_period(year, 3 * quarter).last
    return Period(first, last, f"{year}年第{'一二三四'[quarter - 1]}季度")


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), f"{year}年度")


def months_of(period: Period) -> list[Period]:
    months = []
    year, month = period.first.year, period.first.month
    while date(year, month, 1) <= period.last:
        months.append(month_period(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# --- conditions -----------------------------------------------------------------------------


def received_in(period: Period) -> ColumnElement[bool]:
    """Received in the period; a merged repeat call counts once, on the incident kept."""
    return and_(period.contains(Incident.received_at), Incident.status != IncidentStatus.MERGED)


def closed_in(period: Period) -> ColumnElement[bool]:
    return and_(Incident.status == IncidentStatus.CLOSED, period.contains(Incident.closed_at))


def closed_on_time() -> ColumnElement[bool]:
    return and_(Incident.deadline_at.is_not(None), Incident.closed_at <= Incident.deadline_at)


def overdue_in(period: Period, now: datetime) -> ColumnElement[bool]:
    """Due in the period (up to *now*) and not closed by the deadline."""
    cutoff = min(period.end, now)
    return and_(
        Incident.deadline_at >= period.start,
        Incident.deadline_at < cutoff,
        Incident.status.not_in(LEFT_STATUSES),
        or_(Incident.closed_at.is_(None), Incident.closed_at > Incident.deadline_at),
    )


# The unit's clock: from the dispatch to the unit's report-back (反馈), against the unit's own
# deadline (the incident's allowance counted from the dispatch). The centre's time before the
# dispatch and its verification after the report are not the unit's.


def unit_reported_in(period: Period) -> ColumnElement[bool]:
    """Reported back by the unit in the period (a merged or transferred one left the street)."""
    return and_(period.contains(Incident.reported_at), Incident.status.not_in(LEFT_STATUSES))


def unit_on_time() -> ColumnElement[bool]:
    """Reported back by the unit's own deadline."""
    return and_(
        Incident.unit_deadline_at.is_not(None), Incident.reported_at <= Incident.unit_deadline_at
    )


def unit_overdue_in(period: Period, now: datetime) -> ColumnElement[bool]:
    """The unit's deadline fell in the period (up to *now*) and it had not reported by it."""
    cutoff = min(period.end, now)
    return and_(
        Incident.unit_deadline_at >= period.start,
        Incident.unit_deadline_at < cutoff,
        Incident.status.not_in(LEFT_STATUSES),
        or_(Incident.reported_at.is_(None), Incident.reported_at > Incident.unit_deadline_at),
    )


def unit_overdue_open(period: Period, now: datetime) -> ColumnElement[bool]:
    """Overdue for the unit in the period and not reported within it: a case its report count
    does not already hold, so it weighs on the unit's on-time rate."""
    cutoff = min(period.end, now)
    return and_(
        unit_overdue_in(period, now),
        or_(Incident.reported_at.is_(None), Incident.reported_at >= cutoff),
    )


def upheld_returns_in(period: Period) -> ColumnElement[bool]:
    """Returns in the period the centre ruled the unit should have kept (维持原派单). A return
    ruled for a new dispatch was the centre's misrouting; one not yet ruled is not judged."""
    return and_(
        period.contains(IncidentReturn.returned_at), IncidentReturn.ruling == ReturnRuling.UPHELD
    )


def plans_carried_out(period: Period) -> ColumnElement[bool]:
    """Joint operations carried out (done or summarised) on a day of the period."""
    return and_(
        Plan.status.in_((PlanStatus.DONE, PlanStatus.SUMMARISED)),
        Plan.planned_on >= period.first,
        Plan.planned_on <= period.last,
    )


def count_incidents(session: Session, *where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count(Incident.id)).where(*where)) or 0)


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


# --- per-unit figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFigures:
    """A unit's incidents on its own clock (dispatch to report-back, against its deadline)."""

    unit_id: int
    unit: str
    kind: UnitKind
    received: int
    reported: int  # reported back in the period
    reported_on_time: int  # ... by the unit's deadline
    overdue: int  # the unit's deadline fell in the period and it had not reported by it
    overdue_open: int  # ... and had not reported within the period either
    returns: int  # returns the centre upheld (the agency sheet's 退回派单数)
    supervisions: int

    @property
    def on_time_rate(self) -> float | None:
        """On-time reports over reports plus the cases still overdue without one, so a unit
        sitting on an overdue case cannot show 100 %."""
        return rate(self.reported_on_time, self.reported + self.overdue_open)


def ranked_units(session: Session) -> list[Unit]:
    return list(
        session.scalars(
            select(Unit)
            .where(Unit.kind.in_(RANKED_KINDS), Unit.active.is_(True))
            .order_by(Unit.kind.desc(), Unit.sort_order, Unit.id)
        )
    )


def _by_unit(session: Session, column: object, *where: ColumnElement[bool]) -> dict[int, int]:
    rows = session.execute(
        select(column, func.count()).where(*where).group_by(column)  # type: ignore[call-overload]
    )
    return {unit_id: int(n) for unit_id, n in rows if unit_id is not None}


def handled_by(unit_id: object) -> ColumnElement[bool]:
    """Incidents a unit handled, as lead (主办) or co-operating unit (协办)."""
    return Incident.id.in_(select(IncidentUnit.incident_id).where(IncidentUnit.unit_id == unit_id))


def _handled(
    session: Session,
    candidates: Sequence[Select[Any]],
    conditions: Sequence[ColumnElement[bool]],
) -> list[dict[int, int]]:
    """Per unit, the incidents it led or co-handled meeting each of *conditions*, in one
    statement over the incidents meeting any of them. *candidates* select the ids of a set of
    incidents holding them all, each through an index, so the units are read by incident
    rather than all of each unit's."""
    rows = session.execute(
        select(IncidentUnit.unit_id, *(func.sum(case((c, 1), else_=0)) for c in conditions))
        .join(Incident, IncidentUnit.incident_id == Incident.id)
        .where(Incident.id.in_(union(*candidates)), or_(*conditions))
        .group_by(IncidentUnit.unit_id)
    ).all()
    return [{row[0]: int(row[n + 1]) for row in rows if row[n + 1]} for n in range(len(conditions))]


def unit_figures(session: Session, period: Period, now: datetime) -> list[UnitFigures]:
    """Each ranked unit's incidents in *period*, led or co-handled by it, in the units' order;
    a co-operating unit shares the lead's dispatch and report."""
    received, reported, on_time, overdue, overdue_open = _handled(
        session,
        [
            select(Incident.id).where(period.contains(Incident.received_at)),
            select(Incident.id).where(period.contains(Incident.reported_at)),
            select(Incident.id).where(period.contains(Incident.unit_deadline_at)),
        ],
        [
            received_in(period),
            unit_reported_in(period),
            and_(unit_reported_in(period), unit_on_time()),
            unit_overdue_in(period, now),
            unit_overdue_open(period, now),
        ],
    )
    returns = _by_unit(session, IncidentReturn.unit_id, upheld_returns_in(period))
    supervisions = _by_unit(session, Supervision.unit_id, period.contains(Supervision.issued_at))
    return [
        UnitFigures(
            unit_id=u.id,
            unit=u.short_name,
            kind=u.kind,
            received=received.get(u.id, 0),
            reported=reported.get(u.id, 0),
            reported_on_time=on_time.get(u.id, 0),
            overdue=overdue.get(u.id, 0),
            overdue_open=overdue_open.get(u.id, 0),
            returns=returns.get(u.id, 0),
            supervisions=supervisions.get(u.id, 0),
        )
        for u in ranked_units(session)
    ]


# --- the centre's own time --------------------------------------------------------------------

# The centre should dispatch a normal incident within one working day of receipt (by the close
# of the next working day, as a time limit in days is counted) and an urgent one within two
# working hours: what it keeps of the allowance before the unit's clock starts.
CENTRE_DISPATCH_DAYS = 1
CENTRE_DISPATCH_URGENT_HOURS = 2


@dataclass(frozen=True)
class CentreFigures:
    """Receipt to dispatch, for the incidents the centre dispatched in a period."""

    dispatched: int
    mean_dispatch_hours: float | None  # clock hours, receipt to (the last) dispatch
    dispatched_on_time: int  # within the centre's dispatch limit above
    on_time_rate: float | None


def centre_dispatch_limit(cal: WorkCalendar, received_at: datetime, priority: Priority) -> datetime:
    if priority is Priority.URGENT:
        return cal.add_working_hours(received_at, CENTRE_DISPATCH_URGENT_HOURS).at
    return cal.add_working_days(received_at, CENTRE_DISPATCH_DAYS).at


def centre_dispatched_in(period: Period) -> ColumnElement[bool]:
    """Dispatched by the centre in the period (a re-dispatch after a return counts once, at the
    last dispatch, its wait including the misrouted one)."""
    return and_(period.contains(Incident.dispatched_at), Incident.status != IncidentStatus.MERGED)


def centre_figures(session: Session, period: Period, now: datetime) -> CentreFigures:
    """The centre's part of the time: how long receipt to dispatch took, and how often the
    dispatch was within the centre's limit."""
    cal = WorkCalendar.load(session)
    hours: list[float] = []
    on_time = 0
    for received_at, dispatched_at, priority in session.execute(
        select(Incident.received_at, Incident.dispatched_at, Incident.priority).where(
            centre_dispatched_in(period), Incident.dispatched_at <= now
        )
    ):
        assert dispatched_at is not None
        hours.append((dispatched_at - received_at).total_seconds() / 3600)
        on_time += dispatched_at <= centre_dispatch_limit(cal, received_at, priority)
    return CentreFigures(
        dispatched=len(hours),
        mean_dispatch_hours=sum(hours) / len(hours) if hours else None,
        dispatched_on_time=on_time,
        on_time_rate=rate(on_time, len(hours)),
    )


# --- red/green ranking ------------------------------------------------------------------------

HONOUR_COUNT = 3  # units on each list
# The fewest incidents a unit must have counted in a month (反馈 + 超期未反馈, the rate's
# denominator) to be ranked: a rate over three cases says little. Scaled for other periods.
RANKING_MINIMUM_MONTH = 10


def ranking_minimum(period: Period) -> int:
    """件数 a unit needs to be ranked: 3 a week, 10 a month, 30 a quarter, 120 a year."""
    days = (period.last - period.first).days + 1
    if days <= 7:
        return 3
    if days <= 31:
        return RANKING_MINIMUM_MONTH
    if days <= 92:
        return 3 * RANKING_MINIMUM_MONTH
    return 12 * RANKING_MINIMUM_MONTH


def ranking_volume(figures: UnitFigures) -> int:
    """件数 beside a unit's rate: the incidents its rate counts (反馈 + 超期未反馈)."""
    return figures.reported + figures.overdue_open


@dataclass(frozen=True)
class RankedUnit:
    rank: int | None  # None: not ranked (件数不足, or nothing counted)
    figures: UnitFigures
    board: str  # "red" 红榜, "green" 绿榜 or ""
    volume: int = 0  # 件数: what the rate counts
    too_few: bool = False  # some incidents, fewer than the minimum: 件数不足、不参与排名


def red_green(figures: list[UnitFigures], period: Period) -> list[RankedUnit]:
    """红绿榜: units with at least ``ranking_minimum(period)`` incidents counted, ranked by
    on-time rate, then fewer overdue, then more incidents. The first three with nothing overdue
    go on the red (honour) board; the last three, where they fall short (an on-time rate under
    100% or anything overdue), on the green (lagging) board. Units under the minimum follow,
    unranked (件数不足), then those with nothing counted.
    """
    minimum = ranking_minimum(period)
    ranked = sorted(
        (f for f in figures if ranking_volume(f) >= max(1, minimum)),
        key=lambda f: (-(f.on_time_rate or 0), f.overdue, -ranking_volume(f), f.unit),
    )
    boards: dict[int, str] = {}
    for f in [f for f in ranked if not f.overdue][:HONOUR_COUNT]:
        boards[f.unit_id] = "red"
    lagging = [f for f in ranked if f.unit_id not in boards][-HONOUR_COUNT:]
    for f in lagging:
        if (f.on_time_rate or 0) < 1 or f.overdue:
            boards[f.unit_id] = "green"
    result = [
        RankedUnit(n, f, boards.get(f.unit_id, ""), ranking_volume(f))
        for n, f in enumerate(ranked, 1)
    ]
    placed = {f.unit_id for f in ranked}
    rest = [f for f in figures if f.unit_id not in placed]
    result += [RankedUnit(None, f, "", ranking_volume(f), True) for f in rest if ranking_volume(f)]
    result += [RankedUnit(None, f, "", 0) for f in rest if not ranking_volume(f)]
    return result


# --- street-wide figures ----------------------------------------------------------------------
#
# Every cadence paper, the 统计报表 page and the 周例会 print these, and nothing else computes a
# street-wide rate: 办结 is counted by when an incident was closed (whenever it was received),
# 超期未办结 by what was still open past its deadline when the period ended (or now, for a
# running period), so the two never share an incident and the rate cannot be 100% beside
# anything overdue.

ON_TIME_NOTE = "按期办结率＝按期办结件数÷（办结件数＋超期未办结件数）"


def cutoff(period: Period, now: datetime) -> datetime:
    """The moment a period's figures stand at: its end, or *now* while it runs."""
    return min(period.end, now)


def overdue_open_at(moment: datetime) -> ColumnElement[bool]:
    """Past its deadline and not yet closed at *moment* (at *now*, the 工作台's 超期)."""
    return and_(
        Incident.deadline_at < moment,
        Incident.status.not_in(LEFT_STATUSES),
        or_(Incident.status != IncidentStatus.CLOSED, Incident.closed_at >= moment),
    )


@dataclass(frozen=True)
class StreetFigures:
    received: int  # 受理: received in the period
    closed: int  # 办结: closed in the period, whenever received
    closed_on_time: int  # of those, closed by their deadline
    overdue: int  # 超期未办结: past the deadline and still open at the period's cut-off

    @property
    def due(self) -> int:
        """应办结: what the rate counts."""
        return self.closed + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.closed_on_time, self.due)


def street_figures(session: Session, period: Period, now: datetime) -> StreetFigures:
    return street_figures_of(session, [period], now)[0]


# Several periods' figures are read in one statement per figure (a report's trend, 环比 and 同比
# need a dozen periods): each period's count is a SUM(CASE …) over the rows any of them holds.
# The conditions are those above, written so an index finds the rows (migration 0019).

# Still the street's and not closed: what a deadline can pass on (overdue_open_at's rows open
# at the moment that are not closed at all).
STILL_OPEN = tuple(
    s for s in IncidentStatus if s not in LEFT_STATUSES and s is not IncidentStatus.CLOSED
)


def _sums(
    session: Session, conditions: Sequence[ColumnElement[bool]], *where: ColumnElement[bool]
) -> list[int]:
    """How many incidents meet each of *conditions*, among those meeting *where*."""
    if not conditions:
        return []
    row = session.execute(
        select(*(func.sum(case((c, 1), else_=0)) for c in conditions)).where(*where)
    ).one()
    return [int(n or 0) for n in row]


def received_counts(session: Session, periods: Sequence[Period]) -> list[int]:
    """受理 in each of *periods* (``received_in``), in one statement."""
    if not periods:
        return []
    spans = _distinct(periods)
    counts = _sums(
        session,
        [period.contains(Incident.received_at) for period in spans],
        Incident.status != IncidentStatus.MERGED,
        or_(*(period.contains(Incident.received_at) for period in spans)),
    )
    found = dict(zip(spans, counts, strict=True))
    return [found[_span(p)] for p in periods]


def closed_counts(session: Session, periods: Sequence[Period]) -> list[tuple[int, int]]:
    """办结 in each of *periods* (``closed_in``) and how many of them on time
    (``closed_on_time``), in one statement."""
    if not periods:
        return []
    spans = _distinct(periods)
    conditions = []
    for period in spans:
        conditions += [
            period.contains(Incident.closed_at),
            and_(period.contains(Incident.closed_at), closed_on_time()),
        ]
    # One range over them all: the periods are a trend's, next to each other.
    counts = _sums(
        session,
        conditions,
        Incident.status == IncidentStatus.CLOSED,
        Incident.closed_at >= min(p.start for p in spans),
        Incident.closed_at < max(p.end for p in spans),
    )
    found = {p: (counts[2 * n], counts[2 * n + 1]) for n, p in enumerate(spans)}
    return [found[_span(p)] for p in periods]


def overdue_counts(session: Session, moments: Sequence[datetime]) -> list[int]:
    """超期未办结 at each of *moments* (``overdue_open_at``), in two statements: those not
    closed at all, and those closed after the moment."""
    if not moments:
        return []
    latest, earliest = max(moments), min(moments)
    still_open = _sums(
        session,
        [Incident.deadline_at < moment for moment in moments],
        Incident.status.in_(STILL_OPEN),
        Incident.deadline_at < latest,
    )
    closed_later = _sums(
        session,
        [and_(Incident.deadline_at < m, Incident.closed_at >= m) for m in moments],
        Incident.status == IncidentStatus.CLOSED,
        Incident.closed_at >= earliest,
        Incident.deadline_at < latest,
    )
    return [a + b for a, b in zip(still_open, closed_later, strict=True)]


def street_figures_of(
    session: Session, periods: Sequence[Period], now: datetime
) -> list[StreetFigures]:
    """``street_figures`` of each of *periods*, in four statements for them all."""
    received = received_counts(session, periods)
    closed = closed_counts(session, periods)
    overdue = overdue_counts(session, [cutoff(p, now) for p in periods])
    return [
        StreetFigures(received=r, closed=c, closed_on_time=t, overdue=o)
        for r, (c, t), o in zip(received, closed, overdue, strict=True)
    ]


def _span(period: Period) -> Period:
    """The period's days without its label: what its counts depend on."""
    return Period(period.first, period.last, "")


def _distinct(periods: Sequence[Period]) -> list[Period]:
    return list(dict.fromkeys(_span(p) for p in periods))


# --- periods compared: 环比 and 同比 on equal spans -------------------------------------------


def _kind(period: Period) -> str:
    days = (period.last - period.first).days + 1
    if days == 7 and period.first.weekday() == 0:
        return "week"
    if period.first.day == 1 and period.first.month == 1 and days >= 365:
        return "year"
    months = (period.last.year - period.first.year) * 12 + period.last.month - period.first.month
    return "quarter" if months == 2 else "month"


def shifted(period: Period, back: int) -> Period:
    """The period of the same kind (week, month, quarter or year) *back* periods earlier."""
    kind = _kind(period)
    if kind == "week":
        return week_period(period.first - timedelta(weeks=back))
    if kind == "year":
        return year_period(period.first.year - back)
    step = 3 if kind == "quarter" else 1
    index = period.first.year * 12 + period.first.month - 1 - back * step
    year, month = divmod(index, 12)
    if kind == "quarter":
        return quarter_period(year, month // 3 + 1)
    return month_period(year, month + 1)


def year_earlier(period: Period) -> Period:
    """The same period a year before: the same month or quarter, the week 52 weeks back."""
    if _kind(period) == "week":
        return week_period(period.first - timedelta(weeks=52))
    return shifted(period, {"month": 12, "quarter": 4, "year": 1}[_kind(period)])


def _first_days(period: Period, days: int) -> Period:
    return Period(
        period.first, min(period.last, period.first + timedelta(days=days - 1)), period.label
    )


def _span_words(period: Period, days: int) -> str:
    kind = _kind(period)
    if kind == "week":
        return f"周一至周{'一二三四五六日'[days - 1]}"
    if kind == "month":
        return f"1—{days}日"
    return f"前{days}天"


@dataclass(frozen=True)
class Comparison:
    """受理 件数 of a span against the equal span of an earlier period (环比 or 同比)."""

    label: str  # 环比, 环比（同期1—6日）, 同比 …
    span: Period  # the part of the period compared (all of it once it has ended)
    earlier: Period  # the equal span it is compared with
    count: int
    earlier_count: int

    @property
    def change(self) -> float | None:
        return rate(self.count - self.earlier_count, self.earlier_count)


def compared_spans(
    period: Period, earlier: Period, word: str, today: date
) -> tuple[str, Period, Period]:
    """The label and the two spans ``compare`` counts: a running period is compared day for day
    (1–6 Dec against 1–6 Nov), so a partial month never meets a whole one."""
    span, label = period, word
    if period.first <= today <= period.last:  # running, even on its last day
        days = (today - period.first).days + 1
        span = _first_days(period, days)
        earlier = _first_days(earlier, days)
        label = f"{word}（同期{_span_words(period, days)}）"
    return label, span, earlier


def compare(
    session: Session, period: Period, earlier: Period, word: str, today: date
) -> Comparison:
    """受理 in *period* against *earlier* (see ``compared_spans``)."""
    label, span, earlier = compared_spans(period, earlier, word, today)
    count, earlier_count = received_counts(session, [span, earlier])
    return Comparison(label, span, earlier, count, earlier_count)


# --- joint operations: 联合执法次数, 检查对象户次, 减少入户次数, 办案数 -------------------------


def _visitor(unit: Unit | None) -> int | None:
    """Who would have come to the door for a department or item: an agency counts as its
    district department, the street's own units (and items without a department) as None."""
    return None if unit is None else _visitor_of(unit.id, unit.kind, unit.parent_id)


def _visitor_of(unit_id: int, kind: UnitKind, parent_id: int | None) -> int | None:
    if kind in (UnitKind.SQUAD, UnitKind.STREET_OFFICE, UnitKind.COMMAND_CENTRE):
        return None
    if kind is UnitKind.AGENCY and parent_id is not None:
        return parent_id
    return unit_id


def visiting_departments(plan: Plan) -> set[int | None]:
    """The departments that would each have visited a target but for the joint operation: the
    items' departments and the plan's, an agency merged into its parent (None: the street)."""
    return {_visitor(i.department) for i in plan.items} | {_visitor(d) for d in plan.departments}


def checked_targets(plan: Plan) -> list[PlanTarget]:
    return [t for t in plan.targets if t.result is not InspectionResult.PENDING]


def visits_avoided(plan: Plan) -> int:
    """减少入户次数: per target checked, one visit for each visiting department but the first."""
    return len(checked_targets(plan)) * max(0, len(visiting_departments(plan)) - 1)


@dataclass(frozen=True)
class JointFigures:
    operations: int  # 联合执法次数: plans carried out
    visits: int  # 检查对象户次: targets checked
    visits_avoided: int  # 减少入户次数
    cases: int  # 办案数: targets whose result was 立案


def joint_figures(session: Session, period: Period) -> JointFigures:
    """The joint operations carried out on a day of *period* (by the plan's date).

    Counted from the plans' ids, targets and visiting units rather than the plans loaded whole:
    a year holds thousands of targets. ``visits_avoided`` of each plan, summed."""
    carried = select(Plan.id).where(plans_carried_out(period))
    operations = len(session.scalars(carried).all())
    if not operations:
        return JointFigures(0, 0, 0, 0)
    checked = {
        plan_id: (int(n), int(cases or 0))
        for plan_id, n, cases in session.execute(
            select(
                PlanTarget.plan_id,
                func.count(),
                func.sum(case((PlanTarget.result == InspectionResult.CASE_OPENED, 1), else_=0)),
            )
            .where(PlanTarget.plan_id.in_(carried), PlanTarget.result != InspectionResult.PENDING)
            .group_by(PlanTarget.plan_id)
        )
    }
    visitors: dict[int, set[int | None]] = defaultdict(set)
    for plan_id, unit_id, kind, parent_id in session.execute(
        select(plan_departments.c.plan_id, Unit.id, Unit.kind, Unit.parent_id)
        .join(Unit, Unit.id == plan_departments.c.unit_id)
        .where(plan_departments.c.plan_id.in_(carried))
    ):
        visitors[plan_id].add(_visitor_of(unit_id, kind, parent_id))
    for plan_id, unit_id, kind, parent_id in session.execute(
        select(plan_items.c.plan_id, Unit.id, Unit.kind, Unit.parent_id)
        .join(CatalogueItem, CatalogueItem.id == plan_items.c.item_id)
        .outerjoin(Unit, Unit.id == CatalogueItem.department_id)
        .where(plan_items.c.plan_id.in_(carried))
    ):
        visitors[plan_id].add(None if unit_id is None else _visitor_of(unit_id, kind, parent_id))
    return JointFigures(
        operations=operations,
        visits=sum(n for n, _ in checked.values()),
        visits_avoided=sum(
            n * max(0, len(visitors[plan_id]) - 1) for plan_id, (n, _) in checked.items()
        ),
        cases=sum(cases for _, cases in checked.values()),
    )
