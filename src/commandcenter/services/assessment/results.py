"""考核结果运用: what the street does with a signed agency assessment (seed 000, 四(一)(二)).

Three numbered papers, printed only from a final scheme (every sheet locked, one data period;
ranks are only settled then):

- 考核结果通报函, one to each district department: each of its agencies' total, rank of how
  many, grade, and the street's and the department's parts;
- 推荐提名函, for an agency graded 优秀: the street recommends its cadres to the department;
- 人事调整动议书, for an agency graded 不合格: printed only once the record that the street's
  party working committee (街道党工委) considered it is entered (:func:`record_consultation`).

Numbers come from the register the first time a paper is printed; a reprint finds the number
(and its date) stored against the same record and prints them again, never a new one. A letter
is registered against its scheme and department, a recommendation against its sheet, a motion
against its motion record.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from commandcenter import timeutil
from commandcenter.db.models import (
    AssessmentScheme,
    AssessmentSheet,
    AssessmentSubject,
    DocType,
    DocumentNumber,
    Grade,
    IndicatorSide,
    Person,
    PersonnelMotion,
    PersonStatus,
    SheetStatus,
    Unit,
)
from commandcenter.errors import NotFound, ValidationError
from commandcenter.services import audit, docnumbers, records, settings
from commandcenter.services.actor import Actor
from commandcenter.services.assessment import sheets, signing
from commandcenter.services.permissions import Action, allowed, require
from commandcenter.services.statistics import Period, year_period

MOTION_ENTITY = "personnel_motion"
SHEET_ENTITY = "assessment_sheet"
# Positions that name the head of an agency in the roster, best first.
HEAD_POSITIONS = ("所长", "局长", "队长", "站长", "主任", "负责人")


def _letter_entity(scheme_id: int) -> str:
    return f"assessment_scheme:{scheme_id}"


@dataclass(frozen=True)
class AgencyResult:
    sheet_id: int
    agency: str
    department_id: int | None
    department: str
    street: float | None
    department_part: float | None
    total: float | None
    rank: int | None
    of: int
    grade: Grade | None
    tied: bool = False  # another agency of the scheme shares the rank (并列)


@dataclass(frozen=True)
class Frame:
    """What every results paper shares."""

    number: str
    dated: date  # the day the number was issued: a reprint prints the same day
    year: int
    scheme_name: str
    period: Period
    street_weight: float  # the street's and the department's shares of the total, in %
    department_weight: float
    street_office: str  # 落款
    street_name: str
    centre_name: str
    sample: bool = False  # a 样稿 from figures not yet final, for the self-test


@dataclass(frozen=True)
class ResultsLetter:
    frame: Frame
    department: str
    agencies: list[AgencyResult]


@dataclass(frozen=True)
class Recommendation:
    frame: Frame
    result: AgencyResult
    head: str  # from the roster, or '' to fill in by hand


@dataclass(frozen=True)
class Motion:
    frame: Frame
    result: AgencyResult
    head_name: str
    head_position: str
    reasons: str
    meeting_date: date
    meeting_name: str
    decision: str


# --- reading the scheme -----------------------------------------------------------------------


def _agency_scheme(session: Session, scheme_id: int) -> AssessmentScheme:
    scheme = records.get(session, AssessmentScheme, scheme_id, "考核方案")
    if scheme.subject is not AssessmentSubject.AGENCY:
        raise ValidationError("考核结果运用文书只针对派驻机构考核方案。")
    return scheme


def _results(session: Session, actor: Actor, scheme_id: int) -> list[AgencyResult]:
    """Every sheet of the scheme with its rank among them (ranked within this scheme only)."""
    rows = sheets.summary(session, actor, scheme_id)
    stored = {
        s.id: s
        for s in session.scalars(
            select(AssessmentSheet)
            .where(AssessmentSheet.scheme_id == scheme_id)
            .options(selectinload(AssessmentSheet.unit).selectinload(Unit.parent))
        )
    }
    shared = Counter(row.rank for row in rows if row.rank is not None)
    out = []
    for row in rows:
        unit = stored[row.sheet_id].unit
        parent = unit.parent if unit is not None else None
        out.append(
            AgencyResult(
                sheet_id=row.sheet_id,
                agency=row.name,
                department_id=parent.id if parent is not None else None,
                department=parent.name if parent is not None else "",
                street=row.street,
                department_part=row.department,
                total=row.total,
                rank=row.rank,
                of=len(rows),
                grade=row.grade,
                tied=row.rank is not None and shared[row.rank] > 1,
            )
        )
    return out


def _side_weights(scheme: AssessmentScheme) -> tuple[float, float]:
    total = sum(float(i.weight) for i in scheme.indicators) or 1
    street = sum(float(i.weight) for i in scheme.indicators if i.side is IndicatorSide.STREET)
    return round(street * 100 / total, 1), round((total - street) * 100 / total, 1)


def suggested_head(session: Session, unit_id: int) -> tuple[str, str]:
    """The agency's head as the roster has it (the on-duty holder of a head's position)."""
    people = session.execute(
        select(Person.name, Person.position)
        .where(Person.unit_id == unit_id, Person.status == PersonStatus.ON_DUTY)
        .order_by(Person.id)
    ).all()
    for position in HEAD_POSITIONS:
        for name, held in people:
            if held and held.endswith(position) and not held.startswith("副"):
                return name, held
    return "", ""


# --- the dialog's overview --------------------------------------------------------------------


@dataclass(frozen=True)
class LetterLine:
    department_id: int
    department: str
    agencies: str  # names, with their grades
    number: str | None


@dataclass(frozen=True)
class SheetLine:
    sheet_id: int
    agency: str
    department: str
    total: float | None
    number: str | None


@dataclass(frozen=True)
class MotionLine:
    sheet_id: int
    agency: str
    department: str
    total: float | None
    motion_id: int | None
    version: int | None
    head_name: str  # recorded, or the roster's suggestion
    head_position: str
    reasons: str
    meeting_date: date | None
    meeting_name: str
    decision: str
    number: str | None

    @property
    def consulted(self) -> bool:
        return self.motion_id is not None


@dataclass(frozen=True)
class Overview:
    scheme_id: int
    year: int
    scheme_name: str
    refusal: str | None  # why nothing may be printed yet
    letters: list[LetterLine]
    recommendations: list[SheetLine]
    motions: list[MotionLine]


def overview(session: Session, actor: Actor, scheme_id: int) -> Overview:
    require(actor, Action.VIEW)
    scheme = _agency_scheme(session, scheme_id)
    found = signing.basis(session, scheme_id)
    results = _results(session, actor, scheme_id)
    letters: dict[int, list[AgencyResult]] = {}
    for r in results:
        if r.department_id is not None:
            letters.setdefault(r.department_id, []).append(r)
    entity = _letter_entity(scheme_id)
    motions = {
        m.sheet_id: m
        for m in session.scalars(
            select(PersonnelMotion).where(
                PersonnelMotion.sheet_id.in_([r.sheet_id for r in results])
            )
        )
    }
    motion_lines = []
    for r in results:
        if r.grade is not Grade.FAIL:
            continue
        m = motions.get(r.sheet_id)
        sheet = session.get_one(AssessmentSheet, r.sheet_id)
        head = (
            (m.head_name, m.head_position or "")
            if m
            else suggested_head(session, sheet.unit_id or 0)
        )
        motion_lines.append(
            MotionLine(
                sheet_id=r.sheet_id,
                agency=r.agency,
                department=r.department,
                total=r.total,
                motion_id=m.id if m else None,
                version=m.version if m else None,
                head_name=head[0],
                head_position=head[1],
                reasons=m.reasons if m else _default_reasons(r),
                meeting_date=m.meeting_date if m else None,
                meeting_name=m.meeting_name if m else "",
                decision=m.decision if m else "",
                number=docnumbers.latest(session, DocType.MOTION, MOTION_ENTITY, m.id)
                if m
                else None,
            )
        )
    return Overview(
        scheme_id=scheme.id,
        year=scheme.year,
        scheme_name=scheme.name,
        refusal=found.refusal("打印考核结果运用文书"),
        letters=[
            LetterLine(
                department_id=dept_id,
                department=rows[0].department,
                agencies="、".join(
                    f"{r.agency}（{r.grade.label if r.grade else '待定'}）" for r in rows
                ),
                number=docnumbers.latest(session, DocType.RESULTS_LETTER, entity, dept_id),
            )
            for dept_id, rows in sorted(letters.items(), key=lambda kv: kv[1][0].department)
        ],
        recommendations=[
            SheetLine(
                r.sheet_id,
                r.agency,
                r.department,
                r.total,
                docnumbers.latest(session, DocType.RECOMMENDATION, SHEET_ENTITY, r.sheet_id),
            )
            for r in results
            if r.grade is Grade.EXCELLENT
        ],
        motions=motion_lines,
    )


def _default_reasons(r: AgencyResult) -> str:
    """The reasons a motion starts from, in the figures' own words (a 样稿 may show an agency
    that did not fail: its grade is printed as it is)."""
    grade = r.grade.label if r.grade else "待定"
    judged = "，工作实绩差、群众满意度低" if r.grade is Grade.FAIL else ""
    return (
        f"{r.agency}在年度考核中综合得分{_points(r.total)}分，列第{r.rank or '—'}名（共{r.of}个），"
        f"考核等次为“{grade}”{judged}。"
    )


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


# --- the consultation record ------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationForm:
    head_name: str
    head_position: str
    reasons: str
    meeting_date: date | None
    meeting_name: str
    decision: str


def _locked_agency_sheet(session: Session, sheet_id: int) -> AssessmentSheet:
    sheet = records.get(session, AssessmentSheet, sheet_id, "考核评价表")
    _agency_scheme(session, sheet.scheme_id)
    if sheet.status is not SheetStatus.LOCKED:
        raise ValidationError(f"{sheets.subject_name(sheet)}的考核评价表尚未锁定签发。")
    return sheet


def record_consultation(
    session: Session,
    actor: Actor,
    sheet_id: int,
    form: ConsultationForm,
    expected_version: int | None = None,
) -> PersonnelMotion:
    """Enter (or correct) the record that the party working committee considered the motion on
    an agency graded 不合格; the motion can be printed from then on."""
    require(actor, Action.RECORD_CONSULTATION)
    sheet = _locked_agency_sheet(session, sheet_id)
    if sheet.grade is not Grade.FAIL:
        raise ValidationError(
            f"{sheets.subject_name(sheet)}考核等次不是不合格，不能提出人事调整动议。"
        )
    head = records.text(form.head_name, "head_name", "主要负责人", required=True, limit=50)
    position = records.text(form.head_position, "head_position", "职务", limit=50)
    reasons = records.text(form.reasons, "reasons", "动议理由", required=True, limit=2000)
    meeting = records.text(
        form.meeting_name, "meeting_name", "会议名称或纪要编号", required=True, limit=200
    )
    decision = records.text(form.decision, "decision", "研究意见", required=True, limit=2000)
    if form.meeting_date is None:
        raise ValidationError("请填写党工委会议日期。", "meeting_date")
    if form.meeting_date > timeutil.today():
        raise ValidationError("党工委会议日期不能晚于今天。", "meeting_date")
    motion = session.scalar(select(PersonnelMotion).where(PersonnelMotion.sheet_id == sheet.id))
    values = {
        "head_name": head,
        "head_position": position or None,
        "reasons": reasons,
        "meeting_date": form.meeting_date,
        "meeting_name": meeting,
        "decision": decision,
    }
    if motion is None:
        motion = PersonnelMotion(
            sheet_id=sheet.id, entered_at=timeutil.now(), entered_by_id=actor.user_id, **values
        )
        session.add(motion)
        session.flush()
        changes: dict[str, object] = dict(values)
        what = "录入"
    else:
        records.check_version(motion, expected_version, "该人事调整动议")
        before = {key: getattr(motion, key) for key in values}
        changes = audit.diff(before, values)
        if not changes:
            return motion
        for key, value in values.items():
            setattr(motion, key, value)
        motion.entered_at = timeutil.now()
        motion.entered_by_id = actor.user_id or motion.entered_by_id
        session.flush()
        what = "更正"
    audit.record(
        session,
        actor,
        "assessment.motion_consultation",
        f"{what}{sheets.subject_name(sheet)}人事调整动议的党工委研究记录："
        f"{timeutil.chinese_date(form.meeting_date)}{meeting}",
        entity_type=MOTION_ENTITY,
        entity_id=motion.id,
        changes=changes,
    )
    return motion


# --- the papers -------------------------------------------------------------------------------


def _number(
    session: Session,
    actor: Actor,
    doc_type: DocType,
    entity_type: str,
    entity_id: int,
    title: str,
    issue: bool,
) -> tuple[str, date] | None:
    """The number the record was given, or a new one when *issue*; None if it has none."""
    row = session.execute(
        select(DocumentNumber.number, DocumentNumber.issued_at)
        .where(
            DocumentNumber.doc_type == doc_type.value,
            DocumentNumber.entity_type == entity_type,
            DocumentNumber.entity_id == entity_id,
        )
        .order_by(DocumentNumber.id.desc())
        .limit(1)
    ).first()
    if row is not None:
        return row[0], timeutil.local_date(row[1])
    if not issue:
        return None
    entry = docnumbers.issue(
        session, actor, doc_type, entity_type=entity_type, entity_id=entity_id, title=title
    )
    return entry.number, timeutil.local_date(entry.issued_at)


def _frame(
    session: Session,
    scheme: AssessmentScheme,
    period: Period,
    number: tuple[str, date],
    sample: bool = False,
) -> Frame:
    centre = settings.load(session)
    street_weight, department_weight = _side_weights(scheme)
    return Frame(
        number=number[0],
        dated=number[1],
        year=scheme.year,
        scheme_name=scheme.name,
        period=period,
        street_weight=street_weight,
        department_weight=department_weight,
        street_office=f"{centre.street_name}办事处",
        street_name=centre.street_name,
        centre_name=centre.centre_name,
        sample=sample,
    )


def _final(
    session: Session, actor: Actor, scheme_id: int, what: str
) -> tuple[Period, list[AgencyResult]]:
    require(actor, Action.PRINT_ASSESSMENT_RESULTS)
    found = signing.require_final(session, scheme_id, what)
    assert found.period is not None
    return found.period, _results(session, actor, scheme_id)


def letter_for_paper(
    session: Session, actor: Actor, scheme_id: int, department_id: int, *, issue: bool = True
) -> ResultsLetter | None:
    """The results letter to *department_id*; numbered on its first printing (in a write
    scope). With *issue* False, None while it has no number yet."""
    scheme = _agency_scheme(session, scheme_id)
    period, results = _final(session, actor, scheme_id, "打印考核结果通报函")
    mine = [r for r in results if r.department_id == department_id]
    if not mine:
        raise ValidationError("该部门在本方案中没有派驻机构的考核结果。")
    department = mine[0].department
    number = _number(
        session,
        actor,
        DocType.RESULTS_LETTER,
        _letter_entity(scheme_id),
        department_id,
        f"{scheme.year}年度考核结果通报函（{department}）",
        issue,
    )
    if number is None:
        return None
    return ResultsLetter(_frame(session, scheme, period, number), department, mine)


def _sheet_result(results: Sequence[AgencyResult], sheet_id: int) -> AgencyResult:
    found = next((r for r in results if r.sheet_id == sheet_id), None)
    if found is None:
        raise ValidationError("该考核评价表不属于这个考核方案。")
    return found


def recommendation_for_paper(
    session: Session, actor: Actor, sheet_id: int, *, issue: bool = True
) -> Recommendation | None:
    sheet = _locked_agency_sheet(session, sheet_id)
    scheme = sheet.scheme
    period, results = _final(session, actor, scheme.id, "打印推荐提名函")
    result = _sheet_result(results, sheet_id)
    if result.grade is not Grade.EXCELLENT:
        raise ValidationError(f"{result.agency}考核等次不是优秀，不出具推荐提名函。")
    if result.department_id is None:
        raise ValidationError(f"{result.agency}没有登记主管的区级部门。")
    number = _number(
        session,
        actor,
        DocType.RECOMMENDATION,
        SHEET_ENTITY,
        sheet_id,
        f"{scheme.year}年度推荐提名函（{result.agency}）",
        issue,
    )
    if number is None:
        return None
    head = suggested_head(session, sheet.unit_id or 0)
    return Recommendation(
        _frame(session, scheme, period, number), result, f"{head[1]}{head[0]}" if head[0] else ""
    )


def motion_for_paper(
    session: Session, actor: Actor, sheet_id: int, *, issue: bool = True
) -> Motion | None:
    sheet = _locked_agency_sheet(session, sheet_id)
    scheme = sheet.scheme
    period, results = _final(session, actor, scheme.id, "打印人事调整动议书")
    result = _sheet_result(results, sheet_id)
    if result.grade is not Grade.FAIL:
        raise ValidationError(f"{result.agency}考核等次不是不合格，不能提出人事调整动议。")
    if result.department_id is None:
        raise ValidationError(f"{result.agency}没有登记主管的区级部门。")
    motion = session.scalar(select(PersonnelMotion).where(PersonnelMotion.sheet_id == sheet_id))
    if motion is None:
        raise ValidationError(
            f"{result.agency}的人事调整动议须先经街道党工委研究：请先录入党工委研究记录"
            "（会议日期、会议名称或纪要编号、研究意见），再打印动议书。"
        )
    number = _number(
        session,
        actor,
        DocType.MOTION,
        MOTION_ENTITY,
        motion.id,
        f"{scheme.year}年度人事调整动议书（{result.agency}）",
        issue,
    )
    if number is None:
        return None
    return Motion(
        _frame(session, scheme, period, number),
        result,
        head_name=motion.head_name,
        head_position=motion.head_position or "",
        reasons=motion.reasons,
        meeting_date=motion.meeting_date,
        meeting_name=motion.meeting_name,
        decision=motion.decision,
    )


ResultsPaper = ResultsLetter | Recommendation | Motion


def may_print(actor: Actor) -> bool:
    """Whether *actor* may print results papers (the year-end export leaves them out if not)."""
    return allowed(actor, Action.PRINT_ASSESSMENT_RESULTS)


def year_papers(session: Session, actor: Actor, year: int, *, issue: bool) -> list[ResultsPaper]:
    """Every results paper the year's final agency schemes allow, for the year-end folder:
    none for a user who may not print them, and no motion before its consultation record.
    With *issue* False, only the papers already numbered (the export reads in a read scope;
    :func:`year_end.export` numbers them in a write scope first)."""
    if not may_print(actor):
        return []
    schemes = session.scalars(
        select(AssessmentScheme)
        .where(AssessmentScheme.year == year, AssessmentScheme.subject == AssessmentSubject.AGENCY)
        .order_by(AssessmentScheme.id)
    ).all()
    papers: list[ResultsPaper | None] = []
    for scheme in schemes:
        if not signing.basis(session, scheme.id).final:
            continue
        seen = overview(session, actor, scheme.id)
        papers += [
            letter_for_paper(session, actor, scheme.id, line.department_id, issue=issue)
            for line in seen.letters
        ]
        papers += [
            recommendation_for_paper(session, actor, line.sheet_id, issue=issue)
            for line in seen.recommendations
            if line.department
        ]
        papers += [
            motion_for_paper(session, actor, line.sheet_id, issue=issue)
            for line in seen.motions
            if line.consulted and line.department
        ]
    return [p for p in papers if p is not None]


def samples(session: Session, actor: Actor) -> tuple[ResultsLetter, Recommendation, Motion]:
    """One of each paper from the newest agency scheme as it stands, unnumbered and marked
    样稿, so the self-test lays the templates out before any scheme is final. Never numbered."""
    require(actor, Action.PRINT_ASSESSMENT_RESULTS)
    scheme = session.scalar(
        select(AssessmentScheme)
        .where(AssessmentScheme.subject == AssessmentSubject.AGENCY)
        .order_by(AssessmentScheme.year.desc(), AssessmentScheme.id.desc())
        .limit(1)
    )
    found = [r for r in _results(session, actor, scheme.id) if r.department_id] if scheme else []
    if scheme is None or not found:
        raise NotFound("数据库中还没有派驻机构考核评价表，无法生成考核结果运用文书样张。")
    periods = signing.basis(session, scheme.id).periods
    period = periods[-1] if periods else year_period(scheme.year)
    frame = _frame(session, scheme, period, ("（样稿，未编号）", timeutil.today()), sample=True)
    scored = [r for r in found if r.total is not None] or found
    first, last = scored[0], scored[-1]
    head = suggested_head(session, session.get_one(AssessmentSheet, first.sheet_id).unit_id or 0)
    return (
        ResultsLetter(
            frame, first.department, [r for r in found if r.department_id == first.department_id]
        ),
        Recommendation(frame, first, f"{head[1]}{head[0]}" if head[0] else ""),
        Motion(
            frame,
            last,
            head_name="×××",
            head_position="",
            reasons=_default_reasons(last),
            meeting_date=timeutil.today(),
            meeting_name="街道党工委会议（样稿）",
            decision="（研究意见在录入党工委研究记录后显示）",
        ),
    )
