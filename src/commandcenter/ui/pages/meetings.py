"""会商例会: the morning huddle, the weekly pack, meeting minutes and the agreed items.

日碰头 and 周例会 are read in a worker (the weekly pack counts a week of incidents) and shown as
linked tables; a click on a case opens it in the queue, a click on an agreed item opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from html import escape
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.enums import AgreedItemStatus, MeetingKind
from commandcenter.services import briefings, meeting_attendees, meetings
from commandcenter.services.actor import Actor
from commandcenter.services.meeting_listings import AGREED_ITEMS, MEETINGS
from commandcenter.services.meetings import ItemLine, MeetingDetail
from commandcenter.services.permissions import Action, allowed
from commandcenter.services.statistics import Period, week_period
from commandcenter.ui import palette
from commandcenter.ui.briefing_view import BriefingView, link_target
from commandcenter.ui.dialogs import form_dialog
from commandcenter.ui.dialogs.agreed_item import ItemDialog, item_fields
from commandcenter.ui.icons import icon
from commandcenter.ui.pages.base import Page, Refreshable
from commandcenter.ui.pages.list_page import ListingView, page_title
from commandcenter.ui.printing import generate_and_preview
from commandcenter.ui.runner import Runner, UnitOfWork


def _button(text: str, icon_name: str, name: str) -> QPushButton:
    button = QPushButton(icon(icon_name), text)
    button.setObjectName(name)
    return button


def _bar_above(widget: QWidget, bar: QHBoxLayout, body: QWidget) -> None:
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addLayout(bar)
    layout.addWidget(body, 1)


class BriefingTab(QWidget):
    """A briefing read in a worker and shown in a BriefingView; the newest request wins."""

    def __init__(self, runner: Runner, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._asked = 0
        self.view = BriefingView()
        self.view.setObjectName(name)
        self.bar = QHBoxLayout()
        _bar_above(self, self.bar, self.view)

    def load(self, work: Callable[[Any, Any], briefings.Briefing]) -> None:
        self._asked += 1
        asked = self._asked

        def show(briefing: briefings.Briefing) -> None:
            if shiboken6.isValid(self) and asked == self._asked:
                self.view.show_briefing(briefing)

        self.runner.run(work, show, parent=self)


def _print_daily(session: UnitOfWork, actor: Actor, path: Path) -> Path:
    # The papers (reportlab) are imported when one is printed: the page's first visit does not
    # wait for them.
    from commandcenter.documents import briefing_papers

    return briefing_papers.print_daily(session, actor, path)


class HuddleTab(BriefingTab):
    """日碰头: today's list, refreshed on demand; the paper prints the same data."""

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(runner, "huddleView", parent)
        refresh = _button("刷新", "refresh", "refreshHuddle")
        refresh.clicked.connect(self.refresh)
        paper = _button("打印日碰头清单", "pdf", "printHuddle")
        paper.clicked.connect(
            lambda: generate_and_preview(self, runner, "日碰头清单", "日碰头清单", _print_daily)
        )
        self.bar.addWidget(
            QLabel("每日碰头会：超期、今日到期、待审批、吹哨待报到、昨日受理和议定事项")
        )
        self.bar.addStretch(1)
        self.bar.addWidget(refresh)
        self.bar.addWidget(paper)

    def refresh(self) -> None:
        self.load(briefings.daily)


class WeeklyTab(BriefingTab):
    """周例会: one week's pack, by default the last full week; the arrows step a week."""

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(runner, "weeklyView", parent)
        self.week: Period = briefings.last_full_week(timeutil.today())
        self.label = QLabel()
        self.label.setObjectName("weekLabel")
        back = _button("上一周", "back", "previousWeek")
        back.clicked.connect(lambda: self.step(-1))
        self.forward = _button("下一周", "forward", "nextWeek")
        self.forward.clicked.connect(lambda: self.step(1))
        paper = _button("打印周例会材料", "pdf", "printWeekly")
        paper.clicked.connect(self.print_pack)
        for widget in (back, self.label, self.forward):
            self.bar.addWidget(widget)
        self.bar.addStretch(1)
        self.bar.addWidget(paper)

    def step(self, weeks: int) -> None:
        self.week = week_period(self.week.first + timedelta(weeks=weeks))
        self.refresh()

    def refresh(self) -> None:
        self.label.setText(f"  {self.week.text}  ")
        # The current week may be reviewed while it runs; a future one has nothing yet.
        self.forward.setEnabled(self.week.last < timeutil.today())
        week = self.week
        self.load(lambda session, actor: briefings.weekly(session, actor, week))

    def print_pack(self) -> None:
        from commandcenter.documents import briefing_papers

        week = self.week
        generate_and_preview(
            self,
            self.runner,
            "周例会材料",
            f"周例会材料（{week.text}）",
            lambda session, actor, path: briefing_papers.print_weekly(session, actor, week, path),
        )


def _meeting_html(meeting: MeetingDetail) -> str:
    held = timeutil.format_local(meeting.held_at)

    def items_table(lines: tuple[ItemLine, ...], day: Any) -> str:
        rows = []
        for line in lines:
            late = line.status is AgreedItemStatus.OPEN and line.overdue_on(day)
            colour = f" bgcolor='{palette.OVERDUE_BACKGROUND}'" if late else ""
            state = line.state_text + ("（逾期）" if late else "")
            rows.append(
                f"<tr{colour}><td><a href='item:{line.id}'>{escape(line.task)}</a></td>"
                f"<td>{escape(line.unit)}</td><td>{escape(line.responsible_person)}</td>"
                f"<td>{line.deadline.isoformat()}</td><td>{escape(state)}</td>"
                f"<td>{escape(line.progress)}</td></tr>"
            )
        head = "".join(
            f"<th bgcolor='{palette.TABLE_HEADER_BACKGROUND}'>{header}</th>"
            for header in ("议定事项", "责任单位", "责任人", "完成时限", "状态", "最新进展")
        )
        return (
            "<table border='1' cellspacing='0' cellpadding='4' width='100%' "
            f"style='border-color:{palette.TABLE_BORDER}'><tr>{head}</tr>{''.join(rows)}</table>"
        )

    today = timeutil.today()
    parts = [
        f"<h2>{escape(meeting.title)}</h2>",
        f"<p>{escape(meeting.kind.label)}　{held}　{escape(meeting.place)}　主持：{escape(meeting.chair)}"
        f"　记录：{escape(meeting.recorded_by)}</p>",
        f"<p><b>参会：</b>{escape(meeting.attendees)}</p>",
        "<h3>会议内容</h3>",
        "".join(f"<p>{escape(p)}</p>" for p in meeting.minutes.splitlines() if p.strip()),
    ]
    if meeting.carried:
        parts += [
            "<h3>上次会议议定事项落实情况（按会议当日）</h3>",
            items_table(meeting.carried, timeutil.local_date(meeting.held_at)),
        ]
    parts.append(f"<h3>本次会议议定事项（{len(meeting.items)}）</h3>")
    parts.append(items_table(meeting.items, today) if meeting.items else "<p>无</p>")
    return "".join(parts)


class MinutesTab(QWidget):
    """会议纪要: the meetings on the left, the chosen one's minutes and items on the right."""

    open_item = Signal(int)

    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.view = ListingView(runner, settings, MEETINGS, self)
        self.view.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_current())
        self.view.activated.connect(lambda _id: self.edit())
        self.detail = QTextBrowser()
        self.detail.setObjectName("meetingDetail")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._follow)
        self.current: MeetingDetail | None = None
        may = allowed(runner.actor, Action.EDIT_MEETING)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text, icon_name, slot, shown in (
            ("new", "记录会议", "add", self.new, may),
            ("edit", "修改纪要", "edit", self.edit, may),
            ("item", "新增议定事项", "add", self.add_item, may),
            ("print", "打印会议纪要", "pdf", self.print_minutes, True),
        ):
            button = _button(text, icon_name, f"meeting_{key}")
            button.clicked.connect(slot)
            button.setVisible(shown)
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setSizes([520, 640])
        _bar_above(self, bar, split)

    def refresh(self) -> None:
        chosen = self.current.id if self.current else None
        self.view.refresh()
        if chosen is not None:
            self.select(chosen)
        elif self.view.model.rowCount() and self.view.selected_id() is None:
            self.view.table.selectRow(0)
        self.show_current()

    def select(self, meeting_id: int) -> None:
        for row in range(self.view.model.rowCount()):
            if self.view.model.row_id(row) == meeting_id:
                self.view.table.selectRow(row)
                return

    def show_current(self) -> None:
        meeting_id = self.view.selected_id()
        for key in ("edit", "item", "print"):
            self.buttons[key].setEnabled(meeting_id is not None)
        if meeting_id is None:
            self.current = None
            self.detail.setHtml(f"<p style='color:{palette.FAINT_TEXT}'>请在左侧选择一次会议。</p>")
            return
        self.current = self.runner.read_now(
            lambda session, actor: meetings.meeting_detail(session, actor, meeting_id)
        )
        self.detail.setHtml(_meeting_html(self.current))

    def _follow(self, url: QUrl) -> None:
        target = link_target(url)
        if target is not None and target[0] == "item":
            self.open_item.emit(target[1])

    def _fields(self) -> list[form_dialog.Field]:
        return [
            form_dialog.choice("kind", "会议类型", form_dialog.labelled(MeetingKind)),
            form_dialog.text("title", "会议名称", "如：11月综合行政执法联席会议"),
            form_dialog.moment("held_at", "会议时间"),
            form_dialog.text("place", "会议地点"),
            form_dialog.text("chair", "主持人"),
            form_dialog.text("attendees", "参会单位和人员", "用顿号分隔", multiline=True),
            form_dialog.many(
                "attendee_ids",
                "从名册和联络人中选",
                self.runner.read_now(meeting_attendees.choices),
            ),
            form_dialog.text("minutes", "会议内容", "会议通报、研究和决定的事项", multiline=True),
        ]

    def new(self) -> None:
        dialog = form_dialog.FormDialog(
            self.runner,
            "记录会议",
            self._fields(),
            lambda values: (
                lambda session, actor: (
                    meetings.save_meeting(session, actor, meetings.MeetingForm(**values)).id
                )
            ),
            parent=self,
        )
        dialog.load({"kind": MeetingKind.JOINT, "held_at": timeutil.now()})
        if dialog.exec():
            self.view.refresh()
            self.select(dialog.result_value)
            self.show_current()

    def edit(self) -> None:
        meeting = self.current
        if meeting is None or not allowed(self.runner.actor, Action.EDIT_MEETING):
            return
        dialog = form_dialog.FormDialog(
            self.runner,
            f"修改纪要：{meeting.title}",
            self._fields(),
            lambda values: (
                lambda session, actor: (
                    meetings.save_meeting(
                        session,
                        actor,
                        meetings.MeetingForm(**values),
                        meeting.id,
                        version=meeting.version,
                    ).id
                )
            ),
            parent=self,
        )
        dialog.load(
            {
                "kind": meeting.kind,
                "title": meeting.title,
                "held_at": meeting.held_at,
                "place": meeting.place,
                "chair": meeting.chair,
                "attendees": meeting.attendees,
                "minutes": meeting.minutes,
            }
        )
        if dialog.exec():
            self.show_current()

    def add_item(self) -> None:
        meeting = self.current
        if meeting is None:
            return
        dialog = form_dialog.FormDialog(
            self.runner,
            f"新增议定事项：{meeting.title}",
            item_fields(self.runner),
            lambda values: (
                lambda session, actor: (
                    meetings.save_item(session, actor, meeting.id, meetings.ItemForm(**values)).id
                )
            ),
            parent=self,
        )
        dialog.load({"deadline": timeutil.local_date(meeting.held_at) + timedelta(days=14)})
        if dialog.exec():
            self.show_current()

    def print_minutes(self) -> None:
        meeting = self.current
        if meeting is None:
            QMessageBox.information(self, "打印会议纪要", "请先选择一次会议。")
            return
        from commandcenter.documents import minutes

        generate_and_preview(
            self,
            self.runner,
            "会议纪要",
            f"{meeting.title}纪要",
            lambda session, actor, path: minutes.print_minutes(session, actor, meeting.id, path),
        )


class MeetingsPage(Page):
    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.huddle = HuddleTab(runner)
        self.weekly = WeeklyTab(runner)
        self.minutes = MinutesTab(runner, settings)
        self.items = ListingView(runner, settings, AGREED_ITEMS, self)
        self.items.activated.connect(self.open_item)
        for view in (self.huddle.view, self.weekly.view):
            view.open_incident.connect(self.open_incident)
            view.open_item.connect(self.open_item)
        self.minutes.open_item.connect(self.open_item)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("meetingTabs")
        self.tabs.addTab(self.huddle, "日碰头")
        self.tabs.addTab(self.weekly, "周例会")
        self.tabs.addTab(self.minutes, "会议纪要")
        items_tab = QWidget()
        open_button = _button("打开所选事项", "details", "openItem")
        open_button.clicked.connect(self._open_selected)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("双击一项可查看进展记录，报告进展、标记完成或撤销"))
        bar.addStretch(1)
        bar.addWidget(open_button)
        _bar_above(items_tab, bar, self.items)
        self.tabs.addTab(items_tab, "议定事项")
        self.items_tab = items_tab
        # What each tab shows, in tab order: only the visible one reads.
        self.tab_contents: tuple[Refreshable, ...] = (
            self.huddle,
            self.weekly,
            self.minutes,
            self.items,
        )
        self.tabs.currentChanged.connect(lambda _n: self.refresh())
        layout = QVBoxLayout(self)
        layout.addWidget(page_title("会商例会"))
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        """Only the visible tab reads: the weekly pack counts a week of incidents."""
        self.tab_contents[self.tabs.currentIndex()].refresh()

    def open_item(self, item_id: int) -> None:
        ItemDialog(self.runner, item_id, self).exec()

    def open_record(self, record_id: int) -> None:
        """An agreed item, in its dialog."""
        self.open_item(record_id)

    def _open_selected(self) -> None:
        item_id = self.items.selected_id()
        if item_id is None:
            QMessageBox.information(self, "议定事项", "请先在列表中选中一项。")
            return
        self.open_item(item_id)

    def focus_search(self) -> None:
        if self.tabs.currentWidget() is self.items_tab:
            self.items.search.setFocus()
        elif self.tabs.currentWidget() is self.minutes:
            self.minutes.view.search.setFocus()
