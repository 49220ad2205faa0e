"""Follow-ups with a deadline and an end, called as services: supervision papers answered and
closed, 约谈, transfer results and late receipts, decisions on referrals, the 工作台's waiting
lists and the agency indicator. Dates are counted by hand on the 2026 calendar: the world
starts on Wednesday 30 September at 10:00; 1–7 October are the National Day holiday and
Saturday 10 October is a make-up working day."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from commandcenter.db.models import (
    AuditRecord,
    Incident,
    IncidentStatus,
    LegalReviewOutcome,
    ReturnReason,
    Route,
    Supervision,
    SupervisionKind,
    Transfer,
    TransferResult,
)
from commandcenter.documents import papers
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.services.actor import Actor
from commandcenter.services.assessment.followup_metrics import LATE_FOLLOW_UPS
from commandcenter.services.followups import (
    escalations,
    interviews,
    supervision,
    transfer_results,
    waiting,
)
from commandcenter.services.followups.listings import (
    INTERVIEW_WAITING,
    RECEIPT_LATE,
    SUPERVISION_WAITING,
    SUPERVISIONS,
)
from commandcenter.services.incidents import dispatch, followup, intake, progress, triage
from commandcenter.services.statistics import Period
from tests.core.incident_world import World, local
from tests.core.test_incident_papers import _render, needs_poppler

OCT_10_CLOSE = local(date(2026, 10, 10), 17, 30)  # 3 working days after 30 September
OCT_13_CLOSE = local(date(2026, 10, 13), 17, 30)  # 5 working days after 30 September


def register(w: World, title: str = "梅山大道占道经营") -> int:
    form = intake.IncidentForm(
        channel=intake.Channel.HOTLINE_12345,
        title=title,
        address="梅山大道1号",
        grid_id=w.grid,
        reporter_name="张三",
        reporter_phone="13912345678",
    )
    with w.db.write() as s:
        return intake.register(s, w.operator, form).id


def triaged(w: World, list_type: str | None = "empowered") -> int:
    incident_id = register(w)
    item = w.items[list_type] if list_type else None
    with w.db.write() as s:
        triage.triage(s, w.operator, incident_id, triage.TriageForm(item_id=item))
    return incident_id


def dispatched(w: World) -> int:
    incident_id = triaged(w)
    with w.db.write() as s:
        dispatch.dispatch(
            s,
            w.operator,
            incident_id,
            dispatch.DispatchForm(lead_unit_id=w.squad, officer_ids=w.officers[:2]),
        )
    return incident_id


def count(w: World, listing: object, actor: Actor | None = None) -> int:
    with w.db.read() as s:
        return listing.count(s, actor or w.operator)  # type: ignore[attr-defined, no-any-return]


def ids(w: World, listing: object) -> list[int]:
    with w.db.read() as s:
        return [r.id for r in listing.fetch(s, w.operator)]  # type: ignore[attr-defined]


def unit_paper(w: World, **kw: object) -> int:
    form = supervision.UnitSupervisionForm(
        unit_id=kw.pop("unit_id", w.agency),  # type: ignore[arg-type]
        kind=SupervisionKind.NOTICE,
        content="你所近期对夜市摊点的巡查频次不足，请加强并书面回复整改措施。",
        **kw,  # type: ignore[arg-type]
    )
    with w.db.write() as s:
        return supervision.supervise_unit(s, w.operator, form).id


# --- supervision papers -------------------------------------------------------------------


def test_a_paper_about_a_units_conduct_is_numbered_and_due_in_working_days(world: World) -> None:
    paper = unit_paper(world)
    with world.db.read() as s:
        entry = s.get_one(Supervision, paper)
        assert entry.incident_id is None
        assert entry.doc_number == "梅执示〔2026〕1号"
        assert entry.reply_due_on == OCT_13_CLOSE  # 8, 9, 10 (make-up), 12, 13 October
        logged = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "supervision.issue")
        ).one()
        assert logged.entity_id == paper and "2026年10月13日前书面回复" in logged.summary


def test_a_paper_goes_to_a_unit_that_does_the_work(world: World) -> None:
    with pytest.raises(ValidationError, match="请选择督办对象单位"), world.db.write() as s:
        supervision.supervise_unit(s, world.operator, supervision.UnitSupervisionForm())
    with pytest.raises(ValidationError, match="回复期限应为 1 到 30"):
        unit_paper(world, reply_days=0)
    with pytest.raises(ValidationError, match="请填写督办内容"), world.db.write() as s:
        supervision.supervise_unit(
            s, world.operator, supervision.UnitSupervisionForm(unit_id=world.agency)
        )


def test_an_incident_paper_prints_its_reply_by_day(world: World) -> None:
    incident_id = dispatched(world)
    with world.db.write() as s:
        entry = followup.supervise(
            s,
            world.leader,
            incident_id,
            unit_id=world.squad,
            kind=SupervisionKind.LETTER,
            content="请于3日内办结",
        )
        assert entry.reply_due_on == OCT_10_CLOSE


def test_reply_then_close(world: World, tmp_path: Path) -> None:
    paper = unit_paper(world)
    assert ids(world, SUPERVISION_WAITING) == [paper]
    with (
        pytest.raises(ValidationError, match="尚未书面回复 梅执示〔2026〕1号"),
        world.db.write() as s,
    ):
        supervision.close_supervision(s, world.operator, paper, "")
    world.clock.set(local(date(2026, 10, 12), 9))
    reply = supervision.ReplyForm(replied_on=date(2026, 10, 13), summary="已增加巡查频次")
    with pytest.raises(ValidationError, match="回复日期不能晚于今天"), world.db.write() as s:
        supervision.record_reply(s, world.operator, paper, reply)
    reply.replied_on = date(2026, 9, 29)
    with (
        pytest.raises(ValidationError, match="回复日期不能早于 2026年9月30日"),
        world.db.write() as s,
    ):
        supervision.record_reply(s, world.operator, paper, reply)
    source = tmp_path / "回复函.pdf"
    source.write_bytes(b"%PDF reply")
    reply.replied_on, reply.attachment = date(2026, 10, 12), source
    store = tmp_path / "attachments"
    with world.db.write() as s:
        supervision.record_reply(s, world.operator, paper, reply, store)
    with world.db.read() as s:
        entry = s.get_one(Supervision, paper)
        assert entry.reply_attachment_name == "回复函.pdf"
        assert entry.reply_attachment is not None
        assert (store / entry.reply_attachment).read_bytes() == b"%PDF reply"
        assert supervision.state_of(entry, world.clock()).label == "已回复待办结"
    assert ids(world, SUPERVISION_WAITING) == []
    with world.db.write() as s:
        supervision.close_supervision(s, world.leader, paper, "整改到位")
    with pytest.raises(ValidationError, match="已办结，不能再登记回复"), world.db.write() as s:
        supervision.record_reply(s, world.operator, paper, reply)
    with world.db.read() as s:
        actions = s.scalars(
            select(AuditRecord.action).where(AuditRecord.entity_type == "supervision")
        ).all()
    assert actions == ["supervision.issue", "supervision.reply", "supervision.close"]


def test_an_unanswered_paper_is_overdue_after_its_day(world: World) -> None:
    paper = unit_paper(world)
    world.clock.set(OCT_13_CLOSE - timedelta(minutes=1))
    with world.db.read() as s:
        rows = SUPERVISION_WAITING.fetch(s, world.operator)
        assert [r.flag for r in rows] == [None]
        assert rows[0].values[7] == "待回复"
    world.clock.set(OCT_13_CLOSE + timedelta(minutes=1))
    with world.db.read() as s:
        rows = SUPERVISION_WAITING.fetch(s, world.operator)
        assert [r.flag for r in rows] == ["overdue"]
        assert rows[0].values[7] == "逾期未回复"
        assert SUPERVISIONS.option_counts(s, world.operator, "state") == {"overdue": 1}
    assert ids(world, SUPERVISION_WAITING) == [paper]


# --- 约谈 -----------------------------------------------------------------------------------


def interview_form(w: World) -> interviews.InterviewForm:
    return interviews.InterviewForm(
        unit_id=w.agency,
        person_name="林所长",
        person_title="所长",
        conducted_by="街道党工委副书记 张主任",
        reason="督办函逾期未回复，夜市占道问题反复",
        scheduled_at=local(date(2026, 10, 9), 15),
        place="街道三楼会议室",
    )


def test_an_interview_is_scheduled_held_followed_up_and_closed(world: World) -> None:
    with world.db.write() as s:
        entry = interviews.schedule(s, world.operator, interview_form(world))
        interview = entry.id
        assert entry.doc_number == "梅执约〔2026〕1号"
    with pytest.raises(ValidationError, match="请先登记约谈情况"), world.db.write() as s:
        interviews.close(s, world.operator, interview, "已核查")
    assert count(world, INTERVIEW_WAITING) == 0
    world.clock.set(local(date(2026, 10, 9), 16))  # the time passed, nothing recorded
    assert ids(world, INTERVIEW_WAITING) == [interview]
    outcome = interviews.InterviewOutcome(
        held_on=date(2026, 10, 9), commitments="一周内完成整改", follow_up_on=date(2026, 10, 8)
    )
    with pytest.raises(ValidationError, match="不能早于约谈日期"), world.db.write() as s:
        interviews.record_outcome(s, world.operator, interview, outcome)
    outcome.follow_up_on = date(2026, 10, 16)
    with world.db.write() as s:
        interviews.record_outcome(s, world.operator, interview, outcome)
    assert count(world, INTERVIEW_WAITING) == 0  # waiting for the check day
    world.clock.set(local(date(2026, 10, 16), 9))
    assert ids(world, INTERVIEW_WAITING) == [interview]  # the check day has come
    world.clock.set(local(date(2026, 10, 17), 9))
    with world.db.read() as s:
        assert [r.flag for r in INTERVIEW_WAITING.fetch(s, world.operator)] == ["overdue"]
    with pytest.raises(ValidationError, match="请填写跟进核查情况"), world.db.write() as s:
        interviews.close(s, world.operator, interview, " ")
    with world.db.write() as s:
        interviews.close(s, world.operator, interview, "复查摊点已清理")
    assert count(world, INTERVIEW_WAITING) == 0


def test_an_interview_is_in_the_future_and_names_whom(world: World) -> None:
    form = interview_form(world)
    form.scheduled_at = local(date(2026, 9, 29), 15)
    with pytest.raises(ValidationError, match="约谈时间应晚于现在"), world.db.write() as s:
        interviews.schedule(s, world.operator, form)
    form = interview_form(world)
    form.person_name = ""
    with pytest.raises(ValidationError, match="请填写被约谈人姓名"), world.db.write() as s:
        interviews.schedule(s, world.operator, form)


# --- transfers ------------------------------------------------------------------------------


def transferred(w: World) -> int:
    incident_id = triaged(w, "department")
    with w.db.write() as s:
        followup.transfer(s, w.operator, incident_id, department_id=None, facts="涉嫌无照经营")
    return incident_id


def test_a_late_receipt_is_listed_after_the_configured_working_days(
    world: World, admin: Actor
) -> None:
    incident_id = transferred(world)
    with world.db.read() as s:
        letter = s.scalars(select(Transfer)).one()
        assert letter.receipt_due_at == OCT_13_CLOSE  # five working days by default
    world.clock.set(local(date(2026, 10, 12), 9))
    assert count(world, RECEIPT_LATE) == 0
    with world.db.write() as s:
        assert transfer_results.set_receipt_days(s, admin, 3) == 1
    assert ids(world, RECEIPT_LATE) == [incident_id]  # due 10 October now
    with world.db.read() as s:
        assert s.scalars(select(Transfer)).one().receipt_due_at == OCT_10_CLOSE
    with pytest.raises(ValidationError, match="1 到 30 个工作日"), world.db.write() as s:
        transfer_results.set_receipt_days(s, admin, 0)
    with pytest.raises(PermissionDenied), world.db.write() as s:
        transfer_results.set_receipt_days(s, world.operator, 4)
    with world.db.write() as s:
        followup.record_transfer_receipt(s, world.operator, incident_id, received_by="林联")
    assert count(world, RECEIPT_LATE) == 0


def test_the_departments_result_needs_the_receipt_first(world: World) -> None:
    incident_id = transferred(world)
    form = transfer_results.TransferResultForm(
        result=TransferResult.FILED, result_on=date(2026, 9, 30), decision="已立案调查"
    )
    with pytest.raises(ValidationError, match="尚未登记回执"), world.db.write() as s:
        transfer_results.record_result(s, world.operator, incident_id, form)
    with world.db.write() as s:
        followup.record_transfer_receipt(s, world.operator, incident_id, received_by="林联")
        transfer_results.record_result(s, world.operator, incident_id, form)
    with world.db.read() as s:
        letter = s.scalars(select(Transfer)).one()
        assert (letter.result, letter.result_on) == (TransferResult.FILED, date(2026, 9, 30))
        incident = s.get_one(Incident, incident_id)
        assert "处理结果：已立案查处；已立案调查" in (incident.events[-1].note or "")
        assert (
            s.scalar(select(AuditRecord.summary).where(AuditRecord.action == "transfer.result"))
            == f"事件 {incident.number} 移送结果：已立案查处"
        )


# --- decisions on referrals -----------------------------------------------------------------


def test_a_decision_upward_makes_a_department_responsible_by_transfer(world: World) -> None:
    incident_id = triaged(world, None)
    assert ids(world, waiting.REFERRED_WAITING) == [incident_id]
    form = escalations.EscalationForm(
        authority="区人民政府",
        decided_on=date(2026, 9, 30),
        decision="由区市场监管局牵头查处",
        responsible_unit_id=world.department,
    )
    with world.db.write() as s:
        escalations.record_decision(s, world.operator, incident_id, form)
    assert count(world, waiting.REFERRED_WAITING) == 0
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.status is IncidentStatus.TRIAGED
        assert (incident.route, incident.lead_unit_id) == (Route.TRANSFER, world.department)
        # five working days (the default for no item) from the receipt
        assert incident.deadline_at == OCT_13_CLOSE
        assert "区人民政府2026年9月30日决定" in (incident.events[-1].note or "")
    with world.db.write() as s:
        letter = followup.transfer(s, world.operator, incident_id, department_id=None, facts="x")
        assert letter.department_id == world.department
    with pytest.raises(ValidationError, match="不能登记上级决定"), world.db.write() as s:
        escalations.record_decision(s, world.operator, incident_id, form)


def test_a_unit_in_the_street_made_responsible_is_dispatched_to(world: World) -> None:
    incident_id = triaged(world, None)
    form = escalations.EscalationForm(
        decided_on=date(2026, 9, 30), decision="由梅山市场所办理", responsible_unit_id=world.agency
    )
    with world.db.write() as s:
        escalations.record_decision(s, world.operator, incident_id, form)
        assert dispatch.proposal(s, world.operator, incident_id).lead_unit_id == world.agency
        assert s.get_one(Incident, incident_id).route is Route.SQUAD
    form.decided_on = date(2026, 10, 1)
    with pytest.raises(ValidationError, match="不能登记上级决定"), world.db.write() as s:
        escalations.record_decision(s, world.operator, incident_id, form)


def test_a_decision_names_its_authority_and_unit(world: World) -> None:
    incident_id = triaged(world, None)
    form = escalations.EscalationForm(authority=" ", decided_on=date(2026, 9, 30), decision="x")
    with pytest.raises(ValidationError, match="作出决定的机关"), world.db.write() as s:
        escalations.record_decision(s, world.operator, incident_id, form)
    form.authority = "区人民政府"
    with pytest.raises(ValidationError, match="请选择确定的责任单位"), world.db.write() as s:
        escalations.record_decision(s, world.operator, incident_id, form)


# --- the 工作台's other lists ---------------------------------------------------------------


def test_acceptance_is_late_after_four_working_hours(world: World) -> None:
    incident_id = dispatched(world)  # at 10:00: 10:00–12:00 and 13:30–15:30 are the four hours
    world.clock.set(local(date(2026, 9, 30), 15, 29))
    assert count(world, waiting.ACCEPT_OVERDUE) == 0
    world.clock.set(local(date(2026, 9, 30), 15, 31))
    assert ids(world, waiting.ACCEPT_OVERDUE) == [incident_id]
    with world.db.write() as s:
        progress.accept(s, world.operator, incident_id, signed_by="王强")
    assert count(world, waiting.ACCEPT_OVERDUE) == 0


def test_late_acceptances_are_the_earliest_dispatched_and_ties_go_together(world: World) -> None:
    dispatched_at = {}
    for hour, minute in ((10, 0), (12, 10), (13, 0), (16, 0)):
        world.clock.set(local(date(2026, 9, 30), hour, minute))
        dispatched_at[(hour, minute)] = dispatched(world)
    # 10:00 is due at 15:30; 12:10 and 13:00 start counting after lunch, at 13:30, and are both
    # due at 17:30; 16:00 runs into the next working day.
    world.clock.set(local(date(2026, 9, 30), 17, 29))
    assert ids(world, waiting.ACCEPT_OVERDUE) == [dispatched_at[(10, 0)]]
    world.clock.set(local(date(2026, 9, 30), 17, 31))
    late = [dispatched_at[(10, 0)], dispatched_at[(12, 10)], dispatched_at[(13, 0)]]
    assert sorted(ids(world, waiting.ACCEPT_OVERDUE)) == sorted(late)
    assert count(world, waiting.ACCEPT_OVERDUE) == 3


def test_returns_wait_for_a_ruling(world: World) -> None:
    incident_id = dispatched(world)
    with world.db.write() as s:
        progress.return_dispatch(
            s, world.operator, incident_id, reason=ReturnReason.WRONG_AREA, note="不在辖区"
        )
    assert ids(world, waiting.RETURNED_WAITING) == [incident_id]


def test_a_major_case_failing_its_review_waits_for_correction(world: World) -> None:
    incident_id = register(world)
    with world.db.write() as s:
        triage.triage(
            s,
            world.leader,
            incident_id,
            triage.TriageForm(item_id=world.items["empowered"], is_major=True),
        )
        dispatch.dispatch(
            s,
            world.leader,
            incident_id,
            dispatch.DispatchForm(lead_unit_id=world.squad, officer_ids=world.officers[:2]),
        )
        dispatch.approve(s, world.leader2, incident_id, approved=True)
        progress.accept(s, world.operator, incident_id, signed_by="王强")
        progress.report_back(s, world.operator, incident_id, result="已处置")
    assert count(world, waiting.REVIEW_CORRECTION) == 0
    with world.db.write() as s:
        progress.legal_review(
            s,
            world.leader2,
            incident_id,
            opinion="证据不足",
            outcome=LegalReviewOutcome.FAILED,
            corrections="补充询问笔录",
        )
    assert ids(world, waiting.REVIEW_CORRECTION) == [incident_id]
    with world.db.write() as s:
        progress.report_back(s, world.operator, incident_id, result="已补充笔录")
    assert count(world, waiting.REVIEW_CORRECTION) == 0


def test_the_cards_count_what_the_lists_hold(world: World) -> None:
    unit_paper(world)
    triaged(world, None)
    with world.db.read() as s:
        figures = waiting.counts(s, world.operator)
    assert figures == {
        "returned_waiting": 0,
        "accept_overdue": 0,
        "receipt_late": 0,
        "supervision_waiting": 1,
        "interview_waiting": 0,
        "referred_waiting": 1,
        "awaiting_correction": 0,
    }


# --- the agency indicator -------------------------------------------------------------------


def test_late_and_unanswered_follow_ups_count_against_the_agency(world: World) -> None:
    on_time, late, unanswered, not_yet_due = (unit_paper(world) for _ in range(4))
    incident_id = transferred(world)
    with world.db.write() as s:
        letter = s.scalars(select(Transfer)).one()
        letter.department_id = world.agency  # sent to the agency; its receipt never came
        for paper, due in ((not_yet_due, local(date(2026, 11, 20), 17, 30)),):
            s.get_one(Supervision, paper).reply_due_on = due
    world.clock.set(local(date(2026, 10, 13), 9))
    with world.db.write() as s:
        supervision.record_reply(
            s,
            world.operator,
            on_time,
            supervision.ReplyForm(replied_on=date(2026, 10, 13), summary="已整改"),
        )
    world.clock.set(local(date(2026, 10, 20), 9))
    with world.db.write() as s:
        supervision.record_reply(
            s,
            world.operator,
            late,
            supervision.ReplyForm(replied_on=date(2026, 10, 14), summary="已整改"),
        )
    period = Period(date(2026, 10, 1), date(2026, 10, 31), "2026年10月")
    with world.db.read() as s:
        values = LATE_FOLLOW_UPS.compute(s, period, world.clock(), [world.agency, world.squad])
        sources = LATE_FOLLOW_UPS.sources(s, period, world.clock(), world.agency)
    # late (replied the day after 13 October), unanswered, and the transfer's receipt; the
    # on-time reply (on the day) and the paper due in November do not count
    assert values == {world.agency: 3.0, world.squad: 0.0}
    assert [row[3] for row in sources.rows] == ["2026-10-14", "未回复", "未回执"]
    assert sources.incident_numbers[-1] is not None
    del unanswered, incident_id


# --- papers ---------------------------------------------------------------------------------


@needs_poppler
def test_a_unit_paper_and_an_interview_notice_print(world: World, tmp_path: Path) -> None:
    unit_paper(world)
    sheet = _render(world, papers.SUPERVISION, "梅执示〔2026〕1号", tmp_path / "s.pdf")
    assert "工作提示单" in sheet and "区市场监管局梅山所：" in sheet
    assert "现就你单位的下列工作作如下提示" in sheet and "事件编号" not in sheet
    assert "请于2026年10月13日前书面回复指挥中心" in sheet
    assert "联系人：值班员甲" in sheet and "首问负责人" not in sheet
    with world.db.write() as s:
        interviews.schedule(s, world.operator, interview_form(world))
    notice = _render(world, papers.INTERVIEW_NOTICE, "梅执约〔2026〕1号", tmp_path / "i.pdf")
    for words in (
        "约谈提醒书",
        "区市场监管局梅山所：",
        "2026年10月9日15时00分",
        "街道三楼会议室",
        "林所长（所长）",
        "街道党工委副书记张主任",
    ):
        assert words in notice, words
