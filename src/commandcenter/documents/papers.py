"""Numbered papers found by their number and rendered: an incident's (and, by the plan's
number, a joint operation's), one way for the panes and the command line alike. A reprint
reads the stored number, never a new one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from commandcenter.errors import NotFound
from commandcenter.services.actor import Actor
from commandcenter.services.followups import paper_reads
from commandcenter.services.incidents import paper_records, replies

DISPATCH_ORDER, TRANSFER_LETTER, SUPERVISION = "dispatch-order", "transfer-letter", "supervision"
REPLY_SLIP = "reply-slip"  # 办结回复单: by its incident's number or the work order's
INTERVIEW_NOTICE = "interview-notice"


def render_paper(session: Session, actor: Actor, kind: str, record_id: int, path: Path) -> Path:
    """*record_id* is the incident for a dispatch order, else the transfer, supervision or
    约谈."""
    # Imported here: reportlab and the layouts load with the first paper, not with the panes
    # that offer papers (the queue's first visit).
    from commandcenter.documents import (
        dispatch_order,
        incident_letters,
        interview_notice,
        reply_slip,
    )

    if kind == DISPATCH_ORDER:
        return dispatch_order.render(dispatch_order.load(session, actor, record_id), path)
    if kind == REPLY_SLIP:
        return reply_slip.print_reply(session, actor, record_id, path)
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
    elif kind == REPLY_SLIP:
        found = replies.incident_numbered(session, number)
    elif kind == INTERVIEW_NOTICE:
        found = paper_reads.interview_numbered(session, number)
    else:
        found = paper_records.supervision_numbered(session, number)
    if found is None:
        raise NotFound(f"没有找到编号为“{number}”的文书或事件。")
    return found


def _by_number(kind: str) -> Callable[[Session, Actor, str, Path], Path]:
    def render(session: Session, actor: Actor, number: str, path: Path) -> Path:
        record_id = find(session, kind, number)
        if kind == DISPATCH_ORDER:  # an earlier order of the incident prints as itself, 作废
            from commandcenter.documents import dispatch_order

            order = dispatch_order.load(session, actor, record_id, number)
            return dispatch_order.render(order, path)
        return render_paper(session, actor, kind, record_id, path)

    return render


def _plan_paper(name: str) -> Callable[[Session, Actor, str, Path], Path]:
    def render(session: Session, actor: Actor, number: str, path: Path) -> Path:
        from commandcenter.documents import plan_papers  # with the first paper, as above

        printer: Callable[[Session, Actor, str, Path], Path] = getattr(plan_papers, name)
        return printer(session, actor, number, path)

    return render


BY_NUMBER: dict[str, Callable[[Session, Actor, str, Path], Path]] = {
    kind: _by_number(kind)
    for kind in (DISPATCH_ORDER, TRANSFER_LETTER, SUPERVISION, REPLY_SLIP, INTERVIEW_NOTICE)
} | {
    "plan": _plan_paper("print_plan"),
    "draw-record": _plan_paper("print_draw"),
    "checklist": _plan_paper("print_checklist"),
}
