"""Units, grids, establishment and force allocation (R9), training targets, the directory."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from commandcenter.db.engine import Database
from commandcenter.db.models import (
    DepartmentType,
    LiaisonRole,
    Person,
    PersonStatus,
    Staffing,
    TrainingKind,
    Unit,
    UnitKind,
)
from commandcenter.errors import PermissionDenied, ValidationError
from commandcenter.services import liaisons, organisation, training
from commandcenter.services.actor import Actor
from commandcenter.services.roster import people


def unit(
    db: Database, admin: Actor, name: str, kind: UnitKind, parent: int | None = None, **kw: object
) -> int:
    with db.write() as s:
        return organisation.create_unit(
            s,
            admin,
            organisation.UnitForm(name, name[-4:], kind, parent, **kw),  # type: ignore[arg-type]
        ).id


def test_a_unit_cannot_sit_below_itself(db: Database, admin: Actor) -> None:
    street = unit(db, admin, "梅山街道办事处", UnitKind.STREET_OFFICE)
    squad = unit(db, admin, "梅山街道综合行政执法队", UnitKind.SQUAD, street)
    with db.read() as s:
        form, version = organisation.unit_form(s, admin, street)
    form.parent_id = squad
    with db.write() as s, pytest.raises(ValidationError, match="上级单位不能是本单位或其下级单位"):
        organisation.update_unit(s, admin, street, form, version)


def test_departments_need_their_type_and_names_are_unique(db: Database, admin: Actor) -> None:
    with db.write() as s, pytest.raises(ValidationError, match="部门类别"):
        organisation.create_unit(
            s, admin, organisation.UnitForm("区市场监管局", "市场监管局", UnitKind.DEPARTMENT)
        )
    unit(
        db, admin, "区市场监管局", UnitKind.DEPARTMENT, department_type=DepartmentType.PROFESSIONAL
    )
    with db.write() as s, pytest.raises(ValidationError, match="已有名为"):
        organisation.create_unit(
            s,
            admin,
            organisation.UnitForm(
                "区市场监管局",
                "市监",
                UnitKind.DEPARTMENT,
                department_type=DepartmentType.PROFESSIONAL,
            ),
        )


def test_a_unit_with_people_cannot_be_switched_off(db: Database, admin: Actor) -> None:
    squad = unit(db, admin, "梅山街道综合行政执法队", UnitKind.SQUAD)
    with db.write() as s:
        people.create_person(
            s,
            admin,
            people.PersonForm(name="张伟", unit_id=squad, staffing=Staffing.ADMINISTRATIVE),
        )
    with db.read() as s:
        form, version = organisation.unit_form(s, admin, squad)
    form.active = False
    with db.write() as s, pytest.raises(ValidationError, match="还有 1 名在册人员"):
        organisation.update_unit(s, admin, squad, form, version)


def test_force_report_flags_vacancy_and_locked_share(db: Database, admin: Actor) -> None:
    squad = unit(db, admin, "梅山街道综合行政执法队", UnitKind.SQUAD)
    comprehensive = unit(
        db,
        admin,
        "区综合行政执法局",
        UnitKind.DEPARTMENT,
        department_type=DepartmentType.COMPREHENSIVE,
    )
    professional = unit(
        db, admin, "区自然资源局", UnitKind.DEPARTMENT, department_type=DepartmentType.PROFESSIONAL
    )
    with db.write() as s:
        for n in range(7):
            people.create_person(
                s,
                admin,
                people.PersonForm(
                    name=f"队员{'甲乙丙丁戊己庚'[n]}",
                    unit_id=squad,
                    staffing=Staffing.ADMINISTRATIVE,
                ),
            )
        people.create_person(
            s, admin, people.PersonForm(name="协勤甲", unit_id=squad, staffing=Staffing.AUXILIARY)
        )
        organisation.set_establishment(s, admin, squad, 2026, 10)
        organisation.set_establishment(s, admin, comprehensive, 2026, 100, 100, 79)
        organisation.set_establishment(s, admin, professional, 2026, 40, 40, 20)
    with db.read() as s:
        rows = {r.unit_id: r for r in organisation.force_report(s, admin, 2026)}
    assert rows[squad].in_post == 7  # auxiliary staff are not on the establishment
    assert rows[squad].vacancy_rate == pytest.approx(0.3) and rows[squad].vacancy_breached
    assert rows[comprehensive].locked_threshold == 0.8 and rows[comprehensive].locked_breached
    assert rows[professional].locked_share == 0.5 and not rows[professional].locked_breached
    with db.write() as s, pytest.raises(ValidationError, match="不能多于"):
        organisation.set_establishment(s, admin, professional, 2026, 40, 40, 41)


def test_auxiliaries_in_post_are_held_to_the_approved_number(db: Database, admin: Actor) -> None:
    squad = unit(db, admin, "梅山街道综合行政执法队", UnitKind.SQUAD)
    centre = unit(db, admin, "梅山街道指挥中心", UnitKind.COMMAND_CENTRE)
    dept = unit(
        db, admin, "区自然资源局", UnitKind.DEPARTMENT, department_type=DepartmentType.PROFESSIONAL
    )
    with db.write() as s:
        # Squad: three auxiliaries in post, a fourth retired (not counted), one officer.
        for name in ("协勤甲", "协勤乙", "协勤丙", "协勤丁"):
            people.create_person(
                s, admin, people.PersonForm(name=name, unit_id=squad, staffing=Staffing.AUXILIARY)
            )
        people.create_person(
            s,
            admin,
            people.PersonForm(name="队员甲", unit_id=squad, staffing=Staffing.ADMINISTRATIVE),
        )
        retired = s.scalar(select(Person).where(Person.name == "协勤丁"))
        assert retired is not None
        retired.status = PersonStatus.RETIRED
        people.create_person(
            s, admin, people.PersonForm(name="协勤戊", unit_id=centre, staffing=Staffing.AUXILIARY)
        )
        organisation.set_establishment(s, admin, squad, 2026, 1, approved_auxiliaries=2)
        organisation.set_establishment(s, admin, centre, 2026, 0)  # none approved yet
        organisation.set_establishment(s, admin, dept, 2026, 40, 40, 30, approved_auxiliaries=5)
    with db.read() as s:
        rows = {r.unit_id: r for r in organisation.force_report(s, admin, 2026)}
    assert (rows[squad].approved_auxiliaries, rows[squad].auxiliaries) == (2, 3)
    assert rows[squad].auxiliary_excess == 1 and rows[squad].auxiliary_breached
    assert rows[centre].approved_auxiliaries is None and rows[centre].auxiliaries == 1
    assert rows[centre].auxiliary_excess is None and not rows[centre].auxiliary_breached
    # A department's roster is not ours: nothing to compare its approved number with.
    assert rows[dept].auxiliaries is None and not rows[dept].auxiliary_breached
    with db.write() as s:  # re-approving without the number keeps it
        organisation.set_establishment(s, admin, squad, 2026, 2)
    with db.read() as s:
        again = {r.unit_id: r for r in organisation.force_report(s, admin, 2026)}
    assert again[squad].approved_auxiliaries == 2 and again[squad].approved == 2
    with db.write() as s, pytest.raises(ValidationError, match="协勤核定数不能为负数"):
        organisation.set_establishment(s, admin, squad, 2026, 2, approved_auxiliaries=-1)


def test_grids_belong_to_communities(db: Database, admin: Actor) -> None:
    squad = unit(db, admin, "梅山街道综合行政执法队", UnitKind.SQUAD)
    community = unit(db, admin, "梅山街道梅山社区", UnitKind.COMMUNITY)
    with db.write() as s, pytest.raises(ValidationError, match="村社区"):
        organisation.save_grid(s, admin, organisation.GridForm("ms0101", "第一网格", squad))
    with db.write() as s:
        grid = organisation.save_grid(
            s, admin, organisation.GridForm("ms0101", "第一网格", community)
        )
        assert grid.code == "MS0101"
    with db.write() as s, pytest.raises(ValidationError, match="已被"):
        organisation.save_grid(s, admin, organisation.GridForm("MS0101", "重复", community))


def test_training_counts_against_the_targets(db: Database, admin: Actor) -> None:
    dept = unit(
        db, admin, "区市场监管局", UnitKind.DEPARTMENT, department_type=DepartmentType.PROFESSIONAL
    )
    squad = unit(db, admin, "梅山街道综合行政执法队", UnitKind.SQUAD)
    with db.write() as s:
        p = people.create_person(
            s,
            admin,
            people.PersonForm(name="张伟", unit_id=squad, staffing=Staffing.ADMINISTRATIVE),
        )
        for n, kind in enumerate([TrainingKind.CASE_BASED] * 3 + [TrainingKind.TOURING]):
            training.save_course(
                s,
                admin,
                training.CourseForm(f"课程{n}", kind, date(2026, 3, n + 1), 2.5, dept, [p.id]),
            )
        training.save_course(
            s,
            admin,
            training.CourseForm("去年", TrainingKind.CENTRAL, date(2025, 5, 1), 8, None, [p.id]),
        )
    with db.read() as s:
        summary = training.summary(s, admin, 2026)
        hours = training.hours_by_person(s, admin, 2026)
    (row,) = summary.departments
    assert (row.touring, row.case_based, row.case_target_met) == (1, 3, True)
    assert not summary.street_target_met(TrainingKind.TOURING)
    assert not summary.street_target_met(TrainingKind.CENTRAL)
    assert [(h.name, h.courses, h.hours) for h in hours] == [("张伟", 4, 10.0)]


def test_directory_rules(db: Database, admin: Actor) -> None:
    dept = unit(
        db, admin, "区市场监管局", UnitKind.DEPARTMENT, department_type=DepartmentType.PROFESSIONAL
    )
    form = liaisons.LiaisonForm(
        dept, LiaisonRole.MAIN, "办公室", "李明", mobile="", office_phone=""
    )
    with db.write() as s, pytest.raises(ValidationError, match="至少填写一个"):
        liaisons.save_liaison(s, admin, form)
    form.office_phone = "0574 8688 1234"
    with db.write() as s:
        saved = liaisons.save_liaison(s, admin, form)
        assert saved.office_phone == "0574-86881234"
    with db.write() as s, pytest.raises(ValidationError, match="已登记主联络人“李明”"):
        liaisons.save_liaison(s, admin, form)


def test_operators_keep_the_directory(demo_db: Database, operator: Actor) -> None:
    with demo_db.read() as s:
        dept = s.scalar(select(Unit.id).where(Unit.kind == UnitKind.DEPARTMENT).limit(1))
        liaison_id = s.scalar(
            select(liaisons.Liaison.id).where(liaisons.Liaison.department_id == dept).limit(1)
        )
        assert liaison_id is not None
        form, version = liaisons.liaison_form(s, operator, liaison_id)
    form.duty_hours = "工作日 8:30-17:00"
    with demo_db.write() as s:
        assert (
            liaisons.save_liaison(s, operator, form, liaison_id, version).duty_hours
            == "工作日 8:30-17:00"
        )
    with demo_db.write() as s, pytest.raises(PermissionDenied):
        organisation.set_establishment(s, operator, dept, 2026, 10)
