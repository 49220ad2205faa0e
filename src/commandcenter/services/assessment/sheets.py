"""考核评价表: compute, enter hand scores, review, lock and sign; unlock only by a leader.

Scoring. A computed indicator scores 0-100 linearly between its zero and full values; a hand
indicator is scored 0-100 directly. A figure that does not apply (nothing to average) leaves
its indicator out and the others' weights carry the score. The street's score and the
department's score are the weighted means of their sides' indicators, both recorded; the total
is the weighted mean of all of them (with the template's weights, 70% street and 30%
department). A sheet has a total and a grade only once every hand score is in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from commandcenter import timeutil
from commandcenter.db.models import (
    AssessmentScheme,
    AssessmentSheet,
    AssessmentSubject,
    Grade,
    Indicator,
    IndicatorSide,
    IndicatorSource,
    Person,
    PersonGroup,
    PersonStatus,
    Score,
    SheetStatus,
    Staffing,
    Unit,
    UnitKind,
    User,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import person_groups, schemes, unit_clock
from commandcenter.services.assessment.metrics import METRICS, Sources, linear_score
from commandcenter.services.permissions import Action, require
from commandcenter.services.statistics import Period, year_period

# People assessed: everyone on duty in the units the centre commands, each under his group's
# scheme (person_groups).
PERSON_UNIT_KINDS = person_groups.PERSON_UNIT_KINDS


def period_for(year: int, today: date) -> Period:
    """The whole year, or up to *today* while it runs."""
    whole = year_period(year)
    if today < whole.first:
        raise ValidationError(f"{year}年度尚未开始，没有可计算的数据。")
    return whole.cut_at(today)


def _subjects(
    session: Session, scheme: AssessmentScheme, period: Period
) -> tuple[list[tuple[int, str]], set[int]]:
    """Whom *scheme* assesses, in order; and, for a person scheme, everyone assessed this year
    under another group's scheme."""
    if scheme.subject is AssessmentSubject.AGENCY:
        return _all_subjects(session, scheme.subject), set()
    everyone = _all_subjects(session, scheme.subject)
    groups = person_groups.year_groups(session, period, [i for i, _ in everyone])
    group = scheme.group or PersonGroup.OFFICER
    return (
        [(i, name) for i, name in everyone if groups[i].group is group],
        {i for i, _ in everyone if groups[i].group not in (group, None)},
    )


def _all_subjects(session: Session, subject: AssessmentSubject) -> list[tuple[int, str]]:
    if subject is AssessmentSubject.AGENCY:
        return list(
            session.execute(
                select(Unit.id, Unit.name)
                .where(Unit.kind == UnitKind.AGENCY, Unit.active.is_(True))
                .order_by(Unit.sort_order, Unit.id)
            ).all()
        )
    return list(
        session.execute(
            select(Person.id, Person.name)
            .join(Unit, Person.unit_id == Unit.id)
            .where(Person.status == PersonStatus.ON_DUTY, Unit.kind.in_(PERSON_UNIT_KINDS))
            .order_by(Unit.sort_order, Unit.id, Person.name_initials, Person.id)
        ).all()
    )


def _sheets_for(
    session: Session,
    scheme: AssessmentScheme,
    stored: Sequence[AssessmentSheet],
    subject_ids: Sequence[int],
) -> tuple[dict[int, AssessmentSheet], int]:
    """Each subject's sheet with its scores (from *stored*, the scheme's sheets read in one
    statement), created where missing in one flush; and how many were created."""
    agency = scheme.subject is AssessmentSubject.AGENCY
    sheets = {(sheet.unit_id if agency else sheet.person_id): sheet for sheet in stored}
    missing = [i for i in subject_ids if i not in sheets]
    for subject_id in missing:
        sheet = AssessmentSheet(
            scheme_id=scheme.id,
            unit_id=subject_id if agency else None,
            person_id=None if agency else subject_id,
            status=SheetStatus.DRAFT,
            scores=[],  # known empty: reading it later needs no query
        )
        session.add(sheet)
        sheets[subject_id] = sheet
    session.flush()
    return {i: sheets[i] for i in subject_ids}, len(missing)


def _score_row(session: Session, sheet: AssessmentSheet, indicator: Indicator) -> Score:
    for score in sheet.scores:
        if score.indicator_id == indicator.id:
            return score
    score = Score(sheet_id=sheet.id, indicator_id=indicator.id)
    session.add(score)
    sheet.scores.append(score)
    return score


def _f(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Totals:
    street: float | None
    department: float | None
    total: float | None
    grade: Grade | None
    missing: list[str]  # hand scores still to be entered


def totals(scheme: AssessmentScheme, scores: dict[int, float | None]) -> Totals:
    """The side scores, total and grade from the indicators' scores (None: not applicable or
    not yet entered)."""
    missing = [
        i.name
        for i in scheme.indicators
        if i.source is IndicatorSource.MANUAL and scores.get(i.id) is None and float(i.weight)
    ]

    def mean(indicators: Sequence[Indicator]) -> float | None:
        scored = [
            (float(i.weight), scores[i.id]) for i in indicators if scores.get(i.id) is not None
        ]
        weight = sum(w for w, _ in scored)
        if not weight:
            return None
        return round(sum(w * s for w, s in scored if s is not None) / weight, 2)

    if missing:
        return Totals(None, None, None, None, missing)
    street = mean([i for i in scheme.indicators if i.side is IndicatorSide.STREET])
    department = mean([i for i in scheme.indicators if i.side is IndicatorSide.DEPARTMENT])
    total = mean(scheme.indicators)
    grade = schemes.grade_for(scheme, total) if total is not None else None
    return Totals(street, department, total, grade, [])


def _apply_totals(scheme: AssessmentScheme, sheet: AssessmentSheet) -> None:
    result = totals(scheme, {s.indicator_id: _f(s.score) for s in sheet.scores})
    sheet.street_score = result.street
    sheet.department_score = result.department
    sheet.total_score = result.total
    sheet.grade = result.grade


@dataclass(frozen=True)
class ComputeResult:
    scheme_id: int
    period: Period
    sheets: int
    created: int
    skipped_locked: int
    removed: int = 0  # draft sheets of people now assessed under another group's scheme
    # Sheets kept although their person now belongs to another group: locked or hand-scored.
    not_belonging: tuple[str, ...] = ()


def _sort_out(
    session: Session, stored: Sequence[AssessmentSheet], elsewhere: set[int]
) -> tuple[int, list[str]]:
    """Delete the draft sheets (of *stored*) of people now in another group's scheme, unless
    locked or scored by hand; name the ones kept (不属于本方案)."""
    removed, kept = 0, []
    for sheet in stored:
        if sheet.person_id not in elsewhere:
            continue
        scored = any(s.entered_at is not None and s.score is not None for s in sheet.scores)
        if sheet.status is SheetStatus.LOCKED or scored:
            kept.append(subject_name(sheet))
            continue
        for score in sheet.scores:
            session.delete(score)
        session.delete(sheet)
        removed += 1
    session.flush()
    return removed, kept


def _why_none(session: Session, indicator: Indicator, subject_id: int) -> str:
    metric = METRICS[indicator.metric or ""]
    reason = metric.why_none(session, subject_id) if metric.why_none else ""
    # Without a reason of its own, nothing in the period was counted: the sheet says so, with
    # what would have been, rather than print the rule beside 不适用 as if a figure stood.
    return f"不适用：{reason or f'考核期内没有计入本项的记录。本项口径：{metric.rule}'}"


def compute(
    session: Session, actor: Actor, scheme_id: int, now: datetime | None = None
) -> ComputeResult:
    """Create the missing sheets and recompute every unlocked sheet's figures from the data.

    Hand scores are kept. A reviewed sheet whose figures moved goes back to 待复核.
    """
    require(actor, Action.EDIT_ASSESSMENT)
    moment = now or timeutil.now()
    scheme = records.get(session, AssessmentScheme, scheme_id, "考核方案")
    if found := schemes.problems(scheme):
        raise ValidationError(f"{scheme.name}还不能用于计算：{found[0]}")
    period = period_for(scheme.year, timeutil.local_date(moment))
    subjects, elsewhere = _subjects(session, scheme, period)
    stored = scheme_sheets(session, scheme.id)
    removed, not_belonging = _sort_out(session, stored, elsewhere)
    ids = [i for i, _ in subjects]
    with unit_clock.shared(session):  # the agency figures share the units' clocks
        values = {
            ind.id: METRICS[ind.metric].compute(session, period, moment, ids)
            for ind in scheme.indicators
            if ind.source is IndicatorSource.COMPUTED and ind.metric
        }
    # A sheet sorted out above was of someone in another group: not among *ids*.
    subject_sheets, created = _sheets_for(session, scheme, stored, ids)
    skipped = 0
    for subject_id in ids:
        sheet = subject_sheets[subject_id]
        if sheet.status is SheetStatus.LOCKED:
            skipped += 1
            continue
        moved = False
        for ind in scheme.indicators:
            row = _score_row(session, sheet, ind)
            if ind.id not in values:
                continue
            value = values[ind.id][subject_id]
            score = (
                None
                if value is None
                else linear_score(value, float(ind.full_at or 0), float(ind.zero_at or 0))
            )
            raw = None if value is None else round(value, 4)
            # Only what moved is set: a row given its own values again is still checked and
            # compared by the flush, ten thousand of them for the officers.
            if _f(row.raw_value) != raw or _f(row.score) != score:
                moved = True
                row.raw_value = raw
                row.score = score
            note = (
                METRICS[ind.metric or ""].rule
                if value is not None
                else _why_none(session, ind, subject_id)
            )
            if row.source_note != note:
                row.source_note = note
        sheet.period_start, sheet.period_end = period.first, period.last
        sheet.computed_at = moment
        if moved and sheet.status is SheetStatus.REVIEWED:
            sheet.status = SheetStatus.DRAFT
            sheet.reviewed_at = sheet.reviewed_by_id = None
        _apply_totals(scheme, sheet)
    audit.record(
        session,
        actor,
        "assessment.compute",
        f"{scheme.name}：按{period.text}数据计算考核评价表 {len(ids) - skipped} 份"
        + (f"（{skipped} 份已锁定，未改动）" if skipped else "")
        + (f"；删除已转入其他考核方案人员的考核评价表 {removed} 份" if removed else "")
        + (f"；不属于本方案但保留：{'、'.join(not_belonging)}" if not_belonging else ""),
        entity_type="assessment_scheme",
        entity_id=scheme.id,
    )
    return ComputeResult(
        scheme.id, period, len(ids), created, skipped, removed, tuple(not_belonging)
    )


def scheme_sheets(session: Session, scheme_id: int) -> list[AssessmentSheet]:
    return list(
        session.scalars(
            select(AssessmentSheet)
            .where(AssessmentSheet.scheme_id == scheme_id)
            .options(selectinload(AssessmentSheet.scores))
            .order_by(AssessmentSheet.id)
        )
    )


def _open_sheet(session: Session, sheet_id: int, expected_version: int | None) -> AssessmentSheet:
    sheet = records.get(session, AssessmentSheet, sheet_id, "考核评价表")
    records.check_version(sheet, expected_version, "该考核评价表")
    if sheet.status is SheetStatus.LOCKED:
        raise ValidationError(
            f"{subject_name(sheet)}的考核评价表已锁定签发，不能修改；如需更正请领导先解锁。"
        )
    return sheet


def subject_name(sheet: AssessmentSheet) -> str:
    if sheet.unit is not None:
        return sheet.unit.name
    return sheet.person.name if sheet.person else "（未知）"


def subject_detail(sheet: AssessmentSheet) -> str:
    """An agency's district department, or a person's unit (auxiliaries marked, R10)."""
    if sheet.unit is not None:
        return sheet.unit.parent.name if sheet.unit.parent else ""
    if sheet.person is not None:
        auxiliary = sheet.person.staffing is Staffing.AUXILIARY
        return sheet.person.unit.name + ("（编外协勤）" if auxiliary else "")
    return ""


def enter_score(
    session: Session,
    actor: Actor,
    sheet_id: int,
    indicator_id: int,
    score: float | None,
    *,
    note: str = "",
    expected_version: int | None = None,
) -> AssessmentSheet:
    """A hand score (0-100), or None to clear it. A reviewed sheet goes back to 待复核."""
    require(actor, Action.EDIT_ASSESSMENT)
    sheet = _open_sheet(session, sheet_id, expected_version)
    indicator = records.get(session, Indicator, indicator_id, "考核指标")
    if indicator.scheme_id != sheet.scheme_id:
        raise ValidationError("该指标不属于这张考核评价表的方案。")
    if indicator.source is not IndicatorSource.MANUAL:
        raise ValidationError(f"“{indicator.name}”由系统按数据计算，不能人工评分。")
    if score is not None and not 0 <= score <= 100:
        raise ValidationError("评分应在 0 到 100 之间。", "score")
    row = _score_row(session, sheet, indicator)
    old = _f(row.score)
    new = None if score is None else round(score, 2)
    row.score = new
    row.raw_value = new
    row.source_note = records.text(note, "note", "评分说明", limit=500) or None
    row.entered_at = timeutil.now()
    row.entered_by_id = actor.user_id
    if sheet.status is SheetStatus.REVIEWED and old != new:
        sheet.status = SheetStatus.DRAFT
        sheet.reviewed_at = sheet.reviewed_by_id = None
    _apply_totals(sheet.scheme, sheet)
    sheet.updated_at = timeutil.now()  # an UPDATE, so the version moves
    audit.record(
        session,
        actor,
        "assessment.score",
        f"{subject_name(sheet)}：“{indicator.name}”评分 {old if old is not None else '—'} → "
        f"{new if new is not None else '—'}",
        entity_type="assessment_sheet",
        entity_id=sheet.id,
        changes={"score": [old, new], "note": row.source_note},
    )
    return sheet


def review(
    session: Session, actor: Actor, sheet_id: int, expected_version: int | None = None
) -> AssessmentSheet:
    """复核: the figures are checked and every hand score is in."""
    require(actor, Action.EDIT_ASSESSMENT)
    sheet = _open_sheet(session, sheet_id, expected_version)
    if sheet.computed_at is None:
        raise ValidationError("请先计算考核数据，再复核。")
    if sheet.status is SheetStatus.REVIEWED:
        raise ValidationError(f"{subject_name(sheet)}的考核评价表已复核。")
    result = totals(sheet.scheme, {s.indicator_id: _f(s.score) for s in sheet.scores})
    if result.missing:
        raise ValidationError(f"还有人工评分未录入：{'、'.join(result.missing)}。")
    sheet.status = SheetStatus.REVIEWED
    sheet.reviewed_at = timeutil.now()
    sheet.reviewed_by_id = actor.user_id
    sheet.updated_at = timeutil.now()  # an UPDATE, so the version moves
    audit.record(
        session,
        actor,
        "assessment.review",
        f"复核{subject_name(sheet)}的考核评价表：总分 {sheet.total_score}，{sheet.grade.label if sheet.grade else ''}",
        entity_type="assessment_sheet",
        entity_id=sheet.id,
    )
    return sheet


def lock(
    session: Session, actor: Actor, sheet_id: int, expected_version: int | None = None
) -> AssessmentSheet:
    """A leader locks and signs a reviewed sheet; it cannot change until unlocked."""
    require(actor, Action.LOCK_ASSESSMENT)
    sheet = _open_sheet(session, sheet_id, expected_version)
    if sheet.status is not SheetStatus.REVIEWED:
        raise ValidationError(f"{subject_name(sheet)}的考核评价表尚未复核，不能锁定签发。")
    sheet.status = SheetStatus.LOCKED
    sheet.locked_at = timeutil.now()
    sheet.locked_by_id = actor.user_id
    sheet.updated_at = timeutil.now()  # an UPDATE, so the version moves
    audit.record(
        session,
        actor,
        "assessment.lock",
        f"锁定签发{subject_name(sheet)}的考核评价表：总分 {sheet.total_score}，"
        f"{sheet.grade.label if sheet.grade else ''}",
        entity_type="assessment_sheet",
        entity_id=sheet.id,
        changes={"total": sheet.total_score, "grade": sheet.grade},
    )
    return sheet


def lock_reviewed(session: Session, actor: Actor, scheme_id: int) -> int:
    """Lock every reviewed sheet of the scheme; returns how many."""
    require(actor, Action.LOCK_ASSESSMENT)
    count = 0
    for sheet in scheme_sheets(session, scheme_id):
        if sheet.status is SheetStatus.REVIEWED:
            lock(session, actor, sheet.id)
            count += 1
    return count


def unlock(
    session: Session,
    actor: Actor,
    sheet_id: int,
    reason: str,
    expected_version: int | None = None,
) -> AssessmentSheet:
    """A leader reopens a locked sheet, saying why; the sheet goes back to 已复核."""
    require(actor, Action.LOCK_ASSESSMENT)
    sheet = records.get(session, AssessmentSheet, sheet_id, "考核评价表")
    records.check_version(sheet, expected_version, "该考核评价表")
    if sheet.status is not SheetStatus.LOCKED:
        raise ValidationError(f"{subject_name(sheet)}的考核评价表未锁定。")
    why = records.text(reason, "reason", "解锁理由", required=True, limit=500)
    locked_by = session.get(User, sheet.locked_by_id) if sheet.locked_by_id else None
    sheet.status = SheetStatus.REVIEWED
    previous = (sheet.locked_at, locked_by.display_name if locked_by else None)
    sheet.locked_at = sheet.locked_by_id = None
    sheet.updated_at = timeutil.now()  # an UPDATE, so the version moves
    audit.record(
        session,
        actor,
        "assessment.unlock",
        f"解锁{subject_name(sheet)}的考核评价表：{why}",
        entity_type="assessment_sheet",
        entity_id=sheet.id,
        changes={"locked_at": previous[0], "locked_by": previous[1], "reason": why},
    )
    return sheet


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreLine:
    indicator_id: int
    name: str
    side: IndicatorSide
    source: IndicatorSource
    weight: float
    value_text: str  # the figure as written (按期办结率 93.5%)
    score: float | None
    weighted: float | None  # the points it brings to the total
    note: str  # the figure's definition, or the hand score's reason
    metric: str | None


@dataclass(frozen=True)
class SheetDetail:
    id: int
    version: int
    year: int
    scheme_id: int
    scheme_name: str
    subject: AssessmentSubject
    subject_name: str
    subject_detail: str  # unit of a person, or the department of an agency
    status: SheetStatus
    period: Period | None
    lines: list[ScoreLine]
    street: float | None
    department: float | None
    total: float | None
    grade: Grade | None
    missing: list[str]
    computed_at: datetime | None
    reviewed: str  # who and when, or ''
    locked: str
    remarks: str
    group: PersonGroup | None = None  # whom a person scheme assesses


def _who(session: Session, user_id: int | None, moment: datetime | None) -> str:
    if user_id is None or moment is None:
        return ""
    user = session.get(User, user_id)
    return f"{user.display_name if user else '（已删除）'} {timeutil.format_local(moment)}"


def detail_for_paper(session: Session, actor: Actor, sheet_id: int) -> SheetDetail:
    """The sheet as its printed 考核评价表 shows it."""
    require(actor, Action.PRINT_DOCUMENT)
    return detail(session, actor, sheet_id)


def count_for_year_export(session: Session, actor: Actor, year: int) -> int:
    """How many sheets the year's export will print (it sizes the pool by it)."""
    require(actor, Action.PRINT_DOCUMENT)
    return (
        session.scalar(
            select(func.count(AssessmentSheet.id))
            .join(AssessmentScheme, AssessmentSheet.scheme_id == AssessmentScheme.id)
            .where(AssessmentScheme.year == year)
        )
        or 0
    )


def newest_sheet(session: Session) -> int | None:
    return session.scalar(select(AssessmentSheet.id).order_by(AssessmentSheet.id.desc()).limit(1))


def detail(session: Session, actor: Actor, sheet_id: int) -> SheetDetail:
    require(actor, Action.VIEW)
    sheet = records.get(session, AssessmentSheet, sheet_id, "考核评价表")
    scheme = sheet.scheme
    scores = {s.indicator_id: s for s in sheet.scores}
    applicable = [
        i for i in scheme.indicators if scores.get(i.id) and scores[i.id].score is not None
    ]
    weight_in_use = sum(float(i.weight) for i in applicable) or 1
    lines = []
    for ind in scheme.indicators:
        row = scores.get(ind.id)
        score = _f(row.score) if row else None
        metric = METRICS.get(ind.metric or "")
        if ind.source is IndicatorSource.COMPUTED and metric is not None:
            text = metric.format(_f(row.raw_value) if row else None) if row else "未计算"
            note = metric.rule
            if row and row.raw_value is None and (row.source_note or "").startswith("不适用"):
                note = row.source_note or ""
        else:
            text = f"{score:g} 分" if score is not None else "待评分"
            note = (row.source_note or "") if row else ""
        lines.append(
            ScoreLine(
                indicator_id=ind.id,
                name=ind.name,
                side=ind.side,
                source=ind.source,
                weight=float(ind.weight),
                value_text=text,
                score=score,
                weighted=round(score * float(ind.weight) / weight_in_use, 2)
                if score is not None
                else None,
                note=note,
                metric=ind.metric,
            )
        )
    result = totals(scheme, {i: _f(s.score) for i, s in scores.items()})
    period = (
        Period(sheet.period_start, sheet.period_end, f"{scheme.year}年度")
        if sheet.period_start and sheet.period_end
        else None
    )
    return SheetDetail(
        id=sheet.id,
        version=sheet.version,
        year=scheme.year,
        scheme_id=scheme.id,
        scheme_name=scheme.name,
        subject=scheme.subject,
        subject_name=subject_name(sheet),
        subject_detail="；".join(t for t in (subject_detail(sheet), _moves(session, sheet)) if t),
        status=sheet.status,
        period=period,
        lines=lines,
        street=_f(sheet.street_score),
        department=_f(sheet.department_score),
        total=_f(sheet.total_score),
        grade=sheet.grade,
        missing=result.missing,
        computed_at=sheet.computed_at,
        reviewed=_who(session, sheet.reviewed_by_id, sheet.reviewed_at),
        locked=_who(session, sheet.locked_by_id, sheet.locked_at),
        remarks=sheet.remarks or "",
        group=scheme.group,
    )


def _moves(session: Session, sheet: AssessmentSheet) -> str:
    """A person's moves between groups over the sheet's period, in words ('' for none)."""
    if sheet.person_id is None or sheet.period_start is None or sheet.period_end is None:
        return ""
    period = Period(sheet.period_start, sheet.period_end, "")
    return person_groups.moves_text(
        person_groups.year_groups(session, period, [sheet.person_id])[sheet.person_id]
    )


def figure_sources(
    session: Session, actor: Actor, sheet_id: int, indicator_id: int, now: datetime | None = None
) -> Sources:
    """The records a computed figure was taken from, over the sheet's data period."""
    require(actor, Action.VIEW)
    sheet = records.get(session, AssessmentSheet, sheet_id, "考核评价表")
    indicator = records.get(session, Indicator, indicator_id, "考核指标")
    metric = METRICS.get(indicator.metric or "")
    if metric is None or indicator.source is not IndicatorSource.COMPUTED:
        raise ValidationError(f"“{indicator.name}”为人工评分，没有数据明细。")
    if sheet.period_start is None or sheet.period_end is None:
        raise ValidationError("该考核评价表尚未计算。")
    period = Period(sheet.period_start, sheet.period_end, "")
    subject_id = sheet.unit_id if sheet.unit_id is not None else sheet.person_id
    assert subject_id is not None
    # The moment the figures were computed: overdue counts what was overdue then.
    moment = sheet.computed_at or now or timeutil.now()
    return metric.sources(session, period, moment, subject_id)


@dataclass(frozen=True)
class SummaryRow:
    rank: int | None
    sheet_id: int
    name: str
    detail: str
    street: float | None
    department: float | None
    total: float | None
    grade: Grade | None
    status: SheetStatus


def summary(session: Session, actor: Actor, scheme_id: int) -> list[SummaryRow]:
    """The scheme's sheets ranked by total (ties share a rank); unscored sheets last."""
    require(actor, Action.VIEW)
    stored = session.scalars(
        select(AssessmentSheet)
        .where(AssessmentSheet.scheme_id == scheme_id)
        .options(
            selectinload(AssessmentSheet.unit).selectinload(Unit.parent),
            selectinload(AssessmentSheet.person).selectinload(Person.unit),
        )
    )
    rows = [
        SummaryRow(
            None, sheet.id, subject_name(sheet), subject_detail(sheet), _f(sheet.street_score),
            _f(sheet.department_score), _f(sheet.total_score), sheet.grade, sheet.status,
        )
        for sheet in stored
    ]  # fmt: skip
    rows.sort(key=lambda r: (r.total is None, -(r.total or 0), r.name))
    ranked: list[SummaryRow] = []
    for n, row in enumerate(rows, start=1):
        previous = ranked[-1] if ranked else None
        if row.total is not None:
            tied = previous is not None and previous.total == row.total
            row = replace(row, rank=previous.rank if tied and previous else n)
        ranked.append(row)
    return ranked
