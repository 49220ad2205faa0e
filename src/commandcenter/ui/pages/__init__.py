"""The ten places of the main window, in sidebar order."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import QSettings

from commandcenter.ui.operations import Operations
from commandcenter.ui.pages.base import Page


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    icon: str
    # "module:Class" under commandcenter.ui.pages, imported when the page is first shown, so
    # that start-up loads only the page it opens on.
    factory: str
    areas: frozenset[str]  # the data it shows; a write to any of them refreshes it

    def build(self, ops: Operations, settings: QSettings) -> Page:
        module, name = self.factory.split(":")
        page_class = getattr(importlib.import_module(f"commandcenter.ui.pages.{module}"), name)
        page = page_class(ops, settings)
        if not isinstance(page, Page):
            raise TypeError(f"{self.factory} is not a Page")
        page.place(self.key, self.title)
        return page


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "dashboard",
        "工作台",
        "dashboard",
        "dashboard:DashboardPage",
        frozenset({"incidents", "people", "plans", "meetings"}),
    ),
    PageSpec(
        "incidents",
        "事件队列",
        "incidents",
        "incidents:IncidentsPage",
        frozenset({"incidents", "organisation"}),
    ),
    PageSpec(
        "operations", "联合行动", "operations", "operations:OperationsPage", frozenset({"plans"})
    ),
    PageSpec(
        "meetings",
        "会商例会",
        "meetings",
        "meetings:MeetingsPage",
        frozenset({"meetings", "incidents", "plans"}),
    ),
    PageSpec(
        "roster", "人员名册", "roster", "roster:RosterPage", frozenset({"people", "organisation"})
    ),
    PageSpec(
        "directory",
        "联络名录",
        "directory",
        "liaisons:LiaisonsPage",
        frozenset({"liaisons", "organisation"}),
    ),
    PageSpec(
        "catalogue", "事项清单", "catalogue", "catalogue:CataloguePage", frozenset({"catalogue"})
    ),
    PageSpec(
        "assessment",
        "考核评价",
        "assessment",
        "assessment:AssessmentPage",
        frozenset({"assessment", "incidents", "plans", "organisation"}),
    ),
    PageSpec(
        "reports",
        "统计报表",
        "reports",
        "reports:ReportsPage",
        frozenset({"incidents", "organisation"}),
    ),
    PageSpec(
        "settings",
        "系统设置",
        "settings",
        "settings_page:SettingsPage",
        frozenset({"settings", "users"}),
    ),
)
