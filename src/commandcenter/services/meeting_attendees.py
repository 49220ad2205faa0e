"""Who attended a meeting: chosen from the roster and the liaison directory, kept with the
meeting as the names its minutes print (参会人员), beside any typed by hand.

A choice's value is the person's id, or a liaison's id negated, so one list offers both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter.db.models import Liaison, Person, PersonStatus, Staffing, Unit
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

SEPARATOR = "、"


def choices(session: Session, actor: Actor) -> list[tuple[str, int]]:
    """Everyone still serving, then the departments' liaisons, each shown with the unit (and
    the name's initials, so typing "zs" finds 张三)."""
    require(actor, Action.VIEW)
    people = session.execute(
        select(Person.id, Person.name, Person.name_initials, Unit.short_name, Person.staffing)
        .join(Unit, Person.unit_id == Unit.id)
        .where(Person.status.not_in([PersonStatus.RETIRED, PersonStatus.TRANSFERRED]))
        .order_by(Unit.sort_order, Person.name)
    ).all()
    liaisons = session.execute(
        select(Liaison.id, Liaison.name, Unit.short_name, Liaison.position)
        .join(Unit, Liaison.department_id == Unit.id)
        .order_by(Unit.sort_order, Liaison.name)
    ).all()
    found = [
        (
            f"{name}（{unit}）{'【协勤】' if staffing is Staffing.AUXILIARY else ''} {initials}",
            person_id,
        )
        for person_id, name, initials, unit, staffing in people
    ]
    found += [
        (f"{name}（{unit}{position or ''}，联络人）", -liaison_id)
        for liaison_id, name, unit, position in liaisons
    ]
    return found


def names_of(session: Session, chosen: Sequence[int]) -> list[str]:
    """The chosen as the minutes name them, 王强（执法中队）, in the order chosen."""
    people = {i for i in chosen if i > 0}
    liaisons = {-i for i in chosen if i < 0}
    named: dict[int, str] = {}
    if people:
        for pid, name, unit in session.execute(
            select(Person.id, Person.name, Unit.short_name)
            .join(Unit, Person.unit_id == Unit.id)
            .where(Person.id.in_(people))
        ):
            named[pid] = f"{name}（{unit}）"
    if liaisons:
        for lid, name, unit in session.execute(
            select(Liaison.id, Liaison.name, Unit.short_name)
            .join(Unit, Liaison.department_id == Unit.id)
            .where(Liaison.id.in_(liaisons))
        ):
            named[-lid] = f"{name}（{unit}）"
    return [named[i] for i in dict.fromkeys(chosen) if i in named]


def split(text: str | None) -> list[str]:
    """The names in a stored or typed list (、，, ; or line breaks between them)."""
    parts = re.split(r"[、，,;；\r\n]+", text or "")
    return list(dict.fromkeys(part.strip() for part in parts if part.strip()))


def merged(typed: str | None, chosen: Iterable[str]) -> str:
    """Typed names and chosen ones as one list, each once."""
    return SEPARATOR.join(dict.fromkeys([*split(typed), *chosen]))
