"""Small read-only tables (figures, targets, days) and clearing a layout of its buttons.

The long lists use ListingView over SQL; these are for a few dozen rows already in hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLayout,
    QTableWidget,
    QTableWidgetItem,
)


def read_only_table(headers: Sequence[str] = ()) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    if headers:
        table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def fill(table: QTableWidget, rows: Sequence[Sequence[object]]) -> None:
    """Put *rows* in *table*, starting from empty cells (replacing an item in place makes Qt
    warn of an invalid range), and fit the columns."""
    table.clearContents()
    table.setRowCount(len(rows))
    for i, values in enumerate(rows):
        for j, value in enumerate(values):
            table.setItem(i, j, QTableWidgetItem(_text(value)))
    # Stretched columns are already fitted; sizing them to contents would leave them narrow.
    if table.horizontalHeader().sectionResizeMode(0) != QHeaderView.ResizeMode.Stretch:
        table.resizeColumnsToContents()


def cell_text(table: QTableWidget, row: int, column: int = 0) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def clear_layout(layout: QLayout) -> None:
    """Take every widget out of *layout* (step and paper buttons rebuilt for a new record)."""
    while layout.count():
        child = layout.takeAt(0)
        widget = child.widget() if child is not None else None
        if widget is not None:
            widget.hide()  # out of sight now; deleted when control returns to Qt
            widget.deleteLater()
