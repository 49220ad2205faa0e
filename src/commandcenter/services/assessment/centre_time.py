"""The centre's own part of an incident's time, shown beside the agencies' assessment.

The agencies are assessed from the dispatch on (their own clock); the time from receipt to
dispatch is the centre's, and a leader reading the agencies' sheets sees it here.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.services.actor import Actor
from commandcenter.services.assessment.sheets import period_for
from commandcenter.services.permissions import Action, require
from commandcenter.services.statistics import (
    CENTRE_DISPATCH_DAYS,
    CENTRE_DISPATCH_URGENT_HOURS,
    CentreFigures,
    centre_figures,
    percent,
)


def for_year(
    session: Session, actor: Actor, year: int, today: date | None = None
) -> CentreFigures | None:
    """The centre's figures for *year* (up to today while it runs); None before it starts."""
    require(actor, Action.VIEW)
    now = timeutil.now()
    day = today or timeutil.local_date(now)
    if day < date(year, 1, 1):
        return None
    return centre_figures(session, period_for(year, day), now)


def line(year: int, figures: CentreFigures | None) -> str:
    """One line for the assessment page."""
    if figures is None or not figures.dispatched:
        return f"指挥中心：{year}年度尚无派单。"
    hours = figures.mean_dispatch_hours or 0.0
    return (
        f"指挥中心（受理至派单，不计入派驻机构）：{year}年度派单 {figures.dispatched} 件，"
        f"受理至派单平均用时 {hours:.1f} 小时，中心按期派单率 "
        f"{percent(figures.on_time_rate)}（一般事件 {CENTRE_DISPATCH_DAYS} 个工作日、"
        f"紧急事件 {CENTRE_DISPATCH_URGENT_HOURS} 个工作小时内派单）。"
    )
