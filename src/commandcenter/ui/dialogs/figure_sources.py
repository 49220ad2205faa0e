"""The records behind one assessment figure, opened from a sheet's row."""

from __future__ import annotations

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from commandcenter.services.assessment.metrics import Sources
from commandcenter.ui.tables import fill, read_only_table


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
