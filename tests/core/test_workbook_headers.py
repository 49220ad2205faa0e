"""Workbooks as offices make them: a title above the header, a heading merged over the columns
it groups on a second header row, and header cells broken over lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from commandcenter.db.engine import Database
from commandcenter.db.models import Certificate, Person, UnitKind
from commandcenter.exchange import importers
from commandcenter.exchange.report import ImportRejected
from commandcenter.services import organisation
from commandcenter.services.actor import Actor
from commandcenter.services.validators import id_check_char

ZHANG = "33020619800101123" + id_check_char("33020619800101123")
LI = "33020619850202234" + id_check_char("33020619850202234")


def _squad(db: Database, admin: Actor) -> None:
    form = organisation.UnitForm(
        name="梅山街道综合行政执法队", short_name="执法队", kind=UnitKind.SQUAD
    )
    with db.write() as s:
        organisation.create_unit(s, admin, form)


def _two_row_roster(path: Path) -> Path:
    """Title; then 姓名, 身份证号, 单位, 编制类别 merged down over two rows beside 执法证 merged
    across 证号 | 发证机关 | 发证日期 | 有效期至 (line breaks and spaces inside some)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "人员"
    ws.append(["梅山街道执法人员名册（2026年）"])
    ws.merge_cells("A1:F1")
    ws.append(["姓名", "身份证号", "单位", "编制\n类别", "执法证", None, None, None, None])
    ws.append([None, None, None, None, "证 号", "发证机关", "发证\n日期", "有效期\n至", "执法种类"])
    for col in "ABCD":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("E2:I2")
    issuer = "宁波市人民政府"
    ws.append(
        [
            "张伟",
            ZHANG,
            "执法队",
            "行政编制",
            "京执2026001",
            issuer,
            date(2022, 7, 1),
            date(2028, 6, 30),
            "综合执法",
        ]
    )
    ws.append(
        [
            "李娜",
            LI,
            "执法队",
            "事业编制",
            "京执2026002",
            issuer,
            date(2021, 1, 4),
            date(2027, 12, 31),
            "综合执法",
        ]
    )
    wb.save(path)
    return path


def test_a_two_row_merged_header_under_a_title_is_read_as_one(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    _squad(db, admin)
    report = importers.run_import(db, admin, "people", _two_row_roster(tmp_path / "名册.xlsx"))
    assert report.accepted and report.created == 2, report.text()
    assert "第 2–3 行为两行表头（含合并单元格），已按上下两行合并识别。" in report.notes
    assert not any("执法证" in n and "未能识别" in n for n in report.notes), report.notes
    assert not any("填入第" in n for n in report.notes), report.notes  # the header's own merges
    with db.read() as s:
        found = s.execute(
            select(Person.name, Certificate.number, Certificate.expires_on)
            .join(Certificate, Certificate.person_id == Person.id)
            .order_by(Person.name)
        ).all()
    assert [tuple(r) for r in found] == [
        ("张伟", "京执2026001", date(2028, 6, 30)),
        ("李娜", "京执2026002", date(2027, 12, 31)),
    ]


def test_a_bad_row_under_a_two_row_header_is_named_by_its_excel_row(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    _squad(db, admin)
    path = _two_row_roster(tmp_path / "名册.xlsx")
    wb = load_workbook(path)
    wb["人员"]["H5"] = "明年"
    wb.save(path)
    with pytest.raises(ImportRejected) as caught:
        importers.run_import(db, admin, "people", path, dry_run=True)
    report = caught.value.report
    assert [(p.row, p.column) for p in report.problems] == [(5, "有效期至")], report.text()


def test_a_data_row_of_text_under_a_one_row_header_is_data(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    _squad(db, admin)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "人员"
    ws.append(["姓名", "身份证号", "单位", "编制类别"])
    ws.append(["张伟", ZHANG, "执法队", "行政编制"])  # text in every cell, none a header
    wb.save(tmp_path / "名册.xlsx")
    report = importers.run_import(db, admin, "people", tmp_path / "名册.xlsx")
    assert report.accepted and report.created == 1, report.text()
    assert not any("两行表头" in n for n in report.notes)
