"""工作台: today's figures at a glance, and the lists an operator starts the day with.

New today, due today, overdue, waiting for a leader, whistle calls waiting for the department
to report in, and meetings' agreed items past their deadline; then everything waiting on
someone (services/followups/waiting): 退回待裁定, 签收超时, 移送回执未回, 督办待回复, 约谈待跟进,
上报待决定, 法制审核待补正. Enter or a double-click on a row opens the incident in the queue, or
the agreed item, supervision paper or 约谈 in its window. Each list's count is on a card.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from commandcenter import timeutil
from commandcenter.services import overview
from commandcenter.services.actor import Actor
from commandcenter.services.followups import waiting
from commandcenter.services.followups.listings import INTERVIEW_WAITING, SUPERVISION_WAITING
from commandcenter.services.incidents.listings import (
    AWAITING_APPROVAL,
    DUE_TODAY,
    OVERDUE_INCIDENTS,
    RECEIVED_TODAY,
    WHISTLE_WAITING,
)
from commandcenter.services.meeting_listings import OVERDUE_AGREED_ITEMS
from commandcenter.ui.dialogs.agreed_item import ItemDialog
from commandcenter.ui.dialogs.followups import INTERVIEW, SUPERVISION, FollowUpDialog
from commandcenter.ui.pages.base import Page
from commandcenter.ui.pages.list_page import ListingView, page_title
from commandcenter.ui.runner import Runner, UnitOfWork
from commandcenter.ui.table_model import FirstPage


class Card(QFrame):
    """A figure that opens what it counts: click it, or Tab to it and press Enter or Space."""

    clicked = Signal()

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.value = QLabel("–")
        self.value.setProperty("role", "card-value")
        self.caption = QLabel(caption)
        self.caption.setProperty("role", "card-caption")
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set_value(self, value: int, alert: bool = False) -> None:
        self.value.setText(str(value))
        self.value.setProperty("alert", "true" if alert and value else "false")
        self.value.style().unpolish(self.value)
        self.value.style().polish(self.value)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


_LISTS = (
    RECEIVED_TODAY,
    DUE_TODAY,
    OVERDUE_INCIDENTS,
    AWAITING_APPROVAL,
    WHISTLE_WAITING,
    OVERDUE_AGREED_ITEMS,
    *waiting.WAITING_LISTS,
)


# What each card opens: its list below, or the page where its records are kept.
_CARD_OPENS: dict[str, str] = {
    "received_today": RECEIVED_TODAY.key,
    "open_incidents": "page:incidents",
    "overdue": OVERDUE_INCIDENTS.key,
    "due_within_two_days": "page:incidents",
    "pending_extensions": "page:incidents",
    "plans_awaiting_approval": "page:operations",
    "plans_upcoming": "page:operations",
    "certificates_expiring": "page:roster",
    "certificates_expired_in_use": "page:roster",
    "overdue_agreed_items": OVERDUE_AGREED_ITEMS.key,
    "officers_on_duty": "page:roster",
    **{listing.key: listing.key for listing in waiting.WAITING_LISTS},
}
# The waiting lists' cards: their counts come from the lists themselves.
_WAITING_CARDS = [(listing.key, listing.title) for listing in waiting.WAITING_LISTS]
# What a waiting list's rows open that is not an incident.
_ROW_WINDOWS = {SUPERVISION_WAITING.key: SUPERVISION, INTERVIEW_WAITING.key: INTERVIEW}


_ALERTS = {
    "overdue",
    "certificates_expired_in_use",
    "overdue_agreed_items",
    "certificates_expiring",
    "pending_extensions",
}
# What one refresh reads: the overview, the waiting cards' counts, and per list its count or
# (the list on show) its first page.
_Figures = tuple[overview.Overview, dict[str, int], dict[str, int | FirstPage]]


def _total(answer: int | FirstPage) -> int:
    return answer[0] if isinstance(answer, tuple) else answer


class DashboardPage(Page):
    shown = Signal()  # a refresh's figures are on screen

    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.heading = page_title("工作台")
        self.date_label = QLabel()
        self.cards: dict[str, Card] = {}
        grid = QGridLayout()
        specs = [
            ("received_today", "今日受理"),
            ("open_incidents", "在办事件"),
            ("overdue", "超期未办结"),
            ("due_within_two_days", "两日内到期"),
            ("pending_extensions", "待审批延期"),
            ("plans_awaiting_approval", "待审批行动方案"),
            ("plans_upcoming", "七日内联合行动"),
            ("certificates_expiring", "执法证即将到期"),
            ("certificates_expired_in_use", "执法证已过期（在岗）"),
            ("overdue_agreed_items", "超期议定事项"),
            ("officers_on_duty", "在岗执法人员"),
            *_WAITING_CARDS,
        ]
        for i, (key, caption) in enumerate(specs):
            card = Card(caption)
            card.setObjectName(f"card_{key}")
            card.clicked.connect(lambda key=key: self.open_card(key))
            self.cards[key] = card
            grid.addWidget(card, i // 6, i % 6)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dashboardLists")
        self.lists: dict[str, ListingView] = {}
        for listing in _LISTS:
            view = ListingView(runner, settings, listing, self)
            if listing is OVERDUE_AGREED_ITEMS:
                view.activated.connect(self.open_item)
            elif listing.key in _ROW_WINDOWS:
                kind = _ROW_WINDOWS[listing.key]
                view.activated.connect(lambda i, kind=kind: self.open_follow_up(kind, i))
            else:
                view.activated.connect(self.open_incident)
            self.lists[listing.key] = view
            self.tabs.addTab(view, listing.title)
        self.overdue = self.lists[OVERDUE_INCIDENTS.key]
        self._asked = 0  # refreshes, so that a slow answer never overwrites a newer one
        self._stale: set[str] = set()  # lists whose rows are older than their tab's count
        for i, listing in enumerate(_LISTS):
            view = self.lists[listing.key]
            view.read.connect(partial(self._caption, i, listing.title, view))
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.date_label)
        layout.addLayout(grid)
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        """The cards, every tab's count and the list on show, in one read in a worker: on a
        large street the lists take a second between them, which the window must not wait
        for. The lists behind other tabs are read when their tab is shown."""
        current = self.tabs.currentWidget()
        reads = {
            key: view.model.first_page_work() if view is current else view.model.count_work()
            for key, view in self.lists.items()
        }
        unfiltered = {key for key, view in self.lists.items() if view.model.unfiltered()}
        place = current._place() if isinstance(current, ListingView) else None

        def work(session: UnitOfWork, actor: Actor) -> _Figures:
            figures = overview.overview(session, actor)
            answers = {key: read(session, actor) for key, read in reads.items()}
            waiting_now = {
                listing.key: _total(answers[listing.key])
                if listing.key in unfiltered
                else listing.count(session, actor)
                for listing in waiting.WAITING_LISTS
            }
            return figures, waiting_now, answers

        self._asked += 1
        asked = self._asked

        def show(result: _Figures) -> None:
            if asked == self._asked:
                self._show(result, current, place)

        self.runner.run(work, show, parent=self)

    def _show(
        self, result: _Figures, current: QWidget, place: tuple[int | None, int] | None
    ) -> None:
        figures, waiting_now, answers = result
        self.date_label.setText(
            f"{timeutil.chinese_date(figures.today)}　执法证到期提醒：提前 "
            f"{figures.certificate_warning_days} 天"
        )
        for key, card in self.cards.items():
            if key in waiting_now:
                card.set_value(waiting_now[key], alert=True)
            else:
                card.set_value(getattr(figures, key), alert=key in _ALERTS)
        self._stale.clear()
        for i, listing in enumerate(_LISTS):
            view, answer = self.lists[listing.key], answers[listing.key]
            self.tabs.setTabText(i, f"{listing.title}（{_total(answer)}）")
            if view is current and isinstance(answer, tuple):
                view.model.show_first_page(answer)
                view.show_read(place)
            else:
                self._stale.add(listing.key)
        # Another tab chosen while the figures were being read is read now.
        self._tab_shown(self.tabs.currentIndex())
        self.shown.emit()

    def _tab_shown(self, index: int) -> None:
        view = self.tabs.widget(index)
        for key, candidate in self.lists.items():
            if candidate is view and key in self._stale:
                self._stale.discard(key)
                candidate.refresh_later()

    def _caption(self, index: int, listing_title: str, view: ListingView) -> None:
        self.tabs.setTabText(index, f"{listing_title}（{view.model.total}）")

    def open_card(self, key: str) -> None:
        """The records a card counts: its list on this page, or the page that keeps them."""
        target = _CARD_OPENS[key]
        if target.startswith("page:"):
            self.show_place.emit(target.removeprefix("page:"))
            return
        view = self.lists[target]
        self.tabs.setCurrentWidget(view)  # a list not read since the last refresh is read now
        view.table.setFocus()

        def first_row() -> None:
            if view.model.rowCount() and not view.table.currentIndex().isValid():
                view.table.selectRow(0)

        if view.model.reading:
            view.read.connect(first_row, Qt.ConnectionType.SingleShotConnection)
        else:
            first_row()

    def open_item(self, item_id: int) -> None:
        ItemDialog(self.runner, item_id, self).exec()

    def open_follow_up(self, kind: str, record_id: int) -> None:
        dialog = FollowUpDialog(self.runner, kind, record_id, self)
        dialog.exec()
        if dialog.open_incident_id is not None:
            self.open_incident.emit(dialog.open_incident_id)

    def focus_search(self) -> None:
        view = self.tabs.currentWidget()
        if isinstance(view, ListingView):
            view.search.setFocus()
