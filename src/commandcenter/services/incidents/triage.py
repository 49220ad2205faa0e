"""研判: choose the item, and with it the route (R3) and the deadline (R7).

The route follows the item's list type (seed 003 III.13; seed 000 II.1):
empowered -> the street squad; linked -> the street leads and the item's department is called
in (吹哨报到); department -> stop it if possible, then transfer; no single item (unclear, or
several departments) -> refer upward for a joint-enforcement decision. The operator may choose
another route with a reason, which is recorded. The incident keeps the item, and so the
catalogue version, it was triaged with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    CatalogueItem,
    IncidentEventKind,
    IncidentStatus,
    ListType,
    Priority,
    Route,
)
from commandcenter.errors import ValidationError
from commandcenter.services import catalogue, records
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import deadlines, workflow
from commandcenter.services.incidents.workflow import Step
from commandcenter.services.work_calendar import WorkCalendar

ROUTE_FOR = {
    ListType.EMPOWERED: Route.SQUAD,
    ListType.LINKED: Route.WHISTLE,
    ListType.DEPARTMENT: Route.TRANSFER,
}


def proposed_route(item: CatalogueItem | None) -> Route:
    return ROUTE_FOR[item.list_type] if item is not None else Route.UPWARD


@dataclass
class TriageForm:
    item_id: int | None = None  # None: no single item applies (unclear, several departments)
    route: Route | None = None  # None: take the proposed route
    override_reason: str = ""
    priority: Priority = Priority.NORMAL
    is_major: bool = False


def triage(
    session: Session,
    actor: Actor,
    incident_id: int,
    form: TriageForm,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Route:
    incident = workflow.begin(session, actor, incident_id, Step.TRIAGE, expected_version)
    moment = now or timeutil.now()
    item = None
    if form.item_id is not None:
        item = records.get(session, CatalogueItem, form.item_id, "所选执法事项")
        in_force = catalogue.version_in_force(session, timeutil.local_date(moment))
        if in_force is None or item.version_id != in_force.id:
            raise ValidationError(
                f"事项 {item.code} 不属于当前生效的清单版本，请按现行清单重新选择。", "item_id"
            )
    proposed = proposed_route(item)
    route = form.route or proposed
    reason = records.text(form.override_reason, "override_reason", "调整理由", limit=500)
    if route is not proposed and not reason:
        raise ValidationError(
            f"按清单类别应为“{proposed.label}”；改为“{route.label}”请填写调整理由。",
            "override_reason",
        )
    if route is not Route.UPWARD and item is None:
        raise ValidationError("未选择执法事项时，只能提请联合执法决定。", "item_id")
    incident.item_id = item.id if item else None
    incident.item = item
    incident.route = route
    incident.route_override_reason = reason if route is not proposed else None
    incident.priority = form.priority
    incident.is_major = form.is_major
    if route is Route.UPWARD:
        incident.deadline_at = incident.warning_at = incident.unit_deadline_at = None
        incident.deadline_uncertain = False
        to_status, kind = IncidentStatus.REFERRED, IncidentEventKind.REFERRED
    else:
        deadlines.set_deadline(session, incident, WorkCalendar.load(session))
        to_status, kind = IncidentStatus.TRIAGED, IncidentEventKind.TRIAGED
    words = [f"{item.code} {item.name}（{item.list_type.label}）" if item else "无单一适用事项"]
    words.append(f"处置路径：{route.label}")
    if route is not proposed:
        words.append(f"调整理由：{reason}")
    if incident.deadline_at is not None:
        words.append(f"办理期限 {timeutil.format_local(incident.deadline_at)}")
        if incident.deadline_uncertain:
            words.append("期限跨越未载入节假日安排的年度，待核")
    if form.is_major:
        words.append("重大执法决定")
    workflow.record(
        session, actor, incident, kind, "；".join(words), to_status=to_status, at=moment
    )
    return route
