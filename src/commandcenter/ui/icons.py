"""One place that maps what the application calls an icon to a qtawesome glyph.

Icons are made on first use, after the QApplication exists, and cached.
"""

from __future__ import annotations

from functools import cache

import qtawesome as qta
from PySide6.QtGui import QIcon

from commandcenter.ui import palette

ICONS: dict[str, str] = {
    "dashboard": "mdi6.view-dashboard-outline",
    "incidents": "mdi6.alarm-light-outline",
    "followups": "mdi6.clipboard-clock-outline",
    "operations": "mdi6.account-group-outline",
    "roster": "mdi6.card-account-details-outline",
    "directory": "mdi6.card-account-phone-outline",
    "catalogue": "mdi6.format-list-checks",
    "assessment": "mdi6.clipboard-check-outline",
    "reports": "mdi6.chart-bar",
    "settings": "mdi6.cog-outline",
    "refresh": "mdi6.refresh",
    "search": "mdi6.magnify",
    "print": "mdi6.printer-outline",
    "pdf": "mdi6.file-pdf-box",
    "save": "mdi6.content-save-outline",
    "user": "mdi6.account-circle-outline",
    "database": "mdi6.database-outline",
    "overdue": "mdi6.clock-alert-outline",
    "zoom-in": "mdi6.magnify-plus-outline",
    "zoom-out": "mdi6.magnify-minus-outline",
    "add": "mdi6.plus-circle-outline",
    "edit": "mdi6.pencil-outline",
    "delete": "mdi6.delete-outline",
    "certificate": "mdi6.card-account-details-star-outline",
    "import": "mdi6.file-import-outline",
    "export": "mdi6.file-export-outline",
    "template": "mdi6.file-table-outline",
    "copy": "mdi6.content-copy",
    "history": "mdi6.history",
    "calculate": "mdi6.calculator-variant-outline",
    "lock": "mdi6.lock-outline",
    "unlock": "mdi6.lock-open-variant-outline",
    "key": "mdi6.key-variant",
    "toggle": "mdi6.account-cancel-outline",
    "switch-user": "mdi6.account-switch-outline",
    "review": "mdi6.check-decagram-outline",
    "details": "mdi6.text-box-search-outline",
    "meetings": "mdi6.forum-outline",
    "back": "mdi6.chevron-left",
    "forward": "mdi6.chevron-right",
}


@cache
def icon(name: str) -> QIcon:
    return qta.icon(ICONS[name], color=palette.ICON)


@cache
def nav_icon(name: str) -> QIcon:
    return qta.icon(ICONS[name], color=palette.NAV_TEXT, color_active=palette.NAV_SELECTED_TEXT)
