"""Training exams, pass rates and certificate applications, on a street of five people.

Exams (pass mark 60 unless said):
  2025-12-20 岗前考试      丙 90
  2026-03-10 法律知识考试  甲 80, 乙 55, 丁 59.5, 戊 (auxiliary) 70
  2026-04-10 补考          乙 65, 丁 50
In 2026 the squad's 甲 乙 戊 sat and all three passed (乙 at the re-sit): 3/3; the centre's 丁
sat twice and never passed: 0/1; the street 3/4 = 75%.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from commandcenter import cli
from commandcenter.db.engine import Database
from commandcenter.db.models import PersonGroup, Staffing, TrainingKind, UnitKind
from commandcenter.errors import ValidationError
from commandcenter.exchange import importers
from commandcenter.exchange.report import ImportRejected
from commandcenter.services import exams, organisation, training
from commandcenter.services.actor import Actor
from commandcenter.services.assessment.metrics import METRICS
from commandcenter.services.assessment.person_templates import GROUP_TEMPLATES
from commandcenter.services.roster import applications, people
from commandcenter.services.roster.certificates import CertificateForm, add_certificate
from commandcenter.services.statistics import Period
from tests.conftest import PASSWORD


@dataclass
class Street:
    squad: int
    centre: int
    ids: dict[str, int]
    first: int  # 法律知识考试
    resit: int


@pytest.fixture
def street(db: Database, admin: Actor) -> Street:
    with db.write() as s:
        squad = organisation.create_unit(
            s, admin, organisation.UnitForm("梅山街道综合行政执法队", "执法队", UnitKind.SQUAD)
        ).id
        centre = organisation.create_unit(
            s,
            admin,
            organisation.UnitForm("梅山街道指挥中心", "指挥中心", UnitKind.COMMAND_CENTRE),
        ).id
        ids = {}
        for name, unit_id, staffing in (
            ("甲", squad, Staffing.ADMINISTRATIVE),
            ("乙", squad, Staffing.ADMINISTRATIVE),
            ("丙", squad, Staffing.ADMINISTRATIVE),
            ("丁", centre, Staffing.ADMINISTRATIVE),
            ("戊", squad, Staffing.AUXILIARY),
        ):
            ids[name] = people.create_person(
                s, admin, people.PersonForm(name=f"队员{name}", unit_id=unit_id, staffing=staffing)
            ).id
        course = training.save_course(
            s,
            admin,
            training.CourseForm("法律知识培训", TrainingKind.CENTRAL, date(2026, 3, 9), 8),
        ).id
        old = exams.save_exam(s, admin, exams.ExamForm("岗前考试", date(2025, 12, 20))).id
        first = exams.save_exam(
            s, admin, exams.ExamForm("法律知识考试", date(2026, 3, 10), course)
        ).id
        resit = exams.save_exam(s, admin, exams.ExamForm("补考", date(2026, 4, 10), course)).id
        exams.record_results(s, admin, old, {ids["丙"]: 90})
        exams.record_results(
            s, admin, first, {ids["甲"]: 80, ids["乙"]: 55, ids["丁"]: 59.5, ids["戊"]: 70}
        )
        exams.record_results(s, admin, resit, {ids["乙"]: 65, ids["丁"]: 50})
    return Street(squad, centre, ids, first, resit)


def test_pass_rates_count_people_not_sittings(db: Database, admin: Actor, street: Street) -> None:
    with db.read() as s:
        rates = exams.pass_rates(s, admin, 2026)
        rows = {r.title: r for r in exams.exams_of_year(s, admin, 2026)}
    assert [(r.unit, r.sat, r.passed) for r in rates] == [
        ("执法队", 3, 3),
        ("指挥中心", 1, 0),
        ("全街道", 4, 3),
    ]
    assert rates[-1].rate == pytest.approx(0.75)
    assert set(rows) == {"法律知识考试", "补考"}  # the 2025 exam is last year's
    assert (rows["法律知识考试"].sat, rows["法律知识考试"].passed) == (4, 2)
    assert rows["法律知识考试"].course == "法律知识培训"
    with db.read() as s:
        (last_year,) = exams.pass_rates(s, admin, 2025)[:1]
    assert (last_year.unit, last_year.sat, last_year.passed) == ("执法队", 1, 1)


def test_a_new_pass_mark_re_marks_the_results(db: Database, admin: Actor, street: Street) -> None:
    with db.write() as s:
        form = exams.exam_form(s, admin, street.first)
        form.pass_mark = 75
        exams.save_exam(s, admin, form, street.first)
    with db.read() as s:
        results = {r.name: r.passed for r in exams.results_of(s, admin, street.first)}
        squad = exams.pass_rates(s, admin, 2026)[0]
    assert results == {"队员甲": True, "队员戊": False, "队员丁": False, "队员乙": False}
    assert (squad.sat, squad.passed) == (3, 2)  # 乙 still passed the re-sit


def test_scores_are_checked_against_the_exam(db: Database, admin: Actor, street: Street) -> None:
    with db.write() as s, pytest.raises(ValidationError, match="成绩应在 0 至 100 分之间"):
        exams.record_results(s, admin, street.first, {street.ids["丙"]: 101})
    with db.write() as s, pytest.raises(ValidationError, match="合格分应大于 0、不超过满分"):
        exams.save_exam(s, admin, exams.ExamForm("x", date(2026, 5, 1), None, 100, 120))
    with db.write() as s:  # a correction changes the score and the mark
        assert exams.record_results(s, admin, street.resit, {street.ids["丁"]: 61}) == (0, 1)
    with db.read() as s:
        assert exams.pass_rates(s, admin, 2026)[1].passed == 1


def test_only_people_who_passed_may_apply(db: Database, admin: Actor, street: Street) -> None:
    on = date(2026, 5, 1)
    ids = street.ids
    with db.write() as s:
        add_certificate(
            s,
            admin,
            ids["丙"],
            CertificateForm(
                "梅执120001", "区司法局", "综合执法", "", date(2026, 1, 5), date(2029, 1, 4)
            ),
        )
    with db.read() as s:
        # By unit, then name as the database sorts it (乙 before 甲 by code point).
        assert [pid for _label, pid in applications.candidates(s, admin, on)] == [
            ids["乙"],
            ids["甲"],
        ]
    refusals = {
        "丙": "队员丙已持有有效执法证（梅执120001），无需申领。",
        "丁": "队员丁未通过培训考试：2026-04-10“补考”成绩 50 分，合格分 60 分。",
        "戊": "队员戊是编外协勤人员，不得申领执法证。",
    }
    for name, message in refusals.items():
        with db.write() as s, pytest.raises(ValidationError) as refused:
            applications.apply(s, admin, ids[name], on)
        assert refused.value.message == message
    with db.write() as s:
        applications.apply(s, admin, ids["乙"], on)
    with (
        db.write() as s,
        pytest.raises(ValidationError, match="已于 2026-05-01 申领执法证，尚未发证"),
    ):
        applications.apply(s, admin, ids["乙"], date(2026, 5, 2))
    with db.read() as s:
        (row,) = applications.applications_of_year(s, admin, 2026)
    assert (row.person, row.exam, row.score, row.issued) == ("队员乙", "补考", 65, "")
    # A pass more than a year old no longer supports an application.
    with db.write() as s, pytest.raises(ValidationError, match="近一年内没有培训考试成绩"):
        applications.apply(s, admin, ids["甲"], date(2027, 3, 11))
    # The exam an application rests on cannot be deleted.
    with db.write() as s, pytest.raises(ValidationError, match="不能删除该考试"):
        exams.delete_exam(s, admin, street.resit)


def test_the_person_assessment_counts_a_pass(db: Database, admin: Actor, street: Street) -> None:
    metric = METRICS["exam_passed"]
    year = Period(date(2026, 1, 1), date(2026, 12, 31), "2026年")
    ids = street.ids
    now = datetime(2027, 1, 5, tzinfo=UTC)
    with db.read() as s:
        values = metric.compute(s, year, now, list(ids.values()))
        sources = metric.sources(s, year, now, ids["乙"])
        why = metric.why_none(s, ids["丙"]) if metric.why_none else ""
    # 甲 passed; 乙 failed, then passed the re-sit; 丁 failed both; 丙 sat only in 2025.
    assert {name: values[pid] for name, pid in ids.items()} == {
        "甲": 1.0,
        "乙": 1.0,
        "丙": None,
        "丁": 0.0,
        "戊": 1.0,
    }
    assert [metric.format(values[ids[n]]) for n in "甲丁丙"] == ["是", "否", "不适用"]
    assert why == "考核期内本人未参加培训考试"
    assert sources.rows == [
        ("2026-03-10", "法律知识考试", "55", "60", "不合格"),
        ("2026-04-10", "补考", "65", "60", "合格"),
    ]
    # Officers and squad leaders are scored on it; command staff and auxiliaries are not.
    groups = {g: [row[3] for row in rows] for g, rows in GROUP_TEMPLATES.items()}
    assert "exam_passed" in groups[PersonGroup.OFFICER]
    assert "exam_passed" in groups[PersonGroup.SQUAD_LEADER]
    assert "exam_passed" not in groups[PersonGroup.COMMAND] + groups[PersonGroup.AUXILIARY]
    assert all(sum(row[5] for row in rows) == 100 for rows in GROUP_TEMPLATES.values())


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "考试成绩"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_results_import_all_or_nothing(
    db: Database, admin: Actor, street: Street, tmp_path: Path
) -> None:
    with db.write() as s:
        exam = exams.save_exam(s, admin, exams.ExamForm("年度考试", date(2026, 6, 1))).id
    bad = _sheet(
        tmp_path / "bad.xlsx",
        [
            ["姓名", "单位", "成绩"],
            ["队员甲", "执法队", 88],
            ["队员乙", "执法队", 120],  # above the full mark
            ["队员庚", "执法队", 70],  # nobody of that name
            ["队员丁", "无此单位", 65],
            ["队员甲", "执法队", 90],  # the same person twice
        ],
    )
    with pytest.raises(ImportRejected) as rejected:
        importers.run_import(db, admin, "exam_results", bad, exam_id=exam)
    problems = [p.text() for p in rejected.value.report.problems]
    assert problems == [
        "第 3 行“成绩”（120）：成绩应在 0 至 100 分之间。",
        "第 4 行“姓名”（队员庚）：“执法队”没有名为“队员庚”的人员。",
        "第 5 行“单位”（无此单位）：系统中没有单位“无此单位”。请先导入或新增该单位，或核对名称。",
        "第 6 行“姓名”（队员甲）：与第 2 行是同一人。",
    ]
    with db.read() as s:
        assert exams.results_of(s, admin, exam) == []  # nothing written
    good = _sheet(
        tmp_path / "good.xlsx",
        [["姓名", "单位", "分数"], ["队员甲", "执法队", 88], ["队员丁", "梅山街道指挥中心", "59"]],
    )
    report = importers.run_import(db, admin, "exam_results", good, exam_id=exam)
    assert (report.rows, report.created, report.updated) == (2, 2, 0)
    with db.read() as s:
        assert [(r.name, r.score, r.passed) for r in exams.results_of(s, admin, exam)] == [
            ("队员甲", 88, True),
            ("队员丁", 59, False),
        ]


def test_results_import_from_the_command_line(
    db: Database,
    street: Street,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", PASSWORD)
    sheet = _sheet(tmp_path / "r.xlsx", [["姓名", "单位", "成绩"], ["队员丙", "执法队", 61]])
    argv = ["--db", db.url, "import", "exam_results", str(sheet), "--user", "admin"]
    assert cli.main([*argv, "--exam", "补考"]) == 0
    assert "新增 1 条" in capsys.readouterr().out
    assert cli.main([*argv, "--exam", "无此考试"]) == 2
    assert "没有名为“无此考试”的考试" in capsys.readouterr().err
    assert cli.main(argv) == 2  # no --exam at all: asked for, not named as an empty title
    assert "须用 --exam 写明考试名称" in capsys.readouterr().err
