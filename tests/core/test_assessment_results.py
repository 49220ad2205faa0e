"""The year-end summary as a leader signs it, and the 考核结果运用 papers, on a small street.

Three agencies, hand scores only (街道评价 weight 70, 部门评价 30), so every figure is checked
by hand:

    梅东所 (区市场监督管理局)      95, 90 -> 0.7*95 + 0.3*90 = 93.50  优秀   1st
    资规所 (区自然资源和规划局)    80, 70 -> 0.7*80 + 0.3*70 = 77.00  合格   2nd
    梅山所 (区市场监督管理局)      50, 40 -> 0.7*50 + 0.3*40 = 47.00  不合格 3rd
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from commandcenter.db.models import (
    AssessmentScheme,
    AssessmentSubject,
    AuditRecord,
    DocumentNumber,
    Grade,
    GradeBand,
    Indicator,
    IndicatorSide,
    IndicatorSource,
    Person,
    SheetStatus,
    Staffing,
    Unit,
    UnitKind,
)
from commandcenter.documents import assessment_papers, assessment_results, year_end
from commandcenter.errors import ConflictError, PermissionDenied, ValidationError
from commandcenter.services import auth
from commandcenter.services.assessment import results, sheets, signing
from commandcenter.services.statistics import Period
from tests.core.incident_world import PASSWORD, World, local

COMPUTED_AT = local(date(2026, 12, 5), 10)


@dataclass
class Street:
    world: World
    scheme: int
    sheet: dict[str, int]  # short name -> sheet id
    department2: int


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _score(street: Street, scores: dict[str, tuple[float, float]], lock: bool = True) -> None:
    w = street.world
    with w.db.write() as s:
        scheme = s.get_one(AssessmentScheme, street.scheme)
        by_name = {i.name: i.id for i in scheme.indicators}
        for short, (a, b) in scores.items():
            sheet_id = street.sheet[short]
            sheets.enter_score(s, w.operator, sheet_id, by_name["街道评价"], a)
            sheets.enter_score(s, w.operator, sheet_id, by_name["部门评价"], b)
            sheets.review(s, w.operator, sheet_id)
            if lock:
                sheets.lock(s, w.leader, sheet_id)


@pytest.fixture
def street(world: World) -> Street:
    with world.db.write() as s:
        first = s.get_one(Unit, world.agency)
        first.short_name = "梅山所"
        east = Unit(
            name="区市场监管局梅东所",
            short_name="梅东所",
            kind=UnitKind.AGENCY,
            parent_id=world.department,
            sort_order=1,
        )
        department2 = Unit(
            name="区自然资源和规划局", short_name="区资规局", kind=UnitKind.DEPARTMENT
        )
        s.add_all([east, department2])
        s.flush()
        land = Unit(
            name="区资规局梅山所",
            short_name="资规所",
            kind=UnitKind.AGENCY,
            parent_id=department2.id,
            sort_order=2,
        )
        s.add(land)
        s.flush()
        # The roster's head of 梅东所; a deputy is never taken for the head.
        for name, position in (("韩副", "副所长"), ("何明", "所长")):
            s.add(
                Person(name=name, unit_id=east.id, position=position, staffing=Staffing.DISPATCHED)
            )
        scheme = AssessmentScheme(
            year=2026, subject=AssessmentSubject.AGENCY, name="2026年度派驻机构考核"
        )
        scheme.indicators = [
            Indicator(code="S", name="街道评价", source=IndicatorSource.MANUAL, side=IndicatorSide.STREET, weight=70, sort_order=1),
            Indicator(code="D", name="部门评价", source=IndicatorSource.MANUAL, side=IndicatorSide.DEPARTMENT, weight=30, sort_order=2),
        ]  # fmt: skip
        scheme.bands = [
            GradeBand(grade=g, min_score=m)
            for g, m in ((Grade.EXCELLENT, 90), (Grade.GOOD, 80), (Grade.PASS, 60), (Grade.FAIL, 0))
        ]
        s.add(scheme)
        s.flush()
        ids = {"梅山所": first.id, "梅东所": east.id, "资规所": land.id}
    world.clock.set(COMPUTED_AT)
    with world.db.write() as s:
        sheets.compute(s, world.leader, scheme.id)
    world.clock.set(COMPUTED_AT + timedelta(hours=1))
    with world.db.read() as s:
        by_unit = {x.unit_id: x.id for x in sheets.scheme_sheets(s, scheme.id)}
    return Street(world, scheme.id, {k: by_unit[v] for k, v in ids.items()}, department2.id)


def _signed(street: Street) -> None:
    _score(street, {"梅东所": (95, 90), "资规所": (80, 70), "梅山所": (50, 40)})


# --- the summary as signed ----------------------------------------------------------------------


def test_sheets_and_summary_share_one_period_and_one_ranking_per_scheme(street: Street) -> None:
    _signed(street)
    w = street.world
    with w.db.read() as s:
        basis = signing.for_summary(s, w.leader, street.scheme)
        ranked = sheets.summary(s, w.leader, street.scheme)
    assert basis.period == Period(date(2026, 1, 1), date(2026, 12, 5), "2026年度")
    assert basis.final and basis.cut == COMPUTED_AT
    assert [(r.name, r.rank, r.total, r.grade) for r in ranked] == [
        ("区市场监管局梅东所", 1, 93.5, Grade.EXCELLENT),
        ("区资规局梅山所", 2, 77.0, Grade.PASS),
        ("区市场监管局梅山所", 3, 47.0, Grade.FAIL),
    ]


def test_the_summary_is_marked_until_every_sheet_is_locked(street: Street, tmp_path: Path) -> None:
    w = street.world
    _score(street, {"梅东所": (95, 90), "资规所": (80, 70), "梅山所": (50, 40)}, lock=False)
    with w.db.write() as s:
        sheets.lock(s, w.leader, street.sheet["梅东所"])
    with w.db.read() as s:
        first = year_end.export_year(s, w.leader, 2026, tmp_path / "a")
    text = _pdf_text(first.folder / "2026年度考核结果汇总表.pdf")
    assert "未锁定" in text and "其中 2 份尚未锁定签发" in text
    assert "考核期间：2026年1月1日至2026年12月5日" in text
    with w.db.write() as s:
        sheets.lock_reviewed(s, w.leader, street.scheme)
    with w.db.read() as s:
        second = year_end.export_year(s, w.leader, 2026, tmp_path / "b")
    text = _pdf_text(second.folder / "2026年度考核结果汇总表.pdf")
    assert "未锁定" not in text and "尚未锁定签发" not in text
    assert "数据期间不一致" not in text


def test_sheets_of_different_periods_are_not_signed_as_final(street: Street) -> None:
    _signed(street)
    w = street.world
    w.clock.set(local(date(2026, 12, 8), 9))
    with w.db.write() as s:  # one sheet reopened and recomputed three days later
        sheets.unlock(s, w.leader, street.sheet["资规所"], "部门评价需更正")
        sheets.compute(s, w.leader, street.scheme)
        sheets.lock(s, w.leader, street.sheet["资规所"])
    with w.db.read() as s:
        basis = signing.for_summary(s, w.leader, street.scheme)
        section = assessment_papers.SummarySection(
            AssessmentSubject.AGENCY, "方案", sheets.summary(s, w.leader, street.scheme), basis
        )
    assert not basis.consistent and basis.unlocked == 0
    assert basis.periods_text() == "2026年1月1日至2026年12月5日；2026年1月1日至2026年12月8日"
    assert assessment_papers.summary_watermark([section]) == "数据期间不一致"
    with pytest.raises(ValidationError, match="数据期间不一致"), w.db.write() as s:
        results.letter_for_paper(s, w.leader, street.scheme, w.department)


def test_the_audit_figure_is_the_same_on_every_export(street: Street, tmp_path: Path) -> None:
    _signed(street)
    w = street.world
    trails = []
    for n in range(2):
        w.clock.advance(days=1)
        actor = auth.sign_in(w.db, "ld1", PASSWORD)  # each export's own sign-in
        with w.db.read() as s:
            done = year_end.export_year(s, actor, 2026, tmp_path / str(n))
        book = load_workbook(done.folder / "2026年度考核结果汇总表.xlsx")
        trails.append(next(book["数据留痕"].iter_rows(min_row=2, values_only=True))[:5])
        pdf = _pdf_text(done.folder / "2026年度考核结果汇总表.pdf")
        assert "数据截止时点（2026-12-05 10:00）" in pdf
    assert trails[0] == trails[1]
    with w.db.read() as s:
        computed = s.scalar(select(AuditRecord).where(AuditRecord.action == "assessment.compute"))
        assert computed is not None
        before = s.scalar(select(func.count(AuditRecord.id)).where(AuditRecord.at <= COMPUTED_AT))
        later = s.scalar(select(func.count(AuditRecord.id)).where(AuditRecord.at > COMPUTED_AT))
    # Up to and including the computation's own record; the scores, locks and sign-ins after.
    assert trails[0][:4] == ("2026-12-05 10:00", before, computed.id, computed.hash)
    assert later and later >= 3 * 4 + 2


def test_a_computation_dated_ahead_of_the_clock_seals_at_its_record(
    street: Street, tmp_path: Path
) -> None:
    """The demo street computes at its own anchor, which can lie ahead of the wall clock: the
    seal stops where the computation was recorded, so later sign-ins still fall outside it."""
    w = street.world
    w.clock.set(COMPUTED_AT + timedelta(hours=2))
    with w.db.write() as s:
        sheets.compute(s, w.leader, street.scheme, now=COMPUTED_AT + timedelta(days=1))
    trails = []
    for _ in range(2):
        w.clock.advance(minutes=10)
        actor = auth.sign_in(w.db, "ld1", PASSWORD)
        with w.db.read() as s:
            basis = signing.for_summary(s, actor, street.scheme)
            trails.append(signing.seal(s, 2026, [basis]))
    assert basis.cut == COMPUTED_AT + timedelta(hours=2)
    assert trails[0] == trails[1]


# --- 考核结果运用 --------------------------------------------------------------------------------


def test_no_results_paper_before_every_sheet_is_locked(street: Street) -> None:
    w = street.world
    _score(street, {"梅东所": (95, 90), "资规所": (80, 70), "梅山所": (50, 40)}, lock=False)
    with pytest.raises(ValidationError, match="3 份考核评价表未锁定签发"), w.db.write() as s:
        results.letter_for_paper(s, w.leader, street.scheme, w.department)
    with w.db.read() as s:
        seen = results.overview(s, w.leader, street.scheme)
    assert seen.refusal is not None and "未锁定" in seen.refusal


def test_the_results_letter_carries_the_locked_sheets_figures(
    street: Street, tmp_path: Path
) -> None:
    _signed(street)
    w = street.world
    with w.db.write() as s:
        letter = results.letter_for_paper(s, w.leader, street.scheme, w.department)
    assert letter is not None
    assert letter.department == "区市场监督管理局"
    assert letter.frame.number == "梅执考通〔2026〕1号"
    assert (letter.frame.street_weight, letter.frame.department_weight) == (70, 30)
    assert letter.frame.street_office == "梅山街道办事处"
    assert [
        (a.agency, a.total, a.rank, a.of, a.grade, a.street, a.department_part)
        for a in letter.agencies
    ] == [
        ("区市场监管局梅东所", 93.5, 1, 3, Grade.EXCELLENT, 95.0, 90.0),
        ("区市场监管局梅山所", 47.0, 3, 3, Grade.FAIL, 50.0, 40.0),
    ]
    path = assessment_results.render(letter, tmp_path / "letter.pdf")
    text = "".join(_pdf_text(path).split())
    assert "区市场监督管理局：" in text
    assert "综合得分93.50分，在本年度3个派驻机构中列第1名，考核等次为“优秀”" in text
    assert "街道评价得分50.00分（占70%），部门评价得分40.00分（占30%）" in text


def test_a_reprint_reuses_the_number_and_the_date(street: Street) -> None:
    _signed(street)
    w = street.world
    with w.db.write() as s:
        first = results.letter_for_paper(s, w.leader, street.scheme, w.department)
        other = results.letter_for_paper(s, w.leader, street.scheme, street.department2)
    w.clock.advance(days=3)
    with w.db.write() as s:
        again = results.letter_for_paper(s, w.leader2, street.scheme, w.department)
        issued = s.scalar(
            select(func.count(DocumentNumber.id)).where(DocumentNumber.doc_type == "考通")
        )
    assert first is not None and other is not None and again is not None
    assert other.frame.number == "梅执考通〔2026〕2号"
    assert again.frame.number == first.frame.number and again.frame.dated == date(2026, 12, 5)
    assert issued == 2


def test_a_motion_waits_for_the_party_committee(street: Street, tmp_path: Path) -> None:
    _signed(street)
    w = street.world
    fail = street.sheet["梅山所"]
    with pytest.raises(ValidationError, match="须先经街道党工委研究"), w.db.write() as s:
        results.motion_for_paper(s, w.leader, fail)
    with w.db.read() as s:
        line = results.overview(s, w.leader, street.scheme).motions[0]
    assert (line.agency, line.consulted, line.head_name) == ("区市场监管局梅山所", False, "")
    form = results.ConsultationForm(
        head_name="吴某",
        head_position="所长",
        reasons=line.reasons,
        meeting_date=date(2026, 12, 4),
        meeting_name="街道党工委会议（纪要〔2026〕21号）",
        decision="同意向区市场监督管理局提出人事调整动议。",
    )
    with pytest.raises(PermissionDenied), w.db.write() as s:
        results.record_consultation(s, w.operator, fail, form)
    with pytest.raises(ValidationError, match="不是不合格"), w.db.write() as s:
        results.record_consultation(s, w.leader, street.sheet["资规所"], form)
    with w.db.write() as s:
        motion = results.record_consultation(s, w.leader, fail, form)
        paper = results.motion_for_paper(s, w.leader, fail)
        trail = s.scalar(
            select(AuditRecord).where(AuditRecord.action == "assessment.motion_consultation")
        )
    assert paper is not None and paper.frame.number == "梅执动〔2026〕1号"
    assert trail is not None and trail.entity_id == motion.id and trail.user_id == w.leader.user_id
    text = "".join(_pdf_text(assessment_results.render(paper, tmp_path / "m.pdf")).split())
    assert "所长吴某" in text and "2026年12月4日街道党工委会议（纪要〔2026〕21号）研究" in text
    assert "列第3名" in text and "考核等次为“不合格”" in text


def test_a_recommendation_only_for_excellent_naming_the_rosters_head(street: Street) -> None:
    _signed(street)
    w = street.world
    with w.db.write() as s:
        paper = results.recommendation_for_paper(s, w.leader, street.sheet["梅东所"])
        assert paper is not None and paper.frame.number == "梅执荐〔2026〕1号"
        assert paper.head == "所长何明"
        with pytest.raises(ValidationError, match="不是优秀"):
            results.recommendation_for_paper(s, w.leader, street.sheet["资规所"])


def test_results_papers_are_a_leaders_to_print(street: Street) -> None:
    _signed(street)
    w = street.world
    with pytest.raises(PermissionDenied), w.db.write() as s:
        results.letter_for_paper(s, w.operator, street.scheme, w.department)
    with pytest.raises(PermissionDenied), w.db.write() as s:
        results.recommendation_for_paper(s, w.operator, street.sheet["梅东所"])
    with w.db.read() as s:  # an operator's year-end folder simply leaves them out
        assert results.year_papers(s, w.operator, 2026, issue=True) == []


def test_the_year_end_folder_holds_the_results_papers(street: Street, tmp_path: Path) -> None:
    _signed(street)
    w = street.world
    done = year_end.export(w.db, w.leader, 2026, tmp_path, processes=1)
    names = sorted(p.name for p in (done.folder / year_end.RESULTS_FOLDER).iterdir())
    assert names == [
        "梅执考通〔2026〕1号-考核结果通报函（区市场监督管理局）.pdf",
        "梅执考通〔2026〕2号-考核结果通报函（区自然资源和规划局）.pdf",
        "梅执荐〔2026〕1号-推荐提名函（区市场监管局梅东所）.pdf",
    ]  # no motion: the party working committee has not considered it
    again = year_end.export(w.db, w.leader, 2026, tmp_path, processes=1)
    assert sorted(p.name for p in (again.folder / year_end.RESULTS_FOLDER).iterdir()) == names
    assert done.papers == again.papers == 3
    mine = year_end.export(w.db, w.operator, 2026, tmp_path / "op", processes=1)
    assert not (mine.folder / year_end.RESULTS_FOLDER).exists()


def test_a_corrected_consultation_is_audited_and_keeps_the_motions_number(street: Street) -> None:
    _signed(street)
    w = street.world
    fail = street.sheet["梅山所"]
    form = results.ConsultationForm(
        head_name="吴某",
        head_position="所长",
        reasons="工作实绩差。",
        meeting_date=date(2026, 12, 4),
        meeting_name="党工委会议",
        decision="同意。",
    )
    with w.db.write() as s:
        motion = results.record_consultation(s, w.leader, fail, form)
        first = results.motion_for_paper(s, w.leader, fail)
        version = motion.version
    corrected = replace(form, meeting_name="党工委会议（纪要〔2026〕21号）")
    with w.db.write() as s:
        results.record_consultation(s, w.leader2, fail, corrected, expected_version=version)
        again = results.motion_for_paper(s, w.leader2, fail)
        trail = s.scalars(
            select(AuditRecord.summary)
            .where(AuditRecord.action == "assessment.motion_consultation")
            .order_by(AuditRecord.id)
        ).all()
    with pytest.raises(ConflictError), w.db.write() as s:  # a form opened before the correction
        results.record_consultation(s, w.leader, fail, form, expected_version=version)
    assert first is not None and again is not None
    assert again.frame.number == first.frame.number == "梅执动〔2026〕1号"
    assert again.meeting_name == "党工委会议（纪要〔2026〕21号）"
    assert [t[:2] for t in trail] == ["录入", "更正"]


def test_the_letters_agree_with_the_locked_sheets(street: Street) -> None:
    _signed(street)
    w = street.world
    with w.db.write() as s:
        letters = [
            results.letter_for_paper(s, w.leader, street.scheme, department)
            for department in (w.department, street.department2)
        ]
        for letter in letters:
            assert letter is not None
            for agency in letter.agencies:
                d = sheets.detail(s, w.leader, agency.sheet_id)
                assert d.status is SheetStatus.LOCKED
                assert (agency.total, agency.grade, agency.street, agency.department_part) == (
                    d.total,
                    d.grade,
                    d.street,
                    d.department,
                )
    assert sum(len(letter.agencies) for letter in letters if letter) == 3


# --- the papers' wording --------------------------------------------------------------------------


def test_the_summary_counts_units_in_ge_and_people_in_ren(street: Street, tmp_path: Path) -> None:
    """A person scheme's line reads 优秀 1 人, not 优秀 1 个; an agency scheme's stays 个."""
    _signed(street)
    w = street.world
    with w.db.read() as s:
        basis = signing.for_summary(s, w.leader, street.scheme)
        rows = sheets.summary(s, w.leader, street.scheme)
    seal = assessment_papers.AuditSeal("2026-12-05 10:00", 1, "0" * 64, 1, True)
    sections = [
        assessment_papers.SummarySection(AssessmentSubject.AGENCY, "派驻机构方案", rows, basis),
        assessment_papers.SummarySection(AssessmentSubject.PERSON, "执法人员方案", rows, basis),
    ]
    path = assessment_papers.render_summary(2026, sections, seal, "中心", tmp_path / "s.pdf")
    laid_out = _pdf_text(path)
    # 不合格 and 已锁定签发 each stay on one line of their cells.
    assert [line for line in laid_out.splitlines() if "已锁定签发" in line]
    assert [line for line in laid_out.splitlines() if "不合格" in line and "47.00" in line]
    text = "".join(laid_out.split())
    assert "共3个单位；优秀1个，良好0个，合格1个，不合格1个" in text
    assert "共3人；优秀1人，良好0人，合格1人，不合格1人" in text


def test_a_motion_names_the_agency_by_its_own_kind_and_closes_typed_sentences(
    street: Street, tmp_path: Path
) -> None:
    """An agency named …站 is 该站 (not 该所); reasons and decision typed without a full stop
    get one, and text already closed is left as typed."""
    _signed(street)
    w = street.world
    fail = street.sheet["梅山所"]
    form = results.ConsultationForm(
        head_name="吴某",
        head_position="站长",
        reasons="年度考核不合格",
        meeting_date=date(2026, 12, 4),
        meeting_name="街道党工委会议",
        decision="同意提出人事调整动议",
    )
    with w.db.write() as s:
        results.record_consultation(s, w.leader, fail, form)
        paper = results.motion_for_paper(s, w.leader, fail)
    assert paper is not None
    as_station = replace(paper, result=replace(paper.result, agency="区卫健局梅山监督站"))
    laid_out = _pdf_text(assessment_results.render(as_station, tmp_path / "m.pdf"))
    # The signature block with its room for the seal takes the last paragraph onto page 2:
    # read the text across the page break without the page number between.
    text = "".join(re.sub(r"— \d+ —", "", laid_out.replace("\f", "")).split())
    assert "现就该站主要负责人站长吴某提出人事调整动议" in text and "该所" not in text
    assert "动议理由：年度考核不合格。" in text
    assert "街道党工委会议研究，同意提出人事调整动议。根据" in text
    assert assessment_results.this_agency("区市场监管局梅山所") == "该所"
    assert assessment_results.this_agency("梅山街道综合执法服务中心") == "该单位"
    assert assessment_results.sentence("同意。") == "同意。"
    assert assessment_results.sentence("“同意动议。”") == "“同意动议。”"


def test_a_reference_figure_of_weight_nought_is_printed_without_a_score(
    street: Street, tmp_path: Path
) -> None:
    """受理事件数（参考） weighs nothing: its row shows the figure and 不计分, never a score
    such as 37.00 that would read as earned."""
    _signed(street)
    w = street.world
    with w.db.read() as s:
        d = sheets.detail(s, w.leader, street.sheet["梅东所"])
    reference = replace(
        d.lines[0], name="受理事件数（参考）", value_text="37件", weight=0, score=37.0, weighted=0
    )
    path = assessment_papers.render_sheet(
        replace(d, lines=[*d.lines, reference]), "中心", tmp_path / "s.pdf"
    )
    text = _pdf_text(path)
    row = next(line for line in text.splitlines() if "受理事件数（参考）" in line)
    assert "37件" in row and "不计分" in row and "37.00" not in text
    assert "权重为0的指标只列数据供参考，不计分" in "".join(text.split())
    assert "95.00" in text  # the weighted lines keep their scores


def test_an_agency_sheet_of_the_built_in_scheme_and_its_signatures_fit_one_page(
    world: World, tmp_path: Path
) -> None:
    """Twelve indicators, every computed one 不适用 with its reason and its rule (the longest
    notes a sheet carries), locked: the figures, the notes and the signature block share the
    page; the signatures never stand alone on a second one."""
    from commandcenter.services.assessment import schemes

    world.clock.set(COMPUTED_AT)
    with world.db.write() as s:
        scheme = schemes.ensure(s, world.leader, 2026, AssessmentSubject.AGENCY)
        sheets.compute(s, world.leader, scheme.id)
        sheet = next(x for x in sheets.scheme_sheets(s, scheme.id) if x.unit_id == world.agency)
        for indicator in scheme.indicators:
            if indicator.source is IndicatorSource.MANUAL:
                sheets.enter_score(s, world.operator, sheet.id, indicator.id, 88.5, note="评分")
        sheets.review(s, world.operator, sheet.id)
        sheets.lock(s, world.leader, sheet.id)
        path = assessment_papers.print_sheet(s, world.leader, sheet.id, tmp_path / "a.pdf")
    assert len(scheme.indicators) == 12
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Pages:           1" in info.stdout
    text = _pdf_text(path)
    assert "不适用：考核期内没有计入本项的记录" in "".join(text.split())
    assert "锁定签发" in text and "分管领导" in text


def test_a_shared_rank_is_written_as_tied(street: Street, tmp_path: Path) -> None:
    """梅东所 and 资规所 both 0.7*85 + 0.3*80 = 83.50: both 并列第1名; 梅山所 third, not tied."""
    _score(street, {"梅东所": (85, 80), "资规所": (85, 80), "梅山所": (50, 40)})
    w = street.world
    with w.db.write() as s:
        letter = results.letter_for_paper(s, w.leader, street.scheme, w.department)
        land = results.letter_for_paper(s, w.leader, street.scheme, street.department2)
    assert letter is not None and land is not None
    assert [(a.agency, a.rank, a.tied) for a in letter.agencies + land.agencies] == [
        ("区市场监管局梅东所", 1, True),
        ("区市场监管局梅山所", 3, False),
        ("区资规局梅山所", 1, True),
    ]
    text = "".join(_pdf_text(assessment_results.render(letter, tmp_path / "l.pdf")).split())
    assert "综合得分83.50分，在本年度3个派驻机构中并列第1名" in text
    assert "综合得分47.00分，在本年度3个派驻机构中列第3名" in text
