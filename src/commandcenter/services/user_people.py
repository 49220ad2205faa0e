"""Which roster person a user account belongs to.

The command room's people are assessed on what their accounts did (incidents registered and
dispatched), and 办、审、定三分离 (R6) knows who was sent on site only through this link: a
leader approves, reviews and closes, so a leader's account must name its person. The admin ties
each account to its person here, and every change is audited. Leader accounts made before the
rule (or by another workstation's older version) are listed by `check` and on the users page.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter.db.models import Person, PersonStatus, Role, Unit, UnitKind, User
from commandcenter.errors import NotFound, ValidationError
from commandcenter.services import audit, records
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

# Roles that approve, review or close: the separation rule needs their person.
PERSON_REQUIRED = frozenset({Role.LEADER})
LEADER_NEEDS_PERSON = (
    "领导账号须关联人员名册中的本人：审批、法制审核和办结时按“办、审、定三分离”核对其是否"
    "参与现场办理。请选择对应人员。"
)


def leaders_without_person(session: Session) -> list[tuple[int, str, str]]:
    """Active accounts of a role that must name its person but do not: (id, username, name)."""
    return [
        (uid, username, name)
        for uid, username, name in session.execute(
            select(User.id, User.username, User.display_name)
            .where(
                User.role.in_(PERSON_REQUIRED),
                User.person_id.is_(None),
                User.active.is_(True),
            )
            .order_by(User.username)
        )
    ]


def unlinked_leaders(session: Session, actor: Actor) -> list[str]:
    """:func:`leaders_without_person` in words, for the users page."""
    require(actor, Action.MANAGE_USERS)
    return [f"{name}（{username}）" for _, username, name in leaders_without_person(session)]


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


def link_person(session: Session, actor: Actor, user_id: int, person_id: int | None) -> bool:
    """Tie the account *user_id* to *person_id* (None: to no one). A person has one account.
    Whether anything changed."""
    require(actor, Action.MANAGE_USERS)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("该用户不存在。")
    if person_id == user.person_id:
        return False
    if person_id is None and user.role in PERSON_REQUIRED:
        raise ValidationError(LEADER_NEEDS_PERSON, "person_id")
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
    return True


def links_for_export(session: Session, actor: Actor) -> list[tuple[str, str, str]]:
    """Every account as (username, person, the person's unit), for the 账号关联 workbook."""
    require(actor, Action.MANAGE_USERS)
    rows = session.execute(
        select(User.username, Person.name, Unit.name)
        .outerjoin(Person, User.person_id == Person.id)
        .outerjoin(Unit, Person.unit_id == Unit.id)
        .order_by(User.username)
    )
    return [(username, name or "", unit or "") for username, name, unit in rows]


def people_named(session: Session, name: str, unit: str | None) -> list[int]:
    """The roster people still in post called *name* (in the unit named *unit*, by its full or
    short name, when given): what an imported row can mean."""
    query = (
        select(Person.id)
        .join(Unit, Person.unit_id == Unit.id)
        .where(
            Person.name == name,
            Person.status != PersonStatus.TRANSFERRED,
            Person.status != PersonStatus.RETIRED,
        )
    )
    if unit:
        query = query.where((Unit.name == unit) | (Unit.short_name == unit))
    return list(session.scalars(query.order_by(Person.id)))


def user_named(session: Session, username: str) -> int | None:
    return session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))
