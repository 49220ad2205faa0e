"""The follow-ups as lists: supervision papers, 约谈, transfers, decisions on referrals.

Each list's 状态 is worked out in SQL from the stored moments, so it filters and counts there;
rows past their reply-by, receipt or check day are marked overdue.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, select
from sqlalchemy.orm import aliased

from commandcenter import timeutil
from commandcenter.db.models import (
    EscalationDecision,
    FollowUpState,
    Incident,
    Interview,
    InterviewState,
    Labelled,
    Supervision,
    SupervisionKind,
    Transfer,
    TransferResult,
    TransferState,
    Unit,
    UnitKind,
)
from commandcenter.services.listing import (
    Condition,
    FilterOption,
    ListColumn,
    ListContext,
    ListFilter,
    Listing,
    enum_filter,
    unit_options,
)

_ADDRESSEES = (UnitKind.SQUAD, UnitKind.AGENCY, UnitKind.DEPARTMENT, UnitKind.COMMUNITY)


def day_text(value: Any) -> str:
    """A moment or a day as its (Beijing) day."""
    if isinstance(value, datetime):
        return timeutil.format_local(value, with_time=False)
    return value.isoformat() if isinstance(value, date) else ""


def _state_filter(key: str, label: str, expr: Any, states: type[Labelled]) -> ListFilter:
    """A choice among the states *expr* works out in SQL, counted by one GROUP BY on it."""

    def state_is(value: str) -> Condition:
        def condition(ctx: ListContext) -> ColumnElement[bool]:
            result: ColumnElement[bool] = expr(ctx) == value
            return result

        return condition

    def options(session: Any) -> list[FilterOption]:
        return [FilterOption(s.label, state_is(s.value), s.value) for s in states]

    return ListFilter(key, label, options, group=expr)


# --- supervision papers -------------------------------------------------------------------


def supervision_state(ctx: ListContext) -> Any:
    return case(
        (Supervision.closed_at.is_not(None), FollowUpState.CLOSED.value),
        (Supervision.replied_at.is_not(None), FollowUpState.ANSWERED.value),
        (Supervision.reply_due_on < ctx.now, FollowUpState.OVERDUE.value),
        else_=FollowUpState.AWAITING.value,
    )


def _supervision_row_state(extra: Sequence[Any], ctx: ListContext) -> FollowUpState:
    closed, replied, due = extra
    if closed is not None:
        return FollowUpState.CLOSED
    if replied is not None:
        return FollowUpState.ANSWERED
    return FollowUpState.OVERDUE if due is not None and due < ctx.now else FollowUpState.AWAITING


def _supervision_state_cell(extra: Sequence[Any], ctx: ListContext) -> str:
    return _supervision_row_state(extra, ctx).label


def _supervision_flag(extra: Sequence[Any], ctx: ListContext) -> str | None:
    state = _supervision_row_state(extra, ctx)
    if state is FollowUpState.OVERDUE:
        return "overdue"
    return "inactive" if state is FollowUpState.CLOSED else None


_sv_unit = aliased(Unit, name="sv_unit")
_sv_incident = aliased(Incident, name="sv_incident")


def _supervision_source() -> Select[Any]:
    return (
        select()
        .select_from(Supervision)
        .join(_sv_unit, Supervision.unit_id == _sv_unit.id)
        .outerjoin(_sv_incident, Supervision.incident_id == _sv_incident.id)
    )


def _supervision_listing(key: str, title: str, where: Any = None) -> Listing:
    return Listing(
        key=key,
        title=title,
        id_expr=Supervision.id,
        columns=(
            ListColumn("文书编号", Supervision.doc_number, 150),
            ListColumn("类别", Supervision.kind, 80),
            ListColumn("督办对象", _sv_unit.short_name, 110),
            ListColumn("所涉事件", _sv_incident.number, 100),
            ListColumn("签发时间", Supervision.issued_at, 130),
            ListColumn("回复期限", Supervision.reply_due_on, 90, fmt=day_text),
            ListColumn("回复日期", Supervision.replied_at, 90, fmt=day_text),
            ListColumn("状态", Supervision.replied_at, 90, derive=_supervision_state_cell),
            ListColumn("督办内容", Supervision.content, 260),
        ),
        source=_supervision_source,
        search=(Supervision.doc_number, Supervision.content, _sv_unit.short_name),
        default_sort=5 if where is not None else 4,
        default_descending=where is None,
        where=where,
        extras=(Supervision.closed_at, Supervision.replied_at, Supervision.reply_due_on),
        flagger=_supervision_flag,
        filters=(
            _state_filter("state", "状态", supervision_state, FollowUpState),
            enum_filter("kind", "类别", Supervision.kind, SupervisionKind),
            ListFilter(
                "unit",
                "督办对象",
                unit_options(Supervision.unit_id, _ADDRESSEES),
                group=lambda ctx: Supervision.unit_id,
            ),
        ),
    )


# --- 约谈 -----------------------------------------------------------------------------------


def interview_state(ctx: ListContext) -> Any:
    return case(
        (Interview.closed_at.is_not(None), InterviewState.CLOSED.value),
        (Interview.held_at.is_(None), InterviewState.SCHEDULED.value),
        (Interview.follow_up_on < ctx.today, InterviewState.FOLLOW_UP_DUE.value),
        else_=InterviewState.HELD.value,
    )


def _interview_row_state(extra: Sequence[Any], ctx: ListContext) -> InterviewState:
    closed, held, follow_up = extra
    if closed is not None:
        return InterviewState.CLOSED
    if held is None:
        return InterviewState.SCHEDULED
    if follow_up is not None and follow_up < ctx.today:
        return InterviewState.FOLLOW_UP_DUE
    return InterviewState.HELD


def _interview_state_cell(extra: Sequence[Any], ctx: ListContext) -> str:
    return _interview_row_state(extra, ctx).label


def _interview_flag(extra: Sequence[Any], ctx: ListContext) -> str | None:
    state = _interview_row_state(extra, ctx)
    if state is InterviewState.FOLLOW_UP_DUE:
        return "overdue"
    return "inactive" if state is InterviewState.CLOSED else None


_iv_unit = aliased(Unit, name="iv_unit")


def _interview_listing(key: str, title: str, where: Any = None) -> Listing:
    return Listing(
        key=key,
        title=title,
        id_expr=Interview.id,
        columns=(
            ListColumn("提醒书编号", Interview.doc_number, 150),
            ListColumn("被约谈单位", _iv_unit.short_name, 110),
            ListColumn("被约谈人", Interview.person_name, 80),
            ListColumn("约谈人", Interview.conducted_by, 120),
            ListColumn("约谈时间", Interview.scheduled_at, 130),
            ListColumn("跟进核查日", Interview.follow_up_on, 90, fmt=day_text),
            ListColumn("状态", Interview.held_at, 100, derive=_interview_state_cell),
            ListColumn("约谈事由", Interview.reason, 260),
        ),
        source=lambda: (
            select().select_from(Interview).join(_iv_unit, Interview.unit_id == _iv_unit.id)
        ),
        search=(Interview.doc_number, Interview.person_name, Interview.reason, _iv_unit.short_name),
        default_sort=4,
        default_descending=where is None,
        where=where,
        extras=(Interview.closed_at, Interview.held_at, Interview.follow_up_on),
        flagger=_interview_flag,
        filters=(
            _state_filter("state", "状态", interview_state, InterviewState),
            ListFilter(
                "unit",
                "被约谈单位",
                unit_options(Interview.unit_id, _ADDRESSEES),
                group=lambda ctx: Interview.unit_id,
            ),
        ),
    )


# --- transfers ------------------------------------------------------------------------------


def transfer_state(ctx: ListContext) -> Any:
    return case(
        (Transfer.result.is_not(None), TransferState.ANSWERED.value),
        (Transfer.receipt_at.is_not(None), TransferState.RECEIVED.value),
        (Transfer.receipt_due_at < ctx.now, TransferState.LATE.value),
        else_=TransferState.WAITING.value,
    )


def _transfer_row_state(extra: Sequence[Any], ctx: ListContext) -> TransferState:
    result, receipt, due = extra
    if result is not None:
        return TransferState.ANSWERED
    if receipt is not None:
        return TransferState.RECEIVED
    return TransferState.LATE if due is not None and due < ctx.now else TransferState.WAITING


def _transfer_state_cell(extra: Sequence[Any], ctx: ListContext) -> str:
    return _transfer_row_state(extra, ctx).label


def _transfer_flag(extra: Sequence[Any], ctx: ListContext) -> str | None:
    state = _transfer_row_state(extra, ctx)
    if state == TransferState.LATE:
        return "overdue"
    return "inactive" if state == TransferState.ANSWERED else None


_tr_unit = aliased(Unit, name="tr_unit")
_tr_incident = aliased(Incident, name="tr_incident")


def _transfer_listing(key: str, title: str, where: Any = None) -> Listing:
    """Rows open the incident: its receipt and result are recorded there."""
    return Listing(
        key=key,
        title=title,
        id_expr=Transfer.incident_id,
        columns=(
            ListColumn("移送函号", Transfer.doc_number, 150),
            ListColumn("事件编号", _tr_incident.number, 100),
            ListColumn("事件", _tr_incident.title, 200),
            ListColumn("接收部门", _tr_unit.short_name, 110),
            ListColumn("移送时间", Transfer.sent_at, 130),
            ListColumn("回执期限", Transfer.receipt_due_at, 90, fmt=day_text),
            ListColumn("回执时间", Transfer.receipt_at, 130),
            ListColumn("处理结果", Transfer.result, 90),
            ListColumn("状态", Transfer.receipt_at, 90, derive=_transfer_state_cell),
        ),
        source=lambda: (
            select()
            .select_from(Transfer)
            .join(_tr_unit, Transfer.department_id == _tr_unit.id)
            .join(_tr_incident, Transfer.incident_id == _tr_incident.id)
        ),
        search=(Transfer.doc_number, _tr_incident.number, _tr_incident.title, _tr_unit.name),
        default_sort=5 if where is not None else 4,
        default_descending=where is None,
        where=where,
        extras=(Transfer.result, Transfer.receipt_at, Transfer.receipt_due_at),
        flagger=_transfer_flag,
        filters=(
            _state_filter("state", "状态", transfer_state, TransferState),
            enum_filter("result", "处理结果", Transfer.result, TransferResult),
        ),
    )


# --- decisions on referrals -----------------------------------------------------------------

_es_unit = aliased(Unit, name="es_unit")
_es_incident = aliased(Incident, name="es_incident")

ESCALATION_DECISIONS = Listing(
    key="escalation_decisions",
    title="上报决定",
    id_expr=EscalationDecision.incident_id,
    columns=(
        ListColumn("事件编号", _es_incident.number, 100),
        ListColumn("事件", _es_incident.title, 200),
        ListColumn("上报时间", EscalationDecision.referred_at, 130),
        ListColumn("决定机关", EscalationDecision.authority, 110),
        ListColumn("决定日期", EscalationDecision.decided_on, 90, fmt=day_text),
        ListColumn("责任单位", _es_unit.short_name, 110),
        ListColumn("决定内容", EscalationDecision.decision, 260),
    ),
    source=lambda: (
        select()
        .select_from(EscalationDecision)
        .join(_es_unit, EscalationDecision.responsible_unit_id == _es_unit.id)
        .join(_es_incident, EscalationDecision.incident_id == _es_incident.id)
    ),
    search=(
        _es_incident.number,
        _es_incident.title,
        EscalationDecision.authority,
        EscalationDecision.decision,
        _es_unit.short_name,
    ),
    default_sort=4,
    default_descending=True,
)


def _waiting_supervision(ctx: ListContext) -> ColumnElement[bool]:
    return and_(Supervision.closed_at.is_(None), Supervision.replied_at.is_(None))


def _waiting_interview(ctx: ListContext) -> ColumnElement[bool]:
    return and_(
        Interview.closed_at.is_(None),
        (Interview.follow_up_on <= ctx.today)
        | (Interview.held_at.is_(None) & (Interview.scheduled_at < ctx.now)),
    )


def _late_receipt(ctx: ListContext) -> ColumnElement[bool]:
    return and_(Transfer.receipt_at.is_(None), Transfer.receipt_due_at < ctx.now)


SUPERVISIONS = _supervision_listing("supervisions", "督办文书")
INTERVIEWS = _interview_listing("interviews", "约谈")
TRANSFERS = _transfer_listing("transfers", "移送")

# The 工作台's views: what waits on someone outside the centre.
SUPERVISION_WAITING = _supervision_listing(
    "supervision_waiting", "督办待回复", _waiting_supervision
)
INTERVIEW_WAITING = _interview_listing("interview_waiting", "约谈待跟进", _waiting_interview)
RECEIPT_LATE = _transfer_listing("receipt_late", "移送回执未回", _late_receipt)
