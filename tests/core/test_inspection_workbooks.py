"""The 抽查结果公示 and coverage workbooks, the printed papers, and the year's plan exported,
edited and imported back (all or nothing)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from commandcenter.documents import inspection_papers
from commandcenter.exchange import inspection_workbooks as books
from commandcenter.exchange.report import ImportRejected
from commandcenter.services import annual_inspection_plan as annual
from commandcenter.services import inspection_publication as pub
from tests.core.incident_world import World
from tests.core.inspection_world import build, item_names
from tests.core.test_annual_inspection_plan import three_lines
from tests.core.test_exchange import workbook


def published_march(world: World) -> int:
    build(world)
    with world.db.write() as s:
        return pub.publish(
            s,
            world.operator,
            pub.PublicationForm(date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 2), "政府网站"),
        ).id


def test_the_notice_workbook_holds_the_list_as_published(world: World, tmp_path: Path) -> None:
    found = published_march(world)
    with world.db.read() as s:
        notice = pub.notice_for_paper(s, world.operator, found)
    books.export_notice(notice, tmp_path / "notice.xlsx")
    ws = load_workbook(tmp_path / "notice.xlsx").active
    assert ws is not None
    rows = [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert (
        rows[0][0]
        == "梅山街道2026年3月“双随机、一公开”抽查检查结果公示（2026-04-02于政府网站公示）"
    )
    assert rows[1] == (
        "序号",
        "检查对象",
        "统一社会信用代码",
        "行动方案",
        "检查日期",
        "检查事项",
        "检查结果",
    )
    assert [r[1] for r in rows[2:]] == ["经营户A", "经营户B", "经营户E"]
    assert rows[3][5] == item_names(world) and rows[3][6] == "责令整改"


def test_the_coverage_workbook_has_its_three_sheets(world: World, tmp_path: Path) -> None:
    build(world)
    three_lines(world)
    with world.db.read() as s:
        report, centre = annual.coverage_for_paper(s, world.operator, 2026)
    books.export_coverage(report, centre, tmp_path / "coverage.xlsx")
    wb = load_workbook(tmp_path / "coverage.xlsx")
    assert wb.sheetnames == ["计划执行情况", "联合行动计入情况", "本年度从未检查"]
    lines = list(wb["计划执行情况"].iter_rows(min_row=3, values_only=True))
    assert lines[2][:2] == ("娱乐场所", "各部门") and lines[2][-1] == "未全覆盖：1 家未查"
    names = [r[0] for r in wb["本年度从未检查"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert names == ["经营户F", "梅山小吃店", "经营户C", "经营户D"]


def test_the_plan_goes_out_and_back_in_unchanged(world: World, tmp_path: Path) -> None:
    three_lines(world)
    with world.db.read() as s:
        before = annual.coverage(s, world.operator, 2026)
    books.export_plan(before, tmp_path / "plan.xlsx")
    report = books.import_plan(world.db, world.operator, 2027, tmp_path / "plan.xlsx")
    assert report.created == 3
    with world.db.read() as s:
        after = annual.coverage(s, world.operator, 2027)
    shape = [
        (line.industry, line.department, line.percent, line.frequency, line.full_coverage)
        for line in after.lines
    ]
    assert shape == [
        (line.industry, line.department, line.percent, line.frequency, line.full_coverage)
        for line in before.lines
    ]


def test_a_wrong_plan_workbook_changes_nothing_and_names_every_cell(
    world: World, tmp_path: Path
) -> None:
    three_lines(world)
    path = workbook(
        tmp_path / "bad.xlsx",
        [
            ["行业", "部门", "抽查比例", "检查频次", "全覆盖"],
            ["零售", "区文广局", 10, 1, "否"],
            ["住宿", "", "十", 1, "否"],
            ["餐饮", "", 10, 0, "也许"],
            ["零售", "", 5, 1, "否"],
            ["零售", "", 5, 1, "否"],
        ],
        sheet="年度检查总计划",
    )
    with pytest.raises(ImportRejected) as caught:
        books.import_plan(world.db, world.operator, 2026, path)
    told = {(p.row, p.column) for p in caught.value.report.problems}
    assert told == {
        (2, "部门"),
        (3, "抽查比例"),
        (4, "检查频次"),
        (4, "全覆盖"),
        (5, "行业"),
        (6, "行业"),
    }
    with world.db.read() as s:
        assert len(annual.coverage(s, world.operator, 2026).lines) == 3


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_papers_print_what_the_services_say(world: World, tmp_path: Path) -> None:
    found = published_march(world)
    three_lines(world)
    with world.db.read() as s:
        notice = pub.notice_for_paper(s, world.operator, found)
        draft = pub.draft_notice_for_paper(s, world.operator, date(2026, 6, 1), date(2026, 6, 30))
        report, centre = annual.coverage_for_paper(s, world.operator, 2026)

    def text(path: Path) -> str:
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout

    printed = text(inspection_papers.render_notice(notice, tmp_path / "n.pdf"))
    assert "经营户B" in printed and "责令整改" in printed and "2026年4月2日" in printed
    assert "样稿" not in printed
    assert "样稿：本清单尚未登记公示" in text(
        inspection_papers.render_notice(draft, tmp_path / "d.pdf")
    )
    printed = text(inspection_papers.render_coverage(report, centre, tmp_path / "c.pdf"))
    assert "尚未全覆盖：娱乐场所（1 家未查）" in printed.replace("\n", "")
    assert "经营户F" in printed
