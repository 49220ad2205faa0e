"""考核评价 and 统计报表: a deputy director scores, locks and exports the year's sheets, and
prints the monthly bulletin."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from commandcenter.db.engine import Database
from commandcenter.db.models import AssessmentSubject, IndicatorSource, PersonGroup, SheetStatus
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import centre_time, schemes, sheets
from commandcenter.services.assessment.metrics import METRICS
from commandcenter.ui.app import configure
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.dialogs.assessment_scheme import SchemeDialog
from commandcenter.ui.dialogs.figure_sources import SourcesDialog
from commandcenter.ui.pages.assessment import AssessmentPage
from commandcenter.ui.pages.reports import ReportsPage
from commandcenter.ui.runner import Runner
from tests.conftest import AS_OF
from tests.ui.test_incidents_ui import in_modal, save_and_wait


@pytest.fixture(autouse=True)
def _app(qapp) -> None:  # type: ignore[no-untyped-def]
    configure(qapp)


@pytest.fixture(autouse=True)
def _quiet(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Confirmations are answered 是; notices are collected instead of waiting for a click."""
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *_args, **_kwargs: QMessageBox.StandardButton.Yes
    )
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: told.append(text))
    return told


def page_for(db: Database, actor: Actor, tmp_path: Path, qtbot: QtBot) -> AssessmentPage:
    runner = Runner(db, actor, tmp_path / "documents")
    page = AssessmentPage(runner, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(page)
    page.year.setCurrentIndex(page.year.findData(AS_OF.year))
    page.resize(1500, 850)
    page.show()
    page.refresh()
    return page


def click(page: AssessmentPage, qtbot: QtBot, name: str) -> None:
    button = page.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    page.runner.wait()
    qtbot.wait(50)


@pytest.mark.slow
def test_a_leader_scores_reviews_locks_and_exports(
    demo_db: Database, leader: Actor, tmp_path: Path, qtbot: QtBot, _quiet: list[str]
) -> None:
    page = page_for(demo_db, leader, tmp_path, qtbot)
    summary = page.summary
    assert summary.rowCount() == 5 and "派驻机构双向考核方案" in page.scheme_label.text()
    # The last two agencies still wait for their hand scores: rank —, grade 待定.
    waiting = next(n for n in range(summary.rowCount()) if summary.item(n, 5).text() == "待定")
    summary.selectRow(waiting)
    pane = page.pane
    assert pane.detail is not None and pane.detail.missing
    name = pane.detail.subject_name
    for row, line in enumerate(pane.detail.lines):
        if line.source is not IndicatorSource.MANUAL:
            continue
        pane.table.selectRow(row)

        def score(dialog: QDialog) -> None:
            assert isinstance(dialog, form_dialog.FormDialog)
            dialog.fields["score"].put(91.5)
            dialog.fields["note"].put("街道考核小组评分")
            save_and_wait(qtbot, dialog)

        failures = in_modal(score)
        click(page, qtbot, "sheet_score")
        assert not failures, failures
    assert pane.detail is not None and not pane.detail.missing and pane.detail.total is not None

    # A figure opens onto the records behind it.
    figure = next(
        n for n, line in enumerate(pane.detail.lines) if line.metric == "incidents_received"
    )
    pane.table.selectRow(figure)
    seen: list[int] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, SourcesDialog)
        table = dialog.findChild(QTableWidget, "sourcesTable")
        assert table is not None
        seen.append(table.rowCount())
        dialog.reject()

    failures = in_modal(look)
    click(page, qtbot, "sheet_sources")
    qtbot.waitUntil(lambda: bool(seen) or bool(failures), timeout=5000)
    assert not failures and seen[0] == int(pane.detail.lines[figure].value_text.rstrip("件"))

    click(page, qtbot, "sheet_review")
    page.refresh()
    assert pane.detail is not None and pane.detail.status is SheetStatus.REVIEWED
    click(page, qtbot, "sheet_lock")
    page.refresh()
    assert pane.detail is not None and pane.detail.status is SheetStatus.LOCKED
    assert pane.detail.subject_name == name and "王建国" in pane.detail.locked
    assert not pane.buttons["score"].isEnabled() and pane.buttons["unlock"].isEnabled()
    qtbot.wait(100)  # the headers settle their widths on the next turn of the event loop
    page.grab().save(str(tmp_path / "assessment.png"))

    # The year-end export runs in a worker behind a progress dialog.
    page.export_to(AS_OF.year, tmp_path / "out")
    qtbot.waitUntil(lambda: hasattr(page, "last_export"), timeout=60_000)
    folder = tmp_path / "out" / f"{AS_OF.year}年度考核评价"
    assert (folder / f"{AS_OF.year}年度考核结果汇总表.pdf").exists()
    assert len(list((folder / "派驻机构").glob("*.pdf"))) == 5
    assert any("已导出考核评价表" in text for text in _quiet)


def test_an_operator_can_score_but_not_lock(
    demo_db: Database, operator: Actor, tmp_path: Path, qtbot: QtBot
) -> None:
    page = page_for(demo_db, operator, tmp_path, qtbot)
    assert page.lock_all_button.isHidden()
    with demo_db.read() as session:
        scheme = schemes.find(session, AS_OF.year, AssessmentSubject.AGENCY)
        assert scheme is not None
        reviewed = [
            x.id
            for x in sheets.scheme_sheets(session, scheme.id)
            if x.status is SheetStatus.REVIEWED
        ]
    row = next(n for n, r in enumerate(page._rows) if r.sheet_id == reviewed[0])
    page.summary.selectRow(row)
    assert not page.pane.buttons["lock"].isEnabled()


def test_the_page_shows_the_centres_part_and_the_scheme_its_definitions(
    demo_db: Database, leader: Actor, tmp_path: Path, qtbot: QtBot
) -> None:
    page = page_for(demo_db, leader, tmp_path, qtbot)
    page.runner.wait()
    qtbot.waitUntil(lambda: "受理至派单平均用时" in page.centre_label.text(), timeout=5000)
    with demo_db.read() as session:
        figures = centre_time.for_year(session, leader, AS_OF.year)
    assert page.centre_label.text() == centre_time.line(AS_OF.year, figures)
    page.subject.setCurrentIndex(page.subject.findText(PersonGroup.OFFICER.label))
    assert page.centre_label.isHidden()

    page.subject.setCurrentIndex(page.subject.findText(AssessmentSubject.AGENCY.label))
    assert page._scheme_id is not None
    dialog = SchemeDialog(page.runner, page._scheme_id, page)
    qtbot.addWidget(dialog)
    row = next(n for n, (_, i) in enumerate(dialog.rows) if i.metric == "on_time_rate")
    dialog.table.selectRow(row)
    shown = dialog.findChild(QLabel, "indicatorDefinition")
    assert shown is not None and shown.text() == f"统计口径：{METRICS['on_time_rate'].rule}"
    assert "自派单起算" in shown.text()
    assert dialog.table.item(row, 4).toolTip() == METRICS["on_time_rate"].rule


def test_reports_page_ranks_units_and_previews_the_bulletin(
    demo_db: Database, leader: Actor, tmp_path: Path, qtbot: QtBot
) -> None:
    runner = Runner(demo_db, leader, tmp_path / "documents")
    page = ReportsPage(runner, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(page)
    page.resize(1400, 850)
    page.show()
    page.month.setDate(QDate(2026, 10, 1))
    page.refresh()
    runner.wait()
    qtbot.waitUntil(lambda: page.ranking.rowCount() > 0, timeout=5000)
    boards = [page.ranking.item(n, 7).text() for n in range(page.ranking.rowCount())]
    overdue = [page.ranking.item(n, 4).text() for n in range(page.ranking.rowCount())]
    assert page.ranking.rowCount() == 7 and boards[0] == "红榜"
    assert all(o == "0" for b, o in zip(boards, overdue, strict=True) if b == "红榜")
    # The charts draw the 月通报's figures: every channel slice and every six-month bar.
    report = page.report
    assert report is not None and f"共受理各类事件 {report.received} 件" in page.summary.text()
    (pie,) = page.channels.chart().series()
    assert sum(int(part.value()) for part in pie.slices()) == report.received
    bars = page.trend.chart().series()[0].barSets()[0]
    assert [int(bars.at(n)) for n in range(bars.count())] == [p.received for p in report.trend]
    rated = [u for u in report.units if u.on_time_rate is not None]
    assert page.rates.chart().axes()[0].categories() == [u.unit for u in rated][::-1]
    page.span.setCurrentIndex(1)  # the quarter of the chosen month
    runner.wait()
    qtbot.waitUntil(lambda: page.report is not None and page.report.kind == "季汇总", timeout=5000)
    assert page.report.period.label == "2026年第四季度"  # type: ignore[union-attr]
    assert "超期未办结" in page.summary.text() and "减少入户" in page.summary.text()
    assert sum(n for _, n in page.report.by_status) == page.report.received  # type: ignore[union-attr]
    qtbot.mouseClick(page.bulletin_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.findChild(QDialog, "pdfPreview") is not None, timeout=30_000)
    preview = page.findChild(QDialog, "pdfPreview")
    assert preview is not None and preview.page_count == 3  # type: ignore[attr-defined]
    preview.close()


def test_the_progress_dialogs_cancel_stops_the_export(
    demo_db: Database, leader: Actor, tmp_path: Path, qtbot: QtBot, _quiet: list[str]
) -> None:
    page = page_for(demo_db, leader, tmp_path, qtbot)
    out = tmp_path / "导出"
    page.export_to(AS_OF.year, out)
    assert page.running_work() == f"正在导出{AS_OF.year}年度考核结果"
    page.export_dialog.findChild(QPushButton).click()  # its only button: 取消
    qtbot.waitUntil(lambda: page.running_work() is None, timeout=30_000)
    assert _quiet == ["导出已取消，未留下任何文件。"]
    assert list(out.iterdir()) == []


def test_the_scheme_selector_lists_each_groups_scheme(
    demo_db: Database, leader: Actor, tmp_path: Path, qtbot: QtBot
) -> None:
    page = page_for(demo_db, leader, tmp_path, qtbot)
    captions = [page.subject.itemText(n) for n in range(page.subject.count())]
    assert captions == ["派驻机构", "执法人员", "指挥室人员", "中队负责人", "协勤人员"]
    page.subject.setCurrentIndex(captions.index("指挥室人员"))
    assert page.scheme_label.text().startswith(f"{AS_OF.year}年度指挥室人员考核方案")
    with demo_db.read() as s:
        scheme = schemes.find(s, AS_OF.year, AssessmentSubject.PERSON, PersonGroup.COMMAND)
        assert scheme is not None
        assessed = {x.id for x in sheets.scheme_sheets(s, scheme.id)}
    shown = {row.sheet_id for row in page._rows}
    assert shown == assessed and len(shown) >= 4  # the command room alone, ranked apart
    # A 值班员 without an account: his account-based figures do not apply, and the sheet says why.
    for n in range(page.summary.rowCount()):
        page.summary.selectRow(n)
        detail = page.pane.detail
        assert detail is not None
        registered = next(line for line in detail.lines if line.metric == "incidents_registered")
        if registered.value_text == "不适用":
            assert registered.note == "不适用：本人未关联系统账号，无从统计"
            break
    else:
        pytest.fail("every 值班员 has an account")


def test_computing_reads_the_page_again_once(
    demo_db: Database, leader: Actor, tmp_path: Path, qtbot: QtBot, _quiet: list[str]
) -> None:
    page = page_for(demo_db, leader, tmp_path, qtbot)
    reads: list[int] = []
    original = page.refresh

    def counted() -> None:
        reads.append(1)
        original()

    page.refresh = counted  # type: ignore[method-assign]
    # On its own, the page reads itself again after the computation.
    click(page, qtbot, "computeSheets")
    qtbot.waitUntil(lambda: bool(_quiet))
    assert len(reads) == 1
    # In the window, the write's change refreshes the page it shows: not a second time.
    page.runner.changed.connect(lambda _areas: page.refresh())
    reads.clear()
    _quiet.clear()
    click(page, qtbot, "computeSheets")
    qtbot.waitUntil(lambda: bool(_quiet))
    assert len(reads) == 1 and "已按" in _quiet[0]
