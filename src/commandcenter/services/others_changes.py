"""What other workstations wrote since a view last looked, read from the audit log.

Every change is written with its audit record in the same transaction, so the log's newest id
says whether anything changed and its records say what: their entity types give the areas of
the views to refresh, and a few actions deserve a word to the operator (a call registered at
another desk, an order sent back, a department called in). One indexed read every few seconds,
the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter.db.changes import Area, Changes
from commandcenter.db.models import AuditRecord, User
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

_EVERYTHING: Changes = frozenset(Area)
# Records by the kind of record they are about; a kind not listed refreshes every view.
ENTITY_AREAS: dict[str, Changes] = {
    "incident": frozenset({Area.INCIDENTS}),
    "supervision": frozenset({Area.INCIDENTS}),
    "interview": frozenset({Area.INCIDENTS}),
    "transfer": frozenset({Area.INCIDENTS}),
    "plan": frozenset({Area.PLANS}),
    "draw": frozenset({Area.PLANS}),
    "entity": frozenset({Area.PLANS}),
    "inspection_publication": frozenset({Area.PLANS}),
    "annual_plan": frozenset({Area.PLANS}),
    "recusal": frozenset({Area.PLANS, Area.PEOPLE}),
    "person": frozenset({Area.PEOPLE}),
    "certificate": frozenset({Area.PEOPLE}),
    "training": frozenset({Area.PEOPLE}),
    "exam": frozenset({Area.PEOPLE}),
    "certificate_application": frozenset({Area.PEOPLE}),
    "unit": frozenset({Area.ORGANISATION}),
    "grid": frozenset({Area.ORGANISATION}),
    "patrol": frozenset({Area.ORGANISATION}),
    "establishment": frozenset({Area.ORGANISATION}),
    "liaison": frozenset({Area.LIAISONS}),
    "meeting": frozenset({Area.MEETINGS}),
    "agreed_item": frozenset({Area.MEETINGS}),
    "catalogue_version": frozenset({Area.CATALOGUE}),
    "assessment_scheme": frozenset({Area.ASSESSMENT}),
    "assessment_sheet": frozenset({Area.ASSESSMENT}),
    "personnel_motion": frozenset({Area.ASSESSMENT}),
    "user": frozenset({Area.USERS}),
    "reply_template": frozenset({Area.SETTINGS}),
    "work_order_layout": frozenset(),  # steers the next import, shown by no view
}
# Actions an operator is told about when someone else does them, and how.
NOTICES: dict[str, str] = {
    "incident.registered": "新登记",
    "incident.returned": "派单被退回",
    "incident.whistle": "已吹哨，待部门报到",
}
# More records than this since the last look: refresh everything rather than read them all.
READ_AT_MOST = 500


@dataclass(frozen=True)
class Notice:
    what: str  # 新登记 …
    summary: str  # the record's own summary: 事件 2026-000123 登记：…
    who: str  # the name of the person who did it


@dataclass(frozen=True)
class OthersChanges:
    last_id: int  # the newest record seen: ask again from here
    areas: Changes
    notices: list[Notice]


def latest_id(session: Session, actor: Actor) -> int:
    """Where a view starts watching from."""
    require(actor, Action.VIEW)
    return int(session.scalar(select(func.max(AuditRecord.id))) or 0)


def since(session: Session, actor: Actor, last_id: int) -> OthersChanges:
    """What others wrote after record *last_id*: the acting account's own records are skipped
    (its window refreshed as they committed; the same account at a second PC is the price)."""
    require(actor, Action.VIEW)
    rows = session.execute(
        select(
            AuditRecord.id,
            AuditRecord.user_id,
            AuditRecord.entity_type,
            AuditRecord.action,
            AuditRecord.summary,
            func.coalesce(User.display_name, AuditRecord.username).label("who"),
        )
        .outerjoin(User, AuditRecord.user_id == User.id)
        .where(AuditRecord.id > last_id)
        .order_by(AuditRecord.id)
        .limit(READ_AT_MOST + 1)
    ).all()
    if not rows:
        return OthersChanges(last_id, frozenset(), [])
    if len(rows) > READ_AT_MOST:
        return OthersChanges(latest_id(session, actor), _EVERYTHING, [])
    areas: set[Area] = set()
    notices = []
    for row in rows:
        if row.user_id == actor.user_id and actor.user_id is not None:
            continue  # this window's own writes refreshed its views as they committed
        areas |= ENTITY_AREAS.get(row.entity_type or "", _EVERYTHING)
        if row.action in NOTICES:
            notices.append(Notice(NOTICES[row.action], row.summary, row.who))
    return OthersChanges(rows[-1].id, frozenset(areas), notices)
