"""Each co-operating unit's own part of an incident (协办部分).

A dispatch with co-operating units gives each its part when the order is issued. The unit signs
for its part and reports it on its own; the unit deadline of the dispatch is its clock too, so a
part is overdue when that deadline passes before its report. The centre may waive a part with a
reason (the unit's share turned out not to be needed). The incident closes only when every part
is reported or waived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    Incident,
    IncidentEventKind,
    IncidentPart,
    IncidentUnit,
    PartState,
    Unit,
    UnitRole,
)
from commandcenter.errors import ValidationError
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import workflow
from commandcenter.services.incidents.workflow import Step

FINISHED = frozenset({PartState.REPORTED, PartState.WAIVED})


@dataclass(frozen=True)
class PartRow:
    """A part as the detail pane and the dispatch order show it."""

    unit_id: int
    unit: str
    state: str
    accepted: str  # "2026-11-02 10:00 王强" or ""
    reported: str
    result: str
    waived: str  # when, by whom and why
    overdue: bool  # the unit deadline passed before its report (or passed with none yet)

    @property
    def line(self) -> str:
        """One line for the paper and the pane: 区市场监管所 已反馈 11-03 16:00（超期）."""
        when = self.reported or self.accepted or self.waived
        return (
            f"{self.unit}：{self.state}"
            + (f"　{when}" if when else "")
            + ("（超期）" if self.overdue else "")
        )


def issue_parts(session: Session, incident: Incident) -> None:
    """Give every co-operating unit of the dispatch a fresh part, as the order is issued."""
    clear_parts(session, incident.id)
    co_units = session.scalars(
        select(IncidentUnit.unit_id).where(
            IncidentUnit.incident_id == incident.id, IncidentUnit.role == UnitRole.CO
        )
    )
    for unit_id in co_units:
        session.add(IncidentPart(incident_id=incident.id, unit_id=unit_id))


def clear_parts(session: Session, incident_id: int) -> None:
    """The dispatch's units are about to change: their parts go with them (the timeline keeps
    what they did)."""
    session.execute(delete(IncidentPart).where(IncidentPart.incident_id == incident_id))


def _part(session: Session, incident: Incident, unit_id: int) -> IncidentPart:
    part = session.get(IncidentPart, (incident.id, unit_id))
    if part is None:
        raise ValidationError("该单位不是本事件派单的协办单位。", "unit_id")
    return part


def _unit_name(session: Session, unit_id: int) -> str:
    return session.get_one(Unit, unit_id).short_name


def _words(value: str | None, what: str, field: str, *, required: bool, limit: int) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(f"请填写{what}。", field)
    if len(text) > limit:
        raise ValidationError(f"{what}不能超过 {limit} 个字。", field)
    return text


def accept_part(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    unit_id: int,
    signed_by: str,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    """协办签收: the co-operating unit signed for its part."""
    incident = workflow.begin(session, actor, incident_id, Step.PART_ACCEPT, expected_version)
    part = _part(session, incident, unit_id)
    if part.state is not PartState.DISPATCHED:
        raise ValidationError(
            f"{_unit_name(session, unit_id)}的协办部分当前为“{part.state.label}”，不能再签收。",
            "unit_id",
        )
    name = _words(signed_by, "签收人", "signed_by", required=True, limit=50)
    moment = workflow.moment_or_now(at, "签收时间", not_before=incident.dispatched_at)
    part.state, part.accepted_at, part.accepted_by = PartState.ACCEPTED, moment, name
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.ACCEPTED,
        f"协办单位 {_unit_name(session, unit_id)} {name} 签收",
        at=moment,
        action="incident.part_accepted",
    )


def report_part(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    unit_id: int,
    result: str,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> None:
    """协办反馈: the co-operating unit reports what it did for its part."""
    incident = workflow.begin(session, actor, incident_id, Step.PART_REPORT, expected_version)
    part = _part(session, incident, unit_id)
    unit = _unit_name(session, unit_id)
    if part.state is PartState.DISPATCHED:
        raise ValidationError(f"{unit}尚未签收其协办部分，请先登记协办签收。", "unit_id")
    if part.state in FINISHED:
        raise ValidationError(
            f"{unit}的协办部分已{part.state.label.removeprefix('已')}，不能再反馈。", "unit_id"
        )
    text = _words(result, "协办处置结果", "result", required=True, limit=2000)
    moment = workflow.moment_or_now(at, "反馈时间", not_before=part.accepted_at)
    part.state, part.reported_at, part.result = PartState.REPORTED, moment, text
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.REPORTED,
        f"协办单位 {unit} 反馈：{text}",
        at=moment,
        action="incident.part_reported",
    )


def waive_part(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    unit_id: int,
    reason: str,
    expected_version: int | None = None,
) -> None:
    """免除: the centre releases a co-operating unit from its part, with the reason."""
    incident = workflow.begin(session, actor, incident_id, Step.PART_WAIVE, expected_version)
    part = _part(session, incident, unit_id)
    unit = _unit_name(session, unit_id)
    if part.state in FINISHED:
        raise ValidationError(
            f"{unit}的协办部分已{part.state.label.removeprefix('已')}，无需免除。", "unit_id"
        )
    text = _words(reason, "免除理由", "reason", required=True, limit=500)
    moment = timeutil.now()
    part.state, part.waived_at, part.waived_by_id, part.waive_reason = (
        PartState.WAIVED,
        moment,
        actor.user_id,
        text,
    )
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.NOTE,
        f"免除协办单位 {unit} 的协办部分：{text}",
        at=moment,
        action="incident.part_waived",
    )


def open_parts(session: Session, incident_id: int) -> list[str]:
    """The co-operating units whose part is neither reported nor waived, by name."""
    return list(
        session.scalars(
            select(Unit.short_name)
            .join(IncidentPart, IncidentPart.unit_id == Unit.id)
            .where(IncidentPart.incident_id == incident_id, IncidentPart.state.not_in(FINISHED))
            .order_by(Unit.sort_order, Unit.id)
        )
    )


def refuse_open_parts(session: Session, incident: Incident) -> None:
    """The lead unit's report closes the incident only when every part is done."""
    waiting = open_parts(session, incident.id)
    if waiting:
        raise ValidationError(
            f"事件 {incident.number} 尚有协办单位未反馈：{'、'.join(waiting)}。"
            "请待其反馈，或由指挥中心写明理由免除其协办部分后再办结。"
        )


def parts_of(session: Session, incident: Incident, now: datetime | None = None) -> list[PartRow]:
    """Every part of *incident*, in the units' order."""
    moment = now or timeutil.now()
    deadline = incident.unit_deadline_at
    rows = []
    for part, unit in session.execute(
        select(IncidentPart, Unit)
        .join(Unit, IncidentPart.unit_id == Unit.id)
        .where(IncidentPart.incident_id == incident.id)
        .order_by(Unit.sort_order, Unit.id)
    ):
        waiver = ""
        if part.waived_at is not None:
            who = part.waived_by.display_name if part.waived_by else ""
            waiver = f"{timeutil.format_local(part.waived_at)} {who}：{part.waive_reason}"
        if part.state is PartState.WAIVED:
            overdue = False
        elif part.reported_at is not None:
            overdue = deadline is not None and part.reported_at > deadline
        else:
            overdue = deadline is not None and moment > deadline
        rows.append(
            PartRow(
                unit_id=unit.id,
                unit=unit.short_name,
                state=part.state.label,
                accepted=(
                    f"{timeutil.format_local(part.accepted_at)} {part.accepted_by or ''}".strip()
                    if part.accepted_at
                    else ""
                ),
                reported=timeutil.format_local(part.reported_at) if part.reported_at else "",
                result=part.result or "",
                waived=waiver,
                overdue=overdue,
            )
        )
    return rows


def part_choices(
    session: Session, incident_id: int, states: frozenset[PartState]
) -> list[tuple[str, int]]:
    """(unit name, unit id) of the parts in *states*: what a part step's form offers."""
    return [
        (name, unit_id)
        for unit_id, name in session.execute(
            select(Unit.id, Unit.short_name)
            .join(IncidentPart, IncidentPart.unit_id == Unit.id)
            .where(IncidentPart.incident_id == incident_id, IncidentPart.state.in_(states))
            .order_by(Unit.sort_order, Unit.id)
        )
    ]
