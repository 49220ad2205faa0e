"""The records behind an incident's papers (指挥调度单, 案件移送函, 督办函): found by number and
read for printing, with the printing permission checked here rather than by the paper."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from commandcenter.db.models import (
    DocType,
    DocumentNumber,
    Incident,
    IncidentAssignment,
    IncidentEvent,
    IncidentEventKind,
    IncidentStatus,
    IncidentUnit,
    Route,
    Supervision,
    Transfer,
)
from commandcenter.errors import NotFound, ValidationError
from commandcenter.services import docnumbers, records
from commandcenter.services.actor import Actor
from commandcenter.services.incidents.detail import incident_id_for
from commandcenter.services.permissions import Action, require


def incident_for_dispatch_order(session: Session, actor: Actor, incident_id: int) -> Incident:
    """The incident with its units and team, which the order lists."""
    require(actor, Action.PRINT_DOCUMENT)
    incident = session.scalar(
        select(Incident)
        .where(Incident.id == incident_id)
        .options(
            selectinload(Incident.units).selectinload(IncidentUnit.unit),
            selectinload(Incident.assignments).selectinload(IncidentAssignment.person),
        )
    )
    if incident is None:
        raise NotFound("该事件不存在或已被删除。")
    if incident.status in _NO_ORDER and incident.dispatched_at is None:
        # Never sent to a unit of the street: an order would name the department it went to as
        # 主办单位 "待指派". Its paper is the letter that sent it, or the one it was merged into.
        raise ValidationError(
            f"事件 {incident.number} {incident.status.label}，未经派单，没有指挥调度单。"
            + ("请打印案件移送函。" if incident.status is IncidentStatus.TRANSFERRED else "")
        )
    if (
        incident.status is IncidentStatus.TRIAGED
        and incident.route not in _DISPATCHED_ROUTES
        and _never_numbered(session, incident)
    ):
        # Triaged for a transfer or a joint decision: no order will ever be sent, so a
        # specimen would show a department as 主办单位 "待指派".
        route = incident.route.label if incident.route else "未定"
        raise ValidationError(
            f"事件 {incident.number} 的处置路径为“{route}”，不派单，没有指挥调度单。"
            + ("请移送后打印案件移送函。" if incident.route is Route.TRANSFER else "")
        )
    return incident


# Incidents that leave the street's hands without a dispatch.
_NO_ORDER = (IncidentStatus.TRANSFERRED, IncidentStatus.MERGED, IncidentStatus.REFERRED)
# The routes a dispatch order is sent on (the others transfer or refer upward).
_DISPATCHED_ROUTES = (Route.SQUAD, Route.WHISTLE)


def _never_numbered(session: Session, incident: Incident) -> bool:
    return docnumbers.latest(session, DocType.DISPATCH, "incident", incident.id) is None


def dispatch_numbers(session: Session, incident_id: int) -> list[str]:
    """Every dispatch order number the incident was given, oldest first."""
    return list(
        session.scalars(
            select(DocumentNumber.number)
            .where(
                DocumentNumber.doc_type == DocType.DISPATCH.value,
                DocumentNumber.entity_type == "incident",
                DocumentNumber.entity_id == incident_id,
            )
            .order_by(DocumentNumber.id)
        )
    )


def dispatch_order_void(session: Session, incident: Incident, number: str | None) -> str:
    """Why the dispatch order numbered *number* no longer stands, or "" while it does.

    An order stands until a later order replaces it (a re-dispatch after a return), its
    dispatch is taken back (a return ruled for new triage clears the dispatch) or the incident
    leaves the street (transferred after dispatch). A paper printed then says 作废 and why."""
    if number is None:
        return ""
    newest = docnumbers.latest(session, DocType.DISPATCH, "incident", incident.id)
    if newest is not None and newest != number:
        return f"已由{newest}替代"
    if incident.status is IncidentStatus.TRANSFERRED:
        return "事件已移送部门处理"
    if incident.dispatched_at is None:
        return "派单已退回，事件重新研判"
    return ""


def dispatch_approval_note(session: Session, incident: Incident) -> str:
    """The leader's opinion on a major incident's dispatch as approved ("同意派单：…")."""
    if incident.dispatch_approved_at is None:
        return ""
    note = session.scalar(
        select(IncidentEvent.note)
        .where(
            IncidentEvent.incident_id == incident.id,
            IncidentEvent.kind == IncidentEventKind.APPROVED,
            IncidentEvent.at == incident.dispatch_approved_at,
        )
        .order_by(IncidentEvent.id.desc())
        .limit(1)
    )
    return note or "同意派单"


def transfer_for_letter(
    session: Session, actor: Actor, transfer_id: int
) -> tuple[Transfer, Incident]:
    require(actor, Action.PRINT_DOCUMENT)
    transfer = records.get(session, Transfer, transfer_id, "该移送记录")
    return transfer, records.get(session, Incident, transfer.incident_id, "该事件")


def supervision_for_letter(
    session: Session, actor: Actor, supervision_id: int
) -> tuple[Supervision, Incident | None]:
    """The paper and its incident; a paper about a unit's general conduct has none."""
    require(actor, Action.PRINT_DOCUMENT)
    supervision = records.get(session, Supervision, supervision_id, "该督办文书")
    if supervision.incident_id is None:
        return supervision, None
    return supervision, records.get(session, Incident, supervision.incident_id, "该事件")


def dispatch_order_incident(session: Session, number: str) -> int | None:
    """The incident whose dispatch order carries *number*, or the incident numbered so."""
    number = number.strip()
    return session.scalar(
        select(DocumentNumber.entity_id).where(
            DocumentNumber.number == number,
            DocumentNumber.doc_type == DocType.DISPATCH.value,
        )
    ) or incident_id_for(session, number)


def transfer_numbered(session: Session, number: str) -> int | None:
    """The transfer whose letter carries *number*, or the latest of the incident numbered so."""
    number = number.strip()
    return session.scalar(
        select(Transfer.id)
        .outerjoin(Incident, Transfer.incident_id == Incident.id)
        .where((Transfer.doc_number == number) | (Incident.number == number))
        .order_by(Transfer.id.desc())
        .limit(1)
    )


def supervision_numbered(session: Session, number: str) -> int | None:
    """The supervision paper numbered *number*, or the latest of the incident numbered so."""
    number = number.strip()
    return session.scalar(
        select(Supervision.id)
        .outerjoin(Incident, Supervision.incident_id == Incident.id)
        .where((Supervision.doc_number == number) | (Incident.number == number))
        .order_by(Supervision.id.desc())
        .limit(1)
    )


def sample_dispatch_incident(session: Session) -> int | None:
    """An incident to print a sample order for: the newest dispatched, else one in progress,
    else the newest of all."""
    return (
        session.scalar(
            select(DocumentNumber.entity_id)
            .where(DocumentNumber.doc_type == DocType.DISPATCH.value)
            .order_by(DocumentNumber.id.desc())
            .limit(1)
        )
        or session.scalar(
            select(Incident.id)
            .where(Incident.status == IncidentStatus.IN_PROGRESS)
            .order_by(Incident.id.desc())
            .limit(1)
        )
        or session.scalar(select(Incident.id).order_by(Incident.id.desc()).limit(1))
    )


def newest_transfer(session: Session) -> int | None:
    return session.scalar(select(Transfer.id).order_by(Transfer.id.desc()).limit(1))


def newest_supervision(session: Session) -> int | None:
    """The newest supervision paper about an incident (the letter prints its facts)."""
    return session.scalar(
        select(Supervision.id)
        .where(Supervision.incident_id.is_not(None))
        .order_by(Supervision.id.desc())
        .limit(1)
    )
