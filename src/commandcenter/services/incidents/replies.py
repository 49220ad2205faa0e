"""办结回复: what the reporter is told when an incident closes, from templates the centre keeps.

A template is text with placeholders ({事项}, {办理结果} …) filled from the incident; the operator
may change the filled text before it is saved. The reply is recorded in the closing's own
transaction (:func:`close_with_reply`), so an incident never closes with half a reply, and a
work order from 12345 or 四平台 does not close without one: the source expects it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    Channel,
    Incident,
    IncidentEvent,
    IncidentEventKind,
    IncidentReply,
    IncidentStatus,
    ReplyChannel,
    ReplyOutcome,
    ReplyTemplate,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, masking, records, settings
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import progress, workflow
from commandcenter.services.permissions import Action, allowed, require

# Channels whose incidents are work orders of another system, answered through it.
WORK_ORDER_CHANNELS = (Channel.HOTLINE_12345, Channel.PLATFORM)

PLACEHOLDERS: dict[str, str] = {
    "事项": "事件名称",
    "工单编号": "来源工单号（无则为事件编号）",
    "事件编号": "本系统的事件编号",
    "承办单位": "主办单位",
    "办理结果": "最近一次反馈的处置结果",
    "办结日期": "办结（回复）日期",
    "中心名称": "本中心名称",
}
_PLACEHOLDER = re.compile(r"\{([^{}]{1,10})\}")
TEXT_LIMIT = 2000


# --- templates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateRow:
    id: int
    version: int
    name: str
    text: str
    sort_order: int
    active: bool


@dataclass
class TemplateForm:
    name: str = ""
    text: str = ""
    sort_order: int = 0
    active: bool = True


def templates(session: Session, actor: Actor, *, active_only: bool = False) -> list[TemplateRow]:
    require(actor, Action.VIEW)
    query = select(ReplyTemplate).order_by(ReplyTemplate.sort_order, ReplyTemplate.id)
    if active_only:
        query = query.where(ReplyTemplate.active.is_(True))
    return [
        TemplateRow(t.id, t.version, t.name, t.text, t.sort_order, t.active)
        for t in session.scalars(query)
    ]


def unknown_placeholders(text: str) -> list[str]:
    return [name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]


def _template_values(
    session: Session, form: TemplateForm, template_id: int | None
) -> dict[str, object]:
    name = records.text(form.name, "name", "模板名称", required=True, limit=50)
    text = records.text(form.text, "text", "模板内容", required=True, limit=TEXT_LIMIT)
    unknown = unknown_placeholders(text)
    if unknown:
        known = "、".join("{" + p + "}" for p in PLACEHOLDERS)
        raise ValidationError(
            f"模板中的 {'、'.join('{' + u + '}' for u in unknown)} 不是可用的占位符。"
            f"可用：{known}。",
            "text",
        )
    clash = session.scalar(select(ReplyTemplate.id).where(ReplyTemplate.name == name))
    if clash is not None and clash != template_id:
        raise ValidationError(f"已有名为“{name}”的回复模板。", "name")
    return {"name": name, "text": text, "sort_order": form.sort_order, "active": form.active}


def save_template(
    session: Session,
    actor: Actor,
    form: TemplateForm,
    template_id: int | None = None,
    expected_version: int | None = None,
) -> ReplyTemplate:
    """Add a template, or change one (a changed template leaves recorded replies as they are)."""
    require(actor, Action.EDIT_SETTINGS)
    values = _template_values(session, form, template_id)
    if template_id is None:
        if not values["sort_order"]:  # a new one goes after those there are
            last = session.scalar(select(func.max(ReplyTemplate.sort_order)))
            values["sort_order"] = (last or 0) + 1
        template = ReplyTemplate(**values)
        session.add(template)
        session.flush()
        audit.record(
            session,
            actor,
            "reply_template.create",
            f"新增办结回复模板“{template.name}”",
            entity_type="reply_template",
            entity_id=template.id,
            changes=records.snapshot(values),
        )
        return template
    template = records.get(session, ReplyTemplate, template_id, "该回复模板")
    records.check_version(template, expected_version, "该回复模板")
    changes = records.apply(template, values)
    if changes:
        session.flush()
        audit.record(
            session,
            actor,
            "reply_template.update",
            f"修改办结回复模板“{template.name}”",
            entity_type="reply_template",
            entity_id=template.id,
            changes=changes,
        )
    return template


def template_form(session: Session, actor: Actor, template_id: int) -> tuple[TemplateForm, int]:
    require(actor, Action.VIEW)
    t = records.get(session, ReplyTemplate, template_id, "该回复模板")
    return TemplateForm(t.name, t.text, t.sort_order, t.active), t.version


# --- filling a template ---------------------------------------------------------------------


def latest_result(session: Session, incident_id: int) -> str:
    """What the unit last reported it did (反馈), the 办理结果 a reply tells."""
    note = session.scalar(
        select(IncidentEvent.note)
        .where(
            IncidentEvent.incident_id == incident_id,
            IncidentEvent.kind == IncidentEventKind.REPORTED,
        )
        .order_by(IncidentEvent.at.desc(), IncidentEvent.id.desc())
        .limit(1)
    )
    return (note or "").strip().rstrip("。；;.")


def placeholder_values(session: Session, incident: Incident, day: datetime) -> dict[str, str]:
    centre = settings.load(session)
    return {
        "事项": incident.title,
        "工单编号": incident.channel_ref or incident.number,
        "事件编号": incident.number,
        "承办单位": incident.lead_unit.name if incident.lead_unit else centre.street_name,
        "办理结果": latest_result(session, incident.id) or "已按规定办理",
        "办结日期": timeutil.chinese_date(timeutil.local_date(day)),
        "中心名称": centre.centre_name,
    }


def fill(text: str, values: dict[str, str]) -> str:
    """The template with each known placeholder replaced; unknown ones stay for the eye."""
    return _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), text)


@dataclass(frozen=True)
class ReplyDraft:
    """What the closing form starts from: each template already filled for this incident."""

    needed: bool  # a work order: the source expects a reply
    channel: ReplyChannel
    texts: list[tuple[int, str, str]]  # template id, name, filled text


def draft(session: Session, actor: Actor, incident_id: int) -> ReplyDraft:
    require(actor, Action.VIEW)
    incident = records.get(session, Incident, incident_id, "该事件")
    values = placeholder_values(session, incident, timeutil.now())
    rows = templates(session, actor, active_only=True)
    return ReplyDraft(
        needed=is_work_order(incident),
        channel=ReplyChannel.PLATFORM if is_work_order(incident) else ReplyChannel.PHONE,
        texts=[(t.id, t.name, fill(t.text, values)) for t in rows],
    )


def is_work_order(incident: Incident) -> bool:
    return incident.channel in WORK_ORDER_CHANNELS and bool(incident.channel_ref)


# --- recording the reply --------------------------------------------------------------------


@dataclass
class ReplyForm:
    channel: ReplyChannel | None = None
    outcome: ReplyOutcome | None = None
    text: str = ""
    template_id: int | None = None
    replied_at: datetime | None = None  # the closing moment when left empty


def record_reply(
    session: Session, actor: Actor, incident: Incident, form: ReplyForm, *, at: datetime
) -> IncidentReply:
    """Record the reply of *incident*'s closing (called inside the closing's transaction)."""
    require(actor, Action.CLOSE_INCIDENT)
    if incident.status is not IncidentStatus.CLOSED:
        raise ValidationError("只有办结的事件才能记录办结回复。")
    if actor.user_id is None:
        raise ValidationError("办结回复必须由登录用户记录。")
    if form.channel is None:
        raise ValidationError("请选择回复方式。", "reply_channel")
    if form.outcome is None:
        raise ValidationError("请选择办理结果。", "reply_outcome")
    text = records.text(form.text, "reply_text", "回复内容", required=True, limit=TEXT_LIMIT)
    left = _PLACEHOLDER.findall(text)
    if left:
        raise ValidationError(
            f"回复内容中还有未替换的 {'、'.join('{' + p + '}' for p in left)}，请改成实际内容。",
            "reply_text",
        )
    moment = form.replied_at or at
    if moment > timeutil.now() + _SLACK:
        raise ValidationError("回复时间不能晚于当前时间。", "reply_at")
    if moment < incident.received_at:
        raise ValidationError("回复时间不能早于受理时间。", "reply_at")
    if form.template_id is not None and session.get(ReplyTemplate, form.template_id) is None:
        raise ValidationError("所选回复模板已不存在，请重新选择。", "reply_template")
    reply = IncidentReply(
        incident_id=incident.id,
        channel=form.channel,
        outcome=form.outcome,
        text=text,
        replied_at=moment,
        replied_by_id=actor.user_id,
        template_id=form.template_id,
    )
    session.add(reply)
    session.flush()
    workflow.record(
        session,
        actor,
        incident,
        IncidentEventKind.NOTE,
        f"办结回复（{form.channel.label}，{form.outcome.label}）：{text}",
        at=moment,
    )
    return reply


_SLACK = timedelta(minutes=5)  # as every other entered time: a clock a little ahead


def close_with_reply(
    session: Session,
    actor: Actor,
    incident_id: int,
    *,
    satisfaction: int | None,
    callback_note: str = "",
    note: str = "",
    reply: ReplyForm | None = None,
    expected_version: int | None = None,
) -> None:
    """办结 and its 办结回复 in one transaction; a work order must have its reply."""
    progress.close(
        session,
        actor,
        incident_id,
        satisfaction=satisfaction,
        callback_note=callback_note,
        note=note,
        expected_version=expected_version,
    )
    incident = records.get(session, Incident, incident_id, "该事件")
    if reply is None or not (reply.text or "").strip():
        if is_work_order(incident):
            raise ValidationError(
                f"事件 {incident.number} 来自{incident.channel.label}工单"
                f"（{incident.channel_ref}），办结时须填写办结回复。",
                "reply_text",
            )
        return
    assert incident.closed_at is not None
    record_reply(session, actor, incident, reply, at=incident.closed_at)


# --- reading it -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyView:
    incident_id: int
    incident_number: str
    channel_ref: str
    source: str
    title: str
    reporter: str
    channel: str
    outcome: str
    text: str
    replied_at: datetime
    replied_by: str
    received_at: datetime
    closed_at: datetime | None
    satisfaction: int | None
    lead_unit: str
    centre_name: str


def latest(session: Session, actor: Actor, incident_id: int) -> ReplyView | None:
    """The reply of the incident's last closing, or None (never replied, or reopened since)."""
    require(actor, Action.VIEW)
    incident = records.get(session, Incident, incident_id, "该事件")
    return _view(session, actor, incident)


def _view(session: Session, actor: Actor, incident: Incident) -> ReplyView | None:
    if incident.status is not IncidentStatus.CLOSED:
        return None
    reply = session.scalar(
        select(IncidentReply)
        .where(IncidentReply.incident_id == incident.id)
        .order_by(IncidentReply.replied_at.desc(), IncidentReply.id.desc())
        .limit(1)
    )
    if reply is None:
        return None
    full = allowed(actor, Action.VIEW_PERSONAL_DATA)
    name = incident.reporter_name if full else masking.mask_name(incident.reporter_name)
    phone = incident.reporter_phone if full else masking.mask_phone(incident.reporter_phone)
    return ReplyView(
        incident_id=incident.id,
        incident_number=incident.number,
        channel_ref=incident.channel_ref or "",
        source=incident.channel.label,
        title=incident.title,
        reporter=" ".join(x for x in (name or "", phone or "") if x),
        channel=reply.channel.label,
        outcome=reply.outcome.label,
        text=reply.text,
        replied_at=reply.replied_at,
        replied_by=reply.replied_by.display_name,
        received_at=incident.received_at,
        closed_at=incident.closed_at,
        satisfaction=incident.satisfaction,
        lead_unit=incident.lead_unit.name if incident.lead_unit else "",
        centre_name=settings.load(session).centre_name,
    )


def for_paper(session: Session, actor: Actor, incident_id: int) -> ReplyView:
    """The 办结回复单's content; refused where nothing was replied."""
    require(actor, Action.PRINT_DOCUMENT)
    view = latest(session, actor, incident_id)
    if view is None:
        raise ValidationError("该事件尚未记录办结回复，没有办结回复单可打印。")
    return view


def for_export(
    session: Session, actor: Actor, source: Channel, first: datetime, last: datetime
) -> list[ReplyView]:
    """Replies of *source*'s work orders closed in [first, last), in closing order."""
    require(actor, Action.VIEW)
    incidents = session.scalars(
        select(Incident)
        .where(
            Incident.channel == source,
            Incident.channel_ref.is_not(None),
            Incident.status == IncidentStatus.CLOSED,
            Incident.closed_at >= first,
            Incident.closed_at < last,
        )
        .order_by(Incident.closed_at, Incident.id)
    )
    views = [_view(session, actor, i) for i in incidents]
    return [v for v in views if v is not None]


def incident_numbered(session: Session, number: str) -> int | None:
    """The incident of a number, or of a source's work-order number, for the 办结回复单."""
    text = number.strip()
    found = session.scalar(select(Incident.id).where(Incident.number == text))
    if found is None:
        found = session.scalar(
            select(Incident.id)
            .where(Incident.channel_ref == text)
            .order_by(Incident.id.desc())
            .limit(1)
        )
    return found


def newest_replied(session: Session) -> int | None:
    """The incident of the latest reply still standing (its incident closed), for samples."""
    return session.scalar(
        select(IncidentReply.incident_id)
        .join(Incident, Incident.id == IncidentReply.incident_id)
        .where(Incident.status == IncidentStatus.CLOSED)
        .order_by(IncidentReply.replied_at.desc(), IncidentReply.id.desc())
        .limit(1)
    )
