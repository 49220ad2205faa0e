"""Likely duplicates (same grid or address, similar words, recent) and 并单 (merging).

A merged incident keeps its own record and timeline, points at the one it was merged into, and
is left out of the counts, so one problem reported three times counts once.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from commandcenter.db.models import Grid, Incident, IncidentEventKind, IncidentStatus
from commandcenter.errors import ValidationError
from commandcenter.services import records, settings
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import workflow
from commandcenter.services.incidents.workflow import Step
from commandcenter.services.permissions import Action, require

WINDOW = timedelta(days=7)
_FINISHED = (IncidentStatus.MERGED, IncidentStatus.TRANSFERRED)


@dataclass(frozen=True)
class Candidate:
    id: int
    number: str
    title: str
    received_at: datetime
    status: str
    place: str
    similarity: float  # 0..1, of the words
    why: str  # in words, for the operator


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


# Fewer characters than this ("19号", "梅山") name too many doors to call two places the same.
MIN_PLACE = 4


def place_core(address: str | None, street_name: str) -> str:
    """An address as it is compared: full-width letters and digits folded, spaces gone, and
    whatever precedes the street's own name dropped with it ("宁波市北仑区梅山街道峙南路19号"
    and "峙南路 19号" are the same door)."""
    text = "".join(unicodedata.normalize("NFKC", address or "").split())
    if street_name and street_name in text:
        text = text.split(street_name, 1)[1]
    return text


def _same_place(core: str, stored: str | None, street_name: str) -> bool:
    other = place_core(stored, street_name)
    return len(core) >= MIN_PLACE and len(other) >= MIN_PLACE and (core in other or other in core)


def likely_duplicates(
    session: Session,
    actor: Actor,
    *,
    title: str,
    description: str = "",
    address: str = "",
    grid_id: int | None = None,
    received_at: datetime,
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[Candidate]:
    """Incidents of the last week at the same grid or address whose words are alike."""
    require(actor, Action.VIEW)
    street_name = settings.load(session).street_name
    core = place_core(address, street_name)
    place = []
    if grid_id is not None:
        place.append(Incident.grid_id == grid_id)
    if len(core) >= MIN_PLACE:  # the typed place anywhere in a stored address
        place.append(Incident.address.contains(core, autoescape=True))
    if not place:
        return []
    stmt = (
        select(Incident, Grid.name)
        .outerjoin(Grid, Incident.grid_id == Grid.id)
        .where(
            or_(*place),
            Incident.received_at >= received_at - WINDOW,
            Incident.received_at <= received_at + timedelta(days=1),
            Incident.status.not_in(_FINISHED),
        )
        .order_by(Incident.received_at.desc())
        .limit(300)
    )
    if exclude_id is not None:
        stmt = stmt.where(Incident.id != exclude_id)
    words = f"{title} {description}".strip()
    found = []
    for incident, grid_name in session.execute(stmt):
        same_address = _same_place(core, incident.address, street_name)
        score = max(
            _similarity(title, incident.title),
            _similarity(words, f"{incident.title} {incident.description}"),
        )
        if score < (0.35 if same_address else 0.55):
            continue
        why = "同一地址" if same_address else "同一网格"
        found.append(
            Candidate(
                incident.id,
                incident.number,
                incident.title,
                incident.received_at,
                incident.status.label,
                incident.address or grid_name or "",
                round(score, 2),
                f"{why}，内容相似度 {score:.0%}",
            )
        )
    found.sort(key=lambda c: (-c.similarity, -c.received_at.timestamp()))
    return found[:limit]


def merge_into_number(
    session: Session,
    actor: Actor,
    duplicate_id: int,
    number: str,
    note: str = "",
    expected_version: int | None = None,
) -> Incident:
    """并单 by the number the operator reads off the other incident."""
    primary = session.scalar(select(Incident.id).where(Incident.number == number.strip()))
    if primary is None:
        raise ValidationError(f"没有编号为“{number.strip()}”的事件，请核对。", "primary")
    return merge(session, actor, duplicate_id, primary, note, expected_version)


def merge(
    session: Session,
    actor: Actor,
    duplicate_id: int,
    primary_id: int,
    note: str = "",
    expected_version: int | None = None,
) -> Incident:
    """并单: *duplicate* is handled as part of *primary*; both keep their records, linked."""
    if duplicate_id == primary_id:
        raise ValidationError("不能与自身并单。")
    duplicate = workflow.begin(session, actor, duplicate_id, Step.MERGE, expected_version)
    primary = records.get(session, Incident, primary_id, "并入的事件")
    if primary.status in (IncidentStatus.MERGED, IncidentStatus.TRANSFERRED):
        raise ValidationError(
            f"事件 {primary.number} 已{primary.status.label}，请并入仍在办理的事件。"
        )
    if primary.status is IncidentStatus.CLOSED:
        raise ValidationError(
            f"事件 {primary.number} 已办结。同一问题再次反映，请按新事件研判，或重新办理原事件。"
        )
    duplicate.merged_into_id = primary.id
    text = (note or "").strip()
    workflow.record(
        session,
        actor,
        duplicate,
        IncidentEventKind.MERGED,
        f"并入事件 {primary.number}" + (f"：{text}" if text else ""),
        to_status=IncidentStatus.MERGED,
    )
    workflow.record(
        session,
        actor,
        primary,
        IncidentEventKind.MERGED,
        f"事件 {duplicate.number}（{duplicate.channel.label}）并入本事件，合并办理",
    )
    return duplicate
