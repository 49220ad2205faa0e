"""Workbooks built to hurt: refused in a moment with a Chinese message, nothing written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from commandcenter.db.engine import Database
from commandcenter.errors import UserError
from commandcenter.exchange import importers, xlsx_read
from commandcenter.exchange.report import LISTED_AT_MOST, ImportReport
from commandcenter.services.actor import Actor
from tests.core.test_exchange import counts, workbook

HEADER = ["姓名", "单位", "编制类别"]
SHEET = "xl/worksheets/sheet1.xml"

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol4;</t></is></c></row>
</sheetData></worksheet>"""


def _with_sheet(path: Path, xml: str) -> Path:
    """*path* with its first sheet's XML replaced by *xml*."""
    hostile = path.with_name(f"hostile-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = xml.encode() if item.filename == SHEET else source.read(item.filename)
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return hostile


def _refused(db: Database, admin: Actor, path: Path, message: str) -> None:
    before = counts(db)
    with pytest.raises(UserError, match=message) as caught:
        importers.run_import(db, admin, "people", path)
    assert "Traceback" not in caught.value.message
    assert counts(db) == before  # nothing written, not even an audit record


def test_entity_expansion_is_refused_not_expanded(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    plain = workbook(tmp_path / "p.xlsx", [HEADER, ["张伟", "执法一中队", "行政编制"]])
    _refused(db, admin, _with_sheet(plain, LAUGHS), "不允许的结构")


def test_broken_sheet_xml_is_refused_in_words(db: Database, admin: Actor, tmp_path: Path) -> None:
    plain = workbook(tmp_path / "p.xlsx", [HEADER, ["张伟", "执法一中队", "行政编制"]])
    broken = _with_sheet(plain, "<worksheet><sheetData><row r='1'><c r='A1'")
    _refused(db, admin, broken, "已损坏")


def test_a_part_packed_like_a_bomb_is_refused_before_parsing(
    db: Database, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [HEADER] + [["张伟", "执法一中队", "行政编制"]] * 20_000  # a sheet of ~1.5 MB XML
    path = workbook(tmp_path / "p.xlsx", rows)
    monkeypatch.setattr(xlsx_read, "MAX_RATIO", 5)  # this ordinary file packs ~30:1
    _refused(db, admin, path, "压缩比异常")
    monkeypatch.setattr(xlsx_read, "MAX_RATIO", 1_000)
    monkeypatch.setattr(xlsx_read, "MAX_PART_BYTES", 1024 * 1024)
    _refused(db, admin, path, "解压后有 .* MB")


def test_too_many_rows_are_refused_with_a_way_out(
    db: Database, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_read, "MAX_ROWS", 5)
    rows = [HEADER] + [[f"张{n}", "执法一中队", "行政编制"] for n in range(8)]
    _refused(db, admin, workbook(tmp_path / "p.xlsx", rows), "超过 5 行.*分批导入")


def test_a_report_lists_the_first_problems_and_counts_the_rest() -> None:
    report = ImportReport("人员", "p.xlsx")
    for row in range(2, LISTED_AT_MOST + 102):
        report.add(row, "姓名", "", "必填。")
    lines = report.text().splitlines()
    assert sum(1 for line in lines if "必填" in line) == LISTED_AT_MOST
    assert "另有 100 处问题未列出" in report.text()
    assert f"共 {LISTED_AT_MOST + 100} 处问题" in report.summary()
