"""事项清单: the items of each catalogue version, what changed between two, and new versions."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from commandcenter.services.catalogue_listings import CATALOGUE
from commandcenter.ui.dialogs.catalogue_versions import DiffDialog, ask_version
from commandcenter.ui.exchange_actions import ExchangeActions
from commandcenter.ui.icons import icon
from commandcenter.ui.pages.list_page import ListPage
from commandcenter.ui.runner import Runner


class CataloguePage(ListPage):
    def __init__(self, runner: Runner, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(
            runner,
            settings,
            CATALOGUE,
            "事项清单",
            parent,
            hint="事件按研判时的版本办理",
        )
        compare = QAction(icon("history"), "比较版本", self)
        compare.triggered.connect(lambda: DiffDialog(self.runner, self).exec())
        self.add_action(compare)
        self.exchange = ExchangeActions(runner, "catalogue", self, ask=lambda: ask_version(self))
        self.exchange.install(self)
