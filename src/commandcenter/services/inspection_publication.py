"""抽查结果公示 (双随机一公开's 公开, seed 003 III.12): the list of a period's inspection results,
its publication record, and the credit-grade changes the centre decides on those results.

A period's list holds every target inspected in it (a result recorded, 合格 / 责令整改 / 立案,
on a plan not cancelled), by the Beijing day of the inspection. Publishing freezes the list as it
stands into the publication record with the day, the place and who published it: a later edit
of an entity or a result changes the live list but never a published one. Grades are never
changed by a result itself; a leader decides, and the reason is kept beside the audit record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from commandcenter import timeutil
from commandcenter.db.models import (
    CreditGrade,
    Entity,
    EntityGradeChange,
    InspectionPublication,
    InspectionResult,
    Plan,
    PlanStatus,
    PlanTarget,
    User,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records, settings
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

PLACES = ("政府网站", "街道公示栏", "政务公开栏", "国家企业信用信息公示系统")
NOTICE_TITLE = "“双随机、一公开”抽查检查结果公示"


@dataclass(frozen=True)
class NoticeRow:
    """One line of the list, as published."""

    target_id: int
    entity: str
    uscc: str
    plan: str  # title, with its number where it has one
    inspected_on: date
    items: str  # the plan's items checked, by name
    result: str
    fields: str = ""  # the items' fields, 市场监管、生态环境
    item_count: int = 0

    @property
    def items_short(self) -> str:
        """The items as a notice's narrow column holds them: their names when short, else
        their fields and number (the workbook keeps every name)."""
        if len(self.items) <= 40 or not self.fields:
            return self.items
        return f"{self.fields}领域共 {self.item_count} 项"

    def as_json(self) -> dict[str, Any]:
        return {
            "target_id": self.target_id,
            "entity": self.entity,
            "uscc": self.uscc,
            "plan": self.plan,
            "inspected_on": self.inspected_on.isoformat(),
            "items": self.items,
            "result": self.result,
            "fields": self.fields,
            "item_count": self.item_count,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> NoticeRow:
        return cls(
            int(value["target_id"]),
            str(value["entity"]),
            str(value["uscc"]),
            str(value["plan"]),
            date.fromisoformat(str(value["inspected_on"])),
            str(value["items"]),
            str(value["result"]),
            str(value.get("fields", "")),
            int(value.get("item_count", 0)),
        )


def _check_period(period_from: date | None, period_to: date | None) -> tuple[date, date]:
    if period_from is None:
        raise ValidationError("请填写公示期间的开始日期。", "period_from")
    if period_to is None:
        raise ValidationError("请填写公示期间的结束日期。", "period_to")
    if period_to < period_from:
        raise ValidationError("公示期间的结束日期不能早于开始日期。", "period_to")
    return period_from, period_to


def _live_rows(session: Session, period_from: date, period_to: date) -> list[NoticeRow]:
    start = timeutil.start_of_local_day(period_from)
    end = timeutil.start_of_local_day(period_to + timedelta(days=1))
    found = session.execute(
        select(PlanTarget, Plan)
        .join(Plan, PlanTarget.plan_id == Plan.id)
        .where(
            Plan.status != PlanStatus.CANCELLED,
            PlanTarget.result != InspectionResult.PENDING,
            PlanTarget.inspected_at >= start,
            PlanTarget.inspected_at < end,
        )
        .options(selectinload(PlanTarget.entity), selectinload(Plan.items))
        .order_by(PlanTarget.inspected_at, PlanTarget.id)
    ).all()
    rows = []
    for target, plan in found:
        assert target.inspected_at is not None
        items = sorted(plan.items, key=lambda i: i.code)
        fields = list(dict.fromkeys(i.field for i in items))
        rows.append(
            NoticeRow(
                target_id=target.id,
                entity=target.entity.name,
                uscc=target.entity.uscc or "",
                plan=f"{plan.title}（{plan.number}）" if plan.number else plan.title,
                inspected_on=timeutil.local_date(target.inspected_at),
                items="、".join(i.name for i in items),
                result=target.result.label,
                fields="、".join(fields),
                item_count=len(items),
            )
        )
    return rows


def period_rows(
    session: Session, actor: Actor, period_from: date | None, period_to: date | None
) -> list[NoticeRow]:
    """The list of the period as the records stand now (what publishing would freeze)."""
    require(actor, Action.VIEW)
    start, end = _check_period(period_from, period_to)
    return _live_rows(session, start, end)


@dataclass
class PublicationForm:
    period_from: date | None = None
    period_to: date | None = None
    published_on: date | None = None
    place: str = PLACES[0]
    note: str = ""


def publish(session: Session, actor: Actor, form: PublicationForm) -> InspectionPublication:
    """Record that the period's list was published, freezing it as it stands."""
    require(actor, Action.EDIT_PLAN)
    start, end = _check_period(form.period_from, form.period_to)
    day = form.published_on
    if day is None:
        raise ValidationError("请填写公示日期。", "published_on")
    if day > timeutil.today():
        raise ValidationError("公示日期不能晚于今天：请在公示后登记。", "published_on")
    if day < start:
        raise ValidationError("公示日期不能早于公示期间的开始日期。", "published_on")
    place = records.text(form.place, "place", "公示载体", required=True, limit=100)
    note = records.text(form.note, "note", "说明", limit=500) or None
    same = session.scalar(
        select(InspectionPublication).where(
            InspectionPublication.period_from == start, InspectionPublication.period_to == end
        )
    )
    if same is not None:
        raise ValidationError(
            f"{start.isoformat()} 至 {end.isoformat()} 的抽查结果已于 "
            f"{same.published_on.isoformat()} 在{same.place}公示，不能重复登记。",
            "period_from",
        )
    rows = _live_rows(session, start, end)
    if not rows:
        raise ValidationError(
            f"{start.isoformat()} 至 {end.isoformat()} 没有已登记结果的检查，无需公示。",
            "period_from",
        )
    publication = InspectionPublication(
        period_from=start,
        period_to=end,
        published_on=day,
        place=place,
        note=note,
        published_by_id=actor.user_id,
        rows=[r.as_json() for r in rows],
    )
    session.add(publication)
    session.flush()
    audit.record(
        session,
        actor,
        "inspection.publish",
        f"公示 {start.isoformat()} 至 {end.isoformat()} 抽查结果 {len(rows)} 条"
        f"（{day.isoformat()}，{place}）",
        entity_type="inspection_publication",
        entity_id=publication.id,
        changes={"rows": len(rows), "published_on": day.isoformat(), "place": place},
    )
    return publication


@dataclass(frozen=True)
class Publication:
    id: int
    period_from: date
    period_to: date
    published_on: date
    place: str
    note: str
    published_by: str
    rows: list[NoticeRow]

    @property
    def period(self) -> str:
        return period_words(self.period_from, self.period_to)


def period_words(start: date, end: date) -> str:
    """2026年11月 for a whole month, else 2026年11月3日至2026年11月16日."""
    month_end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if start.day == 1 and end == month_end:
        return f"{start.year}年{start.month}月"
    return f"{timeutil.chinese_date(start)}至{timeutil.chinese_date(end)}"


def _publication(session: Session, found: InspectionPublication) -> Publication:
    user = session.get(User, found.published_by_id)
    return Publication(
        found.id,
        found.period_from,
        found.period_to,
        found.published_on,
        found.place,
        found.note or "",
        user.display_name if user else "",
        [NoticeRow.from_json(r) for r in found.rows],
    )


def publications(session: Session, actor: Actor) -> list[Publication]:
    """Every publication, the newest period first."""
    require(actor, Action.VIEW)
    found = session.scalars(
        select(InspectionPublication).order_by(
            InspectionPublication.period_from.desc(), InspectionPublication.id.desc()
        )
    )
    return [_publication(session, p) for p in found]


def publication(session: Session, actor: Actor, publication_id: int) -> Publication:
    require(actor, Action.VIEW)
    return _publication(
        session, records.get(session, InspectionPublication, publication_id, "该公示记录")
    )


def newest_publication(session: Session) -> int | None:
    return session.scalar(
        select(InspectionPublication.id).order_by(InspectionPublication.id.desc()).limit(1)
    )


def published_targets(session: Session) -> dict[int, tuple[date, str]]:
    """Target -> (day, place) of its first publication, for the entities' histories."""
    found: dict[int, tuple[date, str]] = {}
    for day, place, rows in session.execute(
        select(
            InspectionPublication.published_on,
            InspectionPublication.place,
            InspectionPublication.rows,
        ).order_by(InspectionPublication.published_on.desc())
    ):
        for row in rows:
            found[int(row["target_id"])] = (day, place)
    return found


# --- the credit grade the centre decides -------------------------------------------------------


def change_grade(
    session: Session,
    actor: Actor,
    entity_id: int,
    grade: CreditGrade,
    reason: str,
    *,
    target_id: int | None = None,
    expected_version: int | None = None,
) -> EntityGradeChange:
    """Set an entity's credit grade on a leader's decision, keeping the reason and the
    inspection behind it (one of the entity's own, where given)."""
    require(actor, Action.CHANGE_CREDIT_GRADE)
    entity = records.get(session, Entity, entity_id, "该检查对象")
    records.check_version(entity, expected_version, f"检查对象“{entity.name}”")
    text = records.text(reason, "reason", "调整理由", required=True, limit=500)
    if grade is entity.credit_grade:
        raise ValidationError(f"“{entity.name}”的信用等级已是{grade.label}。", "grade")
    if target_id is not None:
        target = records.get(session, PlanTarget, target_id, "所选检查记录")
        if target.entity_id != entity.id:
            raise ValidationError("所选检查记录不是该检查对象的。", "target_id")
        if target.result is InspectionResult.PENDING:
            raise ValidationError("所选检查尚未登记结果，不能作为调整依据。", "target_id")
    return record_grade_change(session, actor, entity, grade, text, target_id)


def record_grade_change(
    session: Session,
    actor: Actor,
    entity: Entity,
    grade: CreditGrade,
    reason: str,
    target_id: int | None = None,
) -> EntityGradeChange:
    """Move *entity* to *grade* and keep the change with its reason, audited. The caller has
    checked the permission (a leader's decision, or an edit of the entity's record)."""
    change = EntityGradeChange(
        entity_id=entity.id,
        from_grade=entity.credit_grade,
        to_grade=grade,
        reason=reason,
        plan_target_id=target_id,
        changed_by_id=actor.user_id,
        changed_at=timeutil.now(),
    )
    session.add(change)
    entity.credit_grade = grade
    session.flush()
    audit.record(
        session,
        actor,
        "entity.grade",
        f"检查对象“{entity.name}”信用等级 {change.from_grade.label} → {grade.label}：{reason}",
        entity_type="entity",
        entity_id=entity.id,
        changes={"credit_grade": [change.from_grade.value, grade.value], "reason": reason},
    )
    return change


@dataclass(frozen=True)
class GradeBasis:
    """An inspection a grade change may rest on, for the form's choice."""

    target_id: int
    caption: str


def grade_bases(session: Session, actor: Actor, entity_id: int) -> list[GradeBasis]:
    """The entity's inspections with a result, newest first."""
    require(actor, Action.VIEW)
    found = session.execute(
        select(PlanTarget, Plan)
        .join(Plan, PlanTarget.plan_id == Plan.id)
        .where(PlanTarget.entity_id == entity_id, PlanTarget.result != InspectionResult.PENDING)
        .order_by(PlanTarget.inspected_at.desc(), PlanTarget.id.desc())
    ).all()
    return [
        GradeBasis(
            t.id,
            f"{timeutil.format_local(t.inspected_at, with_time=False) if t.inspected_at else ''}"
            f" {p.title}：{t.result.label}",
        )
        for t, p in found
    ]


def default_period(today: date) -> tuple[date, date]:
    """Last month, the period a monthly list is published for."""
    first = today.replace(day=1)
    last = first - timedelta(days=1)
    return last.replace(day=1), last


# --- the printed notice -----------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """What the 抽查结果公示 prints: a publication as frozen, or a period's list not yet
    published (marked so, and dated by hand)."""

    street: str
    centre_name: str
    period: str
    rows: list[NoticeRow]
    published_on: date | None  # None: not published yet
    place: str = ""

    @property
    def title(self) -> str:
        return f"{self.street}{self.period}{NOTICE_TITLE}"


def notice_for_paper(session: Session, actor: Actor, publication_id: int) -> Notice:
    require(actor, Action.PRINT_DOCUMENT)
    found = publication(session, actor, publication_id)
    centre = settings.load(session)
    return Notice(
        centre.street_name,
        centre.centre_name,
        found.period,
        found.rows,
        found.published_on,
        found.place,
    )


def draft_notice_for_paper(
    session: Session, actor: Actor, period_from: date | None, period_to: date | None
) -> Notice:
    require(actor, Action.PRINT_DOCUMENT)
    rows = period_rows(session, actor, period_from, period_to)
    start, end = _check_period(period_from, period_to)
    centre = settings.load(session)
    return Notice(centre.street_name, centre.centre_name, period_words(start, end), rows, None)
