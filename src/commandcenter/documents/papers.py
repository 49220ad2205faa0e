"""Numbered papers found by their number and rendered: an incident's (and, by the plan's
number, a joint operation's), one way for the panes and the command line alike. A reprint
reads the stored number, never a new one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter.db.models import DocType, DocumentNumber, Incident, Supervision, Transfer
from commandcenter.documents import dispatch_order, incident_letters, plan_papers
from commandcenter.errors import NotFound
from commandcenter.services.actor import Actor
from commandcenter.services.incidents.detail import incident_id_for

DISPATCH_ORDER, TRANSFER_LETTER, SUPERVISION = "dispatch-order", "transfer-letter", "supervision"


def render_paper(session: Session, actor: Actor, kind: str, record_id: int, path: Path) -> Path:
    """*record_id* is the incident for a dispatch order, else the transfer or supervision."""
    if kind == DISPATCH_ORDER:
        return dispatch_order.render(dispatch_order.load(session, actor, record_id), path)
    if kind == TRANSFER_LETTER:
        letter = incident_letters.load_transfer(session, actor, record_id)
    else:
        letter = incident_letters.load_supervision(session, actor, record_id)
    return incident_letters.render(letter, path)


def find(session: Session, kind: str, number: str) -> int:
    """The record behind a document number, or behind an incident number (its latest paper)."""
    number = number.strip()
    found: int | None
    if kind == DISPATCH_ORDER:
        found = session.scalar(
            select(DocumentNumber.entity_id).where(
                DocumentNumber.number == number,
                DocumentNumber.doc_type == DocType.DISPATCH.value,
            )
        ) or incident_id_for(session, number)
    elif kind == TRANSFER_LETTER:
        found = session.scalar(
            select(Transfer.id)
            .outerjoin(Incident, Transfer.incident_id == Incident.id)
            .where((Transfer.doc_number == number) | (Incident.number == number))
            .order_by(Transfer.id.desc())
            .limit(1)
        )
    else:
        found = session.scalar(
            select(Supervision.id)
            .outerjoin(Incident, Supervision.incident_id == Incident.id)
            .where((Supervision.doc_number == number) | (Incident.number == number))
            .order_by(Supervision.id.desc())
            .limit(1)
        )
    if found is None:
        raise NotFound(f"没有找到编号为“{number}”的文书或事件。")
    return found


def _by_number(kind: str) -> Callable[[Session, Actor, str, Path], Path]:
    return lambda session, actor, number, path: render_paper(
        session, actor, kind, find(session, kind, number), path
    )


BY_NUMBER: dict[str, Callable[[Session, Actor, str, Path], Path]] = {
    kind: _by_number(kind) for kind in (DISPATCH_ORDER, TRANSFER_LETTER, SUPERVISION)
} | {
    "plan": plan_papers.print_plan,
    "draw-record": plan_papers.print_draw,
    "checklist": plan_papers.print_checklist,
}
