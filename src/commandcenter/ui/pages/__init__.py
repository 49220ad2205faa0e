"""The places of the main window, in sidebar order; the first ten numbered (Ctrl+1 to Ctrl+0)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSettings

from commandcenter.db.changes import Area, Changes
from commandcenter.ui.pages.base import Page
from commandcenter.ui.runner import Runner


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    icon: str
    # "module:Class" under commandcenter.ui.pages, imported when the page is first shown, so
    # that start-up loads only the page it opens on.
    factory: str
    areas: Changes  # the data it shows; a write to any of them refreshes it
    # Whether it takes the next Ctrl+number (there are ten); a later place is reached by the
    # sidebar, so adding one never moves the others' keys.
    numbered: bool = True

    def page_class(self) -> Callable[[Runner, QSettings], Page]:
        """The page's class, its module imported (at start-up, behind the sign-in form, for
        the page the window opens on)."""
        module, name = self.factory.split(":")
        found = getattr(importlib.import_module(f"commandcenter.ui.pages.{module}"), name)
        if not (isinstance(found, type) and issubclass(found, Page)):
            raise TypeError(f"{self.factory} is not a Page")
        return found

    def build(self, runner: Runner, settings: QSettings) -> Page:
        page = self.page_class()(runner, settings)
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
        frozenset({Area.INCIDENTS, Area.PEOPLE, Area.PLANS, Area.MEETINGS}),
    ),
    PageSpec(
        "incidents",
        "事件队列",
        "incidents",
        "incidents:IncidentsPage",
        frozenset({Area.INCIDENTS, Area.ORGANISATION}),
    ),
    PageSpec(
        "followups",
        "督办跟踪",
        "followups",
        "followups:FollowUpsPage",
        frozenset({Area.INCIDENTS, Area.ORGANISATION}),
        numbered=False,
    ),
    PageSpec(
        "operations",
        "联合行动",
        "operations",
        "joint_operations:JointOperationsPage",
        frozenset({Area.PLANS}),
    ),
    PageSpec(
        "meetings",
        "会商例会",
        "meetings",
        "meetings:MeetingsPage",
        frozenset({Area.MEETINGS, Area.INCIDENTS, Area.PLANS}),
    ),
    PageSpec(
        "roster",
        "人员名册",
        "roster",
        "roster:RosterPage",
        frozenset({Area.PEOPLE, Area.ORGANISATION}),
    ),
    PageSpec(
        "directory",
        "联络名录",
        "directory",
        "liaisons:LiaisonsPage",
        frozenset({Area.LIAISONS, Area.ORGANISATION}),
    ),
    PageSpec(
        "catalogue", "事项清单", "catalogue", "catalogue:CataloguePage", frozenset({Area.CATALOGUE})
    ),
    PageSpec(
        "assessment",
        "考核评价",
        "assessment",
        "assessment:AssessmentPage",
        frozenset({Area.ASSESSMENT, Area.INCIDENTS, Area.PLANS, Area.ORGANISATION}),
    ),
    PageSpec(
        "reports",
        "统计报表",
        "reports",
        "reports:ReportsPage",
        frozenset({Area.INCIDENTS, Area.ORGANISATION}),
    ),
    PageSpec(
        "settings",
        "系统设置",
        "settings",
        "settings_page:SettingsPage",
        frozenset({Area.SETTINGS, Area.USERS}),
    ),
)


def preload_pages() -> None:
    """Import every page's module, on a thread beside the operator's first minute (imports
    only: no widget is made there), so that a page's first visit does not wait for them."""
    for spec in PAGES:
        try:
            spec.page_class()
        except Exception:  # the visit itself will import it again and report what fails
            logging.getLogger(__name__).warning("preloading %s failed", spec.key, exc_info=True)
