"""The cadence reports' figures: 周例会 (a week), 月通报 (a month) and 季汇总 (a quarter) share
one shape.

Everything is counted with the conditions and figures in :mod:`statistics`, so the bulletin, the
统计报表 page, the red/green ranking and the assessment sheets agree to the incident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    CatalogueItem,
    Channel,
    Grid,
    Incident,
    IncidentStatus,
    Supervision,
    WhistleCall,
)
from commandcenter.services import patrols, settings
from commandcenter.services.actor import Actor
from commandcenter.services.patrols import PatrolFigures
from commandcenter.services.permissions import Action, require
from commandcenter.services.statistics import (
    ON_TIME_NOTE,
    Comparison,
    JointFigures,
    Period,
    RankedUnit,
    StreetFigures,
    UnitFigures,
    compared_spans,
    cutoff,
    joint_figures,
    month_period,
    percent,
    quarter_period,
    ranking_minimum,
    rate,
    received_counts,
    received_in,
    red_green,
    shifted,
    street_figures_of,
    unit_figures,
    year_earlier,
)

TOP = 10  # items and grids shown by name; the rest are summed as 其他
TREND_PERIODS = 6
# How the units' table and the 红绿榜 count, printed under them on every paper and page.
RANKING_NOTE = (
    "承办为期内受理、由该单位主办或协办的事件；反馈、超期按单位期限（自派单起算）计，反馈为期内"
    "反馈的事件（含此前受理）；按期率＝按期反馈÷（反馈＋超期未反馈）；件数＝反馈＋超期未反馈，"
    "不足 {minimum} 件的单位不参与排名，有超期事件的单位不进红榜；退回为期内退回、经中心裁定"
    "“维持原派单”的派单（裁定重新派单的属中心派错，待裁定的不计）。"
)


@dataclass(frozen=True)
class TrendPoint:
    label: str
    received: int
    on_time_rate: float | None  # None: nothing closed or overdue, so no rate to draw


@dataclass(frozen=True)
class PeriodReport:
    """One period's figures as every page and paper shows them.

    受理 counts what was received in the period; 办结 what was closed in it, whenever it was
    received (so 办结 may exceed 受理); 超期未办结 what was past its deadline and still open at the
    period's end, or now while it runs. 按期办结率 is ``statistics.ON_TIME_NOTE``.
    """

    kind: str  # 周例会, 月通报 or 季汇总
    centre_name: str
    period: Period
    as_of: datetime  # the moment the figures stand at: the period's end, or now while it runs
    figures: StreetFigures
    vs_previous: Comparison  # 环比, day for day while the period runs
    vs_last_year: Comparison  # 同比
    supervisions: int
    whistle_calls: int
    joint: JointFigures  # the period's joint operations
    year: Period  # 1 January to the period's end: the year's running totals
    joint_year: JointFigures
    joint_year_before: JointFigures  # the same days a year before, for 办案数 同比
    by_channel: list[tuple[str, int]]
    by_status: list[tuple[str, int]]  # where the period's incidents stand now
    by_item: list[tuple[str, int]]
    by_grid: list[tuple[str, int]]
    units: list[UnitFigures]
    ranking: list[RankedUnit]
    ranking_minimum: int  # 件数 a unit needs to be ranked
    trend: list[TrendPoint]
    patrols: PatrolFigures  # the period's grid patrols, per grid and per person

    @property
    def received(self) -> int:
        return self.figures.received

    @property
    def closed(self) -> int:
        return self.figures.closed

    @property
    def closed_on_time(self) -> int:
        return self.figures.closed_on_time

    @property
    def overdue(self) -> int:
        return self.figures.overdue

    @property
    def on_time_rate(self) -> float | None:
        return self.figures.on_time_rate

    @property
    def plans_done(self) -> int:
        return self.joint.operations

    @property
    def running(self) -> bool:
        return self.as_of < self.period.end

    @property
    def cases_change(self) -> float | None:
        """办案数 同比: the year's cases so far against the same days a year before."""
        before = self.joint_year_before.cases
        return rate(self.joint_year.cases - before, before)


def _top(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    rows = sorted(rows, key=lambda r: (-r[1], r[0]))
    if len(rows) <= TOP:
        return rows
    return [*rows[:TOP], ("其他", sum(n for _, n in rows[TOP:]))]


def _a_year_before(day: date) -> date:
    return day.replace(year=day.year - 1, day=min(day.day, 28 if day.month == 2 else day.day))


def _count(session: Session, stmt: object) -> int:
    return int(session.scalar(stmt) or 0)  # type: ignore[call-overload]


def period_report(
    session: Session, actor: Actor, period: Period, kind: str, now: datetime | None = None
) -> PeriodReport:
    require(actor, Action.VIEW)
    moment = now or timeutil.now()
    today = timeutil.local_date(moment)
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
    # The period, its trend and both comparisons are counted together, one statement a figure.
    trend_periods = [shifted(period, back) for back in range(TREND_PERIODS - 1, -1, -1)]
    previous = compared_spans(period, shifted(period, 1), "环比", today)
    last_year = compared_spans(period, year_earlier(period), "同比", today)
    spans = [previous[1], previous[2], last_year[1], last_year[2]]
    received_spans = received_counts(session, spans)
    figures = street_figures_of(session, [*trend_periods, period], moment)
    trend = []
    for p, f in zip(trend_periods, figures, strict=False):
        label = p.label.replace(f"{p.first.year}年", f"{p.first.year % 100}年")
        trend.append(TrendPoint(label, f.received, f.on_time_rate))
    # The year so far: 1 January to the period's end, or today while the period runs.
    year = Period(date(period.first.year, 1, 1), min(period.last, today), f"{period.first.year}年")
    year_before = Period(
        _a_year_before(year.first), _a_year_before(year.last), f"{period.first.year - 1}年"
    )
    return PeriodReport(
        kind=kind,
        centre_name=settings.load(session).centre_name,
        period=period,
        as_of=cutoff(period, moment),
        figures=figures[-1],
        vs_previous=Comparison(*previous, *received_spans[0:2]),
        vs_last_year=Comparison(*last_year, *received_spans[2:4]),
        supervisions=_count(
            session,
            select(func.count(Supervision.id)).where(period.contains(Supervision.issued_at)),
        ),
        whistle_calls=_count(
            session,
            select(func.count(WhistleCall.id)).where(period.contains(WhistleCall.called_at)),
        ),
        joint=joint_figures(session, period),
        year=year,
        joint_year=joint_figures(session, year),
        joint_year_before=joint_figures(session, year_before),
        by_channel=[(c.label, by_channel.get(c, 0)) for c in Channel],
        by_status=[(st.label, by_status[st]) for st in IncidentStatus if st in by_status],
        by_item=_top([(name, int(n)) for name, n in by_item]),
        by_grid=_top([(name, int(n)) for name, n in by_grid]),
        units=units,
        ranking=red_green(units, period),
        ranking_minimum=ranking_minimum(period),
        trend=trend,
        patrols=patrols.figures(session, actor, period),
    )


# --- the figures in words, for the papers and the page alike ---------------------------------


def _compared(c: Comparison) -> str:
    if c.change is None:
        return f"{c.label}无可比数据（{c.earlier.text} {c.earlier_count} 件）"
    word = "增长" if c.change >= 0 else "下降"
    return f"{c.label}{word} {abs(c.change):.1%}（{c.earlier.text} {c.earlier_count} 件）"


def _unit_word(report: PeriodReport) -> str:
    return {"月通报": "月", "季汇总": "季度", "周例会": "周"}.get(report.kind, "期")


def overview_text(report: PeriodReport) -> str:
    """一、总体情况 of the 月通报 and 季汇总, word for word what the 统计报表 page shows."""
    span = report.vs_previous.span
    still = f"（本{_unit_word(report)}尚未结束）"
    when = "目前" if report.running else "期末"
    if not (report.received or report.closed or report.overdue):
        return (
            f"{span.text}{still if report.running else ''}，指挥中心未受理事件，没有办结的事件，"
            f"截至{when}也没有超期未办结的事件，按期办结率无从计算（—）；"
            f"{_compared(report.vs_previous)}，{_compared(report.vs_last_year)}。"
            f"发起吹哨报到 {report.whistle_calls} 次，签发督办文书 {report.supervisions} 份。"
        )
    return (
        f"{span.text}{still if report.running else ''}，指挥中心共受理各类事件 "
        f"{report.received} 件，{_compared(report.vs_previous)}，{_compared(report.vs_last_year)}；"
        f"办结 {report.closed} 件，其中按期办结 {report.closed_on_time} 件；截至{when}超期未办结 "
        f"{report.overdue} 件；按期办结率 {percent(report.on_time_rate)}。"
        f"发起吹哨报到 {report.whistle_calls} 次，签发督办文书 {report.supervisions} 份。"
    )


def joint_text(report: PeriodReport) -> str:
    """联合执法 for the period and the year so far, with 办案数 against the year before."""
    j, y = report.joint, report.joint_year
    cases = report.cases_change
    same = report.joint_year_before.cases
    change = (
        "无可比数据" if cases is None else f"{'增长' if cases >= 0 else '下降'} {abs(cases):.1%}"
    )
    return (
        f"本{_unit_word(report)}实施联合执法行动 {j.operations} 次，检查对象 {j.visits} 户次，"
        f"减少入户 {j.visits_avoided} 户次，立案 {j.cases} 件。"
        f"本年累计（{report.year.text}）联合执法 {y.operations} 次，检查对象 {y.visits} 户次，"
        f"减少入户 {y.visits_avoided} 户次；办案数（检查立案）{y.cases} 件，"
        f"同比{change}（上年同期 {same} 件）。"
    )


def patrol_text(report: PeriodReport) -> str:
    """The period's grid patrols (per grid and per person in ``report.patrols``) in words, for the
    统计报表 page; the 月通报 keeps to its incident and joint-operation figures."""
    return f"本{_unit_word(report)}" + report.patrols.text


FIGURES_NOTE = (
    f"注：{ON_TIME_NOTE}。受理按受理时间计，办结按办结时间计（含此前受理的事件，故办结可多于"
    "受理），超期未办结为期末（本期未结束的，截至目前）已过办理期限仍未办结的事件。"
    "减少入户次数＝每户检查对象原需分别上门的部门数（派驻机构计入其区级部门）减一之和。"
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
