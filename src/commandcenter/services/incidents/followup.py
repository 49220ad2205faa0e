"""Extensions (延期), whistle calls (吹哨报到), supervision (督办) and transfers (移送)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    DocType,
    Extension,
    ExtensionState,
    IncidentEventKind,
    IncidentStatus,
    IncidentUnit,
    Liaison,
    Role,
    Route,
    Supervision,
    SupervisionKind,
    Transfer,
    Unit,
    UnitKind,
    UnitRole,
    User,
    WhistleCall,
    WhistleReason,
)
from commandcenter.errors import ValidationError
from commandcenter.services import docnumbers, records, settings
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import deadlines, workflow
from commandcenter.services.incidents.workflow import Step
from commandcenter.services.work_calendar import WorkCalendar

MAX_EXTENSION_DAYS = 30

# --- extensions (R7: only a leader extends a deadline) ---------------------------------------


def request_extension(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    working_days: int,
    reason: str,
    expected_version: int | None = None,
) -> Extension:
    incident = workflow.begin(session, actor, incident_id, Step.EXTEND, expected_version)
    if not 1 <= working_days <= MAX_EXTENSION_DAYS:
        raise ValidationError(f"延期天数应为 1 到 {MAX_EXTENSION_DAYS} 个工作日。", "working_days")
    text = (reason or "").strip()
    if not text:
        raise ValidationError("请填写延期理由。", "reason")
    pending = session.scalar(
        select(Extension.id).where(
            Extension.incident_id == incident.id, Extension.state == ExtensionState.REQUESTED
        )
    )
    if pending is not None:
        raise ValidationError("该事件已有一份待审批的延期申请，请等待领导审批。")
    assert actor.user_id is not None
    moment = timeutil.now()
    entry = Extension(
        incident_id=incident.id,
        requested_at=moment,
        requested_by_id=actor.user_id,
        working_days=working_days,
        reason=text[:500],
        state=ExtensionState.REQUESTED,
        old_deadline_at=incident.deadline_at,
    )
    session.add(entry)
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.EXTENSION_REQUESTED,
        f"申请延期 {working_days} 个工作日：{text}",
        at=moment,
    )
    return entry


def pending_extension(session: Session, incident_id: int) -> Extension | None:
    return session.scalar(
        select(Extension).where(
            Extension.incident_id == incident_id, Extension.state == ExtensionState.REQUESTED
        )
    )


def decide_extension(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    approved: bool,
    note: str = "",
    expected_version: int | None = None,
) -> Extension:
    incident = workflow.begin(session, actor, incident_id, Step.DECIDE_EXTENSION, expected_version)
    entry = pending_extension(session, incident.id)
    if entry is None:
        raise ValidationError("该事件没有待审批的延期申请。")
    if entry.requested_by_id == actor.user_id:
        raise ValidationError("申请人不能审批自己的延期申请，请由其他领导审批。")
    workflow.refuse_handler(session, actor, incident, "审批延期")
    text = (note or "").strip()[:500]
    if not approved and not text:
        raise ValidationError("不同意延期时请写明意见。", "note")
    moment = timeutil.now()
    entry.decided_at, entry.decided_by_id = moment, actor.user_id
    entry.old_deadline_at = incident.deadline_at
    if approved:
        entry.state = ExtensionState.APPROVED
        session.flush()
        deadlines.set_deadline(session, incident, WorkCalendar.load(session))
        entry.new_deadline_at = incident.deadline_at
        words = (
            f"同意延期 {entry.working_days} 个工作日，办理期限改为 "
            f"{timeutil.format_local(incident.deadline_at)}"
        )
    else:
        entry.state = ExtensionState.REJECTED
        words = "不同意延期"
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.EXTENDED,
        words + (f"：{text}" if text else ""),
        at=moment,
    )
    return entry


# --- whistle calls --------------------------------------------------------------------------


@dataclass
class WhistleForm:
    department_id: int | None = None
    reason: WhistleReason = WhistleReason.PROFESSIONAL
    approved_by_id: int | None = None  # the leader who agreed to blow the whistle
    liaison_id: int | None = None
    called_at: datetime | None = None
    note: str = ""


def call_whistle(
    session: Session,
    actor: Actor,
    incident_id: int,
    form: WhistleForm,
    expected_version: int | None = None,
) -> WhistleCall:
    incident = workflow.begin(session, actor, incident_id, Step.WHISTLE, expected_version)
    if form.department_id is None:
        raise ValidationError("请选择被吹哨的部门。", "department_id")
    department = records.get(session, Unit, form.department_id, "所选部门")
    if department.kind not in (UnitKind.DEPARTMENT, UnitKind.AGENCY):
        raise ValidationError("吹哨报到的对象应为区级部门或其派驻机构。", "department_id")
    leader = session.get(User, form.approved_by_id) if form.approved_by_id else None
    if leader is None or leader.role is not Role.LEADER or not leader.active:
        raise ValidationError("请选择同意吹哨的街道领导。", "approved_by_id")
    if form.liaison_id is not None:
        liaison = records.get(session, Liaison, form.liaison_id, "所选联络人")
        if liaison.department_id not in (department.id, department.parent_id):
            raise ValidationError(
                "所选联络人不属于该部门，请从该部门的联络名录中选择。", "liaison_id"
            )
    moment = workflow.moment_or_now(form.called_at, "吹哨时间", not_before=incident.received_at)
    assert actor.user_id is not None
    call = WhistleCall(
        incident_id=incident.id,
        department_id=department.id,
        reason=form.reason,
        approved_by_id=leader.id,
        liaison_id=form.liaison_id,
        called_at=moment,
        called_by_id=actor.user_id,
        note=(form.note or "").strip()[:500] or None,
    )
    session.add(call)
    if not any(u.unit_id == department.id for u in incident.units) and incident.lead_unit_id:
        session.add(IncidentUnit(incident_id=incident.id, unit_id=department.id, role=UnitRole.CO))
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.WHISTLE,
        f"向{department.short_name}吹哨（{form.reason.label}，{leader.display_name}同意）",
        at=moment,
    )
    return call


def record_report_in(
    session: Session,
    actor: Actor,
    call_id: int,
    *,
    acknowledged_at: datetime | None = None,
    arrived_at: datetime | None = None,
    arrived_names: str = "",
) -> WhistleCall:
    """The department's reply: acknowledged the call, then reported in on site."""
    call = records.get(session, WhistleCall, call_id, "该吹哨记录")
    incident = workflow.begin(session, actor, call.incident_id, Step.WHISTLE)
    if acknowledged_at is None and arrived_at is None:
        raise ValidationError("请填写响应时间或到场时间。")
    words = []
    if acknowledged_at is not None:
        call.acknowledged_at = workflow.moment_or_now(
            acknowledged_at, "响应时间", not_before=call.called_at
        )
        words.append(f"{timeutil.format_local(call.acknowledged_at)} 响应")
    if arrived_at is not None:
        call.arrived_at = workflow.moment_or_now(
            arrived_at, "到场时间", not_before=call.acknowledged_at or call.called_at
        )
        call.arrived_names = (arrived_names or "").strip()[:100] or None
        minutes = round((call.arrived_at - call.called_at).total_seconds() / 60)
        words.append(
            f"{timeutil.format_local(call.arrived_at)} 到场报到"
            + (f"（{call.arrived_names}）" if call.arrived_names else "")
            + f"，用时 {minutes} 分钟"
        )
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.REPORT_IN,
        f"{call.department.short_name}：" + "，".join(words),
    )
    return call


# --- supervision ----------------------------------------------------------------------------

SUPERVISION_DOCS = {
    SupervisionKind.LETTER: DocType.SUPERVISION,
    SupervisionKind.NOTICE: DocType.NOTICE,
    SupervisionKind.SUGGESTION: DocType.SUGGESTION,
    SupervisionKind.RISK: DocType.RISK,
}


def supervise(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    unit_id: int,
    kind: SupervisionKind,
    content: str,
    reply_days: int | None = 3,
) -> Supervision:
    """A numbered supervision document to a unit about an incident; it marks the unit's record."""
    incident = workflow.begin(session, actor, incident_id, Step.SUPERVISE)
    involved = {u.unit_id for u in incident.units} | {incident.lead_unit_id}
    if unit_id not in involved:
        raise ValidationError("督办对象应为该事件的主办或协办单位。", "unit_id")
    text = (content or "").strip()
    if not text:
        raise ValidationError("请填写督办内容。", "content")
    if reply_days is not None and not 1 <= reply_days <= 30:
        raise ValidationError("反馈期限应为 1 到 30 个工作日。", "reply_days")
    moment = timeutil.now()
    number = docnumbers.issue(
        session,
        actor,
        SUPERVISION_DOCS[kind],
        entity_type="incident",
        entity_id=incident.id,
        title=f"{kind.label}（事件 {incident.number}）",
        at=moment,
    )
    assert actor.user_id is not None
    reply_due = (
        WorkCalendar.load(session).add_working_days(moment, reply_days).at if reply_days else None
    )
    entry = Supervision(
        incident_id=incident.id,
        unit_id=unit_id,
        kind=kind,
        doc_number=number.number,
        issued_at=moment,
        issued_by_id=actor.user_id,
        content=text[:4000],
        reply_due_on=reply_due,
    )
    session.add(entry)
    unit = records.get(session, Unit, unit_id, "督办对象")
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.SUPERVISED,
        f"向{unit.short_name}发出{kind.label} {number.number}",
        at=moment,
    )
    return entry


# --- transfers ------------------------------------------------------------------------------


def transfer(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    department_id: int | None,
    facts: str,
    expected_version: int | None = None,
) -> Transfer:
    """移送: outside the street's remit; a numbered transfer letter goes to the department."""
    incident = workflow.begin(session, actor, incident_id, Step.TRANSFER, expected_version)
    target = department_id or (incident.item.department_id if incident.item else None)
    if target is None and incident.route is Route.TRANSFER:
        target = incident.lead_unit_id  # the department a decision upward made responsible
    if target is None:
        raise ValidationError("请选择接收移送的部门。", "department_id")
    department = records.get(session, Unit, target, "接收部门")
    if department.kind not in (UnitKind.DEPARTMENT, UnitKind.AGENCY):
        raise ValidationError("案件应移送区级部门或其派驻机构。", "department_id")
    text = (facts or "").strip()
    if not text:
        raise ValidationError("请写明移送的事实和街道已采取的措施。", "facts")
    moment = timeutil.now()
    number = docnumbers.issue(
        session,
        actor,
        DocType.TRANSFER,
        entity_type="incident",
        entity_id=incident.id,
        title=f"案件移送函（事件 {incident.number}）",
        at=moment,
    )
    assert actor.user_id is not None
    entry = Transfer(
        incident_id=incident.id,
        department_id=department.id,
        doc_number=number.number,
        facts=text[:4000],
        sent_at=moment,
        sent_by_id=actor.user_id,
        receipt_due_at=WorkCalendar.load(session)
        .add_working_days(moment, int(settings.get(session, settings.TRANSFER_RECEIPT_DAYS) or 5))
        .at,
    )
    session.add(entry)
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.TRANSFERRED,
        f"移送{department.name}，{number.number}",
        to_status=IncidentStatus.TRANSFERRED,
        at=moment,
    )
    return entry


def record_transfer_receipt(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    received_by: str,
    at: datetime | None = None,
) -> Transfer:
    incident = workflow.begin(session, actor, incident_id, Step.TRANSFER_RECEIPT)
    entry = session.scalar(
        select(Transfer).where(Transfer.incident_id == incident.id).order_by(Transfer.id.desc())
    )
    if entry is None:
        raise ValidationError("没有找到该事件的移送记录。")
    name = (received_by or "").strip()
    if not name:
        raise ValidationError("请填写接收部门的签收人。", "received_by")
    entry.receipt_at = workflow.moment_or_now(at, "回执时间", not_before=entry.sent_at)
    entry.receipt_by = name[:50]
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.TRANSFER_RECEIPT,
        f"{entry.department.short_name} {entry.receipt_by} 签收移送函 {entry.doc_number}",
    )
    return entry
