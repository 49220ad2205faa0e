"""What the centre already knows while a call is being registered: the same caller's or the
same door's earlier incidents, and the grid that place was filed under before.

Unlike the duplicate check (the last week, similar words), this looks back months and at any
subject: a caller who rang three times about different things, a door the squad knows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import Grid, Incident, IncidentStatus
from commandcenter.errors import ValidationError
from commandcenter.services import settings, validators
from commandcenter.services.actor import Actor
from commandcenter.services.incidents.duplicates import MIN_PLACE, place_core
from commandcenter.services.masking import mask_phone
from commandcenter.services.permissions import Action, require

LOOK_BACK = timedelta(days=365)


@dataclass(frozen=True)
class EarlierCall:
    id: int
    number: str
    title: str
    received_at: datetime
    status: str
    why: str  # 同一号码（138****1234）, 同一地址


def _phone(typed: str) -> str | None:
    try:
        return validators.clean_office_phone(typed) if typed.strip() else None
    except ValidationError:
        return None  # still being typed


def earlier_calls(
    session: Session,
    actor: Actor,
    *,
    phone: str = "",
    address: str = "",
    before: datetime | None = None,
    limit: int = 5,
) -> list[EarlierCall]:
    """Incidents of the last year from the same phone number or at the same address, newest
    first. The number is shown masked, as in every list."""
    require(actor, Action.VIEW)
    moment = before or timeutil.now()
    number = _phone(phone)
    core = place_core(address, settings.load(session).street_name)
    conditions = []
    if number is not None:
        conditions.append(Incident.reporter_phone == number)
    if len(core) >= MIN_PLACE:
        conditions.append(Incident.address.contains(core, autoescape=True))
    if not conditions:
        return []
    rows = session.scalars(
        select(Incident)
        .where(
            or_(*conditions),
            Incident.received_at >= moment - LOOK_BACK,
            Incident.received_at <= moment,
            Incident.status != IncidentStatus.MERGED,
        )
        .order_by(Incident.received_at.desc())
        .limit(limit)
    )
    found = []
    for incident in rows:
        same_phone = number is not None and incident.reporter_phone == number
        why = f"同一号码（{mask_phone(number)}）" if same_phone else "同一地址"
        found.append(
            EarlierCall(
                incident.id,
                incident.number,
                incident.title,
                incident.received_at,
                incident.status.label,
                why,
            )
        )
    return found


@dataclass(frozen=True)
class GridSuggestion:
    grid_id: int
    name: str
    times: int  # earlier incidents at the address filed under it


def suggested_grid(session: Session, actor: Actor, address: str) -> GridSuggestion | None:
    """The grid the address's earlier incidents were filed under most often, if any."""
    require(actor, Action.VIEW)
    core = place_core(address, settings.load(session).street_name)
    if len(core) < MIN_PLACE:
        return None
    grids = Counter(
        grid_id
        for grid_id in session.scalars(
            select(Incident.grid_id)
            .join(Grid, Incident.grid_id == Grid.id)
            .where(
                Incident.address.contains(core, autoescape=True),
                Grid.active.is_(True),
                Incident.received_at >= timeutil.now() - 2 * LOOK_BACK,
            )
            .limit(500)
        )
        if grid_id is not None
    )
    if not grids:
        return None
    (grid_id, times), *_ = grids.most_common(1)
    name = session.scalar(select(Grid.name).where(Grid.id == grid_id)) or ""
    return GridSuggestion(grid_id, name, times)
