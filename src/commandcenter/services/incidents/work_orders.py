"""Work orders from 12345 and 基层治理四平台: the fields an order has, the column layouts each
source's exports were mapped with, and the checks an import makes against the database.

Reading the file and writing the report is `exchange/work_orders.py`; each order is registered
through `intake.register`, like a call taken by hand.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import Channel, Grid, Incident, WorkOrderLayout
from commandcenter.errors import ValidationError
from commandcenter.services import audit
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import recall
from commandcenter.services.permissions import Action, require

SOURCES: dict[str, Channel] = {
    "12345": Channel.HOTLINE_12345,
    "hotline_12345": Channel.HOTLINE_12345,
    "12345热线": Channel.HOTLINE_12345,
    "四平台": Channel.PLATFORM,
    "platform": Channel.PLATFORM,
    "基层治理四平台": Channel.PLATFORM,
}


def source_named(text: str) -> Channel:
    channel = SOURCES.get(text.strip())
    if channel is None:
        raise ValidationError("工单来源应为 12345 或 四平台。", "source")
    return channel


@dataclass(frozen=True)
class OrderField:
    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    note: str = ""


# What an order carries, with the headers the two systems' exports are known to use.
FIELDS: tuple[OrderField, ...] = (
    OrderField("number", "工单编号", True, ("工单号", "工单编码", "事件编号", "案件编号", "编号")),
    OrderField(
        "received_at",
        "受理时间",
        True,
        ("来电时间", "上报时间", "登记时间", "受理日期", "接收时间", "创建时间"),
        "按来源系统记载的时间登记",
    ),
    OrderField(
        "content", "诉求内容", True, ("问题描述", "事件描述", "来电内容", "反映内容", "事件内容")
    ),
    OrderField("title", "标题", False, ("事件标题", "工单标题", "诉求标题", "事件名称")),
    OrderField("address", "事发地址", False, ("事发地点", "发生地址", "问题地址", "地址")),
    OrderField("grid", "所属网格", False, ("网格", "网格名称", "所在网格")),
    OrderField("reporter_name", "联系人", False, ("来电人", "反映人", "诉求人", "上报人")),
    OrderField("reporter_phone", "联系电话", False, ("来电号码", "手机号码", "上报人电话")),
    OrderField("category", "诉求类型", False, ("事件类型", "问题类型", "事件类别", "诉求分类")),
    OrderField("unit", "承办单位", False, ("处置单位", "责任单位", "办理单位")),
    OrderField("due_at", "要求办结时间", False, ("办结时限", "处置时限", "要求完成时间")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}


def header_key(text: object) -> str:
    """'工单编号 ' and '工单编号（必填）' compare equal."""
    value = unicodedata.normalize("NFKC", str(text or ""))
    value = re.sub(r"[（(][^）)]*[）)]", "", value)
    return re.sub(r"[\s*:：]", "", value)


def guess_columns(header: Iterable[str]) -> dict[str, str]:
    """Field key -> the file's header for the columns whose names are known."""
    by_name = {header_key(n): f.key for f in FIELDS for n in (f.label, *f.aliases)}
    found: dict[str, str] = {}
    for text in header:
        key = by_name.get(header_key(text))
        if key is not None and key not in found:
            found[key] = text
    return found


def mapping_problems(columns: dict[str, str], header: list[str]) -> list[ValidationError]:
    """Every way *columns* does not fit the file: a missing required field, a column the file
    lacks, one column given to two fields."""
    problems = []
    present = {header_key(h) for h in header}
    for f in FIELDS:
        if f.required and not columns.get(f.key):
            problems.append(ValidationError(f"请为“{f.label}”选择文件中的一列。", f.key))
    used: dict[str, str] = {}
    for key, column in columns.items():
        if key not in FIELD_BY_KEY:
            problems.append(ValidationError(f"未知的工单字段“{key}”。", key))
            continue
        if not column:
            continue
        if header_key(column) not in present:
            problems.append(ValidationError(f"文件中没有“{column}”这一列。", key))
        if header_key(column) in used:
            problems.append(
                ValidationError(
                    f"“{column}”已对应“{FIELD_BY_KEY[used[header_key(column)]].label}”，"
                    "一列只能对应一个字段。",
                    key,
                )
            )
        used[header_key(column)] = key
    return problems


def _layout_key(columns: dict[str, str]) -> str:
    return "|".join(sorted(header_key(c) for c in columns.values() if c))


@dataclass(frozen=True)
class SavedLayout:
    id: int
    source: Channel
    columns: dict[str, str]
    saved_by: str
    saved_at: str

    def describe(self) -> str:
        return f"{self.source.label}的列对应（{self.saved_at} 由 {self.saved_by} 保存）"


def may_import(actor: Actor) -> None:
    """The import's gate, before the file is read: importing orders registers incidents."""
    require(actor, Action.REGISTER_INCIDENT)


def find_layout(
    session: Session, actor: Actor, source: Channel, header: list[str]
) -> SavedLayout | None:
    """The saved layout of *source* whose every column is in *header* (the fullest one)."""
    require(actor, Action.VIEW)
    present = {header_key(h): h for h in header}
    best: WorkOrderLayout | None = None
    for layout in session.scalars(
        select(WorkOrderLayout).where(WorkOrderLayout.source == source).order_by(WorkOrderLayout.id)
    ):
        if all(header_key(c) in present for c in layout.columns.values() if c) and (
            best is None or len(layout.columns) > len(best.columns)
        ):
            best = layout
    if best is None:
        return None
    # The file's own spelling of each header, so rows are read by what the file says.
    columns = {k: present[header_key(c)] for k, c in best.columns.items() if c}
    return SavedLayout(
        best.id,
        source,
        columns,
        best.saved_by.display_name if best.saved_by else "系统",
        timeutil.format_local(best.created_at, with_time=False),
    )


def save_layout(
    session: Session, actor: Actor, source: Channel, columns: dict[str, str], header: list[str]
) -> SavedLayout:
    """Keep *columns* for *source*'s exports of this shape; later files of it reuse them."""
    require(actor, Action.REGISTER_INCIDENT)
    columns = {k: v for k, v in columns.items() if v}
    problems = mapping_problems(columns, header)
    if problems:
        raise problems[0]
    key = _layout_key(columns)
    layout = session.scalar(
        select(WorkOrderLayout).where(
            WorkOrderLayout.source == source, WorkOrderLayout.header_key == key
        )
    )
    if layout is None:
        layout = WorkOrderLayout(source=source, header_key=key, saved_by_id=actor.user_id)
        session.add(layout)
    layout.columns = dict(columns)
    layout.saved_by_id = actor.user_id
    session.flush()
    audit.record(
        session,
        actor,
        "work_order_layout.save",
        f"保存{source.label}工单的列对应："
        + "、".join(f"{FIELD_BY_KEY[k].label}←{v}" for k, v in columns.items()),
        entity_type="work_order_layout",
        entity_id=layout.id,
        changes={"columns": columns},
    )
    found = find_layout(session, actor, source, header)
    assert found is not None
    return found


def mark_used(session: Session, layout_id: int) -> None:
    layout = session.get(WorkOrderLayout, layout_id)
    if layout is not None:
        layout.last_used_at = timeutil.now()


def imported_before(session: Session, source: Channel, numbers: Iterable[str]) -> dict[str, str]:
    """Source number -> the incident number it was registered as, for orders already here."""
    wanted = sorted(set(numbers))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        for ref, number in session.execute(
            select(Incident.channel_ref, Incident.number).where(
                Incident.channel == source,
                Incident.channel_ref.in_(wanted[start : start + 500]),
            )
        ):
            found.setdefault(str(ref), number)
    return found


def grid_named(session: Session, name: str) -> Grid | None:
    """An active grid by its name, or by the name inside it (四平台 writes 'XX社区第3网格')."""
    text = name.strip()
    grid = session.scalar(
        select(Grid).where((Grid.name == text) | (Grid.code == text), Grid.active.is_(True))
    )
    if grid is not None:
        return grid
    candidates = [
        g
        for g in session.scalars(select(Grid).where(Grid.active.is_(True)))
        if g.name and (g.name in text or text in g.name)
    ]
    return candidates[0] if len(candidates) == 1 else None


def grid_for_address(session: Session, actor: Actor, address: str) -> int | None:
    """The grid registration would suggest for the address (its earlier incidents')."""
    suggestion = recall.suggested_grid(session, actor, address) if address else None
    return suggestion.grid_id if suggestion else None
