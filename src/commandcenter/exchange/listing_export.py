"""Any list as Excel, exactly as it is filtered and searched on screen.

The rows come from the same query the table pages through, read in batches, so the file holds
what the operator sees (personal data masked as in the list), in the same order. A second sheet
says which list, filters, search, who and when, so a printed copy explains itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.services.actor import Actor
from commandcenter.services.listing import Condition, Listing
from commandcenter.xlsx_write import stream_workbook

PIXELS_PER_CHARACTER = 7  # list column widths are in pixels, Excel's in characters


def export_listing(
    session: Session,
    actor: Actor,
    listing: Listing,
    path: Path,
    *,
    text: str = "",
    sort: int | None = None,
    descending: bool | None = None,
    chosen: dict[str, Condition] | None = None,
    conditions: Sequence[str] = (),
) -> int:
    """Write the list's rows under *text* and *chosen* to *path*; returns how many."""
    rows = listing.stream(
        session, actor, text, sort=sort, descending=descending, chosen=chosen or {}
    )
    notes = [
        ("列表", listing.title),
        ("筛选条件", "；".join(conditions) or "无"),
        ("搜索", text or "无"),
        ("导出时间", timeutil.format_local(timeutil.now())),
        ("导出人", actor.label),
    ]
    return stream_workbook(
        path,
        listing.title,
        [c.header for c in listing.columns],
        rows,
        [max(8, c.width // PIXELS_PER_CHARACTER) for c in listing.columns],
        notes=notes,
    )
