"""Meetings (联席会议, 例会) and their agreed items, followed up until done (domain.md §5).

Every change to an agreed item's state is also written as a progress report, so the minutes of a
later meeting can say how each earlier item stood on that day, not merely how it stands now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from commandcenter import timeutil
from commandcenter.db.models import (
    AgreedItem,
    AgreedItemReport,
    AgreedItemStatus,
    Meeting,
    MeetingKind,
    Unit,
    User,
)
from commandcenter.errors import NotFound, UserError, ValidationError
from commandcenter.services import audit, meeting_attendees, records
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

# A report starting with one of these marks the item's state from that moment on.
DONE_MARK = "【已完成】"
DROPPED_MARK = "【已撤销】"
REOPENED_MARK = "【重新推进】"


@dataclass
class MeetingForm:
    kind: MeetingKind | None = None
    title: str = ""
    held_at: datetime | None = None
    place: str = ""
    chair: str = ""
    attendees: str = ""
    minutes: str = ""
    # Chosen from the roster (person ids) and the liaison directory (liaison ids negated);
    # their names join the typed ones (services/meeting_attendees).
    attendee_ids: list[int] = field(default_factory=list)


@dataclass
class ItemForm:
    task: str = ""
    deadline: date | None = None
    standard: str = ""
    unit_id: int | None = None
    responsible_person: str = ""


def _require_user(actor: Actor) -> int:
    if actor.user_id is None:
        raise ValidationError("请以本人账号登录后再记录会议。")
    return actor.user_id


def _long_text(value: str | None, field: str, label: str, limit: int) -> str:
    cleaned = (value or "").strip()
    if len(cleaned) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 个字。", field)
    return cleaned


def save_meeting(
    session: Session,
    actor: Actor,
    form: MeetingForm,
    meeting_id: int | None = None,
    *,
    version: int | None = None,
) -> Meeting:
    require(actor, Action.EDIT_MEETING)
    if form.kind is None:
        raise ValidationError("请选择会议类型。", "kind")
    title = records.text(form.title, "title", "会议名称", required=True, limit=200)
    if form.held_at is None:
        raise ValidationError("请填写会议时间。", "held_at")
    if form.held_at > timeutil.now() + timedelta(days=1):
        raise ValidationError("会议时间不能晚于明天：纪要记录已召开的会议。", "held_at")
    values = {
        "kind": form.kind,
        "title": title,
        "held_at": form.held_at,
        "place": records.text(form.place, "place", "会议地点", limit=100) or None,
        "chair": records.text(form.chair, "chair", "主持人", limit=50) or None,
        "attendees": _long_text(
            meeting_attendees.merged(
                form.attendees, meeting_attendees.names_of(session, form.attendee_ids)
            ),
            "attendees",
            "参会单位和人员",
            2000,
        ),
        "minutes": _long_text(form.minutes, "minutes", "会议内容", 20000),
    }
    if meeting_id is None:
        meeting = Meeting(**values, recorded_by_id=_require_user(actor))
        session.add(meeting)
        session.flush()
        verb, changes = "记录会议", records.snapshot(values)
    else:
        meeting = records.get(session, Meeting, meeting_id, "该会议")
        records.check_version(meeting, version, "该会议纪要")
        verb, changes = "修改会议纪要", records.apply(meeting, values)
        if not changes:
            return meeting
    audit.record(
        session,
        actor,
        verb,
        f"{verb}：{timeutil.format_local(meeting.held_at, with_time=False)} {meeting.title}",
        entity_type="meeting",
        entity_id=meeting.id,
        changes=changes,
    )
    return meeting


def save_item(
    session: Session,
    actor: Actor,
    meeting_id: int,
    form: ItemForm,
    item_id: int | None = None,
    *,
    version: int | None = None,
) -> AgreedItem:
    """Add an agreed item to a meeting, or correct one."""
    require(actor, Action.EDIT_MEETING)
    meeting = records.get(session, Meeting, meeting_id, "该会议")
    task = _long_text(form.task, "task", "议定事项", 1000)
    if not task:
        raise ValidationError("请填写议定事项的工作任务。", "task")
    if form.deadline is None:
        raise ValidationError("请填写完成时限。", "deadline")
    if form.deadline < timeutil.local_date(meeting.held_at):
        raise ValidationError("完成时限不能早于会议日期。", "deadline")
    if form.unit_id is None:
        raise ValidationError("请选择责任单位。", "unit_id")
    unit = records.get(session, Unit, form.unit_id, "所选责任单位")
    person = records.text(
        form.responsible_person, "responsible_person", "责任人", required=True, limit=50
    )
    values = {
        "task": task,
        "deadline": form.deadline,
        "standard": _long_text(form.standard, "standard", "工作标准", 1000) or None,
        "unit_id": unit.id,
        "responsible_person": person,
    }
    if item_id is None:
        item = AgreedItem(meeting_id=meeting.id, status=AgreedItemStatus.OPEN, **values)
        session.add(item)
        session.flush()
        verb, changes = "新增议定事项", records.snapshot(values)
    else:
        item = _item(session, item_id)
        if item.meeting_id != meeting.id:
            raise ValidationError("该议定事项不属于这次会议。")
        records.check_version(item, version, "该议定事项")
        verb, changes = "修改议定事项", records.apply(item, values)
        if not changes:
            return item
    audit.record(
        session,
        actor,
        verb,
        f"{verb}：{task[:40]}（{unit.short_name}，{form.deadline.isoformat()} 前）",
        entity_type="agreed_item",
        entity_id=item.id,
        changes=changes,
    )
    return item


def _item(session: Session, item_id: int) -> AgreedItem:
    return records.get(session, AgreedItem, item_id, "该议定事项")


def _report(
    session: Session, actor: Actor, item: AgreedItem, text: str, at: datetime | None
) -> AgreedItemReport:
    moment = at or timeutil.now()
    if moment > timeutil.now() + timedelta(minutes=5):
        raise ValidationError("报告时间不能晚于现在。", "reported_at")
    if moment < item.meeting.held_at:
        raise ValidationError("报告时间不能早于议定该事项的会议。", "reported_at")
    report = AgreedItemReport(
        item_id=item.id, reported_at=moment, text=text, recorded_by_id=_require_user(actor)
    )
    session.add(report)
    return report


def report_progress(
    session: Session, actor: Actor, item_id: int, text: str, at: datetime | None = None
) -> AgreedItemReport:
    """Progress reported back by the responsible unit, read out at the next meeting."""
    require(actor, Action.EDIT_MEETING)
    item = _item(session, item_id)
    if item.status is not AgreedItemStatus.OPEN:
        raise ValidationError(f"该事项{item.status.label}，不再报告进展；如需继续请先重新推进。")
    body = _long_text(text, "text", "进展情况", 2000)
    if not body:
        raise ValidationError("请填写进展情况。", "text")
    report = _report(session, actor, item, body, at)
    item.progress = body
    audit.record(
        session,
        actor,
        "报告议定事项进展",
        f"报告议定事项进展：{item.task[:40]}",
        entity_type="agreed_item",
        entity_id=item.id,
        changes={"progress": body},
    )
    return report


def _open_for_change(
    session: Session, actor: Actor, item_id: int, version: int | None, *, want_open: bool = True
) -> AgreedItem:
    require(actor, Action.EDIT_MEETING)
    item = _item(session, item_id)
    records.check_version(item, version, "该议定事项")
    if want_open and item.status is not AgreedItemStatus.OPEN:
        raise ValidationError(f"该事项{item.status.label}。")
    if not want_open and item.status is AgreedItemStatus.OPEN:
        raise ValidationError("该事项正在推进中。")
    return item


def _move(
    session: Session,
    actor: Actor,
    item: AgreedItem,
    to: AgreedItemStatus,
    mark: str,
    text: str,
    at: datetime | None,
    verb: str,
    summary: str,
) -> AgreedItem:
    """Change the item's state, with its dated, marked report and the audit record."""
    old = item.status
    _report(session, actor, item, f"{mark}{text}", at)
    item.status = to
    item.progress = text or to.label
    audit.record(
        session,
        actor,
        verb,
        f"{verb}：{item.task[:40]}{summary}",
        entity_type="agreed_item",
        entity_id=item.id,
        changes={"status": [old.label, to.label]},
    )
    return item


def _reason(value: str, label: str, hint: str) -> str:
    body = _long_text(value, "reason", label, 500)
    if not body:
        raise ValidationError(hint, "reason")
    return body


def complete_item(
    session: Session,
    actor: Actor,
    item_id: int,
    done_on: date,
    note: str = "",
    *,
    version: int | None = None,
    at: datetime | None = None,
) -> AgreedItem:
    item = _open_for_change(session, actor, item_id, version)
    if done_on < timeutil.local_date(item.meeting.held_at):
        raise ValidationError("完成日期不能早于会议日期。", "done_on")
    if done_on > timeutil.today():
        raise ValidationError("完成日期不能晚于今天。", "done_on")
    body = _long_text(note, "note", "完成情况", 2000)
    item.done_on = done_on
    late = "，超期完成" if done_on > item.deadline else ""
    summary = f"（{done_on.isoformat()}{late}）"
    return _move(
        session, actor, item, AgreedItemStatus.DONE, DONE_MARK, body, at, "议定事项完成", summary
    )


def drop_item(
    session: Session,
    actor: Actor,
    item_id: int,
    reason: str,
    *,
    version: int | None = None,
    at: datetime | None = None,
) -> AgreedItem:
    """Withdraw an item the meeting no longer pursues; the reason is kept and printed."""
    item = _open_for_change(session, actor, item_id, version)
    body = _reason(reason, "撤销理由", "请填写撤销理由（如经哪次会议研究撤销）。")
    dropped = AgreedItemStatus.DROPPED
    return _move(
        session, actor, item, dropped, DROPPED_MARK, body, at, "撤销议定事项", f"，理由：{body}"
    )


def reopen_item(
    session: Session, actor: Actor, item_id: int, reason: str, *, version: int | None = None
) -> AgreedItem:
    """Back to 推进中, when an item marked done turns out not to be (a check found it undone)."""
    item = _open_for_change(session, actor, item_id, version, want_open=False)
    body = _reason(reason, "理由", "请填写重新推进的理由。")
    item.done_on = None
    reopened = AgreedItemStatus.OPEN
    return _move(
        session,
        actor,
        item,
        reopened,
        REOPENED_MARK,
        body,
        None,
        "重新推进议定事项",
        f"，理由：{body}",
    )


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportLine:
    at: datetime
    text: str
    by: str


@dataclass(frozen=True)
class ItemLine:
    id: int
    version: int
    meeting_id: int
    meeting_title: str
    held_on: date
    task: str
    deadline: date
    standard: str
    unit_id: int
    unit: str
    responsible_person: str
    status: AgreedItemStatus
    done_on: date | None
    progress: str
    reports: tuple[ReportLine, ...] = ()

    def overdue_on(self, day: date) -> bool:
        """Past its deadline on *day* and not done by then."""
        if self.status is AgreedItemStatus.DROPPED:
            return False
        finished = self.done_on if self.status is AgreedItemStatus.DONE else None
        return self.deadline < day and (finished is None or finished > self.deadline)

    @property
    def state_text(self) -> str:
        if self.status is AgreedItemStatus.DONE and self.done_on is not None:
            late = "，超期" if self.done_on > self.deadline else ""
            return f"已完成（{self.done_on.month}月{self.done_on.day}日{late}）"
        return self.status.label


@dataclass(frozen=True)
class MeetingDetail:
    id: int
    version: int
    kind: MeetingKind
    title: str
    held_at: datetime
    place: str
    chair: str
    attendees: str
    minutes: str
    recorded_by: str
    items: tuple[ItemLine, ...]
    # Items of earlier meetings as they stood on this meeting's day, for 上次议定事项落实情况.
    carried: tuple[ItemLine, ...]


def _state_at(item: AgreedItem, until: datetime) -> tuple[AgreedItemStatus, str]:
    """The item's state and last progress at *until*, read from its dated reports."""
    status, progress = AgreedItemStatus.OPEN, ""
    for r in item.reports:
        if r.reported_at > until:
            break
        for mark, state in _MARKS.items():
            if r.text.startswith(mark):
                status, progress = state, r.text.removeprefix(mark)
                break
        else:
            progress = r.text
    return status, progress


_MARKS = {
    DONE_MARK: AgreedItemStatus.DONE,
    DROPPED_MARK: AgreedItemStatus.DROPPED,
    REOPENED_MARK: AgreedItemStatus.OPEN,
}


def _line(item: AgreedItem, names: dict[int, str], until: datetime | None = None) -> ItemLine:
    """The item now, or as it stood at *until* (for the minutes of a past meeting)."""
    if until is None:
        status, done_on, progress = item.status, item.done_on, item.progress or ""
        reports = list(item.reports)
    else:
        status, progress = _state_at(item, until)
        done_on = item.done_on if status is AgreedItemStatus.DONE else None
        reports = [r for r in item.reports if r.reported_at <= until]
    if status is AgreedItemStatus.DONE and not progress:
        progress = "已完成"
    return ItemLine(
        id=item.id,
        version=item.version,
        meeting_id=item.meeting_id,
        meeting_title=item.meeting.title,
        held_on=timeutil.local_date(item.meeting.held_at),
        task=item.task,
        deadline=item.deadline,
        standard=item.standard or "",
        unit_id=item.unit_id,
        unit=item.unit.short_name,
        responsible_person=item.responsible_person,
        status=status,
        done_on=done_on,
        progress=progress,
        reports=tuple(
            ReportLine(r.reported_at, r.text, names.get(r.recorded_by_id, "")) for r in reports
        ),
    )


def _names(session: Session) -> dict[int, str]:
    return {uid: name for uid, name in session.execute(select(User.id, User.display_name)).all()}


def _items_query() -> Select[Any]:
    return select(AgreedItem).options(
        selectinload(AgreedItem.reports),
        selectinload(AgreedItem.meeting),
        selectinload(AgreedItem.unit),
    )


def carried_items(session: Session, meeting: Meeting) -> list[AgreedItem]:
    """Items agreed before *meeting* to read out at it: those not yet finished when the
    previous meeting was held, and those whose state changed since.

    An item finished between two meetings is read out once more as done at the second.
    """
    previous = session.scalar(
        select(func.max(Meeting.held_at)).where(Meeting.held_at < meeting.held_at)
    )
    if previous is None:
        return []
    # Open now, or touched since the previous meeting: the rest finished before it for good.
    moved = select(AgreedItemReport.item_id).where(AgreedItemReport.reported_at >= previous)
    stmt = (
        _items_query()
        .join(Meeting, AgreedItem.meeting_id == Meeting.id)
        .where(
            Meeting.held_at < meeting.held_at,
            or_(AgreedItem.status == AgreedItemStatus.OPEN, AgreedItem.id.in_(moved)),
        )
        .order_by(Meeting.held_at, AgreedItem.id)
    )
    carried = []
    for item in session.scalars(stmt):
        finished_before = _state_at(item, previous)[0] is not AgreedItemStatus.OPEN
        changed_since = any(previous <= r.reported_at <= meeting.held_at for r in item.reports)
        if not finished_before or changed_since:
            carried.append(item)
    return carried


def meeting_detail(session: Session, actor: Actor, meeting_id: int) -> MeetingDetail:
    require(actor, Action.VIEW)
    meeting = records.get(session, Meeting, meeting_id, "该会议")
    names = _names(session)
    items = session.scalars(
        _items_query().where(AgreedItem.meeting_id == meeting.id).order_by(AgreedItem.id)
    ).all()
    carried = carried_items(session, meeting)
    return MeetingDetail(
        id=meeting.id,
        version=meeting.version,
        kind=meeting.kind,
        title=meeting.title,
        held_at=meeting.held_at,
        place=meeting.place or "",
        chair=meeting.chair or "",
        attendees=meeting.attendees,
        minutes=meeting.minutes,
        recorded_by=names.get(meeting.recorded_by_id, ""),
        items=tuple(_line(i, names) for i in items),
        carried=tuple(_line(i, names, until=meeting.held_at) for i in carried),
    )


def detail_for_minutes(session: Session, actor: Actor, meeting_id: int) -> MeetingDetail:
    """The meeting as its printed minutes show it."""
    require(actor, Action.PRINT_DOCUMENT)
    return meeting_detail(session, actor, meeting_id)


def find_meeting(session: Session, text: str | None) -> int:
    """The meeting held on a date (YYYY-MM-DD), or the latest one when *text* is empty."""
    stmt = select(Meeting.id, Meeting.title).order_by(Meeting.held_at.desc(), Meeting.id.desc())
    if text:
        try:
            day = date.fromisoformat(text.strip())
        except ValueError:
            raise UserError(f"“{text}”不是日期。请按 2026-11-13 的格式给出会议日期。") from None
        stmt = stmt.where(
            Meeting.held_at >= timeutil.start_of_local_day(day),
            Meeting.held_at < timeutil.end_of_local_day(day),
        )
    found = session.execute(stmt).all()
    if not found:
        raise NotFound(f"{text} 没有会议记录。" if text else "还没有会议记录。")
    if text and len(found) > 1:
        names = "、".join(title for _, title in found)
        raise UserError(f"{text} 有 {len(found)} 次会议（{names}），请在会商例会页面选中后打印。")
    return int(found[0][0])


def item_line(session: Session, actor: Actor, item_id: int) -> ItemLine:
    require(actor, Action.VIEW)
    return _line(_item(session, item_id), _names(session))


def overdue_items(session: Session, actor: Actor, today: date | None = None) -> list[ItemLine]:
    """Open items past their deadline, the most overdue first (for 工作台 and the packs)."""
    require(actor, Action.VIEW)
    day = today or timeutil.today()
    stmt = (
        _items_query()
        .where(AgreedItem.status == AgreedItemStatus.OPEN, AgreedItem.deadline < day)
        .order_by(AgreedItem.deadline, AgreedItem.id)
    )
    names = _names(session)
    return [_line(i, names) for i in session.scalars(stmt)]


def open_items_due(session: Session, actor: Actor, first: date, last: date) -> list[ItemLine]:
    """Open items whose deadline falls between *first* and *last*, inclusive."""
    require(actor, Action.VIEW)
    stmt = (
        _items_query()
        .where(
            AgreedItem.status == AgreedItemStatus.OPEN,
            AgreedItem.deadline >= first,
            AgreedItem.deadline <= last,
        )
        .order_by(AgreedItem.deadline, AgreedItem.id)
    )
    names = _names(session)
    return [_line(i, names) for i in session.scalars(stmt)]
