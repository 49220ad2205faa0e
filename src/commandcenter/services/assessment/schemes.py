"""考核方案: a year's indicators, weights and grade bands, for agencies or for people.

A new year's scheme starts as a copy of the latest earlier one (or of the template below), so
the centre adjusts weights rather than retyping them. A scheme stays editable until one of its
sheets is locked: a signed sheet must keep the rules it was scored by.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from commandcenter.db.models import (
    AssessmentScheme,
    AssessmentSheet,
    AssessmentSubject,
    Grade,
    GradeBand,
    Indicator,
    IndicatorSide,
    IndicatorSource,
    PersonGroup,
    Score,
    SheetStatus,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import followup_metrics as _followup_metrics  # noqa: F401
from commandcenter.services.assessment.metrics import METRICS
from commandcenter.services.assessment.person_templates import GROUP_TEMPLATES
from commandcenter.services.permissions import Action, require

_C, _M = IndicatorSource.COMPUTED, IndicatorSource.MANUAL
_ST, _DE = IndicatorSide.STREET, IndicatorSide.DEPARTMENT

# (code, name, source, metric, side, weight): the street's side 70, the department's 30.
TEMPLATES: dict[AssessmentSubject, list[tuple[str, str, IndicatorSource, str | None, IndicatorSide, int]]] = {
    AssessmentSubject.AGENCY: [
        ("received", "受理事件数（参考）", _C, "incidents_received", _ST, 0),
        ("on_time", "按期反馈率", _C, "on_time_rate", _ST, 15),
        ("overdue", "超期件数", _C, "overdue_count", _ST, 8),
        ("returned", "退回派单数", _C, "returned_orders", _ST, 4),
        ("accept", "平均签收用时", _C, "accept_hours", _ST, 4),
        ("whistle", "吹哨报到响应时间", _C, "whistle_response", _ST, 6),
        ("joint_ops", "联合执法参与率", _C, "joint_attendance", _ST, 6),
        # What the unit answers for is a paper left unanswered, not the centre issuing one
        # (收到督办文书数 stays a figure a scheme may add); twelve rows keep the sheet one page.
        ("late_follow_ups", "逾期未回复督办和移送", _C, "late_follow_ups", _ST, 4),
        ("satisfaction", "回访满意度", _C, "satisfaction", _ST, 3),
        ("social", "驻在地社会评价", _M, None, _ST, 10),
        ("street", "街道综合评价", _M, None, _ST, 10),
        ("department", "区级部门评价", _M, None, _DE, 30),
    ],
    # The person schemes, one per group: person_templates.GROUP_TEMPLATES.
    AssessmentSubject.PERSON: [
        (code, name, src, metric, side, weight)
        for code, name, src, metric, side, weight, *_ in GROUP_TEMPLATES[PersonGroup.OFFICER]
    ],
}  # fmt: skip
DEFAULT_BANDS = {Grade.EXCELLENT: 90, Grade.GOOD: 80, Grade.PASS: 60, Grade.FAIL: 0}


def scheme_name(year: int, subject: AssessmentSubject, group: PersonGroup | None = None) -> str:
    if subject is AssessmentSubject.AGENCY:
        return f"{year}年度派驻机构双向考核方案"
    return f"{year}年度{(group or PersonGroup.OFFICER).label}考核方案"


def who(scheme: AssessmentScheme) -> str:
    """Whom the scheme assesses, in words: 派驻机构, 执法人员, 指挥室人员 ..."""
    if scheme.subject is AssessmentSubject.AGENCY:
        return AssessmentSubject.AGENCY.label
    return (scheme.group or PersonGroup.OFFICER).label


def groups(subject: AssessmentSubject) -> list[PersonGroup | None]:
    """The schemes a year has for *subject*: one for agencies, one per group for people."""
    return [None] if subject is AssessmentSubject.AGENCY else list(PersonGroup)


def find(
    session: Session,
    year: int,
    subject: AssessmentSubject,
    group: PersonGroup | None = None,
) -> AssessmentScheme | None:
    """The year's scheme for *subject* (and, for people, *group*; 执法人员 if not given)."""
    if subject is AssessmentSubject.PERSON:
        group = group or PersonGroup.OFFICER
    return session.scalar(
        select(AssessmentScheme).where(
            AssessmentScheme.year == year,
            AssessmentScheme.subject == subject,
            AssessmentScheme.group.is_(None) if group is None else AssessmentScheme.group == group,
        )
    )


def for_year_export(
    session: Session, actor: Actor, year: int
) -> list[tuple[AssessmentSubject, AssessmentScheme]]:
    """The year's schemes, subject by subject and group by group, for the year-end folder."""
    require(actor, Action.PRINT_DOCUMENT)
    return [
        (subject, scheme)
        for subject in AssessmentSubject
        for group in groups(subject)
        if (scheme := find(session, year, subject, group)) is not None
    ]


def years(session: Session) -> list[int]:
    return sorted(set(session.scalars(select(AssessmentScheme.year))), reverse=True)


def scheme_years(session: Session, actor: Actor) -> list[int]:
    """The years that have an assessment scheme, newest first."""
    require(actor, Action.VIEW)
    return years(session)


def ensure_all(
    session: Session, actor: Actor, year: int, subject: AssessmentSubject
) -> list[AssessmentScheme]:
    """Every scheme of the year for *subject*: the agencies', or the four person groups'."""
    return [ensure(session, actor, year, subject, group) for group in groups(subject)]


def ensure(
    session: Session,
    actor: Actor,
    year: int,
    subject: AssessmentSubject,
    group: PersonGroup | None = None,
) -> AssessmentScheme:
    """The year's scheme, made from the latest earlier one of the same subject and group (or
    the template) if there is none. For people, all four groups' schemes are made together;
    the one returned is *group*'s (执法人员 if not given)."""
    if subject is AssessmentSubject.PERSON:
        group = group or PersonGroup.OFFICER
        for other in PersonGroup:
            if other is not group:
                _ensure_one(session, actor, year, subject, other)
    return _ensure_one(session, actor, year, subject, group)


def _ensure_one(
    session: Session,
    actor: Actor,
    year: int,
    subject: AssessmentSubject,
    group: PersonGroup | None,
) -> AssessmentScheme:
    existing = find(session, year, subject, group)
    if existing is not None:
        return existing
    require(actor, Action.EDIT_ASSESSMENT)
    source = session.scalar(
        select(AssessmentScheme)
        .where(
            AssessmentScheme.subject == subject,
            AssessmentScheme.group.is_(None) if group is None else AssessmentScheme.group == group,
            AssessmentScheme.year < year,
        )
        .order_by(AssessmentScheme.year.desc())
        .limit(1)
    )
    scheme = AssessmentScheme(
        year=year,
        subject=subject,
        group=group,
        name=scheme_name(year, subject, group),
        copied_from_id=source.id if source else None,
    )
    session.add(scheme)
    session.flush()
    if source is not None:
        for ind in source.indicators:
            session.add(
                Indicator(
                    scheme_id=scheme.id,
                    **{
                        k: getattr(ind, k)
                        for k in (
                            "code",
                            "name",
                            "source",
                            "metric",
                            "side",
                            "weight",
                            "max_score",
                            "full_at",
                            "zero_at",
                            "sort_order",
                            "description",
                        )
                    },
                )
            )
        bands = {b.grade: b.min_score for b in source.bands}
    else:
        template = (
            GROUP_TEMPLATES[group]
            if group is not None
            else [(*row, None, None) for row in TEMPLATES[subject]]
        )
        for n, (code, name, src, metric, side, weight, full_at, zero_at) in enumerate(template):
            m = METRICS.get(metric or "")
            session.add(
                Indicator(
                    scheme_id=scheme.id,
                    code=code,
                    name=name,
                    source=src,
                    metric=metric,
                    side=side,
                    weight=weight,
                    max_score=100,
                    full_at=(full_at if full_at is not None else m.full_at) if m else None,
                    zero_at=(zero_at if zero_at is not None else m.zero_at) if m else None,
                    sort_order=n,
                    description=m.rule if m else None,
                )
            )
        bands = dict(DEFAULT_BANDS)
    for grade, minimum in bands.items():
        session.add(GradeBand(scheme_id=scheme.id, grade=grade, min_score=minimum))
    session.flush()
    session.refresh(scheme)
    audit.record(
        session,
        actor,
        "assessment.scheme",
        f"建立{scheme.name}" + (f"（沿用{source.year}年度方案）" if source else "（按默认模板）"),
        entity_type="assessment_scheme",
        entity_id=scheme.id,
    )
    return scheme


def locked_sheets(session: Session, scheme_id: int) -> int:
    return len(
        session.scalars(
            select(AssessmentSheet.id).where(
                AssessmentSheet.scheme_id == scheme_id,
                AssessmentSheet.status == SheetStatus.LOCKED,
            )
        ).all()
    )


def _editable(session: Session, actor: Actor, scheme_id: int) -> AssessmentScheme:
    require(actor, Action.EDIT_ASSESSMENT)
    scheme = records.get(session, AssessmentScheme, scheme_id, "考核方案")
    if n := locked_sheets(session, scheme_id):
        raise ValidationError(
            f"{scheme.name}已有 {n} 份考核评价表锁定签发，方案不能再修改。如确需调整，请领导先解锁。"
        )
    return scheme


@dataclass(frozen=True)
class IndicatorForm:
    code: str
    name: str
    source: IndicatorSource
    side: IndicatorSide
    weight: float
    metric: str | None = None
    full_at: float | None = None
    zero_at: float | None = None
    description: str | None = None


def indicator_form(indicator: Indicator) -> IndicatorForm:
    """An indicator as its form, to edit it."""
    return IndicatorForm(
        code=indicator.code,
        name=indicator.name,
        source=indicator.source,
        side=indicator.side,
        weight=float(indicator.weight),
        metric=indicator.metric,
        full_at=float(indicator.full_at) if indicator.full_at is not None else None,
        zero_at=float(indicator.zero_at) if indicator.zero_at is not None else None,
        description=indicator.description,
    )


def save_indicator(
    session: Session,
    actor: Actor,
    scheme_id: int,
    form: IndicatorForm,
    indicator_id: int | None = None,
) -> Indicator:
    scheme = _editable(session, actor, scheme_id)
    checks = records.Checks()
    checks.step(
        "code", lambda: records.text(form.code, "code", "指标代码", required=True, limit=40)
    )
    checks.step(
        "name", lambda: records.text(form.name, "name", "指标名称", required=True, limit=100)
    )
    if not 0 <= form.weight <= 100:
        checks.fail("权重应在 0 到 100 之间。", "weight")
    metric = None
    if form.source is IndicatorSource.COMPUTED:
        metric = METRICS.get(form.metric or "")
        if metric is None or metric.subject is not scheme.subject:
            checks.fail("系统计算的指标须选择一项统计口径。", "metric")
        elif form.full_at is None or form.zero_at is None or form.full_at == form.zero_at:
            checks.fail("请填写满分值与零分值，且两者不能相同。", "full_at")
    records.raise_first(checks.problems)
    clash = session.scalar(
        select(Indicator.id).where(
            Indicator.scheme_id == scheme_id,
            Indicator.code == checks.values["code"],
            Indicator.id != (indicator_id or 0),
        )
    )
    if clash:
        raise ValidationError(f"方案中已有代码为“{form.code}”的指标。", "code")
    values = {
        "code": checks.values["code"],
        "name": checks.values["name"],
        "source": form.source,
        "side": form.side,
        "weight": Decimal(str(form.weight)),
        "metric": metric.code if metric else None,
        "full_at": Decimal(str(form.full_at)) if metric and form.full_at is not None else None,
        "zero_at": Decimal(str(form.zero_at)) if metric and form.zero_at is not None else None,
        "description": form.description or (metric.rule if metric else None),
    }
    if indicator_id is None:
        order = max((i.sort_order for i in scheme.indicators), default=-1) + 1
        indicator = Indicator(scheme_id=scheme_id, max_score=100, sort_order=order, **values)
        session.add(indicator)
        changes: dict[str, Any] = {k: str(v) for k, v in values.items()}
    else:
        indicator = records.get(session, Indicator, indicator_id, "考核指标")
        changes = records.apply(indicator, values)
    audit.record(
        session,
        actor,
        "assessment.indicator",
        f"{scheme.name}：{'新增' if indicator_id is None else '修改'}指标“{values['name']}”",
        entity_type="assessment_scheme",
        entity_id=scheme_id,
        changes=changes,
    )
    return indicator


def remove_indicator(session: Session, actor: Actor, indicator_id: int) -> None:
    indicator = records.get(session, Indicator, indicator_id, "考核指标")
    scheme = _editable(session, actor, indicator.scheme_id)
    session.execute(delete(Score).where(Score.indicator_id == indicator_id))
    session.delete(indicator)
    audit.record(
        session,
        actor,
        "assessment.indicator",
        f"{scheme.name}：删除指标“{indicator.name}”",
        entity_type="assessment_scheme",
        entity_id=scheme.id,
    )


def set_bands(session: Session, actor: Actor, scheme_id: int, bands: dict[Grade, float]) -> None:
    """Lowest total score for each grade; 不合格 is always from 0."""
    scheme = _editable(session, actor, scheme_id)
    bands = {**bands, Grade.FAIL: 0}
    ordered = [bands[g] for g in (Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL)]
    if any(not 0 <= v <= 100 for v in ordered) or ordered != sorted(ordered, reverse=True):
        raise ValidationError("等次分数线应在 0 到 100 之间，且优秀 ≥ 良好 ≥ 合格。")
    before = {b.grade.label: float(b.min_score) for b in scheme.bands}
    session.execute(delete(GradeBand).where(GradeBand.scheme_id == scheme_id))
    for grade, minimum in bands.items():
        session.add(GradeBand(scheme_id=scheme_id, grade=grade, min_score=minimum))
    audit.record(
        session,
        actor,
        "assessment.bands",
        f"{scheme.name}：调整等次分数线",
        entity_type="assessment_scheme",
        entity_id=scheme_id,
        changes=audit.diff(before, {g.label: float(v) for g, v in bands.items()}),
    )


@dataclass(frozen=True)
class SchemeView:
    """A scheme as its editor shows it."""

    name: str
    indicators: list[tuple[int, IndicatorForm]]  # (indicator id, its form), in order
    bands: dict[Grade, float]  # the lowest total of each grade
    problems: list[str]
    locked_sheets: int  # sheets signed off under it; while any are, it can only be read


def view(session: Session, actor: Actor, scheme_id: int) -> SchemeView:
    require(actor, Action.VIEW)
    scheme = records.get(session, AssessmentScheme, scheme_id, "该考核方案")
    return SchemeView(
        scheme.name,
        [(indicator.id, indicator_form(indicator)) for indicator in scheme.indicators],
        {band.grade: float(band.min_score) for band in scheme.bands},
        problems(scheme),
        locked_sheets(session, scheme_id),
    )


def problems(scheme: AssessmentScheme) -> list[str]:
    """What keeps the scheme from scoring sheets, in words."""
    found = []
    total = sum(float(i.weight) for i in scheme.indicators)
    if abs(total - 100) > 0.001:
        found.append(f"各指标权重合计应为 100，现为 {total:g}。")
    for ind in scheme.indicators:
        if ind.source is IndicatorSource.COMPUTED and ind.metric not in METRICS:
            found.append(f"指标“{ind.name}”没有有效的统计口径。")
    if not scheme.bands:
        found.append("尚未设置等次分数线。")
    return found


def grade_for(scheme: AssessmentScheme, total: float) -> Grade:
    for band in sorted(scheme.bands, key=lambda b: float(b.min_score), reverse=True):
        if total >= float(band.min_score):
            return band.grade
    return Grade.FAIL
