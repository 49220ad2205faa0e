"""The incidents an export writes: one row each with the names it shows, read in batches, and
the reporter's phone masked unless the actor may see personal data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from commandcenter import timeutil
from commandcenter.db.models import (
    CatalogueItem,
    Grid,
    Incident,
    IncidentStatus,
    ListType,
    Unit,
    User,
)
from commandcenter.errors import ValidationError
from commandcenter.services import masking
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, allowed, require


class IncidentRow(NamedTuple):
    incident: Incident
    grid: str | None
    item_code: str | None
    item_name: str | None
    list_type: ListType | None
    lead_unit: str | None
    registered_by: str
    reporter_phone: str  # masked unless the actor may see personal data


def incident_rows(
    session: Session,
    actor: Actor,
    *,
    status: IncidentStatus | None = None,
    first: date | None = None,
    last: date | None = None,
) -> Iterator[IncidentRow]:
    """Incidents received from *first* to *last* (inclusive), oldest first. The permission
    and the dates are checked now, before a file is begun; the rows are read as they are
    taken, 2,000 at a time."""
    require(actor, Action.VIEW)
    if first and last and last < first:
        raise ValidationError("结束日期不能早于开始日期。")
    lead = aliased(Unit)
    registrar = aliased(User)
    stmt = (
        select(
            Incident,
            Grid.name,
            CatalogueItem.code,
            CatalogueItem.name,
            CatalogueItem.list_type,
            lead.name,
            registrar.display_name,
        )
        .outerjoin(Grid, Incident.grid_id == Grid.id)
        .outerjoin(CatalogueItem, Incident.item_id == CatalogueItem.id)
        .outerjoin(lead, Incident.lead_unit_id == lead.id)
        .join(registrar, Incident.registered_by_id == registrar.id)
        .order_by(Incident.received_at, Incident.id)
    )
    if status is not None:
        stmt = stmt.where(Incident.status == status)
    if first is not None:
        stmt = stmt.where(Incident.received_at >= timeutil.start_of_local_day(first))
    if last is not None:
        stmt = stmt.where(Incident.received_at < timeutil.end_of_local_day(last))
    full = allowed(actor, Action.VIEW_PERSONAL_DATA)

    def rows() -> Iterator[IncidentRow]:
        for i, grid, code, name, list_type, lead_name, registered_by in session.execute(
            stmt.execution_options(yield_per=2000)
        ):
            phone = (i.reporter_phone or "") if full else masking.mask_phone(i.reporter_phone)
            yield IncidentRow(i, grid, code, name, list_type, lead_name, registered_by, phone)

    return rows()
