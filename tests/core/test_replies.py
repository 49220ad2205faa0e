"""办结回复: templates filled from the incident, recorded with the closing, shown masked, and
exported in each source's layout, on the small street."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from commandcenter.db.models import (
    AuditRecord,
    Channel,
    Incident,
    IncidentReply,
    IncidentStatus,
    ReplyChannel,
    ReplyOutcome,
)
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.exchange.reply_export import export_replies
from commandcenter.services.incidents import dispatch, intake, progress, replies, triage
from tests.core.incident_world import World, local


def reported(w: World, ref: str | None = "12345-202600000001", **kw: object) -> int:
    form = intake.IncidentForm(
        channel=kw.pop("channel", Channel.HOTLINE_12345),  # type: ignore[arg-type]
        channel_ref=ref or "",
        title=str(kw.pop("title", "梅山大道1号门口占道经营")),
        address="梅山大道1号",
        grid_id=w.grid,
        reporter_name="张三",
        reporter_phone="13912345678",
    )
    with w.db.write() as s:
        incident_id = intake.register(s, w.operator, form).id
        triage.triage(s, w.operator, incident_id, triage.TriageForm(item_id=w.items["empowered"]))
        dispatch.dispatch(
            s,
            w.operator,
            incident_id,
            dispatch.DispatchForm(lead_unit_id=w.squad, officer_ids=w.officers[:2]),
        )
        progress.accept(s, w.operator, incident_id, signed_by="王强")
        progress.report_back(s, w.operator, incident_id, result="已劝离摊贩，现场恢复通行。")
    return incident_id


def reply_form(text: str = "您好，已处理。", **kw: object) -> replies.ReplyForm:
    return replies.ReplyForm(
        channel=kw.pop("channel", ReplyChannel.PHONE),  # type: ignore[arg-type]
        outcome=kw.pop("outcome", ReplyOutcome.RESOLVED),  # type: ignore[arg-type]
        text=text,
        **kw,  # type: ignore[arg-type]
    )


def test_templates_are_filled_from_the_incident(world: World) -> None:
    incident_id = reported(world)
    with world.db.read() as s:
        draft = replies.draft(s, world.operator, incident_id)
    assert draft.needed and draft.channel is ReplyChannel.PLATFORM
    assert [name for _id, name, _text in draft.texts] == ["已解决", "解释说明"]
    assert draft.texts[0][2] == (
        "您好！您反映的“梅山大道1号门口占道经营”（工单号 12345-202600000001）已由"
        "梅山街道综合行政执法中队办理完毕。办理结果：已劝离摊贩，现场恢复通行。"
        "感谢您对街道工作的关心和支持。梅山街道综合行政执法指挥中心，2026年9月30日。"
    )


def test_a_work_order_does_not_close_without_its_reply(world: World) -> None:
    incident_id = reported(world)
    with pytest.raises(ValidationError, match="须填写办结回复"), world.db.write() as s:
        replies.close_with_reply(s, world.operator2, incident_id, satisfaction=5)
    with world.db.read() as s:  # the closing went back with the refusal
        assert s.get_one(Incident, incident_id).status is IncidentStatus.REPORTED
    with pytest.raises(ValidationError, match="未替换的 \\{办理结果\\}"), world.db.write() as s:
        replies.close_with_reply(
            s,
            world.operator2,
            incident_id,
            satisfaction=5,
            reply=reply_form("您反映的问题{办理结果}"),
        )
    with pytest.raises(ValidationError, match="请选择回复方式"), world.db.write() as s:
        replies.close_with_reply(
            s, world.operator2, incident_id, satisfaction=5, reply=reply_form(channel=None)
        )


def test_the_reply_is_recorded_with_the_closing_and_shown_masked(world: World) -> None:
    incident_id = reported(world)
    world.clock.advance(hours=2)
    with world.db.write() as s:
        template_id = replies.templates(s, world.operator)[0].id
        replies.close_with_reply(
            s,
            world.operator2,
            incident_id,
            satisfaction=4,
            reply=reply_form(
                "您好，摊贩已劝离。", channel=ReplyChannel.SMS, template_id=template_id
            ),
        )
    with world.db.read() as s:
        stored = s.scalars(select(IncidentReply)).one()
        assert (
            stored.replied_at == world.clock() and stored.replied_by_id == world.operator2.user_id
        )
        assert stored.template_id == template_id
        incident = s.get_one(Incident, incident_id)
        assert incident.events[-1].note == "办结回复（短信回复，已解决）：您好，摊贩已劝离。"
        seen = replies.latest(s, world.operator, incident_id)
        assert seen is not None and seen.reporter == "张* 139****5678"
        full = replies.latest(s, world.leader, incident_id)
        assert full is not None and full.reporter == "张三 13912345678"
        assert (seen.channel, seen.outcome, seen.satisfaction) == ("短信回复", "已解决", 4)
        actions = list(s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))
        assert actions[-2:] == ["incident.closed", "incident.note"]


def test_a_reopened_incident_has_no_reply_until_it_closes_again(world: World) -> None:
    incident_id = reported(world)
    with world.db.write() as s:
        replies.close_with_reply(
            s, world.operator2, incident_id, satisfaction=2, reply=reply_form("第一次答复")
        )
    with world.db.write() as s:
        progress.reopen(s, world.operator2, incident_id, reason="回访不满意")
        assert replies.latest(s, world.operator, incident_id) is None
        with pytest.raises(ValidationError, match="尚未记录办结回复"):
            replies.for_paper(s, world.operator, incident_id)
        progress.report_back(s, world.operator, incident_id, result="已再次清理")
    world.clock.advance(hours=1)
    with world.db.write() as s:
        replies.close_with_reply(
            s, world.operator2, incident_id, satisfaction=5, reply=reply_form("第二次答复")
        )
    with world.db.read() as s:
        latest = replies.latest(s, world.operator, incident_id)
        assert latest is not None and latest.text == "第二次答复"


def test_an_incident_from_another_channel_may_close_without_a_reply(world: World) -> None:
    incident_id = reported(world, ref=None, channel=Channel.GRID_PATROL)
    with world.db.write() as s:
        replies.close_with_reply(s, world.operator2, incident_id, satisfaction=None)
    with world.db.read() as s:
        assert s.get_one(Incident, incident_id).status is IncidentStatus.CLOSED
        assert replies.latest(s, world.operator, incident_id) is None


def test_templates_are_kept_in_settings_by_the_administrator(world: World, admin: object) -> None:
    form = replies.TemplateForm(name="转办说明", text="您反映的“{事项}”已转{承办单位}办理。")
    with pytest.raises(PermissionDenied), world.db.write() as s:
        replies.save_template(s, world.operator, form)
    with world.db.write() as s:
        template = replies.save_template(s, admin, form)  # type: ignore[arg-type]
        template_id = template.id
    with (
        pytest.raises(ValidationError, match="\\{处理人\\} 不是可用的占位符"),
        world.db.write() as s,
    ):
        replies.save_template(
            s,
            admin,  # type: ignore[arg-type]
            replies.TemplateForm(name="错的", text="{处理人}已处理"),
        )
    with pytest.raises(ValidationError, match="已有名为“已解决”"), world.db.write() as s:
        replies.save_template(
            s,
            admin,
            replies.TemplateForm(name="已解决", text="x"),
            template_id,  # type: ignore[arg-type]
        )
    with world.db.read() as s:
        names = [t.name for t in replies.templates(s, world.operator)]
        assert names[-1] == "转办说明"
        action = s.scalar(select(AuditRecord.action).order_by(AuditRecord.id.desc()).limit(1))
        assert action == "reply_template.create"


def test_replies_go_back_in_each_sources_layout(world: World, tmp_path: Path) -> None:
    day = date(2026, 9, 30)
    world.clock.set(local(day, 9))
    first = reported(world, ref="12345-A")
    second = reported(world, ref="P-7", channel=Channel.PLATFORM, title="七星路油烟扰民")
    patrol = reported(world, ref=None, channel=Channel.GRID_PATROL)
    world.clock.set(local(day, 15, 30))
    with world.db.write() as s:
        for incident_id, satisfaction in ((first, 5), (second, None), (patrol, None)):
            replies.close_with_reply(
                s,
                world.operator2,
                incident_id,
                satisfaction=satisfaction,
                reply=reply_form(f"=答复{incident_id}", outcome=ReplyOutcome.PARTLY),
            )
    later = reported(world, ref="12345-B")
    world.clock.set(local(day + timedelta(days=1), 10))
    with world.db.write() as s:
        replies.close_with_reply(
            s, world.operator2, later, satisfaction=3, reply=reply_form("次日答复")
        )
    with world.db.read() as s:
        path = tmp_path / "12345.xlsx"
        assert export_replies(s, world.operator, Channel.HOTLINE_12345, day, day, path) == 1
        ws = load_workbook(path).active
        assert ws is not None
        rows = [list(r) for r in ws.iter_rows(values_only=True) if any(r)]
        assert rows[0][:3] == ["工单编号", "办理结果", "答复内容"]
        assert rows[1] == [
            "12345-A",
            "部分解决",
            f"=答复{first}",  # kept as text, not a formula
            "电话回复",
            "2026-09-30 15:30:00",
            "2026-09-30 09:00:00",
            "2026-09-30 15:30:00",
            "梅山街道综合行政执法中队",
            "非常满意",
        ]
        assert len(rows) == 2
        both_days = tmp_path / "both.xlsx"
        assert (
            export_replies(
                s, world.operator, Channel.HOTLINE_12345, day, day + timedelta(days=1), both_days
            )
            == 2
        )
        platform = tmp_path / "sipingtai.csv"
        assert export_replies(s, world.operator, Channel.PLATFORM, day, day, platform) == 1
    raw = platform.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert table[0][:3] == ["事件编号", "处置结果", "处置情况说明"]
    assert table[1][0] == "P-7" and table[1][2] == f"'=答复{second}"
    assert table[1][-1] == "未回访"


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is installed by .ci/run"
)
def test_the_reply_slip_prints_by_either_number(world: World, tmp_path: Path) -> None:
    from commandcenter.documents import papers

    incident_id = reported(world)
    with world.db.write() as s:
        replies.close_with_reply(
            s, world.operator2, incident_id, satisfaction=5, reply=reply_form("您好，摊贩已劝离。")
        )
        number = s.get_one(Incident, incident_id).number
    for key in (number, "12345-202600000001"):
        path = tmp_path / f"{key}.pdf"
        with world.db.read() as s:
            papers.BY_NUMBER[papers.REPLY_SLIP](s, world.operator, key, path)
        text = "".join(
            subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout.split()
        )
        assert "办结回复单" in text and "您好，摊贩已劝离。" in text
        assert "张*139****5678" in text and "13912345678" not in text  # masked for an operator
        assert "5分非常满意" in text and "电话回复" in text
