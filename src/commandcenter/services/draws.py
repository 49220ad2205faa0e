"""双随机一公开 (R8): inspectors and targets drawn at random, recorded so the draw can be
published and replayed exactly.

A draw stores the pool as it was (with each candidate's weight), the exclusions with their
reasons, the seed, the algorithm version, its parameters, the result, who and when. Replaying
a record runs the stored algorithm on the stored pool with the stored seed and must give the
stored result. A draw is never silently redone: a redraw is a new record that names the one it
replaces and why.

The algorithm uses integers only (Python's Mersenne Twister through ``randrange``), so the same
seed gives the same result on any machine and any Python version that keeps ``random``'s
documented reproducibility.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    CreditGrade,
    DocType,
    Draw,
    DrawKind,
    Entity,
    Incident,
    IncidentStatus,
    Person,
    Plan,
    PlanOfficer,
    PlanStatus,
    PlanTarget,
    Recusal,
    Staffing,
    Unit,
    UnitKind,
    User,
)
from commandcenter.db.models.joint_operations import plan_grids
from commandcenter.errors import NotFound, ValidationError
from commandcenter.services import (
    audit,
    catalogue_industries,
    docnumbers,
    inspection_cap,
    plans,
    records,
    settings,
)
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require
from commandcenter.services.roster import eligibility

ALGORITHM = "cc-draw-1"  # sequential weighted choice without replacement, integer weights
MIN_PER_TEAM = eligibility.MIN_OFFICERS_ON_SITE  # R1: every team
GRADE_WEIGHT = {CreditGrade.GREEN: 1, CreditGrade.YELLOW: 2, CreditGrade.RED: 3}
COMPLAINT_WEIGHT = 2  # added for an entity complained about in the last year
YEARLY_CAP = inspection_cap.YEARLY_CAP
yearly_cap = inspection_cap.yearly_cap
_OPEN_PLAN = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED)


def choose(seed: str, pool: list[tuple[int, int]], count: int) -> list[int]:
    """*count* ids drawn from *pool* ((id, weight) in stored order) without replacement.

    Each pick takes an integer in [0, total weight) and walks the remaining candidates in order.
    """
    rng = random.Random(int(seed, 16))
    remaining = [(cid, weight) for cid, weight in pool if weight > 0]
    chosen: list[int] = []
    while remaining and len(chosen) < count:
        ticket = rng.randrange(sum(weight for _cid, weight in remaining))
        for index, (cid, weight) in enumerate(remaining):
            if ticket < weight:
                chosen.append(cid)
                del remaining[index]
                break
            ticket -= weight
    return chosen


def new_seed() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class DrawOutcome:
    draw_id: int
    chosen: list[int]
    pool_size: int
    excluded: int


def _plan_for_draw(session: Session, actor: Actor, plan_id: int) -> Plan:
    require(actor, Action.RUN_DRAW)
    plan = records.get(session, Plan, plan_id, "该行动方案")
    if plan.status not in _OPEN_PLAN:
        raise ValidationError(f"行动方案当前为“{plan.status.label}”，不能再随机抽取。")
    return plan


def _previous(session: Session, plan_id: int, kind: DrawKind) -> Draw | None:
    """The plan's draw of *kind* in force: the newest, which no later draw replaced."""
    return session.scalar(
        select(Draw)
        .where(Draw.plan_id == plan_id, Draw.kind == kind)
        .order_by(Draw.drawn_at.desc(), Draw.id.desc())
        .limit(1)
    )


def _check_redraw(session: Session, plan: Plan, kind: DrawKind, reason: str | None) -> Draw | None:
    previous = _previous(session, plan.id, kind)
    if previous is not None and not (reason or "").strip():
        raise ValidationError(
            f"该方案已抽取过{kind.label}（{timeutil.format_local(previous.drawn_at)}）。"
            "重新抽取须写明理由，原抽取记录将保留。",
            "reason",
        )
    return previous


def _record(
    session: Session,
    actor: Actor,
    plan: Plan,
    kind: DrawKind,
    *,
    seed: str,
    parameters: dict[str, Any],
    pool: list[dict[str, Any]],
    exclusions: list[dict[str, Any]],
    result: list[dict[str, Any]],
    previous: Draw | None,
    reason: str | None,
    now: datetime | None,
) -> Draw:
    assert actor.user_id is not None
    draw = Draw(
        plan_id=plan.id,
        kind=kind,
        seed=seed,
        algorithm_version=ALGORITHM,
        parameters=parameters,
        pool=pool,
        exclusions=exclusions,
        result=result,
        drawn_at=now or timeutil.now(),
        drawn_by_id=actor.user_id,
        supersedes_id=previous.id if previous else None,
        redraw_reason=((reason or "").strip()[:500] or None) if previous else None,
    )
    session.add(draw)
    session.flush()
    # Numbered when made: the record is published as it was drawn.
    draw.doc_number = docnumbers.issue(
        session,
        actor,
        DocType.DRAW,
        entity_type="draw",
        entity_id=draw.id,
        title=f"{plan.title}随机抽取{kind.label}记录",
        at=draw.drawn_at,
    ).number
    audit.record(
        session,
        actor,
        "draw.run",
        f"{plan.title}：随机抽取{kind.label} {len(result)} 名/家（候选 {len(pool)}，排除 "
        f"{len(exclusions)}，种子 {seed}）"
        + (f"；重新抽取，理由：{draw.redraw_reason}" if previous else ""),
        entity_type="plan",
        entity_id=plan.id,
        changes={"result": [r["id"] for r in result]},
    )
    return draw


# --- inspectors -----------------------------------------------------------------------------


def draw_inspectors(
    session: Session,
    actor: Actor,
    plan_id: int,
    *,
    teams: int = 1,
    per_team: int = MIN_PER_TEAM,
    field: str | None = None,
    reason: str | None = None,
    seed: str | None = None,
    now: datetime | None = None,
) -> Draw:
    """Draw *teams* x *per_team* inspectors from the officers who may inspect on the plan's day.

    The pool: a valid certificate covering *field* that day, available, never auxiliary (R1, R2,
    R10); people recused from any of the plan's targets are excluded with the reason.
    """
    plan = _plan_for_draw(session, actor, plan_id)
    if teams < 1 or per_team < MIN_PER_TEAM:
        raise ValidationError(f"每组至少 {MIN_PER_TEAM} 名持证执法人员。", "per_team")
    previous = _check_redraw(session, plan, DrawKind.INSPECTORS, reason)
    if field is None:
        # One field across the plan's items: its certificate is required. Several fields (综合查
        # 一次): any valid certificate, the departments' specialists come with their own staff.
        fields = {i.field for i in plan.items}
        field = fields.pop() if len(fields) == 1 else None
    day = plan.planned_on
    eligible = eligibility.eligible_officers(session, field, day)
    target_ids = [t.entity_id for t in plan.targets]
    recused = _recused(session, target_ids, day)
    pool: list[dict[str, Any]] = []
    exclusions: list[dict[str, Any]] = []
    for officer in eligible:
        if officer.person_id in recused:
            exclusions.append(
                {
                    "id": officer.person_id,
                    "name": officer.name,
                    "unit": officer.unit,
                    "reason": recused[officer.person_id],
                }
            )
        else:
            pool.append(
                {
                    "id": officer.person_id,
                    "name": officer.name,
                    "unit": officer.unit,
                    "certificate": officer.certificate,
                    "weight": 1,
                }
            )
    in_pool = {p["id"] for p in pool} | {e["id"] for e in exclusions}
    left_out = session.execute(
        select(Person.id, Person.name, Person.staffing, Unit.short_name)
        .join(Unit, Person.unit_id == Unit.id)
        .where(Unit.kind.in_([UnitKind.SQUAD, UnitKind.AGENCY]), Person.id.not_in(in_pool))
        .order_by(Person.id)
    ).all()
    reasons = eligibility.ineligibilities(session, [row[0] for row in left_out], field, day)
    for pid, name, staffing, unit in left_out:
        why = (
            "编外协勤人员，不参与抽取"
            if staffing is Staffing.AUXILIARY
            else reasons[pid] or "不符合抽取条件"
        )
        exclusions.append({"id": pid, "name": name, "unit": unit, "reason": why})
    needed = teams * per_team
    if len(pool) < needed:
        raise ValidationError(
            f"符合条件的执法人员只有 {len(pool)} 名，不足 {teams} 组每组 {per_team} 名（{needed} 名）。",
            "teams",
        )
    seed = seed or new_seed()
    chosen = choose(seed, [(p["id"], p["weight"]) for p in pool], needed)
    by_id = {p["id"]: p for p in pool}
    result = [
        {
            "id": pid,
            "name": by_id[pid]["name"],
            "unit": by_id[pid]["unit"],
            "team": n // per_team + 1,
        }
        for n, pid in enumerate(chosen)
    ]
    session.execute(delete(PlanOfficer).where(PlanOfficer.plan_id == plan.id))
    for r in result:
        session.add(PlanOfficer(plan_id=plan.id, person_id=r["id"], team=r["team"]))
    return _record(
        session,
        actor,
        plan,
        DrawKind.INSPECTORS,
        seed=seed,
        parameters={"teams": teams, "per_team": per_team, "field": field, "day": day.isoformat()},
        pool=pool,
        exclusions=exclusions,
        result=result,
        previous=previous,
        reason=reason,
        now=now,
    )


def _recused(session: Session, entity_ids: list[int], day: date) -> dict[int, str]:
    if not entity_ids:
        return {}
    rows = session.execute(
        select(Recusal.person_id, Entity.name, Recusal.reason)
        .join(Entity, Recusal.entity_id == Entity.id)
        .where(
            Recusal.entity_id.in_(entity_ids),
            Recusal.from_date <= day,
            or_(Recusal.to_date.is_(None), Recusal.to_date >= day),
        )
    )
    return {pid: f"须回避检查对象“{name}”：{reason}" for pid, name, reason in rows}


def _recusals_of(session: Session, person_ids: list[int], day: date) -> dict[int, set[int]]:
    """Entity -> the people among *person_ids* recused from it on *day*."""
    found: dict[int, set[int]] = {}
    if not person_ids:
        return found
    rows = session.execute(
        select(Recusal.entity_id, Recusal.person_id).where(
            Recusal.person_id.in_(person_ids),
            Recusal.from_date <= day,
            or_(Recusal.to_date.is_(None), Recusal.to_date >= day),
        )
    )
    for entity_id, person_id in rows:
        found.setdefault(entity_id, set()).add(person_id)
    return found


# --- targets --------------------------------------------------------------------------------


def yearly_cap_setting(session: Session, actor: Actor) -> int:
    require(actor, Action.VIEW)
    return yearly_cap(session)


def set_yearly_cap(session: Session, actor: Actor, cap: int) -> None:
    """How many times a year one entity may be inspected (不得重复检查), drawn or chosen."""
    if not 1 <= cap <= 12:
        raise ValidationError("每年检查上限应为 1 到 12 次。", "cap")
    settings.set_value(session, actor, YEARLY_CAP, str(cap))


def draw_targets(
    session: Session,
    actor: Actor,
    plan_id: int,
    *,
    count: int,
    industry: str | None = None,
    widen_reason: str | None = None,
    reason: str | None = None,
    seed: str | None = None,
    now: datetime | None = None,
) -> Draw:
    """Draw *count* entities from the plan's grids, weighted by credit grade and recent
    complaints; entities already inspected the yearly cap are excluded.

    The pool follows the plan's items: only entities of the industries they apply to (an item
    with none applies to any). *industry* narrows it to one of those; going beyond them (any
    industry, or one no item names) takes a *widen_reason*, kept on the record and printed."""
    plan = _plan_for_draw(session, actor, plan_id)
    if count < 1:
        raise ValidationError("请填写抽取的检查对象数量。", "count")
    previous = _check_redraw(session, plan, DrawKind.TARGETS, reason)
    industries, widened = _pool_industries(plan, (industry or "").strip(), widen_reason)
    grid_ids, pool, exclusions, allowed_teams = _target_pool(session, plan, industries)
    cap = yearly_cap(session)
    if len(pool) < count:
        raise ValidationError(
            f"符合条件的检查对象只有 {len(pool)} 家，少于要抽取的 {count} 家。", "count"
        )
    seed = seed or new_seed()
    chosen = choose(seed, [(p["id"], p["weight"]) for p in pool], count)
    by_id = {p["id"]: p for p in pool}
    result = [
        {
            key: by_id[eid][key]
            for key in ("id", "name", "uscc", "address", "grade")  # what the record lists
        }
        for eid in chosen
    ]
    for n, r in enumerate(result):
        free = allowed_teams[r["id"]]
        r["team"] = free[n % len(free)]
    session.execute(delete(PlanTarget).where(PlanTarget.plan_id == plan.id))
    for r in result:
        session.add(PlanTarget(plan_id=plan.id, entity_id=r["id"], team=r["team"]))
    return _record(
        session,
        actor,
        plan,
        DrawKind.TARGETS,
        seed=seed,
        parameters={
            "count": count,
            "industry": industry,
            "industries": industries,  # the pool's, [] for any
            "widened": widened,  # why the pool goes beyond the items' industries
            "grids": grid_ids,
            "cap": cap,
        },
        pool=pool,
        exclusions=exclusions,
        result=result,
        previous=previous,
        reason=reason,
        now=now,
    )


def _target_pool(
    session: Session, plan: Plan, industries: list[str]
) -> tuple[list[int], list[dict[str, Any]], list[dict[str, Any]], dict[int, list[int]]]:
    """The plan's grids, the candidates (with weights), the exclusions (with reasons) and the
    teams each candidate may go to, for entities of *industries* ([]: any)."""
    grid_ids = list(
        session.scalars(select(plan_grids.c.grid_id).where(plan_grids.c.plan_id == plan.id))
    )
    if not grid_ids:
        raise ValidationError("请先在方案中选择检查网格。", "grids")
    stmt = (
        select(Entity)
        .where(Entity.active.is_(True), Entity.grid_id.in_(grid_ids))
        .order_by(Entity.id)
    )
    if industries:
        stmt = stmt.where(Entity.industry.in_(industries))
    entities = list(session.scalars(stmt))
    day = plan.planned_on
    inspected = inspection_cap.inspections_in_year(session, day, excluding_plan=plan.id)
    since = timeutil.start_of_local_day(day - timedelta(days=365))
    complained = set(
        session.scalars(
            select(Incident.entity_id).where(
                Incident.entity_id.is_not(None),
                Incident.received_at >= since,
                Incident.status != IncidentStatus.MERGED,
            )
        )
    )
    cap = yearly_cap(session)
    # Teams already drawn: a target goes to a team with nobody recused from it.
    members: dict[int, set[int]] = {}
    for officer in plan.officers:
        members.setdefault(officer.team, set()).add(officer.person_id)
    teams = sorted(members) or [1]
    recusals = _recusals_of(session, [pid for ids in members.values() for pid in ids], day)
    allowed_teams: dict[int, list[int]] = {}
    pool: list[dict[str, Any]] = []
    exclusions: list[dict[str, Any]] = []
    for e in entities:
        # The credit code and address tell two entities of one name apart on the record.
        known = {"id": e.id, "name": e.name, "uscc": e.uscc or "", "address": e.address or ""}
        done = inspected.get(e.id, 0)
        if done >= cap:
            exclusions.append(known | {"reason": f"本年度已检查 {done} 次，达到上限 {cap} 次"})
            continue
        free = [t for t in teams if not members.get(t, set()) & recusals.get(e.id, set())]
        if not free:
            exclusions.append(known | {"reason": "与抽中的各组执法人员均有回避关系"})
            continue
        allowed_teams[e.id] = free
        weight = GRADE_WEIGHT[e.credit_grade] + (COMPLAINT_WEIGHT if e.id in complained else 0)
        pool.append(
            known
            | {
                "grade": e.credit_grade.label,
                "complaints": e.id in complained,
                "weight": weight,
            }
        )
    return grid_ids, pool, exclusions, allowed_teams


def target_pool_size(
    session: Session,
    actor: Actor,
    plan_id: int,
    industry: str | None = None,
    widen_reason: str | None = None,
) -> int:
    """How many entities a target draw for the plan would choose from now."""
    require(actor, Action.VIEW)
    plan = records.get(session, Plan, plan_id, "该行动方案")
    industries, _why = _pool_industries(plan, (industry or "").strip(), widen_reason)
    return len(_target_pool(session, plan, industries)[1])


def plan_industries(plan: Plan) -> list[str]:
    """The industries the plan's items apply to, in item order ([] when none names any)."""
    found: dict[str, None] = {}
    for item in sorted(plan.items, key=lambda i: i.code):
        found.update(dict.fromkeys(catalogue_industries.parse(item.industries)))
    return list(found)


def _pool_industries(
    plan: Plan, industry: str, widen_reason: str | None
) -> tuple[list[str], str | None]:
    """The industries the pool is drawn from ([]: any) and the reason it was widened."""
    themed = plan_industries(plan)
    why = (widen_reason or "").strip()[:500] or None
    if why is not None:
        return ([industry] if industry else []), why
    if industry and themed and industry not in themed:
        raise ValidationError(
            f"本方案检查事项适用的行业为{'、'.join(themed)}，不含“{industry}”；"
            "如需扩大抽取范围，请写明理由。",
            "widen_reason",
        )
    return ([industry] if industry else themed), None


# --- replaying ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replay:
    draw_id: int
    record: str  # the draw record as people name it: its number, or what and when
    matches: bool
    stored: list[int]
    replayed: list[int]
    message: str


def replay(session: Session, actor: Actor, draw_id: int) -> Replay:
    """Run the stored algorithm on the stored pool and seed; compare with the stored result."""
    require(actor, Action.VIEW)
    draw = records.get(session, Draw, draw_id, "该抽取记录")
    stored = [int(r["id"]) for r in draw.result]
    record = draw.doc_number or (
        f"{timeutil.format_local(draw.drawn_at)} 抽取{draw.kind.label}（未编号）"
    )
    if draw.algorithm_version != ALGORITHM:
        return Replay(
            draw.id,
            record,
            False,
            stored,
            [],
            f"该记录的算法版本为“{draw.algorithm_version}”，本程序无法复算。",
        )
    pool = [(int(p["id"]), int(p["weight"])) for p in draw.pool]
    replayed = choose(draw.seed, pool, len(stored))
    matches = replayed == stored
    message = (
        "复算结果与记录一致。" if matches else "复算结果与记录不一致，请核查该记录是否被改动。"
    )
    return Replay(draw.id, record, matches, stored, replayed, message)


def find_draw(session: Session, number: str) -> int:
    """A draw record by its document number, or the plan's latest draws by the plan number."""
    found = session.scalar(select(Draw.id).where(Draw.doc_number == number.strip()))
    if found is None:
        plan = plans.find_plan(session, number)
        found = session.scalar(
            select(Draw.id)
            .where(Draw.plan_id == plan.id)
            .order_by(Draw.drawn_at.desc(), Draw.id.desc())
            .limit(1)
        )
    if found is None:
        raise NotFound(f"没有找到编号为“{number}”的随机抽取记录。")
    return found


def draw_for_paper(
    session: Session, actor: Actor, draw_id: int
) -> tuple[Draw, Draw | None, User | None]:
    """The draw, the draw it replaced (if any) and who drew it, for the printed record."""
    require(actor, Action.PRINT_DOCUMENT)
    draw = records.get(session, Draw, draw_id, "该抽取记录")
    previous = session.get(Draw, draw.supersedes_id) if draw.supersedes_id else None
    return draw, previous, session.get(User, draw.drawn_by_id)


@dataclass(frozen=True)
class DrawLines:
    """A draw's pool, exclusions and result as the record prints them."""

    pool: list[dict[str, Any]]
    exclusions: list[dict[str, Any]]
    result: list[dict[str, Any]]


def lines_for_paper(session: Session, draw: Draw) -> DrawLines:
    """Copies of the stored lists, each line with what tells it apart: a target's credit code
    and address, a person's unit. Records drawn before these were stored take them from the
    directory and roster as they are now (the stored lists themselves are never changed: the
    draw replays from them)."""
    targets = draw.kind is DrawKind.TARGETS
    wanted = "uscc" if targets else "unit"
    lists = [[dict(line) for line in rows] for rows in (draw.pool, draw.exclusions, draw.result)]
    missing = {int(line["id"]) for rows in lists for line in rows if wanted not in line}
    if missing:
        found: dict[int, dict[str, str]]
        if targets:
            found = {
                eid: {"uscc": uscc or "", "address": address or ""}
                for eid, uscc, address in session.execute(
                    select(Entity.id, Entity.uscc, Entity.address).where(Entity.id.in_(missing))
                )
            }
        else:
            found = {
                pid: {"unit": unit}
                for pid, unit in session.execute(
                    select(Person.id, Unit.short_name)
                    .join(Unit, Person.unit_id == Unit.id)
                    .where(Person.id.in_(missing))
                )
            }
        for rows in lists:
            for line in rows:
                for key, value in found.get(int(line["id"]), {}).items():
                    line.setdefault(key, value)
    pool, exclusions, result = lists
    return DrawLines(pool, exclusions, result)


def replaced_by(session: Session, draw: Draw) -> Draw | None:
    """The later draw that replaced *draw* (a redraw names the one it replaces)."""
    return session.scalar(
        select(Draw).where(Draw.supersedes_id == draw.id).order_by(Draw.id).limit(1)
    )


def newest_draw(session: Session) -> int | None:
    return session.scalar(select(Draw.id).order_by(Draw.drawn_at.desc(), Draw.id.desc()).limit(1))
