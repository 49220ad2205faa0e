"""The figures only some person groups are scored on, registered into ``METRICS``.

指挥室人员 are scored on the work their user account did (a person without an account has
none of these figures, and his sheet says so); 中队负责人 on their squad's figures, the same
per-unit figures the statistics and red/green ranking count; 协勤人员 on the cases they went
out on with officers; officers and squad leaders on whether they passed the training exams they
sat.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    AssessmentSubject,
    ExamResult,
    Incident,
    IncidentEvent,
    IncidentEventKind,
    IncidentReturn,
    Person,
    Plan,
    PlanOfficer,
    ReturnRuling,
    TrainingExam,
    User,
)
from commandcenter.services.assessment.metrics import (
    METRICS,
    ListSources,
    Metric,
    Sources,
    _case_sources,
    _incident_rows,
    _on_time_sources,
    _overdue_sources,
    _own_cases,
    _why_no_cases,
    interval_sources,
)
from commandcenter.services.statistics import (
    Period,
    plans_carried_out,
    unit_figures,
)

_P = AssessmentSubject.PERSON
NO_ACCOUNT = "本人未关联系统账号，无从统计"


def accounts(s: Session, ids: Sequence[int]) -> dict[int, list[int]]:
    """Each person's user accounts (usually one)."""
    found: dict[int, list[int]] = defaultdict(list)
    for user_id, person_id in s.execute(
        select(User.id, User.person_id).where(User.person_id.in_(ids))
    ):
        if person_id is not None:
            found[person_id].append(user_id)
    return found


def _no_account(s: Session, person_id: int) -> str:
    return "" if accounts(s, [person_id]) else NO_ACCOUNT


def _no_dispatch(s: Session, person_id: int) -> str:
    return _no_account(s, person_id) or "考核期内本人没有派单，无从计算平均用时"


# --- 指挥室人员 -----------------------------------------------------------------------------


def _registered(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    users = accounts(s, ids)
    counts: dict[int, int] = defaultdict(int)
    owner = {u: person for person, us in users.items() for u in us}
    for (user_id,) in s.execute(
        select(Incident.registered_by_id).where(
            p.contains(Incident.received_at), Incident.registered_by_id.in_(list(owner) or [0])
        )
    ):
        counts[owner[user_id]] += 1
    return {u: (float(counts[u]) if u in users else None) for u in ids}


def _registered_sources(s: Session, p: Period, now: datetime, person_id: int) -> Sources:
    users = accounts(s, [person_id]).get(person_id, [])
    return _incident_rows(s, p.contains(Incident.received_at), Incident.registered_by_id.in_(users))


def _dispatch_hours(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    users = accounts(s, ids)
    owner = {u: person for person, us in users.items() for u in us}
    hours: dict[int, list[float]] = defaultdict(list)
    for user_id, received, dispatched in s.execute(
        select(Incident.dispatched_by_id, Incident.received_at, Incident.dispatched_at).where(
            p.contains(Incident.dispatched_at),
            Incident.dispatched_by_id.in_(list(owner) or [0]),
        )
    ):
        if user_id is not None and dispatched is not None:
            hours[owner[user_id]].append((dispatched - received).total_seconds() / 3600)
    return {u: (sum(hours[u]) / len(hours[u]) if hours[u] else None) for u in ids}


def _dispatch_sources(s: Session, p: Period, now: datetime, person_id: int) -> Sources:
    users = accounts(s, [person_id]).get(person_id, [])
    incidents = s.scalars(
        select(Incident)
        .where(p.contains(Incident.dispatched_at), Incident.dispatched_by_id.in_(users))
        .order_by(Incident.dispatched_at)
    )
    return interval_sources(incidents, "received_at", "dispatched_at", ("受理时间", "派单时间"))


def _misrouted(s: Session, p: Period) -> list[tuple[int, IncidentReturn, str, str]]:
    """(dispatching user, return, number, title) of the returns ruled 重新研判派单 in *p*: the
    dispatch they undo is the incident's last one before the return."""
    found = []
    returns = s.execute(
        select(IncidentReturn, Incident.number, Incident.title)
        .join(Incident, IncidentReturn.incident_id == Incident.id)
        .where(
            p.contains(IncidentReturn.returned_at),
            IncidentReturn.ruling == ReturnRuling.REASSIGN,
        )
        .order_by(IncidentReturn.returned_at)
    ).all()
    dispatches: dict[int, list[tuple[datetime, int | None]]] = defaultdict(list)
    for incident_id, at, user_id in s.execute(
        select(IncidentEvent.incident_id, IncidentEvent.at, IncidentEvent.user_id).where(
            IncidentEvent.kind == IncidentEventKind.DISPATCHED,
            IncidentEvent.incident_id.in_([r.incident_id for r, _, _ in returns] or [0]),
        )
    ):
        dispatches[incident_id].append((at, user_id))
    for ret, number, title in returns:
        before = [d for d in dispatches[ret.incident_id] if d[0] <= ret.returned_at]
        if before and (user_id := max(before, key=lambda d: d[0])[1]) is not None:
            found.append((user_id, ret, number, title))
    return found


def _misrouted_count(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    users = accounts(s, ids)
    owner = {u: person for person, us in users.items() for u in us}
    counts: dict[int, int] = defaultdict(int)
    for user_id, *_ in _misrouted(s, p):
        if user_id in owner:
            counts[owner[user_id]] += 1
    return {u: (float(counts[u]) if u in users else None) for u in ids}


def _misrouted_sources(s: Session, p: Period, now: datetime, person_id: int) -> Sources:
    users = set(accounts(s, [person_id]).get(person_id, []))
    rows, numbers = [], []
    for user_id, ret, number, title in _misrouted(s, p):
        if user_id in users:
            rows.append(
                (
                    number,
                    title,
                    ret.unit.short_name,
                    timeutil.format_local(ret.returned_at),
                    ret.reason.label,
                )
            )
            numbers.append(number)
    return Sources(("事件编号", "事件名称", "退回单位", "退回时间", "退回理由"), rows, numbers)


# --- 中队负责人: his squad's figures --------------------------------------------------------


def _units(s: Session, ids: Sequence[int]) -> dict[int, int]:
    rows = s.execute(select(Person.id, Person.unit_id).where(Person.id.in_(ids))).all()
    return {person_id: unit_id for person_id, unit_id in rows}


def _squad_on_time(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    figures = {f.unit_id: f for f in unit_figures(s, p, now)}
    units = _units(s, ids)
    return {
        u: (rate * 100 if (f := figures.get(units[u])) and (rate := f.on_time_rate) is not None
            else None)
        for u in ids
    }  # fmt: skip


def _squad_overdue(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    figures = {f.unit_id: f for f in unit_figures(s, p, now)}
    units = _units(s, ids)
    return {u: (float(f.overdue) if (f := figures.get(units[u])) else None) for u in ids}


def _squad_sources(condition: str) -> ListSources:
    """The squad's incidents behind its figure, on its own clock as the agencies' are."""
    unit_sources = _on_time_sources if condition == "rate" else _overdue_sources

    def sources(s: Session, p: Period, now: datetime, person_id: int) -> Sources:
        return unit_sources(s, p, now, _units(s, [person_id])[person_id])

    return sources


def _squad_plans(s: Session, p: Period, unit_ids: Sequence[int]) -> dict[int, list[Plan]]:
    """The plans carried out in *p* with someone of each unit on their teams."""
    found: dict[int, dict[int, Plan]] = defaultdict(dict)
    for unit_id, plan in s.execute(
        select(Person.unit_id, Plan)
        .join(PlanOfficer, PlanOfficer.person_id == Person.id)
        .join(Plan, PlanOfficer.plan_id == Plan.id)
        .where(plans_carried_out(p), Person.unit_id.in_(unit_ids))
        .order_by(Plan.planned_on)
    ):
        found[unit_id][plan.id] = plan
    return {u: list(plans.values()) for u, plans in found.items()}


def _squad_operations(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    units = _units(s, ids)
    plans = _squad_plans(s, p, list(set(units.values())))
    return {u: float(len(plans.get(units[u], []))) for u in ids}


def _squad_operation_sources(s: Session, p: Period, now: datetime, person_id: int) -> Sources:
    unit_id = _units(s, [person_id])[person_id]
    rows = [
        (plan.number or "（未编号）", plan.title, plan.planned_on.isoformat())
        for plan in _squad_plans(s, p, [unit_id]).get(unit_id, [])
    ]
    return Sources(("方案编号", "行动名称", "行动日期"), rows, [None] * len(rows))


# --- 培训考试合格 (officers and squad leaders) ------------------------------------------------


def _exam_rows(s: Session, p: Period, ids: Sequence[int]) -> list[tuple[ExamResult, TrainingExam]]:
    return [
        (result, exam)
        for result, exam in s.execute(
            select(ExamResult, TrainingExam)
            .join(TrainingExam, ExamResult.exam_id == TrainingExam.id)
            .where(
                ExamResult.person_id.in_(ids),
                TrainingExam.held_on >= p.first,
                TrainingExam.held_on <= p.last,
            )
            .order_by(TrainingExam.held_on, TrainingExam.id)
        )
    ]


def _exam_passed(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    found: dict[int, float | None] = dict.fromkeys(ids)
    for result, _exam in _exam_rows(s, p, ids):
        found[result.person_id] = max(found[result.person_id] or 0.0, 1.0 if result.passed else 0.0)
    return found


def _exam_sources(s: Session, p: Period, now: datetime, person_id: int) -> Sources:
    rows = [
        (
            exam.held_on.isoformat(),
            exam.title,
            f"{result.score:g}",
            f"{exam.pass_mark:g}",
            "合格" if result.passed else "不合格",
        )
        for result, exam in _exam_rows(s, p, [person_id])
    ]
    return Sources(("日期", "考试名称", "成绩", "合格分", "结果"), rows, [None] * len(rows))


def _no_exam(s: Session, person_id: int) -> str:
    return "考核期内本人未参加培训考试"


PERSON_METRICS = (
    Metric(
        "incidents_registered", "受理登记件数", _P, "件",
        "考核期内由本人系统账号受理登记的事件（首问负责）",
        150, 0, _registered, _registered_sources, _no_account,
    ),
    Metric(
        "dispatch_hours", "平均研判派单用时", _P, "小时",
        "考核期内由本人派单的事件，自受理至派单的平均用时",
        24, 120, _dispatch_hours, _dispatch_sources, _no_dispatch,
    ),
    Metric(
        "misrouted_returns", "因研判错误被退回件数", _P, "件",
        "考核期内被退回、中心裁定“重新研判派单”的事件中，原派单由本人作出的件数",
        0, 8, _misrouted_count, _misrouted_sources, _no_account,
    ),
    Metric(
        "squad_on_time_rate", "中队按期反馈率", _P, "%",
        "本人所在中队承办（主办或协办）的事件按中队期限（自派单起算）：按期反馈件数÷（考核期内"
        "反馈件数＋超期未反馈件数）",
        100, 60, _squad_on_time, _squad_sources("rate"),
        lambda s, person_id: "所在中队考核期内没有反馈或超期的事件",
    ),
    Metric(
        "squad_overdue", "中队超期件数", _P, "件",
        "中队期限（自派单起算）在考核期内届满、本人所在中队未在期限内反馈的承办事件",
        0, 80, _squad_overdue, _squad_sources("overdue"),
    ),
    Metric(
        "squad_joint_operations", "中队参加联合执法次数", _P, "次",
        "考核期内已实施、本人所在中队有人员参加的联合执法行动次数",
        6, 0, _squad_operations, _squad_operation_sources,
    ),
    Metric(
        "cases_assisted", "协助办理案件数", _P, "件",
        "考核期内办结、本人随同执法人员到场协助的事件（协勤人员不独立执法）",
        15, 0, _own_cases, _case_sources, _why_no_cases,
    ),
    Metric(
        "exam_passed", "培训考试合格", _P, "是/否",
        "考核期内本人参加的培训考试至少一次合格（补考合格计为合格）；未参加考试的不适用",
        1, 0, _exam_passed, _exam_sources, _no_exam,
    ),
)  # fmt: skip

METRICS.update({metric.code: metric for metric in PERSON_METRICS})
