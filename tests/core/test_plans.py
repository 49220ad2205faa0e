"""A 综合查一次 from draft to summary: draws, approval, results that open incidents, figures."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select

from commandcenter.db.models import (
    CreditGrade,
    Incident,
    InspectionResult,
    Plan,
    PlanStatus,
    PlanTarget,
    PlanTheme,
)
from commandcenter.documents import plan_papers
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.services import draws, plans
from tests.core.incident_world import World, local
from tests.core.test_draws import make_entities, make_plan

DAY = date(2026, 10, 9)


def plan_form(world: World, **changes: object) -> plans.PlanForm:
    form = plans.PlanForm(
        title="梅东餐饮“综合查一次”",
        theme=PlanTheme.COMBINED,
        lead_unit_id=world.squad,
        department_ids=[world.department],
        planned_on=DAY,
        start_time=time(9),
        end_time=time(16, 30),
        grid_ids=[world.grid],
        item_ids=[world.items["empowered"], world.items["linked"], world.items["department"]],
        objective="进一次门、查多项事",
    )
    for key, value in changes.items():
        setattr(form, key, value)
    return form


def drafted(world: World, by: str = "operator") -> int:
    make_entities(
        world, [CreditGrade.GREEN, CreditGrade.RED, CreditGrade.YELLOW, CreditGrade.GREEN]
    )
    with world.db.write() as s:
        plan_id = plans.create_plan(s, getattr(world, by), plan_form(world)).id
        draws.draw_inspectors(s, world.operator, plan_id, teams=1)
        draws.draw_targets(s, world.operator, plan_id, count=3)
    return plan_id


def status(world: World, plan_id: int) -> PlanStatus:
    with world.db.read() as s:
        return s.get_one(Plan, plan_id).status


def test_a_plan_from_draft_to_summary(world: World) -> None:
    plan_id = drafted(world)
    with world.db.write() as s:
        plans.submit(s, world.operator, plan_id)
    with pytest.raises(PermissionDenied), world.db.write() as s:
        plans.approve(s, world.operator2, plan_id, approved=True)
    with world.db.write() as s:
        plans.approve(s, world.leader, plan_id, approved=True)
        plans.start(s, world.operator, plan_id)
    with world.db.read() as s:
        plan = s.get_one(Plan, plan_id)
        assert plan.number == "梅执案〔2026〕1号" and plan.status is PlanStatus.IN_PROGRESS
        targets = [t.id for t in plan.targets]
    with world.db.write() as s:
        plans.record_result(s, world.operator, targets[0], result=InspectionResult.COMPLIANT)
        plans.record_result(
            s, world.operator, targets[1], result=InspectionResult.RECTIFY, findings="消防通道堵塞"
        )
    with pytest.raises(ValidationError, match="还有 1 个检查对象"), world.db.write() as s:
        plans.finish(s, world.operator, plan_id)
    with pytest.raises(ValidationError, match="写明发现的问题"), world.db.write() as s:
        plans.record_result(s, world.operator, targets[2], result=InspectionResult.CASE_OPENED)
    with world.db.write() as s:
        plans.record_result(
            s, world.operator, targets[2], result=InspectionResult.CASE_OPENED, findings="无证经营"
        )
    # Finishing records whether each invited department came.
    with (
        pytest.raises(ValidationError, match="请登记区市场监督管理局是否参加"),
        world.db.write() as s,
    ):
        plans.finish(s, world.operator, plan_id)
    with world.db.write() as s:
        plans.finish(s, world.operator, plan_id, {world.department: plans.Attendance(True, "2人")})
        figures = plans.summarise(s, world.leader, plan_id, "成效明显")
    assert (figures.visits, figures.items_checked, figures.problems, figures.cases) == (3, 9, 2, 1)
    # Squad items, the department's linked and department items: two departments in one visit.
    assert figures.departments == 2 and figures.visits_avoided == 3
    with world.db.read() as s:
        case = s.scalars(select(Incident).where(Incident.plan_id == plan_id)).one()
        target = s.get_one(PlanTarget, targets[2])
        assert target.incident_id == case.id and "无证经营" in case.title
        assert case.registered_by_id == world.operator.user_id
        assert "减少重复进门 3 次" in (s.get_one(Plan, plan_id).summary or "")
    assert status(world, plan_id) is PlanStatus.SUMMARISED


def test_approval_rules(world: World) -> None:
    plan_id = drafted(world, by="leader")  # leaders may draft plans too
    with world.db.write() as s:
        plans.submit(s, world.leader, plan_id)
    with pytest.raises(ValidationError, match="编制人不能审批"), world.db.write() as s:
        plans.approve(s, world.leader, plan_id, approved=True)
    with pytest.raises(ValidationError, match="写明意见"), world.db.write() as s:
        plans.approve(s, world.leader2, plan_id, approved=False)
    with world.db.write() as s:
        plans.approve(s, world.leader2, plan_id, approved=False, note="检查对象偏少")
    assert status(world, plan_id) is PlanStatus.DRAFT


def test_steps_out_of_order_are_refused(world: World) -> None:
    with world.db.write() as s:
        plan_id = plans.create_plan(s, world.operator, plan_form(world)).id
    with pytest.raises(ValidationError, match="还没有检查对象"), world.db.write() as s:
        plans.submit(s, world.operator, plan_id)
    with pytest.raises(ValidationError, match="当前为“草稿”，不能开始实施"), world.db.write() as s:
        plans.start(s, world.operator, plan_id)
    with pytest.raises(ValidationError, match="写明取消的理由"), world.db.write() as s:
        plans.cancel(s, world.operator, plan_id, "")
    with world.db.write() as s:
        plans.cancel(s, world.operator, plan_id, "台风预警")
    assert status(world, plan_id) is PlanStatus.CANCELLED


def test_a_plan_form_lists_every_problem(world: World) -> None:
    form = plan_form(world, title="", theme=None, grid_ids=[], item_ids=[], end_time=time(8))
    with world.db.read() as s:
        _values, problems = plans.plan_values(s, form)
    assert {p.field for p in problems} == {"title", "theme", "grid_ids", "item_ids", "end_time"}


def test_the_month_shows_plans_by_day(world: World) -> None:
    drafted(world)
    with world.db.read() as s:
        days = plans.month(s, world.operator, 2026, 10)
    assert list(days) == [DAY] and days[DAY][0].title == "梅东餐饮“综合查一次”"


def test_plan_papers_read_right(world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    from commandcenter.documents import papers

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is installed by .ci/run")
    plan_id = drafted(world)
    with world.db.read() as s:  # before approval: 成文日期 left to write by hand
        unapproved = plan_papers.render_plan(
            plan_papers.load_plan(s, world.leader, plan_id), tmp_path / "draft.pdf"
        )
    world.clock.set(local(date(2026, 10, 6), 15))  # approved three days before the operation
    with world.db.write() as s:
        plans.submit(s, world.operator, plan_id)
        plans.approve(s, world.leader, plan_id, approved=True)
    texts = {}
    with world.db.read() as s:
        number = s.get_one(Plan, plan_id).number or ""
        for kind in ("plan", "draw-record", "checklist"):
            path = papers.BY_NUMBER[kind](s, world.leader, number, tmp_path / f"{kind}.pdf")
            out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
            texts[kind] = "".join(out.stdout.split())
    assert "梅执案〔2026〕1号" in texts["plan"] and "审批：张主任" in texts["plan"]
    assert "ZF-001占道经营" in texts["plan"]
    # Dated on the day it was approved, not the day of the operation (2026-10-09).
    assert "梅山街道综合行政执法指挥中心2026年10月6日" in texts["plan"]
    assert "2026年10月9日" not in texts["plan"].split("审批：")[1]
    draft = subprocess.run(["pdftotext", str(unapproved), "-"], capture_output=True, text=True)
    assert "年月日" in "".join(draft.stdout.split()).split("审批：")[1]
    record = texts["draw-record"]
    assert "随机种子" in record and "梅执抽〔2026〕2号" in record  # the targets' draw, latest
    assert "13912345678" not in record  # nothing personal beyond names
    assert texts["checklist"].count("联合检查记录表") == 3  # one page per target
    assert "□符合□不符合" in texts["checklist"]


def test_inspection_attachments_and_the_field_of_a_single_field_plan(
    world: World,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    from commandcenter.db.models import Attachment

    make_entities(world, [CreditGrade.GREEN, CreditGrade.RED])
    with world.db.write() as s:
        form = plan_form(world, item_ids=[world.items["linked"]])
        plan_id = plans.create_plan(s, world.operator, form).id
        draw = draws.draw_inspectors(s, world.operator, plan_id)
        assert draw.parameters["field"] == "市场监管"
        draws.draw_targets(s, world.operator, plan_id, count=2)
        plans.submit(s, world.operator, plan_id)
        plans.approve(s, world.leader, plan_id, approved=True)
        plans.start(s, world.operator, plan_id)
        target_id = s.scalars(select(PlanTarget.id)).first()
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"photo" * 50)
    with world.db.write() as s:
        plans.add_target_attachment(s, world.operator, target_id, photo, tmp_path / "store")
    with world.db.read() as s:
        assert s.scalars(select(Attachment.plan_target_id)).one() == target_id
        rows = {t.id: t.attachments for t in plans.detail(s, world.operator, plan_id).targets}
        assert sorted(rows.values()) == [0, 1] and rows[target_id] == 1


def test_targets_chosen_by_hand_respect_recusals(world: World) -> None:
    from commandcenter.db.models import Recusal

    picked = make_entities(world, [CreditGrade.RED, CreditGrade.YELLOW])
    with world.db.write() as s:
        form = plan_form(world, theme=PlanTheme.CAMPAIGN)
        plan_id = plans.create_plan(s, world.operator, form).id
        drawn = draws.draw_inspectors(s, world.operator, plan_id, teams=2)
        first = next(r["id"] for r in drawn.result if r["team"] == 1)
        s.add(Recusal(person_id=first, entity_id=picked[0], reason="亲属", from_date=DAY))
    with world.db.write() as s:
        assert plans.choose_targets(s, world.operator, plan_id, picked) == 2
    with world.db.read() as s:
        teams = dict(
            s.execute(
                select(PlanTarget.entity_id, PlanTarget.team).where(PlanTarget.plan_id == plan_id)
            ).all()
        )
        options = plans.target_choices(s, world.operator, plan_id)
    assert teams[picked[0]] == 2  # not the team with the recused officer
    assert {eid for _caption, eid in options} >= set(picked)
    with pytest.raises(ValidationError, match="至少选择一个"), world.db.write() as s:
        plans.choose_targets(s, world.operator, plan_id, [])


def test_approval_checks_the_teams_again(world: World) -> None:
    from commandcenter.db.models import Certificate, CertificateState

    plan_id = drafted(world)
    with world.db.write() as s:
        plans.submit(s, world.operator, plan_id)
        drawn = s.scalars(select(Plan)).one().officers[0].person_id
        for cert in s.scalars(select(Certificate).where(Certificate.person_id == drawn)):
            cert.state = CertificateState.SUSPENDED  # suspended after the draw
    with pytest.raises(ValidationError, match="不足 2 名"), world.db.write() as s:
        plans.approve(s, world.leader, plan_id, approved=True)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by CI")
def test_a_cancelled_plan_prints_as_cancelled(world: World, tmp_path: Path) -> None:
    plan_id = make_plan(world)
    with world.db.write() as s:
        plans.cancel(s, world.leader, plan_id, "暴雨预警，行动取消")
    with world.db.read() as s:
        paper = plan_papers.load_plan(s, world.leader, plan_id)
    path = plan_papers.render_plan(paper, tmp_path / "plan.pdf")
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "（未编号，已取消）" in text and "待审批" not in text
    assert all(mark in text for mark in "已取消")  # the slanted mark, read a character at a time


def test_submitting_an_empty_plan_names_both_things_missing(world: World) -> None:
    with world.db.write() as s:
        plan_id = plans.create_plan(s, world.operator, plan_form(world)).id
    with pytest.raises(ValidationError) as refused, world.db.write() as s:
        plans.submit(s, world.operator, plan_id)
    assert refused.value.message == (
        "未能提交审批，有 2 个问题：\n"
        "1. 方案还没有检查对象：请先随机抽取或选定检查对象。\n"
        "2. 方案还没有执法人员：请先随机抽取执法人员。"
    )
    assert status(world, plan_id) is PlanStatus.DRAFT


def test_approval_names_every_team_short_of_officers(world: World) -> None:
    from commandcenter.db.models import Certificate, CertificateState, Person

    make_entities(world, [CreditGrade.GREEN, CreditGrade.RED, CreditGrade.YELLOW])
    with world.db.write() as s:
        plan_id = plans.create_plan(s, world.operator, plan_form(world)).id
        draws.draw_inspectors(s, world.operator, plan_id, teams=2)
        draws.draw_targets(s, world.operator, plan_id, count=3)
        plans.submit(s, world.operator, plan_id)
        suspended = []
        for team in (1, 2):  # one officer of each team of two loses the certificate
            drawn = next(o.person_id for o in s.get_one(Plan, plan_id).officers if o.team == team)
            suspended.append(s.get_one(Person, drawn).name)
            for cert in s.scalars(select(Certificate).where(Certificate.person_id == drawn)):
                cert.state = CertificateState.SUSPENDED
    with pytest.raises(ValidationError) as refused, world.db.write() as s:
        plans.approve(s, world.leader, plan_id, approved=True)
    first, second = suspended
    assert refused.value.message == (
        "未能批准方案，有 2 个问题：\n"
        f"1. 第1组在行动当天持有效执法证的人员不足 2 名（1 名：{first}的执法证已暂扣），"
        "请重新抽取执法人员。\n"
        f"2. 第2组在行动当天持有效执法证的人员不足 2 名（1 名：{second}的执法证已暂扣），"
        "请重新抽取执法人员。"
    )
    assert status(world, plan_id) is PlanStatus.SUBMITTED


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by CI")
def test_a_long_checklist_repeats_its_header_and_keeps_the_signature_with_its_last_items(
    world: World, tmp_path: Path
) -> None:
    import dataclasses

    plan_id = drafted(world)
    with world.db.read() as s:
        paper = plan_papers.load_plan(s, world.leader, plan_id)
    many = [
        dataclasses.replace(paper.items[0], code=f"T-{n:02d}", name=f"第{n}项检查事项")
        for n in range(1, 41)
    ]
    long = dataclasses.replace(paper, items=many, targets=paper.targets[:1])
    path = plan_papers.render_checklist(long, tmp_path / "long.pdf")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    pages = ["".join(page.split()) for page in out.rstrip("\f").split("\f")]
    assert len(pages) >= 2
    assert all(page.startswith("序号检查事项") for page in pages[1:])  # the header, repeated
    assert "T-40" in pages[-1] and "签名" in pages[-1] and "签名" not in "".join(pages[:-1])
