"""导入工单 and 导出办结回复 on the incident queue, and the dialog that maps a new layout's
columns the first time a source's file of that shape is imported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.enums import Channel
from commandcenter.exchange.report import ImportRejected
from commandcenter.services.incidents import work_orders
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui import file_dialogs, palette
from commandcenter.ui.date_edits import DateEdit
from commandcenter.ui.exchange_actions import ActionBar, ImportReportDialog
from commandcenter.ui.fitting import FittingScrollArea
from commandcenter.ui.icons import icon
from commandcenter.ui.runner import Runner, user_message

SOURCES = (Channel.HOTLINE_12345, Channel.PLATFORM)
_NOT_IMPORTED = "（不导入）"


def _source_box() -> QComboBox:
    box = QComboBox()
    box.setObjectName("field_source")
    for source in SOURCES:
        box.addItem(source.label)
    return box


class ImportWorkOrdersDialog(QDialog):
    """Which system the file came from, and the file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入工单")
        self.setMinimumWidth(520)
        intro = QLabel(
            "导入从 12345 或 基层治理四平台 导出的工单（.xlsx，或 UTF-8 / GBK 编码的 CSV）。"
            "每张工单登记为一件待研判的事件；已导入过的工单编号不会重复登记，也不作修改。"
            "有任何一行不符合要求时整批不导入，并列出问题。"
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {palette.MUTED_TEXT};")
        self.source = _source_box()
        self.path = QLineEdit()
        self.path.setObjectName("field_file")
        self.path.setPlaceholderText("选择工单文件")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("工单来源", self.source)
        form.addRow("文件", row)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {palette.ERROR_TEXT};")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setObjectName("importWorkOrders")
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def browse(self) -> None:
        chosen = file_dialogs.open_file_name(
            self, "选择工单文件", "", "工单文件 (*.xlsx *.csv);;所有文件 (*)"
        )
        if chosen:
            self.path.setText(chosen)

    def chosen_source(self) -> Channel:
        return SOURCES[max(0, self.source.currentIndex())]

    def check(self) -> None:
        if not self.path.text().strip():
            self.error.setText("请选择要导入的工单文件。")
            self.error.show()
            return
        self.accept()


class ColumnMappingDialog(QDialog):
    """For each field of a work order, the file's column it is read from. Saved for the source,
    so later files of the same shape are imported without asking."""

    def __init__(
        self,
        source: Channel,
        header: list[str],
        guess: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.header = header
        self.setWindowTitle(f"确定{source.label}工单的列对应")
        self.setMinimumWidth(560)
        intro = QLabel(
            f"这是第一次导入这种格式的{source.label}工单。请为每个字段选择文件中的列"
            "（带 * 的必须选择；已按列名自动识别的已预先选好）。保存后，以后同样格式的文件将自动沿用，"
            "不再询问。"
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {palette.MUTED_TEXT};")
        body = QWidget()
        form = QFormLayout(body)
        form.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QComboBox] = {}
        for spec in work_orders.FIELDS:
            box = QComboBox()
            box.setObjectName(f"column_{spec.key}")
            # Sized by the dialog, not by the file's longest header cell, which may be a note of
            # thousands of characters that would push the choices off the screen.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(16)
            box.addItem(_NOT_IMPORTED)
            box.addItems(header)
            chosen = guess.get(spec.key)
            if chosen in header:
                box.setCurrentIndex(header.index(chosen) + 1)
            if spec.note:
                box.setToolTip(spec.note)
            self.boxes[spec.key] = box
            form.addRow(spec.label + (" *" if spec.required else ""), box)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {palette.ERROR_TEXT};")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("保存并导入", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(FittingScrollArea(body), 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def columns(self) -> dict[str, str]:
        return {key: box.currentText() for key, box in self.boxes.items() if box.currentIndex() > 0}

    def check(self) -> None:
        problems = work_orders.mapping_problems(self.columns(), self.header)
        if problems:
            self.error.setText(problems[0].message)
            self.error.show()
            target = self.boxes.get(problems[0].field or "")
            if target is not None:
                target.setFocus()
            return
        self.accept()


class ExportRepliesDialog(QDialog):
    """The source and the days of closing whose replies go back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导出办结回复")
        self.setMinimumWidth(460)
        intro = QLabel(
            "按来源系统的回复导入格式，导出在所选期间办结的工单的办结回复"
            "（工单编号、办理结果、回复内容、受理和办结时间、满意度）。"
            "12345 默认导出 .xlsx，四平台 默认导出 CSV。"
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {palette.MUTED_TEXT};")
        today = timeutil.today()
        self.source = _source_box()
        self.first = DateEdit(QDate(today.year, today.month, 1))
        self.last = DateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        days = QHBoxLayout()
        days.addWidget(self.first)
        days.addWidget(QLabel("至"))
        days.addWidget(self.last)
        days.addStretch(1)
        form = QFormLayout()
        form.addRow("工单来源", self.source)
        form.addRow("办结日期", days)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("导出", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen_source(self) -> Channel:
        return SOURCES[max(0, self.source.currentIndex())]

    def days(self) -> tuple[date, date]:
        first, last = self.first.date(), self.last.date()
        return (
            date(first.year(), first.month(), first.day()),
            date(last.year(), last.month(), last.day()),
        )


class WorkOrderActions:
    """导入工单 (for those who register incidents) and 导出办结回复 on the queue."""

    def __init__(self, runner: Runner, parent: QWidget) -> None:
        self.runner, self.parent = runner, parent

    def install(self, page: ActionBar) -> None:
        importing = QAction(icon("import"), "导入工单", self.parent)
        importing.triggered.connect(self.import_orders)
        page.add_action(importing).setVisible(allowed(self.runner.actor, Action.REGISTER_INCIDENT))
        exporting = QAction(icon("export"), "导出办结回复", self.parent)
        exporting.triggered.connect(self.export_replies)
        page.add_action(exporting)

    def import_orders(self) -> None:
        dialog = ImportWorkOrdersDialog(self.parent)
        if dialog.exec():
            self.run_import(dialog.chosen_source(), Path(dialog.path.text().strip()))

    def run_import(
        self, source: Channel, path: Path, columns: dict[str, str] | None = None
    ) -> None:
        title = f"导入{source.label}工单"
        # Imported when used: openpyxl is not the queue's first-visit cost.
        from commandcenter.exchange.work_orders import LayoutNeeded, run_work_order_import

        def failed(exc: BaseException) -> None:
            if isinstance(exc, LayoutNeeded):
                mapping = ColumnMappingDialog(source, exc.header, exc.guess, self.parent)
                if mapping.exec():
                    self.run_import(source, path, mapping.columns())
            elif isinstance(exc, ImportRejected):
                ImportReportDialog(exc.report, self.parent).exec()
            else:
                QMessageBox.warning(self.parent, title, user_message(exc))

        self.runner.run_transactions(
            lambda db, actor: run_work_order_import(
                db, actor, source, path, columns=columns, backup_dir=self.runner.backups_dir
            ),
            lambda report: ImportReportDialog(report, self.parent).exec(),
            parent=self.parent,
            on_error=failed,
        )

    def export_replies(self) -> None:
        dialog = ExportRepliesDialog(self.parent)
        if not dialog.exec():
            return
        source = dialog.chosen_source()
        first, last = dialog.days()
        suffix = "xlsx" if source is Channel.HOTLINE_12345 else "csv"
        kind = "Excel 工作簿 (*.xlsx)" if suffix == "xlsx" else "CSV 文件 (*.csv)"
        other = "CSV 文件 (*.csv)" if suffix == "xlsx" else "Excel 工作簿 (*.xlsx)"
        path = file_dialogs.save_file_name(
            self.parent,
            "导出办结回复",
            f"{source.label}办结回复_{first:%Y%m%d}-{last:%Y%m%d}.{suffix}",
            f"{kind};;{other}",
        )
        if not path:
            return
        from commandcenter.exchange.reply_export import export_replies  # openpyxl, when used

        self.runner.run(
            lambda session, actor: export_replies(session, actor, source, first, last, Path(path)),
            lambda count: QMessageBox.information(
                self.parent,
                "导出办结回复",
                f"已导出 {count} 张{source.label}工单的办结回复：{path}",
            ),
            parent=self.parent,
        )
