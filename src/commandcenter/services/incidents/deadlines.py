"""Deadlines (R7): the allowance from the item and the priority, counted on the working calendar.

The incident's clock starts when it is received. The unit it is dispatched to has a clock of
its own (``unit_deadline_at``): the same allowance and extensions counted from the dispatch, so
the centre's time before the dispatch is not charged to the unit. A normal incident gets the item's limit in
working days; an urgent one its limit in working hours where the item sets one, else half the
days (at least one). Yellow starts when the configured share of the allowance, in office time,
is used up; that moment is stored (``warning_at``) so the queue filters and colours in SQL.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    OPEN_INCIDENT_STATUSES,
    CatalogueItem,
    Extension,
    ExtensionState,
    Incident,
    IncidentEvent,
    IncidentEventKind,
    Labelled,
    Priority,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, settings
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require
from commandcenter.services.work_calendar import WORKING_DAY_SECONDS, Deadline, WorkCalendar

# For items without a limit of their own, and incidents referred upward once decided.
DEFAULT_LIMIT_DAYS = 5


class DeadlineState(Labelled):
    NONE = "none", "未定期限"
    ON_TIME = "on_time", "正常"
    WARNING = "warning", "临期"
    OVERDUE = "overdue", "超期"
    DONE = "done", "已结束"


def allowance(
    cal: WorkCalendar, start: datetime, item: CatalogueItem | None, priority: Priority
) -> Deadline:
    days = (item.time_limit_days if item else None) or DEFAULT_LIMIT_DAYS
    if priority is Priority.URGENT:
        if item is not None and item.time_limit_hours:
            return cal.add_working_hours(start, item.time_limit_hours)
        return cal.add_working_days(start, max(1, math.ceil(days / 2)))
    return cal.add_working_days(start, days)


def warning_moment(
    cal: WorkCalendar, start: datetime, deadline: datetime, percent: int
) -> datetime:
    total = cal.working_seconds(start, deadline)
    return cal.add_working_seconds(start, max(0.0, total) * percent / 100).at


def approved_extension_days(session: Session, incident_id: int) -> int:
    days = session.scalars(
        select(Extension.working_days).where(
            Extension.incident_id == incident_id, Extension.state == ExtensionState.APPROVED
        )
    )
    return sum(days)


def _counted(
    cal: WorkCalendar, start: datetime, incident: Incident, extra: int
) -> tuple[Deadline, bool]:
    """The allowance from *start* plus *extra* working days, and whether it is uncertain."""
    base = allowance(cal, start, incident.item, incident.priority)
    deadline = cal.add_working_days(base.at, extra) if extra else base
    return deadline, base.uncertain or deadline.uncertain


def set_deadline(session: Session, incident: Incident, cal: WorkCalendar) -> None:
    """The incident's deadline from its item, priority and approved extensions, and the unit's
    deadline from the same allowance counted from the dispatch."""
    extra = approved_extension_days(session, incident.id) if incident.id else 0
    deadline, uncertain = _counted(cal, incident.received_at, incident, extra)
    incident.deadline_at = deadline.at
    incident.deadline_uncertain = uncertain
    percent = settings.load(session).deadline_warning_percent
    incident.warning_at = warning_moment(cal, incident.received_at, deadline.at, percent)
    _set_unit_deadline(incident, cal, extra)


def set_unit_deadline(session: Session, incident: Incident, cal: WorkCalendar) -> None:
    """The unit's deadline alone (at a dispatch, when the incident's own does not move)."""
    extra = approved_extension_days(session, incident.id) if incident.id else 0
    _set_unit_deadline(incident, cal, extra)


def _set_unit_deadline(incident: Incident, cal: WorkCalendar, extra: int) -> None:
    if incident.dispatched_at is None or incident.deadline_at is None:
        incident.unit_deadline_at = None
        return
    incident.unit_deadline_at = _counted(cal, incident.dispatched_at, incident, extra)[0].at


def state_of(
    status: object, deadline_at: datetime | None, warning_at: datetime | None, now: datetime
) -> DeadlineState:
    if status not in OPEN_INCIDENT_STATUSES:
        return DeadlineState.DONE
    if deadline_at is None:
        return DeadlineState.NONE
    if deadline_at < now:
        return DeadlineState.OVERDUE
    if warning_at is not None and warning_at <= now:
        return DeadlineState.WARNING
    return DeadlineState.ON_TIME


@dataclass(frozen=True)
class TimeLeft:
    seconds: float  # office time; negative when overdue
    overdue: bool = False  # past the deadline, even by no office time (a weekend evening)

    @property
    def text(self) -> str:
        value = abs(self.seconds)
        if value < 360:  # under a tenth of an office hour
            return "已超期" if self.overdue else "即将到期"
        # A tenth counts while little is left; past ten days whole days are plenty.
        if value >= WORKING_DAY_SECONDS:
            days = value / WORKING_DAY_SECONDS
            figure = f"{days:.0f}" if days >= 10 else f"{days:.1f}".removesuffix(".0")
            amount = f"{figure} 个工作日"
        else:
            amount = f"{value / 3600:.1f}".removesuffix(".0") + " 工作小时"
        return f"超期 {amount}" if self.overdue else f"剩 {amount}"


def time_left(cal: WorkCalendar, now: datetime, deadline_at: datetime) -> TimeLeft:
    return TimeLeft(cal.working_seconds(now, deadline_at), overdue=now > deadline_at)


def set_warning_percent(session: Session, actor: Actor, percent: int) -> int:
    """Change the yellow share and move every open incident's warning moment with it."""
    require(actor, Action.EDIT_SETTINGS)
    if not 10 <= percent <= 95:
        raise ValidationError("临期提醒比例应在 10% 到 95% 之间。", "percent")
    settings.set_value(session, actor, settings.DEADLINE_WARNING_PERCENT, str(percent))
    cal = WorkCalendar.load(session)
    moved = 0
    rows = session.execute(
        select(Incident.id, Incident.received_at, Incident.deadline_at).where(
            Incident.status.in_(OPEN_INCIDENT_STATUSES), Incident.deadline_at.is_not(None)
        )
    ).all()
    for incident_id, received_at, deadline_at in rows:
        assert deadline_at is not None
        session.execute(
            update(Incident)
            .where(Incident.id == incident_id)
            .values(warning_at=warning_moment(cal, received_at, deadline_at, percent))
            .execution_options(synchronize_session=False)
        )
        moved += 1
    audit.record(
        session,
        actor,
        "deadline.warning_percent",
        f"临期提醒比例改为 {percent}%（{moved} 件在办事件）",
    )
    return moved


def follow_calendar(session: Session, actor: Actor, years: Iterable[int]) -> int:
    """Count open deadlines afresh after the working calendar of *years* changed.

    Deadlines that reach into or past the earliest changed year, and every uncertain (待核)
    one, are recomputed on the calendar as it now stands. Each that moves, or stops or starts
    being uncertain, gets a timeline note and an audit record; returns how many did.
    """
    changed = sorted(set(years))
    if not changed:
        return 0
    start = timeutil.start_of_local_day(date(changed[0], 1, 1))
    session.flush()
    cal = WorkCalendar.load(session)
    incidents = session.scalars(
        select(Incident)
        .where(
            Incident.status.in_(OPEN_INCIDENT_STATUSES),
            Incident.deadline_at.is_not(None),
            or_(
                Incident.deadline_at >= start,
                Incident.unit_deadline_at >= start,
                Incident.deadline_uncertain.is_(True),
            ),
        )
        .order_by(Incident.id)
    ).all()
    moved = 0
    for incident in incidents:
        before = (incident.deadline_at, incident.deadline_uncertain)
        unit_before = incident.unit_deadline_at
        set_deadline(session, incident, cal)
        after = (incident.deadline_at, incident.deadline_uncertain)
        if after == before and incident.unit_deadline_at == unit_before:
            continue
        moved += 1
        note = f"按新日历重算办理时限：{_shown(*before)} → {_shown(*after)}"
        changes = {"deadline": [_shown(*before), _shown(*after)]}
        if incident.unit_deadline_at != unit_before:
            unit_after = incident.unit_deadline_at
            note += f"；单位期限：{_shown(unit_before, False)} → {_shown(unit_after, False)}"
            changes["unit_deadline"] = [_shown(unit_before, False), _shown(unit_after, False)]
        session.add(
            IncidentEvent(
                incident_id=incident.id,
                at=timeutil.now(),
                user_id=actor.user_id,
                kind=IncidentEventKind.NOTE,
                note=note,
            )
        )
        audit.record(
            session,
            actor,
            "incident.deadline",
            f"事件 {incident.number} {note}",
            entity_type="incident",
            entity_id=incident.id,
            changes=changes,
        )
    return moved


def _shown(at: datetime | None, uncertain: bool) -> str:
    if at is None:
        return "未定期限"
    return timeutil.format_local(at) + ("（待核）" if uncertain else "")
