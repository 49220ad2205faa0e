"""事件队列: every incident, overdue ones marked, with the dispatch order one click away."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget
from sqlalchemy.orm import Session

from commandcenter.documents import dispatch_order
from commandcenter.services import listings
from commandcenter.services.actor import Actor
from commandcenter.ui.icons import icon
from commandcenter.ui.operations import Operations
from commandcenter.ui.pages.list_page import ListPage
from commandcenter.ui.printing import generate_and_preview


class IncidentsPage(ListPage):
    def __init__(self, ops: Operations, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(
            ops, settings, listings.INCIDENTS, "事件队列", parent, hint="红色底纹：已超过办理期限"
        )
        self.print_action = QAction(icon("print"), "打印指挥调度单", self)
        self.print_action.setShortcut("Ctrl+P")
        self.print_action.triggered.connect(self.print_dispatch_order)
        self.add_action(self.print_action)
        self.view.activated.connect(lambda _id: self.print_dispatch_order())

    def print_dispatch_order(self) -> None:
        incident_id = self.view.selected_id()
        if incident_id is None:
            QMessageBox.information(self, "打印指挥调度单", "请先在列表中选择一件事件。")
            return

        def render(session: Session, actor: Actor, path: Path) -> Path:
            return dispatch_order.render(dispatch_order.load(session, actor, incident_id), path)

        generate_and_preview(self, self.ops, "dispatch-order", "指挥调度单", render)
