"""联合行动's 抽查公示 and 年度计划 tabs: a period's inspection results, publishing them (the list
frozen as published) with the notice and the workbook; the year's plan by industry and
department, edited or imported, with its coverage, the operations counted and the entities
never checked, on screen, on paper and in Excel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil

# Papers and workbooks (reportlab, openpyxl) are imported in the methods that make them: a
# page's first visit does not wait for them.
from commandcenter.exchange.report import ImportRejected, ImportReport
from commandcenter.services import annual_inspection_plan as annual
from commandcenter.services import inspection_publication as publication
from commandcenter.services.incidents import choices
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui import file_dialogs
from commandcenter.ui.date_edits import DateEdit
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.exchange_actions import ImportReportDialog
from commandcenter.ui.flow_layout import FlowLayout
from commandcenter.ui.printing import generate_and_preview
from commandcenter.ui.runner import Runner, Work, user_message
from commandcenter.ui.tables import fill, read_only_table


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(edit: DateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def _selected_row(table: QTableWidget) -> int | None:
    rows = table.selectionModel().selectedRows()
    return rows[0].row() if rows else None


def _button(caption: str, name: str, enabled: bool = True) -> QPushButton:
    button = QPushButton(caption)
    button.setObjectName(name)
    button.setEnabled(enabled)
    return button


class PublicationTab(QWidget):
    """抽查结果公示: the chosen period's list as the records stand, and the publications."""

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        start, end = publication.default_period(timeutil.today())
        self.start, self.end = DateEdit(), DateEdit()
        for edit, day in ((self.start, start), (self.end, end)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(_qdate(day))
            edit.dateChanged.connect(lambda _d: self.refresh())
        may_publish = allowed(runner.actor, Action.EDIT_PLAN)
        may_print = allowed(runner.actor, Action.PRINT_DOCUMENT)
        publish = _button("登记公示…", "publishResults", may_publish)
        publish.clicked.connect(self.publish)
        draft = _button("打印公示样稿", "printDraftNotice", may_print)
        draft.clicked.connect(self.print_draft)
        export = _button("导出 Excel", "exportDraftNotice")
        export.clicked.connect(self.export_draft)
        bar = FlowLayout()
        for widget in (
            QLabel("公示期间"),
            self.start,
            QLabel("至"),
            self.end,
            publish,
            draft,
            export,
        ):
            bar.addWidget(widget)
        self.state = QLabel()
        self.state.setObjectName("publicationState")
        self.state.setWordWrap(True)
        self.rows = read_only_table(
            ["检查对象", "统一社会信用代码", "行动方案", "检查日期", "检查结果", "检查事项"]
        )
        self.rows.setObjectName("noticeRows")
        self.published = read_only_table(
            ["公示期间", "公示日期", "公示载体", "条数", "登记人", "说明"]
        )
        self.published.setObjectName("publications")
        if may_print:  # Enter or a double-click on a published list prints it again
            self.published.activated.connect(lambda _i: self.print_published())
        self.shown: list[publication.Publication] = []
        print_one = _button("打印所选公示", "printNotice", may_print)
        print_one.clicked.connect(self.print_published)
        export_one = _button("导出所选公示", "exportNotice")
        export_one.clicked.connect(self.export_published)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_bar = QHBoxLayout()
        lower_bar.addWidget(
            QLabel("已登记的公示（公示时的清单已固定，之后修改检查结果或对象信息不影响已公示内容）")
        )
        lower_bar.addStretch(1)
        lower_bar.addWidget(print_one)
        lower_bar.addWidget(export_one)
        lower_layout.addLayout(lower_bar)
        lower_layout.addWidget(self.published, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.rows)
        splitter.addWidget(lower)
        splitter.setSizes([400, 200])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.state)
        layout.addWidget(splitter, 1)

    def period(self) -> tuple[date, date]:
        return _day(self.start), _day(self.end)

    def refresh(self) -> None:
        start, end = self.period()
        if end < start:
            self.state.setText("结束日期早于开始日期，请重新选择公示期间。")
            fill(self.rows, [])
            return

        rows = self.runner.read_now(
            lambda session, actor: publication.period_rows(session, actor, start, end)
        )
        self.shown = self.runner.read_now(publication.publications)
        fill(
            self.rows,
            # The result before the items, which are shortened as on the notice (Excel keeps all).
            [[r.entity, r.uscc, r.plan, r.inspected_on, r.result, r.items_short] for r in rows],
        )
        fill(
            self.published,
            [
                [
                    shown.period,
                    shown.published_on,
                    shown.place,
                    len(shown.rows),
                    shown.published_by,
                    shown.note,
                ]
                for shown in self.shown
            ],
        )
        same = next((p for p in self.shown if (p.period_from, p.period_to) == (start, end)), None)
        words = f"{publication.period_words(start, end)}已登记结果的检查 {len(rows)} 户次。"
        if same is not None:
            words += f"本期已于 {same.published_on.isoformat()} 在{same.place}公示（{len(same.rows)} 条）。"
        elif rows:
            words += "尚未登记公示。"
        self.state.setText(words)

    def publish(self) -> None:
        start, end = self.period()
        place = form_dialog.choice("place", "公示载体", [(p, p) for p in publication.PLACES])
        dialog = form_dialog.FormDialog(
            self.runner,
            "登记抽查结果公示",
            [
                form_dialog.day("period_from", "公示期间自", optional=False),
                form_dialog.day("period_to", "至", optional=False),
                form_dialog.day("published_on", "公示日期", optional=False),
                place,
                form_dialog.text("note", "说明", "例如：网址、公示栏位置"),
            ],
            lambda values: (
                lambda session, actor: (
                    publication.publish(session, actor, publication.PublicationForm(**values)).id
                )
            ),
            parent=self,
            intro="登记后，本期清单按当前记录固定保存；之后修改检查结果或检查对象信息，"
            "已公示的清单不变。",
        )
        dialog.load({"period_from": start, "period_to": end, "published_on": timeutil.today()})
        dialog.exec()
        self.refresh()

    def _selected_publication(self) -> int | None:
        row = _selected_row(self.published)
        if row is None or row >= len(self.shown):
            QMessageBox.information(self, "已登记的公示", "请先在下方列表中选中一次公示。")
            return None
        return self.shown[row].id

    def print_draft(self) -> None:
        from commandcenter.documents import inspection_papers

        start, end = self.period()
        generate_and_preview(
            self,
            self.runner,
            "inspection-notice",
            "抽查结果公示（样稿）",
            lambda session, actor, path: inspection_papers.render_notice(
                publication.draft_notice_for_paper(session, actor, start, end), path
            ),
        )

    def print_published(self) -> None:
        from commandcenter.documents import inspection_papers

        found = self._selected_publication()
        if found is None:
            return
        generate_and_preview(
            self,
            self.runner,
            "inspection-notice",
            "抽查结果公示",
            lambda session, actor, path: inspection_papers.render_notice(
                publication.notice_for_paper(session, actor, found), path
            ),
        )

    def _export(self, name: str, notice_of: Work[publication.Notice]) -> None:
        from commandcenter.exchange import inspection_workbooks

        path = file_dialogs.save_file_name(self, "导出 Excel", name, "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        self.runner.run(
            lambda session, actor: inspection_workbooks.export_notice(
                notice_of(session, actor), Path(path)
            ),
            lambda out: QMessageBox.information(self, "导出 Excel", f"已导出：{out}"),
            parent=self,
        )

    def export_draft(self) -> None:
        start, end = self.period()
        self._export(
            f"抽查结果清单{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
            lambda session, actor: publication.draft_notice_for_paper(session, actor, start, end),
        )

    def export_published(self) -> None:
        found = self._selected_publication()
        if found is not None:
            self._export(
                "抽查结果公示.xlsx",
                lambda session, actor: publication.notice_for_paper(session, actor, found),
            )


class AnnualPlanTab(QWidget):
    """年度检查总计划: the lines with their coverage, the operations counted, the unchecked."""

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.year = QSpinBox()
        self.year.setObjectName("planYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(timeutil.today().year)
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(lambda _y: self.refresh())
        may_edit = allowed(runner.actor, Action.EDIT_PLAN)
        may_print = allowed(runner.actor, Action.PRINT_DOCUMENT)
        bar = FlowLayout()
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year)
        for caption, name, slot, enabled in (
            ("新增计划行", "addPlanLine", self.add, may_edit),
            ("编辑", "editPlanLine", self.edit, may_edit),
            ("删除", "deletePlanLine", self.delete, may_edit),
            ("导入计划…", "importAnnualPlan", self.import_plan, may_edit),
            ("导出计划", "exportAnnualPlan", self.export_plan, True),
            ("打印执行情况", "printCoverage", self.print_coverage, may_print),
            ("导出执行情况", "exportCoverage", self.export_coverage, True),
        ):
            button = _button(caption, name, enabled)
            button.clicked.connect(slot)
            bar.addWidget(button)
        self.conclusion = QLabel()
        self.conclusion.setObjectName("coverageConclusion")
        self.conclusion.setWordWrap(True)
        self.lines = read_only_table(
            ["行业", "部门", "在册", "比例", "频次", "应查", "已查", "查足", "检查次数", "已安排",
             "执行情况"]
        )  # fmt: skip
        self.lines.setObjectName("planLines")
        if may_edit:  # Enter as well as a double-click; no form for those who may not save it
            self.lines.activated.connect(lambda _i: self.edit())
        self.line_ids: list[int] = []
        self.operations = read_only_table(
            ["行动方案", "文号", "检查日期", "状态", "已查", "待查", "计入计划"]
        )
        self.operations.setObjectName("planOperations")
        self.unchecked = read_only_table(
            ["检查对象", "统一社会信用代码", "行业", "网格", "信用等级", "须全覆盖"]
        )
        self.unchecked.setObjectName("neverChecked")
        self.below = QTabWidget()
        self.below.addTab(self.operations, "各次联合行动计入情况")
        self.below.addTab(self.unchecked, "本年度从未检查")
        note = QLabel(
            "应查＝在册×比例（向上取整）；已登记结果的检查计入对象所属行业和牵头、参加部门的计划行；"
            "查足＝本年检查次数达到频次；全覆盖要求在册对象全部检查。"
        )
        note.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.lines)
        splitter.addWidget(self.below)
        splitter.setSizes([260, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.conclusion)
        layout.addWidget(splitter, 1)
        layout.addWidget(note)

    def refresh(self) -> None:
        year = self.year.value()
        report = self.runner.read_now(lambda session, actor: annual.coverage(session, actor, year))
        self.line_ids = [line.line_id for line in report.lines]
        fill(
            self.lines,
            [
                [
                    line.industry,
                    line.department,
                    line.registered,
                    "全覆盖" if line.full_coverage else f"{line.percent}%",
                    f"{line.frequency} 次/年",
                    line.planned,
                    line.checked,
                    line.enough,
                    line.visits,
                    line.scheduled,
                    line.verdict,
                ]
                for line in report.lines
            ],
        )
        fill(
            self.operations,
            [
                [
                    operation.title,
                    operation.number,
                    operation.planned_on,
                    operation.status,
                    operation.inspected,
                    operation.waiting,
                    operation.lines,
                ]
                for operation in report.plans
            ],
        )
        fill(
            self.unchecked,
            [
                [
                    entity.name,
                    entity.uscc,
                    entity.industry,
                    entity.grid,
                    entity.grade,
                    "是" if entity.must else "",
                ]
                for entity in report.unchecked
            ],
        )
        self.below.setTabText(1, f"本年度从未检查（{len(report.unchecked)}）")
        self.conclusion.setText(
            f"{report.title}（截至 {report.as_of.isoformat()}）：{report.conclusion}"
        )

    def _fields(self) -> list[form_dialog.Field]:
        units = self.runner.read_now(choices.units)
        known = self.runner.read_now(annual.industries)
        hint = "不填为全部行业；名录中的行业：" + "、".join(sorted(known)[:8])
        return [
            form_dialog.text("industry", "行业", hint),
            form_dialog.searchable("department_id", "部门", units, blank="（各部门）"),
            form_dialog.optional_integer("percent", "抽查比例（%）", maximum=100),
            form_dialog.integer(
                "frequency", "频次（次/年）", maximum=annual.MAX_FREQUENCY, minimum=1
            ),
            form_dialog.flag("full_coverage", "全覆盖", "须检查全部在册对象（比例按 100%）"),
        ]

    def _save(self, title: str, values: dict[str, object], line_id: int | None) -> None:
        year = self.year.value()
        dialog = form_dialog.FormDialog(
            self.runner,
            title,
            self._fields(),
            lambda form: (
                lambda session, actor: (
                    annual.save_line(session, actor, year, annual.LineForm(**form), line_id).id
                )
            ),
            parent=self,
        )
        dialog.load(values).exec()
        self.refresh()

    def add(self) -> None:
        self._save(f"{self.year.value()}年度检查总计划：新增", {"frequency": 1}, None)

    def _selected_line(self, title: str) -> int | None:
        row = _selected_row(self.lines)
        if row is None or row >= len(self.line_ids):
            QMessageBox.information(self, title, "请先在计划表中选中一行。")
            return None
        return self.line_ids[row]

    def edit(self) -> None:
        line_id = self._selected_line("编辑计划行")
        if line_id is None:
            return
        form = self.runner.read_now(
            lambda session, actor: annual.line_form(session, actor, line_id)
        )
        self._save(f"{self.year.value()}年度检查总计划：编辑", vars(form), line_id)

    def delete(self) -> None:
        line_id = self._selected_line("删除计划行")
        if line_id is None:
            return
        form_dialog.confirm(
            self,
            self.runner,
            "删除计划行",
            "确定从年度检查总计划中删除所选的一行吗？",
            lambda session, actor: annual.delete_line(session, actor, line_id),
        )
        self.refresh()

    def import_plan(self) -> None:
        from commandcenter.exchange import inspection_workbooks

        year = self.year.value()
        path = file_dialogs.open_file_name(
            self, f"导入{year}年度检查总计划", "", "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        answer = QMessageBox.question(
            self,
            "导入年度检查总计划",
            f"导入将以表中各行替换{year}年度检查总计划的全部计划行，确定继续吗？",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ImportRejected):
                ImportReportDialog(exc.report, self).exec()
            else:
                QMessageBox.warning(self, "导入年度检查总计划", user_message(exc))

        def done(report: ImportReport) -> None:
            ImportReportDialog(report, self).exec()
            self.refresh()

        self.runner.run_transactions(
            lambda db, actor: inspection_workbooks.import_plan(db, actor, year, Path(path)),
            done,
            parent=self,
            on_error=failed,
        )

    def _save_as(self, caption: str, name: str) -> Path | None:
        path = file_dialogs.save_file_name(self, caption, name, "Excel 工作簿 (*.xlsx)")
        return Path(path) if path else None

    def export_plan(self) -> None:
        from commandcenter.exchange import inspection_workbooks

        year = self.year.value()
        path = self._save_as("导出年度检查总计划", f"{year}年度检查总计划.xlsx")
        if path is None:
            return
        self.runner.run(
            lambda session, actor: inspection_workbooks.export_plan(
                annual.coverage(session, actor, year), path
            ),
            lambda out: QMessageBox.information(self, "导出计划", f"已导出：{out}"),
            parent=self,
        )

    def export_coverage(self) -> None:
        from commandcenter.exchange import inspection_workbooks

        year = self.year.value()
        path = self._save_as("导出执行情况", f"{year}年度检查总计划执行情况.xlsx")
        if path is None:
            return
        self.runner.run(
            lambda session, actor: inspection_workbooks.export_coverage(
                *annual.coverage_for_paper(session, actor, year), path
            ),
            lambda out: QMessageBox.information(self, "导出执行情况", f"已导出：{out}"),
            parent=self,
        )

    def print_coverage(self) -> None:
        from commandcenter.documents import inspection_papers

        year = self.year.value()
        generate_and_preview(
            self,
            self.runner,
            "annual-inspection-coverage",
            f"{year}年度检查总计划执行情况",
            lambda session, actor, path: inspection_papers.render_coverage(
                *annual.coverage_for_paper(session, actor, year), path
            ),
        )
