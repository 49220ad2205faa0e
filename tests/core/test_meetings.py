"""Meetings: minutes, agreed items followed up to completion, and what the next meeting reads."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from commandcenter.cli import main
from commandcenter.db.engine import Database
from commandcenter.db.models import AgreedItemStatus, AuditRecord, Liaison, MeetingKind
from commandcenter.demo.generator import DEMO_PASSWORD
from commandcenter.documents import minutes
from commandcenter.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from commandcenter.services import audit, meeting_attendees, meetings
from commandcenter.services.actor import SYSTEM, Actor
from tests.conftest import AS_OF
from tests.core.incident_world import World, local


def _meeting(world: World, day: date, title: str = "联席会议") -> int:
    with world.db.write() as s:
        form = meetings.MeetingForm(
            kind=MeetingKind.JOINT,
            title=title,
            held_at=local(day, 14, 30),
            place="街道三楼会议室",
            chair="王主任",
            attendees="执法中队、梅山市场所",
            minutes="会议研究了沿街经营整治。",
        )
        return meetings.save_meeting(s, world.operator, form).id


def _item(world: World, meeting_id: int, task: str, deadline: date) -> int:
    with world.db.write() as s:
        form = meetings.ItemForm(
            task=task,
            deadline=deadline,
            standard="全部整改到位",
            unit_id=world.agency,
            responsible_person="李所长",
        )
        return meetings.save_item(s, world.operator, meeting_id, form).id


def test_an_item_is_reported_on_completed_and_audited(world: World) -> None:
    world.clock.set(local(date(2026, 10, 9), 15))
    first = _meeting(world, date(2026, 10, 9))
    item = _item(world, first, "梅山大道跨门经营整治", date(2026, 10, 16))

    world.clock.set(local(date(2026, 10, 13), 9))
    with world.db.write() as s:
        meetings.report_progress(s, world.operator, item, "已排查店铺 42 家，整改 30 家。")
    world.clock.set(local(date(2026, 10, 20), 9))
    with world.db.read() as s:
        overdue = meetings.overdue_items(s, world.operator)
        assert [i.id for i in overdue] == [item]
        assert overdue[0].progress == "已排查店铺 42 家，整改 30 家。"
    with world.db.write() as s:
        line = meetings.item_line(s, world.operator, item)
        meetings.complete_item(
            s, world.operator, item, date(2026, 10, 19), "全部整改", version=line.version
        )
    with world.db.read() as s:
        line = meetings.item_line(s, world.operator, item)
        assert line.status is AgreedItemStatus.DONE
        assert line.state_text == "已完成（10月19日，超期）"
        assert [r.text for r in line.reports] == [
            "已排查店铺 42 家，整改 30 家。",
            f"{meetings.DONE_MARK}全部整改",
        ]
        assert meetings.overdue_items(s, world.operator) == []
        actions = s.scalars(
            select(AuditRecord.action)
            .where(AuditRecord.entity_type.in_(["meeting", "agreed_item"]))
            .order_by(AuditRecord.id)
        ).all()
        assert actions == ["记录会议", "新增议定事项", "报告议定事项进展", "议定事项完成"]
        assert audit.verify_chain(s).intact


def test_bad_input_and_wrong_roles_are_refused(world: World, admin: Actor) -> None:
    world.clock.set(local(date(2026, 10, 9), 15))
    meeting = _meeting(world, date(2026, 10, 9))
    item = _item(world, meeting, "河道垃圾清理", date(2026, 10, 30))
    with world.db.write() as s:
        with pytest.raises(ValidationError, match="完成时限不能早于会议日期"):
            meetings.save_item(
                s,
                world.operator,
                meeting,
                meetings.ItemForm("任务", date(2026, 10, 1), "", world.agency, "李所长"),
            )
        with pytest.raises(ValidationError, match="请选择责任单位"):
            meetings.save_item(
                s, world.operator, meeting, meetings.ItemForm("任务", date(2026, 10, 20))
            )
        with pytest.raises(ValidationError, match="会议时间不能晚于明天"):
            meetings.save_meeting(
                s,
                world.operator,
                meetings.MeetingForm(MeetingKind.WEEKLY, "周例会", local(date(2026, 10, 20))),
            )
        with pytest.raises(ValidationError, match="撤销理由"):
            meetings.drop_item(s, world.operator, item, "  ")
        with pytest.raises(ValidationError, match="完成日期不能晚于今天"):
            meetings.complete_item(s, world.operator, item, date(2026, 10, 12))
        with pytest.raises(ConflictError):
            meetings.complete_item(s, world.operator, item, date(2026, 10, 9), version=99)
        with pytest.raises(ValidationError, match="请以本人账号登录"):
            meetings.report_progress(s, SYSTEM, item, "进展")
    # An admin keeps the system, not the meetings.
    with world.db.write() as s, pytest.raises(PermissionDenied):
        meetings.report_progress(s, admin, item, "进展")
    with world.db.write() as s:
        meetings.drop_item(s, world.operator, item, "经 10 月 16 日会议研究，并入专项行动")
    with world.db.write() as s, pytest.raises(ValidationError, match="已撤销"):
        meetings.report_progress(s, world.operator, item, "进展")


def test_the_next_meeting_reads_out_what_changed_since_the_last(world: World) -> None:
    world.clock.set(local(date(2026, 10, 9), 15))
    first = _meeting(world, date(2026, 10, 9), "十月第一次联席会议")
    done_early = _item(world, first, "甲：早已完成", date(2026, 10, 12))
    done_between = _item(world, first, "乙：两会之间完成", date(2026, 10, 20))
    still_open = _item(world, first, "丙：仍在推进", date(2026, 10, 20))
    dropped = _item(world, first, "丁：已撤销", date(2026, 10, 30))

    world.clock.set(local(date(2026, 10, 11), 10))
    with world.db.write() as s:
        meetings.complete_item(s, world.operator, done_early, date(2026, 10, 11))
    world.clock.set(local(date(2026, 10, 16), 14, 30))
    second = _meeting(world, date(2026, 10, 16), "十月第二次联席会议")
    _item(world, second, "戊：第二次会议议定", date(2026, 10, 30))

    world.clock.set(local(date(2026, 10, 20), 9))
    with world.db.write() as s:
        meetings.complete_item(s, world.operator, done_between, date(2026, 10, 19))
        meetings.report_progress(s, world.operator, still_open, "完成六成")
        meetings.drop_item(s, world.operator, dropped, "并入专项行动")
    world.clock.set(local(date(2026, 10, 23), 14, 30))
    third = _meeting(world, date(2026, 10, 23), "十月第三次联席会议")
    world.clock.set(local(date(2026, 11, 2), 9))
    with world.db.write() as s:
        meetings.complete_item(s, world.operator, still_open, date(2026, 11, 2))

    with world.db.read() as s:
        at_second = meetings.meeting_detail(s, world.operator, second)
        # 甲 was done before the second meeting but after the first: read out once as done.
        assert [(i.task[0], i.status) for i in at_second.carried] == [
            ("甲", AgreedItemStatus.DONE),
            ("乙", AgreedItemStatus.OPEN),
            ("丙", AgreedItemStatus.OPEN),
            ("丁", AgreedItemStatus.OPEN),
        ]
        at_third = meetings.meeting_detail(s, world.operator, third)
        # As they stood on 23 October, although 丙 has been done since.
        assert [(i.task[0], i.status, i.progress) for i in at_third.carried] == [
            ("乙", AgreedItemStatus.DONE, "已完成"),
            ("丙", AgreedItemStatus.OPEN, "完成六成"),
            ("丁", AgreedItemStatus.DROPPED, "并入专项行动"),
            ("戊", AgreedItemStatus.OPEN, ""),
        ]
        assert at_third.carried[1].overdue_on(date(2026, 10, 23))
        assert [i.task[0] for i in meetings.meeting_detail(s, world.operator, first).carried] == []


def test_a_reopened_item_is_open_again(world: World) -> None:
    world.clock.set(local(date(2026, 10, 9), 15))
    meeting = _meeting(world, date(2026, 10, 9))
    item = _item(world, meeting, "渣土车夜查", date(2026, 10, 30))
    world.clock.advance(days=1)
    with world.db.write() as s:
        meetings.complete_item(s, world.operator, item, date(2026, 10, 10))
    with world.db.write() as s, pytest.raises(ValidationError, match="重新推进的理由"):
        meetings.reopen_item(s, world.leader, item, "")
    world.clock.advance(days=1)
    with world.db.write() as s:
        meetings.reopen_item(s, world.leader, item, "复查发现仍有渣土车未覆盖")
    world.clock.set(local(date(2026, 10, 9) + timedelta(days=30), 9))
    with world.db.read() as s:
        line = meetings.item_line(s, world.operator, item)
        assert line.status is AgreedItemStatus.OPEN and line.done_on is None
        assert [i.id for i in meetings.overdue_items(s, world.operator)] == [item]


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by .ci/run"
)
def test_minutes_print_the_carried_items_and_the_new_ones(world: World, tmp_path: Path) -> None:
    world.clock.set(local(date(2026, 10, 9), 15))
    first = _meeting(world, date(2026, 10, 9), "十月第一次联席会议")
    late = _item(world, first, "沿街跨门经营整治", date(2026, 10, 14))
    world.clock.set(local(date(2026, 10, 16), 16))
    second = _meeting(world, date(2026, 10, 16), "十月第二次联席会议")
    _item(world, second, "河道垃圾倾倒点位清理", date(2026, 10, 30))
    with world.db.write() as s:
        meetings.report_progress(
            s, world.operator, late, "已整改 30 家", at=local(date(2026, 10, 15), 17)
        )
    with world.db.read() as s:
        assert meetings.find_meeting(s, "2026-10-16") == second
        assert meetings.find_meeting(s, None) == second
        with pytest.raises(NotFound):
            meetings.find_meeting(s, "2026-10-10")
        pdf = minutes.print_minutes(s, world.operator, second, tmp_path / "minutes.pdf")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert "十月第二次联席会议纪要" in flat
    assert "王主任在街道三楼会议室主持召开十月第二次联席会议" in flat
    assert "前期议定事项1项，已完成0项，逾期未完成1项" in flat
    assert "逾期未完成。已整改30家" in flat
    assert "河道垃圾倾倒点位清理" in flat and "李所长" in flat


def test_cli_prints_minutes_by_date_or_the_latest(
    demo_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COMMANDCENTER_PASSWORD", DEMO_PASSWORD)
    url = demo_db.engine.url.render_as_string(hide_password=False)
    pdf = tmp_path / "minutes.pdf"
    start, options = ["--db", url, "print", "minutes"], ["-o", str(pdf), "--user", "operator"]
    assert main(start + options) == 0 and pdf.read_bytes().startswith(b"%PDF")
    held = (AS_OF - timedelta(days=7)).isoformat()  # the demo's latest meeting
    assert main([*start, held, *options]) == 0
    assert main([*start, "2026-13-01", *options]) == 2
    assert "不是日期" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by CI")
def test_attendees_chosen_from_the_roster_and_liaisons_are_listed_on_the_minutes(
    world: World, tmp_path: Path
) -> None:
    world.clock.set(local(date(2026, 10, 9), 15))
    with world.db.read() as s:
        offered = dict(
            (value, caption) for caption, value in meeting_attendees.choices(s, world.operator)
        )
    officer = world.officers[0]
    assert offered[officer].startswith("王强（执法中队）")
    assert offered[-world.liaison].endswith("，联络人）")
    with world.db.write() as s:
        form = meetings.MeetingForm(
            kind=MeetingKind.JOINT,
            title="十月联席会议",
            held_at=local(date(2026, 10, 9), 14, 30),
            attendees="街道办王主任，执法中队",  # typed, and one chosen again below
            attendee_ids=[officer, -world.liaison, officer],
        )
        meeting = meetings.save_meeting(s, world.operator, form)
        liaison_name = s.get_one(Liaison, world.liaison).name
        meeting_id, stored = meeting.id, meeting.attendees
    assert stored == f"街道办王主任、执法中队、王强（执法中队）、{liaison_name}（区市场监管局）"
    with world.db.read() as s:
        pdf = minutes.print_minutes(s, world.operator, meeting_id, tmp_path / "m.pdf")
    flat = "".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert f"参会人员（4）：{stored}" in flat
