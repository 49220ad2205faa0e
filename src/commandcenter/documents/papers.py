"""Numbered papers found by their number and rendered: an incident's (and, by the plan's
number, a joint operation's), one way for the panes and the command line alike. A reprint
reads the stored number, never a new one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from commandcenter.documents import dispatch_order, incident_letters, interview_notice, plan_papers
from commandcenter.errors import NotFound
from commandcenter.services.actor import Actor
from commandcenter.services.followups import paper_reads
from commandcenter.services.incidents import paper_records

DISPATCH_ORDER, TRANSFER_LETTER, SUPERVISION = "dispatch-order", "transfer-letter", "supervision"
INTERVIEW_NOTICE = "interview-notice"


def render_paper(session: Session, actor: Actor, kind: str, record_id: int, path: Path) -> Path:
    """*record_id* is the incident for a dispatch order, else the transfer, supervision or
    约谈."""
    if kind == DISPATCH_ORDER:
        return dispatch_order.render(dispatch_order.load(session, actor, record_id), path)
    if kind == INTERVIEW_NOTICE:
        return interview_notice.render(interview_notice.load(session, actor, record_id), path)
    if kind == TRANSFER_LETTER:
        letter = incident_letters.load_transfer(session, actor, record_id)
    else:
        letter = incident_letters.load_supervision(session, actor, record_id)
    return incident_letters.render(letter, path)


def find(session: Session, kind: str, number: str) -> int:
    """The record behind a document number, or behind an incident number (its latest paper)."""
    number = number.strip()
    if kind == DISPATCH_ORDER:
        found = paper_records.dispatch_order_incident(session, number)
    elif kind == TRANSFER_LETTER:
        found = paper_records.transfer_numbered(session, number)
    elif kind == INTERVIEW_NOTICE:
        found = paper_reads.interview_numbered(session, number)
    else:
        found = paper_records.supervision_numbered(session, number)
    if found is None:
        raise NotFound(f"没有找到编号为“{number}”的文书或事件。")
    return found


def _by_number(kind: str) -> Callable[[Session, Actor, str, Path], Path]:
    return lambda session, actor, number, path: render_paper(
        session, actor, kind, find(session, kind, number), path
    )


BY_NUMBER: dict[str, Callable[[Session, Actor, str, Path], Path]] = {
    kind: _by_number(kind)
    for kind in (DISPATCH_ORDER, TRANSFER_LETTER, SUPERVISION, INTERVIEW_NOTICE)
} | {
    "plan": plan_papers.print_plan,
    "draw-record": plan_papers.print_draw,
    "checklist": plan_papers.print_checklist,
}
