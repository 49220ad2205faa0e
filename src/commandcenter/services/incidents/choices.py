"""The pick lists the incident dialogs offer, as (caption, id) pairs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter.db.models import (
    Entity,
    Grid,
    IncidentUnit,
    Liaison,
    Person,
    Role,
    Unit,
    UnitKind,
    UnitRole,
    User,
)
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

Choices = list[tuple[str, int]]

WORKING_UNITS = (UnitKind.SQUAD, UnitKind.AGENCY, UnitKind.DEPARTMENT, UnitKind.COMMUNITY)
DEPARTMENTS = (UnitKind.DEPARTMENT, UnitKind.AGENCY)


def grids(session: Session, actor: Actor) -> Choices:
    require(actor, Action.VIEW)
    rows = session.execute(
        select(Grid.id, Grid.code, Grid.name).where(Grid.active.is_(True)).order_by(Grid.code)
    )
    return [(f"{name}（{code}）", gid) for gid, code, name in rows]


def entities(session: Session, actor: Actor) -> Choices:
    require(actor, Action.VIEW)
    rows = session.execute(
        select(Entity.id, Entity.name, Entity.address)
        .where(Entity.active.is_(True))
        .order_by(Entity.name)
    )
    return [(f"{name}　{address or ''}".strip(), eid) for eid, name, address in rows]


def units(session: Session, actor: Actor, kinds: tuple[UnitKind, ...] = WORKING_UNITS) -> Choices:
    require(actor, Action.VIEW)
    rows = session.execute(
        select(Unit.id, Unit.name)
        .where(Unit.active.is_(True), Unit.kind.in_(kinds))
        .order_by(Unit.sort_order, Unit.id)
    )
    return [(name, uid) for uid, name in rows]


def leaders(session: Session, actor: Actor) -> Choices:
    require(actor, Action.VIEW)
    rows = session.execute(
        select(User.id, User.display_name)
        .where(User.role == Role.LEADER, User.active.is_(True))
        .order_by(User.id)
    )
    return [(name, uid) for uid, name in rows]


def liaisons_by_unit(session: Session, actor: Actor) -> dict[int, Choices]:
    """Liaisons to call for each department or agency; an agency also gets its department's."""
    require(actor, Action.VIEW)
    rows = session.execute(
        select(Liaison.id, Liaison.department_id, Liaison.name, Liaison.role, Liaison.mobile)
        .join(Unit, Liaison.department_id == Unit.id)
        .order_by(Unit.sort_order, Liaison.role, Liaison.id)
    ).all()
    own: dict[int, Choices] = {}
    for lid, dept, name, role, mobile in rows:
        own.setdefault(dept, []).append((f"{name}（{role.label}）{mobile or ''}", lid))
    result: dict[int, Choices] = {}
    for uid, parent in session.execute(
        select(Unit.id, Unit.parent_id).where(Unit.kind.in_(DEPARTMENTS))
    ):
        result[uid] = own.get(uid, []) + (own.get(parent, []) if parent else [])
    return result


def incident_units(session: Session, actor: Actor, incident_id: int) -> Choices:
    """The lead and co-operating units of an incident, the lead first."""
    require(actor, Action.VIEW)
    rows = sorted(
        session.execute(
            select(Unit.id, Unit.name, IncidentUnit.role)
            .join(IncidentUnit, IncidentUnit.unit_id == Unit.id)
            .where(IncidentUnit.incident_id == incident_id)
        ),
        key=lambda r: r[2] is not UnitRole.LEAD,
    )
    return [(f"{name}（{role.label}）", uid) for uid, name, role in rows]


def people(session: Session, actor: Actor) -> Choices:
    """Everyone who may be sent to inspect: staff of squads, agencies and departments."""
    require(actor, Action.VIEW)
    rows = session.execute(
        select(Person.id, Person.name, Unit.short_name)
        .join(Unit, Person.unit_id == Unit.id)
        .where(Unit.kind.in_((UnitKind.SQUAD, *DEPARTMENTS)))
        .order_by(Unit.sort_order, Person.name)
    )
    return [(f"{name}（{unit}）", pid) for pid, name, unit in rows]
