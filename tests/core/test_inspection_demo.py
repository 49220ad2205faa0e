"""The demo street's inspection year: a 年度检查总计划 with plausible coverage, last month's
results published, one grade lowered on an inspection found in breach; and the command line prints both papers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from commandcenter.cli import main
from commandcenter.db.engine import Database
from commandcenter.db.models import EntityGradeChange, InspectionResult, PlanTarget
from commandcenter.demo.generator import DEMO_PASSWORD
from commandcenter.services import annual_inspection_plan as annual
from commandcenter.services import inspection_publication as pub
from commandcenter.services.actor import Actor
from tests.conftest import AS_OF


def test_the_demo_year_has_a_plan_a_publication_and_a_grade_change(
    demo_db: Database, leader: Actor
) -> None:
    with demo_db.read() as s:
        report = annual.coverage(s, leader, AS_OF.year, as_of=AS_OF)
        published = pub.publications(s, leader)
        change = s.scalars(select(EntityGradeChange)).one()
        basis = s.get_one(PlanTarget, change.plan_target_id)
    assert len(report.lines) == 5
    assert any(line.done for line in report.lines)  # the street-wide 10 % is met
    assert report.full_coverage_reached is False  # 娱乐场所 is not yet covered in November
    assert 0 < report.checked < report.active
    assert [(p.period_from, p.published_on) for p in published] == [
        (date(2026, 10, 1), date(2026, 11, 5))
    ]
    assert published[0].rows and all(r.inspected_on.month == 10 for r in published[0].rows)
    assert basis.result in (InspectionResult.CASE_OPENED, InspectionResult.RECTIFY)
    assert basis.entity_id == change.entity_id and change.to_grade.value in ("yellow", "red")


def test_the_command_line_prints_the_notice_and_the_coverage(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", DEMO_PASSWORD)
    url = demo_db.engine.url.render_as_string(hide_password=False)
    start = ["--db", url, "print"]
    notice, xlsx = tmp_path / "notice.pdf", tmp_path / "notice.xlsx"
    args = ["-o", str(notice), "--xlsx", str(xlsx), "--user", "operator", "--month", "2026-10"]
    assert main([*start, "inspection-notice", *args]) == 0
    assert notice.read_bytes().startswith(b"%PDF") and xlsx.stat().st_size > 0
    coverage = tmp_path / "coverage.pdf"
    args = ["-o", str(coverage), "--year", "2026", "--user", "operator"]
    assert main([*start, "annual-inspection-coverage", *args]) == 0
    assert coverage.read_bytes().startswith(b"%PDF")
