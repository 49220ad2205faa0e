"""One incident as the detail pane shows it: facts, team, calls, papers and the full timeline."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from commandcenter import timeutil
from commandcenter.db.models import (
    AssignmentRole,
    Attachment,
    DocType,
    Entity,
    Incident,
    IncidentAssignment,
    IncidentEvent,
    IncidentReturn,
    IncidentUnit,
    PartState,
    Person,
    Supervision,
    Transfer,
    UnitRole,
    WhistleCall,
)
from commandcenter.errors import NotFound
from commandcenter.services import docnumbers, masking, records
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import deadlines, followup, legal_review, workflow
from commandcenter.services.incidents import parts as parts_service
from commandcenter.services.incidents.workflow import Step
from commandcenter.services.permissions import Action, allowed, require
from commandcenter.services.work_calendar import WorkCalendar


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    user: str
    note: str
    status: str  # the status it moved to, when it moved


@dataclass(frozen=True)
class PersonOnSite:
    person_id: int
    name: str
    unit: str
    certificate: str
    auxiliary: bool

    @property
    def text(self) -> str:
        if self.auxiliary:
            return f"{self.name}（{self.unit}，【协勤】不计入执法人员）"
        return f"{self.name}（{self.unit}，执法证号 {self.certificate}）"


@dataclass(frozen=True)
class WhistleRow:
    id: int
    department: str
    reason: str
    approved_by: str
    liaison: str
    called_at: datetime
    acknowledged_at: datetime | None
    arrived_at: datetime | None
    arrived_names: str

    @property
    def response_minutes(self) -> int | None:
        if self.arrived_at is None:
            return None
        return round((self.arrived_at - self.called_at).total_seconds() / 60)


@dataclass(frozen=True)
class Paper:
    kind: str  # dispatch-order, transfer-letter, supervision
    title: str
    number: str
    record_id: int


@dataclass(frozen=True)
class IncidentDetail:
    id: int
    version: int
    number: str
    status: str
    status_code: str
    title: str
    description: str
    channel: str
    channel_ref: str
    received_at: datetime
    address: str
    grid: str
    entity: str
    reporter: str
    priority: str
    is_major: bool
    item: str
    item_field: str
    list_type: str
    route: str
    route_override_reason: str
    lead_unit: str
    co_units: list[str]
    team: list[PersonOnSite]
    requirements: str
    first_responsible: str
    deadline_at: datetime | None
    deadline_uncertain: bool
    deadline_state: deadlines.DeadlineState
    time_left: str
    legal_reviewed: str
    legal_review: str  # the latest review's outcome, opinion and points to correct
    correction_requested: str  # 待补正 since, while the unit has not reported again
    parts: list[parts_service.PartRow]
    satisfaction: int | None
    merged_into: str
    whistles: list[WhistleRow]
    papers: list[Paper]
    attachments: list[tuple[int, str, int]]  # id, file name, size
    pending_extension: str
    pending_return: str
    timeline: list[TimelineEntry]
    steps: list[Step]


def load(
    session: Session, actor: Actor, incident_id: int, now: datetime | None = None
) -> IncidentDetail:
    require(actor, Action.VIEW)
    moment = now or timeutil.now()
    incident = _read(session, incident_id)
    item = incident.item
    state = deadlines.state_of(incident.status, incident.deadline_at, incident.warning_at, moment)
    left = _time_left(session, incident, state, moment)
    whistles = _whistles(session, incident.id)
    papers = _papers(session, incident)
    extension = followup.pending_extension(session, incident.id)
    pending_return = _pending_return(session, incident.id)
    merged_into = _merged_into(session, incident)
    co_parts = parts_service.parts_of(session, incident, moment)
    return IncidentDetail(
        id=incident.id,
        version=incident.version,
        number=incident.number,
        status=incident.status.label,
        status_code=incident.status.value,
        title=incident.title,
        description=incident.description,
        channel=incident.channel.label,
        channel_ref=incident.channel_ref or "",
        received_at=incident.received_at,
        address=incident.address or "",
        grid=incident.grid.name if incident.grid else "",
        entity=_entity_name(session, incident.entity_id),
        reporter=_reporter(actor, incident),
        priority=incident.priority.label,
        is_major=incident.is_major,
        item=f"{item.code} {item.name}" if item else "",
        item_field=item.field if item else "",
        list_type=item.list_type.label if item else "",
        route=incident.route.label if incident.route else "",
        route_override_reason=incident.route_override_reason or "",
        lead_unit=_lead_unit(incident),
        co_units=[u.unit.name for u in incident.units if u.role is UnitRole.CO],
        team=_team(incident),
        requirements=incident.requirements or "",
        first_responsible=incident.registered_by.display_name,
        deadline_at=incident.deadline_at,
        deadline_uncertain=incident.deadline_uncertain,
        deadline_state=state,
        time_left=left,
        legal_reviewed=_legal_reviewed(incident),
        legal_review=_latest_review(session, incident),
        correction_requested=(
            timeutil.format_local(incident.correction_requested_at)
            if incident.correction_requested_at
            else ""
        ),
        parts=co_parts,
        satisfaction=incident.satisfaction,
        merged_into=merged_into,
        whistles=whistles,
        papers=papers,
        attachments=_attachments(session, incident.id),
        pending_extension=(
            f"申请延期 {extension.working_days} 个工作日：{extension.reason}" if extension else ""
        ),
        pending_return=pending_return,
        timeline=_timeline(incident),
        steps=_offered(
            workflow.available_steps(actor, incident.status),
            incident,
            actor=actor,
            part_states={p.state for p in co_parts},
            has_extension=extension is not None,
            receipt_missing=any(p.kind == "transfer-letter" for p in papers)
            and _receipt_missing(session, incident.id),
        ),
    )


# --- the incident and its facts -------------------------------------------------------------


def _read(session: Session, incident_id: int) -> Incident:
    """The incident with its units, team and timeline loaded in a few queries."""
    incident = session.scalar(
        select(Incident)
        .where(Incident.id == incident_id)
        .options(
            selectinload(Incident.units).selectinload(IncidentUnit.unit),
            selectinload(Incident.assignments)
            .selectinload(IncidentAssignment.person)
            .selectinload(Person.unit),
            selectinload(Incident.events).selectinload(IncidentEvent.user),
        )
    )
    if incident is None:
        raise NotFound("该事件不存在或已被删除，请刷新后重试。")
    return incident


def _reporter(actor: Actor, incident: Incident) -> str:
    """Who reported it, masked for a role that may not see personal data."""
    if not (incident.reporter_name or incident.reporter_phone):
        return ""
    full = allowed(actor, Action.VIEW_PERSONAL_DATA)
    name = incident.reporter_name if full else masking.mask_name(incident.reporter_name)
    phone = incident.reporter_phone if full else masking.mask_phone(incident.reporter_phone)
    return f"{name or ''} {phone or ''}".strip()


def _time_left(
    session: Session, incident: Incident, state: deadlines.DeadlineState, moment: datetime
) -> str:
    """Working time to the deadline, counted on a fresh calendar; nothing once it is done."""
    if incident.deadline_at is None or state is deadlines.DeadlineState.DONE:
        return ""
    return deadlines.time_left(WorkCalendar.load(session), moment, incident.deadline_at).text


def _lead_unit(incident: Incident) -> str:
    """The lead unit it was dispatched to, else the one triage chose."""
    return next(
        (u.unit.name for u in incident.units if u.role is UnitRole.LEAD),
        incident.lead_unit.name if incident.lead_unit else "",
    )


def _legal_reviewed(incident: Incident) -> str:
    if not incident.legal_reviewed_at:
        return ""
    reviewer = incident.legal_reviewed_by
    return (
        f"{timeutil.format_local(incident.legal_reviewed_at)} "
        f"{reviewer.display_name if reviewer else ''}"
    ).strip()


def _latest_review(session: Session, incident: Incident) -> str:
    last = legal_review.latest(session, incident.id)
    if last is None:
        return ""
    who = last.reviewed_by.display_name if last.reviewed_by else ""
    text = (
        f"{last.outcome.label}（{timeutil.format_local(last.reviewed_at)} {who}）：{last.opinion}"
    )
    if last.corrections:
        text += f"；需补正：{last.corrections}"
    return text


def _merged_into(session: Session, incident: Incident) -> str:
    if incident.merged_into_id is None:
        return ""
    return records.get(session, Incident, incident.merged_into_id, "并入的事件").number


# --- team, calls, returns, files and timeline -----------------------------------------------


def _team(incident: Incident) -> list[PersonOnSite]:
    """Officers first, then auxiliaries, each by name."""
    return [
        PersonOnSite(
            a.person_id,
            a.person.name,
            a.person.unit.short_name,
            a.certificate_number or "",
            a.role is AssignmentRole.AUXILIARY,
        )
        for a in sorted(
            incident.assignments, key=lambda a: (a.role is AssignmentRole.AUXILIARY, a.person.name)
        )
    ]


def _whistles(session: Session, incident_id: int) -> list[WhistleRow]:
    return [
        WhistleRow(
            w.id,
            w.department.short_name,
            w.reason.label,
            w.approved_by.display_name if w.approved_by else "",
            f"{w.liaison.name} {w.liaison.mobile or ''}".strip() if w.liaison else "",
            w.called_at,
            w.acknowledged_at,
            w.arrived_at,
            w.arrived_names or "",
        )
        for w in session.scalars(
            select(WhistleCall)
            .where(WhistleCall.incident_id == incident_id)
            .order_by(WhistleCall.called_at)
        )
    ]


def _pending_return(session: Session, incident_id: int) -> str:
    """The latest return still waiting for the centre's ruling: its reason and note."""
    waiting = session.scalar(
        select(IncidentReturn)
        .where(IncidentReturn.incident_id == incident_id, IncidentReturn.ruling.is_(None))
        .order_by(IncidentReturn.id.desc())
        .limit(1)
    )
    if waiting is None:
        return ""
    return waiting.reason.label + (f"：{waiting.note}" if waiting.note else "")


def _attachments(session: Session, incident_id: int) -> list[tuple[int, str, int]]:
    return [
        (a.id, a.filename, a.size)
        for a in session.scalars(
            select(Attachment)
            .where(Attachment.incident_id == incident_id)
            .order_by(Attachment.added_at)
        )
    ]


def _timeline(incident: Incident) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            e.at,
            e.kind.label,
            e.user.display_name if e.user else "系统",
            e.note or "",
            e.to_status.label if e.to_status and e.to_status != e.from_status else "",
        )
        for e in sorted(incident.events, key=lambda e: (e.at, e.id))
    ]


# --- steps and papers -----------------------------------------------------------------------


def _offered(
    steps: list[Step],
    incident: Incident,
    *,
    actor: Actor,
    part_states: set[str],
    has_extension: bool,
    receipt_missing: bool,
) -> list[Step]:
    """The steps worth a button now: the status allows them and there is something to do."""
    pointless = set()
    if PartState.DISPATCHED.label not in part_states:
        pointless.add(Step.PART_ACCEPT)
    if PartState.ACCEPTED.label not in part_states:
        pointless.add(Step.PART_REPORT)
    if not part_states & {PartState.DISPATCHED.label, PartState.ACCEPTED.label}:
        pointless.add(Step.PART_WAIVE)
    if incident.is_major:
        pointless.add(Step.MARK_MAJOR)
        if not allowed(actor, Action.CLOSE_MAJOR_DECISION):
            pointless.add(Step.CLOSE)  # a major decision's closing is a leader's
    if not has_extension:
        pointless.add(Step.DECIDE_EXTENSION)
    if has_extension:
        pointless.add(Step.EXTEND)  # one request waits for a leader at a time
    if not incident.is_major or incident.legal_reviewed_at is not None:
        pointless.add(Step.LEGAL_REVIEW)
    if not receipt_missing:
        pointless.add(Step.TRANSFER_RECEIPT)
    return [step for step in steps if step not in pointless]


def _receipt_missing(session: Session, incident_id: int) -> bool:
    return (
        session.scalar(
            select(Transfer.id).where(
                Transfer.incident_id == incident_id, Transfer.receipt_at.is_(None)
            )
        )
        is not None
    )


def _entity_name(session: Session, entity_id: int | None) -> str:
    if entity_id is None:
        return ""
    entity = session.get(Entity, entity_id)
    return entity.name if entity else ""


def _papers(session: Session, incident: Incident) -> list[Paper]:
    papers = []
    order = docnumbers.latest(session, DocType.DISPATCH, "incident", incident.id)
    if order is not None:
        papers.append(Paper("dispatch-order", "指挥调度单", order, incident.id))
    for t in session.scalars(select(Transfer).where(Transfer.incident_id == incident.id)):
        papers.append(Paper("transfer-letter", "案件移送函", t.doc_number, t.id))
    for s in session.scalars(
        select(Supervision).where(Supervision.incident_id == incident.id).order_by(Supervision.id)
    ):
        papers.append(Paper("supervision", s.kind.label, s.doc_number, s.id))
    return papers


def incident_id_for(session: Session, number: str) -> int | None:
    """The incident with the number people read on papers and lists (2026-000123)."""
    return session.scalar(select(Incident.id).where(Incident.number == number))


def find_incident(session: Session, actor: Actor, number: str) -> int | None:
    """:func:`incident_id_for`, for a signed-in user."""
    require(actor, Action.VIEW)
    return incident_id_for(session, number)


def find_typed_number(session: Session, actor: Actor, typed: str) -> int | None:
    """An incident number as an operator types it: in full (2026-000123, spaces and full-width
    digits forgiven) or only its sequence (123: this year's)."""
    require(actor, Action.VIEW)
    text = unicodedata.normalize("NFKC", typed).replace(" ", "")
    if text.isdigit() and len(text) <= 6:
        text = f"{timeutil.today().year}-{int(text):06d}"
    return incident_id_for(session, text)
