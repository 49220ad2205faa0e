"""Inspected entities (检查对象) and the recusal register (回避).

An entity is identified by its unified social credit code (GB 32100-2015, check character
verified, full-width input folded). Its history is what the centre knows of it: complaints and
violations (incidents linked to it) and inspections (plan targets).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from commandcenter import timeutil
from commandcenter.db.models import (
    CreditGrade,
    Entity,
    EntityGradeChange,
    Grid,
    Incident,
    Person,
    Plan,
    PlanTarget,
    Recusal,
    User,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, inspection_publication, records, validators
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require


@dataclass
class EntityForm:
    name: str = ""
    uscc: str = ""
    address: str = ""
    grid_id: int | None = None
    industry: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    credit_grade: CreditGrade = CreditGrade.GREEN
    active: bool = True


def entity_values(
    session: Session, form: EntityForm, entity_id: int | None = None
) -> tuple[dict[str, Any], list[ValidationError]]:
    c = records.Checks()

    def uscc() -> str | None:
        if not (form.uscc or "").strip():
            return None
        code = validators.clean_uscc(form.uscc)
        other = session.scalar(select(Entity).where(Entity.uscc == code))
        if other is not None and other.id != entity_id:
            raise ValidationError(f"统一社会信用代码 {code} 已登记为“{other.name}”。")
        return code

    def grid() -> int | None:
        if form.grid_id is not None and session.get(Grid, form.grid_id) is None:
            raise ValidationError("所选网格不存在，请重新选择。")
        return form.grid_id

    def phone() -> str | None:
        text = (form.contact_phone or "").strip()
        return validators.clean_office_phone(text) if text else None

    c.step("name", lambda: records.text(form.name, "name", "名称", required=True, limit=200))
    c.step("uscc", uscc)
    c.step("address", lambda: records.text(form.address, "address", "地址", limit=200) or None)
    c.step("grid_id", grid)
    c.step("industry", lambda: records.text(form.industry, "industry", "行业", limit=50) or None)
    c.step(
        "contact_name",
        lambda: records.text(form.contact_name, "contact_name", "联系人", limit=50) or None,
    )
    c.step("contact_phone", phone)
    c.values["credit_grade"] = form.credit_grade
    c.values["active"] = form.active
    return c.values, c.problems


def save_entity(
    session: Session,
    actor: Actor,
    form: EntityForm,
    entity_id: int | None = None,
    expected_version: int | None = None,
) -> Entity:
    require(actor, Action.EDIT_ENTITIES)
    values, problems = entity_values(session, form, entity_id)
    records.raise_first(problems)
    if entity_id is None:
        entity = Entity(**values)
        session.add(entity)
        session.flush()
        audit.record(
            session,
            actor,
            "entity.create",
            f"新增检查对象 {entity.name}",
            entity_type="entity",
            entity_id=entity.id,
            changes=records.snapshot(values),
        )
        return entity
    entity = records.get(session, Entity, entity_id, "该检查对象")
    records.check_version(entity, expected_version, f"检查对象“{entity.name}”")
    grade = values.pop("credit_grade")
    changes = records.apply(entity, values)
    if grade is not entity.credit_grade:
        # Kept with the other grade changes, so the entity's history shows every one.
        inspection_publication.record_grade_change(
            session, actor, entity, grade, "修改检查对象信息时调整"
        )
    if changes:
        audit.record(
            session,
            actor,
            "entity.update",
            f"修改检查对象 {entity.name}",
            entity_type="entity",
            entity_id=entity.id,
            changes=changes,
        )
    return entity


def entity_form(session: Session, actor: Actor, entity_id: int) -> tuple[EntityForm, int]:
    require(actor, Action.EDIT_ENTITIES)
    e = records.get(session, Entity, entity_id, "该检查对象")
    return (
        EntityForm(
            name=e.name,
            uscc=e.uscc or "",
            address=e.address or "",
            grid_id=e.grid_id,
            industry=e.industry or "",
            contact_name=e.contact_name or "",
            contact_phone=e.contact_phone or "",
            credit_grade=e.credit_grade,
            active=e.active,
        ),
        e.version,
    )


@dataclass(frozen=True)
class HistoryLine:
    at: datetime | date
    kind: str  # 事件 / 检查 / 信用等级
    text: str


def history(session: Session, actor: Actor, entity_id: int) -> list[HistoryLine]:
    """Complaints and violations (its incidents), inspections (its plan targets, with the day
    and place their result was published) and credit-grade changes with their reasons, newest
    first."""
    require(actor, Action.VIEW)
    records.get(session, Entity, entity_id, "该检查对象")
    lines = [
        HistoryLine(i.received_at, "事件", f"{i.number} {i.title}（{i.status.label}）")
        for i in session.scalars(select(Incident).where(Incident.entity_id == entity_id))
    ]
    published = inspection_publication.published_targets(session)
    for target, plan in session.execute(
        select(PlanTarget, Plan)
        .join(Plan, PlanTarget.plan_id == Plan.id)
        .where(PlanTarget.entity_id == entity_id)
    ):
        findings = f"：{target.findings}" if target.findings else ""
        shown = published.get(target.id)
        notice = f"；{shown[0].isoformat()}已在{shown[1]}公示" if shown else ""
        lines.append(
            HistoryLine(
                timeutil.local_date(target.inspected_at)
                if target.inspected_at
                else plan.planned_on,
                "检查",
                f"{plan.title}（{target.result.label}）{findings}{notice}",
            )
        )
    for change, who in session.execute(
        select(EntityGradeChange, User.display_name)
        .join(User, EntityGradeChange.changed_by_id == User.id, isouter=True)
        .where(EntityGradeChange.entity_id == entity_id)
    ):
        lines.append(
            HistoryLine(
                timeutil.local_date(change.changed_at),
                "信用等级",
                f"{change.from_grade.label} → {change.to_grade.label}：{change.reason}"
                + (f"（{who}）" if who else ""),
            )
        )

    def key(line: HistoryLine) -> date:
        return timeutil.local_date(line.at) if isinstance(line.at, datetime) else line.at

    return sorted(lines, key=key, reverse=True)


# --- recusals -------------------------------------------------------------------------------


@dataclass
class RecusalForm:
    person_id: int | None = None
    entity_id: int | None = None
    reason: str = ""
    from_date: date | None = None
    to_date: date | None = None


def add_recusal(session: Session, actor: Actor, form: RecusalForm) -> Recusal:
    """A person who must not inspect an entity; draws and dispatches leave them out."""
    require(actor, Action.EDIT_RECUSALS)
    c = records.Checks()
    c.step("person_id", lambda: records.get(session, Person, form.person_id or 0, "所选人员").id)
    c.step(
        "entity_id", lambda: records.get(session, Entity, form.entity_id or 0, "所选检查对象").id
    )
    c.step(
        "reason", lambda: records.text(form.reason, "reason", "回避理由", required=True, limit=300)
    )
    if form.from_date is None:
        c.fail("请填写回避开始日期。", "from_date")
    if form.from_date and form.to_date and form.to_date < form.from_date:
        c.fail("结束日期不能早于开始日期。", "to_date")
    records.raise_first(c.problems)
    recusal = Recusal(**c.values, from_date=form.from_date, to_date=form.to_date)
    session.add(recusal)
    session.flush()
    person = session.get_one(Person, recusal.person_id)
    entity = session.get_one(Entity, recusal.entity_id)
    audit.record(
        session,
        actor,
        "recusal.add",
        f"{person.name}回避检查对象“{entity.name}”：{recusal.reason}",
        entity_type="recusal",
        entity_id=recusal.id,
    )
    return recusal


def end_recusal(session: Session, actor: Actor, recusal_id: int, on: date) -> None:
    require(actor, Action.EDIT_RECUSALS)
    recusal = records.get(session, Recusal, recusal_id, "该回避记录")
    if on < recusal.from_date:
        raise ValidationError("结束日期不能早于开始日期。", "to_date")
    recusal.to_date = on
    audit.record(
        session,
        actor,
        "recusal.end",
        f"回避记录 {recusal.id} 于 {on.isoformat()} 结束",
        entity_type="recusal",
        entity_id=recusal.id,
    )


def recusals_in_force(session: Session, actor: Actor, on: date) -> list[tuple[int, str, str, str]]:
    """(id, person, entity, reason) of the recusals in force on *on*."""
    require(actor, Action.VIEW)
    rows = session.execute(
        select(Recusal.id, Person.name, Entity.name, Recusal.reason)
        .join(Person, Recusal.person_id == Person.id)
        .join(Entity, Recusal.entity_id == Entity.id)
        .where(Recusal.from_date <= on, or_(Recusal.to_date.is_(None), Recusal.to_date >= on))
        .order_by(Person.name, Entity.name)
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def entities_for_export(session: Session, actor: Actor) -> list[Entity]:
    require(actor, Action.VIEW)
    return list(
        session.scalars(
            select(Entity).options(selectinload(Entity.grid)).order_by(Entity.name, Entity.id)
        )
    )


def entity_with_code(session: Session, uscc: str) -> Entity | None:
    """The entity registered under this unified social credit code."""
    return session.scalar(select(Entity).where(Entity.uscc == validators.normalise(uscc)))


def entity_without_code(session: Session, name: str, address: str | None) -> Entity | None:
    """An entity without a credit code is known by its name at its address."""
    return session.scalar(
        select(Entity).where(
            Entity.uscc.is_(None),
            Entity.name == name.strip(),
            Entity.address == ((address or "").strip() or None),
        )
    )
