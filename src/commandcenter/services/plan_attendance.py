"""Who was invited to a joint operation and whether they came (联合执法参与率).

A plan invites the units it lists as departments (plan_departments, units of kind DEPARTMENT or
AGENCY). An agency stationed at the street is also invited when the plan lists its district
department, whose people at the street are the agency's. Attendance is what was recorded for
the listed unit when the plan was finished (参加 / 未参加 with a note); an agency listed itself
answers for itself, otherwise the department's row answers for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, aliased

from commandcenter.db.models import Plan, Unit, UnitKind, plan_departments


@dataclass(frozen=True)
class Invitation:
    plan: Plan
    attended: bool | None  # None: not recorded
    note: str
    via: str  # the department listed on the plan, when the unit was invited through it


def invitations(
    session: Session, which: ColumnElement[bool], unit_ids: Sequence[int]
) -> dict[int, list[Invitation]]:
    """Unit -> the plans matching *which* that invited it, by day; every unit has an entry."""
    parent = aliased(Unit)
    departments: dict[int, int] = {
        unit_id: parent_id
        for unit_id, parent_id in session.execute(
            select(Unit.id, parent.id)
            .join(parent, Unit.parent_id == parent.id)
            .where(
                Unit.id.in_(list(unit_ids)),
                Unit.kind == UnitKind.AGENCY,
                parent.kind == UnitKind.DEPARTMENT,
            )
        )
    }
    listed_for: dict[int, list[int]] = {}  # listed unit -> the assessed units it answers for
    for unit_id in unit_ids:
        listed_for.setdefault(unit_id, []).append(unit_id)
        if unit_id in departments:
            listed_for.setdefault(departments[unit_id], []).append(unit_id)
    rows = session.execute(
        select(
            plan_departments.c.unit_id,
            plan_departments.c.attended,
            plan_departments.c.attendance_note,
            Unit.name,
            Plan,
        )
        .join(Plan, plan_departments.c.plan_id == Plan.id)
        .join(Unit, plan_departments.c.unit_id == Unit.id)
        .where(which, plan_departments.c.unit_id.in_(list(listed_for)))
        .order_by(Plan.planned_on, Plan.id)
    ).all()
    found: dict[int, dict[int, Invitation]] = {unit_id: {} for unit_id in unit_ids}
    for listed, attended, note, name, plan in rows:
        for unit_id in listed_for[listed]:
            own = listed == unit_id
            by_plan = found[unit_id]
            if own or plan.id not in by_plan:  # the unit's own row answers before its department's
                by_plan[plan.id] = Invitation(plan, attended, note or "", "" if own else name)
    return {unit_id: list(by_plan.values()) for unit_id, by_plan in found.items()}
