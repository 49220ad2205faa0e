"""派单: lead and co-operating units and the people sent on site.

R1: on-site enforcement needs at least two officers holding valid certificates for the item's
field on the day. R10: auxiliary staff may join but never count. People recused from the
incident's entity are excluded. The rules are checked here, so a dispatch that bypasses the
dialog is refused just the same. A major incident waits for a leader's approval (R6: not the
person who asked for it, nor anyone sent on site) before its order is numbered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    AssignmentRole,
    DocType,
    Incident,
    IncidentAssignment,
    IncidentEventKind,
    IncidentStatus,
    IncidentUnit,
    Person,
    PersonStatus,
    Recusal,
    Route,
    Staffing,
    Unit,
    UnitKind,
    UnitRole,
)
from commandcenter.errors import ValidationError
from commandcenter.services import docnumbers, records
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import deadlines, parts, workflow
from commandcenter.services.incidents.workflow import Step
from commandcenter.services.permissions import Action, require
from commandcenter.services.roster import eligibility
from commandcenter.services.work_calendar import WorkCalendar

MINIMUM_OFFICERS = eligibility.MIN_OFFICERS_ON_SITE  # R1


@dataclass
class DispatchForm:
    lead_unit_id: int | None = None
    co_unit_ids: list[int] = field(default_factory=list)
    officer_ids: list[int] = field(default_factory=list)
    auxiliary_ids: list[int] = field(default_factory=list)
    requirements: str = ""


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str
    unit_id: int
    unit: str
    certificate: str
    auxiliary: bool
    reason: str | None  # why this person cannot count as an officer; None when they can

    @property
    def eligible(self) -> bool:
        return self.reason is None and not self.auxiliary


def recused_people(session: Session, entity_id: int | None, on: date) -> dict[int, str]:
    """People recused from *entity_id* on *on*, with the reason."""
    if entity_id is None:
        return {}
    rows = session.execute(
        select(Recusal.person_id, Recusal.reason).where(
            Recusal.entity_id == entity_id,
            Recusal.from_date <= on,
            or_(Recusal.to_date.is_(None), Recusal.to_date >= on),
        )
    )
    return {pid: reason for pid, reason in rows}


def candidates(
    session: Session, actor: Actor, incident_id: int, on: date | None = None
) -> list[Candidate]:
    """Everyone who might go: eligible officers first, then the rest with the reason why not,
    then auxiliary staff (who may accompany)."""
    require(actor, Action.VIEW)
    incident = records.get(session, Incident, incident_id, "该事件")
    day = on or timeutil.today()
    item_field = incident.item.field if incident.item else None
    recused = recused_people(session, incident.entity_id, day)
    eligible = {o.person_id: o for o in eligibility.eligible_officers(session, item_field, day)}
    people = session.execute(
        select(Person, Unit.short_name)
        .join(Unit, Person.unit_id == Unit.id)
        .where(
            Unit.kind.in_([UnitKind.SQUAD, UnitKind.AGENCY, UnitKind.DEPARTMENT]),
            Unit.active.is_(True),
        )
        .order_by(Unit.sort_order, Person.name, Person.id)
    ).all()
    # Why each officer who may not go may not: two queries for them all, not two per person.
    why_not = eligibility.ineligibilities(
        session,
        [
            p.id
            for p, _unit in people
            if p.id not in eligible and p.id not in recused and p.staffing is not Staffing.AUXILIARY
        ],
        item_field,
        day,
    )
    rows: list[Candidate] = []
    for person, unit in people:
        auxiliary = person.staffing is Staffing.AUXILIARY
        found = eligible.get(person.id)
        reason: str | None
        if person.id in recused:
            reason = f"{person.name}须回避：{recused[person.id]}"
        elif auxiliary:
            on_duty = person.status is PersonStatus.ON_DUTY
            reason = None if on_duty else f"{person.name}当前状态为“{person.status.label}”"
        elif found is not None:
            reason = None
        else:
            reason = why_not.get(person.id) or "不符合派单条件"
        rows.append(
            Candidate(
                person.id,
                person.name,
                person.unit_id,
                unit,
                found.certificate if found else "",
                auxiliary,
                reason,
            )
        )
    rows.sort(key=lambda c: (c.auxiliary, not c.eligible, c.reason is not None))
    return rows


def proposal(session: Session, actor: Actor, incident_id: int) -> DispatchForm:
    """The units the route suggests: the street squad leads; for a whistle call the item's
    department joins as co-operating unit."""
    require(actor, Action.VIEW)
    incident = records.get(session, Incident, incident_id, "该事件")
    squad = session.scalar(
        select(Unit.id)
        .where(Unit.kind == UnitKind.SQUAD, Unit.active.is_(True))
        .order_by(Unit.sort_order, Unit.id)
        .limit(1)
    )
    form = DispatchForm(lead_unit_id=incident.lead_unit_id or squad)
    item = incident.item
    if incident.route is Route.WHISTLE and item is not None and item.department_id:
        form.co_unit_ids = [_agency_of(session, item.department_id)]
    return form


def _agency_of(session: Session, department_id: int) -> int:
    """The department's agency stationed in the street, where there is one."""
    agency = session.scalar(
        select(Unit.id)
        .where(Unit.parent_id == department_id, Unit.kind == UnitKind.AGENCY, Unit.active.is_(True))
        .order_by(Unit.sort_order, Unit.id)
        .limit(1)
    )
    return agency or department_id


def team_problems(
    session: Session, incident: Incident, form: DispatchForm, on: date
) -> list[ValidationError]:
    """Everything wrong with the proposed units and people (R1, R2, R10, recusal)."""
    problems: list[ValidationError] = []
    if form.lead_unit_id is None:
        problems.append(ValidationError("请选择主办单位。", "lead_unit_id"))
    units = {
        u.id: u
        for u in session.scalars(
            select(Unit).where(Unit.id.in_([form.lead_unit_id or 0, *form.co_unit_ids]))
        )
    }
    for uid in [form.lead_unit_id, *form.co_unit_ids]:
        if uid is not None and (uid not in units or not units[uid].active):
            problems.append(ValidationError("所选单位不存在或已停用，请重新选择。", "lead_unit_id"))
    if form.lead_unit_id in form.co_unit_ids:
        problems.append(ValidationError("主办单位不能同时作为协办单位。", "co_unit_ids"))
    if set(form.officer_ids) & set(form.auxiliary_ids):
        problems.append(ValidationError("同一人不能既作为执法人员又作为协勤人员。", "officer_ids"))
    item_field = incident.item.field if incident.item else None
    recused = recused_people(session, incident.entity_id, on)
    counted = 0
    for pid in dict.fromkeys(form.officer_ids):
        person = records.get(session, Person, pid, "所选人员")
        if pid in recused:
            problems.append(
                ValidationError(f"{person.name}须回避：{recused[pid]}。", "officer_ids")
            )
            continue
        reason = eligibility.ineligibility(session, pid, item_field, on)
        if reason is not None:
            problems.append(ValidationError(f"{reason}，不能作为执法人员派出。", "officer_ids"))
            continue
        counted += 1
    for pid in dict.fromkeys(form.auxiliary_ids):
        person = records.get(session, Person, pid, "所选人员")
        if not person.is_auxiliary:
            problems.append(
                ValidationError(
                    f"{person.name}不是编外协勤人员，请作为执法人员选择。", "auxiliary_ids"
                )
            )
        elif pid in recused:
            problems.append(
                ValidationError(f"{person.name}须回避：{recused[pid]}。", "auxiliary_ids")
            )
    if counted < MINIMUM_OFFICERS and not any(p.field == "officer_ids" for p in problems):
        where = f"“{item_field}”领域" if item_field else ""
        problems.append(
            ValidationError(
                f"现场执法须至少派出 {MINIMUM_OFFICERS} 名持有效{where}执法证的执法人员"
                f"（当前 {counted} 名）；协勤人员可以随同，但不计入人数。",
                "officer_ids",
            )
        )
    elif counted < MINIMUM_OFFICERS:
        problems.append(
            ValidationError(
                f"符合条件的执法人员只有 {counted} 名，至少需要 {MINIMUM_OFFICERS} 名。",
                "officer_ids",
            )
        )
    return problems


def _team_words(session: Session, form: DispatchForm) -> str:
    names = dict(
        session.execute(
            select(Person.id, Person.name).where(
                Person.id.in_([*form.officer_ids, *form.auxiliary_ids])
            )
        ).all()
    )
    units = dict(
        session.execute(
            select(Unit.id, Unit.short_name).where(
                Unit.id.in_([form.lead_unit_id or 0, *form.co_unit_ids])
            )
        ).all()
    )
    words = [f"主办 {units.get(form.lead_unit_id or 0, '')}"]
    if form.co_unit_ids:
        words.append("协办 " + "、".join(units[u] for u in form.co_unit_ids))
    words.append("执法人员 " + "、".join(names[p] for p in dict.fromkeys(form.officer_ids)))
    if form.auxiliary_ids:
        words.append("协勤 " + "、".join(names[p] for p in dict.fromkeys(form.auxiliary_ids)))
    return "；".join(words)


def dispatch(
    session: Session,
    actor: Actor,
    incident_id: int,
    form: DispatchForm,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Incident:
    incident = workflow.begin(session, actor, incident_id, Step.DISPATCH, expected_version)
    if incident.route not in (Route.SQUAD, Route.WHISTLE):
        raise ValidationError(
            f"该事件的处置路径为“{incident.route.label if incident.route else '未研判'}”，"
            "不派单；请按路径移送或提请联合执法决定，或重新研判。"
        )
    moment = now or timeutil.now()
    day = timeutil.local_date(moment)
    records.raise_all(team_problems(session, incident, form, day), "未能派单")
    requirements = (form.requirements or "").strip()[:2000] or None

    parts.clear_parts(session, incident.id)
    session.execute(delete(IncidentUnit).where(IncidentUnit.incident_id == incident.id))
    session.execute(delete(IncidentAssignment).where(IncidentAssignment.incident_id == incident.id))
    assert form.lead_unit_id is not None
    session.add(
        IncidentUnit(incident_id=incident.id, unit_id=form.lead_unit_id, role=UnitRole.LEAD)
    )
    for uid in dict.fromkeys(form.co_unit_ids):
        session.add(IncidentUnit(incident_id=incident.id, unit_id=uid, role=UnitRole.CO))
    eligible = {
        o.person_id: o.certificate
        for o in eligibility.eligible_officers(
            session, incident.item.field if incident.item else None, day
        )
    }
    for pid in dict.fromkeys(form.officer_ids):
        session.add(
            IncidentAssignment(
                incident_id=incident.id,
                person_id=pid,
                role=AssignmentRole.OFFICER,
                certificate_number=eligible.get(pid),
            )
        )
    for pid in dict.fromkeys(form.auxiliary_ids):
        session.add(
            IncidentAssignment(
                incident_id=incident.id, person_id=pid, role=AssignmentRole.AUXILIARY
            )
        )
    incident.lead_unit_id = form.lead_unit_id
    incident.requirements = requirements
    incident.dispatched_by_id = actor.user_id
    incident.dispatch_approved_at = incident.dispatch_approved_by_id = None
    words = _team_words(session, form)
    if incident.is_major:
        workflow.record(
            session,
            actor,
            incident,
            IncidentEventKind.DISPATCHED,
            f"重大执法决定事件，派单待领导审批。{words}",
            to_status=IncidentStatus.AWAITING_APPROVAL,
            at=moment,
        )
        return incident
    _issue_order(session, actor, incident, moment, words)
    return incident


def _issue_order(
    session: Session, actor: Actor, incident: Incident, moment: datetime, words: str
) -> None:
    number = docnumbers.issue(
        session,
        actor,
        DocType.DISPATCH,
        entity_type="incident",
        entity_id=incident.id,
        title=f"指挥调度单（事件 {incident.number}）",
        at=moment,
    )
    incident.dispatched_at = moment
    incident.accepted_at = None
    # The unit's time starts now: a re-dispatch after a return starts it afresh.
    deadlines.set_unit_deadline(session, incident, WorkCalendar.load(session))
    parts.issue_parts(session, incident)  # each co-operating unit signs and reports its own
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.DISPATCHED,
        f"{number.number}；{words}",
        to_status=IncidentStatus.DISPATCHED,
        at=moment,
    )


def approve(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    approved: bool,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Incident:
    """A leader approves (the order is numbered and issued) or sends the dispatch back."""
    incident = workflow.begin(session, actor, incident_id, Step.APPROVE, expected_version)
    if actor.user_id is not None and actor.user_id == incident.dispatched_by_id:
        raise ValidationError(
            "派单人不能审批自己提交的派单（办、审、定三分离），请由其他领导审批。"
        )
    workflow.refuse_handler(session, actor, incident, "审批派单")
    moment = now or timeutil.now()
    text = (note or "").strip()[:500]
    if not approved:
        if not text:
            raise ValidationError("不同意派单时请写明意见。", "note")
        workflow.record(
            session,
            actor,
            incident,
            IncidentEventKind.APPROVED,
            f"不同意派单：{text}",
            to_status=IncidentStatus.TRIAGED,
            at=moment,
        )
        return incident
    # R1 is checked again: a certificate may have lapsed while the dispatch waited.
    form = DispatchForm(
        lead_unit_id=incident.lead_unit_id,
        co_unit_ids=[u.unit_id for u in incident.units if u.role is UnitRole.CO],
        officer_ids=[a.person_id for a in incident.assignments if a.role is AssignmentRole.OFFICER],
        auxiliary_ids=[
            a.person_id for a in incident.assignments if a.role is AssignmentRole.AUXILIARY
        ],
    )
    records.raise_all(
        team_problems(session, incident, form, timeutil.local_date(moment)), "未能批准派单"
    )
    incident.dispatch_approved_at = moment
    incident.dispatch_approved_by_id = actor.user_id
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.APPROVED,
        "同意派单" + (f"：{text}" if text else ""),
        at=moment,
    )
    _issue_order(session, actor, incident, moment, _team_words(session, form))
    return incident
