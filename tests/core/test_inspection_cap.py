"""不得重复检查 for targets chosen by hand: the yearly cap the draw keeps, a leader's override
with its reason kept, audited, shown and printed."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from commandcenter.db.models import (
    AuditRecord,
    CreditGrade,
    InspectionResult,
    Plan,
    PlanStatus,
    PlanTarget,
    PlanTheme,
)
from commandcenter.errors import PermissionDenied
from commandcenter.services import draws, inspection_cap, plans
from tests.core.incident_world import World, local
from tests.core.test_draws import make_plan
from tests.core.test_plans import plan_form

REASON = "群众反复投诉，需再次检查"


def capped_world(world: World) -> tuple[int, int, int, int]:
    """A campaign plan and three entities: inspected twice this year (the cap), once plus a
    cancelled plan, and never."""
    from tests.core.test_draws import make_entities

    twice, once, fresh = make_entities(world, [CreditGrade.RED] * 3)
    make_plan(world, targets=[twice, once], planned_on=date(2026, 3, 1))
    make_plan(world, targets=[twice], planned_on=date(2026, 5, 1))
    cancelled = make_plan(world, targets=[once], planned_on=date(2026, 6, 1))
    make_plan(world, targets=[twice, once], planned_on=date(2025, 6, 1))  # last year
    with world.db.write() as s:
        s.get_one(Plan, cancelled).status = PlanStatus.CANCELLED
        form = plan_form(world, theme=PlanTheme.CAMPAIGN)
        form.department_ids = [world.department, world.agency]
        plan_id = plans.create_plan(s, world.operator, form).id
        draws.draw_inspectors(s, world.operator, plan_id, teams=1)
    return plan_id, twice, once, fresh


def test_the_draw_and_the_hand_count_alike(world: World) -> None:
    plan_id, twice, once, _fresh = capped_world(world)
    with world.db.read() as s:
        day = s.get_one(Plan, plan_id).planned_on
        counts = inspection_cap.inspections_in_year(s, day, excluding_plan=plan_id)
        assert inspection_cap.yearly_cap(s) == 2
    assert counts == {twice: 2, once: 1}  # cancelled and last year's plans do not count
    with world.db.write() as s:
        draw = draws.draw_targets(s, world.operator, plan_id, count=2)
    assert {e["id"] for e in draw.exclusions if "上限" in e["reason"]} == {twice}


def test_a_hand_picked_target_at_the_cap_is_refused(world: World) -> None:
    plan_id, twice, once, fresh = capped_world(world)
    with pytest.raises(plans.OverCap) as refused, world.db.write() as s:
        plans.choose_targets(s, world.operator, plan_id, [twice, fresh])
    message = str(refused.value)
    assert "“经营户0”本年度已检查 2 次" in message and "年度检查上限 2 次" in message
    assert "须经领导批准" in message and "经营户2" not in message
    assert refused.value.entities == [("经营户0", 2)]
    with pytest.raises(PermissionDenied), world.db.write() as s:
        plans.choose_targets(s, world.operator, plan_id, [twice], override_reason=REASON)
    with pytest.raises(plans.OverCap, match="请写明理由，由您批准"), world.db.write() as s:
        plans.choose_targets(s, world.leader, plan_id, [twice])
    with world.db.write() as s:  # once this year, the cancelled plan aside: allowed
        assert plans.choose_targets(s, world.operator, plan_id, [once, fresh]) == 2
    with world.db.read() as s:
        assert all(t.cap_override_reason is None for t in s.get_one(Plan, plan_id).targets)


def test_a_leader_overrides_with_a_reason_kept_audited_shown_and_printed(
    world: World, tmp_path: Path
) -> None:
    plan_id, twice, _once, fresh = capped_world(world)
    world.clock.set(local(date(2026, 10, 2), 9))
    with world.db.write() as s:
        plans.choose_targets(s, world.leader, plan_id, [twice, fresh], override_reason=REASON)
    with world.db.read() as s:
        kept = s.scalars(
            select(PlanTarget).where(PlanTarget.plan_id == plan_id, PlanTarget.entity_id == twice)
        ).one()
        assert kept.cap_override_reason == REASON
        assert kept.cap_override_by_id == world.leader.user_id
        assert kept.cap_override_at == local(date(2026, 10, 2), 9)
        other = s.scalars(
            select(PlanTarget).where(PlanTarget.plan_id == plan_id, PlanTarget.entity_id == fresh)
        ).one()
        assert other.cap_override_reason is None
        audited = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "plan.cap_override")
        ).one()
        assert audited.user_id == world.leader.user_id
        assert "经营户0（本年度已检查 2 次）" in audited.summary and REASON in audited.summary
        rows = {t.entity: t.cap_override for t in plans.detail(s, world.operator, plan_id).targets}
    note = f"超出年度检查上限，经张主任批准：{REASON}"
    assert rows == {"经营户0": note, "经营户2": ""}
    # The operator may choose again: the leader's approval stays with the entity.
    with world.db.write() as s:
        plans.choose_targets(s, world.operator, plan_id, [fresh, twice])
    with world.db.read() as s:
        rows = {t.entity: t.cap_override for t in plans.detail(s, world.operator, plan_id).targets}
    assert rows["经营户0"] == note

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is installed by .ci/run")
    with world.db.write() as s:
        plans.submit(s, world.operator, plan_id)
        plans.approve(s, world.leader2, plan_id, approved=True)
        plans.start(s, world.operator, plan_id)
        for target in s.get_one(Plan, plan_id).targets:
            plans.record_result(s, world.operator, target.id, result=InspectionResult.COMPLIANT)
        plans.finish(
            s,
            world.operator,
            plan_id,
            {
                world.department: plans.Attendance(False, "区局人员外出培训"),
                world.agency: plans.Attendance(True, "梅山所2人"),
            },
        )
    paper = plan_text(world, plan_id, tmp_path)
    assert f"注：经营户0，{note}。" in paper
    assert "八、实施情况" in paper
    assert "参加部门：区市场监管局梅山所（梅山所2人）。" in paper
    assert "未参加部门：区市场监督管理局（区局人员外出培训）。" in paper


def plan_text(world: World, plan_id: int, tmp_path: Path) -> str:
    from commandcenter.documents import papers

    with world.db.read() as s:
        number = s.get_one(Plan, plan_id).number or ""
        path = papers.BY_NUMBER["plan"](s, world.leader, number, tmp_path / "plan.pdf")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())


def test_a_plan_without_attendance_prints_no_outcome(world: World, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is installed by .ci/run")
    plan_id, _twice, _once, fresh = capped_world(world)
    with world.db.write() as s:
        plans.choose_targets(s, world.operator, plan_id, [fresh])
        plans.submit(s, world.operator, plan_id)
        plans.approve(s, world.leader, plan_id, approved=True)
    paper = plan_text(world, plan_id, tmp_path)
    assert "实施情况" not in paper and "超出年度检查上限" not in paper
