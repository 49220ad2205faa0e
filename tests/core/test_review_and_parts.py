"""Legal review with an outcome, the 重大执法决定 mark at any stage, co-operating units' own
parts, and the separation rule, driven through the services with their refusal texts."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from sqlalchemy import select

from commandcenter.db.models import (
    AuditRecord,
    Incident,
    IncidentPart,
    IncidentStatus,
    LegalReview,
    LegalReviewOutcome,
    PartState,
    ReturnReason,
    ReturnRuling,
)
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.services.incidents import (
    detail,
    dispatch,
    followup,
    legal_review,
    parts,
    progress,
)
from commandcenter.services.incidents.workflow import Step
from tests.core.incident_world import World, local
from tests.core.test_incidents import status, team, triaged

FAILED, PASSED = LegalReviewOutcome.FAILED, LegalReviewOutcome.PASSED


def _reported(world: World, *, co: bool = False, officers: list[int] | None = None) -> int:
    """A dispatched, accepted and reported incident (not major)."""
    incident_id = triaged(world)
    with world.db.write() as s:
        form = team(world, officers=officers, co_unit_ids=[world.agency] if co else [])
        dispatch.dispatch(s, world.operator, incident_id, form)
        progress.accept(s, world.operator, incident_id, signed_by="王强")
        progress.report_back(s, world.operator, incident_id, result="已责令整改")
    return incident_id


def _mark(world: World, incident_id: int) -> None:
    with world.db.write() as s:
        legal_review.mark_major(s, world.leader, incident_id, reason="拟处较大数额罚款")


# --- legal review with an outcome ----------------------------------------------------------------


def test_a_failed_review_sends_the_case_back_for_correction_and_a_new_review(
    world: World,
) -> None:
    incident_id = _reported(world)
    _mark(world, incident_id)
    with pytest.raises(ValidationError, match="请填写需补正的事项"), world.db.write() as s:
        progress.legal_review(s, world.leader, incident_id, opinion="证据不足", outcome=FAILED)
    world.clock.set(local(date(2026, 10, 1), 9))
    with world.db.write() as s:
        progress.legal_review(
            s,
            world.leader,
            incident_id,
            opinion="证据不足",
            outcome=FAILED,
            corrections="补充现场检查笔录和当事人询问笔录",
        )
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.status is IncidentStatus.IN_PROGRESS
        assert incident.correction_requested_at == local(date(2026, 10, 1), 9)
        assert incident.reported_at is None  # the failed report is not the unit's report
        assert incident.legal_reviewed_at is None
        rows = legal_review.awaiting_correction(s, world.operator)
        assert [(r.incident_id, r.corrections, r.unit) for r in rows] == [
            (incident_id, "补充现场检查笔录和当事人询问笔录", "执法中队")
        ]
        shown = detail.load(s, world.leader, incident_id)
        assert shown.legal_review.startswith("不通过（")
        assert shown.legal_review.endswith("证据不足；需补正：补充现场检查笔录和当事人询问笔录")
        assert shown.correction_requested == "2026-10-01 09:00"
        assert Step.LEGAL_REVIEW not in shown.steps and Step.CLOSE not in shown.steps
    # The unit reports again: the 补正 is done and a new review is asked for.
    with world.db.write() as s:
        progress.report_back(s, world.operator, incident_id, result="已补充笔录")
    with world.db.read() as s:
        incident = s.get_one(Incident, incident_id)
        assert incident.status is IncidentStatus.REPORTED
        assert incident.correction_requested_at is None
        assert legal_review.awaiting_correction(s, world.operator) == []
        assert Step.LEGAL_REVIEW in detail.load(s, world.leader, incident_id).steps
    with pytest.raises(ValidationError, match="最近一次法制审核未通过"), world.db.write() as s:
        progress.close(s, world.leader2, incident_id, satisfaction=None)
    with world.db.write() as s:
        progress.legal_review(s, world.leader, incident_id, opinion="证据已补齐", outcome=PASSED)
        progress.close(s, world.leader2, incident_id, satisfaction=None)
    assert status(world, incident_id) is IncidentStatus.CLOSED
    with world.db.read() as s:
        outcomes = s.scalars(
            select(LegalReview.outcome).where(LegalReview.incident_id == incident_id)
        ).all()
        assert outcomes == [FAILED, PASSED]


def test_only_a_leader_closes_a_major_decision(world: World) -> None:
    incident_id = _reported(world)
    _mark(world, incident_id)
    with world.db.write() as s:
        progress.legal_review(s, world.leader, incident_id, opinion="合法", outcome=PASSED)
    with world.db.read() as s:
        assert Step.CLOSE not in detail.load(s, world.operator, incident_id).steps
        assert Step.CLOSE in detail.load(s, world.leader2, incident_id).steps
    refused = pytest.raises(PermissionDenied, match="值班员无权办结重大执法决定事件")
    with refused, world.db.write() as s:
        progress.close(s, world.operator, incident_id, satisfaction=None)
    with world.db.write() as s:
        progress.close(s, world.leader2, incident_id, satisfaction=None)


def test_a_leader_marks_a_case_major_after_dispatch_with_a_reason(world: World) -> None:
    incident_id = _reported(world)
    refused = pytest.raises(PermissionDenied, match="值班员无权标记重大执法决定")
    with refused, world.db.write() as s:
        legal_review.mark_major(s, world.operator, incident_id, reason="案情复杂")
    with pytest.raises(ValidationError, match="请填写标记理由"), world.db.write() as s:
        legal_review.mark_major(s, world.leader, incident_id, reason=" ")
    _mark(world, incident_id)
    with world.db.read() as s:
        assert s.get_one(Incident, incident_id).is_major
        record = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "incident.mark_major")
        ).one()
        assert "拟处较大数额罚款" in record.summary
        assert Step.MARK_MAJOR not in detail.load(s, world.leader, incident_id).steps
    with pytest.raises(ValidationError, match="已是重大执法决定"), world.db.write() as s:
        legal_review.mark_major(s, world.leader2, incident_id, reason="再标")
    # From now on the closing waits for a review, as for a case major from the start.
    with pytest.raises(ValidationError, match="须先经法制审核通过"), world.db.write() as s:
        progress.close(s, world.leader2, incident_id, satisfaction=None)


def test_a_case_marked_before_dispatch_needs_the_dispatch_approval(world: World) -> None:
    incident_id = triaged(world)
    _mark(world, incident_id)
    with world.db.write() as s:
        dispatch.dispatch(s, world.operator, incident_id, team(world))
    assert status(world, incident_id) is IncidentStatus.AWAITING_APPROVAL


def test_closed_cases_cannot_be_marked(world: World) -> None:
    incident_id = _reported(world)
    with world.db.write() as s:
        progress.close(s, world.operator2, incident_id, satisfaction=None)
    with (
        pytest.raises(ValidationError, match="当前为“已办结”，不能标记重大"),
        world.db.write() as s,
    ):
        legal_review.mark_major(s, world.leader, incident_id, reason="事后发现")


# --- 办、审、定三分离 -------------------------------------------------------------------------------


def test_whoever_was_on_site_cannot_approve_review_or_close(world: World) -> None:
    on_site = [world.officers[0], world.field_officer]
    incident_id = _reported(world, officers=on_site)
    _mark(world, incident_id)
    rule = "按“办、审、定三分离”不能"
    with pytest.raises(ValidationError, match=rule + "进行法制审核"), world.db.write() as s:
        progress.legal_review(s, world.field_leader, incident_id, opinion="合法")
    with world.db.write() as s:
        progress.legal_review(s, world.leader, incident_id, opinion="合法")
    with pytest.raises(ValidationError, match=rule + "审核办结"), world.db.write() as s:
        progress.close(s, world.field_leader, incident_id, satisfaction=None)
    # An extension on another case he was sent on.
    other = triaged(world)
    with world.db.write() as s:
        dispatch.dispatch(s, world.operator, other, team(world, officers=on_site))
        followup.request_extension(s, world.operator, other, working_days=2, reason="协调")
    with pytest.raises(ValidationError, match=rule + "审批延期"), world.db.write() as s:
        followup.decide_extension(s, world.field_leader, other, approved=True)


# --- co-operating units' parts ---------------------------------------------------------------


def test_every_part_is_reported_or_waived_before_the_incident_closes(world: World) -> None:
    incident_id = _reported(world, co=True)
    with world.db.read() as s:
        shown = detail.load(s, world.operator, incident_id)
        assert [(p.unit, p.state) for p in shown.parts] == [("梅山市场所", "待签收")]
        assert Step.PART_ACCEPT in shown.steps and Step.PART_REPORT not in shown.steps
    refused = pytest.raises(ValidationError, match="尚有协办单位未反馈：梅山市场所")
    with refused, world.db.write() as s:
        progress.close(s, world.operator2, incident_id, satisfaction=None)
    with pytest.raises(ValidationError, match="尚未签收其协办部分"), world.db.write() as s:
        parts.report_part(s, world.operator, incident_id, unit_id=world.agency, result="已检测")
    with pytest.raises(ValidationError, match="不是本事件派单的协办单位"), world.db.write() as s:
        parts.accept_part(s, world.operator, incident_id, unit_id=world.squad, signed_by="甲")
    with world.db.write() as s:
        parts.accept_part(s, world.operator, incident_id, unit_id=world.agency, signed_by="李协")
        parts.report_part(s, world.operator, incident_id, unit_id=world.agency, result="已检测")
    with world.db.read() as s:
        shown = detail.load(s, world.operator, incident_id)
        assert [(p.state, p.result, p.overdue) for p in shown.parts] == [
            ("已反馈", "已检测", False)
        ]
        assert shown.parts[0].line.startswith("梅山市场所：已反馈　2026-")
    with world.db.write() as s:
        progress.close(s, world.operator2, incident_id, satisfaction=None)
    assert status(world, incident_id) is IncidentStatus.CLOSED


def test_the_centre_waives_a_part_with_a_reason(world: World) -> None:
    incident_id = _reported(world, co=True)
    with pytest.raises(ValidationError, match="请填写免除理由"), world.db.write() as s:
        parts.waive_part(s, world.operator, incident_id, unit_id=world.agency, reason="")
    with world.db.write() as s:
        parts.waive_part(s, world.operator, incident_id, unit_id=world.agency, reason="无需检测")
    with world.db.read() as s:
        record = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "incident.part_waived")
        ).one()
        assert "免除协办单位 梅山市场所 的协办部分：无需检测" in record.summary
        (part,) = detail.load(s, world.operator, incident_id).parts
        assert part.state == PartState.WAIVED.label and part.waived.endswith("值班员甲：无需检测")
    with world.db.write() as s:
        progress.close(s, world.operator2, incident_id, satisfaction=None)


def test_a_redispatch_gives_fresh_parts_and_a_reassignment_clears_them(world: World) -> None:
    incident_id = triaged(world)
    with world.db.write() as s:
        dispatch.dispatch(s, world.operator, incident_id, team(world, co_unit_ids=[world.agency]))
        parts.accept_part(s, world.operator, incident_id, unit_id=world.agency, signed_by="李")
        progress.return_dispatch(
            s, world.operator, incident_id, reason=ReturnReason.WRONG_AREA, note=""
        )
        progress.rule_on_return(
            s,
            world.operator2,
            incident_id,
            ruling=ReturnRuling.REASSIGN,
            note="重新研判",
        )
        assert parts.open_parts(s, incident_id) == []
        dispatch.dispatch(s, world.operator, incident_id, team(world, co_unit_ids=[world.agency]))
        assert [p.state for p in parts.parts_of(s, s.get_one(Incident, incident_id))] == ["待签收"]


def test_the_dispatch_order_shows_each_part_as_it_stands(world: World) -> None:
    from commandcenter.documents import dispatch_order

    incident_id = _reported(world, co=True)
    with world.db.read() as s:
        order = dispatch_order.load(s, world.operator, incident_id)
    assert order.part_lines == ("梅山市场所：待签收",)
    world.clock.set(local(date(2026, 10, 2), 15))
    with world.db.write() as s:
        parts.waive_part(s, world.operator, incident_id, unit_id=world.agency, reason="无需检测")
    with world.db.read() as s:
        order = dispatch_order.load(s, world.operator, incident_id)
    assert order.part_lines == ("梅山市场所：已免除　2026-10-02 15:00 值班员甲：无需检测",)


def test_the_correction_list_holds_what_awaiting_correction_returns(world: World) -> None:
    from commandcenter.services.incidents.listings import AWAITING_CORRECTION

    incident_id = _reported(world)
    _mark(world, incident_id)
    with world.db.write() as s:
        progress.legal_review(
            s, world.leader, incident_id, opinion="程序瑕疵", outcome=FAILED, corrections="补告知"
        )
    with world.db.read() as s:
        rows = AWAITING_CORRECTION.fetch(s, world.operator)
        assert [row.id for row in rows] == [incident_id]


def test_the_migration_gives_parts_and_reviews_to_existing_incidents(world: World) -> None:
    """Before 0014 a co-operating unit shared the lead's acceptance and report, and a recorded
    review let the case close: its part follows the lead's times, its review is 通过."""
    from alembic import command

    from commandcenter.db.migrate import alembic_config

    migration = importlib.import_module(
        "commandcenter.db.migrations.versions.0014_review_outcomes_and_parts"
    )

    shared = _reported(world, co=True)
    waiting = triaged(world)
    with world.db.write() as s:
        dispatch.dispatch(s, world.operator, waiting, team(world, co_unit_ids=[world.agency]))
    major = _reported(world)
    _mark(world, major)
    with world.db.write() as s:
        progress.legal_review(s, world.leader, major, opinion="事实清楚，程序合法")
    with world.db.read() as s:
        lead = s.get_one(Incident, shared)
        accepted, reported = lead.accepted_at, lead.reported_at
        reviewed = s.get_one(Incident, major).legal_reviewed_at
    with world.db.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0010")
        command.upgrade(alembic_config(conn), "head")
    with world.db.read() as s:
        rows = {
            p.incident_id: (p.state, p.accepted_at, p.reported_at, p.result)
            for p in s.scalars(select(IncidentPart))
        }
        assert rows == {
            shared: (PartState.REPORTED, accepted, reported, migration.BACKFILLED_RESULT),
            waiting: (PartState.DISPATCHED, None, None, None),
        }
        (review,) = s.scalars(select(LegalReview)).all()
        assert (review.incident_id, review.outcome, review.opinion, review.reviewed_at) == (
            major,
            PASSED,
            "通过：事实清楚，程序合法",
            reviewed,
        )
        assert review.reviewed_by_id == world.leader.user_id
