"""不得重复检查: how often one entity may be inspected in a year, and how often it has been.

The random draw leaves out entities at the cap; choosing a target by hand refuses them unless a
leader approves with a reason. Both count the same way, here: the entity's targets on the other
plans planned in the same calendar year that were not cancelled (drafts included, since a drawn
draft is an inspection already promised).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter.db.models import Plan, PlanStatus, PlanTarget
from commandcenter.services import settings

YEARLY_CAP = "inspection_cap_per_year"
DEFAULT_YEARLY_CAP = 2


def yearly_cap(session: Session) -> int:
    return int(settings.get(session, YEARLY_CAP) or DEFAULT_YEARLY_CAP)


def inspections_in_year(
    session: Session,
    day: date,
    *,
    excluding_plan: int,
    entity_ids: Collection[int] | None = None,
) -> dict[int, int]:
    """Entity -> its targets on plans of *day*'s year other than *excluding_plan*, not cancelled.

    Entities never inspected are absent. *entity_ids* narrows the count to those entities.
    """
    stmt = (
        select(PlanTarget.entity_id, func.count(PlanTarget.id))
        .join(Plan, PlanTarget.plan_id == Plan.id)
        .where(
            Plan.id != excluding_plan,
            Plan.planned_on.between(date(day.year, 1, 1), date(day.year, 12, 31)),
            Plan.status != PlanStatus.CANCELLED,
        )
        .group_by(PlanTarget.entity_id)
    )
    if entity_ids is not None:
        stmt = stmt.where(PlanTarget.entity_id.in_(list(entity_ids)))
    return {entity_id: int(n) for entity_id, n in session.execute(stmt).all()}
