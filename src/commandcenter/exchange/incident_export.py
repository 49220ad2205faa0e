"""事件清单 as Excel, for a period and a status: one row an incident, streamed from SQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import IncidentStatus
from commandcenter.errors import ValidationError
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import export_rows
from commandcenter.services.incidents.deadlines import state_of
from commandcenter.xlsx_write import stream_workbook

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
    found = export_rows.incident_rows(session, actor, status=status, first=first, last=last)
    now = timeutil.now()

    def rows() -> Iterator[Sequence[Any]]:
        for r in found:
            i = r.incident
            yield [
                i.number,
                _local(i.received_at),
                i.channel.label,
                i.channel_ref or "",
                i.title,
                i.address or "",
                r.grid or "",
                f"{r.item_code} {r.item_name}" if r.item_code else "",
                r.list_type.label if r.list_type else "",
                i.route.label if i.route else "",
                i.status.label,
                r.lead_unit or "",
                _local(i.deadline_at),
                state_of(i.status, i.deadline_at, i.warning_at, now).label,
                r.registered_by,
                _local(i.dispatched_at),
                _local(i.accepted_at),
                _local(i.reported_at),
                _local(i.closed_at),
                i.satisfaction or "",
                r.reporter_phone,
            ]

    return stream_workbook(path, "事件清单", HEADERS, rows(), WIDTHS)
