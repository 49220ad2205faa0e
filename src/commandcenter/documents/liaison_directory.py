"""通讯名录: the point-to-point liaison directory of district departments (seed 004 II.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import LiaisonRole
from commandcenter.documents.layout import PageDecor, build_pdf, escape, grid_table, styles
from commandcenter.services import liaisons, settings
from commandcenter.services.actor import Actor


@dataclass(frozen=True)
class DirectoryRow:
    department: str
    office: str
    role: str
    name: str
    position: str
    mobile: str
    office_phone: str
    duty_hours: str


@dataclass(frozen=True)
class Directory:
    centre_name: str
    as_of: date
    rows: list[DirectoryRow]


def load(session: Session, actor: Actor, as_of: date | None = None) -> Directory:
    entries = liaisons.directory_entries(session, actor)
    rows = [
        DirectoryRow(
            dept,
            li.office,
            li.role.label,
            li.name,
            li.position or "",
            li.mobile or "",
            li.office_phone or "",
            li.duty_hours or "",
        )
        for li, dept in entries
    ]
    # Main liaison first within each department.
    rows.sort(key=lambda r: (r.department, r.role != LiaisonRole.MAIN.label))
    return Directory(settings.load(session).centre_name, as_of or timeutil.today(), rows)


def _story(directory: Directory) -> list[Flowable]:
    st = styles()
    header = [
        Paragraph(h, st.small_label)
        for h in ("部门", "联络科室", "类别", "姓名 / 职务", "手机", "办公电话", "值班时间")
    ]
    body = []
    spans: list[tuple[object, ...]] = []
    first_row_of_department = 1
    for n, r in enumerate(directory.rows, start=1):
        starts = n == 1 or directory.rows[n - 2].department != r.department
        if starts and n > 1 and n - 1 > first_row_of_department:
            spans.append(("SPAN", (0, first_row_of_department), (0, n - 1)))
        if starts:
            first_row_of_department = n
        body.append(
            [
                Paragraph(escape(v), st.small)
                for v in (
                    r.department if starts else "",
                    r.office,
                    r.role[:1],
                    f"{r.name}\n{r.position}" if r.position else r.name,
                    r.mobile,
                    r.office_phone,
                    r.duty_hours,
                )
            ]
        )
    if len(directory.rows) > first_row_of_department:
        spans.append(("SPAN", (0, first_row_of_department), (0, len(directory.rows))))
    table = grid_table(
        [header, *body],
        [33 * mm, 22 * mm, 9 * mm, 18 * mm, 25 * mm, 28 * mm, 21 * mm],
        [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")), *spans],
    )
    table.repeatRows = 1
    return [
        Paragraph(escape(directory.centre_name), st.subtitle),
        Paragraph("区级部门联络人通讯名录", st.title),
        Paragraph(f"（截至{timeutil.chinese_date(directory.as_of)}）", st.number),
        table,
        Paragraph(
            "类别：主 = 主联络人，备 = 备用联络人。名录如有变动，请及时告知指挥中心更新。", st.small
        ),
    ]


def render(directory: Directory, path: Path) -> Path:
    return build_pdf(
        path,
        _story(directory),
        PageDecor(title="区级部门联络人通讯名录", continued="区级部门联络人通讯名录"),
        author=directory.centre_name,
    )
