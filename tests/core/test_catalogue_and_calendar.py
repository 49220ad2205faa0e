"""Catalogue versions from Excel with their differences; the holiday calendar kept by an admin."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from commandcenter import timeutil
from commandcenter.db.models import (
    CalendarDay,
    CalendarDayKind,
    CalendarYear,
    CatalogueItem,
    CatalogueVersion,
    Incident,
)
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.exchange.exporters import export_catalogue
from commandcenter.exchange.importers import run_import
from commandcenter.exchange.report import ImportRejected
from commandcenter.services import catalogue, work_calendar
from commandcenter.services.incidents import triage
from commandcenter.services.work_calendar import WorkCalendar
from tests.core.incident_world import World, local
from tests.core.test_exchange import workbook
from tests.core.test_incidents import register

HEADER = ["事项编码", "事项名称", "法律依据", "执法领域", "清单类别", "责任部门", "时限（工作日）"]


def catalogue_rows(extra: list[list[object]] | None = None) -> list[list[object]]:
    return [
        HEADER,
        ["ZF-001", "占道经营", "《城市市容和环境卫生管理条例》", "综合执法", "赋权事项", "", 3],
        ["LD-001", "食品摊贩监管（修订）", "", "市场监管", "联动事项", "区市场监管局", 10],
        ["NEW-01", "噪声扰民", "", "综合执法", "赋权", "", 5],
        *(extra or []),
    ]


def versions(world: World) -> int:
    with world.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(CatalogueVersion)) or 0)


def test_a_new_version_from_excel_and_what_changed(world: World, admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = workbook(tmp_path / "清单.xlsx", catalogue_rows(), sheet="执法事项清单")
    report = run_import(
        world.db,
        admin,
        "catalogue",
        path,
        label="2027版",
        effective_from=date(2027, 1, 1),
        source="区政府通知",
    )
    assert report.created == 3
    with world.db.read() as s:
        new = s.scalars(select(CatalogueVersion).where(CatalogueVersion.label == "2027版")).one()
        old = s.scalars(select(CatalogueVersion).where(CatalogueVersion.label == "2026版")).one()
        d = catalogue.diff(s, admin, old.id, new.id)
        # The version in force changes on its date, not before.
        assert catalogue.version_in_force(s, date(2026, 12, 31)).id == old.id  # type: ignore[union-attr]
        assert catalogue.version_in_force(s, date(2027, 1, 1)).id == new.id  # type: ignore[union-attr]
    assert d.added == [("NEW-01", "噪声扰民")]
    assert d.removed == [("BM-001", "无照经营查处")]
    changes = {c.code: c.changes for c in d.changed}
    assert ("时限（工作日）", "5", "3") in changes["ZF-001"]
    assert ("事项名称", "食品摊贩监管", "食品摊贩监管（修订）") in changes["LD-001"]
    assert ("紧急时限（工作小时）", "4", "") in changes["ZF-001"]
    # No 适用行业 column: read from the names (食品 → 餐饮), and shown among the changes.
    assert ("适用行业", "", "餐饮") in changes["LD-001"]


def test_an_imported_item_takes_its_industries_as_given_or_from_its_name(
    world: World, admin, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rows = catalogue_rows()
    rows[0] = [*HEADER, "适用行业"]
    rows[1] = [*rows[1], "零售，餐饮"]
    rows[2] = [*rows[2], "不限"]  # 食品 in the name, but for any business
    path = workbook(tmp_path / "清单.xlsx", rows, sheet="执法事项清单")
    run_import(world.db, admin, "catalogue", path, label="2027版", effective_from=date(2027, 1, 1))
    with world.db.read() as s:
        found = dict(
            s.execute(
                select(CatalogueItem.code, CatalogueItem.industries)
                .join(CatalogueVersion)
                .where(CatalogueVersion.label == "2027版")
            ).all()
        )
    assert found == {"ZF-001": "零售、餐饮", "LD-001": "", "NEW-01": ""}


def test_a_triaged_incident_keeps_its_version(world: World, admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    incident_id = register(world)
    with world.db.write() as s:
        triage.triage(
            s, world.operator, incident_id, triage.TriageForm(item_id=world.items["empowered"])
        )
    path = workbook(tmp_path / "清单.xlsx", catalogue_rows(), sheet="执法事项清单")
    run_import(world.db, admin, "catalogue", path, label="2027版", effective_from=date(2027, 1, 1))
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.item is not None and incident.item.version.label == "2026版"  # R3
        assert incident.item.time_limit_days == 5


def test_a_bad_catalogue_is_refused_whole_with_every_problem(
    world: World,
    admin,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    rows = catalogue_rows(
        [
            ["ZF-001", "重复编码", "", "综合执法", "赋权事项", "", 3],
            ["BM-009", "部门事项无部门", "", "市场监管", "部门事项", "", 3],
            ["BM-010", "部门不存在", "", "市场监管", "部门事项", "区不存在局", 3],
            ["X-1", "时限不对", "", "综合执法", "赋权事项", "", 999],
        ]
    )
    path = workbook(tmp_path / "清单.xlsx", rows, sheet="执法事项清单")
    before = versions(world)
    with pytest.raises(ImportRejected) as caught:
        run_import(
            world.db, admin, "catalogue", path, label="2026版", effective_from=date(2025, 1, 1)
        )
    reasons = [p.reason for p in caught.value.report.problems]
    assert any("已有名为“2026版”" in r for r in reasons)
    assert any("应晚于现有最新版本" in r for r in reasons)
    assert any("与第 2 行的事项编码重复" in r for r in reasons)
    assert any("须填写责任部门" in r for r in reasons)
    assert any("系统中没有单位“区不存在局”" in r for r in reasons)
    assert any("1 到 365" in r for r in reasons)
    assert versions(world) == before


def test_export_then_import_is_the_same_catalogue(world: World, admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "现行.xlsx"
    with world.db.read() as s:
        export_catalogue(s, admin, out)
    run_import(world.db, admin, "catalogue", out, label="2027版", effective_from=date(2027, 1, 1))
    with world.db.read() as s:
        ids = dict(s.execute(select(CatalogueVersion.label, CatalogueVersion.id)).all())
        d = catalogue.diff(s, admin, ids["2026版"], ids["2027版"])
    assert (d.added, d.removed, d.changed, d.unchanged) == ([], [], [], 3)


def test_search_finds_items_of_the_version_in_force(world: World) -> None:
    with world.db.read() as s:
        by_code = catalogue.search_items(s, world.operator, "BM", date(2026, 10, 1))
        by_words = catalogue.search_items(s, world.operator, "市场监管 摊贩", date(2026, 10, 1))
        before = catalogue.search_items(s, world.operator, "", date(2025, 10, 1))
    assert [i.code for i in by_code] == ["BM-001"]
    assert [i.code for i in by_words] == ["LD-001"]
    assert [i.code for i in before] == ["ZF-001"]  # the 2022 version was in force then


# --- the calendar ---------------------------------------------------------------------------


def test_admin_adds_next_years_schedule_by_hand(world: World, admin) -> None:  # type: ignore[no-untyped-def]
    with world.db.write() as s:
        assert work_calendar.load_official_years(s, admin, [2027]) == []  # not in the package
        work_calendar.set_day(s, admin, date(2027, 2, 8), CalendarDayKind.HOLIDAY, "春节")
        with pytest.raises(ValidationError, match="本来就是工作日"):
            work_calendar.set_day(s, admin, date(2027, 2, 10), CalendarDayKind.WORKDAY, "调休")
        work_calendar.set_day(s, admin, date(2027, 2, 6), CalendarDayKind.WORKDAY, "春节调休")
        cal = WorkCalendar.load(s)
        assert not cal.is_known(date(2027, 1, 4))
        work_calendar.mark_year_complete(
            s, admin, 2027, "国务院办公厅关于2027年部分节假日安排的通知"
        )
    with world.db.read() as s:
        cal = WorkCalendar.load(s)
        rows = {r.year: r for r in work_calendar.years(s, admin)}
    assert cal.is_known(date(2027, 3, 1))
    assert not cal.is_working_day(date(2027, 2, 8)) and cal.is_working_day(date(2027, 2, 6))
    assert (rows[2027].known, rows[2027].holidays, rows[2027].workdays) == (True, 1, 1)
    with pytest.raises(PermissionDenied), world.db.write() as s:
        work_calendar.set_day(
            s, world.operator, date(2027, 5, 1), CalendarDayKind.HOLIDAY, "劳动节"
        )


def test_calendar_import_replaces_its_years(world: World, admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ["日期", "类别", "名称"],
        [date(2027, 1, 1), "法定节假日", "元旦"],
        ["2027-02-06", "调休上班", "春节调休"],
        ["2027/2/8", "法定节假日", "春节"],
    ]
    path = workbook(tmp_path / "2027.xlsx", rows, sheet="节假日安排")
    report = run_import(world.db, admin, "calendar", path, source="2027年安排")
    assert report.created == 3
    with world.db.read() as s:
        assert s.get_one(CalendarYear, 2027).source == "2027年安排"
        assert (
            s.scalar(
                select(func.count())
                .select_from(CalendarDay)
                .where(CalendarDay.day >= date(2027, 1, 1))
            )
            == 3
        )
    bad = workbook(
        tmp_path / "bad.xlsx",
        [
            ["日期", "类别", "名称"],
            ["2027-03-03", "调休上班", "x"],
            ["2027-13-01", "法定节假日", "y"],
        ],
        sheet="节假日安排",
    )
    with pytest.raises(ImportRejected) as caught:
        run_import(world.db, admin, "calendar", bad)
    assert len(caught.value.report.problems) == 2


def test_deadline_becomes_certain_once_the_year_is_confirmed(world: World, admin) -> None:  # type: ignore[no-untyped-def]
    world.clock.set(local(date(2026, 12, 28), 9))
    with world.db.read() as s:
        before = WorkCalendar.load(s).add_working_days(world.clock(), 5)
    with world.db.write() as s:
        work_calendar.set_day(s, admin, date(2027, 1, 1), CalendarDayKind.HOLIDAY, "元旦")
        work_calendar.mark_year_complete(s, admin, 2027, "通知")
    with world.db.read() as s:
        after = WorkCalendar.load(s).add_working_days(world.clock(), 5)
    assert before.uncertain and not after.uncertain
    # 29, 30, 31 Dec, then 1 Jan is a holiday: 4 and 5 Jan.
    assert after.at == local(date(2027, 1, 5), 17, 30)


# --- working time, as properties --------------------------------------------------------------

_CAL = WorkCalendar(
    holidays={date(2026, 10, d): "国庆节" for d in range(1, 8)},
    workdays={date(2026, 9, 27), date(2026, 10, 10)},
    known_years={2026},
)


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 11, 30)),
    hours=st.floats(min_value=0.1, max_value=200),
)
def test_adding_working_time_then_measuring_it_gives_it_back(start, hours) -> None:  # type: ignore[no-untyped-def]
    moment = timeutil.local_datetime(start.date(), start.time())
    end = _CAL.add_working_seconds(moment, hours * 3600).at
    assert abs(_CAL.working_seconds(moment, end) - hours * 3600) < 1e-3
    assert _CAL.is_working_day(timeutil.local_date(end))


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 11, 30)), n=st.integers(1, 40))
def test_a_deadline_of_n_working_days_ends_on_the_nth(day: date, n: int) -> None:
    deadline = _CAL.add_working_days(local(day, 9), n)
    last = timeutil.local_date(deadline.at)
    assert _CAL.is_working_day(last)
    assert _CAL.working_days_between(day + timedelta(days=1), last + timedelta(days=1)) == n
