"""抽查结果公示: the period's list, its publication frozen as published, the entity's history and
the credit grade the centre decides (never a result by itself)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from commandcenter.db.models import AuditRecord, CreditGrade, Entity, InspectionResult, PlanTarget
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.services import entities
from commandcenter.services import inspection_publication as pub
from commandcenter.services.actor import Actor
from tests.core.incident_world import World
from tests.core.inspection_world import build, code, item_names

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def form(**kw: object) -> pub.PublicationForm:
    values: dict[str, object] = {
        "period_from": MARCH[0],
        "period_to": MARCH[1],
        "published_on": date(2026, 4, 2),
        "place": "政府网站",
        "note": "街道门户网站“双随机一公开”专栏",
    }
    values.update(kw)
    return pub.PublicationForm(**values)  # type: ignore[arg-type]


def test_the_period_list_holds_the_results_recorded_in_it(world: World) -> None:
    """March: P1's three results (A 合格, B 责令整改, E 合格), in the order inspected, with the
    plan's number and both its items; P2 (June), the cancelled P3 and pending targets are out."""
    year = build(world)
    with world.db.read() as s:
        rows = pub.period_rows(s, world.operator, *MARCH)
        june = pub.period_rows(s, world.operator, date(2026, 6, 1), date(2026, 7, 31))
    assert [(r.entity, r.result) for r in rows] == [
        ("经营户A", "合格"),
        ("经营户B", "责令整改"),
        ("经营户E", "合格"),
    ]
    assert {r.plan for r in rows} == {"P1联合检查（梅执方〔2026〕1号）"}
    assert {r.inspected_on for r in rows} == {date(2026, 3, 10)}
    assert {r.items for r in rows} == {item_names(world)}
    assert rows[0].uscc == code("91330206000000065")
    assert rows[0].target_id == year.targets[("P1", "A")]
    # June and July: P2's A and G (closed since, but inspected); not C (pending) nor P3's D.
    assert [r.entity for r in june] == ["经营户A", "经营户G"]
    with pytest.raises(ValidationError, match="结束日期不能早于"), world.db.read() as s:
        pub.period_rows(s, world.operator, MARCH[1], MARCH[0])


def test_a_published_list_is_frozen_and_recorded_once(world: World) -> None:
    year = build(world)
    with world.db.write() as s:
        published = pub.publish(s, world.operator, form())
        publication_id = published.id
    with world.db.write() as s:
        # Later edits: A renamed, B's result corrected.
        s.get_one(Entity, year.entities["A"]).name = "经营户A（更名）"
        s.get_one(PlanTarget, year.targets[("P1", "B")]).result = InspectionResult.COMPLIANT
    with world.db.read() as s:
        frozen = pub.publication(s, world.leader, publication_id)
        live = pub.period_rows(s, world.operator, *MARCH)
        audit = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "inspection.publish")
        ).one()
    assert [(r.entity, r.result) for r in frozen.rows] == [
        ("经营户A", "合格"),
        ("经营户B", "责令整改"),
        ("经营户E", "合格"),
    ]
    assert [(r.entity, r.result) for r in live][:2] == [
        ("经营户A（更名）", "合格"),
        ("经营户B", "合格"),
    ]
    assert (frozen.published_on, frozen.place, frozen.published_by) == (
        date(2026, 4, 2),
        "政府网站",
        world.operator.display_name,
    )
    assert frozen.period == "2026年3月"
    assert "3 条" in audit.summary and "政府网站" in audit.summary
    with (
        pytest.raises(ValidationError, match="已于 2026-04-02 在政府网站公示"),
        world.db.write() as s,
    ):
        pub.publish(s, world.operator, form())


def test_publishing_is_refused_when_it_cannot_be_true(world: World, admin: Actor) -> None:
    build(world)
    # The world's clock stands at 2026-09-30.
    for bad, words in (
        (form(published_on=date(2026, 10, 1)), "不能晚于今天"),
        (form(published_on=date(2026, 2, 28)), "不能早于公示期间"),
        (form(place=" "), "公示载体"),
        (form(period_from=date(2026, 1, 1), period_to=date(2026, 1, 31)), "没有已登记结果"),
    ):
        with pytest.raises(ValidationError, match=words), world.db.write() as s:
            pub.publish(s, world.operator, bad)
    with pytest.raises(PermissionDenied), world.db.write() as s:
        pub.publish(s, admin, form())


def test_history_shows_inspections_publication_and_grade_changes(world: World) -> None:
    year = build(world)
    with world.db.write() as s:
        pub.publish(s, world.operator, form())
    with world.db.read() as s:
        lines = entities.history(s, world.operator, year.entities["A"])
    assert [(line.at, line.kind) for line in lines] == [
        (date(2026, 6, 10), "检查"),
        (date(2026, 3, 10), "检查"),
    ]
    assert lines[1].text == "P1联合检查（合格）；2026-04-02已在政府网站公示"
    assert lines[0].text == "P2联合检查（合格）"  # June is not published


def test_the_credit_grade_changes_only_on_a_leaders_decision_with_its_reason(
    world: World,
) -> None:
    year = build(world)
    b, basis = year.entities["B"], year.targets[("P1", "B")]
    with world.db.read() as s:
        assert s.get_one(Entity, b).credit_grade is CreditGrade.GREEN  # a result alone: no change
        bases = pub.grade_bases(s, world.leader, b)
    assert [x.target_id for x in bases] == [basis]
    assert bases[0].caption == "2026-03-10 P1联合检查：责令整改"
    with pytest.raises(PermissionDenied), world.db.write() as s:
        pub.change_grade(s, world.operator, b, CreditGrade.YELLOW, "整改不力", target_id=basis)
    with pytest.raises(ValidationError, match="调整理由"), world.db.write() as s:
        pub.change_grade(s, world.leader, b, CreditGrade.YELLOW, "  ", target_id=basis)
    with pytest.raises(ValidationError, match="不是该检查对象的"), world.db.write() as s:
        pub.change_grade(
            s, world.leader, b, CreditGrade.YELLOW, "整改不力", target_id=year.targets[("P1", "A")]
        )
    with pytest.raises(ValidationError, match="尚未登记结果"), world.db.write() as s:
        c = year.entities["C"]
        pub.change_grade(
            s, world.leader, c, CreditGrade.YELLOW, "拒不配合", target_id=year.targets[("P2", "C")]
        )
    with world.db.write() as s:
        pub.change_grade(
            s, world.leader, b, CreditGrade.YELLOW, "消防通道堆物，整改不力", target_id=basis
        )
    with pytest.raises(ValidationError, match="已是黄"), world.db.write() as s:
        pub.change_grade(s, world.leader, b, CreditGrade.YELLOW, "再次调整")
    with world.db.write() as s:  # an edit of the record is kept as a grade change too
        edit, version = entities.entity_form(s, world.operator, b)
        edit.credit_grade = CreditGrade.RED
        entities.save_entity(s, world.operator, edit, b, version)
    with world.db.read() as s:
        assert s.get_one(Entity, b).credit_grade is CreditGrade.RED
        grades = [
            line.text for line in entities.history(s, world.operator, b) if line.kind == "信用等级"
        ]
        audited = s.scalars(
            select(AuditRecord.summary).where(AuditRecord.action == "entity.grade")
        ).all()
    assert sorted(grades) == sorted(
        [
            "绿 → 黄：消防通道堆物，整改不力（张主任）",
            f"黄 → 红：修改检查对象信息时调整（{world.operator.display_name}）",
        ]
    )
    assert len(audited) == 2 and "绿 → 黄" in audited[0]


def test_last_month_is_the_default_period() -> None:
    assert pub.default_period(date(2026, 3, 15)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert pub.default_period(date(2026, 1, 5)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert pub.period_words(date(2026, 2, 1), date(2026, 2, 28)) == "2026年2月"
    assert pub.period_words(date(2026, 2, 2), date(2026, 2, 28)) == "2026年2月2日至2026年2月28日"
