"""考核评价: the year's ranked sheets on the left, the chosen sheet on the right.

Compute (or recompute) from the data, open a figure to see the incidents behind it, enter the
hand scores, review, and - for a leader - lock and sign, unlock with a reason, and export the
whole year into a folder while the window stays usable.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil

# The year-end export (reportlab, openpyxl) is imported when it runs: the page's first visit
# does not wait for it.
from commandcenter.enums import (
    AssessmentSubject,
    Grade,
    PersonGroup,
    SheetStatus,
)
from commandcenter.services.assessment import centre_time, schemes, sheets
from commandcenter.services.incidents import detail
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui import palette
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.dialogs.assessment_scheme import SchemeDialog
from commandcenter.ui.icons import icon
from commandcenter.ui.pages.assessment_sheet import SheetPane, points
from commandcenter.ui.pages.base import Page
from commandcenter.ui.pages.list_page import page_title
from commandcenter.ui.runner import Runner, user_message
from commandcenter.ui.tables import fill, read_only_table

if TYPE_CHECKING:
    from commandcenter.documents import year_end


class _Relay(QObject):
    """Carries the export's progress from the worker thread to the GUI thread."""

    progressed = Signal(int, int, str)


class AssessmentPage(Page):
    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        self._exporting: tuple[int, threading.Event] | None = None  # year, and its cancel
        self._refreshes = 0  # how often the page was read again (a write's change refreshes it)
        self.year = QComboBox()
        self.year.setObjectName("assessmentYear")
        self.subject = QComboBox()
        self.subject.setObjectName("assessmentSubject")
        # One entry per scheme of a year: the agencies', then each person group's.
        self.subject.addItem(AssessmentSubject.AGENCY.label, AssessmentSubject.AGENCY.value)
        for group in PersonGroup:
            self.subject.addItem(group.label, f"{AssessmentSubject.PERSON.value}:{group.value}")
        self.compute_button = QPushButton(icon("calculate"), "计算考核数据")
        self.compute_button.setObjectName("computeSheets")
        self.compute_button.setToolTip(
            "按本年度数据计算（或重新计算）未锁定的考核评价表；人工评分保留"
        )
        self.scheme_button = QPushButton(icon("edit"), "考核方案")
        self.lock_all_button = QPushButton(icon("lock"), "锁定全部已复核")
        self.export_button = QPushButton(icon("export"), "年度导出…")
        self.results_button = QPushButton(icon("print"), "考核结果运用…")
        self.results_button.setObjectName("assessmentResults")
        self.results_button.setToolTip(
            "按锁定签发的派驻机构考核结果，打印考核结果通报函、推荐提名函和人事调整动议书"
        )
        self.export_button.setObjectName("exportYear")
        self.summary = read_only_table(
            ["名次", "考核对象", "街道评价", "部门评价", "综合得分", "等次", "状态"]
        )
        self.summary.setObjectName("assessmentSummary")
        self.summary.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.summary.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.summary.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.scheme_label = QLabel()
        self.scheme_label.setWordWrap(True)
        # The centre's own time (receipt to dispatch), beside the agencies assessed from the
        # dispatch on.
        self.centre_label = QLabel()
        self.centre_label.setObjectName("centreFigures")
        self.centre_label.setWordWrap(True)
        self.pane = SheetPane(runner, self)
        self.pane.changed.connect(self.refresh)
        self.pane.open_number.connect(self._open_number)
        self._rows: list[sheets.SummaryRow] = []
        self._scheme_id: int | None = None

        top = QHBoxLayout()
        top.addWidget(page_title("考核评价"))
        top.addStretch(1)
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year)
        top.addWidget(self.subject)
        for button in (
            self.compute_button,
            self.scheme_button,
            self.lock_all_button,
            self.export_button,
        ):
            top.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.scheme_label)
        left_layout.addWidget(self.centre_label)
        left_layout.addWidget(self.summary, 1)
        # Below the ranking it acts on, so the top row stays as narrow as it was.
        left_layout.addWidget(self.results_button, 0, Qt.AlignmentFlag.AlignRight)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.pane)
        splitter.setSizes([520, 700])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.compute_button.clicked.connect(self._compute)
        self.scheme_button.clicked.connect(self._edit_scheme)
        self.lock_all_button.clicked.connect(self._lock_all)
        self.export_button.clicked.connect(self._export)
        self.results_button.clicked.connect(self._results)
        self.year.currentIndexChanged.connect(lambda _n: self.refresh())
        self.subject.currentIndexChanged.connect(lambda _n: self.refresh())
        self.summary.itemSelectionChanged.connect(self._show_selected)
        actor = runner.actor
        self.compute_button.setEnabled(allowed(actor, Action.EDIT_ASSESSMENT))
        self.scheme_button.setEnabled(allowed(actor, Action.EDIT_ASSESSMENT))
        self.lock_all_button.setVisible(allowed(actor, Action.LOCK_ASSESSMENT))
        self.export_button.setEnabled(allowed(actor, Action.PRINT_DOCUMENT))
        self.results_button.setVisible(allowed(actor, Action.PRINT_ASSESSMENT_RESULTS))
        self._fill_years()

    def _fill_years(self) -> None:
        known = self.runner.read_now(schemes.scheme_years)
        this_year = timeutil.today().year
        # No refresh per year added: the page is refreshed once, when it is shown.
        self.year.blockSignals(True)
        for year in sorted({this_year, *known}, reverse=True):
            self.year.addItem(f"{year}年度", year)
        self.year.blockSignals(False)

    def chosen(self) -> tuple[int, AssessmentSubject, PersonGroup | None]:
        """The year, and whom the scheme shown assesses (a person group, or agencies)."""
        subject, _, group = str(self.subject.currentData()).partition(":")
        return (
            int(self.year.currentData()),
            AssessmentSubject(subject),
            PersonGroup(group) if group else None,
        )

    def refresh(self) -> None:
        self._refreshes += 1
        year, subject, group = self.chosen()
        who = group.label if group else subject.label

        def load(session: Any, actor: Any) -> tuple[Any, list[sheets.SummaryRow], list[str]]:
            scheme = schemes.find(session, year, subject, group)
            if scheme is None:
                return None, [], []
            return (
                (scheme.id, scheme.name),
                sheets.summary(session, actor, scheme.id),
                schemes.problems(scheme),
            )

        found, rows, problems = self.runner.read_now(load)
        selected = self.pane.detail.id if self.pane.detail else None
        self._rows = rows
        self._scheme_id = found[0] if found else None
        self.results_button.setEnabled(
            found is not None and subject is AssessmentSubject.AGENCY and bool(rows)
        )
        if found is None:
            self.scheme_label.setText(
                f"{year}年度尚无{who}考核方案。点击“计算考核数据”将沿用上一年度方案"
                "（或默认方案）建立，并按本年度数据生成考核评价表。"
            )
        else:
            counts = {s: sum(1 for r in rows if r.status is s) for s in SheetStatus}
            self.scheme_label.setText(
                f"{found[1]}：共 {len(rows)} 份，"
                + "，".join(f"{s.label} {n}" for s, n in counts.items())
                + (
                    f"。<span style='color:{palette.ERROR_TEXT}'>{problems[0]}</span>"
                    if problems
                    else ""
                )
            )
        # Refilling moves the selection; the pane is shown once, below, for the row kept.
        self.summary.blockSignals(True)
        fill(
            self.summary,
            [
                [
                    str(row.rank) if row.rank else "—",
                    row.name,
                    points(row.street),
                    points(row.department) if subject is AssessmentSubject.AGENCY else "—",
                    points(row.total),
                    row.grade.label if row.grade else "待定",
                    row.status.label,
                ]
                for row in rows
            ],
        )
        for i, row in enumerate(rows):
            grade = self.summary.item(i, 5)
            if grade is not None and row.grade is Grade.FAIL:
                grade.setForeground(QColor(palette.FAIL_TEXT))
        self.summary.blockSignals(False)
        again = next((n for n, r in enumerate(rows) if r.sheet_id == selected), None)
        if again is None and rows:
            again, selected = 0, rows[0].sheet_id  # open on the top of the ranking
        if again is not None:
            self.summary.selectRow(again)
        self.pane.show_sheet(selected if again is not None else None)
        self._show_centre(year, subject)

    def _show_centre(self, year: int, subject: AssessmentSubject) -> None:
        self.centre_label.setVisible(subject is AssessmentSubject.AGENCY)
        if subject is not AssessmentSubject.AGENCY:
            return

        def done(figures: Any) -> None:
            if self.chosen()[:2] == (year, subject):  # not a year left meanwhile
                self.centre_label.setText(centre_time.line(year, figures))

        self.runner.run(
            lambda session, actor: centre_time.for_year(session, actor, year), done, parent=self
        )

    def focus_search(self) -> None:
        self.summary.setFocus()

    def _show_selected(self) -> None:
        rows = self.summary.selectionModel().selectedRows()
        self.pane.show_sheet(self._rows[rows[0].row()].sheet_id if rows else None)

    def _open_number(self, number: str) -> None:
        incident_id = self.runner.read_now(
            lambda session, actor: detail.find_incident(session, actor, number)
        )
        if incident_id is not None:
            self.open_incident.emit(incident_id)

    def _compute(self) -> None:
        year, subject, group = self.chosen()
        refreshes = self._refreshes

        def work(session: Any, actor: Any) -> sheets.ComputeResult:
            scheme = schemes.ensure(session, actor, year, subject, group)
            return sheets.compute(session, actor, scheme.id)

        def done(result: sheets.ComputeResult) -> None:
            # The window refreshes the page it shows on the write's change, just before this;
            # a second refill of the ranking and the sheet took 0.3 s on a large street.
            if self._refreshes == refreshes:
                self.refresh()
            QMessageBox.information(
                self,
                "计算完成",
                f"已按{result.period.text}的数据计算 {result.sheets - result.skipped_locked} 份"
                f"（新建 {result.created} 份）"
                + (f"，{result.skipped_locked} 份已锁定未改动" if result.skipped_locked else "")
                + (f"，{result.removed} 份因人员转入其他考核方案已删除" if result.removed else "")
                + "。"
                + (
                    f"\n不属于本方案（已锁定或已人工评分，保留未动）：{'、'.join(result.not_belonging)}"
                    if result.not_belonging
                    else ""
                ),
            )

        self.runner.run(work, done, write=True, parent=self, busy=self.compute_button)

    def _lock_all(self) -> None:
        if self._scheme_id is None:
            return
        scheme_id = self._scheme_id
        form_dialog.confirm(
            self,
            self.runner,
            "锁定签发",
            "将本方案下全部“已复核”的考核评价表锁定签发。锁定后不能修改，确定？",
            lambda session, actor: sheets.lock_reviewed(session, actor, scheme_id),
        )

    def _edit_scheme(self) -> None:
        year, subject, group = self.chosen()
        scheme_id = self.runner.read_now(
            lambda session, actor: (
                scheme.id if (scheme := schemes.find(session, year, subject, group)) else None
            )
        )
        if scheme_id is None:
            QMessageBox.information(self, "考核方案", "请先点击“计算考核数据”建立本年度方案。")
            return
        SchemeDialog(self.runner, scheme_id, self).exec()
        self.refresh()

    def _results(self) -> None:
        if self._scheme_id is not None:
            # Its papers (reportlab) load when it opens, not with the page.
            from commandcenter.ui.dialogs.assessment_results import ResultsDialog

            ResultsDialog(self.runner, self._scheme_id, self).exec()

    def _export(self) -> None:
        year = int(self.year.currentData())
        folder = QFileDialog.getExistingDirectory(self, f"选择{year}年度考核结果的导出位置")
        if folder:
            self.export_to(year, Path(folder))

    def running_work(self) -> str | None:
        """What the page is doing that closing the window would cut short, in words."""
        return f"正在导出{self._exporting[0]}年度考核结果" if self._exporting else None

    def cancel_running(self) -> None:
        if self._exporting:
            self._exporting[1].set()

    def export_to(self, year: int, folder: Path) -> None:
        """Export in a worker with a cancellable progress dialog; the window stays usable."""
        stop = threading.Event()
        self._exporting = (year, stop)
        relay = _Relay(self)
        dialog = QProgressDialog("正在准备…", "取消", 0, 100, self)
        dialog.setObjectName("exportProgress")
        dialog.setWindowTitle(f"导出{year}年度考核结果")
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(stop.set)

        def progressed(done: int, total: int, what: str) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done)
            dialog.setLabelText(f"正在生成：{what}（{done}/{total}）")

        relay.progressed.connect(progressed)

        def work(db: Any, actor: Any) -> year_end.ExportResult:
            # Imported here, in the worker: loading it took the window 0.11 s at the start.
            from commandcenter.documents import year_end

            return year_end.export(
                db, actor, year, folder, progress=relay.progressed.emit, cancelled=stop.is_set
            )

        def finished(result: year_end.ExportResult) -> None:
            self._exporting = None
            dialog.close()
            relay.deleteLater()
            note = (
                f"\n其中 {result.unlocked} 份尚未锁定签发，打印件带“未锁定”水印。"
                if result.unlocked
                else ""
            )
            if result.papers:
                note += f"\n考核结果运用文书 {result.papers} 份在“考核结果运用”文件夹中。"
            self.last_export = result
            QMessageBox.information(
                self,
                "导出完成",
                f"已导出考核评价表 {result.sheets} 份及汇总表（PDF、Excel）到：\n{result.folder}{note}",
            )

        def failed(exc: BaseException) -> None:
            from commandcenter.documents import year_end  # as a rule loaded by the work by now

            self._exporting = None
            dialog.close()
            relay.deleteLater()
            if isinstance(exc, year_end.Cancelled):
                if self.isVisible():  # not after the window was closed, which cancelled it
                    QMessageBox.information(self, "已取消", exc.message)
            else:
                QMessageBox.warning(self, "导出未完成", user_message(exc))

        self.export_dialog = dialog
        dialog.show()
        self.runner.run_transactions(work, finished, parent=self, on_error=failed)
