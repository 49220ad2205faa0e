"""Property tests of the roster import, on random rosters of good and bad rows: an import is
whole or nothing, its report names exactly the bad rows, a refusal writes nothing, and a good
roster comes back unchanged through export and import."""

from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from commandcenter.db.engine import Database
from commandcenter.db.migrate import open_database
from commandcenter.db.models import AuditRecord, Person, Staffing, UnitKind
from commandcenter.exchange import exporters, importers
from commandcenter.exchange.report import ImportRejected
from commandcenter.paths import sqlite_url
from commandcenter.services import auth, organisation
from commandcenter.services.actor import Actor
from commandcenter.services.validators import id_check_char
from tests.core.test_exchange import people_snapshot

HEADER = ["姓名", "身份证号", "手机", "单位", "职务", "编制类别", "执法证号", "发证机关", "证件执法领域", "发证日期", "有效期至"]  # fmt: skip
UNIT = "梅山街道综合行政执法队"
SQUAD = "执法队"
# A bad row and the column its problem is reported under.
FAULTS = {
    "check_char": "身份证号",  # the ID number's check character is wrong
    "month_13": "身份证号",  # a birth date in a thirteenth month
    "staffing": "编制类别",  # not one of the staffing categories
    "no_name": "姓名",
    "expiry": "有效期至",  # a certificate valid until a day that is not a date
}
_copies = itertools.count()


@dataclass(frozen=True)
class Row:
    name: str
    seq: int  # makes the ID number and certificate number unique within the roster
    mobile: str | None
    position: str | None
    staffing: Staffing
    certificate: bool
    fault: str | None

    def id_number(self) -> str:
        born = date(1965, 1, 1) + timedelta(days=self.seq * 97)
        birth = "19801345" if self.fault == "month_13" else f"{born:%Y%m%d}"
        first = f"330206{birth}{self.seq % 1000:03d}"
        check = id_check_char(first)
        if self.fault == "check_char":
            check = "0" if check != "0" else "1"
        return first + check

    def cells(self) -> list[Any]:
        cert = self.certificate and self.staffing is not Staffing.AUXILIARY
        return [
            None if self.fault == "no_name" else self.name,
            self.id_number(),
            self.mobile,
            SQUAD,
            self.position,
            "临时工" if self.fault == "staffing" else self.staffing.label,
            f"浙执{330200 + self.seq}" if cert else None,
            "宁波市人民政府" if cert else None,
            "综合执法" if cert else None,
            date(2022, 3, 1) if cert else None,
            ("下个月" if self.fault == "expiry" else date(2029, 3, 1)) if cert else None,
        ]


_NAMES = st.text(alphabet="王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英", min_size=2, max_size=3)  # fmt: skip
_MOBILES = st.one_of(st.none(), st.integers(0, 99_999_999).map(lambda n: f"139{n:08d}"))
_POSITIONS = st.sampled_from([None, "队员", "副队长", "中队长"])


@st.composite
def rosters(draw: st.DrawFn, faults: bool) -> list[Row]:
    count = draw(st.integers(1, 8))
    rows = []
    for seq in range(1, count + 1):
        staffing = draw(st.sampled_from([Staffing.ADMINISTRATIVE, Staffing.INSTITUTION]))
        certificate = draw(st.booleans())
        fault = draw(st.one_of(st.none(), st.sampled_from(sorted(FAULTS)))) if faults else None
        if fault == "expiry" and not certificate:
            fault = None
        rows.append(
            Row(draw(_NAMES), seq, draw(_MOBILES), draw(_POSITIONS), staffing, certificate, fault)
        )
    return rows


def _workbook(path: Path, rows: list[Row]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "人员"
    ws.append(HEADER)
    for row in rows:
        ws.append(row.cells())
    wb.save(path)
    return path


def _fresh(template: Path, folder: Path) -> tuple[Database, Actor]:
    """A database of its own for one example, holding the squad the rosters name."""
    copy = folder / f"example-{next(_copies)}.db"
    shutil.copyfile(template, copy)
    db = open_database(sqlite_url(copy))
    with db.write() as s:
        admin = auth.actor_for(s, "admin")
        form = organisation.UnitForm(name=UNIT, short_name=SQUAD, kind=UnitKind.SQUAD)
        organisation.create_unit(s, admin, form)
    return db, admin


def _counts(db: Database) -> tuple[int, int]:
    with db.read() as s:
        people = s.scalar(select(func.count(Person.id))) or 0
        return people, s.scalar(select(func.count(AuditRecord.id))) or 0


# Each example copies a database (the round trip two), so the counts stay modest: the
# everyday suite runs them.
def _property(examples: int) -> Any:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.fixture
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("examples")


@_property(30)
@given(rows=rosters(faults=True))
# A new person whose only fault is a certificate cell: once ended the import with a bare error.
@example(rows=[Row("王伟", 1, None, None, Staffing.ADMINISTRATIVE, True, "expiry")])
def test_a_roster_is_taken_whole_or_refused_naming_exactly_its_bad_rows(
    fresh_template: Path, folder: Path, rows: list[Row]
) -> None:
    db, admin = _fresh(fresh_template, folder)
    try:
        sheet = _workbook(folder / f"roster-{next(_copies)}.xlsx", rows)
        before = _counts(db)
        bad = {n: row.fault for n, row in enumerate(rows, start=2) if row.fault}
        try:
            report = importers.run_import(db, admin, "people", sheet)
        except ImportRejected as rejected:
            problems = rejected.report.problems
            assert bad, rejected.report.text()
            assert {p.row for p in problems} == set(bad), rejected.report.text()
            for number, fault in bad.items():
                columns = {p.column for p in problems if p.row == number}
                assert FAULTS[fault] in columns, (fault, rejected.report.text())
            assert _counts(db) == before  # nothing written, not even an audit record
            return
        assert not bad
        assert report.created == len(rows) and report.updated == 0
        assert _counts(db)[0] == before[0] + len(rows)
    finally:
        db.dispose()


@_property(15)
@given(rows=rosters(faults=False))
def test_a_good_roster_comes_back_unchanged_through_export_and_import(
    fresh_template: Path, folder: Path, rows: list[Row]
) -> None:
    first, admin = _fresh(fresh_template, folder)
    second, admin2 = _fresh(fresh_template, folder)
    try:
        sheet = _workbook(folder / f"roster-{next(_copies)}.xlsx", rows)
        importers.run_import(first, admin, "people", sheet)
        imported = people_snapshot(first)
        assert {(p[0], p[2], p[3], p[6]) for p in imported} == {
            (r.name, r.id_number(), r.mobile, r.position) for r in rows
        }
        exported = folder / f"export-{next(_copies)}.xlsx"
        with first.read() as s:
            exporters.EXPORTERS["people"](s, admin, exported)
        report = importers.run_import(second, admin2, "people", exported)
        assert report.created == len(rows), report.text()
        assert people_snapshot(second) == imported
        again = importers.run_import(first, admin, "people", exported)
        assert (again.created, again.updated) == (0, 0)
        assert people_snapshot(first) == imported
    finally:
        first.dispose()
        second.dispose()
