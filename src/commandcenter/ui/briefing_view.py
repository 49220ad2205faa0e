"""A briefing (日碰头, 周例会) on screen: the figures, then each section as a table whose rows
link to the incident or agreed item behind them."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from commandcenter import timeutil
from commandcenter.services.briefings import Briefing, Section
from commandcenter.ui import palette

_ROW_COLOURS = {
    "overdue": palette.OVERDUE_BACKGROUND,
    "due_soon": palette.WARNING_BACKGROUND,
    "red": palette.RANKED_RED_BACKGROUND,
    "green": palette.RANKED_GREEN_BACKGROUND,
}


def _section_html(number: int, section: Section) -> str:
    title = f"{number}. {escape(section.title)}（{section.count}）"
    parts = [f"<h3>{title}</h3>"]
    if section.note:
        parts.append(f"<p style='color:{palette.NOTE_TEXT}'>{escape(section.note)}</p>")
    if not section.rows:
        parts.append(f"<p style='color:{palette.FAINT_TEXT}'>无</p>")
        return "".join(parts)
    head = "".join(
        f"<th bgcolor='{palette.TABLE_HEADER_BACKGROUND}'>{escape(header)}</th>"
        for header in section.headers
    )
    rows = []
    for i, row in enumerate(section.rows):
        cells = [escape(v) for v in row]
        if section.link and i < len(section.ids):
            # The first column links to the record behind the row.
            cells[0] = f"<a href='{section.link}:{section.ids[i]}'>{cells[0]}</a>"
        flag = section.flags[i] if i < len(section.flags) else None
        colour = f" bgcolor='{_ROW_COLOURS[flag]}'" if flag in _ROW_COLOURS else ""
        rows.append(f"<tr{colour}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    parts.append(
        "<table border='1' cellspacing='0' cellpadding='4' width='100%' "
        f"style='border-color:{palette.TABLE_BORDER}'><tr>{head}</tr>{''.join(rows)}</table>"
    )
    return "".join(parts)


def briefing_html(briefing: Briefing) -> str:
    cells = [
        f"<td bgcolor='{palette.FIGURE_BACKGROUND}' width='25%'>"
        f"<span style='color:{palette.MUTED_TEXT}'>{escape(label)}</span><br/>"
        f"<b style='font-size:14pt'>{escape(value)}</b></td>"
        for label, value in briefing.figures
    ]
    figures = "".join("<tr>" + "".join(cells[k : k + 4]) + "</tr>" for k in range(0, len(cells), 4))
    period = briefing.period.text if briefing.kind == "周例会" else briefing.period.label
    return (
        f"<h2>{escape(briefing.title)}</h2>"
        f"<p style='color:{palette.MUTED_TEXT}'>"
        f"{escape(period)}　生成于 {timeutil.format_local(briefing.made_at)}</p>"
        f"<table cellspacing='6' cellpadding='6' width='100%'>{figures}</table>"
        + "".join(_section_html(n, s) for n, s in enumerate(briefing.sections, start=1))
    )


def link_target(url: QUrl) -> tuple[str, int] | None:
    """("incident", 12) for a link written as incident:12; None for anything else."""
    kind, _, number = url.toString().partition(":")
    return (kind, int(number)) if number.isdigit() else None


class BriefingView(QTextBrowser):
    open_incident = Signal(int)
    open_item = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._follow)
        self.briefing: Briefing | None = None

    def show_briefing(self, briefing: Briefing) -> None:
        self.briefing = briefing
        bar = self.verticalScrollBar().value()
        self.setHtml(briefing_html(briefing))
        self.verticalScrollBar().setValue(bar)  # a refresh keeps the reader's place

    def _follow(self, url: QUrl) -> None:
        target = link_target(url)
        if target is None:
            return
        kind, number = target
        if kind == "incident":
            self.open_incident.emit(number)
        elif kind == "item":
            self.open_item.emit(number)
