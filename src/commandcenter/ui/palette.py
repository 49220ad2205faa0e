"""The application's colours, named by what they mean, in one place.

Every widget, table, HTML fragment and chart takes its colours from here, and so does the style
sheet: ``resources/style.qss`` names them as ``$placeholders`` (the constant's name in lower case)
that :func:`style_sheet` fills when the application loads it. A test keeps colour literals out of
every other UI module, so a colour of meaning is changed here once and everywhere.

Values are ``#RRGGBB`` strings: Qt's ``QColor`` takes them, and so do style sheets and the rich
text of labels and text browsers.
"""

from __future__ import annotations

import re
from string import Template
from typing import Final

# --- states of a record: a row's or badge's background, and text standing on it -------------------

OVERDUE_BACKGROUND: Final = "#FDE8E8"  # past its deadline, an expired certificate, a late item
WARNING_BACKGROUND: Final = "#FFF4D6"  # its deadline is near: the warning share is used up
OK_BACKGROUND: Final = "#E6F4EA"  # on time
OVERDUE_TEXT: Final = "#B3261E"  # on the overdue background; also what is wrong in a form
WARNING_TEXT: Final = "#8A5A00"
OK_TEXT: Final = "#1E6B34"
ERROR_TEXT: Final = OVERDUE_TEXT  # a refused save, a field at fault, a rejected import
ALERT_RED: Final = "#C8161D"  # a figure that needs attention: the overdue count, an alert card
FAIL_TEXT: Final = "#800000"  # a failing grade, a score still to give (Qt's dark red)
AUXILIARY_BACKGROUND: Final = "#EEF3F8"  # auxiliary staff in the roster: listed, not officers
REVOKED_BACKGROUND: Final = "#EEEEEE"  # a revoked certificate: kept on record, out of use
INACTIVE_TEXT: Final = "#8A8A8A"  # done, withdrawn, retired: kept in the list, greyed
UNAVAILABLE_TEXT: Final = "#8A8F98"  # an officer who cannot be sent (no valid certificate …)
PLAN_DAY_BACKGROUND: Final = "#FFFF00"  # a day with a joint operation in the month calendar

# --- the red/green ranking of units in a briefing -------------------------------------------------

RANKED_RED_BACKGROUND: Final = "#FDE3E3"
RANKED_GREEN_BACKGROUND: Final = "#E4F3E8"

# --- quiet text -----------------------------------------------------------------------------------

PAPER: Final = "#FFFFFF"  # a page printed in grey is laid on white, as paper is
MUTED_TEXT: Final = "#555555"  # captions beside values, an intro above a form
NOTE_TEXT: Final = "#666666"  # a hint beside a page title, a section's note
FAINT_TEXT: Final = "#777777"  # "nothing here" and who recorded a report

# --- tables in rich text (briefings, minutes) -----------------------------------------------------

TABLE_HEADER_BACKGROUND: Final = "#EEF1F5"
TABLE_BORDER: Final = "#C8CDD4"
FIGURE_BACKGROUND: Final = "#F5F7FA"  # a figure's cell in a briefing, like a dashboard card

# --- the frame of the window: navigation, titles, cards, banners, icons ---------------------------

HEADER_BLUE: Final = "#1F2F46"  # the navigation bar and page titles
NAV_TEXT: Final = "#E8EDF5"  # text and icons on the navigation bar
NAV_SELECTED: Final = "#2F6FBF"
NAV_SELECTED_TEXT: Final = "#FFFFFF"
CARD_BACKGROUND: Final = FIGURE_BACKGROUND
CARD_BORDER: Final = "#D9DEE7"
CARD_VALUE: Final = "#1F4E8C"
CARD_CAPTION: Final = "#4A5568"
BANNER_BACKGROUND: Final = "#FFF4E5"  # the read-only banner
BANNER_TEXT: Final = "#8A4B00"
BANNER_BORDER: Final = "#F0C080"
ALARM_BANNER_BACKGROUND: Final = "#C8161D"  # a database that failed its check: restore it
ALARM_BANNER_TEXT: Final = "#FFFFFF"
ICON: Final = "#2F4A6D"  # toolbar and menu icons
LOCK_BACKGROUND: Final = "#1F2A3A"  # the cover over a locked window
LOCK_TEXT: Final = NAV_TEXT

# --- charts ---------------------------------------------------------------------------------------

CHART_BLUE: Final = "#2F5D8A"  # received incidents
CHART_RED: Final = ALERT_RED  # the on-time rate
CHART_BARS: Final = "#9DB4CC"  # received per period, behind the rate's line
# Slices of a whole (channels), in order; the first two are the blue and red above.
CHART_SERIES: Final = (
    CHART_BLUE,
    CHART_RED,
    "#E0A526",
    "#3C8D5A",
    "#7A5AA6",
    "#4FA3B8",
    "#A0522D",
    "#888888",
)

_COLOUR = re.compile(r"#[0-9A-F]{6}")


def colours() -> dict[str, str]:
    """Every named colour, by its style sheet placeholder (the name in lower case)."""
    return {
        name.lower(): value
        for name, value in globals().items()
        if name.isupper() and isinstance(value, str) and _COLOUR.fullmatch(value)
    }


def alarm_banner_style() -> str:
    """The banner of a database that failed its check (the style sheet's banner, in red)."""
    return (
        f"background: {ALARM_BANNER_BACKGROUND}; color: {ALARM_BANNER_TEXT}; padding: 6px;"
        f" border: 1px solid {ALARM_BANNER_BACKGROUND}; font-weight: bold;"
    )


def style_sheet(template: str) -> str:
    """The style sheet *template* with its ``$name`` placeholders filled; an unknown name
    raises ``KeyError`` rather than leaving Qt a rule it would drop without a word."""
    return Template(template).substitute(colours())
