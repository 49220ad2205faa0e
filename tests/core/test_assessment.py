"""Assessment: figures from the data, scoring, the sheet's life and the year-end export."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import time as systime
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from commandcenter.cli import main
from commandcenter.db.engine import Database
from commandcenter.db.models import (
    AssessmentScheme,
    AssessmentSubject,
    AuditRecord,
    Grade,
    GradeBand,
    Incident,
    Indicator,
    IndicatorSide,
    IndicatorSource,
    SheetStatus,
)
from commandcenter.demo.generator import DEMO_PASSWORD
from commandcenter.documents import year_end
from commandcenter.errors import PermissionDenied, UserError, ValidationError
from commandcenter.services import audit, reports, statistics
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import schemes, sheets, signing
from commandcenter.services.assessment.metrics import linear_score
from commandcenter.services.incidents import dispatch, parts, progress
from tests.conftest import AS_OF
from tests.core.incident_world import World, local
from tests.core.test_incidents import team, triaged

# --- scoring -----------------------------------------------------------------------------------


def test_linear_score_runs_either_way_and_is_clamped() -> None:
    assert linear_score(95, 100, 60) == 87.5  # a rate: higher is better
    assert linear_score(2, 0, 10) == 80  # a count of faults: lower is better
    assert linear_score(40, 100, 60) == 0 and linear_score(-1, 0, 10) == 100


def _scheme() -> AssessmentScheme:
    scheme = AssessmentScheme(year=2026, subject=AssessmentSubject.AGENCY, name="测试方案")
    scheme.indicators = [
        Indicator(id=1, name="按期办结率", source=IndicatorSource.COMPUTED, side=IndicatorSide.STREET, weight=40),
        Indicator(id=2, name="吹哨响应", source=IndicatorSource.COMPUTED, side=IndicatorSide.STREET, weight=20),
        Indicator(id=3, name="街道评价", source=IndicatorSource.MANUAL, side=IndicatorSide.STREET, weight=10),
        Indicator(id=4, name="部门评价", source=IndicatorSource.MANUAL, side=IndicatorSide.DEPARTMENT, weight=30),
    ]  # fmt: skip
    scheme.bands = [
        GradeBand(grade=g, min_score=m)
        for g, m in ((Grade.EXCELLENT, 90), (Grade.GOOD, 80), (Grade.PASS, 60), (Grade.FAIL, 0))
    ]
    return scheme


def test_totals_weigh_both_sides_and_wait_for_hand_scores() -> None:
    scheme = _scheme()
    waiting = sheets.totals(scheme, {1: 90, 2: 60, 3: 80, 4: None})
    assert waiting.total is None and waiting.missing == ["部门评价"]
    done = sheets.totals(scheme, {1: 90, 2: 60, 3: 80, 4: 100})
    assert done.street == round((40 * 90 + 20 * 60 + 10 * 80) / 70, 2)
    assert done.department == 100
    assert done.total == round((40 * 90 + 20 * 60 + 10 * 80 + 30 * 100) / 100, 2)  # 86.0
    assert done.grade is Grade.GOOD


def test_a_figure_that_does_not_apply_leaves_its_weight_to_the_others() -> None:
    scheme = _scheme()
    result = sheets.totals(scheme, {1: 90, 2: None, 3: 80, 4: 100})
    assert result.total == round((40 * 90 + 10 * 80 + 30 * 100) / 80, 2)


# --- figures from the data ----------------------------------------------------------------------


def test_figures_count_the_incidents_an_agency_handled(world: World) -> None:
    co = team(world, co_unit_ids=[world.agency])
    ids = [dispatched_with(world, co) for _ in range(3)]
    on_time, late, still_open = ids
    with world.db.write() as s:
        for incident_id in (on_time, late):
            progress.accept(s, world.operator, incident_id, signed_by="王强")
            progress.report_back(s, world.operator, incident_id, result="已处置")
            # The co-operating agency reports its own part; the incident closes only then.
            parts.accept_part(s, world.operator, incident_id, unit_id=world.agency, signed_by="李")
            parts.report_part(s, world.operator, incident_id, unit_id=world.agency, result="已配合")
        progress.close(s, world.operator2, on_time, satisfaction=5)
        deadline = s.get_one(Incident, late).deadline_at
    assert deadline is not None
    world.clock.set(deadline + timedelta(hours=3))
    with world.db.write() as s:
        progress.close(s, world.operator2, late, satisfaction=3)
    world.clock.set(local(date(2026, 12, 30), 16))
    with world.db.write() as s:
        scheme = schemes.ensure(s, world.leader, 2026, AssessmentSubject.AGENCY)
        result = sheets.compute(s, world.leader, scheme.id)
        assert result.period.first == date(2026, 1, 1) and result.period.last == date(2026, 12, 30)
    with world.db.read() as s:
        sheet = next(x for x in sheets.scheme_sheets(s, scheme.id) if x.unit_id == world.agency)
        d = sheets.detail(s, world.leader, sheet.id)
        figures = {line.metric: line.value_text for line in d.lines if line.metric}
        assert figures["incidents_received"] == "3件"
        # On the unit's clock: both reports came in time (the late closure was the centre's),
        # and the case still open past the unit's deadline weighs on the rate: 2 of 3.
        assert figures["on_time_rate"] == "66.7%"
        assert figures["overdue_count"] == "1件"
        assert figures["satisfaction"] == "不适用"  # it only co-handled them
        notes = {line.metric: line.note for line in d.lines if line.metric}
        assert notes["satisfaction"] == (
            "不适用：考核期内没有计入本项的记录。本项口径：考核期内办结、已回访、由该单位主办的"
            "事件满意度平均值（5 分制，协办不计）"
        )
        assert notes["on_time_rate"].startswith("按单位期限")  # a figure stands: its rule
        assert figures["returned_orders"] == "0件"
        received = next(i for i in scheme.indicators if i.metric == "incidents_received")
        overdue = next(i for i in scheme.indicators if i.metric == "overdue_count")
        numbers = {s.get_one(Incident, i).number for i in (on_time, late, still_open)}
        assert (
            set(sheets.figure_sources(s, world.leader, sheet.id, received.id).incident_numbers)
            == numbers
        )
        behind = sheets.figure_sources(s, world.leader, sheet.id, overdue.id)
        assert list(behind.incident_numbers) == [s.get_one(Incident, still_open).number]
        assert behind.rows[0][-2:] == ("未反馈", "超期未反馈")
        hand = next(i for i in scheme.indicators if i.source is IndicatorSource.MANUAL)
        with pytest.raises(ValidationError, match="人工评分"):
            sheets.figure_sources(s, world.leader, sheet.id, hand.id)


def dispatched_with(world: World, form: dispatch.DispatchForm) -> int:
    incident_id = triaged(world)
    with world.db.write() as s:
        dispatch.dispatch(s, world.operator, incident_id, form)
    return incident_id


# --- the sheet's life ---------------------------------------------------------------------------


def _agency_scheme(db: Database, actor: Actor) -> tuple[int, list[int]]:
    with db.read() as s:
        scheme = schemes.find(s, AS_OF.year, AssessmentSubject.AGENCY)
        assert scheme is not None
        return scheme.id, [i.id for i in scheme.indicators if i.source is IndicatorSource.MANUAL]


def test_score_review_lock_and_unlock(demo_db: Database, leader: Actor, operator: Actor) -> None:
    scheme_id, manual = _agency_scheme(demo_db, leader)
    with demo_db.read() as s:
        sheet = next(x for x in sheets.scheme_sheets(s, scheme_id) if x.status is SheetStatus.DRAFT)
        sheet_id = sheet.id
    with pytest.raises(ValidationError, match="0 到 100"), demo_db.write() as s:
        sheets.enter_score(s, operator, sheet_id, manual[0], 120)
    with demo_db.write() as s:
        sheets.enter_score(s, operator, sheet_id, manual[0], None)
    with pytest.raises(ValidationError, match="还有人工评分未录入"), demo_db.write() as s:
        sheets.review(s, operator, sheet_id)
    with demo_db.write() as s:
        for indicator_id in manual:
            sheets.enter_score(s, operator, sheet_id, indicator_id, 88.5, note="考核小组评分")
        sheets.review(s, operator, sheet_id)
    with pytest.raises(PermissionDenied), demo_db.write() as s:
        sheets.lock(s, operator, sheet_id)
    with demo_db.write() as s:
        locked = sheets.lock(s, leader, sheet_id)
        total = float(locked.total_score or 0)
        assert locked.status is SheetStatus.LOCKED and locked.grade is not None
    with pytest.raises(ValidationError, match="已锁定签发"), demo_db.write() as s:
        sheets.enter_score(s, operator, sheet_id, manual[0], 10)
    with demo_db.write() as s:  # recomputing leaves a locked sheet alone
        result = sheets.compute(s, leader, scheme_id, now=datetime.now().astimezone())
        assert result.skipped_locked >= 1
    with pytest.raises(ValidationError, match="方案不能再修改"), demo_db.write() as s:
        schemes.set_bands(
            s, leader, scheme_id, {Grade.EXCELLENT: 95, Grade.GOOD: 85, Grade.PASS: 60}
        )
    with pytest.raises(ValidationError, match="解锁理由"), demo_db.write() as s:
        sheets.unlock(s, leader, sheet_id, "  ")
    with demo_db.write() as s:
        sheets.unlock(s, leader, sheet_id, "部门评价分数录入有误，需更正")
        sheets.enter_score(s, operator, sheet_id, manual[0], 70)
    with demo_db.read() as s:
        d = sheets.detail(s, leader, sheet_id)
        assert d.status is SheetStatus.DRAFT and d.total != total
        actions = s.scalars(
            select(AuditRecord.action).where(AuditRecord.entity_id == sheet_id,
                                             AuditRecord.entity_type == "assessment_sheet")
        ).all()  # fmt: skip
        assert {
            "assessment.score",
            "assessment.review",
            "assessment.lock",
            "assessment.unlock",
        } <= set(actions)
        assert audit.verify_chain(s).intact


def test_a_new_year_starts_from_last_years_scheme(demo_db: Database, leader: Actor) -> None:
    scheme_id, _ = _agency_scheme(demo_db, leader)
    with demo_db.write() as s:
        on_time = s.scalar(
            select(Indicator).where(
                Indicator.scheme_id == scheme_id, Indicator.metric == "on_time_rate"
            )
        )
        assert on_time is not None
        form = schemes.IndicatorForm(
            code=on_time.code, name=on_time.name, source=on_time.source, side=on_time.side,
            weight=20, metric=on_time.metric, full_at=100, zero_at=70,
        )  # fmt: skip
        schemes.save_indicator(s, leader, scheme_id, form, on_time.id)
        received = s.scalar(
            select(Indicator).where(
                Indicator.scheme_id == scheme_id, Indicator.metric == "overdue_count"
            )
        )
        assert received is not None
        schemes.remove_indicator(s, leader, received.id)
    with demo_db.write() as s:
        next_year = schemes.ensure(s, leader, AS_OF.year + 1, AssessmentSubject.AGENCY)
        copied = {i.metric: i for i in next_year.indicators}
        assert next_year.copied_from_id == scheme_id
        assert (
            float(copied["on_time_rate"].weight) == 20
            and float(copied["on_time_rate"].zero_at or 0) == 70
        )
        assert "overdue_count" not in copied
        # 5 more on one, 8 fewer without the other: the weights must be balanced again
        assert schemes.problems(next_year) == ["各指标权重合计应为 100，现为 97。"]


def test_weights_must_add_up_before_computing(demo_db: Database, leader: Actor) -> None:
    scheme_id, _ = _agency_scheme(demo_db, leader)
    with demo_db.write() as s:
        overdue = s.scalar(
            select(Indicator).where(
                Indicator.scheme_id == scheme_id, Indicator.metric == "overdue_count"
            )
        )
        assert overdue is not None
        schemes.remove_indicator(s, leader, overdue.id)
    with pytest.raises(ValidationError, match="权重合计应为 100，现为 92"), demo_db.write() as s:
        sheets.compute(s, leader, scheme_id)


# --- year-end export ----------------------------------------------------------------------------


@pytest.mark.slow
def test_year_end_export_writes_every_sheet_and_a_sealed_summary(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    with demo_db.read() as s:
        count = sum(
            len(sheets.scheme_sheets(s, sc.id))
            for _subject, sc in schemes.for_year_export(s, leader, AS_OF.year)
        )
        result = year_end.export_year(
            s, leader, AS_OF.year, tmp_path / "导出", progress=lambda d, t, _w: seen.append((d, t))
        )
        # Sealed up to where the data stops (the computing moment), not up to the export.
        seal = signing.seal(
            s,
            AS_OF.year,
            [
                signing.basis(s, sc.id)
                for subject in AssessmentSubject
                if (sc := schemes.find(s, AS_OF.year, subject)) is not None
            ],
        )
    pdfs = [p for p in result.files if p.suffix == ".pdf"]
    assert len(pdfs) == count + 1 and result.sheets == count
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert seen[-1] == (count + 2, count + 2)
    book = load_workbook(result.folder / f"{AS_OF.year}年度考核结果汇总表.xlsx")
    # A sheet per scheme: each group is ranked on its own, never against another.
    assert book.sheetnames == [
        "派驻机构", "执法人员", "指挥室人员", "中队负责人", "协勤人员", "数据留痕"
    ]  # fmt: skip
    trail = next(book["数据留痕"].iter_rows(min_row=2, values_only=True))
    assert trail[1] == seal.count and trail[3] == seal.head_hash
    assert [p.name for p in (tmp_path / "导出").iterdir()] == [f"{AS_OF.year}年度考核评价"]


def test_a_cancelled_export_leaves_nothing(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    out = tmp_path / "导出"
    with pytest.raises(year_end.Cancelled), demo_db.read() as s:
        year_end.export_year(s, leader, AS_OF.year, out, cancelled=cancelled)
    assert list(out.iterdir()) == []


def _texts(folder: Path) -> dict[str, str]:
    """Each exported PDF's text, by its path in the folder."""
    return {
        str(pdf.relative_to(folder)): subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        for pdf in sorted(folder.rglob("*.pdf"))
    }


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by .ci/run"
)
def test_a_pool_of_processes_writes_the_same_papers_as_one_thread(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        alone = year_end.export_year(s, leader, AS_OF.year, tmp_path / "一个线程", processes=1)
        pooled = year_end.export_year(s, leader, AS_OF.year, tmp_path / "进程池", processes=2)
    assert pooled.sheets == alone.sheets > 2 * year_end.BATCH  # batches for both processes
    assert pooled.unlocked == alone.unlocked
    assert _texts(pooled.folder) == _texts(alone.folder)


@pytest.mark.slow
def test_a_large_year_is_exported_by_a_process_of_its_own(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    seen: list[tuple[int, int, str]] = []
    result = year_end.export(
        demo_db,
        leader,
        AS_OF.year,
        tmp_path / "导出",
        progress=lambda *p: seen.append(p),
        processes=2,  # as for a large year: the export process, and a pool of two
    )
    with demo_db.read() as s:
        alone = year_end.export_year(s, leader, AS_OF.year, tmp_path / "对照", processes=1)
    assert [p.relative_to(result.folder) for p in result.files] == [
        p.relative_to(alone.folder) for p in alone.files
    ]
    assert result.sheets == alone.sheets and seen[-1] == (alone.sheets + 2,) * 2 + ("完成",)


@pytest.mark.slow
def test_a_cancel_reaches_the_export_process(
    demo_db: Database, leader: Actor, tmp_path: Path
) -> None:
    started: list[int] = []
    out = tmp_path / "导出"
    with pytest.raises(year_end.Cancelled):
        year_end.export(
            demo_db,
            leader,
            AS_OF.year,
            out,
            progress=lambda done, _t, _w: started.append(done),
            cancelled=lambda: bool(started),
            processes=2,
        )
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("processes", [1, 2], ids=["in-thread", "own-process"])
def test_an_unwritable_folder_is_named_and_nothing_is_left(
    demo_db: Database, leader: Actor, tmp_path: Path, processes: int
) -> None:
    (tmp_path / "导出").mkdir()
    taken = tmp_path / "导出" / "同名文件"
    taken.write_text("不是文件夹", encoding="utf-8")
    with pytest.raises(UserError, match=r"无法在“.*同名文件”写入导出文件"):
        year_end.export(demo_db, leader, AS_OF.year, taken, processes=processes)
    assert taken.read_text(encoding="utf-8") == "不是文件夹"
    assert [p.name for p in (tmp_path / "导出").iterdir()] == ["同名文件"]


def test_a_foreign_error_in_the_export_process_arrives_with_its_traceback() -> None:
    try:
        {}["缺少的键"]
    except KeyError as exc:
        error = pickle.loads(pickle.dumps(year_end._portable(exc)))
    assert isinstance(error, RuntimeError)
    assert str(error) == "导出进程出错：KeyError: '缺少的键'"  # what the operator reads
    assert "Traceback" in error.__notes__[0] and "缺少的键" in error.__notes__[0]  # the log


# --- periods on Beijing days -----------------------------------------------------------------


@pytest.fixture
def machine_in_new_york() -> Iterator[None]:
    """The PC's own zone must not matter."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    systime.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    systime.tzset()


def test_periods_follow_beijing_days() -> None:
    q4 = statistics.quarter_period(2026, 4)
    assert (q4.first, q4.last) == (date(2026, 10, 1), date(2026, 12, 31))
    feb = statistics.month_period(2028, 2)
    assert feb.last == date(2028, 2, 29)
    assert statistics.week_period(date(2026, 11, 22)).first == date(2026, 11, 16)
    assert statistics.month_period(2026, 12).start.isoformat() == "2026-11-30T16:00:00+00:00"
    assert [m.label for m in statistics.months_of(q4)] == ["2026年10月", "2026年11月", "2026年12月"]


def test_yearly_totals_equal_the_sum_of_the_months(
    demo_db: Database, machine_in_new_york: None
) -> None:
    now = local(AS_OF, 18)
    with demo_db.read() as s:
        year = statistics.unit_figures(s, statistics.year_period(AS_OF.year), now)
        months = [
            statistics.unit_figures(s, m, now)
            for m in statistics.months_of(statistics.year_period(AS_OF.year))
        ]
        received_total = s.scalar(
            select(func.count(Incident.id)).where(
                statistics.received_in(statistics.year_period(AS_OF.year))
            )
        )
    for n, unit in enumerate(year):
        assert unit.received == sum(m[n].received for m in months)
        assert unit.reported == sum(m[n].reported for m in months)
        assert unit.reported_on_time == sum(m[n].reported_on_time for m in months)
    assert sum(u.received for u in year) >= received_total > 0  # co-handled count for both units


@pytest.mark.slow
def test_cli_exports_the_years_assessments(
    demo_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", DEMO_PASSWORD)
    url = demo_db.engine.url.render_as_string(hide_password=False)
    args = ["--db", url, "export", "assessments", "--user", "leader"]
    assert main([*args, "--year", str(AS_OF.year), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "已导出考核评价表" in out and "未锁定" in out
    assert (tmp_path / f"{AS_OF.year}年度考核评价" / f"{AS_OF.year}年度考核结果汇总表.pdf").exists()
    assert main([*args, "--year", "2019", "--out", str(tmp_path)]) == 2
    assert "2019年度尚无考核方案" in capsys.readouterr().err
    assert main(args) == 2  # without --year and --out


def test_cli_prints_the_monthly_bulletin_and_quarterly_summary(
    demo_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", DEMO_PASSWORD)
    url = demo_db.engine.url.render_as_string(hide_password=False)
    pdf = tmp_path / "bulletin.pdf"
    args = ["--db", url, "print", "bulletin", "-o", str(pdf), "--user", "operator"]
    assert main([*args, "--month", "2026-10"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert main([*args, "--month", "2026-13"]) == 2
    assert "--month" in capsys.readouterr().err
    quarter = tmp_path / "q.pdf"
    summary = ["--db", url, "print", "quarterly-summary", "-o", str(quarter), "--user", "operator"]
    assert main([*summary, "--quarter", "2026-3"]) == 0 and quarter.exists()


def test_the_bulletin_counts_agree_with_the_ranking(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        report = reports.monthly(s, leader, 2026, 10, now=local(AS_OF, 18))
        direct = s.scalar(
            select(func.count(Incident.id)).where(
                statistics.received_in(statistics.month_period(2026, 10))
            )
        )
    assert report.received == direct == sum(n for _, n in report.by_channel)
    assert report.received == sum(n for _, n in report.by_grid)
    assert [p.label for p in report.trend][-1] == "26年10月" and len(report.trend) == 6
    ranked = [r for r in report.ranking if r.rank]
    rates = [r.figures.on_time_rate or 0 for r in ranked]
    assert rates == sorted(rates, reverse=True)
    # Red: the best three ranked units with nothing overdue; nothing overdue is ever red.
    clean = [r for r in ranked if not r.figures.overdue][:3]
    assert clean and [r for r in ranked if r.board == "red"] == clean
    assert all(r.volume >= report.ranking_minimum for r in ranked)
