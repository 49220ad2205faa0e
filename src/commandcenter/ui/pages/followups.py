"""督办跟踪: the follow-ups the centre must see end — supervision papers, 约谈, transfers and
decisions on referrals — each listed and filtered by its state.

A paper or 约谈 opens in its own window (登记回复, 办结, 打印); a transfer or a decision opens
its incident in the queue, where its receipt and result are recorded.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from commandcenter.services.followups.listings import (
    ESCALATION_DECISIONS,
    INTERVIEWS,
    SUPERVISIONS,
    TRANSFERS,
)
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui.dialogs.followups import (
    INTERVIEW,
    SUPERVISION,
    FollowUpDialog,
    issue_unit_supervision,
    schedule_interview,
)
from commandcenter.ui.icons import icon
from commandcenter.ui.pages.base import Page
from commandcenter.ui.pages.list_page import ListingView, page_title
from commandcenter.ui.runner import Runner


class FollowUpsPage(Page):
    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        may = allowed(runner.actor, Action.ISSUE_SUPERVISION)
        self.supervisions = ListingView(runner, settings, SUPERVISIONS, self)
        self.interviews = ListingView(runner, settings, INTERVIEWS, self)
        self.transfers = ListingView(runner, settings, TRANSFERS, self)
        self.decisions = ListingView(runner, settings, ESCALATION_DECISIONS, self)
        self.supervisions.activated.connect(lambda i: self.open_follow_up(SUPERVISION, i))
        self.interviews.activated.connect(lambda i: self.open_follow_up(INTERVIEW, i))
        self.transfers.activated.connect(self.open_incident.emit)
        self.decisions.activated.connect(self.open_incident.emit)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("followUpTabs")
        self.views = (self.supervisions, self.interviews, self.transfers, self.decisions)
        for view, title in zip(self.views, ("督办文书", "约谈", "移送", "上报决定"), strict=True):
            self.tabs.addTab(view, title)
        self.tabs.currentChanged.connect(lambda _n: self.refresh())
        self.new_paper = self._button("发出督办文书（单位）…", "newUnitSupervision", may)
        self.new_paper.clicked.connect(lambda: self._new(issue_unit_supervision, SUPERVISION))
        self.new_interview = self._button("新建约谈…", "newInterview", may)
        self.new_interview.clicked.connect(lambda: self._new(schedule_interview, INTERVIEW))
        head = QHBoxLayout()
        head.addWidget(page_title("督办跟踪"))
        head.addStretch(1)
        head.addWidget(self.new_paper)
        head.addWidget(self.new_interview)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)

    def _button(self, text: str, name: str, enabled: bool) -> QPushButton:
        button = QPushButton(icon("add"), text)
        button.setObjectName(name)
        button.setEnabled(enabled)
        return button

    def _new(self, form: Callable[[QWidget, Runner], int | None], kind: str) -> None:
        created = form(self, self.runner)
        if created is not None:
            self.tabs.setCurrentWidget(
                self.supervisions if kind == SUPERVISION else self.interviews
            )
            self.refresh()
            self.open_follow_up(kind, created)

    def open_follow_up(self, kind: str, record_id: int) -> None:
        dialog = FollowUpDialog(self.runner, kind, record_id, self)
        dialog.exec()
        if dialog.open_incident_id is not None:
            self.open_incident.emit(dialog.open_incident_id)
        else:
            self.refresh()

    def refresh(self) -> None:
        view = self.tabs.currentWidget()
        if isinstance(view, ListingView):
            view.refresh()

    def focus_search(self) -> None:
        view = self.tabs.currentWidget()
        if isinstance(view, ListingView):
            view.search.setFocus()
