"""考核评价: the year's ranked sheets on the left, the chosen sheet on the right.

Compute (or recompute) from the data, open a figure to see the incidents behind it, enter the
hand scores, review, and - for a leader - lock and sign, unlock with a reason, and export the
whole year into a folder while the window stays usable.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal, SignalInstance
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.documents import assessment_papers, year_end
from commandcenter.enums import (
    AssessmentSubject,
    Grade,
    IndicatorSource,
    SheetStatus,
)
from commandcenter.services.assessment import schemes, sheets
from commandcenter.services.assessment.metrics import METRICS, Sources
from commandcenter.services.incidents.detail import incident_id_for
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui import palette
from commandcenter.ui.dialogs import form_dialog as form_dialog
from commandcenter.ui.icons import icon
from commandcenter.ui.pages.base import Page
from commandcenter.ui.pages.list_page import page_title
from commandcenter.ui.printing import generate_and_preview
from commandcenter.ui.runner import Runner, user_message
from commandcenter.ui.tables import fill, read_only_table


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


class SourcesDialog(QDialog):
    """The records behind one figure; double-click an incident to open it in the queue."""

    def __init__(
        self, title: str, sources: Sources, parent: QWidget, opener: SignalInstance
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 480)
        self.sources = sources
        self.opener = opener
        table = read_only_table(list(sources.headers))
        table.setObjectName("sourcesTable")
        fill(table, [list(r) for r in sources.rows])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.doubleClicked.connect(lambda index: self._open(index.row()))
        self.table = table
        hint = QLabel(
            f"共 {len(sources.rows)} 条。"
            + ("双击一行可在事件队列中打开该事件。" if any(sources.incident_numbers) else "")
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(table, 1)
        layout.addWidget(buttons)

    def _open(self, row: int) -> None:
        number = self.sources.incident_numbers[row] if row < len(self.sources.rows) else None
        if number:
            self.opener.emit(number)
            self.accept()


class _Relay(QObject):
    """Carries the export's progress from the worker thread to the GUI thread."""

    progressed = Signal(int, int, str)


class SheetPane(QWidget):
    """One sheet: its figures, totals and the steps its status allows."""

    changed = Signal()
    open_number = Signal(str)

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.detail: sheets.SheetDetail | None = None
        self.title = QLabel("请在左侧选择一张考核评价表")
        self.title.setObjectName("paneTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.table = read_only_table(
            ["指标", "评价方", "来源", "考核数据", "权重", "得分", "折算分"]
        )
        self.table.setObjectName("scoreTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self._open_row())
        self.totals = QLabel()
        self.totals.setObjectName("sheetTotals")
        self.totals.setStyleSheet("font-size: 14px;")
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text, name in (
            ("score", "录入评分", "edit"),
            ("sources", "查看数据明细", "details"),
            ("review", "复核", "review"),
            ("lock", "锁定签发", "lock"),
            ("unlock", "解锁", "unlock"),
            ("print", "打印预览", "print"),
        ):
            button = QPushButton(icon(name), text)
            button.setObjectName(f"sheet_{key}")
            button.clicked.connect(getattr(self, f"_{key}"))
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addLayout(bar)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def show_sheet(self, sheet_id: int | None) -> None:
        if sheet_id is None:
            self.detail = None
            self.title.setText("请在左侧选择一张考核评价表")
            self.info.clear()
            self.totals.clear()
            self.table.setRowCount(0)
            self._update_buttons()
            return
        self.detail = self.runner.read_now(
            lambda session, actor: sheets.detail(session, actor, sheet_id)
        )
        detail = self.detail
        assert detail is not None
        self.title.setText(f"{detail.subject_name}　{detail.year}年度考核评价表")
        agency = detail.subject is AssessmentSubject.AGENCY
        first = [
            f"{'主管部门' if agency else '所在单位'}：{detail.subject_detail}",
            f"考核期间：{detail.period.text if detail.period else '尚未计算'}",
        ]
        second = [f"状态：<b>{detail.status.label}</b>"]
        if detail.reviewed:
            second.append(f"复核：{detail.reviewed}")
        if detail.locked:
            second.append(f"锁定签发：{detail.locked}")
        self.info.setText("　".join(first) + "<br>" + "　".join(second))
        fill(
            self.table,
            [
                [
                    line.name,
                    line.side.label,
                    line.source.label,
                    line.value_text,
                    f"{line.weight:g}",
                    _points(line.score),
                    _points(line.weighted),
                ]
                for line in detail.lines
            ],
        )
        for row, line in enumerate(detail.lines):
            if (name := self.table.item(row, 0)) is not None:
                name.setToolTip(line.note)
            value = self.table.item(row, 3)
            if value is not None and line.source is IndicatorSource.MANUAL and line.score is None:
                value.setForeground(QColor(palette.FAIL_TEXT))
        parts = [f"街道评价 {_points(detail.street)}"]
        if detail.subject is AssessmentSubject.AGENCY:
            parts.append(f"部门评价 {_points(detail.department)}")
        parts.append(f"综合得分 <b>{_points(detail.total)}</b>")
        parts.append(f"等次 <b>{detail.grade.label if detail.grade else '待定'}</b>")
        if detail.missing:
            parts.append(
                f"<span style='color:{palette.ERROR_TEXT}'>待评分：{'、'.join(detail.missing)}</span>"
            )
        self.totals.setText("　".join(parts))
        self._update_buttons()

    def _line(self) -> sheets.ScoreLine | None:
        rows = self.table.selectionModel().selectedRows() if self.detail else []
        if not rows or self.detail is None:
            return None
        return self.detail.lines[rows[0].row()]

    def _update_buttons(self) -> None:
        detail, line, actor = self.detail, self._line(), self.runner.actor
        open_ = detail is not None and detail.status is not SheetStatus.LOCKED
        editor = allowed(actor, Action.EDIT_ASSESSMENT)
        leader = allowed(actor, Action.LOCK_ASSESSMENT)
        manual = line is not None and line.source is IndicatorSource.MANUAL
        self.buttons["score"].setEnabled(open_ and editor and manual)
        self.buttons["sources"].setEnabled(line is not None and line.metric in METRICS)
        self.buttons["review"].setEnabled(
            open_ and editor and detail is not None and detail.status is SheetStatus.DRAFT
        )
        self.buttons["lock"].setEnabled(
            leader and detail is not None and detail.status is SheetStatus.REVIEWED
        )
        self.buttons["unlock"].setEnabled(
            leader and detail is not None and detail.status is SheetStatus.LOCKED
        )
        self.buttons["print"].setEnabled(detail is not None)

    def _done(self, _result: Any = None) -> None:
        if self.detail is not None:
            self.show_sheet(self.detail.id)
        self.changed.emit()

    def _open_row(self) -> None:
        line = self._line()
        if line is None:
            return
        if line.metric in METRICS:
            self._sources()
        elif line.source is IndicatorSource.MANUAL and self.buttons["score"].isEnabled():
            self._score()

    def _score(self) -> None:
        detail, line = self.detail, self._line()
        if detail is None or line is None:
            return
        fields = [
            form_dialog.decimal("score", "评分（0–100）", maximum=100),
            form_dialog.text("note", "评分说明", "如：街道考核小组评分、区级部门反馈"),
        ]
        dialog = form_dialog.FormDialog(
            self.runner,
            f"录入评分：{line.name}",
            fields,
            lambda values: (
                lambda session, actor: (
                    sheets.enter_score(
                        session,
                        actor,
                        detail.id,
                        line.indicator_id,
                        values["score"],
                        note=values["note"],
                        expected_version=detail.version,
                    ).id
                )
            ),
            parent=self,
            intro=f"{detail.subject_name} · {line.name}（权重 {line.weight:g}）",
        ).load({"score": line.score or 0, "note": "" if line.metric else line.note})
        if dialog.exec():
            self._done()

    def _sources(self) -> None:
        detail, line = self.detail, self._line()
        if detail is None or line is None:
            return

        def show(sources: Sources) -> None:
            SourcesDialog(
                f"{detail.subject_name} · {line.name}：{line.value_text}",
                sources,
                self,
                self.open_number,
            ).exec()

        self.runner.run(
            lambda session, actor: sheets.figure_sources(
                session, actor, detail.id, line.indicator_id
            ),
            show,
            parent=self,
        )

    def _review(self) -> None:
        detail = self.detail
        if detail is None:
            return
        form_dialog.confirm(
            self,
            self.runner,
            "复核",
            f"确认{detail.subject_name}的考核数据已核对、人工评分已录入？",
            lambda session, actor: sheets.review(session, actor, detail.id, detail.version).id,
        )

    def _lock(self) -> None:
        detail = self.detail
        if detail is None:
            return
        form_dialog.confirm(
            self,
            self.runner,
            "锁定签发",
            f"锁定签发后{detail.subject_name}的考核评价表不能再修改（综合得分 {_points(detail.total)}，"
            f"{detail.grade.label if detail.grade else ''}）。确定锁定？",
            lambda session, actor: sheets.lock(session, actor, detail.id, detail.version).id,
        )

    def _unlock(self) -> None:
        detail = self.detail
        if detail is None:
            return
        dialog = form_dialog.FormDialog(
            self.runner,
            "解锁考核评价表",
            [form_dialog.text("reason", "解锁理由", "如：部门评价分数录入有误", multiline=True)],
            lambda values: (
                lambda session, actor: (
                    sheets.unlock(session, actor, detail.id, values["reason"], detail.version).id
                )
            ),
            parent=self,
            intro="解锁将记入操作记录；解锁后表格回到“已复核”，修改后须重新复核、锁定。",
        )
        if dialog.exec():
            self._done()

    def _print(self) -> None:
        detail = self.detail
        if detail is None:
            return
        generate_and_preview(
            self,
            self.runner,
            "考核评价表",
            f"{detail.subject_name} {detail.year}年度考核评价表",
            lambda session, actor, path: assessment_papers.print_sheet(
                session, actor, detail.id, path
            ),
        )


class AssessmentPage(Page):
    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        self._exporting: tuple[int, threading.Event] | None = None  # year, and its cancel
        self.year = QComboBox()
        self.year.setObjectName("assessmentYear")
        self.subject = QComboBox()
        self.subject.setObjectName("assessmentSubject")
        for subject in AssessmentSubject:
            self.subject.addItem(subject.label, subject)
        self.compute_button = QPushButton(icon("calculate"), "计算考核数据")
        self.compute_button.setObjectName("computeSheets")
        self.compute_button.setToolTip(
            "按本年度数据计算（或重新计算）未锁定的考核评价表；人工评分保留"
        )
        self.scheme_button = QPushButton(icon("edit"), "考核方案")
        self.lock_all_button = QPushButton(icon("lock"), "锁定全部已复核")
        self.export_button = QPushButton(icon("export"), "年度导出…")
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
        left_layout.addWidget(self.summary, 1)
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
        self.year.currentIndexChanged.connect(lambda _n: self.refresh())
        self.subject.currentIndexChanged.connect(lambda _n: self.refresh())
        self.summary.itemSelectionChanged.connect(self._show_selected)
        actor = runner.actor
        self.compute_button.setEnabled(allowed(actor, Action.EDIT_ASSESSMENT))
        self.scheme_button.setEnabled(allowed(actor, Action.EDIT_ASSESSMENT))
        self.lock_all_button.setVisible(allowed(actor, Action.LOCK_ASSESSMENT))
        self.export_button.setEnabled(allowed(actor, Action.PRINT_DOCUMENT))
        self._fill_years()

    def _fill_years(self) -> None:
        known = self.runner.read_now(lambda session, actor: schemes.years(session))
        this_year = timeutil.today().year
        self.year.blockSignals(True)
        for year in sorted({this_year, *known}, reverse=True):
            self.year.addItem(f"{year}年度", year)
        self.year.blockSignals(False)

    def chosen(self) -> tuple[int, AssessmentSubject]:
        return int(self.year.currentData()), AssessmentSubject(self.subject.currentData())

    def refresh(self) -> None:
        year, subject = self.chosen()

        def load(session: Any, actor: Any) -> tuple[Any, list[sheets.SummaryRow], list[str]]:
            scheme = schemes.find(session, year, subject)
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
        if found is None:
            self.scheme_label.setText(
                f"{year}年度尚无{subject.label}考核方案。点击“计算考核数据”将沿用上一年度方案"
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
        self.summary.blockSignals(True)
        fill(
            self.summary,
            [
                [
                    str(r.rank) if r.rank else "—",
                    r.name,
                    _points(r.street),
                    _points(r.department) if subject is AssessmentSubject.AGENCY else "—",
                    _points(r.total),
                    r.grade.label if r.grade else "待定",
                    r.status.label,
                ]
                for r in rows
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

    def focus_search(self) -> None:
        self.summary.setFocus()

    def _show_selected(self) -> None:
        rows = self.summary.selectionModel().selectedRows()
        self.pane.show_sheet(self._rows[rows[0].row()].sheet_id if rows else None)

    def _open_number(self, number: str) -> None:
        incident_id = self.runner.read_now(lambda session, actor: incident_id_for(session, number))
        if incident_id is not None:
            self.open_incident.emit(incident_id)

    def _compute(self) -> None:
        year, subject = self.chosen()

        def work(session: Any, actor: Any) -> sheets.ComputeResult:
            scheme = schemes.ensure(session, actor, year, subject)
            return sheets.compute(session, actor, scheme.id)

        def done(result: sheets.ComputeResult) -> None:
            self.refresh()
            QMessageBox.information(
                self,
                "计算完成",
                f"已按{result.period.text}的数据计算 {result.sheets - result.skipped_locked} 份"
                f"（新建 {result.created} 份）"
                + (f"，{result.skipped_locked} 份已锁定未改动" if result.skipped_locked else "")
                + "。",
            )

        self.runner.run(work, done, write=True, parent=self)

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
        year, subject = self.chosen()
        scheme_id = self.runner.read_now(
            lambda session, actor: (
                scheme.id if (scheme := schemes.find(session, year, subject)) else None
            )
        )
        if scheme_id is None:
            QMessageBox.information(self, "考核方案", "请先点击“计算考核数据”建立本年度方案。")
            return
        SchemeDialog(self.runner, scheme_id, self).exec()
        self.refresh()

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
            self.last_export = result
            QMessageBox.information(
                self,
                "导出完成",
                f"已导出考核评价表 {result.sheets} 份及汇总表（PDF、Excel）到：\n{result.folder}{note}",
            )

        def failed(exc: BaseException) -> None:
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


class SchemeDialog(QDialog):
    """The scheme's indicators and grade bands; editable until a sheet is locked."""

    def __init__(self, runner: Runner, scheme_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.scheme_id = scheme_id
        self.resize(900, 520)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.table: QTableWidget = read_only_table(
            ["代码", "指标", "评价方", "来源", "统计口径", "权重", "满分值", "零分值"]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self._edit())
        edit = QPushButton(icon("edit"), "修改指标")
        edit.clicked.connect(self._edit)
        bands = QPushButton("等次分数线")
        bands.clicked.connect(self._bands)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(edit)
        bar.addWidget(bands)
        bar.addStretch(1)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        self.load()

    def load(self) -> None:
        scheme = self.runner.read_now(
            lambda session, actor: schemes.view(session, actor, self.scheme_id)
        )
        self.rows, self.bands = scheme.indicators, scheme.bands
        problems, locked = scheme.problems, scheme.locked_sheets
        self.setWindowTitle(scheme.name)
        total = sum(f.weight for _, f in self.rows)
        band_text = "，".join(f"{g.label} ≥ {v:g}" for g, v in self.bands.items())
        self.info.setText(
            f"权重合计 {total:g}；等次分数线：{band_text}。"
            + (
                f"<br><span style='color:{palette.ERROR_TEXT}'>{'；'.join(problems)}</span>"
                if problems
                else ""
            )
            + (f"<br>已有 {locked} 份考核评价表锁定签发，方案只能查看。" if locked else "")
        )
        fill(
            self.table,
            [
                [
                    f.code,
                    f.name,
                    f.side.label,
                    f.source.label,
                    METRICS[f.metric].label if f.metric in METRICS else "—",
                    f"{f.weight:g}",
                    "—" if f.full_at is None else f"{f.full_at:g}",
                    "—" if f.zero_at is None else f"{f.zero_at:g}",
                ]
                for _, f in self.rows
            ],
        )

    def _edit(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        indicator_id, form = self.rows[rows[0].row()]
        fields = [
            form_dialog.text("name", "指标名称"),
            form_dialog.decimal("weight", "权重", maximum=100),
        ]
        if form.metric:
            fields += [
                form_dialog.decimal("full_at", "满分值（达到即得满分）", maximum=100_000),
                form_dialog.decimal("zero_at", "零分值（达到即不得分）", maximum=100_000),
            ]

        def submit(values: dict[str, Any]) -> Any:
            changed = schemes.IndicatorForm(
                **{**vars(form), **{k: values[k] for k in values}}  # the fields the dialog shows
            )
            return lambda session, actor: (
                schemes.save_indicator(session, actor, self.scheme_id, changed, indicator_id).id
            )

        dialog = form_dialog.FormDialog(
            self.runner,
            f"修改指标：{form.name}",
            fields,
            submit,
            parent=self,
            intro=METRICS[form.metric].rule if form.metric in METRICS else "人工评分指标。",
        ).load(vars(form))
        if dialog.exec():
            self.load()

    def _bands(self) -> None:
        fields = [
            form_dialog.decimal("excellent", "优秀（不低于）", maximum=100),
            form_dialog.decimal("good", "良好（不低于）", maximum=100),
            form_dialog.decimal("pass", "合格（不低于）", maximum=100),
        ]
        dialog = form_dialog.FormDialog(
            self.runner,
            "等次分数线",
            fields,
            lambda values: (
                lambda session, actor: schemes.set_bands(
                    session,
                    actor,
                    self.scheme_id,
                    {
                        Grade.EXCELLENT: values["excellent"],
                        Grade.GOOD: values["good"],
                        Grade.PASS: values["pass"],
                    },
                )
            ),
            parent=self,
        ).load({g.value: self.bands.get(g, 0) for g in Grade})
        if dialog.exec():
            self.load()
