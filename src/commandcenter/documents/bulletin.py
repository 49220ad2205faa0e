"""月通报 and 季汇总: the period's figures in words, tables and vector charts.

Each carries its 期号 (第N期 of its year: a 月通报 is numbered by its month, a 季汇总 by its
quarter, so a reprint carries the same number) and, at its foot, the 报送 and 抄送 lines set in
系统设置 (services/bulletin_settings).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Circle, Drawing, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.documents import long_rows
from commandcenter.documents.layout import (
    TEXT_HEIGHT,
    TEXT_WIDTH,
    Letterhead,
    PageDecor,
    SignatureBlock,
    build_pdf,
    escape,
    grid_table,
    styles,
    title_block,
)
from commandcenter.services import bulletin_settings, reports, settings
from commandcenter.services.actor import Actor
from commandcenter.services.bulletin_settings import Recipients
from commandcenter.services.reports import PeriodReport
from commandcenter.services.statistics import percent, ranking_volume

_BLUE = colors.HexColor("#2F4A6D")
_PALETTE = [
    colors.HexColor(c)
    for c in ("#2F4A6D", "#C8161D", "#E3A21A", "#4C8C4A", "#6A5ACD", "#2A9D8F", "#8D6E63")
]
_GREY = colors.HexColor("#EEEEEE")


def title_of(report: PeriodReport) -> str:
    return f"综合行政执法工作{report.kind}"


def issue_of(report: PeriodReport) -> str:
    """期号: 2026年第11期 (a 月通报 numbered by its month, a 季汇总 by its quarter)."""
    first = report.period.first
    number = (first.month - 1) // 3 + 1 if report.kind == "季汇总" else first.month
    return f"{first.year}年第{number}期"


def _distribution(recipients: Recipients, font: str) -> list[Flowable]:
    """报送 and 抄送 between rules, as a 版记 sits at the foot of the last page; a blank one
    is left off, and with both blank there is nothing."""
    lines = [
        (word, text)
        for word, text in (("报送", recipients.submit_to), ("抄送", recipients.copy_to))
        if text
    ]
    if not lines:
        return []
    st = styles()
    line = ParagraphStyle(
        "distribution", parent=st.body, fontSize=12, leading=16, firstLineIndent=0
    )
    rows = [[Paragraph(escape(f"{word}：{text}。"), line)] for word, text in lines]
    rules = [
        ("LINEABOVE", (0, 0), (-1, 0), 1, colors.black),
        ("LINEBELOW", (0, 0), (-1, -2), 0.5, colors.black),
        ("LINEBELOW", (0, -1), (-1, -1), 1, colors.black),
    ]
    # A list of recipients longer than a page goes over in pieces, as a grid's long row does.
    cells, rules = long_rows.cut(rows, [TEXT_WIDTH], rules, 2, TEXT_HEIGHT, sides=24)
    table = Table(cells, colWidths=[TEXT_WIDTH])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),  # 左右各空一字
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                *rules,
            ]
        )
    )
    return [Spacer(1, 4 * mm), table]


def _caption(drawing: Drawing, text: str, font: str) -> None:
    drawing.add(
        String(
            drawing.width / 2,
            drawing.height - 12,
            text,
            fontName=font,
            fontSize=10.5,
            textAnchor="middle",
        )
    )


def _no_data(drawing: Drawing, text: str, font: str) -> Drawing:
    drawing.add(
        String(
            drawing.width / 2,
            drawing.height / 2 - 5 * mm,
            text,
            fontName=font,
            fontSize=10,
            textAnchor="middle",
        )
    )
    return drawing


def _style_bars(chart: Any, font: str, colour: colors.Color, label_format: str) -> None:
    """Axis and bar labels in the document's font, one series in *colour*, values on the bars."""
    for labels in (chart.categoryAxis.labels, chart.valueAxis.labels):
        labels.fontName = font
        labels.fontSize = 8
    chart.bars[0].fillColor = colour
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = label_format
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7.5


def _pie(rows: Sequence[tuple[str, int]], font: str, caption: str) -> Drawing:
    width = TEXT_WIDTH / 2
    d = Drawing(width, 62 * mm)
    _caption(d, caption, font)
    shown = [(label, n) for label, n in rows if n]
    if not shown:
        return _no_data(d, "本期无数据", font)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 2 * mm, 8 * mm, 34 * mm, 34 * mm
    pie.data = [n for _, n in shown]
    pie.labels = None
    pie.slices.strokeColor = colors.white
    for n in range(len(shown)):
        pie.slices[n].fillColor = _PALETTE[n % len(_PALETTE)]
    d.add(pie)
    total = sum(pie.data)
    for n, (label, count) in enumerate(shown):  # a legend with counts and shares
        y = 44 * mm - n * 5.5 * mm
        d.add(
            Rect(
                39 * mm, y, 3 * mm, 3 * mm, fillColor=_PALETTE[n % len(_PALETTE)], strokeColor=None
            )
        )
        d.add(
            String(
                43 * mm,
                y + 0.3 * mm,
                f"{label} {count}（{count / total:.0%}）",
                fontName=font,
                fontSize=8.5,
            )
        )
    return d


def _short(label: str, limit: int = 15) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _hbars(rows: Sequence[tuple[str, int]], font: str, caption: str, width: float) -> Drawing:
    height = max(30 * mm, (len(rows) * 5.2 + 16) * mm)
    d = Drawing(width, height)
    _caption(d, caption, font)
    if not rows:
        return _no_data(d, "本期无数据", font)
    chart = HorizontalBarChart()
    # Room for a label of _short's length at the left, inside the type area.
    chart.x, chart.y = 45 * mm, 6 * mm
    chart.width, chart.height = width - 55 * mm, height - 18 * mm
    ordered = list(reversed(rows))  # largest at the top
    chart.data = [[n for _, n in ordered]]
    chart.categoryAxis.categoryNames = [_short(label) for label, _ in ordered]
    _style_bars(chart, font, _BLUE, "%d")
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    d.add(chart)
    return d


def _rates(report: PeriodReport, font: str) -> Drawing:
    units = [u for u in report.units if u.reported]
    d = Drawing(TEXT_WIDTH, 62 * mm)
    _caption(d, "图4  各单位按期反馈率（%）", font)
    if not units:
        return _no_data(d, "本期无反馈事件", font)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 12 * mm, TEXT_WIDTH - 18 * mm, 34 * mm
    chart.data = [[round(100 * (u.on_time_rate or 0), 1) for u in units]]
    chart.categoryAxis.categoryNames = [u.unit[:8] for u in units]
    _style_bars(chart, font, _BLUE, "%.1f")
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.barLabels.nudge = 6
    d.add(chart)
    return d


def _rate_line(d: Drawing, bars: VerticalBarChart, rates: list[float | None], font: str) -> None:
    """The on-time rate over the bars, drawn by hand: a period without a rate is a gap, a run of
    one period a marker; runs of two or more are joined."""
    red = colors.HexColor("#C8161D")
    step = bars.width / max(1, len(rates))

    def point(n: int, value: float) -> tuple[float, float]:
        return bars.x + (n + 0.5) * step, bars.y + bars.height * value

    run: list[tuple[float, float]] = []
    for n, value in enumerate([*rates, None]):
        if value is not None:
            x, y = point(n, value)
            run.append((x, y))
            d.add(Circle(x, y, 1.6, fillColor=red, strokeColor=None))
            # The figures in a row above the plot, clear of the bars' own labels.
            top = bars.y + bars.height + 2 * mm
            d.add(
                String(x, top, f"{100 * value:.0f}%", fontName=font, fontSize=7.5,
                       fillColor=red, textAnchor="middle")
            )  # fmt: skip
            continue
        if len(run) >= 2:
            d.add(PolyLine([c for xy in run for c in xy], strokeColor=red, strokeWidth=1.5))
        run = []


def _trend(report: PeriodReport, font: str) -> Drawing:
    d = Drawing(TEXT_WIDTH, 60 * mm)
    _caption(d, "图5  近六期受理件数（柱）与按期办结率（点线，%）", font)
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 14 * mm, 12 * mm, TEXT_WIDTH - 30 * mm, 34 * mm
    bars.data = [[p.received for p in report.trend]]
    # A period with nothing received says so under its label instead of a bar of nothing.
    bars.categoryAxis.categoryNames = [
        p.label if p.received else f"{p.label}\n（无）" for p in report.trend
    ]
    _style_bars(bars, font, colors.HexColor("#9FB3CC"), "%d")
    bars.barLabelFormat = lambda v: f"{v:.0f}" if v else ""
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = max(10, *(p.received for p in report.trend)) * 1.15
    bars.barLabels.nudge = 6
    d.add(bars)
    _rate_line(d, bars, [p.on_time_rate for p in report.trend], font)
    if not any(p.received for p in report.trend):
        _no_data(d, "近六期无受理事件", font)
    return d


def _story(
    report: PeriodReport, recipients: Recipients, letterhead: str | None = None
) -> list[Flowable]:
    st = styles()
    font = st.fonts.body
    small = ParagraphStyle("bulletin_small", parent=st.small, fontSize=9, leading=12)
    label = ParagraphStyle("bulletin_label", parent=st.small_label, fontSize=9, leading=12)
    body = ParagraphStyle("bulletin_body", parent=st.body, fontSize=14, leading=24)
    heading = ParagraphStyle(
        "bulletin_heading", parent=body, fontName=st.fonts.heading, firstLineIndent=28
    )
    # Under an authority's 版头 (系统设置) the centre's name line gives way to it.
    head: list[Flowable] = (
        [Letterhead(letterhead, None), *title_block(title_of(report))]
        if letterhead
        else [
            Paragraph(escape(report.centre_name), st.form_subtitle),
            Paragraph(title_of(report), st.title),
        ]
    )
    story: list[Flowable] = [
        *head,
        # 期号 and period on one line: a second line would push the charts a page on.
        Paragraph(escape(f"{issue_of(report)}（{report.period.label}）"), st.subtitle),
        Spacer(1, 5 * mm),
        Paragraph("一、总体情况", heading),
        Paragraph(escape(reports.overview_text(report)), body),
        Paragraph(escape(reports.joint_text(report)), body),
        Paragraph(escape(reports.FIGURES_NOTE), small),
    ]
    story += [
        KeepTogether(  # the heading goes with its first charts
            [
                Paragraph("二、事件来源与分布", heading),
                grid_table(
                    [
                        [
                            _pie(report.by_channel, font, "图1  事件来源渠道"),
                            _hbars(report.by_grid, font, "图2  事件较多的网格", TEXT_WIDTH / 2),
                        ]
                    ],
                    [TEXT_WIDTH / 2, TEXT_WIDTH / 2],
                    [
                        ("GRID", (0, 0), (-1, -1), 0, colors.white),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ],
                    padding=0,
                ),
            ]
        ),
        _hbars(report.by_item, font, "图3  事件较多的执法事项", TEXT_WIDTH),
        Paragraph("三、各单位办理情况", heading),
    ]
    headers = ("单位", "承办", "反馈", "按期反馈", "超期", "件数", "按期率", "退回", "督办文书")
    rows: list[list[object]] = [[Paragraph(h, label) for h in headers]]
    for u in report.units:
        values = (
            u.unit,
            u.received,
            u.reported,
            u.reported_on_time,
            u.overdue,
            ranking_volume(u),
            percent(u.on_time_rate),
            u.returns,
            u.supervisions,
        )
        rows.append(
            [Paragraph(escape(v), small if n == 0 else label) for n, v in enumerate(values)]
        )
    table = grid_table(
        rows,
        [40 * mm, 13 * mm, 13 * mm, 17 * mm, 13 * mm, 13 * mm, 17 * mm, 13 * mm, 17 * mm],
        [("BACKGROUND", (0, 0), (-1, 0), _GREY)],
        padding=2,
    )
    table.repeatRows = 1
    story += [
        table,
        Spacer(1, 2 * mm),
        Paragraph(
            escape("注：" + reports.RANKING_NOTE.format(minimum=report.ranking_minimum)), small
        ),
        _rates(report, font),
    ]
    red = [r for r in report.ranking if r.board == "red"]
    green = [r for r in report.ranking if r.board == "green"]
    too_few = [r for r in report.ranking if r.too_few]

    def board(entries: list[reports.RankedUnit]) -> str:
        if not entries:
            return "无。"
        return "".join(
            f"<br/>{r.rank}. {escape(r.figures.unit)}：按期反馈率 {percent(r.figures.on_time_rate)}"
            f"（{r.volume} 件）" + (f"，超期 {r.figures.overdue} 件" if r.figures.overdue else "")
            for r in entries
        )

    apart = "、".join(f"{escape(r.figures.unit)}（{r.volume} 件）" for r in too_few) or "无"
    story += [
        KeepTogether(
            [
                Paragraph("四、红绿榜", heading),
                Paragraph(f"红榜（按期反馈率靠前）：{board(red)}", body),
                Paragraph(f"绿榜（需加强督促）：{board(green)}", body),
                Paragraph(
                    f"件数不足、不参与排名（不足 {report.ranking_minimum} 件）：{apart}。", body
                ),
            ]
        ),
        KeepTogether([  # the trend, and the signature and its date below it
            Paragraph("五、近期趋势", heading),
            _trend(report, font),
            SignatureBlock(letterhead or report.centre_name, timeutil.today()),
            *_distribution(recipients, font),
        ]),
    ]  # fmt: skip
    return story


def render(
    report: PeriodReport,
    path: Path,
    recipients: Recipients | None = None,
    letterhead: str | None = None,
) -> Path:
    return build_pdf(
        path,
        _story(report, recipients or Recipients("", ""), letterhead),
        PageDecor(title=f"{title_of(report)} {issue_of(report)}（{report.period.label}）"),
        author=report.centre_name,
    )


def print_monthly(session: Session, actor: Actor, year: int, month: int, path: Path) -> Path:
    report = reports.monthly_for_paper(session, actor, year, month)
    return render(
        report,
        path,
        bulletin_settings.load(session),
        settings.letterhead(session).for_paper("bulletin"),
    )


def print_quarterly(session: Session, actor: Actor, year: int, quarter: int, path: Path) -> Path:
    report = reports.quarterly_for_paper(session, actor, year, quarter)
    return render(
        report,
        path,
        bulletin_settings.load(session),
        settings.letterhead(session).for_paper("bulletin"),
    )
