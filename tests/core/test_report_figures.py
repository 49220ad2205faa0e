"""The street's figures on a small hand-built street, every number checked by hand: the on-time
rate and its counts, 环比 and 同比 on equal spans, the red/green ranking's minimum, and the
joint operations' visits avoided."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from commandcenter import timeutil
from commandcenter.cli import main
from commandcenter.db.engine import Database
from commandcenter.db.models import (
    CatalogueItem,
    Channel,
    Entity,
    Incident,
    IncidentStatus,
    IncidentUnit,
    InspectionResult,
    Plan,
    PlanStatus,
    PlanTarget,
    PlanTheme,
    Unit,
    UnitKind,
    UnitRole,
)
from commandcenter.demo.generator import DEMO_PASSWORD
from commandcenter.documents import bulletin
from commandcenter.services import overview, plans, reports, statistics
from commandcenter.services.statistics import UnitFigures
from tests.core.incident_world import World, local

NOV = statistics.month_period(2026, 11)
AFTER_NOVEMBER = local(date(2026, 12, 10), 18)  # November has ended; December runs


@dataclass(frozen=True)
class Case:
    key: str
    received: date
    deadline: date | None
    closed: date | None = None
    status: IncidentStatus | None = None
    unit: str = "squad"


# Each line's part in November's figures (period ends 30 Nov; "now" is 10 Dec):
CASES = [
    # received in October, closed on time in November: 办结 and 按期, not 受理
    Case("A", date(2026, 10, 20), date(2026, 11, 5), closed=date(2026, 11, 3)),
    # received and closed late in November: 受理, 办结, not 按期
    Case("B", date(2026, 11, 2), date(2026, 11, 10), closed=date(2026, 11, 12)),
    # received in November, past its deadline and open at the month's end: 超期未办结
    Case("C", date(2026, 11, 5), date(2026, 11, 20)),
    # received in November, due in December: only 受理 (overdue by 10 December)
    Case("D", date(2026, 11, 10), date(2026, 12, 5), unit="agency"),
    # October's, overdue since 15 October and still open on 30 November: 超期未办结 for November;
    # closed late on 2 December
    Case("E", date(2026, 10, 1), date(2026, 10, 15), closed=date(2026, 12, 2), unit="agency"),
    # transferred out: 受理 but never overdue for the street
    Case("F", date(2026, 11, 20), date(2026, 11, 25), status=IncidentStatus.TRANSFERRED),
    # a repeat call merged into another: not counted at all
    Case("G", date(2026, 11, 25), None, status=IncidentStatus.MERGED),
    # received and closed on time in November
    Case("H", date(2026, 11, 28), date(2026, 12, 3), closed=date(2026, 11, 29)),
    # received in December (1–10 December against 1–10 November)
    Case("I", date(2026, 12, 4), date(2026, 12, 20)),
]


def add_cases(world: World) -> None:
    units = {"squad": world.squad, "agency": world.agency}
    with world.db.write() as s:
        for n, c in enumerate(CASES, 1):
            status = c.status or (IncidentStatus.CLOSED if c.closed else IncidentStatus.IN_PROGRESS)
            incident = Incident(
                number=f"T-{n:03d}",
                channel=Channel.HOTLINE_12345,
                title=f"事件{c.key}",
                received_at=local(c.received, 9),
                registered_by_id=world.operator.user_id,
                status=status,
                deadline_at=local(c.deadline, 17) if c.deadline else None,
                closed_at=local(c.closed, 15) if c.closed else None,
                grid_id=world.grid,
            )
            s.add(incident)
            s.flush()
            s.add(IncidentUnit(incident_id=incident.id, unit_id=units[c.unit], role=UnitRole.LEAD))


def add_plans(world: World) -> tuple[int, int]:
    """Two joint operations in November and one in October 2025; returns November's ids."""
    with world.db.write() as s:
        other = Unit(name="区住房和建设局", short_name="区住建局", kind=UnitKind.DEPARTMENT)
        s.add(other)
        entities = [Entity(name=f"对象{n}", address=f"梅山大道{n}号") for n in range(6)]
        s.add_all(entities)
        s.flush()
        agency = s.get_one(Unit, world.agency)
        items = {k: s.get_one(CatalogueItem, v) for k, v in world.items.items()}

        def plan(day: date, status: PlanStatus, results: list[InspectionResult]) -> Plan:
            p = Plan(
                title=f"{day:%m%d}联合检查",
                theme=PlanTheme.COMBINED,
                lead_unit_id=world.squad,
                status=status,
                planned_on=day,
                created_by_id=world.operator.user_id,
            )
            s.add(p)
            s.flush()
            for entity, result in zip(entities, results, strict=False):
                s.add(PlanTarget(plan_id=p.id, entity_id=entity.id, result=result))
            return p

        r = InspectionResult
        # The agency and its own department's items: one department, nothing avoided.
        first = plan(date(2026, 11, 10), PlanStatus.DONE, [r.COMPLIANT, r.CASE_OPENED, r.PENDING])
        first.departments = [agency]
        first.items = [items["linked"], items["department"]]
        # The street's own item, the agency (its department) and another department: three
        # visitors, two visits avoided at each of the two targets checked.
        second = plan(date(2026, 11, 20), PlanStatus.SUMMARISED, [r.RECTIFY, r.COMPLIANT])
        second.departments = [agency, other]
        second.items = [items["empowered"], items["linked"]]
        # Cancelled: nothing carried out, nothing counted.
        plan(date(2026, 11, 25), PlanStatus.CANCELLED, [])
        # A year before: two cases opened, for 办案数 同比.
        old = plan(date(2025, 10, 14), PlanStatus.DONE, [r.CASE_OPENED, r.CASE_OPENED])
        old.departments = [agency]
        old.items = [items["department"]]
        return first.id, second.id


def test_the_street_rate_counts_closed_and_overdue_apart(world: World) -> None:
    add_cases(world)
    with world.db.read() as s:
        nov = statistics.street_figures(s, NOV, AFTER_NOVEMBER)
        dec = statistics.street_figures(s, statistics.month_period(2026, 12), AFTER_NOVEMBER)
    # 受理 B C D F H; 办结 A B H, on time A H; overdue at the month's end C E.
    assert (nov.received, nov.closed, nov.closed_on_time, nov.overdue) == (5, 3, 2, 2)
    assert nov.due == 5 and nov.on_time_rate == pytest.approx(2 / 5)
    # December so far: I received; E closed late; C and D overdue now (the 工作台's 超期).
    assert (dec.received, dec.closed, dec.closed_on_time, dec.overdue) == (1, 1, 0, 2)
    assert dec.on_time_rate == 0


def test_several_periods_are_counted_together_as_each_alone(world: World) -> None:
    add_cases(world)
    oct_, dec = statistics.month_period(2026, 10), statistics.month_period(2026, 12)
    q4 = statistics.quarter_period(2026, 4)
    periods = [oct_, NOV, dec, q4, statistics.Period(NOV.first, NOV.last, "again")]
    with world.db.read() as s:
        together = statistics.street_figures_of(s, periods, AFTER_NOVEMBER)
        alone = [statistics.street_figures(s, p, AFTER_NOVEMBER) for p in periods]
        received = statistics.received_counts(s, [dec, statistics.year_period(2025), oct_])
    figures = [(f.received, f.closed, f.closed_on_time, f.overdue) for f in together]
    assert figures == [
        (2, 0, 0, 1),  # 受理 A E; nothing closed; E overdue at the end of October
        (5, 3, 2, 2),
        (1, 1, 0, 2),
        (8, 4, 2, 2),  # 受理 A–F H I but G; 办结 A B E H, on time A H; C and D overdue now
        (5, 3, 2, 2),  # the same days under another label
    ]
    assert together == alone
    assert received == [1, 0, 2]


def test_the_reports_trend_and_comparisons_are_each_periods_own(world: World) -> None:
    add_cases(world)
    today = timeutil.local_date(AFTER_NOVEMBER)
    with world.db.read() as s:
        report = reports.monthly(s, world.leader, 2026, 12, now=AFTER_NOVEMBER)
        previous = statistics.compare(s, report.period, NOV, "环比", today)
        last_year = statistics.compare(
            s, report.period, statistics.month_period(2025, 12), "同比", today
        )
    assert [p.label for p in report.trend] == [f"26年{m}月" for m in range(7, 13)]
    assert [p.received for p in report.trend] == [0, 0, 0, 2, 5, 1]
    # October: nothing closed beside E overdue; November 2 of 5; December E late, C and D due.
    assert [p.on_time_rate for p in report.trend] == [None, None, None, 0, 0.4, 0]
    assert (report.received, report.closed, report.closed_on_time, report.overdue) == (1, 1, 0, 2)
    assert report.vs_previous == previous and report.vs_last_year == last_year
    assert (previous.count, previous.earlier_count, last_year.earlier_count) == (1, 3, 0)


def test_an_overdue_case_never_sits_beside_a_full_rate(world: World) -> None:
    add_cases(world)
    with world.db.read() as s:
        for month in (10, 11, 12):
            f = statistics.street_figures(s, statistics.month_period(2026, month), AFTER_NOVEMBER)
            assert not (f.overdue and f.on_time_rate == 1)


def test_a_running_month_is_compared_day_for_day(world: World) -> None:
    add_cases(world)
    today = date(2026, 12, 10)
    dec = statistics.month_period(2026, 12)
    with world.db.read() as s:
        running = statistics.compare(s, dec, statistics.shifted(dec, 1), "环比", today)
        whole = statistics.compare(s, NOV, statistics.shifted(NOV, 1), "环比", today)
        yoy = statistics.compare(s, NOV, statistics.year_earlier(NOV), "同比", today)
    # 1–10 December (I) against 1–10 November (B, C, D)
    assert running.label == "环比（同期1—10日）"
    assert (running.span.last, running.earlier.first, running.earlier.last) == (
        date(2026, 12, 10),
        date(2026, 11, 1),
        date(2026, 11, 10),
    )
    assert (running.count, running.earlier_count) == (1, 3)
    assert running.change == pytest.approx(-2 / 3)
    # Whole November (5) against whole October (A, E)
    assert whole.label == "环比" and (whole.count, whole.earlier_count) == (5, 2)
    assert whole.change == pytest.approx(1.5)
    # Nothing a year before: no change to state
    assert yoy.earlier == statistics.month_period(2025, 11) and yoy.change is None


def test_weeks_and_quarters_shift_by_their_own_length() -> None:
    week = statistics.week_period(date(2026, 12, 9))  # Monday 7 December
    assert statistics.shifted(week, 1).first == date(2026, 11, 30)
    assert statistics.year_earlier(week).first == date(2025, 12, 8)
    q1 = statistics.quarter_period(2026, 1)
    assert statistics.shifted(q1, 1) == statistics.quarter_period(2025, 4)
    assert statistics.year_earlier(q1) == statistics.quarter_period(2025, 1)
    assert statistics.shifted(statistics.month_period(2026, 1), 1).label == "2025年12月"
    assert [statistics.ranking_minimum(p) for p in (week, NOV, q1)] == [3, 10, 30]
    assert statistics.ranking_minimum(statistics.year_period(2026)) == 120


def _unit(n: int, reported: int, on_time: int, overdue: int) -> UnitFigures:
    """A unit whose overdue cases are all still without a report at the period's end."""
    return UnitFigures(
        n, f"单位{n}", UnitKind.AGENCY, reported, reported, on_time, overdue, overdue, 0, 0
    )


def test_the_ranking_needs_a_minimum_volume_and_keeps_overdue_off_the_red_board() -> None:
    figures = [
        _unit(1, 4, 4, 0),  # 100% on four cases: too few to rank
        _unit(2, 126, 120, 0),
        _unit(3, 20, 20, 2),  # every report on time, but two overdue: 90.9%, never red
        _unit(4, 30, 27, 0),
        _unit(5, 12, 10, 0),
        _unit(6, 15, 12, 1),
        _unit(7, 0, 0, 0),  # nothing counted
        _unit(8, 40, 30, 5),
    ]
    ranked = statistics.red_green(figures, NOV)
    by_unit = {r.figures.unit_id: r for r in ranked}
    # 95.2%, 90.9%, 90%, 83.3%, 75%, 66.7%: an overdue case counts against the rate
    assert [r.figures.unit_id for r in ranked if r.rank] == [2, 3, 4, 5, 6, 8]
    assert [r.figures.unit_id for r in ranked if r.board == "red"] == [2, 4, 5]
    assert [r.figures.unit_id for r in ranked if r.board == "green"] == [3, 6, 8]
    assert by_unit[1].rank is None and by_unit[1].too_few and by_unit[1].volume == 4
    assert by_unit[7].rank is None and not by_unit[7].too_few and by_unit[7].volume == 0
    assert by_unit[3].volume == 22 and by_unit[2].volume == 126
    # A week needs three
    week = statistics.week_period(date(2026, 11, 9))
    assert by_unit[1].figures in [r.figures for r in statistics.red_green(figures, week) if r.rank]


def test_visits_avoided_count_an_agency_as_its_department(world: World) -> None:
    ids = add_plans(world)
    with world.db.read() as s:
        first, second = (plans.summary_of(s, world.leader, p) for p in ids)
        nov = statistics.joint_figures(s, NOV)
    assert (first.departments, first.visits, first.visits_avoided, first.cases) == (1, 2, 0, 1)
    assert (second.departments, second.visits, second.visits_avoided) == (3, 2, 4)
    # 联合执法 2 (the cancelled one is not), 户次 2 + 2, 减少入户 0 + 4, 立案 1
    assert nov == statistics.JointFigures(operations=2, visits=4, visits_avoided=4, cases=1)


def test_the_report_totals_the_year_and_compares_cases(world: World) -> None:
    add_cases(world)
    add_plans(world)
    with world.db.read() as s:
        report = reports.monthly(s, world.leader, 2026, 11, now=AFTER_NOVEMBER)
    assert report.year.text == "2026年1月1日至2026年11月30日"
    assert report.joint_year == statistics.JointFigures(2, 4, 4, 1)
    assert report.joint_year_before == statistics.JointFigures(1, 2, 0, 2)
    assert report.cases_change == pytest.approx(-0.5)
    assert not report.running and report.as_of == NOV.end
    text = reports.overview_text(report)
    assert "共受理各类事件 5 件，环比增长 150.0%（2026年10月1日至2026年10月31日 2 件）" in text
    assert "办结 3 件，其中按期办结 2 件；截至期末超期未办结 2 件；按期办结率 40.0%" in text
    joint = reports.joint_text(report)
    assert "本月实施联合执法行动 2 次，检查对象 4 户次，减少入户 4 户次，立案 1 件" in joint
    assert "办案数（检查立案）1 件，同比下降 50.0%（上年同期 2 件）" in joint
    # The trend's last point is the month itself, with the same rate.
    assert report.trend[-1].received == 5 and report.trend[-1].on_time_rate == pytest.approx(0.4)
    assert report.trend[0].received == 0 and report.trend[0].on_time_rate is None


def test_the_running_months_overdue_is_the_dashboards(world: World) -> None:
    add_cases(world)
    with world.db.read() as s:
        dec = reports.monthly(s, world.leader, 2026, 12, now=AFTER_NOVEMBER)
        board = overview.overview(s, world.leader, now=AFTER_NOVEMBER)
    assert dec.running and dec.overdue == board.overdue == 2


def test_a_lone_rate_and_empty_months_print(world: World, tmp_path: Path) -> None:
    """October's trend has one rate (E overdue at its end) after five empty months: a marker,
    no line, and 无 under the empty bars."""
    add_cases(world)
    world.clock.set(AFTER_NOVEMBER)
    with world.db.read() as s:
        report = reports.monthly(s, world.leader, 2026, 10)
        pdf = bulletin.print_monthly(s, world.leader, 2026, 10, tmp_path / "oct.pdf")
    assert [p.on_time_rate for p in report.trend] == [None] * 5 + [0]
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_cli_prints_a_bulletin_for_a_month_with_nothing(
    demo_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", DEMO_PASSWORD)
    url = demo_db.engine.url.render_as_string(hide_password=False)
    pdf = tmp_path / "june.pdf"
    args = ["--db", url, "print", "bulletin", "--month", "2025-06", "-o", str(pdf)]
    assert main([*args, "--user", "operator"]) == 0
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
        flat = "".join(text.stdout.split())
        assert "指挥中心未受理事件" in flat and "近六期无受理事件" in flat
