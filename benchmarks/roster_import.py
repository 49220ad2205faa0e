"""Figure 6: importing a 10,000-row roster against openpyxl reading the same file in read-only
mode. Each import goes into a fresh copy of a database holding the units it names."""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from benchmarks.common import Figure, median_ms
from commandcenter.db.migrate import open_database
from commandcenter.db.models import Unit, UnitKind
from commandcenter.exchange import importers
from commandcenter.exchange.tables import SPECS
from commandcenter.paths import sqlite_url
from commandcenter.services import auth, validators

ROWS = 10_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华"


def _id_number(rng: random.Random) -> str:
    body = f"330206{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + validators.id_check_char(body)


def _roster(path: Path, units: list[str]) -> Path:
    rng = random.Random(10_000)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("人员")
    sheet.append([c.header for c in SPECS["people"].columns])
    seen: set[str] = set()
    for n in range(ROWS):
        number = _id_number(rng)
        while number in seen:
            number = _id_number(rng)
        seen.add(number)
        row = {
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "gender": "男" if int(number[16]) % 2 else "女",
            "id_number": number,
            "mobile": f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
            "unit": units[n % len(units)],
            "position": "队员",
            "staffing": "行政编制",
            "status": "在岗",
        }
        sheet.append([row.get(c.key, "") for c in SPECS["people"].columns])
    book.save(path)
    return path


def measure(path: Path) -> Figure:
    work = Path(tempfile.mkdtemp(prefix="cc-bench-import-"))
    db = open_database(sqlite_url(path))
    with db.read() as session:
        units = list(
            session.scalars(select(Unit.name).where(Unit.kind == UnitKind.SQUAD).order_by(Unit.id))
        )
    db.dispose()
    sheet = _roster(work / "人员名册.xlsx", units)

    def ours() -> None:
        copy = work / "copy.db"
        shutil.copyfile(path, copy)
        target = open_database(sqlite_url(copy))
        with target.read() as session:
            admin = auth.actor_for(session, "admin")
        report = importers.run_import(target, admin, "people", sheet)
        assert report.created == ROWS, report.summary()
        target.dispose()

    def bare() -> None:
        book = load_workbook(sheet, read_only=True)
        for _row in book["人员"].iter_rows(values_only=True):
            pass
        book.close()

    # The copy of the database is part of "ours" and costs a few ms; it is not subtracted.
    return Figure(
        "6", f"import a {ROWS:,}-row roster", median_ms(ours, runs=3), median_ms(bare, runs=3), 2.0
    )
