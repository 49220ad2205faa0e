"""A supervision paper or a 约谈 as its record window shows it: facts in words, and what can
be done next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import Interview, InterviewState, Supervision
from commandcenter.services import records
from commandcenter.services.actor import Actor
from commandcenter.services.followups import interviews, supervision
from commandcenter.services.permissions import Action, require


@dataclass(frozen=True)
class FollowUpView:
    id: int
    title: str  # 工作提示单 梅执示〔2026〕1号
    state: str
    overdue: bool
    lines: tuple[tuple[str, str], ...]
    can_answer: bool  # a reply (or for a 约谈, what was said) may be recorded
    can_close: bool
    incident_id: int | None
    defaults: dict[str, object]  # what the answer form opens with


def _day(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return timeutil.chinese_date(value)
    return timeutil.chinese_date(timeutil.local_date(value))  # type: ignore[arg-type]


def supervision_view(session: Session, actor: Actor, supervision_id: int) -> FollowUpView:
    require(actor, Action.VIEW)
    entry = records.get(session, Supervision, supervision_id, "该督办文书")
    state = supervision.state_of(entry, timeutil.now())
    attachment = entry.reply_attachment_name or ""
    if entry.reply_attachment:
        attachment += "（已复制存档）"
    lines = [
        ("督办对象", entry.unit.name),
        ("所涉事件", entry.incident.number if entry.incident else "（单位整体工作）"),
        ("签发", f"{timeutil.format_local(entry.issued_at)} {entry.issued_by.display_name}"),
        ("督办内容", entry.content),
        ("回复期限", _day(entry.reply_due_on)),
        ("回复日期", _day(entry.replied_at)),
        ("回复内容", entry.reply_summary or ""),
        ("回复附件", attachment),
        ("办结", f"{_day(entry.closed_at)} {entry.close_note or ''}".strip()),
    ]
    return FollowUpView(
        id=entry.id,
        title=f"{entry.kind.label} {entry.doc_number}",
        state=state.label,
        overdue=state.value == "overdue",
        lines=tuple((k, v) for k, v in lines if v),
        can_answer=entry.closed_at is None,
        can_close=entry.closed_at is None and entry.replied_at is not None,
        incident_id=entry.incident_id,
        defaults={
            "replied_on": timeutil.local_date(entry.replied_at) if entry.replied_at else None,
            "summary": entry.reply_summary or "",
            "attachment": entry.reply_attachment_name or "",
        },
    )


def interview_view(session: Session, actor: Actor, interview_id: int) -> FollowUpView:
    require(actor, Action.VIEW)
    entry: Interview = records.get(session, Interview, interview_id, "该约谈记录")
    state = interviews.state_of(entry, timeutil.local_date(timeutil.now()))
    person = entry.person_name + (f"（{entry.person_title}）" if entry.person_title else "")
    lines = [
        ("被约谈单位", entry.unit.name),
        ("被约谈人", person),
        ("约谈人", entry.conducted_by),
        ("约谈时间", timeutil.format_local(entry.scheduled_at)),
        ("约谈地点", entry.place or ""),
        ("所涉事件", entry.incident.number if entry.incident else ""),
        ("约谈事由", entry.reason),
        ("约谈日期", _day(entry.held_at)),
        ("整改承诺", entry.commitments or ""),
        ("跟进核查日", _day(entry.follow_up_on)),
        ("办结", f"{_day(entry.closed_at)} {entry.close_note or ''}".strip()),
    ]
    return FollowUpView(
        id=entry.id,
        title=f"约谈 {entry.doc_number}",
        state=state.label,
        overdue=state is InterviewState.FOLLOW_UP_DUE,
        lines=tuple((k, v) for k, v in lines if v),
        can_answer=entry.closed_at is None,
        can_close=entry.closed_at is None and entry.held_at is not None,
        incident_id=entry.incident_id,
        defaults={
            "held_on": timeutil.local_date(entry.held_at) if entry.held_at else None,
            "commitments": entry.commitments or "",
            "follow_up_on": entry.follow_up_on,
        },
    )
