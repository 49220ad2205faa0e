"""年度检查总计划 (seed 002 "全面制定年度检查总计划"; seed 003 "合理确定年度随机抽查的比例和频次")
and the year's coverage against it.

A line names an industry (every industry when blank) and a department (any when blank), the
share of that industry's entities to check (抽查比例, whole per cent), how often each a year
(频次) and whether every one must be checked (全覆盖, which is 100 %). The definitions:

- 在册: the active entities of the line's industry, as the directory stands.
- 应查: ⌈在册 × 比例 ÷ 100⌉ entities, each 频次 times: 应查次数 = 应查 × 频次.
- An inspection counts for a line when a target of a plan of the year (by its planned day, not
  cancelled) has its result recorded, the entity is of the line's industry, and the line's
  department is the plan's lead unit or one of its departments. 已查 is the entities with at
  least one such inspection, 查足 those with 频次 or more, 检查次数 all of them; 已安排 the
  targets of such plans still waiting for a result.
- A line is 完成 when 查足 ≥ 应查; a 全覆盖 line when no entity of its 在册 is left unchecked.
- 从未检查: active entities with no result recorded on any plan of the year, whatever the plan.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    AnnualInspectionPlan,
    AnnualPlanLine,
    Entity,
    Grid,
    InspectionResult,
    Plan,
    PlanStatus,
    PlanTarget,
    Unit,
    plan_departments,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records, settings
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require

ALL_INDUSTRIES = "全部行业"
ANY_DEPARTMENT = "各部门"
MAX_FREQUENCY = 12


@dataclass
class LineForm:
    industry: str = ""
    department_id: int | None = None
    percent: int | None = None
    frequency: int | None = 1
    full_coverage: bool = False


def line_values(
    session: Session, form: LineForm
) -> tuple[dict[str, object], list[ValidationError]]:
    """The line's stored values and every problem with the form (the import reports them all)."""
    c = records.Checks()
    c.step("industry", lambda: records.text(form.industry, "industry", "行业", limit=50) or None)
    if c.values.get("industry") == ALL_INDUSTRIES:
        c.values["industry"] = None

    def department() -> int | None:
        if form.department_id is not None and session.get(Unit, form.department_id) is None:
            raise ValidationError("所选部门不存在，请重新选择。")
        return form.department_id

    c.step("department_id", department)
    full = bool(form.full_coverage)
    c.values["full_coverage"] = full
    if full:
        c.values["percent"] = 100  # 全覆盖 is every entity
    elif form.percent is None or not 1 <= form.percent <= 100:
        c.fail("抽查比例请填 1 至 100 之间的整数（百分比）。", "percent")
    else:
        c.values["percent"] = form.percent
    if form.frequency is None or not 1 <= form.frequency <= MAX_FREQUENCY:
        c.fail(f"检查频次请填每年 1 至 {MAX_FREQUENCY} 次。", "frequency")
    else:
        c.values["frequency"] = form.frequency
    return c.values, c.problems


def _plan_of_year(session: Session, year: int) -> AnnualInspectionPlan | None:
    return session.scalar(select(AnnualInspectionPlan).where(AnnualInspectionPlan.year == year))


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError("请填写正确的年度。", "year")


def _ensure_plan(session: Session, actor: Actor, year: int) -> AnnualInspectionPlan:
    plan = _plan_of_year(session, year)
    if plan is None:
        plan = AnnualInspectionPlan(year=year, title=f"{year}年度检查总计划")
        session.add(plan)
        session.flush()
        audit.record(
            session,
            actor,
            "annual_plan.create",
            f"建立{plan.title}",
            entity_type="annual_plan",
            entity_id=plan.id,
        )
    return plan


def _line_words(session: Session, values: dict[str, object]) -> str:
    industry = values.get("industry") or ALL_INDUSTRIES
    unit_id = values.get("department_id")
    unit = session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    # The full-width ％ of Chinese text: the audit log's search takes a typed % as a character.
    rule = "全覆盖" if values["full_coverage"] else f"抽查 {values['percent']}％"
    return f"{industry}／{unit.name if unit else ANY_DEPARTMENT}：{rule}，每年 {values['frequency']} 次"


def _same_line(
    session: Session, plan_id: int, values: dict[str, object], line_id: int | None
) -> None:
    found = session.scalar(
        select(AnnualPlanLine.id).where(
            AnnualPlanLine.plan_id == plan_id,
            AnnualPlanLine.id != (line_id or 0),
            AnnualPlanLine.industry.is_(None)
            if values["industry"] is None
            else AnnualPlanLine.industry == values["industry"],
            AnnualPlanLine.department_id.is_(None)
            if values["department_id"] is None
            else AnnualPlanLine.department_id == values["department_id"],
        )
    )
    if found is not None:
        raise ValidationError("该年度计划已有同一行业和部门的一行，请编辑那一行。", "industry")


def save_line(
    session: Session, actor: Actor, year: int, form: LineForm, line_id: int | None = None
) -> AnnualPlanLine:
    """Add a line to the year's plan (made on its first line), or change one."""
    require(actor, Action.EDIT_PLAN)
    _check_year(year)
    values, problems = line_values(session, form)
    records.raise_first(problems)
    plan = _ensure_plan(session, actor, year)
    _same_line(session, plan.id, values, line_id)
    if line_id is None:
        line = AnnualPlanLine(plan_id=plan.id, **values)
        session.add(line)
        action, words = (
            "annual_plan.line",
            f"{year}年度检查总计划新增：{_line_words(session, values)}",
        )
    else:
        line = records.get(session, AnnualPlanLine, line_id, "该计划行")
        if line.plan_id != plan.id:
            raise ValidationError("该计划行不属于所选年度。", "year")
        records.apply(line, values)
        action, words = (
            "annual_plan.line",
            f"{year}年度检查总计划修改：{_line_words(session, values)}",
        )
    plan.version += 1  # a line's change is a change of the plan, for other workstations
    session.flush()
    audit.record(session, actor, action, words, entity_type="annual_plan", entity_id=plan.id)
    return line


def delete_line(session: Session, actor: Actor, line_id: int) -> None:
    require(actor, Action.EDIT_PLAN)
    line = records.get(session, AnnualPlanLine, line_id, "该计划行")
    plan = line.plan
    words = _line_words(
        session,
        {
            "industry": line.industry,
            "department_id": line.department_id,
            "full_coverage": line.full_coverage,
            "percent": line.percent,
            "frequency": line.frequency,
        },
    )
    session.delete(line)
    plan.version += 1
    session.flush()
    audit.record(
        session,
        actor,
        "annual_plan.line",
        f"{plan.year}年度检查总计划删除：{words}",
        entity_type="annual_plan",
        entity_id=plan.id,
    )


def replace_lines(session: Session, actor: Actor, year: int, forms: list[LineForm]) -> int:
    """The year's lines become *forms* (an import): every form is checked first and nothing is
    changed when one is wrong. Returns the number of lines."""
    require(actor, Action.EDIT_PLAN)
    _check_year(year)
    checked = []
    for n, form in enumerate(forms, start=1):
        values, problems = line_values(session, form)
        if problems:
            raise ValidationError(f"第 {n} 行：{problems[0]}", problems[0].field)
        checked.append(values)
    keys = [(v["industry"], v["department_id"]) for v in checked]
    if len(set(keys)) != len(keys):
        raise ValidationError("同一行业和部门只能有一行。", "industry")
    plan = _ensure_plan(session, actor, year)
    plan.lines.clear()
    session.flush()
    plan.lines.extend(AnnualPlanLine(**v) for v in checked)
    plan.version += 1
    session.flush()
    audit.record(
        session,
        actor,
        "annual_plan.import",
        f"{year}年度检查总计划导入 {len(checked)} 行",
        entity_type="annual_plan",
        entity_id=plan.id,
        changes={"lines": [_line_words(session, v) for v in checked]},
    )
    return len(checked)


def department_named(session: Session, name: str) -> int | None:
    """The unit a workbook names by its full or short name."""
    return session.scalar(
        select(Unit.id).where(or_(Unit.name == name, Unit.short_name == name)).limit(1)
    )


def line_form(session: Session, actor: Actor, line_id: int) -> LineForm:
    require(actor, Action.VIEW)
    line = records.get(session, AnnualPlanLine, line_id, "该计划行")
    return LineForm(
        industry=line.industry or "",
        department_id=line.department_id,
        percent=line.percent,
        frequency=line.frequency,
        full_coverage=line.full_coverage,
    )


def industries(session: Session, actor: Actor) -> list[str]:
    """The industries the directory names, for the form's suggestions."""
    require(actor, Action.VIEW)
    return [
        i
        for i in session.scalars(
            select(Entity.industry).where(Entity.industry.is_not(None)).distinct()
        )
        if i
    ]


# --- coverage ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineCoverage:
    line_id: int
    industry: str
    department: str
    percent: int
    frequency: int
    full_coverage: bool
    registered: int  # 在册
    planned: int  # 应查 (entities)
    planned_visits: int  # 应查次数
    checked: int  # 已查: entities with at least one inspection
    enough: int  # 查足: entities with 频次 or more
    visits: int  # 检查次数
    scheduled: int  # 已安排: targets still waiting for a result
    unchecked: int  # 在册 entities not yet checked

    @property
    def done(self) -> bool:
        if self.full_coverage:
            return self.unchecked == 0 and self.enough >= self.registered
        return self.enough >= self.planned

    @property
    def verdict(self) -> str:
        if self.full_coverage:
            if self.done:
                return "已全覆盖"
            if self.unchecked:
                return f"未全覆盖：{self.unchecked} 家未查"
            return f"均已检查，{self.registered - self.enough} 家未查足 {self.frequency} 次"
        if self.done:
            return "已完成"
        return f"未完成：差 {self.planned - self.enough} 家"


@dataclass(frozen=True)
class UncheckedEntity:
    id: int
    name: str
    uscc: str
    industry: str
    grid: str
    grade: str
    must: bool  # a 全覆盖 line covers it


@dataclass(frozen=True)
class PlanCount:
    """One joint operation of the year, counted against the lines."""

    plan_id: int
    number: str
    title: str
    planned_on: date
    status: str
    inspected: int
    waiting: int
    lines: str  # "餐饮／市场监管所 3 次；…"


@dataclass
class Coverage:
    year: int
    as_of: date
    plan_id: int | None
    title: str
    lines: list[LineCoverage] = field(default_factory=list)
    unchecked: list[UncheckedEntity] = field(default_factory=list)
    plans: list[PlanCount] = field(default_factory=list)
    active: int = 0  # active entities in the directory
    checked: int = 0  # of them, checked at least once this year

    @property
    def full_coverage_lines(self) -> list[LineCoverage]:
        return [line for line in self.lines if line.full_coverage]

    @property
    def full_coverage_reached(self) -> bool | None:
        """None where the plan requires 全覆盖 of nothing."""
        lines = self.full_coverage_lines
        return all(line.done for line in lines) if lines else None

    @property
    def conclusion(self) -> str:
        if self.plan_id is None:
            return f"{self.year}年尚未制定年度检查总计划。"
        done = sum(1 for line in self.lines if line.done)
        words = f"计划 {len(self.lines)} 项，已完成 {done} 项"
        reached = self.full_coverage_reached
        if reached is None:
            words += "；计划未要求全覆盖"
        elif reached:
            words += "；要求全覆盖的行业均已全覆盖"
        else:
            short = [
                f"{line.industry}（{line.unchecked} 家未查）"
                for line in self.full_coverage_lines
                if not line.done
            ]
            words += "；尚未全覆盖：" + "、".join(short)
        return words + f"。全街道在册 {self.active} 家，本年已检查 {self.checked} 家。"


def _year_plans(session: Session, year: int) -> list[Plan]:
    return list(
        session.scalars(
            select(Plan)
            .where(
                Plan.planned_on.between(date(year, 1, 1), date(year, 12, 31)),
                Plan.status != PlanStatus.CANCELLED,
            )
            .order_by(Plan.planned_on, Plan.id)
        )
    )


def coverage(session: Session, actor: Actor, year: int, as_of: date | None = None) -> Coverage:
    """The year's plan against the year's joint operations, as the records stand."""
    require(actor, Action.VIEW)
    plan = _plan_of_year(session, year)
    today = as_of or timeutil.today()
    result = Coverage(
        year=year,
        as_of=min(today, date(year, 12, 31)),
        plan_id=plan.id if plan else None,
        title=plan.title if plan else f"{year}年度检查总计划",
    )
    entities = {
        e.id: (e.name, e.uscc or "", e.industry or "", grid or "", e.credit_grade.label)
        for e, grid in session.execute(
            select(Entity, Grid.name)
            .join(Grid, Entity.grid_id == Grid.id, isouter=True)
            .where(Entity.active.is_(True))
            .order_by(Entity.industry, Entity.name, Entity.id)
        )
    }
    year_plans = _year_plans(session, year)
    plan_ids = [p.id for p in year_plans]
    units: dict[int, set[int]] = {p.id: {p.lead_unit_id} for p in year_plans}
    for plan_id, unit_id in session.execute(
        select(plan_departments.c.plan_id, plan_departments.c.unit_id).where(
            plan_departments.c.plan_id.in_(plan_ids)
        )
    ):
        units[plan_id].add(unit_id)
    targets = session.execute(
        select(PlanTarget.plan_id, PlanTarget.entity_id, PlanTarget.result).where(
            PlanTarget.plan_id.in_(plan_ids)
        )
    ).all()
    inspected = [(p, e) for p, e, r in targets if r is not InspectionResult.PENDING]
    ever = {e for _p, e in inspected}
    result.active = len(entities)
    result.checked = sum(1 for e in entities if e in ever)
    industry_of = {e: v[2] for e, v in entities.items()}
    lines = list(plan.lines) if plan else []
    names = dict(session.execute(select(Unit.id, Unit.name)).all())
    per_plan: dict[int, Counter[int]] = defaultdict(Counter)
    must: set[int] = set()
    for line in lines:
        scope = [e for e, ind in industry_of.items() if line.industry in (None, ind)]
        if line.full_coverage:
            must.update(scope)

        def counts(p: int, e: int, line: AnnualPlanLine = line) -> bool:
            return (
                (line.industry in (None, industry_of.get(e)))
                and (line.department_id is None or line.department_id in units[p])
                and e in industry_of
            )

        done = [(p, e) for p, e in inspected if counts(p, e)]
        for p, _e in done:
            per_plan[p][line.id] += 1
        times = Counter(e for _p, e in done)
        planned = -(-len(scope) * line.percent // 100)
        result.lines.append(
            LineCoverage(
                line_id=line.id,
                industry=line.industry or ALL_INDUSTRIES,
                department=names.get(line.department_id or 0, ANY_DEPARTMENT),
                percent=line.percent,
                frequency=line.frequency,
                full_coverage=line.full_coverage,
                registered=len(scope),
                planned=planned,
                planned_visits=planned * line.frequency,
                checked=len(times),
                enough=sum(1 for n in times.values() if n >= line.frequency),
                visits=len(done),
                scheduled=sum(
                    1 for p, e, r in targets if r is InspectionResult.PENDING and counts(p, e)
                ),
                unchecked=sum(1 for e in scope if e not in times),
            )
        )
    result.unchecked = [
        UncheckedEntity(e, *v[:5], must=e in must) for e, v in entities.items() if e not in ever
    ]
    result.unchecked.sort(key=lambda u: (not u.must, u.industry, u.name))
    line_words = {lc.line_id: f"{lc.industry}／{lc.department}" for lc in result.lines}
    by_plan = Counter(p for p, _e in inspected)
    waiting = Counter(p for p, _e, r in targets if r is InspectionResult.PENDING)
    for operation in year_plans:
        result.plans.append(
            PlanCount(
                plan_id=operation.id,
                number=operation.number or "",
                title=operation.title,
                planned_on=operation.planned_on,
                status=operation.status.label,
                inspected=by_plan[operation.id],
                waiting=waiting[operation.id],
                lines="；".join(
                    f"{line_words[line_id]} {n} 次" for line_id, n in per_plan[operation.id].items()
                )
                or "不计入计划",
            )
        )
    return result


def plan_years(session: Session, actor: Actor) -> list[int]:
    require(actor, Action.VIEW)
    return list(
        session.scalars(select(AnnualInspectionPlan.year).order_by(AnnualInspectionPlan.year))
    )


def coverage_for_paper(session: Session, actor: Actor, year: int) -> tuple[Coverage, str]:
    """The year's coverage and the centre's name, for the paper."""
    require(actor, Action.PRINT_DOCUMENT)
    return coverage(session, actor, year), settings.load(session).centre_name
