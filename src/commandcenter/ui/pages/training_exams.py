"""The exams part of the 培训 tab: the year's exams, the chosen exam's results, pass rates per
unit, and the certificate application that only people who passed are offered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.exchange.report import ImportRejected
from commandcenter.services import exams, training
from commandcenter.services.permissions import Action, allowed
from commandcenter.services.roster import applications
from commandcenter.ui import file_dialogs
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.exchange_actions import ImportReportDialog
from commandcenter.ui.icons import icon
from commandcenter.ui.runner import Runner, user_message
from commandcenter.ui.tables import fill, read_only_table


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _button(text: str, icon_name: str, slot: Callable[[], None], visible: bool) -> QPushButton:
    button = QPushButton(icon(icon_name), text)
    button.clicked.connect(slot)
    button.setVisible(visible)
    return button


def _titled(caption: str, table: QTableWidget) -> QVBoxLayout:
    box = QVBoxLayout()
    box.addWidget(QLabel(caption))
    box.addWidget(table)
    return box


class ExamsPanel(QWidget):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.year = timeutil.today().year
        self._exams: list[exams.ExamRow] = []
        can_edit = allowed(runner.actor, Action.EDIT_ROSTER)
        can_import = allowed(runner.actor, Action.IMPORT_DATA)
        self.exams = read_only_table(
            ["日期", "考试", "所属培训", "合格分", "参考", "合格", "合格率"]
        )
        self.exams.setObjectName("examTable")
        self.exams.itemSelectionChanged.connect(self.show_results)
        if can_edit:  # Enter or a double-click on an exam enters a result for it
            self.exams.activated.connect(lambda _i: self.add_result())
        self.results = read_only_table(["姓名", "单位", "成绩", "结果"])
        self.results.setObjectName("examResults")
        self.rates = read_only_table(["单位", "参考人数", "合格人数", "合格率"])
        self.rates.setObjectName("examPassRates")
        self.rates.setToolTip(exams.PASS_RATE_NOTE)
        self.summary = QLabel()
        self.summary.setObjectName("examSummary")
        self.summary.setWordWrap(True)  # an admin's five buttons still fit the smallest screen
        bar = QHBoxLayout()
        bar.addWidget(QLabel("培训考试"))
        bar.addWidget(self.summary, 1)
        bar.addWidget(_button("登记考试", "add", self.add_exam, can_edit))
        bar.addWidget(_button("登记成绩", "edit", self.add_result, can_edit))
        bar.addWidget(_button("导入成绩", "import", self.import_results, can_import))
        bar.addWidget(_button("成绩模板", "template", self.save_template, can_import))
        bar.addWidget(_button("申领执法证", "add", self.apply, can_edit))
        tables = QHBoxLayout()
        tables.addLayout(_titled("本年度考试（选中查看成绩）", self.exams), 3)
        tables.addLayout(_titled("考试成绩", self.results), 2)
        tables.addLayout(_titled("各单位考试合格率（按人计）", self.rates), 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(tables)

    def refresh(self, year: int) -> None:
        self.year = year
        chosen = self._chosen()
        self._exams = self.runner.read_now(
            lambda session, actor: exams.exams_of_year(session, actor, year)
        )
        rates: list[exams.PassRate] = self.runner.read_now(
            lambda session, actor: exams.pass_rates(session, actor, year)
        )
        fill(
            self.exams,
            [
                (
                    exam.held_on,
                    exam.title,
                    exam.course or "（单独考试）",
                    f"{exam.pass_mark:g}/{exam.full_mark:g}",
                    exam.sat,
                    exam.passed,
                    _percent(exam.pass_rate),
                )
                for exam in self._exams
            ],
        )
        fill(self.rates, [(row.unit, row.sat, row.passed, _percent(row.rate)) for row in rates])
        applied: list[applications.ApplicationRow] = self.runner.read_now(
            lambda session, actor: applications.applications_of_year(session, actor, year)
        )
        waiting = sum(1 for row in applied if not row.issued)
        street = rates[-1]
        self.summary.setText(
            f"{year} 年考试 {len(self._exams)} 场，全街道考试合格率 {_percent(street.rate)}"
            f"（{street.passed}/{street.sat} 人）；申领执法证 {len(applied)} 人，待发证 {waiting} 人"
        )
        rows = [
            index
            for index, exam in enumerate(self._exams)
            if chosen is not None and exam.id == chosen.id
        ]
        if rows:
            self.exams.selectRow(rows[0])
        self.show_results()

    def _chosen(self) -> exams.ExamRow | None:
        row = self.exams.currentRow()
        selected = self.exams.selectionModel().hasSelection()
        return self._exams[row] if selected and 0 <= row < len(self._exams) else None

    def show_results(self) -> None:
        exam = self._chosen()
        if exam is None:
            fill(self.results, [])
            return
        results: list[exams.ResultRow] = self.runner.read_now(
            lambda session, actor: exams.results_of(session, actor, exam.id)
        )
        fill(
            self.results,
            [
                (
                    f"{result.name}{'（协勤）' if result.auxiliary else ''}",
                    result.unit,
                    f"{result.score:g}",
                    "合格" if result.passed else "不合格",
                )
                for result in results
            ],
        )

    def _after(self, dialog: form_dialog.FormDialog) -> None:
        if dialog.exec():
            self.refresh(self.year)

    def add_exam(self) -> None:
        courses = self.runner.read_now(
            lambda session, actor: exams.course_choices(session, actor, self.year)
        )
        self._after(
            form_dialog.FormDialog(
                self.runner,
                "登记考试",
                [
                    form_dialog.text("title", "考试名称"),
                    form_dialog.day("held_on", "考试日期", optional=False),
                    form_dialog.choice("course_id", "所属培训", courses, blank="（单独考试）"),
                    form_dialog.decimal("full_mark", "满分"),
                    form_dialog.decimal("pass_mark", "合格分"),
                ],
                lambda values: (
                    lambda session, actor: (
                        exams.save_exam(session, actor, exams.ExamForm(**values)).id
                    )
                ),
                parent=self,
                intro="考试可以随某次培训举行，也可以单独举行。成绩达到合格分即为合格。",
            ).load({"full_mark": 100.0, "pass_mark": 60.0, "held_on": timeutil.today()})
        )

    def add_result(self) -> None:
        exam = self._chosen()
        if exam is None:
            QMessageBox.information(self, "登记成绩", "请先在左侧选中一场考试。")
            return
        people = self.runner.read_now(training.attendee_choices)
        self._after(
            form_dialog.FormDialog(
                self.runner,
                f"登记成绩：{exam.title}",
                [
                    form_dialog.searchable("person_id", "姓名", people, blank="请选择"),
                    form_dialog.decimal("score", "成绩"),
                ],
                lambda values: (
                    lambda session, actor: exams.record_result(
                        session, actor, exam.id, values["person_id"], values["score"]
                    )
                ),
                parent=self,
                intro=f"合格分 {exam.pass_mark:g}，满分 {exam.full_mark:g}。已登记的成绩再次登记即为更正；"
                "成绩较多时请用“导入成绩”。",
            )
        )

    def import_results(self) -> None:
        exam = self._chosen()
        if exam is None:
            QMessageBox.information(self, "导入成绩", "请先在左侧选中一场考试。")
            return
        path = file_dialogs.open_file_name(
            self, f"导入成绩：{exam.title}", "", "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ImportRejected):
                ImportReportDialog(exc.report, self).exec()
            else:
                QMessageBox.warning(self, "导入成绩", user_message(exc))

        def done(report: object) -> None:
            ImportReportDialog(report, self).exec()  # type: ignore[arg-type]
            self.refresh(self.year)

        # The import and export modules (openpyxl) load when used, not with the roster page.
        from commandcenter.exchange import importers

        self.runner.run_transactions(
            lambda db, actor: importers.run_import(
                db,
                actor,
                "exam_results",
                Path(path),
                backup_dir=self.runner.backups_dir,
                exam_id=exam.id,
            ),
            done,
            parent=self,
            on_error=failed,
        )

    def save_template(self) -> None:
        path = file_dialogs.save_file_name(
            self, "下载成绩导入模板", "考试成绩导入模板.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path:
            from commandcenter.exchange import exporters

            try:
                exporters.write_template("exam_results", Path(path))
            except Exception as exc:
                QMessageBox.warning(self, "下载成绩导入模板", user_message(exc))

    def apply(self) -> None:
        people = self.runner.read_now(applications.candidates)
        self._after(
            form_dialog.FormDialog(
                self.runner,
                "申领执法证",
                [
                    form_dialog.searchable("person_id", "申领人", people, blank="请选择"),
                    form_dialog.day("applied_on", "申领日期", optional=False),
                    form_dialog.text("note", "备注"),
                ],
                lambda values: (
                    lambda session, actor: (
                        applications.apply(
                            session,
                            actor,
                            values["person_id"],
                            values["applied_on"],
                            values["note"],
                        ).id
                    )
                ),
                parent=self,
                intro=(
                    "只列出一年内培训考试合格、在编在岗、没有有效执法证且未在申领中的人员"
                    f"（共 {len(people)} 人）。协勤人员不得申领。"
                ),
            ).load({"applied_on": timeutil.today()})
        )
