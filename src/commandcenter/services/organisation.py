"""Units (a tree), grids, and the establishment and force-allocation figures of R9."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commandcenter.db.models import (
    DepartmentType,
    Establishment,
    Grid,
    Person,
    PersonStatus,
    Staffing,
    Unit,
    UnitKind,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records, validators
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

# R9 thresholds (seed 000 III.2.1, seed 004 I.1).
VACANCY_LIMIT = 0.20
LOCKED_SHARE = {DepartmentType.COMPREHENSIVE: 0.80, DepartmentType.PROFESSIONAL: 0.50}

# --- units ----------------------------------------------------------------------------------


@dataclass
class UnitForm:
    name: str = ""
    short_name: str = ""
    kind: UnitKind | None = None
    parent_id: int | None = None
    department_type: DepartmentType | None = None
    fields: str = ""
    phone: str = ""
    address: str = ""
    sort_order: int = 0
    active: bool = True


def unit_values(
    session: Session, form: UnitForm, unit_id: int | None = None
) -> tuple[dict[str, Any], list[ValidationError]]:
    checks = records.Checks()
    values, problems, step = checks.values, checks.problems, checks.step

    def name() -> str:
        value = records.text(form.name, "name", "单位全称", required=True, limit=100)
        other = session.scalar(select(Unit).where(Unit.name == value, Unit.id != (unit_id or -1)))
        if other is not None:
            raise ValidationError(f"已有名为“{value}”的单位。")
        return value

    def kind() -> UnitKind:
        if form.kind is None:
            raise ValidationError("请选择单位类别。")
        return form.kind

    def parent_id() -> int | None:
        if form.parent_id is None:
            return None
        parent = session.get(Unit, form.parent_id)
        if parent is None:
            raise ValidationError("所选上级单位不存在。")
        ancestor: Unit | None = parent
        while ancestor is not None:  # a unit cannot sit below itself
            if unit_id is not None and ancestor.id == unit_id:
                raise ValidationError("上级单位不能是本单位或其下级单位。")
            ancestor = ancestor.parent
        return parent.id

    def phone() -> str | None:
        return validators.clean_office_phone(form.phone) if form.phone.strip() else None

    step("name", name)
    step(
        "short_name",
        lambda: records.text(form.short_name, "short_name", "简称", required=True, limit=30),
    )
    step("kind", kind)
    step("parent_id", parent_id)
    step("phone", phone)
    step("address", lambda: records.text(form.address, "address", "地址", limit=200) or None)
    step("fields", lambda: records.field_codes(form.fields))
    dtype = form.department_type
    if form.kind is UnitKind.DEPARTMENT and dtype is None:
        problems.append(
            ValidationError(
                "区级部门请选择部门类别（综合行政执法部门或专业执法部门）。", "department_type"
            )
        )
    values["department_type"] = dtype if form.kind is UnitKind.DEPARTMENT else None
    values["sort_order"] = form.sort_order
    values["active"] = form.active
    return values, problems


def create_unit(session: Session, actor: Actor, form: UnitForm) -> Unit:
    require(actor, Action.EDIT_ROSTER)
    values, problems = unit_values(session, form)
    records.raise_first(problems)
    unit = Unit(**values)
    session.add(unit)
    session.flush()
    audit.record(
        session,
        actor,
        "新增单位",
        f"新增单位 {unit.name}",
        entity_type="unit",
        entity_id=unit.id,
        changes=records.snapshot(values),
    )
    return unit


def update_unit(
    session: Session,
    actor: Actor,
    unit_id: int,
    form: UnitForm,
    expected_version: int | None = None,
) -> Unit:
    require(actor, Action.EDIT_ROSTER)
    unit = records.get(session, Unit, unit_id, "该单位")
    records.check_version(unit, expected_version, f"单位“{unit.name}”")
    values, problems = unit_values(session, form, unit_id)
    records.raise_first(problems)
    if unit.active and not values["active"]:
        in_post = session.scalar(
            select(func.count(Person.id)).where(
                Person.unit_id == unit.id,
                Person.status.not_in([PersonStatus.TRANSFERRED, PersonStatus.RETIRED]),
            )
        )
        if in_post:
            raise ValidationError(
                f"“{unit.name}”还有 {in_post} 名在册人员，请先调整他们的单位或状态再停用。",
                "active",
            )
    changes = records.apply(unit, values)
    if changes:
        audit.record(
            session,
            actor,
            "修改单位",
            f"修改单位 {unit.name}",
            entity_type="unit",
            entity_id=unit.id,
            changes=changes,
        )
    return unit


@dataclass(frozen=True)
class UnitNode:
    id: int
    parent_id: int | None
    name: str
    short_name: str
    kind: UnitKind
    department_type: DepartmentType | None
    active: bool
    people: int  # in post, auxiliary included
    version: int


def unit_tree(session: Session, actor: Actor, include_inactive: bool = True) -> list[UnitNode]:
    """Every unit in display order; callers build the tree from parent_id."""
    require(actor, Action.VIEW)
    counts = dict(
        session.execute(
            select(Person.unit_id, func.count(Person.id))
            .where(Person.status.not_in([PersonStatus.TRANSFERRED, PersonStatus.RETIRED]))
            .group_by(Person.unit_id)
        ).all()
    )
    stmt = select(Unit).order_by(Unit.sort_order, Unit.id)
    if not include_inactive:
        stmt = stmt.where(Unit.active.is_(True))
    return [
        UnitNode(
            u.id,
            u.parent_id,
            u.name,
            u.short_name,
            u.kind,
            u.department_type,
            u.active,
            counts.get(u.id, 0),
            u.version,
        )
        for u in session.scalars(stmt)
    ]


def unit_form(session: Session, actor: Actor, unit_id: int) -> tuple[UnitForm, int]:
    require(actor, Action.EDIT_ROSTER)
    unit = records.get(session, Unit, unit_id, "该单位")
    return (
        UnitForm(
            name=unit.name,
            short_name=unit.short_name,
            kind=unit.kind,
            parent_id=unit.parent_id,
            department_type=unit.department_type,
            fields=unit.fields,
            phone=unit.phone or "",
            address=unit.address or "",
            sort_order=unit.sort_order,
            active=unit.active,
        ),
        unit.version,
    )


# --- grids ----------------------------------------------------------------------------------


@dataclass
class GridForm:
    code: str = ""
    name: str = ""
    community_id: int | None = None
    worker_id: int | None = None
    description: str = ""
    active: bool = True


def save_grid(
    session: Session,
    actor: Actor,
    form: GridForm,
    grid_id: int | None = None,
    expected_version: int | None = None,
) -> Grid:
    require(actor, Action.EDIT_ROSTER)
    code = validators.normalise(form.code)
    if not code:
        raise ValidationError("请填写网格编码。", "code")
    if len(code) > 30:
        raise ValidationError("网格编码不能超过 30 个字符。", "code")
    other = session.scalar(select(Grid).where(Grid.code == code, Grid.id != (grid_id or -1)))
    if other is not None:
        raise ValidationError(f"网格编码 {code} 已被“{other.name}”使用。", "code")
    name = records.text(form.name, "name", "网格名称", required=True, limit=100)
    if form.community_id is not None:
        community = records.get(session, Unit, form.community_id, "所选村社区")
        if community.kind is not UnitKind.COMMUNITY:
            raise ValidationError("网格应属于村社区，请选择一个村社区。", "community_id")
    if form.worker_id is not None:
        records.get(session, Person, form.worker_id, "所选网格员")
    values = {
        "code": code,
        "name": name,
        "community_id": form.community_id,
        "worker_id": form.worker_id,
        "description": form.description.strip() or None,
        "active": form.active,
    }
    if grid_id is None:
        grid = Grid(**values)
        session.add(grid)
        session.flush()
        changes: dict[str, Any] = records.snapshot(values)
        verb = "新增网格"
    else:
        grid = records.get(session, Grid, grid_id, "该网格")
        records.check_version(grid, expected_version, f"网格“{grid.name}”")
        changes = records.apply(grid, values)
        verb = "修改网格"
    if changes:
        audit.record(
            session,
            actor,
            verb,
            f"{verb} {grid.code} {grid.name}",
            entity_type="grid",
            entity_id=grid.id,
            changes=changes,
        )
    return grid


# --- establishment and force allocation (R9) ------------------------------------------------


def set_establishment(
    session: Session,
    actor: Actor,
    unit_id: int,
    year: int,
    approved_headcount: int,
    enforcement_total: int | None = None,
    enforcement_locked: int | None = None,
    approved_auxiliaries: int | None = None,
) -> Establishment:
    """Set a unit's establishment for *year*. *approved_auxiliaries* left as None keeps the
    number already approved (a form without the field never clears it)."""
    require(actor, Action.EDIT_ROSTER)
    unit = records.get(session, Unit, unit_id, "该单位")
    if not 2000 <= year <= 2100:
        raise ValidationError("年度不正确。", "year")
    if approved_headcount < 0:
        raise ValidationError("核定编制数不能为负数。", "approved_headcount")
    if (enforcement_total is None) != (enforcement_locked is None):
        raise ValidationError("执法人员总数和下沉锁定人数应同时填写。", "enforcement_locked")
    if enforcement_total is not None and enforcement_locked is not None:
        if enforcement_total < 0 or enforcement_locked < 0:
            raise ValidationError("人数不能为负数。", "enforcement_total")
        if enforcement_locked > enforcement_total:
            raise ValidationError("下沉锁定人数不能多于执法人员总数。", "enforcement_locked")
    if approved_auxiliaries is not None and approved_auxiliaries < 0:
        raise ValidationError("协勤核定数不能为负数。", "approved_auxiliaries")
    row = session.scalar(
        select(Establishment).where(Establishment.unit_id == unit_id, Establishment.year == year)
    )
    values = {
        "approved_headcount": approved_headcount,
        "enforcement_total": enforcement_total,
        "enforcement_locked": enforcement_locked,
    }
    if approved_auxiliaries is not None:
        values["approved_auxiliaries"] = approved_auxiliaries
    if row is None:
        row = Establishment(unit_id=unit_id, year=year, **values)
        session.add(row)
        session.flush()
        changes: dict[str, Any] = dict(values)
    else:
        changes = records.apply(row, values)
    if changes:
        audit.record(
            session,
            actor,
            "核定编制",
            f"{unit.name} {year} 年编制和执法力量",
            entity_type="establishment",
            entity_id=row.id,
            changes=changes,
        )
    return row


@dataclass(frozen=True)
class ForceRow:
    unit_id: int
    unit: str
    kind: UnitKind
    department_type: DepartmentType | None
    approved: int
    in_post: int | None  # staff on the establishment in post; None where the roster is not ours
    enforcement_total: int | None
    enforcement_locked: int | None
    approved_auxiliaries: int | None = None  # 协勤核定数; None: not approved
    auxiliaries: int | None = None  # auxiliaries in post; None where the roster is not ours

    @property
    def auxiliary_excess(self) -> int | None:
        """Auxiliaries in post beyond the approved number (seed 001 (14): 严格控制总量)."""
        if self.approved_auxiliaries is None or self.auxiliaries is None:
            return None
        return max(0, self.auxiliaries - self.approved_auxiliaries)

    @property
    def auxiliary_breached(self) -> bool:
        return bool(self.auxiliary_excess)

    @property
    def vacancy_rate(self) -> float | None:
        if self.in_post is None or self.approved <= 0:
            return None
        return max(0, self.approved - self.in_post) / self.approved

    @property
    def vacancy_breached(self) -> bool:
        rate = self.vacancy_rate
        return rate is not None and rate > VACANCY_LIMIT

    @property
    def locked_share(self) -> float | None:
        if not self.enforcement_total or self.enforcement_locked is None:
            return None
        return self.enforcement_locked / self.enforcement_total

    @property
    def locked_threshold(self) -> float | None:
        return LOCKED_SHARE.get(self.department_type) if self.department_type else None

    @property
    def locked_breached(self) -> bool:
        share, threshold = self.locked_share, self.locked_threshold
        return share is not None and threshold is not None and share < threshold


# Units whose staff are on the street's own establishment: vacancy is counted from the roster.
_STREET_KINDS = {UnitKind.STREET_OFFICE, UnitKind.COMMAND_CENTRE, UnitKind.SQUAD}


def force_report(session: Session, actor: Actor, year: int) -> list[ForceRow]:
    """Establishment of each unit for *year*, with the vacancy rate and the locked share (R9),
    and the auxiliaries in post against the approved number."""
    require(actor, Action.VIEW)

    def counted(*staffing: Staffing) -> dict[int, int]:
        return dict(
            session.execute(
                select(Person.unit_id, func.count(Person.id))
                .where(
                    Person.staffing.in_(staffing),
                    Person.status.not_in([PersonStatus.TRANSFERRED, PersonStatus.RETIRED]),
                )
                .group_by(Person.unit_id)
            ).all()
        )

    in_post = counted(Staffing.ADMINISTRATIVE, Staffing.INSTITUTION)
    auxiliaries = counted(Staffing.AUXILIARY)
    rows = session.execute(
        select(Establishment, Unit)
        .join(Unit, Establishment.unit_id == Unit.id)
        .where(Establishment.year == year)
        .order_by(Unit.sort_order, Unit.id)
    ).all()
    return [
        ForceRow(
            unit.id,
            unit.name,
            unit.kind,
            unit.department_type,
            est.approved_headcount,
            in_post.get(unit.id, 0) if unit.kind in _STREET_KINDS else None,
            est.enforcement_total,
            est.enforcement_locked,
            est.approved_auxiliaries,
            auxiliaries.get(unit.id, 0) if unit.kind in _STREET_KINDS else None,
        )
        for est, unit in rows
    ]


@dataclass(frozen=True)
class GridRow:
    id: int
    version: int
    code: str
    name: str
    community_id: int | None
    community: str
    worker_id: int | None
    worker: str
    description: str
    active: bool


def grids(session: Session, actor: Actor) -> list[GridRow]:
    require(actor, Action.VIEW)
    rows = session.execute(
        select(Grid, Unit.short_name, Person.name)
        .outerjoin(Unit, Grid.community_id == Unit.id)
        .outerjoin(Person, Grid.worker_id == Person.id)
        .order_by(Grid.code)
    ).all()
    return [
        GridRow(
            g.id,
            g.version,
            g.code,
            g.name,
            g.community_id,
            community or "",
            g.worker_id,
            worker or "",
            g.description or "",
            g.active,
        )
        for g, community, worker in rows
    ]


def units_for_export(session: Session, actor: Actor) -> list[Unit]:
    """Every unit, each after its parent (an import creates them in this order)."""
    require(actor, Action.VIEW)
    units = list(session.scalars(select(Unit).order_by(Unit.sort_order, Unit.id)))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[Unit] = []

    def walk(parent: int | None) -> None:
        for unit in children.get(parent, []):
            ordered.append(unit)
            walk(unit.id)

    walk(None)
    return ordered


def unit_named(session: Session, name: str) -> Unit | None:
    """The unit with this full name."""
    return session.scalar(select(Unit).where(Unit.name == name))


def units_short_named(session: Session, short_name: str) -> list[Unit]:
    """The units with this short name (more than one makes it ambiguous)."""
    return list(session.scalars(select(Unit).where(Unit.short_name == short_name)))


def grid_ids(session: Session) -> dict[str, int]:
    """Each grid's id under its name and under its code, as a file may give either."""
    found = list(session.scalars(select(Grid)))
    return {g.name: g.id for g in found} | {g.code: g.id for g in found}


def grid_worker_choices(session: Session, actor: Actor) -> list[tuple[str, int]]:
    """Who can be a grid's worker: on-duty people of the villages and communities, as
    ("name（community）", id) choices."""
    require(actor, Action.VIEW)
    rows = session.execute(
        select(Person.id, Person.name, Unit.short_name)
        .join(Unit, Person.unit_id == Unit.id)
        .where(Unit.kind == UnitKind.COMMUNITY, Person.status == PersonStatus.ON_DUTY)
        .order_by(Unit.sort_order, Person.name)
    ).all()
    return [(f"{name}（{unit}）", person_id) for person_id, name, unit in rows]
