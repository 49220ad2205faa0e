"""统计报表: the month's figures as the 月通报 has them (the paper's 总体情况 in the same words,
channel, on-time rate by unit and the six-month trend as charts, the red/green ranking with each
unit's 件数), the state of the month's incidents, and the 月通报 / 季汇总 papers."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil

# Papers and workbooks (reportlab, openpyxl) are imported in the methods that make them: a
# page's first visit does not wait for them.
from commandcenter.services import reports, statistics
from commandcenter.ui import charts
from commandcenter.ui.charts import ChartBox
from commandcenter.ui.date_edits import DateEdit
from commandcenter.ui.icons import icon
from commandcenter.ui.pages.base import Page
from commandcenter.ui.pages.list_page import page_title
from commandcenter.ui.printing import generate_and_preview
from commandcenter.ui.runner import Runner
from commandcenter.ui.tables import fill, read_only_table


def _table(headers: list[str]) -> QTableWidget:
    table = read_only_table(headers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def _short(label: str) -> str:
    if "季度" in label:
        return label.replace("第", "").replace("季度", "季")
    return label.split("年")[-1]


class ReportsPage(Page):
    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._asked = 0
        today = timeutil.today()
        self.month = DateEdit(QDate(today.year, today.month, 1))
        self.month.setDisplayFormat("yyyy年M月")
        self.month.setCalendarPopup(True)
        self.month.dateChanged.connect(lambda _d: self.refresh())
        self.span = QComboBox()
        self.span.setObjectName("reportSpan")
        self.span.addItems(["按月", "按季度"])  # the quarter holding the chosen month
        self.span.currentIndexChanged.connect(lambda _n: self.refresh())
        self.summary = QLabel()
        self.summary.setObjectName("reportSummary")
        self.summary.setWordWrap(True)
        self.patrol_summary = QLabel()  # the period's grid patrols, beside the paper's figures
        self.patrol_summary.setObjectName("reportPatrols")
        self.patrol_summary.setWordWrap(True)
        self.note = QLabel(reports.FIGURES_NOTE)  # how the figures are counted, as on the paper
        self.note.setObjectName("reportNote")
        self.note.setWordWrap(True)
        self.channels = ChartBox("chartChannels")
        self.rates = ChartBox("chartRates")
        self.trend = ChartBox("chartTrend")
        self.by_status = _table(["状态", "件数"])
        self.ranking = _table(["名次", "单位", "承办", "反馈", "超期", "件数", "按期率", "榜单"])
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
        top.addWidget(self.span)
        top.addWidget(self.bulletin_button)
        top.addWidget(self.quarter_button)
        charts = QHBoxLayout()
        charts.addWidget(self.channels, 1)
        charts.addWidget(self.rates, 1)
        charts.addWidget(self.trend, 1)
        # The period's patrols per grid and per person sit beside the incidents' statuses.
        self.patrol_grids = _table(["网格", "巡查", "发现问题", "立案"])
        self.patrol_grids.setObjectName("patrolsByGrid")
        self.patrol_people = _table(["人员", "单位", "巡查", "发现问题"])
        self.patrol_people.setObjectName("patrolsByPerson")
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(self.by_status, "事件状态")
        self.lower_tabs.addTab(self.patrol_grids, "各网格巡查")
        self.lower_tabs.addTab(self.patrol_people, "人员巡查")
        grid = QGridLayout()
        self.status_label = QLabel("本月受理事件的当前状态及网格巡查")
        grid.addWidget(self.status_label, 0, 0)
        grid.addWidget(self.lower_tabs, 1, 0)
        self.ranking_label = QLabel()
        self.ranking_label.setWordWrap(True)
        grid.addWidget(self.ranking_label, 0, 1)
        grid.addWidget(self.ranking, 1, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.patrol_summary)
        layout.addWidget(self.note)
        layout.addLayout(charts, 3)
        layout.addLayout(grid, 2)
        self.report: reports.PeriodReport | None = None

    def refresh(self) -> None:
        """Count the month or quarter in a worker (a busy street scans many rows); the newest
        request wins when the choice is changed again meanwhile."""
        year, month = self._chosen()
        quarterly = self.span.currentIndex() == 1
        self._asked += 1
        asked = self._asked

        def load(session: Any, actor: Any) -> reports.PeriodReport:
            if quarterly:
                return reports.quarterly(session, actor, year, (month - 1) // 3 + 1)
            return reports.monthly(session, actor, year, month)

        def show(report: reports.PeriodReport) -> None:
            if asked == self._asked and shiboken6.isValid(self):
                self._show(report)

        self.runner.run(load, show, parent=self)

    def _show(self, report: reports.PeriodReport) -> None:
        """The 月通报's (or 季汇总's) figures: summary, charts and ranking agree with the paper."""
        self.report = report
        unit = "季度" if report.kind == "季汇总" else "月"
        # The paper's 总体情况 word for word, so the page and the paper cannot disagree.
        self.summary.setText(f"{reports.overview_text(report)}\n{reports.joint_text(report)}")
        self.patrol_summary.setText(reports.patrol_text(report))
        self.ranking_label.setText(
            "红绿榜：" + reports.RANKING_NOTE.format(minimum=report.ranking_minimum)
        )
        self.status_label.setText(f"本{unit}受理事件的当前状态及网格巡查")
        self.channels.show_chart(charts.pie("受理渠道", report.by_channel))
        self.rates.show_chart(
            charts.rate_bars("各单位按期反馈率", [(u.unit, u.on_time_rate) for u in report.units])
        )
        self.trend.show_chart(
            charts.trend(
                f"近六个{unit}受理与按期办结率",
                # Short labels under six bars: "26年6月" -> "6月", "26年第三季度" -> "26年三季"
                [(_short(p.label), p.received, p.on_time_rate) for p in report.trend],
            )
        )
        fill(self.by_status, report.by_status)
        fill(
            self.patrol_grids,
            [(g.name, g.patrols, g.problems, g.registered) for g in report.patrols.by_grid],
        )
        fill(
            self.patrol_people,
            [(p.name, p.where, p.patrols, p.problems) for p in report.patrols.by_person],
        )
        boards = {"red": "红榜", "green": "绿榜", "": ""}
        fill(
            self.ranking,
            [
                (
                    row.rank or ("件数不足" if row.too_few else "—"),
                    row.figures.unit,
                    row.figures.received,
                    row.figures.reported,
                    row.figures.overdue,
                    row.volume,
                    statistics.percent(row.figures.on_time_rate),
                    boards[row.board],
                )
                for row in report.ranking
            ],
        )

    def _chosen(self) -> tuple[int, int]:
        month = self.month.date()
        return month.year(), month.month()

    def print_bulletin(self) -> None:
        from commandcenter.documents import bulletin

        year, month = self._chosen()
        generate_and_preview(
            self,
            self.runner,
            "月通报",
            f"{year}年{month}月综合行政执法工作月通报",
            lambda session, actor, path: bulletin.print_monthly(session, actor, year, month, path),
        )

    def print_quarterly(self) -> None:
        from commandcenter.documents import bulletin

        year, month = self._chosen()
        quarter = (month - 1) // 3 + 1
        generate_and_preview(
            self,
            self.runner,
            "季汇总",
            f"{year}年第{quarter}季度综合行政执法工作季汇总",
            lambda session, actor, path: bulletin.print_quarterly(
                session, actor, year, quarter, path
            ),
        )

    def focus_search(self) -> None:
        self.month.setFocus()
