"""On-screen charts for 统计报表, with Qt Charts: the same figures the 月通报 draws on paper.

Each function returns a fresh QChart; ChartBox swaps it into its view and frees the old one.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from commandcenter.ui import palette

BLUE, RED = QColor(palette.CHART_BLUE), QColor(palette.CHART_RED)


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def pie(title: str, rows: Sequence[tuple[str, int]]) -> QChart:
    """Shares of a whole (channels); empty slices are left out, each label says its count."""
    chart = _chart(title)
    series = QPieSeries()
    for i, (label, value) in enumerate(r for r in rows if r[1] > 0):
        part = series.append(f"{label} {value}", value)
        part.setColor(QColor(palette.CHART_SERIES[i % len(palette.CHART_SERIES)]))
    chart.addSeries(series)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return chart


def rate_bars(title: str, rows: Sequence[tuple[str, float | None]]) -> QChart:
    """A percentage per unit (on-time rate), as horizontal bars so the names stay readable;
    units with nothing to rate are left out."""
    chart = _chart(title)
    shown = [(label, value) for label, value in rows if value is not None][::-1]  # first on top
    bars = QBarSet("按期办结率（%）")
    bars.setColor(BLUE)
    for _, value in shown:
        bars.append(round(value * 100, 1))
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value%")
    series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsInsideEnd)
    chart.addSeries(series)
    axis_units = QBarCategoryAxis()
    axis_units.append([label for label, _ in shown])
    axis_rate = QValueAxis()
    axis_rate.setRange(0, 100)
    axis_rate.setLabelFormat("%d%%")
    chart.addAxis(axis_units, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(axis_rate, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_units)
    series.attachAxis(axis_rate)
    chart.legend().hide()
    return chart


def trend(title: str, points: Sequence[tuple[str, int, float | None]]) -> QChart:
    """Incidents received per period (bars, left axis) and the on-time rate (line, right axis);
    a period with nothing closed leaves a gap in the line rather than a false zero."""
    chart = _chart(title)
    bars = QBarSet("受理（件）")
    bars.setColor(QColor(palette.CHART_BARS))
    for _, received, _rate in points:
        bars.append(received)
    series = QBarSeries()
    series.append(bars)
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.append([label for label, _, _ in points])
    if max((len(label) for label, _, _ in points), default=0) > 3:
        small = axis_x.labelsFont()
        small.setPointSizeF(small.pointSizeF() * 0.8)  # "26年三季" fits under its bar
        axis_x.setLabelsFont(small)
    axis_count = QValueAxis()
    axis_count.setRange(0, max([5, *(p[1] for p in points)]) * 1.15)  # whole ticks when empty
    axis_count.setLabelFormat("%d")
    axis_count.applyNiceNumbers()  # round ticks: 0, 250, 500 ... rather than 269, 538
    axis_rate = QValueAxis()
    axis_rate.setRange(0, 100)
    axis_rate.setLabelFormat("%d%%")
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(axis_count, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(axis_rate, Qt.AlignmentFlag.AlignRight)
    series.attachAxis(axis_x)
    series.attachAxis(axis_count)
    line: QLineSeries | None = None
    segments = 0
    for i, (_, _, rate) in enumerate(points):
        if rate is None:
            line = None  # a gap
            continue
        if line is None:
            line = QLineSeries()
            line.setName("按期办结率")
            line.setColor(RED)
            line.setPointsVisible(True)
            chart.addSeries(line)
            line.attachAxis(axis_x)
            line.attachAxis(axis_rate)
            if segments:  # one legend entry for all the pieces of the line
                chart.legend().markers(line)[0].setVisible(False)
            segments += 1
        line.append(QPointF(i, rate * 100))
    return chart


class ChartBox(QChartView):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(240)

    def show_chart(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()  # setChart releases the previous chart without deleting it
