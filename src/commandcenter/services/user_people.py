"""Which roster person a user account belongs to.

The command room's people are assessed on what their accounts did (incidents registered and
dispatched); the admin ties each account to its person here, and every change is audited.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter.db.models import Person, PersonStatus, Unit, UnitKind, User
from commandcenter.errors import NotFound, ValidationError
from commandcenter.services import audit, records
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require


def person_choices(session: Session, actor: Actor) -> list[tuple[str, int]]:
    """The people an account may belong to, as (caption, id): the command centre's first,
    then everyone else on duty, by unit."""
    require(actor, Action.MANAGE_USERS)
    rows = session.execute(
        select(Person.id, Person.name, Person.position, Unit.short_name, Unit.kind)
        .join(Unit, Person.unit_id == Unit.id)
        .where(Person.status != PersonStatus.TRANSFERRED, Person.status != PersonStatus.RETIRED)
        .order_by(
            (Unit.kind != UnitKind.COMMAND_CENTRE), Unit.sort_order, Unit.id, Person.name_initials
        )
    )
    return [
        (f"{name}（{unit}{'·' + position if position else ''}）", person_id)
        for person_id, name, position, unit, _kind in rows
    ]


def link_person(session: Session, actor: Actor, user_id: int, person_id: int | None) -> None:
    """Tie the account *user_id* to *person_id* (None: to no one). A person has one account."""
    require(actor, Action.MANAGE_USERS)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("该用户不存在。")
    if person_id == user.person_id:
        return
    before = session.get(Person, user.person_id) if user.person_id else None
    person = records.get(session, Person, person_id, "该人员") if person_id else None
    if person is not None:
        other = session.scalar(
            select(User.username).where(User.person_id == person.id, User.id != user.id)
        )
        if other:
            raise ValidationError(
                f"“{person.name}”已关联账号 {other}，一人只关联一个账号；请先解除该账号的关联。",
                "person_id",
            )
    user.person_id = person_id
    audit.record(
        session,
        actor,
        "user.person",
        f"用户 {user.username}（{user.display_name}）"
        + (f"关联人员 {person.name}" if person else "解除与人员的关联"),
        entity_type="user",
        entity_id=user.id,
        changes={"person": [before.name if before else None, person.name if person else None]},
    )
