"""事件清单 as Excel, for a period and a status: one row an incident, streamed from SQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from commandcenter import timeutil
from commandcenter.db.models import CatalogueItem, Grid, Incident, IncidentStatus, Unit, User
from commandcenter.errors import ValidationError
from commandcenter.exchange.xlsx_write import stream_workbook
from commandcenter.services import masking
from commandcenter.services.actor import Actor
from commandcenter.services.incidents.deadlines import state_of
from commandcenter.services.permissions import Action, allowed, require

HEADERS = [
    "事件编号",
    "受理时间",
    "来源渠道",
    "来源工单号",
    "事件名称",
    "事发地点",
    "网格",
    "执法事项",
    "清单类别",
    "处置路径",
    "状态",
    "主办单位",
    "办理期限",
    "期限状态",
    "首问负责人",
    "派单时间",
    "签收时间",
    "反馈时间",
    "办结时间",
    "回访满意度",
    "反映人电话",
]
WIDTHS = [13, 17, 12, 20, 36, 30, 14, 36, 10, 20, 10, 18, 17, 9, 10, 17, 17, 17, 17, 10, 14]


def parse_status(text: str | None) -> IncidentStatus | None:
    """A status given by its code (closed) or its label (已办结)."""
    if not text:
        return None
    for status in IncidentStatus:
        if text in (status.value, status.label):
            return status
    names = "、".join(s.label for s in IncidentStatus)
    raise ValidationError(f"没有“{text}”这种状态。可选：{names}。")


def _local(moment: Any) -> Any:
    return timeutil.to_local(moment).replace(tzinfo=None) if moment else None


def export_incidents(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    status: IncidentStatus | None = None,
    first: date | None = None,
    last: date | None = None,
) -> int:
    """Incidents received from *first* to *last* (inclusive); returns how many were written."""
    require(actor, Action.VIEW)
    if first and last and last < first:
        raise ValidationError("结束日期不能早于开始日期。")
    lead = aliased(Unit)
    registrar = aliased(User)
    stmt = (
        select(
            Incident,
            Grid.name,
            CatalogueItem.code,
            CatalogueItem.name,
            CatalogueItem.list_type,
            lead.name,
            registrar.display_name,
        )
        .outerjoin(Grid, Incident.grid_id == Grid.id)
        .outerjoin(CatalogueItem, Incident.item_id == CatalogueItem.id)
        .outerjoin(lead, Incident.lead_unit_id == lead.id)
        .join(registrar, Incident.registered_by_id == registrar.id)
        .order_by(Incident.received_at, Incident.id)
    )
    if status is not None:
        stmt = stmt.where(Incident.status == status)
    if first is not None:
        stmt = stmt.where(Incident.received_at >= timeutil.start_of_local_day(first))
    if last is not None:
        stmt = stmt.where(Incident.received_at < timeutil.end_of_local_day(last))
    full = allowed(actor, Action.VIEW_PERSONAL_DATA)
    now = timeutil.now()

    def rows() -> Iterator[Sequence[Any]]:
        for i, grid, code, name, list_type, lead_name, registered_by in session.execute(
            stmt.execution_options(yield_per=2000)
        ):
            yield [
                i.number,
                _local(i.received_at),
                i.channel.label,
                i.channel_ref or "",
                i.title,
                i.address or "",
                grid or "",
                f"{code} {name}" if code else "",
                list_type.label if list_type else "",
                i.route.label if i.route else "",
                i.status.label,
                lead_name or "",
                _local(i.deadline_at),
                state_of(i.status, i.deadline_at, i.warning_at, now).label,
                registered_by,
                _local(i.dispatched_at),
                _local(i.accepted_at),
                _local(i.reported_at),
                _local(i.closed_at),
                i.satisfaction or "",
                (i.reporter_phone or "") if full else masking.mask_phone(i.reporter_phone),
            ]

    return stream_workbook(path, "事件清单", HEADERS, rows(), WIDTHS)
