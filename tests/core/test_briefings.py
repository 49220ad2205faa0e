"""日碰头 and 周例会: the same numbers as the lists and the ranking, on screen and on paper."""

from __future__ import annotations

import shutil
import subprocess
from datetime import time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from commandcenter import timeutil
from commandcenter.cli import main
from commandcenter.db.engine import Database
from commandcenter.db.models import Incident
from commandcenter.demo.generator import DEMO_PASSWORD
from commandcenter.documents import briefing_papers
from commandcenter.services import briefings, meetings, statistics
from commandcenter.services.actor import Actor
from commandcenter.services.incidents.listings import OVERDUE_INCIDENTS
from tests.conftest import AS_OF

MORNING = timeutil.local_datetime(AS_OF, time(8, 30))


def _count(session: object, *where: object) -> int:
    return int(session.scalar(select(func.count(Incident.id)).where(*where)))  # type: ignore[attr-defined]


def test_the_huddle_lists_what_the_dashboard_lists(demo_db: Database, leader: Actor) -> None:
    with demo_db.read() as s:
        b = briefings.daily(s, leader, now=MORNING)
        figures = dict(b.figures)
        sections = {x.title: x for x in b.sections}
        overdue = OVERDUE_INCIDENTS.fetch(s, leader, now=MORNING, limit=10_000)
        assert list(sections["超期未办结事件"].ids) == [r.id for r in overdue]
        assert figures["超期未办结"] == f"{len(overdue)} 件" and overdue
        yesterday = statistics.day_period(AS_OF - timedelta(days=1))
        assert figures["昨日受理"] == f"{_count(s, statistics.received_in(yesterday))} 件"
        assert figures["昨日办结"] == f"{_count(s, statistics.closed_in(yesterday))} 件"
        # Yesterday's list shows merged repeat calls too, so it is at least the figure.
        assert len(sections["昨日受理"].rows) >= int(figures["昨日受理"].split()[0])
        items = sections["议定事项：已逾期和三日内到期"]
        overdue_items = meetings.overdue_items(s, leader, AS_OF)
        assert overdue_items and list(items.ids)[: len(overdue_items)] == [
            i.id for i in overdue_items
        ]
        assert all(f == "overdue" for f in items.flags[: len(overdue_items)])
        assert sections["超期未办结事件"].headers == (
            "编号",
            "事件",
            "主办单位",
            "状态",
            "剩余时间",
        )


def test_a_long_list_is_cut_with_its_total_told(
    demo_db: Database, leader: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(briefings, "SECTION_ROWS", 3)
    with demo_db.read() as s:
        overdue = OVERDUE_INCIDENTS.fetch(s, leader, now=MORNING, limit=10_000)
        b = briefings.daily(s, leader, now=MORNING)
    assert len(overdue) > 3
    section = next(x for x in b.sections if x.title == "超期未办结事件")
    assert list(section.ids) == [r.id for r in overdue[:3]]  # the first by deadline
    assert section.count == len(overdue)
    assert section.note == f"共 {len(overdue)} 件，按办理期限列出前 3 件，全部可在事件队列中查看。"
    assert dict(b.figures)["超期未办结"] == f"{len(overdue)} 件"
    short = next(x for x in b.sections if x.title == "待领导审批")
    assert len(short.rows) <= 3 and short.count == len(short.rows)


def test_the_weekly_pack_agrees_with_the_ranking(demo_db: Database, leader: Actor) -> None:
    week = briefings.last_full_week(AS_OF)
    assert week.first.weekday() == 0 and week.last < AS_OF
    with demo_db.read() as s:
        b = briefings.weekly(s, leader, week, now=MORNING)
        figures = dict(b.figures)
        received = _count(s, statistics.received_in(week))
        before = _count(
            s, statistics.received_in(statistics.week_period(week.first - timedelta(days=1)))
        )
        assert figures["受理事件"].startswith(f"{received} 件（上周 {before} 件")
        units = b.sections[0]
        ranked = statistics.red_green(statistics.unit_figures(s, week, MORNING), week)
        shown = [r for r in ranked if r.figures.received or r.volume]
        assert [row[1] for row in units.rows] == [r.figures.unit for r in shown]
        board = units.headers.index("红绿榜")
        # Red is the best three ranked units with nothing overdue (the ranking pins the rest).
        assert [row[board] for row in units.rows].count("红榜") == min(
            3, sum(1 for r in ranked if r.rank and not r.figures.overdue)
        )
        volume = units.headers.index("件数")
        assert [row[volume] for row in units.rows] == [str(r.volume) for r in shown]
        assert statistics.ON_TIME_NOTE in units.note


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by .ci/run"
)
def test_both_print_and_the_cli_checks_the_week(
    demo_db: Database,
    leader: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with demo_db.read() as s:
        week = briefings.last_full_week(AS_OF)
        pdf = briefing_papers.print_weekly(s, leader, week, tmp_path / "weekly.pdf")
    text = "".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "周例会材料" in text and "一、各单位办理情况" in text and week.text in text
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", DEMO_PASSWORD)
    url = demo_db.engine.url.render_as_string(hide_password=False)
    out = tmp_path / "huddle.pdf"
    assert main(["--db", url, "print", "huddle", "-o", str(out), "--user", "operator"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    weekly = ["--db", url, "print", "weekly", "-o", str(tmp_path / "w.pdf"), "--user", "operator"]
    assert main([*weekly, "--week", "2026-11-09"]) == 0
    assert main([*weekly, "--week", "11/09"]) == 2
    assert "--week" in capsys.readouterr().err
