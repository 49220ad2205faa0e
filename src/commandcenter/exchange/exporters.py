"""Exports in the import layout (so an export can be edited and imported back), and templates."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from commandcenter.db.models import (
    Certificate,
)
from commandcenter.exchange import tables
from commandcenter.services import (
    catalogue,
    catalogue_industries,
    certificate_review,
    entities,
    liaisons,
    organisation,
    user_people,
    work_calendar,
)
from commandcenter.services.actor import Actor
from commandcenter.services.roster import people
from commandcenter.xlsx_write import Table, save_workbook


def _table(spec: tables.TableSpec, rows: Sequence[Sequence[Any]]) -> Table:
    return Table(
        spec.sheet,
        [c.header + ("*" if c.required else "") for c in spec.columns],
        rows,
        widths=[c.width for c in spec.columns],
        notes={c.header + ("*" if c.required else ""): c.note for c in spec.columns if c.note},
        choices={
            c.header + ("*" if c.required else ""): c.choices for c in spec.columns if c.choices
        },
        text_columns=[c.header + ("*" if c.required else "") for c in spec.columns if c.text],
    )


def write_template(kind: str, path: Path) -> Path:
    """A blank workbook with the headers, notes, drop-downs and text-formatted number columns."""
    return save_workbook(path, [_table(tables.SPECS[kind], [])])


def export_units(session: Session, actor: Actor, path: Path) -> Path:
    rows = [
        [
            u.name,
            u.short_name,
            u.kind.label,
            u.parent.name if u.parent else "",
            u.department_type.label if u.department_type else "",
            u.fields.replace(",", "、"),
            u.phone or "",
            u.address or "",
            u.sort_order,
            "启用" if u.active else "停用",
        ]
        for u in organisation.units_for_export(session, actor)
    ]
    return save_workbook(path, [_table(tables.UNITS, rows)])


def export_people(session: Session, actor: Actor, path: Path) -> Path:
    """The roster with full ID and phone numbers, one row a certificate (a person without one,
    one row); so it needs the right to see personal data."""
    rows = []
    for p in people.people_for_export(session, actor):
        person = [
            p.name,
            p.gender.label if p.gender else "",
            p.id_number or "",
            p.mobile or "",
            p.office_phone or "",
            p.unit.name,
            p.position or "",
            p.staffing.label,
            p.stationing.label if p.stationing else "",
            p.status.label,
            p.status_since,
            p.status_until,
            p.fields.replace(",", "、"),
        ]
        certs: list[Certificate | None] = [
            *sorted(p.certificates, key=lambda c: (c.issued_on, c.id))
        ]
        for c in certs or [None]:
            cert = (
                [
                    c.number,
                    c.issuer,
                    c.fields.replace(",", "、"),
                    c.area or "",
                    c.issued_on,
                    c.expires_on,
                    c.last_review_on,
                    c.state.label,
                ]
                if c is not None
                else [""] * 8
            )
            rows.append([*person, *cert, p.notes or ""])
    return save_workbook(path, [_table(tables.PEOPLE, rows)])


def export_liaisons(session: Session, actor: Actor, path: Path) -> Path:
    rows = [
        [
            dept,
            li.role.label,
            li.office,
            li.name,
            li.position or "",
            li.mobile or "",
            li.office_phone or "",
            li.duty_hours or "",
            li.notes or "",
        ]
        for li, dept in liaisons.entries_for_export(session, actor)
    ]
    return save_workbook(path, [_table(tables.LIAISONS, rows)])


def export_catalogue(
    session: Session, actor: Actor, path: Path, version_id: int | None = None
) -> Path:
    """A catalogue version (the one in force by default), ready to edit into the next one."""
    version = catalogue.version_for_export(session, actor, version_id)
    items = version.items if version is not None else []
    rows = [
        [
            i.code,
            i.name,
            i.legal_basis or "",
            i.field,
            i.list_type.label,
            i.department.name if i.department else "",
            i.time_limit_days,
            i.time_limit_hours,
            i.industries or catalogue_industries.ANY,  # a blank cell would read the name again
        ]
        for i in items
    ]
    table = _table(tables.CATALOGUE, rows)
    table.title = (
        f"{version.label}（{version.effective_from.isoformat()} 起生效）" if version else ""
    )
    return save_workbook(path, [table])


def export_entities(session: Session, actor: Actor, path: Path) -> Path:
    rows = [
        [
            e.name,
            e.uscc or "",
            e.address or "",
            e.grid.name if e.grid else "",
            e.industry or "",
            e.contact_name or "",
            e.contact_phone or "",
            e.credit_grade.label,
            "在营" if e.active else "停业",
        ]
        for e in entities.entities_for_export(session, actor)
    ]
    return save_workbook(path, [_table(tables.ENTITIES, rows)])


def export_calendar(session: Session, actor: Actor, path: Path) -> Path:
    days = work_calendar.days_for_export(session, actor)
    rows = [[d.day, d.kind.label, d.name or ""] for d in days]
    return save_workbook(path, [_table(tables.CALENDAR, rows)])


def export_users(session: Session, actor: Actor, path: Path) -> Path:
    """Each account with its roster person: fill in the blanks and import it back."""
    rows = [list(row) for row in user_people.links_for_export(session, actor)]
    return save_workbook(path, [_table(tables.USERS, rows)])


EXPORTERS = {
    "units": export_units,
    "people": export_people,
    "liaisons": export_liaisons,
    "entities": export_entities,
    "catalogue": export_catalogue,
    "calendar": export_calendar,
    "users": export_users,
}


def export_certificate_review(review: certificate_review.CertificateReview, path: Path) -> Path:
    headers = [
        "姓名",
        "单位",
        "人员类别",
        "人员状态",
        "执法证号",
        "执法领域",
        "有效期至",
        "最近年审",
        "清理事由",
    ]
    sheets = []
    for title, lines in review.sections:
        rows = [
            [
                line.person,
                line.unit,
                "【协勤】编外协勤" if line.auxiliary else "执法人员",
                line.person_status,
                line.number,
                line.fields,
                line.expires_on,
                line.last_review_on,
                line.reason,
            ]
            for line in lines
        ]
        sheets.append(
            Table(
                title.split("、", 1)[1].split("（")[0],
                headers,
                rows,
                widths=[10, 16, 14, 8, 18, 14, 12, 12, 40],
                title=f"{review.centre_name} {review.year} 年度执法证清理表 — {title}",
            )
        )
    return save_workbook(path, sheets)
