"""Joint operations (联合执法): plans, their approval and life, results per target, the summary.

A plan is drafted, submitted, approved by a leader (not the one who drafted it), carried out,
finished and summarised, or cancelled with a reason; each step checks the status and the role,
and is recorded (R11). A target found in breach opens an incident linked to the plan.
"进一次门、查多项事": one visit checks every department's items, and the summary counts the
separate visits that saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    Attachment,
    CatalogueItem,
    Channel,
    DocType,
    Entity,
    Grid,
    Incident,
    InspectionResult,
    Labelled,
    Plan,
    PlanStatus,
    PlanTarget,
    PlanTheme,
    Recusal,
    Unit,
    User,
    plan_departments,
)
from commandcenter.errors import NotFound, ValidationError
from commandcenter.services import audit, docnumbers, inspection_cap, records
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import intake
from commandcenter.services.permissions import Action, allowed, require
from commandcenter.services.roster import eligibility
from commandcenter.services.statistics import checked_targets, visiting_departments, visits_avoided

S = PlanStatus
MIN_OFFICERS = eligibility.MIN_OFFICERS_ON_SITE  # R1, for each team


@dataclass
class PlanForm:
    title: str = ""
    theme: PlanTheme | None = None
    lead_unit_id: int | None = None
    department_ids: list[int] = field(default_factory=list)
    planned_on: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    grid_ids: list[int] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)
    objective: str = ""


def plan_values(session: Session, form: PlanForm) -> tuple[dict[str, Any], list[ValidationError]]:
    c = records.Checks()
    c.step("title", lambda: records.text(form.title, "title", "行动名称", required=True, limit=200))
    if form.theme is None:
        c.fail("请选择行动类型。", "theme")
    else:
        c.values["theme"] = form.theme
    if form.lead_unit_id is None or session.get(Unit, form.lead_unit_id) is None:
        c.fail("请选择牵头单位。", "lead_unit_id")
    else:
        c.values["lead_unit_id"] = form.lead_unit_id
    if form.planned_on is None:
        c.fail("请填写行动日期。", "planned_on")
    else:
        c.values["planned_on"] = form.planned_on
    if form.start_time and form.end_time and form.end_time <= form.start_time:
        c.fail("结束时间应晚于开始时间。", "end_time")
    c.values["start_time"], c.values["end_time"] = form.start_time, form.end_time
    c.values["objective"] = (form.objective or "").strip()[:4000]
    if not form.grid_ids:
        c.fail("请至少选择一个检查网格。", "grid_ids")
    if not form.item_ids:
        c.fail("请至少选择一项检查事项。", "item_ids")
    return c.values, c.problems


def _collections(session: Session, plan: Plan, form: PlanForm) -> None:
    plan.departments = list(session.scalars(select(Unit).where(Unit.id.in_(form.department_ids))))
    plan.grids = list(session.scalars(select(Grid).where(Grid.id.in_(form.grid_ids))))
    plan.items = list(
        session.scalars(select(CatalogueItem).where(CatalogueItem.id.in_(form.item_ids)))
    )


def _collection_ids(plan: Plan) -> dict[str, list[int]]:
    return {
        "departments": sorted(u.id for u in plan.departments),
        "grids": sorted(g.id for g in plan.grids),
        "items": sorted(i.id for i in plan.items),
    }


def create_plan(session: Session, actor: Actor, form: PlanForm) -> Plan:
    require(actor, Action.EDIT_PLAN)
    values, problems = plan_values(session, form)
    records.raise_first(problems)
    assert actor.user_id is not None
    plan = Plan(**values, created_by_id=actor.user_id, status=S.DRAFT)
    _collections(session, plan, form)
    session.add(plan)
    session.flush()
    _record(session, actor, plan, "plan.create", f"编制行动方案“{plan.title}”")
    return plan


def update_plan(
    session: Session, actor: Actor, plan_id: int, form: PlanForm, expected_version: int | None
) -> Plan:
    plan = _begin(session, actor, plan_id, Action.EDIT_PLAN, (S.DRAFT,), "修改", expected_version)
    values, problems = plan_values(session, form)
    records.raise_first(problems)
    changes = records.apply(plan, values)
    before = _collection_ids(plan)
    _collections(session, plan, form)
    after = _collection_ids(plan)
    changes |= {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    _record(session, actor, plan, "plan.update", f"修改行动方案“{plan.title}”", changes)
    return plan


def _begin(
    session: Session,
    actor: Actor,
    plan_id: int,
    action: Action,
    statuses: tuple[PlanStatus, ...],
    doing: str,
    expected_version: int | None = None,
) -> Plan:
    require(actor, action)
    plan = records.get(session, Plan, plan_id, "该行动方案")
    records.check_version(plan, expected_version, f"行动方案“{plan.title}”")
    if plan.status not in statuses:
        raise ValidationError(f"行动方案当前为“{plan.status.label}”，不能{doing}。")
    return plan


def _record(
    session: Session,
    actor: Actor,
    plan: Plan,
    action: str,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session, actor, action, summary, entity_type="plan", entity_id=plan.id, changes=changes
    )


def _move(session: Session, actor: Actor, plan: Plan, to: PlanStatus, words: str) -> None:
    before = plan.status
    plan.status = to
    _record(
        session,
        actor,
        plan,
        f"plan.{to.value}",
        f"行动方案“{plan.title}”{words}",
        {"status": [before.label, to.label]},
    )


class OverCap(ValidationError):
    """Targets chosen by hand that were already inspected the yearly cap: refused unless a
    leader approves with a reason. *entities* names them with their counts, for the form."""

    def __init__(self, message: str, entities: list[tuple[str, int]], cap: int) -> None:
        super().__init__(message, "entity_ids")
        self.entities, self.cap = entities, cap


@dataclass(frozen=True)
class _Override:
    reason: str
    by_id: int | None
    at: datetime | None


def _over_cap(
    session: Session,
    actor: Actor,
    plan: Plan,
    found: dict[int, Entity],
    chosen: list[int],
    reason: str,
) -> dict[int, _Override]:
    """The yearly cap (不得重复检查) for targets chosen by hand, counted as the draw counts.

    Entities over the cap keep an override already on the plan; the others need *reason* from
    a leader (Action.APPROVE_PLAN), or the choice is refused naming them.
    """
    cap = inspection_cap.yearly_cap(session)
    counts = inspection_cap.inspections_in_year(
        session, plan.planned_on, excluding_plan=plan.id, entity_ids=chosen
    )
    kept = {
        t.entity_id: _Override(t.cap_override_reason, t.cap_override_by_id, t.cap_override_at)
        for t in plan.targets
        if t.cap_override_reason
    }
    over = [eid for eid in chosen if counts.get(eid, 0) >= cap]
    pending = [eid for eid in over if eid not in kept]
    overrides = {eid: kept[eid] for eid in over if eid in kept}
    if not pending:
        return overrides
    text = (reason or "").strip()
    if not text:
        named = "；".join(f"“{found[eid].name}”本年度已检查 {counts[eid]} 次" for eid in pending)
        then = (
            "如确需检查，请写明理由，由您批准超出上限。"
            if allowed(actor, Action.APPROVE_PLAN)
            else "如确需检查，须经领导批准：请领导选定该对象并写明理由。"
        )
        raise OverCap(
            f"{named}，已达到年度检查上限 {cap} 次（不得重复检查）。{then}",
            [(found[eid].name, counts[eid]) for eid in pending],
            cap,
        )
    require(actor, Action.APPROVE_PLAN)
    moment = timeutil.now()
    for eid in pending:
        overrides[eid] = _Override(text[:500], actor.user_id, moment)
    names = "、".join(f"{found[eid].name}（本年度已检查 {counts[eid]} 次）" for eid in pending)
    _record(
        session,
        actor,
        plan,
        "plan.cap_override",
        f"“{plan.title}”超出年度检查上限 {cap} 次选定{names}，理由：{text}"[:500],
        {"entities": pending, "cap": cap, "reason": text[:500]},
    )
    return overrides


def choose_targets(
    session: Session,
    actor: Actor,
    plan_id: int,
    entity_ids: list[int],
    *,
    override_reason: str = "",
) -> int:
    """Targets picked by hand (专项整治, 联合会诊): the entities are named, not drawn.

    Each goes to a team with nobody recused from it, as drawn targets do. An entity already
    inspected the yearly cap is refused unless a leader gives *override_reason*; the reason,
    who and when stay on the target and are printed on the plan.
    """
    plan = _begin(session, actor, plan_id, Action.EDIT_PLAN, (S.DRAFT,), "选定检查对象")
    chosen = list(dict.fromkeys(entity_ids))
    if not chosen:
        raise ValidationError("请至少选择一个检查对象。", "entity_ids")
    found = {e.id: e for e in session.scalars(select(Entity).where(Entity.id.in_(chosen)))}
    missing = [eid for eid in chosen if eid not in found]
    if missing:
        raise ValidationError("所选检查对象不存在或已被删除，请刷新后重试。", "entity_ids")
    overrides = _over_cap(session, actor, plan, found, chosen, override_reason)
    members: dict[int, set[int]] = {}
    for officer in plan.officers:
        members.setdefault(officer.team, set()).add(officer.person_id)
    teams = sorted(members) or [1]
    recused = {
        (pid, eid)
        for pid, eid in session.execute(
            select(Recusal.person_id, Recusal.entity_id).where(
                Recusal.entity_id.in_(chosen),
                Recusal.from_date <= plan.planned_on,
                or_(Recusal.to_date.is_(None), Recusal.to_date >= plan.planned_on),
            )
        )
    }
    session.execute(delete(PlanTarget).where(PlanTarget.plan_id == plan.id))
    for n, eid in enumerate(chosen):
        free = [t for t in teams if not any((p, eid) in recused for p in members.get(t, set()))]
        if not free:
            raise ValidationError(
                f"各组执法人员都与“{found[eid].name}”有回避关系，请重新抽取人员或不检查该对象。",
                "entity_ids",
            )
        override = overrides.get(eid)
        session.add(
            PlanTarget(
                plan_id=plan.id,
                entity_id=eid,
                team=free[n % len(free)],
                cap_override_reason=override.reason if override else None,
                cap_override_by_id=override.by_id if override else None,
                cap_override_at=override.at if override else None,
            )
        )
    names = "、".join(found[eid].name for eid in chosen)
    _record(session, actor, plan, "plan.targets", f"“{plan.title}”选定检查对象：{names}")
    return len(chosen)


def submit(session: Session, actor: Actor, plan_id: int) -> None:
    plan = _begin(session, actor, plan_id, Action.EDIT_PLAN, (S.DRAFT,), "提交审批")
    problems = []
    if not plan.targets:
        problems.append(ValidationError("方案还没有检查对象：请先随机抽取或选定检查对象。"))
    if not plan.officers:
        problems.append(ValidationError("方案还没有执法人员：请先随机抽取执法人员。"))
    records.raise_all(problems, "未能提交审批")
    _move(session, actor, plan, S.SUBMITTED, "提交审批")


def approve(
    session: Session, actor: Actor, plan_id: int, *, approved: bool, note: str = ""
) -> None:
    """A leader approves (the plan gets its number) or sends it back to draft with a note."""
    plan = _begin(session, actor, plan_id, Action.APPROVE_PLAN, (S.SUBMITTED,), "审批")
    if actor.user_id == plan.created_by_id:
        raise ValidationError("方案编制人不能审批自己的方案，请由其他领导审批。")
    text = (note or "").strip()[:500]
    if not approved:
        if not text:
            raise ValidationError("退回修改时请写明意见。", "note")
        _move(session, actor, plan, S.DRAFT, f"退回修改：{text}")
        return
    _check_teams(session, plan)
    moment = timeutil.now()
    plan.approved_by_id, plan.approved_at = actor.user_id, moment
    if plan.number is None:
        plan.number = docnumbers.issue(
            session,
            actor,
            DocType.PLAN,
            entity_type="plan",
            entity_id=plan.id,
            title=plan.title,
            at=moment,
        ).number
    _move(session, actor, plan, S.APPROVED, f"审批同意，方案编号 {plan.number}")


def _check_teams(session: Session, plan: Plan) -> None:
    """R1 again at approval: a certificate may have lapsed since the draw. Every team short of
    officers is named, with who no longer counts and why, in one refusal."""
    fields = {i.field for i in plan.items}
    field_ = fields.pop() if len(fields) == 1 else None
    teams: dict[int, list[int]] = {}
    for officer in plan.officers:
        teams.setdefault(officer.team, []).append(officer.person_id)
    problems = []
    for team, people in sorted(teams.items()):
        reasons = [eligibility.ineligibility(session, p, field_, plan.planned_on) for p in people]
        fit = sum(reason is None for reason in reasons)
        if fit < MIN_OFFICERS:
            why = "；".join(reason for reason in reasons if reason is not None)
            problems.append(
                ValidationError(
                    f"第{team}组在行动当天持有效执法证的人员不足 {MIN_OFFICERS} 名"
                    f"（{fit} 名{'：' + why if why else ''}），请重新抽取执法人员。"
                )
            )
    records.raise_all(problems, "未能批准方案")


def start(session: Session, actor: Actor, plan_id: int) -> None:
    plan = _begin(session, actor, plan_id, Action.EDIT_PLAN, (S.APPROVED,), "开始实施")
    _move(session, actor, plan, S.IN_PROGRESS, "开始实施")


@dataclass(frozen=True)
class Attendance:
    """Whether an invited department came; *note* says who came, and is required if not."""

    attended: bool | None
    note: str = ""


def record_attendance(
    session: Session, actor: Actor, plan_id: int, attendance: Mapping[int, Attendance]
) -> None:
    """参加 / 未参加 for the plan's invited departments (by unit id), while it runs or after.

    Departments not in *attendance* keep what they had; a 未参加 needs its reason.
    """
    plan = _begin(
        session, actor, plan_id, Action.EDIT_PLAN, (S.IN_PROGRESS, S.DONE), "登记参加情况"
    )
    _write_attendance(session, actor, plan, attendance)


def _write_attendance(
    session: Session, actor: Actor, plan: Plan, attendance: Mapping[int, Attendance]
) -> None:
    names = {d.id: d.name for d in plan.departments}
    strangers = [unit_id for unit_id in attendance if unit_id not in names]
    if strangers:
        raise ValidationError("只能登记本方案参加部门的参加情况，请刷新后重试。")
    before = {row.unit_id: (row.attended, row.note) for row in _attendance_rows(session, plan.id)}
    changes: dict[str, Any] = {}
    words = []
    for unit_id, given in attendance.items():
        if given.attended is None:
            continue
        note = (given.note or "").strip()[:500]
        if not given.attended and not note:
            raise ValidationError(
                f"“{names[unit_id]}”未参加，请写明原因。", f"attendance_note_{unit_id}"
            )
        if before.get(unit_id) == (given.attended, note):
            continue
        session.execute(
            update(plan_departments)
            .where(plan_departments.c.plan_id == plan.id, plan_departments.c.unit_id == unit_id)
            .values(attended=given.attended, attendance_note=note or None)
        )
        was, was_note = before.get(unit_id, (None, ""))
        now = AttendanceRow(unit_id, names[unit_id], given.attended, note).text
        changes[names[unit_id]] = [AttendanceRow(unit_id, "", was, was_note).text, now]
        words.append(f"{names[unit_id]}{now}")
    if words:
        _record(
            session,
            actor,
            plan,
            "plan.attendance",
            f"“{plan.title}”参加情况：{'；'.join(words)}"[:500],  # the column's length
            changes,
        )


def _attended_label(attended: bool | None) -> str:
    return "未登记" if attended is None else "参加" if attended else "未参加"


@dataclass(frozen=True)
class AttendanceRow:
    unit_id: int
    name: str
    attended: bool | None
    note: str

    @property
    def text(self) -> str:
        return _attended_label(self.attended) + (f"（{self.note}）" if self.note else "")


def _attendance_rows(session: Session, plan_id: int) -> list[AttendanceRow]:
    return [
        AttendanceRow(unit_id, name, attended, note or "")
        for unit_id, name, attended, note in session.execute(
            select(
                plan_departments.c.unit_id,
                Unit.name,
                plan_departments.c.attended,
                plan_departments.c.attendance_note,
            )
            .join(Unit, plan_departments.c.unit_id == Unit.id)
            .where(plan_departments.c.plan_id == plan_id)
            .order_by(Unit.sort_order, Unit.id)
        )
    ]


def finish(
    session: Session,
    actor: Actor,
    plan_id: int,
    attendance: Mapping[int, Attendance] | None = None,
) -> None:
    """实施完毕: every target has its result and every invited department its attendance."""
    plan = _begin(session, actor, plan_id, Action.EDIT_PLAN, (S.IN_PROGRESS,), "结束")
    pending = [t for t in plan.targets if t.result is InspectionResult.PENDING]
    if pending:
        raise ValidationError(f"还有 {len(pending)} 个检查对象未登记检查结果。")
    if attendance:
        _write_attendance(session, actor, plan, attendance)
    unrecorded = [row for row in _attendance_rows(session, plan.id) if row.attended is None]
    if unrecorded:
        raise ValidationError(
            f"请登记{'、'.join(row.name for row in unrecorded)}是否参加本次行动。",
            f"attended_{unrecorded[0].unit_id}",
        )
    _move(session, actor, plan, S.DONE, "实施完毕")


def cancel(session: Session, actor: Actor, plan_id: int, reason: str) -> None:
    plan = _begin(
        session,
        actor,
        plan_id,
        Action.EDIT_PLAN,
        (S.DRAFT, S.SUBMITTED, S.APPROVED),
        "取消",
    )
    text = (reason or "").strip()
    if not text:
        raise ValidationError("请写明取消的理由。", "reason")
    _move(session, actor, plan, S.CANCELLED, f"取消：{text[:500]}")


# --- results --------------------------------------------------------------------------------


def record_result(
    session: Session,
    actor: Actor,
    target_id: int,
    *,
    result: InspectionResult,
    findings: str = "",
    at: datetime | None = None,
) -> PlanTarget:
    """合格 / 责令整改 / 立案 for one target; 立案 opens an incident linked to the plan."""
    target = records.get(session, PlanTarget, target_id, "该检查对象")
    plan = _begin(session, actor, target.plan_id, Action.EDIT_PLAN, (S.IN_PROGRESS,), "登记结果")
    if result is InspectionResult.PENDING:
        raise ValidationError("请选择检查结果。", "result")
    text = (findings or "").strip()
    if result is not InspectionResult.COMPLIANT and not text:
        raise ValidationError("责令整改或立案时请写明发现的问题。", "findings")
    moment = at or timeutil.now()
    target.result, target.findings, target.inspected_at = result, text[:2000] or None, moment
    if result is InspectionResult.CASE_OPENED and target.incident_id is None:
        entity = target.entity
        incident = intake.register(
            session,
            actor,
            intake.IncidentForm(
                channel=Channel.OWN_PATROL,
                title=f"{entity.name}：{text[:60]}",
                description=f"联合执法“{plan.title}”检查发现：{text}",
                address=entity.address or "",
                grid_id=entity.grid_id,
                entity_id=entity.id,
                received_at=moment,
            ),
        )
        incident.plan_id = plan.id
        target.incident_id = incident.id
    _record(
        session,
        actor,
        plan,
        "plan.result",
        f"“{plan.title}”检查{target.entity.name}：{result.label}" + (f"，{text}" if text else ""),
    )
    return target


def add_target_attachment(
    session: Session, actor: Actor, target_id: int, path: Path, store: Path
) -> Attachment:
    """A photo or record of an inspection, copied into the store under its checksum."""
    target = records.get(session, PlanTarget, target_id, "该检查对象")
    plan = _begin(
        session, actor, target.plan_id, Action.EDIT_PLAN, (S.IN_PROGRESS, S.DONE), "添加附件"
    )
    assert actor.user_id is not None
    relative, sha, size = intake.store_file(path, store)
    attachment = Attachment(
        plan_target_id=target.id,
        filename=path.name[:255],
        stored_path=relative,
        sha256=sha,
        size=size,
        added_at=timeutil.now(),
        added_by_id=actor.user_id,
    )
    session.add(attachment)
    _record(
        session,
        actor,
        plan,
        "plan.attachment",
        f"“{plan.title}”{target.entity.name}：附件 {path.name}",
    )
    return attachment


@dataclass(frozen=True)
class Summary:
    targets: int
    visits: int
    items_checked: int
    problems: int
    cases: int
    departments: int
    visits_avoided: int

    @property
    def text(self) -> str:
        return (
            f"本次行动检查对象 {self.targets} 家，实际进门 {self.visits} 次，检查事项 "
            f"{self.items_checked} 项次，发现问题 {self.problems} 处，立案 {self.cases} 件；"
            f"{self.departments} 个部门联合检查，减少重复进门 {self.visits_avoided} 次。"
        )


def summary_of(session: Session, actor: Actor, plan_id: int) -> Summary:
    """The figures of a plan: one visit per target checks all merged items (进一次门、查多项事).
    Departments and visits avoided are counted as the cadence reports total them."""
    require(actor, Action.VIEW)
    plan = records.get(session, Plan, plan_id, "该行动方案")
    done = checked_targets(plan)
    return Summary(
        targets=len(plan.targets),
        visits=len(done),
        items_checked=len(done) * len(plan.items),
        problems=sum(t.result is not InspectionResult.COMPLIANT for t in done),
        cases=sum(t.result is InspectionResult.CASE_OPENED for t in done),
        departments=len(visiting_departments(plan)),
        visits_avoided=visits_avoided(plan),
    )


def summarise(session: Session, actor: Actor, plan_id: int, remarks: str = "") -> Summary:
    plan = _begin(session, actor, plan_id, Action.EDIT_PLAN, (S.DONE,), "总结")
    figures = summary_of(session, actor, plan_id)
    text = (remarks or "").strip()
    plan.summary = figures.text + (f"\n{text}" if text else "")
    _move(session, actor, plan, S.SUMMARISED, "完成总结")
    return figures


def month(session: Session, actor: Actor, year: int, month_no: int) -> dict[date, list[Plan]]:
    """The plans of a month by day, for the calendar view."""
    require(actor, Action.VIEW)
    first = date(year, month_no, 1)
    last = date(year + (month_no == 12), month_no % 12 + 1, 1)
    by_day: dict[date, list[Plan]] = {}
    for plan in session.scalars(
        select(Plan)
        .where(Plan.planned_on >= first, Plan.planned_on < last)
        .order_by(Plan.planned_on, Plan.start_time, Plan.id)
    ):
        by_day.setdefault(plan.planned_on, []).append(plan)
    return by_day


# --- what the page shows --------------------------------------------------------------------


class PlanStep(Labelled):
    EDIT = "edit", "修改方案"
    DRAW_INSPECTORS = "draw_inspectors", "抽取执法人员"
    DRAW_TARGETS = "draw_targets", "抽取检查对象"
    CHOOSE_TARGETS = "choose_targets", "选定检查对象"
    SUBMIT = "submit", "提交审批"
    APPROVE = "approve", "审批"
    START = "start", "开始实施"
    RESULT = "result", "登记检查结果"
    FINISH = "finish", "实施完毕"
    SUMMARISE = "summarise", "总结"
    CANCEL = "cancel", "取消行动"


_BEFORE_START = frozenset({S.DRAFT, S.SUBMITTED, S.APPROVED})
PLAN_RULES: dict[PlanStep, tuple[Action, frozenset[PlanStatus]]] = {
    PlanStep.EDIT: (Action.EDIT_PLAN, frozenset({S.DRAFT})),
    PlanStep.DRAW_INSPECTORS: (Action.RUN_DRAW, _BEFORE_START),
    PlanStep.DRAW_TARGETS: (Action.RUN_DRAW, _BEFORE_START),
    PlanStep.CHOOSE_TARGETS: (Action.EDIT_PLAN, frozenset({S.DRAFT})),
    PlanStep.SUBMIT: (Action.EDIT_PLAN, frozenset({S.DRAFT})),
    PlanStep.APPROVE: (Action.APPROVE_PLAN, frozenset({S.SUBMITTED})),
    PlanStep.START: (Action.EDIT_PLAN, frozenset({S.APPROVED})),
    PlanStep.RESULT: (Action.EDIT_PLAN, frozenset({S.IN_PROGRESS})),
    PlanStep.FINISH: (Action.EDIT_PLAN, frozenset({S.IN_PROGRESS})),
    PlanStep.SUMMARISE: (Action.EDIT_PLAN, frozenset({S.DONE})),
    PlanStep.CANCEL: (Action.EDIT_PLAN, _BEFORE_START),
}


def plan_steps(actor: Actor, status: PlanStatus) -> list[PlanStep]:
    return [
        step
        for step, (action, statuses) in PLAN_RULES.items()
        if status in statuses and allowed(actor, action)
    ]


@dataclass(frozen=True)
class TargetRow:
    id: int
    entity: str
    address: str
    grade: str
    team: int
    result: str
    findings: str
    incident: str
    attachments: int
    cap_override: str = ""  # "超出年度检查上限，经××批准：理由", or empty


@dataclass(frozen=True)
class DrawRow:
    id: int
    kind: str
    number: str
    drawn_at: datetime
    seed: str
    size: int
    redraw_reason: str


@dataclass(frozen=True)
class PlanDetail:
    id: int
    version: int
    number: str
    title: str
    theme: str
    status: str
    lead_unit: str
    departments: list[str]
    planned_on: date
    window: str
    grids: list[str]
    items: list[str]
    objective: str
    teams: list[str]
    targets: list[TargetRow]
    draws: list[DrawRow]
    summary: str
    steps: list[PlanStep]
    attendance: list[AttendanceRow] = field(default_factory=list)  # the invited departments


def detail(session: Session, actor: Actor, plan_id: int) -> PlanDetail:
    require(actor, Action.VIEW)
    plan = records.get(session, Plan, plan_id, "该行动方案")
    teams: dict[int, list[str]] = {}
    for officer in sorted(plan.officers, key=lambda o: (o.team, o.person.name)):
        teams.setdefault(officer.team, []).append(officer.person.name)
    incidents = dict(
        session.execute(
            select(Incident.id, Incident.number).where(Incident.plan_id == plan.id)
        ).all()
    )
    files: dict[int, int] = {}
    for target_id in session.scalars(
        select(Attachment.plan_target_id).where(
            Attachment.plan_target_id.in_([t.id for t in plan.targets])
        )
    ):
        files[target_id or 0] = files.get(target_id or 0, 0) + 1
    window = ""
    if plan.start_time and plan.end_time:
        window = f"{plan.start_time:%H:%M}—{plan.end_time:%H:%M}"
    return PlanDetail(
        id=plan.id,
        version=plan.version,
        number=plan.number or "",
        title=plan.title,
        theme=plan.theme.label,
        status=plan.status.label,
        lead_unit=plan.lead_unit.name,
        departments=[d.name for d in plan.departments],
        planned_on=plan.planned_on,
        window=window,
        grids=[g.name for g in plan.grids],
        items=[f"{i.code} {i.name}" for i in sorted(plan.items, key=lambda i: i.code)],
        objective=plan.objective,
        teams=[f"第{n}组：{'、'.join(names)}" for n, names in sorted(teams.items())],
        targets=[
            TargetRow(
                t.id,
                t.entity.name,
                t.entity.address or "",
                t.entity.credit_grade.label,
                t.team,
                t.result.label,
                t.findings or "",
                incidents.get(t.incident_id or 0, ""),
                files.get(t.id, 0),
                cap_override_note(session, t),
            )
            for t in sorted(plan.targets, key=lambda t: (t.team, t.id))
        ],
        draws=[
            DrawRow(
                d.id,
                d.kind.label,
                d.doc_number or "",
                d.drawn_at,
                d.seed,
                len(d.pool),
                d.redraw_reason or "",
            )
            for d in plan.draws
        ],
        summary=plan.summary or "",
        steps=plan_steps(actor, plan.status),
        attendance=_attendance_rows(session, plan.id),
    )


def cap_override_note(session: Session, target: PlanTarget) -> str:
    """What the plan shows and prints for a target kept over the yearly cap."""
    if not target.cap_override_reason:
        return ""
    leader = session.get(User, target.cap_override_by_id) if target.cap_override_by_id else None
    who = leader.display_name if leader else "领导"
    return f"超出年度检查上限，经{who}批准：{target.cap_override_reason}"


def attendance_of(session: Session, actor: Actor, plan_id: int) -> list[AttendanceRow]:
    """The invited departments with their recorded attendance, for the paper and the forms."""
    require(actor, Action.VIEW)
    records.get(session, Plan, plan_id, "该行动方案")
    return _attendance_rows(session, plan_id)


def target_choices(session: Session, actor: Actor, plan_id: int) -> list[tuple[str, int]]:
    """The entities in the plan's grids, to pick targets from."""
    require(actor, Action.VIEW)
    plan = records.get(session, Plan, plan_id, "该行动方案")
    rows = session.scalars(
        select(Entity)
        .where(Entity.active.is_(True), Entity.grid_id.in_([g.id for g in plan.grids]))
        .order_by(Entity.name)
    )
    return [(f"{e.name}（{e.credit_grade.label}）{e.address or ''}", e.id) for e in rows]


def plan_form(session: Session, actor: Actor, plan_id: int) -> tuple[PlanForm, int]:
    require(actor, Action.EDIT_PLAN)
    plan = records.get(session, Plan, plan_id, "该行动方案")
    return (
        PlanForm(
            title=plan.title,
            theme=plan.theme,
            lead_unit_id=plan.lead_unit_id,
            department_ids=[d.id for d in plan.departments],
            planned_on=plan.planned_on,
            start_time=plan.start_time,
            end_time=plan.end_time,
            grid_ids=[g.id for g in plan.grids],
            item_ids=[i.id for i in plan.items],
            objective=plan.objective,
        ),
        plan.version,
    )


def find_plan(session: Session, number: str) -> Plan:
    """A plan by its document number, or by its id given as digits."""
    plan = session.scalar(select(Plan).where(Plan.number == number.strip()))
    if plan is None and number.strip().isdigit():
        plan = session.get(Plan, int(number))
    if plan is None:
        raise NotFound(f"没有编号为“{number}”的行动方案。")
    return plan


def plan_for_paper(session: Session, actor: Actor, plan_id: int) -> tuple[Plan, User | None]:
    """The plan and the leader who approved it, for the printed plan and checklist."""
    require(actor, Action.PRINT_DOCUMENT)
    plan = records.get(session, Plan, plan_id, "该行动方案")
    approver = session.get(User, plan.approved_by_id) if plan.approved_by_id else None
    return plan, approver


def newest_approved_plan(session: Session) -> int | None:
    """The approved (numbered) plan planned latest: the selftest prints its papers."""
    return session.scalar(
        select(Plan.id).where(Plan.number.is_not(None)).order_by(Plan.planned_on.desc()).limit(1)
    )
