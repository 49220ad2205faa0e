"""导入 / 导出 / 下载模板 for a page, and the dialog that shows an import's report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter.exchange import tables
from commandcenter.exchange.report import (
    LISTED_AT_MOST,
    ImportRejected,
    ImportReport,
    write_report,
)
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui import file_dialogs, palette
from commandcenter.ui.icons import icon
from commandcenter.ui.runner import Runner, user_message

_EXPORT_RIGHT = {
    "people": Action.VIEW_PERSONAL_DATA,
    "units": Action.VIEW,
    "liaisons": Action.VIEW,
    "entities": Action.VIEW,
    "catalogue": Action.VIEW,
    "calendar": Action.VIEW,
    "users": Action.MANAGE_USERS,
}

# Asks for what an import needs besides the file (a catalogue version's name and date);
# None when the user cancels.
AskParams = Callable[[], dict[str, Any] | None]


class ImportReportDialog(QDialog):
    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(f"导入{report.kind}：{'已完成' if report.accepted else '未执行'}")
        self.resize(820, 420)
        summary = QLabel(report.summary())
        summary.setObjectName("importSummary")
        summary.setWordWrap(True)
        summary.setStyleSheet(
            "font-weight: bold;" + ("" if report.accepted else f"color: {palette.ERROR_TEXT};")
        )
        listed = report.problems[:LISTED_AT_MOST]  # the rest counted below; all are exported
        more = len(report.problems) - len(listed)
        table = QTableWidget(len(listed) + len(report.notes) + (1 if more else 0), 4)
        table.setObjectName("importProblems")
        table.setHorizontalHeaderLabels(["行号", "列", "内容", "问题"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        rows = [(str(p.row or ""), p.column, p.value, p.reason) for p in listed]
        if more:
            rows.append(("", "", "", f"……另有 {more} 处问题未列出，导出问题清单可见全部。"))
        rows += [("", "", "", f"说明：{n}") for n in report.notes]
        for i, values in enumerate(rows):
            for j, value in enumerate(values):
                table.setItem(i, j, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        save = buttons.addButton("导出问题清单", QDialogButtonBox.ButtonRole.ActionRole)
        save.setEnabled(bool(report.problems))
        save.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(QLabel(f"文件：{report.file}"))
        layout.addWidget(table)
        layout.addWidget(buttons)

    def save(self) -> None:
        path = file_dialogs.save_file_name(
            self, "导出问题清单", "导入问题清单.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        try:
            write_report(self.report, Path(path))
        except Exception as exc:
            QMessageBox.warning(self, "导出问题清单", user_message(exc))


class ActionBar(Protocol):
    """Where the actions go: a list page's row of buttons (`ListPage.add_action`)."""

    def add_action(self, action: QAction) -> QToolButton: ...


class ExchangeActions:
    """The three Excel actions of a page, shown to the roles that may use them."""

    def __init__(
        self,
        runner: Runner,
        kind: str,
        parent: QWidget,
        ask: AskParams | None = None,
    ) -> None:
        self.runner, self.kind, self.parent = runner, kind, parent
        self.spec = tables.SPECS[kind]
        self.ask = ask

    def install(self, page: ActionBar) -> None:
        label = self.spec.label
        for text, name, slot, visible in (
            (
                f"导入{label}",
                "import",
                self.import_file,
                allowed(self.runner.actor, Action.IMPORT_DATA),
            ),
            (
                "导出 Excel",
                "export",
                self.export_file,
                allowed(self.runner.actor, _EXPORT_RIGHT[self.kind]),
            ),
            (
                "下载导入模板",
                "template",
                self.save_template,
                allowed(self.runner.actor, Action.IMPORT_DATA),
            ),
        ):
            action = QAction(icon(name), text, self.parent)
            action.triggered.connect(slot)
            page.add_action(action).setVisible(visible)

    def import_file(self) -> None:
        path = file_dialogs.open_file_name(
            self.parent, f"导入{self.spec.label}", "", "Excel 工作簿 (*.xlsx)"
        )
        if path:
            self.run_import(Path(path))

    def run_import(self, path: Path) -> None:
        kind = self.kind
        params = self.ask() if self.ask is not None else {}
        if params is None:
            return

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ImportRejected):
                ImportReportDialog(exc.report, self.parent).exec()
            else:
                QMessageBox.warning(self.parent, f"导入{self.spec.label}", user_message(exc))

        # The import and export modules (openpyxl) load when used, not with every page that
        # offers them.
        from commandcenter.exchange import importers

        self.runner.run_transactions(
            lambda db, actor: importers.run_import(
                db, actor, kind, path, backup_dir=self.runner.backups_dir, **params
            ),
            lambda report: ImportReportDialog(report, self.parent).exec(),
            parent=self.parent,
            on_error=failed,
        )

    def export_file(self) -> None:
        path = file_dialogs.save_file_name(
            self.parent, "导出 Excel", f"{self.spec.sheet}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        from commandcenter.exchange import exporters

        export = exporters.EXPORTERS[self.kind]
        self.runner.run(
            lambda session, actor: export(session, actor, Path(path)),
            lambda out: QMessageBox.information(self.parent, "导出 Excel", f"已导出：{out}"),
            parent=self.parent,
        )

    def save_template(self) -> None:
        path = file_dialogs.save_file_name(
            self.parent, "下载导入模板", f"{self.spec.sheet}导入模板.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path:
            from commandcenter.exchange import exporters

            try:
                exporters.write_template(self.kind, Path(path))
            except Exception as exc:
                QMessageBox.warning(self.parent, "下载导入模板", user_message(exc))
