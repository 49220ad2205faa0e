"""The figures an assessment scheme may score, each with its definition and its sources.

A metric computes one value per subject (agency or person) for a period, and lists the
records behind any one subject's value, so a leader can see the incidents a figure counts.
``None`` means the figure does not apply (nothing to average, an auxiliary's certificate).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    AssessmentSubject,
    Certificate,
    CertificateState,
    Incident,
    IncidentAssignment,
    IncidentReturn,
    IncidentUnit,
    Person,
    Plan,
    PlanOfficer,
    Staffing,
    Supervision,
    TrainingCourse,
    Unit,
    UnitKind,
    UnitRole,
    WhistleCall,
    training_attendance,
)
from commandcenter.services.assessment.unit_clock import Clock, clocks
from commandcenter.services.plan_attendance import invitations
from commandcenter.services.statistics import (
    Period,
    closed_in,
    handled_by,
    plans_carried_out,
    received_in,
    upheld_returns_in,
)
from commandcenter.services.work_calendar import WorkCalendar


@dataclass(frozen=True)
class Sources:
    """The records behind one figure, as a table; incident numbers let a row open its incident."""

    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    incident_numbers: Sequence[str | None]


Compute = Callable[[Session, Period, datetime, Sequence[int]], dict[int, float | None]]
ListSources = Callable[[Session, Period, datetime, int], Sources]


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    subject: AssessmentSubject
    unit: str  # how the value is written: 件, %, 小时 ...
    rule: str  # the definition, printed as the figure's source
    full_at: float  # default scoring: full marks here ...
    zero_at: float  # ... and none here, linearly between
    compute: Compute
    sources: ListSources
    # Why the figure does not apply to a subject (no account linked ...), said on the sheet.
    why_none: Callable[[Session, int], str] | None = None

    def format(self, value: float | None) -> str:
        if value is None:
            return "不适用"
        if self.unit == "%":
            return f"{value:.1f}%"
        if self.unit == "有/无":
            return "有" if value >= 1 else "无"
        if self.unit == "是/否":
            return "是" if value >= 1 else "否"
        if value == int(value):
            return f"{int(value)}{self.unit}"
        return f"{value:.1f}{self.unit}"


# --- incidents led by an agency --------------------------------------------------------------

_INCIDENT_HEADERS = ("事件编号", "事件名称", "受理时间", "办理期限", "办结时间", "状态")


def _incident_rows(session: Session, *where: ColumnElement[bool]) -> Sources:
    rows, numbers = [], []
    for i in session.scalars(select(Incident).where(*where).order_by(Incident.received_at)):
        rows.append(
            (
                i.number,
                i.title,
                timeutil.format_local(i.received_at),
                timeutil.format_local(i.deadline_at),
                timeutil.format_local(i.closed_at),
                i.status.label,
            )
        )
        numbers.append(i.number)
    return Sources(_INCIDENT_HEADERS, rows, numbers)


def _per_unit(
    s: Session, ids: Sequence[int], value: Any, *where: ColumnElement[bool]
) -> dict[int, tuple[int, int]]:
    """Per unit of *ids*: how many incidents it led or co-handled meeting *where*, and the sum
    of *value* over them. Every unit is grouped and *ids* picked afterwards, so the incidents are
    found by the period's index rather than by reading each unit's every incident."""
    rows = s.execute(
        select(IncidentUnit.unit_id, func.count(), func.sum(value))
        .join(Incident, IncidentUnit.incident_id == Incident.id)
        .where(*where)
        .group_by(IncidentUnit.unit_id)
    ).all()
    wanted = set(ids)
    return {u: (int(n), int(total or 0)) for u, n, total in rows if u in wanted}


def _count_handled(condition: Callable[[Period, datetime], ColumnElement[bool]]) -> Compute:
    def compute(
        s: Session, p: Period, now: datetime, ids: Sequence[int]
    ) -> dict[int, float | None]:
        counts = _per_unit(s, ids, 0, condition(p, now))
        return {u: float(counts.get(u, (0, 0))[0]) for u in ids}

    return compute


def _handled_sources(condition: Callable[[Period, datetime], ColumnElement[bool]]) -> ListSources:
    return lambda s, p, now, unit_id: _incident_rows(s, condition(p, now), handled_by(unit_id))


# The unit's clock: dispatch to report-back against the unit's own deadline (统计口径 in
# services/statistics.py); a co-operating unit runs on its own part (unit_clock.py).

_UNIT_CLOCK_HEADERS = ("事件编号", "事件名称", "派单时间", "单位期限", "反馈时间", "是否按期")


def _unit_clock_verdict(c: Clock) -> str:
    if c.deadline is None:
        return "未定期限"
    if c.reported_at is None:
        return "超期未反馈"
    return "按期" if c.reported_at <= c.deadline else "超期反馈"


def _unit_clock_rows(chosen: Iterable[Clock]) -> Sources:
    rows, numbers = [], []
    for c in chosen:
        rows.append(
            (
                c.number,
                c.title + ("（协办部分）" if c.own_part else ""),
                timeutil.format_local(c.dispatched_at),
                timeutil.format_local(c.deadline),
                timeutil.format_local(c.reported_at) if c.reported_at else "未反馈",
                _unit_clock_verdict(c),
            )
        )
        numbers.append(c.number)
    return Sources(_UNIT_CLOCK_HEADERS, rows, numbers)


def _on_time_rate(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    """What the rate divides by: reported in the period, or overdue for the unit and not
    reported within it; what it counts: those reported by the unit deadline."""
    counted: dict[int, list[bool]] = defaultdict(list)
    for c in clocks(s, ids, p):
        if c.counted_for_rate(p, now):
            counted[c.unit_id].append(c.reported_in(p) and c.on_time())
    return {u: (100 * sum(counted[u]) / len(counted[u]) if counted[u] else None) for u in ids}


def _overdue_count(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    counts: dict[int, int] = defaultdict(int)
    for c in clocks(s, ids, p):
        if c.overdue_in(p, now):
            counts[c.unit_id] += 1
    return {u: float(counts[u]) for u in ids}


def _on_time_sources(s: Session, p: Period, now: datetime, unit_id: int) -> Sources:
    return _unit_clock_rows(c for c in clocks(s, [unit_id], p) if c.counted_for_rate(p, now))


def _overdue_sources(s: Session, p: Period, now: datetime, unit_id: int) -> Sources:
    return _unit_clock_rows(c for c in clocks(s, [unit_id], p) if c.overdue_in(p, now))


def _hours(start: datetime | None, end: datetime | None) -> float | None:
    return (end - start).total_seconds() / 3600 if start and end else None


def _working_hours(cal: WorkCalendar, start: datetime | None, end: datetime | None) -> float | None:
    """Office time between dispatch and acceptance: an agency keeps office hours, so a case
    dispatched on Friday evening and signed for on Monday morning waited about an hour of its
    time, not a weekend."""
    return cal.working_seconds(start, end) / 3600 if start and end else None


def _accept_hours(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    cal = WorkCalendar.load(s)
    waits: dict[int, list[float]] = defaultdict(list)
    for c in clocks(s, ids, p):
        if c.accepted_after_dispatch_in(p):
            hours = _working_hours(cal, c.dispatched_at, c.accepted_at)
            if hours is not None:
                waits[c.unit_id].append(hours)
    return {u: (sum(waits[u]) / len(waits[u]) if waits[u] else None) for u in ids}


Hours = Callable[[datetime | None, datetime | None], float | None]


def interval_sources(
    incidents: Iterable[Any],
    start: str,
    end: str,
    headers: tuple[str, str],
    hours: Hours = _hours,
    unit: str = "小时",
) -> Sources:
    """Incidents with the two moments a time figure spans (派单 → 签收, 受理 → 派单) and the
    time between them (*hours*: on the clock, or in office hours), as the figure's records."""
    rows, numbers = [], []
    for i in incidents:
        began, ended = getattr(i, start), getattr(i, end)
        rows.append(
            (
                i.number,
                i.title,
                timeutil.format_local(began),
                timeutil.format_local(ended),
                f"{hours(began, ended) or 0:.1f}",
            )
        )
        numbers.append(i.number)
    return Sources(("事件编号", "事件名称", *headers, f"用时（{unit}）"), rows, numbers)


def _accept_sources(s: Session, p: Period, now: datetime, unit_id: int) -> Sources:
    cal = WorkCalendar.load(s)
    chosen = [c for c in clocks(s, [unit_id], p) if c.accepted_after_dispatch_in(p)]
    return interval_sources(
        chosen,
        "dispatched_at",
        "accepted_at",
        ("派单时间", "签收时间"),
        hours=lambda began, ended: _working_hours(cal, began, ended),
        unit="工作小时",
    )


def _counts(s: Session, key: Any, ids: Sequence[int], stmt: Select[Any]) -> dict[int, float | None]:
    """Rows of *stmt* (a SELECT FROM ... JOIN ...) per subject in *key*; 0 for none.

    Every subject's rows are counted and *ids* picked from them afterwards: a subject list of
    hundreds of people in the WHERE clause made SQLite probe every row once per person."""
    found: dict[int, int] = dict(s.execute(stmt.add_columns(key, func.count()).group_by(key)).all())
    return {u: float(found.get(u, 0)) for u in ids}


def _returns(s: Session, p: Period, now: datetime, ids: Sequence[int]) -> dict[int, float | None]:
    stmt = select().select_from(IncidentReturn).where(upheld_returns_in(p))
    return _counts(s, IncidentReturn.unit_id, ids, stmt)


def _return_sources(s: Session, p: Period, now: datetime, unit_id: int) -> Sources:
    rows, numbers = [], []
    for r, number, title in s.execute(
        select(IncidentReturn, Incident.number, Incident.title)
        .join(Incident, IncidentReturn.incident_id == Incident.id)
        .where(upheld_returns_in(p), IncidentReturn.unit_id == unit_id)
        .order_by(IncidentReturn.returned_at)
    ):
        rows.append(
            (
                number,
                title,
                timeutil.format_local(r.returned_at),
                r.reason.label,
                r.ruling.label if r.ruling else "待裁定",
            )
        )
        numbers.append(number)
    return Sources(("事件编号", "事件名称", "退回时间", "退回理由", "中心裁定"), rows, numbers)


def _whistle_owners(s: Session, p: Period) -> dict[int, int]:
    """Each whistle call of the period (by id) to the agency it concerns.

    A call to an agency is that agency's. A call to a district department is its agency's at
    the street; where the department has several, the one that handled the incident, and none
    when that is not exactly one, so a department's call never charges two agencies.
    """
    calls = s.execute(
        select(WhistleCall.id, WhistleCall.department_id, WhistleCall.incident_id).where(
            p.contains(WhistleCall.called_at)
        )
    ).all()
    called = {department_id for _, department_id, _ in calls}
    kinds = dict(s.execute(select(Unit.id, Unit.kind).where(Unit.id.in_(called))).all())
    agencies: dict[int | None, list[int]] = defaultdict(list)
    for agency_id, parent_id in s.execute(
        select(Unit.id, Unit.parent_id).where(
            Unit.parent_id.in_(called), Unit.kind == UnitKind.AGENCY
        )
    ):
        agencies[parent_id].append(agency_id)
    handled = set(
        s.execute(
            select(IncidentUnit.incident_id, IncidentUnit.unit_id).where(
                IncidentUnit.incident_id.in_({incident_id for _, _, incident_id in calls})
            )
        ).all()
    )
    owners: dict[int, int] = {}
    for call_id, department_id, incident_id in calls:
        if kinds.get(department_id) is UnitKind.AGENCY:
            owners[call_id] = department_id
            continue
        candidates = agencies.get(department_id, [])
        if len(candidates) > 1:
            candidates = [a for a in candidates if (incident_id, a) in handled]
        if len(candidates) == 1:
            owners[call_id] = candidates[0]
    return owners


def _whistle_minutes(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    owners = _whistle_owners(s, p)
    minutes: dict[int, list[float]] = defaultdict(list)
    for call_id, called, arrived in s.execute(
        select(WhistleCall.id, WhistleCall.called_at, WhistleCall.arrived_at).where(
            WhistleCall.id.in_(list(owners)), WhistleCall.arrived_at.is_not(None)
        )
    ):
        if arrived is not None:
            minutes[owners[call_id]].append((arrived - called).total_seconds() / 60)
    return {u: (sum(minutes[u]) / len(minutes[u]) if minutes[u] else None) for u in ids}


def _whistle_sources(s: Session, p: Period, now: datetime, unit_id: int) -> Sources:
    calls = [c for c, owner in _whistle_owners(s, p).items() if owner == unit_id]
    rows, numbers = [], []
    for call, number, title in s.execute(
        select(WhistleCall, Incident.number, Incident.title)
        .join(Incident, WhistleCall.incident_id == Incident.id)
        .where(WhistleCall.id.in_(calls))
        .order_by(WhistleCall.called_at)
    ):
        minutes = (
            f"{(call.arrived_at - call.called_at).total_seconds() / 60:.0f}"
            if call.arrived_at
            else "未报到（不计入平均）"
        )
        rows.append(
            (
                number,
                title,
                call.department.short_name,
                timeutil.format_local(call.called_at),
                timeutil.format_local(call.arrived_at),
                minutes,
            )
        )
        numbers.append(number)
    headers = ("事件编号", "事件名称", "被吹哨单位", "吹哨时间", "报到时间", "用时（分钟）")
    return Sources(headers, rows, numbers)


def _attendance(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    """Of the carried-out plans that invited the unit (or its department), the share it
    attended; plans whose attendance was never recorded are left out."""
    figures: dict[int, float | None] = {}
    for unit_id, invited in invitations(s, plans_carried_out(p), ids).items():
        recorded = [i.attended for i in invited if i.attended is not None]
        figures[unit_id] = 100 * sum(recorded) / len(recorded) if recorded else None
    return figures


def _attendance_sources(s: Session, p: Period, now: datetime, unit_id: int) -> Sources:
    rows = []
    for i in invitations(s, plans_carried_out(p), [unit_id])[unit_id]:
        state = "未登记（不计入）" if i.attended is None else "参加" if i.attended else "未参加"
        via = f"经{i.via}邀请" if i.via else ""
        rows.append(
            (
                i.plan.number or "（未编号）",
                i.plan.title,
                i.plan.planned_on.isoformat(),
                state,
                "；".join(part for part in (via, i.note) if part),
            )
        )
    headers = ("方案编号", "行动名称", "行动日期", "参加情况", "说明")
    return Sources(headers, rows, [None] * len(rows))


def _supervisions(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    stmt = select().select_from(Supervision).where(p.contains(Supervision.issued_at))
    return _counts(s, Supervision.unit_id, ids, stmt)


def _supervision_sources(s: Session, p: Period, now: datetime, unit_id: int) -> Sources:
    rows, numbers = [], []
    for doc, number in s.execute(
        select(Supervision, Incident.number)
        .outerjoin(Incident, Supervision.incident_id == Incident.id)
        .where(p.contains(Supervision.issued_at), Supervision.unit_id == unit_id)
        .order_by(Supervision.issued_at)
    ):
        rows.append(
            (doc.doc_number, doc.kind.label, timeutil.format_local(doc.issued_at), number or "")
        )
        numbers.append(number)
    return Sources(("文书编号", "类别", "签发时间", "所涉事件"), rows, numbers)


def led_by(unit_id: int) -> ColumnElement[bool]:
    """Incidents the unit led (主办): the result the caller judged is the lead's."""
    return Incident.id.in_(
        select(IncidentUnit.incident_id).where(
            IncidentUnit.unit_id == unit_id, IncidentUnit.role == UnitRole.LEAD
        )
    )


def _satisfaction(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    marks = _per_unit(
        s,
        ids,
        Incident.satisfaction,
        closed_in(p),
        Incident.satisfaction.is_not(None),
        IncidentUnit.role == UnitRole.LEAD,
    )
    return {u: (marks[u][1] / marks[u][0] if u in marks else None) for u in ids}


def _satisfaction_sources(s: Session, p: Period, now: datetime, unit_id: int) -> Sources:
    rows, numbers = [], []
    for i in s.scalars(
        select(Incident)
        .where(closed_in(p), Incident.satisfaction.is_not(None), led_by(unit_id))
        .order_by(Incident.closed_at)
    ):
        rows.append((i.number, i.title, timeutil.format_local(i.closed_at), f"{i.satisfaction} 分"))
        numbers.append(i.number)
    return Sources(("事件编号", "事件名称", "办结时间", "回访满意度"), rows, numbers)


# --- people ------------------------------------------------------------------------------------


def _cases(s: Session, p: Period, now: datetime, ids: Sequence[int]) -> dict[int, float | None]:
    stmt = (
        select()
        .select_from(IncidentAssignment)
        .join(Incident, IncidentAssignment.incident_id == Incident.id)
        .where(closed_in(p))
    )
    return _counts(s, IncidentAssignment.person_id, ids, stmt)


def _unassigned_in_agencies(s: Session, p: Period, ids: Sequence[int]) -> set[int]:
    """People of dispatched agencies with no case of their own: an agency shares its cases out
    itself, so the centre's records cannot say what they handled (their cases do not apply)."""
    in_agencies = set(
        s.scalars(
            select(Person.id)
            .join(Unit, Person.unit_id == Unit.id)
            .where(Person.id.in_(ids), Unit.kind == UnitKind.AGENCY)
        )
    )
    return {u for u, n in _cases(s, p, p.end, list(in_agencies)).items() if not n}


def _own_cases(s: Session, p: Period, now: datetime, ids: Sequence[int]) -> dict[int, float | None]:
    unassigned = _unassigned_in_agencies(s, p, ids)
    return {u: (None if u in unassigned else n) for u, n in _cases(s, p, now, ids).items()}


def _why_no_cases(s: Session, person_id: int) -> str:
    return "派驻机构的案件由机构自行分派，指挥中心没有本人承办的记录"


def _case_sources(s: Session, p: Period, now: datetime, person_id: int) -> Sources:
    assigned = select(IncidentAssignment.incident_id).where(
        IncidentAssignment.person_id == person_id
    )
    return _incident_rows(s, closed_in(p), Incident.id.in_(assigned))


def _training(s: Session, p: Period, now: datetime, ids: Sequence[int]) -> dict[int, float | None]:
    found: dict[int, float | None] = dict(
        s.execute(
            select(training_attendance.c.person_id, func.sum(TrainingCourse.hours))
            .join(TrainingCourse, training_attendance.c.course_id == TrainingCourse.id)
            .where(
                TrainingCourse.held_on >= p.first,
                TrainingCourse.held_on <= p.last,
                training_attendance.c.person_id.in_(ids),
            )
            .group_by(training_attendance.c.person_id)
        ).all()
    )
    return {u: float(found.get(u) or 0) for u in ids}


def _training_sources(s: Session, p: Period, now: datetime, person_id: int) -> Sources:
    rows = [
        (c.held_on.isoformat(), c.title, c.kind.label, f"{c.hours:g}")
        for c in s.scalars(
            select(TrainingCourse)
            .join(training_attendance, training_attendance.c.course_id == TrainingCourse.id)
            .where(
                training_attendance.c.person_id == person_id,
                TrainingCourse.held_on >= p.first,
                TrainingCourse.held_on <= p.last,
            )
            .order_by(TrainingCourse.held_on)
        )
    ]
    return Sources(("日期", "培训名称", "类别", "学时"), rows, [None] * len(rows))


def _valid_certificate(p: Period) -> ColumnElement[bool]:
    return (Certificate.state == CertificateState.VALID) & (Certificate.expires_on >= p.last)


def _certificates(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    auxiliaries = set(
        s.scalars(
            select(Person.id).where(Person.id.in_(ids), Person.staffing == Staffing.AUXILIARY)
        )
    )
    holders = set(
        s.scalars(
            select(Certificate.person_id).where(
                _valid_certificate(p), Certificate.person_id.in_(ids)
            )
        )
    )
    return {u: (None if u in auxiliaries else float(u in holders)) for u in ids}


def _certificate_sources(s: Session, p: Period, now: datetime, person_id: int) -> Sources:
    rows = [
        (c.number, c.fields, c.expires_on.isoformat(), c.state.label)
        for c in s.scalars(
            select(Certificate)
            .where(Certificate.person_id == person_id)
            .order_by(Certificate.expires_on)
        )
    ]
    return Sources(("执法证号", "执法领域", "有效期至", "状态"), rows, [None] * len(rows))


def _operations(
    s: Session, p: Period, now: datetime, ids: Sequence[int]
) -> dict[int, float | None]:
    stmt = (
        select()
        .select_from(PlanOfficer)
        .join(Plan, PlanOfficer.plan_id == Plan.id)
        .where(plans_carried_out(p))
    )
    return _counts(s, PlanOfficer.person_id, ids, stmt)


def _operation_sources(s: Session, p: Period, now: datetime, person_id: int) -> Sources:
    rows = [
        (plan.number or "（未编号）", plan.title, plan.planned_on.isoformat())
        for plan in s.scalars(
            select(Plan)
            .join(PlanOfficer, PlanOfficer.plan_id == Plan.id)
            .where(PlanOfficer.person_id == person_id, plans_carried_out(p))
            .order_by(Plan.planned_on)
        )
    ]
    return Sources(("方案编号", "行动名称", "行动日期"), rows, [None] * len(rows))


_A, _P = AssessmentSubject.AGENCY, AssessmentSubject.PERSON

METRICS: dict[str, Metric] = {
    m.code: m
    for m in (
        Metric(
            "incidents_received", "受理事件数", _A, "件",
            "考核期内受理、派由该单位主办或协办的事件（并单的重复来电不重复计）",
            100, 0, _count_handled(lambda p, now: received_in(p)),
            _handled_sources(lambda p, now: received_in(p)),
        ),
        Metric(
            "on_time_rate", "按期反馈率", _A, "%",
            "按单位期限（办理时限自派单起算，含批准延期）计：考核期内反馈及单位期限已过仍未"
            "反馈的承办（主办或协办）事件中，在单位期限内反馈的比例（协办按其协办部分计）",
            100, 60, _on_time_rate, _on_time_sources,
        ),
        Metric(
            "overdue_count", "超期件数", _A, "件",
            "单位期限（自派单起算）在考核期内届满、届满时尚未反馈的承办事件（协办按其协办部分计）",
            0, 10, _overdue_count, _overdue_sources,
        ),
        Metric(
            "returned_orders", "退回派单数", _A, "件",
            "考核期内该单位退回、经中心裁定“维持原派单”的派单"
            "（裁定“重新研判派单”的属中心派错，待裁定的不计）",
            0, 10, _returns, _return_sources,
        ),
        Metric(
            "accept_hours", "平均签收用时", _A, "工作小时",
            "考核期内派出的承办事件，自派单至签收的平均用时（按工作时间计，夜间、休息日和"
            "节假日不计）",
            4, 15, _accept_hours, _accept_sources,
        ),
        Metric(
            "whistle_response", "吹哨报到响应时间", _A, "分钟",
            "考核期内向该单位（或其区级主管部门，部门有多个派驻机构时计承办该事件的一个）吹哨，"
            "自吹哨至到场报到的平均用时",
            60, 180, _whistle_minutes, _whistle_sources,
        ),
        Metric(
            "joint_attendance", "联合执法参与率", _A, "%",
            "考核期内已实施的联合执法行动中，邀请该单位（方案参加部门列有该单位或其区级主管部门）"
            "的行动里，实施完毕时登记为参加的比例；未登记参加情况的行动不计入",
            100, 50, _attendance, _attendance_sources,
        ),
        Metric(
            "supervisions_received", "收到督办文书数", _A, "份",
            "考核期内向该单位签发的督办函、工作提示单、执法建议书、风险提示单",
            0, 10, _supervisions, _supervision_sources,
        ),
        Metric(
            "satisfaction", "回访满意度", _A, "分",
            "考核期内办结、已回访、由该单位主办的事件满意度平均值（5 分制，协办不计）",
            5, 3, _satisfaction, _satisfaction_sources,
        ),
        Metric(
            "cases_handled", "办理案件数", _P, "件",
            "考核期内办结、本人为承办人员的事件",
            20, 0, _own_cases, _case_sources, _why_no_cases,
        ),
        Metric(
            "training_hours", "培训学时", _P, "学时",
            "考核期内参加培训的学时合计",
            24, 0, _training, _training_sources,
        ),
        Metric(
            "certificate_valid", "执法证状态", _P, "有/无",
            "考核期末持有有效执法证件（协勤人员不适用）",
            1, 0, _certificates, _certificate_sources,
        ),
        Metric(
            "joint_operations", "参加联合执法次数", _P, "次",
            "考核期内参加已实施的联合执法行动次数",
            6, 0, _operations, _operation_sources,
        ),
    )
}  # fmt: skip


def metrics_for(subject: AssessmentSubject) -> list[Metric]:
    return [m for m in METRICS.values() if m.subject is subject]


def linear_score(value: float, full_at: float, zero_at: float) -> float:
    """0 to 100: full marks at *full_at*, none at *zero_at*, linear between, either way up."""
    if full_at == zero_at:
        return 100.0 if value == full_at else 0.0
    share = (value - zero_at) / (full_at - zero_at)
    return round(100 * min(1.0, max(0.0, share)), 2)
