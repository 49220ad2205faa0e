"""联络名录: the main and backup liaison of every district department, printable."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from commandcenter.documents import liaison_directory
from commandcenter.services import listings
from commandcenter.services.actor import Actor
from commandcenter.ui.icons import icon
from commandcenter.ui.operations import Operations
from commandcenter.ui.pages.list_page import ListPage
from commandcenter.ui.printing import generate_and_preview


class LiaisonsPage(ListPage):
    def __init__(self, ops: Operations, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(ops, settings, listings.LIAISONS, "联络名录", parent)
        action = QAction(icon("print"), "打印通讯名录", self)
        action.setShortcut("Ctrl+P")
        action.triggered.connect(self.print_directory)
        self.add_action(action)

    def print_directory(self) -> None:
        def render(session: Session, actor: Actor, path: Path) -> Path:
            return liaison_directory.render(liaison_directory.load(session, actor), path)

        generate_and_preview(self, self.ops, "liaison-directory", "通讯名录", render)
