"""The enforcement item catalogue (执法事项清单): versions, search and the changes between two.

A version takes effect on its date and stays in force until a later one does. Items are never
edited in place: a change of law is a new version, so an incident triaged under an old item
keeps what it was triaged with (R3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from commandcenter import timeutil
from commandcenter.db.models import CatalogueItem, CatalogueVersion, ListType
from commandcenter.errors import ValidationError
from commandcenter.services import audit, catalogue_industries, records
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require


def version_in_force(session: Session, day: date) -> CatalogueVersion | None:
    return session.scalar(
        select(CatalogueVersion)
        .where(CatalogueVersion.effective_from <= day)
        .order_by(CatalogueVersion.effective_from.desc(), CatalogueVersion.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class VersionRow:
    id: int
    label: str
    effective_from: date
    items: int
    in_force: bool
    source: str


def versions(session: Session, actor: Actor, today: date) -> list[VersionRow]:
    require(actor, Action.VIEW)
    current = version_in_force(session, today)
    rows = session.scalars(
        select(CatalogueVersion)
        .options(selectinload(CatalogueVersion.items))
        .order_by(CatalogueVersion.effective_from.desc(), CatalogueVersion.id.desc())
    )
    return [
        VersionRow(
            v.id,
            v.label,
            v.effective_from,
            len(v.items),
            current is not None and v.id == current.id,
            v.source or "",
        )
        for v in rows
    ]


@dataclass(frozen=True)
class ItemChoice:
    id: int
    code: str
    name: str
    field: str
    list_type: str
    department: str
    limit: str
    kind: ListType

    @property
    def text(self) -> str:
        return f"{self.code} {self.name}"


def _limit_text(item: CatalogueItem) -> str:
    parts = []
    if item.time_limit_days:
        parts.append(f"{item.time_limit_days} 个工作日")
    if item.time_limit_hours:
        parts.append(f"紧急 {item.time_limit_hours} 工作小时")
    return "，".join(parts)


def search_items(
    session: Session, actor: Actor, text: str, today: date, limit: int = 50
) -> list[ItemChoice]:
    """Items of the version in force whose code, name, field or legal basis has every word."""
    require(actor, Action.VIEW)
    current = version_in_force(session, today)
    if current is None:
        return []
    stmt = (
        select(CatalogueItem)
        .options(selectinload(CatalogueItem.department))
        .where(CatalogueItem.version_id == current.id)
        .order_by(CatalogueItem.code)
        .limit(limit)
    )
    for word in text.split():
        stmt = stmt.where(
            or_(
                CatalogueItem.code.icontains(word, autoescape=True),
                CatalogueItem.name.icontains(word, autoescape=True),
                CatalogueItem.field.icontains(word, autoescape=True),
                CatalogueItem.legal_basis.icontains(word, autoescape=True),
            )
        )
    return [
        ItemChoice(
            i.id,
            i.code,
            i.name,
            i.field,
            i.list_type.label,
            i.department.short_name if i.department else "",
            _limit_text(i),
            i.list_type,
        )
        for i in session.scalars(stmt)
    ]


# --- differences between two versions ------------------------------------------------------

_COMPARED = {
    "name": "事项名称",
    "legal_basis": "法律依据",
    "field": "执法领域",
    "list_type": "清单类别",
    "department_id": "责任部门",
    "time_limit_days": "时限（工作日）",
    "time_limit_hours": "紧急时限（工作小时）",
    "industries": "适用行业",
}


@dataclass(frozen=True)
class ItemChange:
    code: str
    name: str
    changes: list[tuple[str, str, str]]  # (what, before, after)


@dataclass(frozen=True)
class VersionDiff:
    old_label: str
    new_label: str
    added: list[tuple[str, str]]  # (code, name)
    removed: list[tuple[str, str]]
    changed: list[ItemChange]
    unchanged: int


def _shown(item: CatalogueItem, key: str) -> str:
    if key == "department_id":
        return item.department.name if item.department else ""
    value = getattr(item, key)
    if value is None:
        return ""
    return getattr(value, "label", str(value))


def diff(session: Session, actor: Actor, old_id: int, new_id: int) -> VersionDiff:
    require(actor, Action.VIEW)
    old = records.get(session, CatalogueVersion, old_id, "清单版本")
    new = records.get(session, CatalogueVersion, new_id, "清单版本")
    before = {i.code: i for i in old.items}
    after = {i.code: i for i in new.items}
    changed = []
    unchanged = 0
    for code in sorted(before.keys() & after.keys()):
        a, b = before[code], after[code]
        lines = [
            (label, _shown(a, key), _shown(b, key))
            for key, label in _COMPARED.items()
            if _shown(a, key) != _shown(b, key)
        ]
        if lines:
            changed.append(ItemChange(code, b.name, lines))
        else:
            unchanged += 1
    return VersionDiff(
        old.label,
        new.label,
        added=[(c, after[c].name) for c in sorted(after.keys() - before.keys())],
        removed=[(c, before[c].name) for c in sorted(before.keys() - after.keys())],
        changed=changed,
        unchanged=unchanged,
    )


# --- new versions ---------------------------------------------------------------------------


@dataclass
class ItemForm:
    code: str = ""
    name: str = ""
    legal_basis: str = ""
    field: str = ""
    list_type: ListType | None = None
    department_id: int | None = None
    time_limit_days: int | None = None
    time_limit_hours: int | None = None
    industries: str = ""  # 适用行业, 、-separated; 不限: any; blank: read from the name


def item_values(form: ItemForm) -> tuple[dict[str, Any], list[ValidationError]]:
    c = records.Checks()
    c.step("code", lambda: records.text(form.code, "code", "事项编码", required=True, limit=40))
    c.step("name", lambda: records.text(form.name, "name", "事项名称", required=True, limit=300))
    c.step("legal_basis", lambda: (form.legal_basis or "").strip()[:4000] or None)
    c.step("field", lambda: records.text(form.field, "field", "执法领域", required=True, limit=40))

    def list_type() -> ListType:
        if form.list_type is None:
            raise ValidationError("请选择清单类别（赋权事项、联动事项或部门事项）。")
        return form.list_type

    def department() -> int | None:
        if form.list_type in (ListType.LINKED, ListType.DEPARTMENT) and form.department_id is None:
            raise ValidationError("联动事项和部门事项须填写责任部门，以便吹哨和移送。")
        return form.department_id

    def limit(value: int | None, label: str, most: int) -> int | None:
        if value is not None and not 1 <= value <= most:
            raise ValidationError(f"{label}应为 1 到 {most} 之间的整数。")
        return value

    c.step("list_type", list_type)
    c.step("department_id", department)
    c.step("time_limit_days", lambda: limit(form.time_limit_days, "时限（工作日）", 365))
    c.step("time_limit_hours", lambda: limit(form.time_limit_hours, "紧急时限（工作小时）", 240))

    def industries() -> str:
        if catalogue_industries.is_any(form.industries):
            return ""
        given = catalogue_industries.parse(form.industries)
        text = catalogue_industries.join(given or catalogue_industries.from_name(form.name or ""))
        if len(text) > 200:
            raise ValidationError("适用行业不能超过 200 个字。")
        return text

    c.step("industries", industries)
    return c.values, c.problems


def version_problems(
    session: Session, label: str, effective_from: date | None
) -> list[ValidationError]:
    problems = []
    clean = (label or "").strip()
    if not clean:
        problems.append(ValidationError("请填写版本名称，例如“2027版赋权事项清单”。", "label"))
    elif session.scalar(select(CatalogueVersion.id).where(CatalogueVersion.label == clean)):
        problems.append(ValidationError(f"已有名为“{clean}”的清单版本。", "label"))
    if effective_from is None:
        problems.append(ValidationError("请填写生效日期。", "effective_from"))
    else:
        latest = session.scalar(select(func.max(CatalogueVersion.effective_from)))
        if latest is not None and effective_from <= latest:
            problems.append(
                ValidationError(
                    f"生效日期应晚于现有最新版本的生效日期（{latest.isoformat()}）。",
                    "effective_from",
                )
            )
    return problems


def create_version(
    session: Session,
    actor: Actor,
    *,
    label: str,
    effective_from: date,
    source: str,
    items: list[dict[str, Any]],
) -> CatalogueVersion:
    """A new version from cleaned item values (see :func:`item_values`)."""
    require(actor, Action.EDIT_CATALOGUE)
    records.raise_first(version_problems(session, label, effective_from))
    version = CatalogueVersion(
        label=label.strip(), effective_from=effective_from, source=(source or "").strip() or None
    )
    session.add(version)
    session.flush()
    for values in items:
        session.add(CatalogueItem(version_id=version.id, **values))
    session.flush()
    audit.record(
        session,
        actor,
        "catalogue.version",
        f"新增执法事项清单版本“{version.label}”，{effective_from.isoformat()} 起生效，"
        f"{len(items)} 项",
        entity_type="catalogue_version",
        entity_id=version.id,
    )
    return version


def version_for_export(
    session: Session, actor: Actor, version_id: int | None = None
) -> CatalogueVersion | None:
    """The version *version_id*, or the one in force today."""
    require(actor, Action.VIEW)
    if version_id is not None:
        return session.get(CatalogueVersion, version_id)
    return version_in_force(session, timeutil.today())
