"""Meetings and their agreed items as lists, with the 工作台's view of overdue items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select

from commandcenter import timeutil
from commandcenter.db.models import AgreedItem, AgreedItemStatus, Meeting, MeetingKind, Unit
from commandcenter.services.listing import (
    FilterOption,
    ListColumn,
    ListContext,
    ListFilter,
    Listing,
    enum_filter,
    enum_options,
    unit_options,
)


def _day_text(value: Any) -> str:
    return timeutil.format_local(value, with_time=False) if value else ""


_item_count = (
    select(func.count(AgreedItem.id))
    .where(AgreedItem.meeting_id == Meeting.id)
    .correlate(Meeting)
    .scalar_subquery()
)
_open_count = (
    select(func.count(AgreedItem.id))
    .where(AgreedItem.meeting_id == Meeting.id, AgreedItem.status == AgreedItemStatus.OPEN)
    .correlate(Meeting)
    .scalar_subquery()
)

MEETINGS = Listing(
    key="meetings",
    title="会议纪要",
    id_expr=Meeting.id,
    columns=(
        ListColumn("会议日期", Meeting.held_at, 90, fmt=_day_text),
        ListColumn("类型", Meeting.kind, 80),
        ListColumn("会议名称", Meeting.title, 240),
        ListColumn("主持人", Meeting.chair, 70),
        ListColumn("议定事项", _item_count, 70),
        ListColumn("推进中", _open_count, 60),
    ),
    source=lambda: select().select_from(Meeting),
    search=(Meeting.title, Meeting.attendees, Meeting.minutes),
    default_sort=0,
    default_descending=True,
    filters=(enum_filter("kind", "类型", Meeting.kind, MeetingKind),),
)


def _item_flag(extra: Sequence[Any], ctx: ListContext) -> str | None:
    status, deadline = extra
    if status is AgreedItemStatus.OPEN and deadline < ctx.today:
        return "overdue"
    if status is not AgreedItemStatus.OPEN:
        return "inactive"
    return None


def _item_source() -> Select[Any]:
    return (
        select()
        .select_from(AgreedItem)
        .join(Meeting, AgreedItem.meeting_id == Meeting.id)
        .join(Unit, AgreedItem.unit_id == Unit.id)
    )


_ITEM_COLUMNS = (
    ListColumn("完成时限", AgreedItem.deadline, 90),
    ListColumn("议定事项", AgreedItem.task, 260),
    ListColumn("责任单位", Unit.short_name, 110),
    ListColumn("责任人", AgreedItem.responsible_person, 70),
    ListColumn("状态", AgreedItem.status, 70),
    ListColumn("最新进展", AgreedItem.progress, 220),
    ListColumn("会议日期", Meeting.held_at, 90, fmt=_day_text),
    ListColumn("会议", Meeting.title, 200),
)


def _item_overdue(ctx: ListContext) -> ColumnElement[bool]:
    return and_(AgreedItem.status == AgreedItemStatus.OPEN, AgreedItem.deadline < ctx.today)


AGREED_ITEMS = Listing(
    key="agreed_items",
    title="议定事项",
    id_expr=AgreedItem.id,
    columns=_ITEM_COLUMNS,
    source=_item_source,
    search=(AgreedItem.task, AgreedItem.responsible_person, Unit.short_name, Meeting.title),
    default_sort=0,
    extras=(AgreedItem.status, AgreedItem.deadline),
    flagger=_item_flag,
    filters=(
        ListFilter(
            "status",
            "状态",
            lambda session: [
                FilterOption("已逾期", _item_overdue, None),
                *enum_options(AgreedItem.status, AgreedItemStatus)(session),
            ],
            default="推进中",
        ),
        ListFilter(
            "unit",
            "责任单位",
            unit_options(AgreedItem.unit_id),
            group=lambda ctx: AgreedItem.unit_id,
        ),
    ),
)
# The 工作台's fixed view of the same list.
OVERDUE_AGREED_ITEMS = replace(
    AGREED_ITEMS,
    key="overdue_agreed_items",
    title="超期议定事项",
    where=_item_overdue,
    filters=(),
)
