"""法制审核待补正: the major cases whose legal review must be done again.

Legal review records no outcome yet, so a case waits for correction when it had a review and
was then sent back to be handled again (重新办理 clears the review): it cannot close until it
is reviewed anew. Kept apart so that a review with a 通过 / 不通过 outcome can replace this
condition with its own (不通过, corrections not yet reviewed).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, select

from commandcenter.db.models import (
    OPEN_INCIDENT_STATUSES,
    Incident,
    IncidentEvent,
    IncidentEventKind,
)
from commandcenter.services.listing import ListContext


def review_correction(ctx: ListContext) -> ColumnElement[bool]:
    reviewed_before = (
        select(IncidentEvent.id)
        .where(
            IncidentEvent.incident_id == Incident.id,
            IncidentEvent.kind == IncidentEventKind.LEGAL_REVIEW,
        )
        .exists()
    )
    return and_(
        Incident.status.in_(tuple(OPEN_INCIDENT_STATUSES)),
        Incident.is_major.is_(True),
        Incident.legal_reviewed_at.is_(None),
        reviewed_before,
    )
