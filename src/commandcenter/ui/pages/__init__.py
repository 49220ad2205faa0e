"""The ten places of the main window, in sidebar order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from commandcenter.ui.operations import Operations
from commandcenter.ui.pages.assessment import AssessmentPage
from commandcenter.ui.pages.catalogue import CataloguePage
from commandcenter.ui.pages.dashboard import DashboardPage
from commandcenter.ui.pages.incidents import IncidentsPage
from commandcenter.ui.pages.liaisons import LiaisonsPage
from commandcenter.ui.pages.meetings import MeetingsPage
from commandcenter.ui.pages.operations import OperationsPage
from commandcenter.ui.pages.reports import ReportsPage
from commandcenter.ui.pages.roster import RosterPage
from commandcenter.ui.pages.settings_page import SettingsPage

PageFactory = Callable[[Operations, QSettings], QWidget]


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    icon: str
    factory: PageFactory
    areas: frozenset[str]  # the data it shows; a write to any of them refreshes it


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "dashboard",
        "工作台",
        "dashboard",
        DashboardPage,
        frozenset({"incidents", "people", "plans", "meetings"}),
    ),
    PageSpec("incidents", "事件队列", "incidents", IncidentsPage, frozenset({"incidents"})),
    PageSpec("operations", "联合行动", "operations", OperationsPage, frozenset({"plans"})),
    PageSpec(
        "meetings",
        "会商例会",
        "meetings",
        MeetingsPage,
        frozenset({"meetings", "incidents", "plans"}),
    ),
    PageSpec("roster", "人员名册", "roster", RosterPage, frozenset({"people"})),
    PageSpec("directory", "联络名录", "directory", LiaisonsPage, frozenset({"liaisons"})),
    PageSpec("catalogue", "事项清单", "catalogue", CataloguePage, frozenset({"catalogue"})),
    PageSpec(
        "assessment",
        "考核评价",
        "assessment",
        AssessmentPage,
        frozenset({"assessment", "incidents", "plans"}),
    ),
    PageSpec("reports", "统计报表", "reports", ReportsPage, frozenset({"incidents"})),
    PageSpec("settings", "系统设置", "settings", SettingsPage, frozenset({"settings", "users"})),
)
