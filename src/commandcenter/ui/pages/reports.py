"""统计报表: the month's incidents by channel, status and lead unit."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.services import overview
from commandcenter.ui.operations import Operations
from commandcenter.ui.pages.list_page import page_title
from commandcenter.ui.tables import fill, read_only_table


def _table(headers: list[str]) -> QTableWidget:
    table = read_only_table(headers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


class ReportsPage(QWidget):
    def __init__(self, ops: Operations, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        today = timeutil.today()
        self.month = QDateEdit(QDate(today.year, today.month, 1))
        self.month.setDisplayFormat("yyyy年M月")
        self.month.setCalendarPopup(True)
        self.month.dateChanged.connect(lambda _d: self.refresh())
        self.summary = QLabel()
        self.by_channel = _table(["渠道", "件数"])
        self.by_status = _table(["状态", "件数"])
        self.by_unit = _table(["主办单位", "办结", "按期办结", "按期率", "当前超期"])
        top = QHBoxLayout()
        top.addWidget(page_title("统计报表"))
        top.addStretch(1)
        top.addWidget(QLabel("月份"))
        top.addWidget(self.month)
        grid = QGridLayout()
        grid.addWidget(QLabel("按渠道"), 0, 0)
        grid.addWidget(QLabel("按状态"), 0, 1)
        grid.addWidget(self.by_channel, 1, 0)
        grid.addWidget(self.by_status, 1, 1)
        grid.addWidget(QLabel("按主办单位"), 2, 0, 1, 2)
        grid.addWidget(self.by_unit, 3, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(grid, 1)

    def refresh(self) -> None:
        d = self.month.date()
        first = date(d.year(), d.month(), 1)
        figures: overview.MonthFigures = self.ops.read_now(
            lambda s, a: overview.month_figures(s, a, first)
        )
        total = sum(n for _, n in figures.by_channel)
        self.summary.setText(f"{first.year}年{first.month}月共受理事件 {total} 件")
        fill(self.by_channel, figures.by_channel)
        fill(self.by_status, figures.by_status)
        fill(
            self.by_unit,
            [
                (name, closed, on_time, f"{on_time / closed:.0%}" if closed else "—", overdue)
                for name, closed, on_time, overdue in figures.by_unit
            ],
        )

    def focus_search(self) -> None:
        self.month.setFocus()
