"""The liaison directory (通讯名录): a main and a backup liaison for every district department."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter.db.models import Liaison, LiaisonRole, Unit, UnitKind
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records, validators
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require


@dataclass
class LiaisonForm:
    department_id: int | None = None
    role: LiaisonRole | None = None
    office: str = ""
    name: str = ""
    position: str = ""
    mobile: str = ""
    office_phone: str = ""
    duty_hours: str = ""
    notes: str = ""


def liaison_values(
    session: Session, form: LiaisonForm, liaison_id: int | None = None
) -> tuple[dict[str, Any], list[ValidationError]]:
    checks = records.Checks()
    values, problems, step = checks.values, checks.problems, checks.step

    def department_id() -> int:
        if form.department_id is None:
            raise ValidationError("请选择区级部门。")
        unit = session.get(Unit, form.department_id)
        if unit is None or unit.kind is not UnitKind.DEPARTMENT:
            raise ValidationError("联络名录只登记区级部门，请选择一个区级部门。")
        return unit.id

    def role() -> LiaisonRole:
        if form.role is None:
            raise ValidationError("请选择主联络人或备用联络人。")
        return form.role

    def mobile() -> str | None:
        return validators.clean_mobile(form.mobile) if form.mobile.strip() else None

    def office_phone() -> str | None:
        return (
            validators.clean_office_phone(form.office_phone) if form.office_phone.strip() else None
        )

    step("department_id", department_id)
    step("role", role)
    step(
        "office", lambda: records.text(form.office, "office", "联络科室", required=True, limit=100)
    )
    step("name", lambda: records.text(form.name, "name", "姓名", required=True, limit=50))
    step("position", lambda: records.text(form.position, "position", "职务", limit=50) or None)
    step("mobile", mobile)
    step("office_phone", office_phone)
    step(
        "duty_hours",
        lambda: records.text(form.duty_hours, "duty_hours", "值班时间", limit=100) or None,
    )
    step("notes", lambda: records.text(form.notes, "notes", "备注", limit=500) or None)
    if (
        not values.get("mobile")
        and not values.get("office_phone")
        and not any(p.field in {"mobile", "office_phone"} for p in problems)
    ):
        problems.append(ValidationError("手机和办公电话至少填写一个，否则无法联系。", "mobile"))
    if "department_id" in values and "role" in values:
        taken = session.scalar(
            select(Liaison).where(
                Liaison.department_id == values["department_id"],
                Liaison.role == values["role"],
                Liaison.id != (liaison_id or -1),
            )
        )
        if taken is not None:
            problems.append(
                ValidationError(
                    f"该部门已登记{values['role'].label}“{taken.name}”，请修改原记录而不是新增。",
                    "role",
                )
            )
    return values, problems


def save_liaison(
    session: Session,
    actor: Actor,
    form: LiaisonForm,
    liaison_id: int | None = None,
    expected_version: int | None = None,
) -> Liaison:
    require(actor, Action.EDIT_DIRECTORY)
    existing = None
    if liaison_id is not None:
        existing = records.get(session, Liaison, liaison_id, "该联络人")
        records.check_version(existing, expected_version, f"联络人“{existing.name}”")
    values, problems = liaison_values(session, form, liaison_id)
    records.raise_first(problems)
    if existing is None:
        liaison = Liaison(**values)
        session.add(liaison)
        session.flush()
        changes: dict[str, Any] = records.snapshot(values)
        verb = "新增联络人"
    else:
        liaison = existing
        changes = records.apply(liaison, values)
        verb = "修改联络人"
    if changes:
        audit.record(
            session,
            actor,
            verb,
            f"{verb}：{liaison.department.name} {liaison.role.label} {liaison.name}",
            entity_type="liaison",
            entity_id=liaison.id,
            changes=changes,
        )
    return liaison


def delete_liaison(session: Session, actor: Actor, liaison_id: int) -> None:
    require(actor, Action.EDIT_DIRECTORY)
    liaison = records.get(session, Liaison, liaison_id, "该联络人")
    audit.record(
        session,
        actor,
        "删除联络人",
        f"删除联络人：{liaison.department.name} {liaison.role.label} {liaison.name}",
        entity_type="liaison",
        entity_id=liaison.id,
        changes=records.snapshot({"name": liaison.name, "mobile": liaison.mobile}),
    )
    session.delete(liaison)


def liaison_form(session: Session, actor: Actor, liaison_id: int) -> tuple[LiaisonForm, int]:
    require(actor, Action.EDIT_DIRECTORY)
    li = records.get(session, Liaison, liaison_id, "该联络人")
    return (
        LiaisonForm(
            department_id=li.department_id,
            role=li.role,
            office=li.office,
            name=li.name,
            position=li.position or "",
            mobile=li.mobile or "",
            office_phone=li.office_phone or "",
            duty_hours=li.duty_hours or "",
            notes=li.notes or "",
        ),
        li.version,
    )


def contact(session: Session, actor: Actor, liaison_id: int) -> tuple[str, str, str]:
    """Who a liaison is ("区市场监管局 张三") and their mobile and office numbers, whole: they
    are official contacts, shown whole in the directory too."""
    require(actor, Action.VIEW)
    li = records.get(session, Liaison, liaison_id, "该联络人")
    return f"{li.department.short_name} {li.name}", li.mobile or "", li.office_phone or ""


def departments(session: Session, actor: Actor) -> list[tuple[str, int]]:
    """The active district departments a liaison can belong to, as (name, id) choices."""
    require(actor, Action.VIEW)
    query = (
        select(Unit.name, Unit.id)
        .where(Unit.kind == UnitKind.DEPARTMENT, Unit.active.is_(True))
        .order_by(Unit.sort_order, Unit.id)
    )
    return [(name, unit_id) for name, unit_id in session.execute(query)]


def _entries(session: Session, *tie_break: Any) -> list[tuple[Liaison, str]]:
    """Every liaison with its department's name, in the departments' order."""
    query = (
        select(Liaison, Unit.name)
        .join(Unit, Liaison.department_id == Unit.id)
        .order_by(Unit.sort_order, *tie_break, Liaison.role)
    )
    return [(liaison, department) for liaison, department in session.execute(query)]


def directory_entries(session: Session, actor: Actor) -> list[tuple[Liaison, str]]:
    """The liaisons for the printed 通讯名录 (departments of one rank by name)."""
    require(actor, Action.PRINT_DOCUMENT)
    return _entries(session, Unit.name)


def entries_for_export(session: Session, actor: Actor) -> list[tuple[Liaison, str]]:
    """The liaisons for the directory workbook (departments of one rank as entered)."""
    require(actor, Action.VIEW)
    return _entries(session, Unit.id)


def liaison_in_slot(session: Session, department_id: int, role: LiaisonRole) -> Liaison | None:
    """A department's liaison of one kind (each department has at most one of each)."""
    return session.scalar(
        select(Liaison).where(Liaison.department_id == department_id, Liaison.role == role)
    )
