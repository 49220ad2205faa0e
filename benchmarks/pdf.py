"""Figure 3: one dispatch order PDF against a bare reportlab page with the same font and text."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from benchmarks.common import Figure, median_ms
from commandcenter.db.migrate import open_database
from commandcenter.db.models import Incident, IncidentStatus
from commandcenter.documents import dispatch_order
from commandcenter.documents.fonts import font_set
from commandcenter.paths import sqlite_url
from commandcenter.services import auth


def measure(path: Path) -> Figure:
    db = open_database(sqlite_url(path))
    out = Path(tempfile.mkdtemp(prefix="cc-bench-"))
    with db.read() as session:
        leader = auth.actor_for(session, "leader")
        incident_id = session.scalars(
            select(Incident.id).where(Incident.status == IncidentStatus.IN_PROGRESS).limit(1)
        ).one()

        def ours() -> None:
            # What 打印派单 does: read the order, then lay it out and write the file.
            order = dispatch_order.load(session, leader, incident_id)
            dispatch_order.render(order, out / "order.pdf")

        ours_ms = median_ms(ours)
    db.dispose()
    lines = subprocess.run(
        ["pdftotext", "-layout", str(out / "order.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    body = font_set().body

    def bare() -> None:
        canvas = Canvas(str(out / "bare.pdf"), pagesize=A4)
        y = A4[1] - 72
        for line in lines:
            canvas.setFont(body, 12)
            canvas.drawString(72, y, line.strip())
            y -= 15
        canvas.showPage()
        canvas.save()

    return Figure("3", "dispatch order PDF", ours_ms, median_ms(bare), 1.5)
