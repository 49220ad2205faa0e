"""统计报表: the month's incidents by channel, status and unit, the red/green ranking, and the
月通报 / 季汇总 papers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.documents import bulletin
from commandcenter.services import overview, statistics
from commandcenter.ui.icons import icon
from commandcenter.ui.operations import Operations
from commandcenter.ui.pages.list_page import page_title
from commandcenter.ui.printing import generate_and_preview
from commandcenter.ui.tables import fill, read_only_table


def _table(headers: list[str]) -> QTableWidget:
    table = read_only_table(headers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


class ReportsPage(QWidget):
    def __init__(self, ops: Operations, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._asked = 0
        today = timeutil.today()
        self.month = QDateEdit(QDate(today.year, today.month, 1))
        self.month.setDisplayFormat("yyyy年M月")
        self.month.setCalendarPopup(True)
        self.month.dateChanged.connect(lambda _d: self.refresh())
        self.summary = QLabel()
        self.by_channel = _table(["渠道", "件数"])
        self.by_status = _table(["状态", "件数"])
        self.by_unit = _table(["主办单位", "办结", "按期办结", "按期率", "当前超期"])
        self.ranking = _table(["名次", "单位", "受理", "办结", "按期率", "超期", "榜单"])
        self.ranking.setObjectName("redGreenRanking")
        self.bulletin_button = QPushButton(icon("pdf"), "月通报")
        self.bulletin_button.setObjectName("printBulletin")
        self.bulletin_button.clicked.connect(self.print_bulletin)
        self.quarter_button = QPushButton(icon("pdf"), "季汇总")
        self.quarter_button.setObjectName("printQuarterly")
        self.quarter_button.clicked.connect(self.print_quarterly)
        top = QHBoxLayout()
        top.addWidget(page_title("统计报表"))
        top.addStretch(1)
        top.addWidget(QLabel("月份"))
        top.addWidget(self.month)
        top.addWidget(self.bulletin_button)
        top.addWidget(self.quarter_button)
        grid = QGridLayout()
        grid.addWidget(QLabel("按渠道"), 0, 0)
        grid.addWidget(QLabel("按状态"), 0, 1)
        grid.addWidget(self.by_channel, 1, 0)
        grid.addWidget(self.by_status, 1, 1)
        grid.addWidget(QLabel("按主办单位"), 2, 0)
        grid.addWidget(self.by_unit, 3, 0)
        grid.addWidget(QLabel("红绿榜（按单位承办事件的按期办结率排名）"), 2, 1)
        grid.addWidget(self.ranking, 3, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(grid, 1)

    def refresh(self) -> None:
        """Count the month in a worker (a year of a busy street scans many rows); the newest
        request wins when the month is changed again meanwhile."""
        year, month = self._chosen()
        period = statistics.month_period(year, month)
        self._asked += 1
        asked = self._asked

        def load(s: Any, a: Any) -> tuple[overview.MonthFigures, list[statistics.RankedUnit]]:
            figures = overview.month_figures(s, a, period.first)
            return figures, statistics.red_green(statistics.unit_figures(s, period, timeutil.now()))

        def show(result: tuple[overview.MonthFigures, list[statistics.RankedUnit]]) -> None:
            if asked == self._asked:
                self._show(period, *result)

        self.ops.run(load, show, parent=self)

    def _show(
        self,
        period: statistics.Period,
        figures: overview.MonthFigures,
        ranking: list[statistics.RankedUnit],
    ) -> None:
        total = sum(n for _, n in figures.by_channel)
        self.summary.setText(f"{period.label}共受理事件 {total} 件")
        fill(self.by_channel, figures.by_channel)
        fill(self.by_status, figures.by_status)
        fill(
            self.by_unit,
            [
                (name, closed, on_time, f"{on_time / closed:.0%}" if closed else "—", overdue)
                for name, closed, on_time, overdue in figures.by_unit
            ],
        )
        boards = {"red": "红榜", "green": "绿榜", "": ""}
        fill(
            self.ranking,
            [
                (
                    r.rank or "—",
                    r.figures.unit,
                    r.figures.received,
                    r.figures.closed,
                    statistics.percent(r.figures.on_time_rate),
                    r.figures.overdue,
                    boards[r.board],
                )
                for r in ranking
            ],
        )

    def _chosen(self) -> tuple[int, int]:
        d = self.month.date()
        return d.year(), d.month()

    def print_bulletin(self) -> None:
        year, month = self._chosen()
        generate_and_preview(
            self,
            self.ops,
            "月通报",
            f"{year}年{month}月综合行政执法工作月通报",
            lambda s, a, path: bulletin.print_monthly(s, a, year, month, path),
        )

    def print_quarterly(self) -> None:
        year, month = self._chosen()
        quarter = (month - 1) // 3 + 1
        generate_and_preview(
            self,
            self.ops,
            "季汇总",
            f"{year}年第{quarter}季度综合行政执法工作季汇总",
            lambda s, a, path: bulletin.print_quarterly(s, a, year, quarter, path),
        )

    def focus_search(self) -> None:
        self.month.setFocus()
