"""事件队列: the queue with its filters on the left, the chosen incident on the right.

Ctrl+N registers a call; the detail pane offers the steps the incident's status and the
user's role allow, and prints its papers. Yellow rows are due soon, red rows overdue.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QWidget,
)

from commandcenter import timeutil
from commandcenter.documents import papers
from commandcenter.services.incidents.listings import INCIDENTS, received_between
from commandcenter.services.permissions import Action, allowed
from commandcenter.ui.date_edits import DateEdit
from commandcenter.ui.dialogs.incident_steps import RegisterDialog
from commandcenter.ui.icons import icon
from commandcenter.ui.incident_detail import IncidentDetailPane
from commandcenter.ui.pages.list_page import ListPage
from commandcenter.ui.runner import Runner
from commandcenter.ui.work_order_dialogs import WorkOrderActions

_SPLITTER_KEY = "incidents/splitter"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class IncidentsPage(ListPage):
    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(
            runner,
            settings,
            INCIDENTS,
            "事件队列",
            parent,
            hint="黄色：临期　红色：超期",
        )
        self.register_action = QAction(icon("add"), "登记事件", self)
        self.register_action.setShortcut(QKeySequence("Ctrl+N"))
        self.register_action.setEnabled(allowed(runner.actor, Action.REGISTER_INCIDENT))
        self.register_action.triggered.connect(self.register)
        self.add_action(self.register_action)
        self.print_action = QAction(icon("print"), "打印指挥调度单", self)
        self.print_action.setShortcut(QKeySequence("Ctrl+P"))
        self.print_action.triggered.connect(self.print_dispatch_order)
        self.add_action(self.print_action)
        self.work_orders = WorkOrderActions(runner, self)
        self.work_orders.install(self)

        # A date range on the time received, next to the search box.
        today = timeutil.today()
        self.by_date = QCheckBox("受理日期")
        self.by_date.setObjectName("filter_received")
        self.date_from = DateEdit(_qdate(today.replace(day=1)))
        self.date_to = DateEdit(_qdate(today))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._apply_dates)
        self.by_date.toggled.connect(self._apply_dates)
        dates = QWidget()  # the range wraps as one piece
        dates_row = QHBoxLayout(dates)
        dates_row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.by_date, self.date_from, QLabel("至"), self.date_to):
            dates_row.addWidget(widget)
        self.view.add_filter_widget(dates)
        self._apply_dates()

        self.detail = IncidentDetailPane(runner, self)
        self.view.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.detail.show_incident(
                self.view.model.row_id(current.row())
            )
        )
        self.view.activated.connect(self.detail.show_incident)
        self.view.model.modelReset.connect(self._follow_list)

        # The list and the pane side by side; the ListPage layout keeps its title bar.
        self.body.removeWidget(self.view)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([900, 560])
        self.splitter.setChildrenCollapsible(False)
        self.detail.setMinimumWidth(440)
        # The operator's split between list and pane is kept from one start to the next.
        saved = settings.value(_SPLITTER_KEY)
        if saved is not None:
            self.splitter.restoreState(saved)
        self.splitter.splitterMoved.connect(
            lambda *_: settings.setValue(_SPLITTER_KEY, self.splitter.saveState())
        )
        self.body.addWidget(self.splitter, 1)

    def _follow_list(self) -> None:
        """After a search, a filter or a sort the pane shows an incident the list shows: the
        same one where it is still listed, else the first (a search that finds one shows it)."""
        model = self.view.model
        if model.rowCount() == 0:
            return
        shown = self.detail.asked_id
        rows = range(model.rowCount())
        row = next((r for r in rows if model.row_id(r) == shown), 0)
        self.view.table.selectRow(row)

    def _apply_dates(self) -> None:
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(self.by_date.isChecked())
        condition, label = None, ""
        if self.by_date.isChecked():
            qfirst, qlast = self.date_from.date(), self.date_to.date()
            first = date(qfirst.year(), qfirst.month(), qfirst.day())
            last = date(qlast.year(), qlast.month(), qlast.day())
            condition = received_between(first, last)
            label = f"受理日期：{first.isoformat()} 至 {last.isoformat()}"
        self.view.set_extra_filter("received", condition, label)

    def register(self) -> None:
        dialog = RegisterDialog(self.runner, self)
        if dialog.exec() and isinstance(dialog.result_value, int):
            self.show_incident(dialog.result_value)

    def print_dispatch_order(self) -> None:
        """The chosen incident's dispatch order, as numbered when it was issued."""
        if self.detail.reading:  # the row was chosen a moment ago: print it once it is read
            self.detail.when_shown(self.print_dispatch_order, lambda _shown: True)
            return
        current = self.detail.current
        if current is None:
            QMessageBox.information(self, "打印指挥调度单", "请先在列表中选择一件事件。")
            return
        order = next((p for p in current.papers if p.kind == papers.DISPATCH_ORDER), None)
        if order is None:
            QMessageBox.information(
                self, "打印指挥调度单", f"事件 {current.number} 尚未派单，没有指挥调度单。"
            )
            return
        self.detail.print_paper(order)

    def show_incident(self, incident_id: int) -> None:
        self.detail.show_incident(incident_id)

    def open_record(self, record_id: int) -> None:
        """An incident, in the detail pane."""
        self.show_incident(record_id)

    def refresh(self) -> None:
        super().refresh()  # the list follows the pane (_follow_list)
        self.detail.reload()
