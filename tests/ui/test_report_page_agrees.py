"""The 统计报表 page, the 月通报 and the 季汇总 print the same figures for the same period, on a
small street whose figures are checked by hand in tests/core/test_report_figures.py."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings
from pytestqt.qtbot import QtBot

from commandcenter.documents import bulletin
from commandcenter.services import reports
from commandcenter.ui.pages.reports import ReportsPage
from commandcenter.ui.runner import Runner
from tests.core.incident_world import World
from tests.core.test_report_figures import AFTER_NOVEMBER, add_cases, add_plans

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by .ci/run"
)


def _text(pdf: Path, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _flat(text: str) -> str:
    return "".join(text.split())


def _paper_rows(pdf: Path, units: list[str]) -> dict[str, list[str]]:
    """The units' table rows of a paper: 承办, 办结, 按期办结, 超期, 件数, 按期率 …"""
    rows = {}
    for line in _text(pdf, layout=True).splitlines():
        cells = line.split()
        if cells and cells[0] in units and len(cells) == 9:
            rows[cells[0]] = cells[1:]
    return rows


def _shown(page: ReportsPage, qtbot: QtBot, runner: Runner, kind: str) -> reports.PeriodReport:
    page.refresh()
    runner.wait()
    qtbot.waitUntil(lambda: page.report is not None and page.report.kind == kind, timeout=5000)
    assert page.report is not None
    return page.report


def test_the_page_and_the_papers_print_the_same_figures(
    world: World, tmp_path: Path, qtbot: QtBot
) -> None:
    add_cases(world)
    add_plans(world)
    world.clock.set(AFTER_NOVEMBER)
    runner = Runner(world.db, world.leader, tmp_path / "documents")
    page = ReportsPage(runner, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.month.setDate(QDate(2026, 11, 1))
    for kind, span, render in (
        (
            "月通报",
            0,
            lambda s, path: bulletin.print_monthly(s, world.leader, 2026, 11, path),
        ),
        (
            "季汇总",
            1,
            lambda s, path: bulletin.print_quarterly(s, world.leader, 2026, 4, path),
        ),
    ):
        page.span.setCurrentIndex(span)
        report = _shown(page, qtbot, runner, kind)
        with world.db.read() as s:
            pdf = render(s, tmp_path / f"{kind}.pdf")
        paper = _flat(_text(pdf))
        # 一、总体情况 and the joint operations, word for word, and the note on how they count
        summary = page.summary.text().split("\n")
        assert summary == [reports.overview_text(report), reports.joint_text(report)]
        assert page.patrol_summary.text() == reports.patrol_text(report)
        assert all(_flat(line) in paper for line in summary)
        assert _flat(reports.FIGURES_NOTE) in paper and _flat(page.note.text()) in paper
        # the units: 承办, 办结, 超期 and 件数 beside the rate, as the page ranks them
        units = [r.figures.unit for r in report.ranking]
        on_paper = _paper_rows(pdf, units)
        assert set(on_paper) == set(units)
        for n in range(page.ranking.rowCount()):
            cells = [page.ranking.item(n, c).text() for c in range(page.ranking.columnCount())]
            received, closed, _on_time, overdue, volume, rate, *_ = on_paper[cells[1]]
            assert [received, closed, overdue, volume, rate] == cells[2:7]
    # The month by hand (tests/core/test_report_figures.py): 受理 5, 办结 3, 按期 2, 超期 2.
    page.span.setCurrentIndex(0)
    report = _shown(page, qtbot, runner, "月通报")
    assert (report.received, report.closed, report.closed_on_time, report.overdue) == (5, 3, 2, 2)
    assert "按期办结率 40.0%" in page.summary.text()
    # The quarter to 10 December: October's A, E; November's five; December's I.
    page.span.setCurrentIndex(1)
    quarter = _shown(page, qtbot, runner, "季汇总")
    assert quarter.running and quarter.received == 8
    assert "环比（同期前71天）" in page.summary.text()
