"""What waits on someone, for the 工作台: one list each, and their counts for its cards.

- 退回待裁定: a unit sent its dispatch back and the centre has not ruled.
- 签收超时: dispatched and not accepted within ``ACCEPT_WITHIN_HOURS`` working hours (the
  assessment's full marks for 平均签收用时).
- 移送回执未回: a transfer letter's receipt not recorded by its receipt deadline.
- 督办待回复: a supervision paper without the unit's written reply (those past the reply-by
  date are marked).
- 约谈待跟进: a 约谈 whose check day has come, or whose time passed with nothing recorded.
- 上报待决定: referred upward, no decision recorded.
- 法制审核待补正: a failed legal review whose unit has not reported again.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, select
from sqlalchemy.orm import Session

from commandcenter.db.models import Incident, IncidentStatus
from commandcenter.services.actor import Actor
from commandcenter.services.followups.listings import (
    INTERVIEW_WAITING,
    RECEIPT_LATE,
    SUPERVISION_WAITING,
)
from commandcenter.services.incidents.listings import AWAITING_CORRECTION, _incident_list
from commandcenter.services.listing import ListContext, Listing
from commandcenter.services.permissions import Action, require
from commandcenter.services.work_calendar import WorkCalendar

ACCEPT_WITHIN_HOURS = 4


def accept_overdue_before(session: Session, now: datetime, cal: WorkCalendar) -> datetime | None:
    """The latest dispatch time whose incident, still not accepted, is past the working hours
    allowed (None when none is). Adding working hours never moves an end earlier for a later
    start, so the late ones are the earliest dispatched: a binary search over the dispatch
    times asks the calendar a dozen times instead of once per waiting incident."""
    times = [
        at
        for at in session.scalars(
            select(Incident.dispatched_at)
            .where(Incident.status == IncidentStatus.DISPATCHED)
            .order_by(Incident.dispatched_at)
        )
        if at is not None
    ]
    late = bisect_left(
        times, True, key=lambda at: not cal.add_working_hours(at, ACCEPT_WITHIN_HOURS).at < now
    )
    return times[late - 1] if late else None


def _accept_overdue(ctx: ListContext) -> ColumnElement[bool]:
    assert ctx.session is not None
    before = accept_overdue_before(ctx.session, ctx.now, ctx.calendar)
    if before is None:
        return false()
    return and_(
        Incident.status == IncidentStatus.DISPATCHED,
        Incident.dispatched_at.is_not(None),
        Incident.dispatched_at <= before,
    )


RETURNED_WAITING = _incident_list(
    "returned_waiting", "退回待裁定", lambda ctx: Incident.status == IncidentStatus.RETURNED
)
ACCEPT_OVERDUE = _incident_list("accept_overdue", "签收超时", _accept_overdue)
REFERRED_WAITING = _incident_list(
    "referred_waiting",
    "上报待决定",
    lambda ctx: Incident.status == IncidentStatus.REFERRED,
    sort=1,
)
# 法制审核待补正: a failed legal review, the unit not yet reported again (legal_review).
REVIEW_CORRECTION = AWAITING_CORRECTION

# In the 工作台's order: which opens an incident, a supervision paper, a 约谈.
WAITING_LISTS: tuple[Listing, ...] = (
    RETURNED_WAITING,
    ACCEPT_OVERDUE,
    RECEIPT_LATE,
    SUPERVISION_WAITING,
    INTERVIEW_WAITING,
    REFERRED_WAITING,
    REVIEW_CORRECTION,
)


def counts(session: Session, actor: Actor, now: datetime | None = None) -> dict[str, int]:
    """Rows in each waiting list, by its key: the 工作台's cards."""
    require(actor, Action.VIEW)
    return {listing.key: listing.count(session, actor, now=now) for listing in WAITING_LISTS}
