"""Excel in and out: all-or-nothing imports with a row report, round trips, safe exports."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from commandcenter import cli
from commandcenter.db.engine import Database
from commandcenter.db.models import AuditRecord, Certificate, Liaison, Person, PersonStatus, Unit
from commandcenter.errors import UserError
from commandcenter.exchange import exporters, importers, inspection_workbooks
from commandcenter.exchange.report import ImportRejected, write_report
from commandcenter.services import auth, certificate_review
from commandcenter.services.actor import Actor
from commandcenter.services.validators import id_check_char
from tests.conftest import PASSWORD


def idn(first17: str) -> str:
    return first17 + id_check_char(first17)


def workbook(path: Path, rows: list[list[Any]], sheet: str = "人员", extra: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    if extra:
        wb.create_sheet("说明").append(["填表说明：每人一行"])
    wb.save(path)
    return path


def people_snapshot(db: Database) -> set[tuple[Any, ...]]:
    with db.read() as s:
        people = s.scalars(select(Person).options(selectinload(Person.certificates)))
        return {
            (
                p.name,
                p.gender,
                p.id_number,
                p.mobile,
                p.office_phone,
                p.unit.name,
                p.position,
                p.staffing,
                p.stationing,
                p.status,
                p.status_since,
                p.fields,
                tuple(
                    sorted(
                        (
                            c.number,
                            c.issuer,
                            c.fields,
                            c.issued_on,
                            c.expires_on,
                            c.last_review_on,
                            c.state,
                        )
                        for c in p.certificates
                    )
                ),
            )
            for p in people
        }


def counts(db: Database) -> tuple[int, int, int]:
    with db.read() as s:
        return (
            s.scalar(select(func.count(Person.id))) or 0,
            s.scalar(select(func.count(Unit.id))) or 0,
            s.scalar(select(func.count(AuditRecord.id))) or 0,
        )


@pytest.fixture
def demo_admin(demo_db: Database) -> Actor:
    with demo_db.read() as s:
        return auth.actor_for(s, "admin")


def test_export_then_import_into_an_empty_database_gives_the_same_people(
    demo_db: Database, demo_admin: Actor, db: Database, admin: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        for kind, export in exporters.EXPORTERS.items():
            export(s, demo_admin, tmp_path / f"{kind}.xlsx")
    for kind in ("units", "people", "liaisons"):
        report = importers.run_import(db, admin, kind, tmp_path / f"{kind}.xlsx")
        assert report.accepted and report.updated == 0, report.text()
    assert people_snapshot(db) == people_snapshot(demo_db)
    with db.read() as s, demo_db.read() as d:
        assert s.scalar(select(func.count(Liaison.id))) == d.scalar(select(func.count(Liaison.id)))
    # Importing the same file again changes nothing.
    again = importers.run_import(db, admin, "people", tmp_path / "people.xlsx")
    assert (again.created, again.updated) == (0, 0)


HEADER = [
    "姓名",
    "身份证号",
    "手机",
    "单位",
    "编制类别",
    "驻点方式",
    "执法证号",
    "发证机关",
    "证件执法领域",
    "发证日期",
    "有效期至",
]


def test_one_bad_row_means_nothing_is_written_and_every_problem_is_listed(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    importers.run_import(
        db,
        admin,
        "units",
        workbook(
            tmp_path / "u.xlsx",
            [
                ["单位全称", "简称", "类别"],
                ["梅山街道综合行政执法队", "执法队", "综合行政执法中队"],
            ],
            "单位",
        ),
    )
    before = counts(db)
    path = workbook(
        tmp_path / "p.xlsx",
        [
            HEADER,
            [
                "张伟",
                idn("33020619800101123"),
                "13812345678",
                "执法队",
                "行政编制",
                None,
                "浙执001",
                "区政府",
                "综合执法",
                "2022-01-01",
                "2027-01-01",
            ],
            [
                "李娜",
                "330206198001011231",
                "1381234",
                "执法队",
                "事业编制",
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            ["王五", None, None, "不存在的单位", "派驻", None, None, None, None, None, None],
            [
                "赵六",
                None,
                None,
                "执法队",
                "协勤",
                None,
                "浙执002",
                "区政府",
                "综合执法",
                "2022-01-01",
                "2021-01-01",
            ],
            [None] * 11,
            [
                "钱七",
                None,
                None,
                "执法队",
                "行政编制",
                None,
                "浙执001",
                "区政府",
                "综合执法",
                "2022/1/1",
                "2027年1月1日",
            ],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        importers.run_import(db, admin, "people", path)
    report = caught.value.report
    found = {(p.row, p.column) for p in report.problems}
    assert (3, "身份证号") in found and (3, "手机") in found
    assert (4, "单位") in found and (4, "驻点方式") in found
    assert (5, "执法证号") in found  # auxiliary staff hold no certificate
    assert (5, "有效期至") in found
    assert (7, "执法证号") in found  # the same number as row 2
    assert 2 not in {p.row for p in report.problems}
    assert report.rows == 5  # the blank row is not a row
    assert "数据库未作任何修改" in report.summary()
    assert counts(db) == before
    out = write_report(report, tmp_path / "report.xlsx")
    cells = [[c.value for c in row] for row in load_workbook(out).active.iter_rows()]  # type: ignore[union-attr]
    assert cells[1] == ["行号", "列", "内容", "问题"]
    assert any(row[0] == 3 and row[1] == "身份证号" for row in cells[2:])


def test_formulas_are_refused_never_evaluated(db: Database, admin: Actor, tmp_path: Path) -> None:
    importers.run_import(
        db,
        admin,
        "units",
        workbook(
            tmp_path / "u.xlsx",
            [
                ["单位全称", "简称", "类别"],
                ["梅山街道综合行政执法队", "执法队", "综合行政执法中队"],
            ],
            "单位",
        ),
    )
    path = workbook(
        tmp_path / "p.xlsx",
        [
            ["姓名", "单位", "编制类别"],
            ["张伟", "执法队", "行政编制"],
            ['=HYPERLINK("http://x","张三")', "执法队", "行政编制"],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        importers.run_import(db, admin, "people", path)
    (problem,) = [p for p in caught.value.report.problems if p.row == 3 and p.column == "姓名"]
    assert "公式" in problem.reason and problem.value.startswith("=HYPERLINK")


def test_untidy_sheets_are_handled(db: Database, admin: Actor, tmp_path: Path) -> None:
    """A title row, renamed headers, a merged unit column, an extra sheet, blank rows, unknown
    columns and ID numbers stored as text with full-width digits."""
    wb = Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "说明"
    notes.append(["请勿修改表头"])
    units = wb.create_sheet("组织机构")
    units.append(["梅山街道单位表"])
    units.append(["单位名称（必填）", "单位简称", "单位类别", "所属单位", "内部编号"])
    units.append(
        ["梅山街道综合行政执法队", "执法队", "中队", "梅山街道办事处", "A-1"]
    )  # parent listed later
    units.append([None, None, None, None, None])
    units.append(["梅山街道办事处", "梅山街道", "街道办事处", None, "A-0"])
    wb.save(tmp_path / "units.xlsx")
    report = importers.run_import(db, admin, "units", tmp_path / "units.xlsx")
    assert report.created == 2 and report.sheet == "组织机构"
    assert any("说明" in n for n in report.notes) and any("内部编号" in n for n in report.notes)

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "花名册"
    ws.append(["姓名 *", "公民身份号码", "所在单位", "编制"])
    ws.append(
        [
            "张伟",
            "３３０２０６１９８００１０１１２３" + id_check_char("33020619800101123"),
            "执法队",
            "行政编制",
        ]
    )
    ws.append(["李娜", None, None, "事业编制"])
    ws.append(["王芳", None, None, "行政编制"])
    ws.merge_cells("C2:C4")
    wb.save(tmp_path / "people.xlsx")
    report = importers.run_import(db, admin, "people", tmp_path / "people.xlsx")
    assert report.accepted and report.created == 3, report.text()
    assert any("合并单元格" in n for n in report.notes)
    with db.read() as s:
        assert set(s.scalars(select(Unit.short_name).join(Person, Person.unit_id == Unit.id))) == {
            "执法队"
        }


def test_merged_ranges_are_found_in_the_sheet_xml_with_or_without_a_prefix() -> None:
    from commandcenter.exchange.xlsx_read import _MERGE_CELL

    xml = (
        b'<mergeCells count="2"><mergeCell ref="C2:C4"/><x:mergeCell ref="A1:H1" /></mergeCells>'
        b'<c r="D2"><v>mergeCell ref="Z1:Z2"</v></c>'
    )
    assert _MERGE_CELL.findall(xml) == [b"C2:C4", b"A1:H1"]


def test_id_numbers_excel_turned_into_numbers_are_explained(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    path = workbook(
        tmp_path / "p.xlsx",
        [
            ["姓名", "单位", "编制类别", "身份证号"],
            ["张伟", "执法队", "行政编制", 330206198001011230],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        importers.run_import(db, admin, "people", path)
    reasons = " ".join(p.reason for p in caught.value.report.problems)
    assert "存成了数字" in reasons


def test_missing_columns_and_files_that_are_not_workbooks(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    with pytest.raises(ImportRejected) as caught:
        importers.run_import(
            db,
            admin,
            "people",
            workbook(tmp_path / "p.xlsx", [["姓名", "手机"], ["张伟", "13812345678"]]),
        )
    assert {p.column for p in caught.value.report.problems} == {"单位", "编制类别"}
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UserError, match="另存为"):
        importers.run_import(db, admin, "people", tmp_path / "old.xls")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(UserError, match=r"不是有效的 \.xlsx"):
        importers.run_import(db, admin, "people", tmp_path / "broken.xlsx")


def test_dry_run_writes_nothing(demo_db: Database, demo_admin: Actor, tmp_path: Path) -> None:
    with demo_db.read() as s:
        exporters.export_liaisons(s, demo_admin, tmp_path / "li.xlsx")
    wb = load_workbook(tmp_path / "li.xlsx")
    ws = wb.active
    assert ws is not None
    ws["H2"] = "周末 9:00-12:00"
    wb.save(tmp_path / "li.xlsx")
    before = counts(demo_db)
    report = importers.run_import(
        demo_db, demo_admin, "liaisons", tmp_path / "li.xlsx", dry_run=True
    )
    assert report.accepted and report.updated == 1 and "未写入" in report.summary()
    assert counts(demo_db) == before
    report = importers.run_import(demo_db, demo_admin, "liaisons", tmp_path / "li.xlsx")
    assert report.updated == 1


def test_only_admins_import(demo_db: Database, operator: Actor, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="无权导入数据"):
        importers.run_import(demo_db, operator, "liaisons", tmp_path / "any.xlsx")


def test_exported_text_that_looks_like_a_formula_stays_text(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    from commandcenter.db.models import UnitKind
    from commandcenter.services import organisation

    with db.write() as s:
        organisation.create_unit(
            s,
            admin,
            organisation.UnitForm(
                '=HYPERLINK("http://evil","点我")', "+1", UnitKind.SQUAD, address="@SUM(1)"
            ),
        )
    with db.read() as s:
        out = exporters.export_units(s, admin, tmp_path / "units.xlsx")
    sheet_xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    row = [c for c in load_workbook(out).active[2]]  # type: ignore[index]
    assert row[0].value.startswith("=HYPERLINK") and row[0].data_type == "s"
    assert row[1].value == "+1" and row[1].data_type == "s"


def test_template_has_headers_and_choices(tmp_path: Path) -> None:
    out = exporters.write_template("people", tmp_path / "template.xlsx")
    ws = load_workbook(out).active
    assert ws is not None
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["姓名*", "性别", "身份证号"]
    assert any("行政编制" in (v.formula1 or "") for v in ws.data_validations.dataValidation)
    assert ws["C2"].number_format == "@"  # ID numbers stay text when typed in


def test_certificate_review_lists_what_to_renew_revoke_and_review(
    demo_db: Database, leader: Actor
) -> None:
    with demo_db.write() as s:
        holder = s.scalars(
            select(Person).join(Certificate).where(Person.status == PersonStatus.ON_DUTY)
        ).first()
        assert holder is not None
        holder.status = PersonStatus.RETIRED
    with demo_db.read() as s:
        review = certificate_review.build(s, leader, 2026, today=date(2026, 11, 20))
    assert review.to_renew and review.review_missing
    assert [line.reason for line in review.to_revoke if line.person == holder.name] == [
        "持证人已退休，应收回注销"
    ]
    assert all(line.expires_on <= date(2027, 12, 31) for line in review.to_renew)
    assert all(
        line.last_review_on is None or line.last_review_on.year < 2026
        for line in review.review_missing
    )


def test_cli_import_reports_and_exits_non_zero_when_rejected(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", PASSWORD)
    url = db.url
    bad = workbook(
        tmp_path / "bad.xlsx", [["姓名", "单位", "编制类别"], ["张伟", "无此单位", "行政编制"]]
    )
    code = cli.main(
        [
            "--db",
            url,
            "import",
            "people",
            str(bad),
            "--user",
            "admin",
            "--report",
            str(tmp_path / "r.xlsx"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1 and "第 2 行“单位”" in out and (tmp_path / "r.xlsx").exists()
    backups = tmp_path / "home" / "backups"
    code = cli.main(["--db", url, "template", "units", str(tmp_path / "t.xlsx")])
    assert code == 0
    good = workbook(
        tmp_path / "u.xlsx",
        [["单位全称", "简称", "类别"], ["梅山街道办事处", "梅山街道", "街道办事处"]],
        "单位",
    )
    assert cli.main(["--db", url, "import", "units", str(good), "--user", "admin"]) == 0
    # Each import that got as far as the database was preceded by a verified backup (the
    # unknown unit above is found while writing), so even an accepted import can be undone.
    # A server is backed up by its admin with pg_dump, so there it is not the app's to do.
    made = 2 if db.sqlite_path else 0
    assert len(list(backups.glob("*-before-import.db"))) == made
    assert (
        cli.main(
            [
                "--db",
                url,
                "print",
                "certificate-review",
                "--year",
                "2026",
                "-o",
                str(tmp_path / "r.pdf"),
                "--user",
                "admin",
            ]
        )
        == 0
    )
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", "wrong")
    assert (
        cli.main(["--db", url, "export", "units", str(tmp_path / "x.xlsx"), "--user", "admin"]) == 2
    )


def test_an_id_number_under_another_name_is_shown_not_applied(
    demo_db: Database, demo_admin: Actor, tmp_path: Path
) -> None:
    with demo_db.read() as s:
        person = s.scalars(select(Person).where(Person.id_number.is_not(None))).first()
        assert person is not None and person.id_number is not None
        unit, staffing, number = person.unit.name, person.staffing.label, person.id_number
    path = workbook(
        tmp_path / "p.xlsx",
        [["姓名", "身份证号", "单位", "编制类别"], ["完全不同", number, unit, staffing]],
    )
    before = people_snapshot(demo_db)
    with pytest.raises(ImportRejected) as caught:
        importers.run_import(demo_db, demo_admin, "people", path)
    [problem] = [p for p in caught.value.report.problems if "已登记为" in p.reason]
    assert f"“{person.name}”" in problem.reason and "“完全不同”" in problem.reason
    assert people_snapshot(demo_db) == before


def lock(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    """*locked* opens as a file Excel holds open on Windows does: a sharing violation."""
    real_open = Path.open

    def open_unless_locked(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == locked:
            raise PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_unless_locked)


@pytest.mark.parametrize("kind", ["people", "users", "exam_results"])
def test_a_locked_workbook_is_refused_as_locked_and_nothing_is_written(
    db: Database, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path = workbook(tmp_path / "locked.xlsx", [["姓名", "手机"], ["张伟", "13812345678"]])
    with db.read() as s:
        before = s.scalar(select(func.count()).select_from(AuditRecord))
    lock(monkeypatch, path)
    # Not "不是有效的 .xlsx … 另存为": saving again is no remedy for a file another program holds.
    with pytest.raises(UserError, match=r"无法打开 locked\.xlsx：文件正被其他程序.*占用") as exc:
        importers.run_import(db, admin, kind, path, exam="安全生产培训考试")
    assert "另存为" not in exc.value.message
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditRecord)) == before


def test_a_locked_annual_plan_is_refused_as_locked(
    db: Database, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workbook(tmp_path / "plan.xlsx", [["检查对象", "计划次数", "备注"]], sheet="年度计划")
    lock(monkeypatch, path)
    with pytest.raises(UserError, match=r"无法打开 plan\.xlsx：文件正被其他程序"):
        inspection_workbooks.import_plan(db, admin, 2026, path)
