"""办结回复 written back in the layout each source's system takes: the orders of a source
closed in a period, one row each, as .xlsx or as CSV (UTF-8 with BOM, which Excel and the
四平台 upload both read)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import Channel
from commandcenter.errors import UserError
from commandcenter.fileio import atomic_path
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import progress, replies
from commandcenter.services.incidents.replies import ReplyView
from commandcenter.xlsx_write import Table, save_workbook


@dataclass(frozen=True)
class ReplyLayout:
    sheet: str
    headers: tuple[str, ...]
    widths: tuple[int, ...]


# The columns each system's 回复导入 expects, in its order.
LAYOUTS: dict[Channel, ReplyLayout] = {
    Channel.HOTLINE_12345: ReplyLayout(
        "办结回复",
        (
            "工单编号",
            "办理结果",
            "答复内容",
            "答复方式",
            "答复时间",
            "来电时间",
            "办结时间",
            "承办单位",
            "满意度",
        ),
        (22, 16, 60, 10, 18, 18, 18, 24, 10),
    ),
    Channel.PLATFORM: ReplyLayout(
        "处置反馈",
        (
            "事件编号",
            "处置结果",
            "处置情况说明",
            "反馈方式",
            "反馈时间",
            "上报时间",
            "办结时间",
            "处置部门",
            "群众满意度",
        ),
        (22, 16, 60, 10, 18, 18, 18, 24, 10),
    ),
}


def _when(moment: datetime | None) -> str:
    return timeutil.to_local(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def row_of(view: ReplyView) -> list[str]:
    return [
        view.channel_ref,
        view.outcome,
        view.text,
        view.channel,
        _when(view.replied_at),
        _when(view.received_at),
        _when(view.closed_at),
        view.lead_unit,
        progress.SATISFACTION.get(view.satisfaction, "未回访") if view.satisfaction else "未回访",
    ]


def export_replies(
    session: Session, actor: Actor, source: Channel, first: date, last: date, path: Path
) -> int:
    """Write the replies of *source*'s orders closed from *first* to *last* (inclusive days);
    .csv or .xlsx by the file's suffix. Returns how many orders were written."""
    if last < first:
        raise UserError("结束日期不能早于开始日期。")
    layout = LAYOUTS.get(source)
    if layout is None:
        raise UserError("只有 12345 和 四平台 的工单可以导出办结回复。")
    views = replies.for_export(
        session,
        actor,
        source,
        timeutil.start_of_local_day(first),
        timeutil.end_of_local_day(last),
    )
    rows = [row_of(v) for v in views]
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(layout.headers)
            # A text starting like a formula would run in Excel: quote it as text, as the
            # workbook writer does.
            writer.writerows([_safe(v) for v in row] for row in rows)
    else:
        save_workbook(
            path,
            [
                Table(
                    layout.sheet,
                    layout.headers,
                    rows,
                    widths=layout.widths,
                    text_columns=(layout.headers[0],),
                )
            ],
        )
    return len(rows)


def _safe(value: str) -> str:
    return "'" + value if value.startswith(("=", "+", "-", "@")) else value
