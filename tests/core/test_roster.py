"""The roster services: validation, permissions, certificates, eligibility, audit."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from commandcenter import timeutil
from commandcenter.db.engine import Database
from commandcenter.db.models import (
    AuditRecord,
    Certificate,
    CertificateState,
    Gender,
    Person,
    PersonStatus,
    Staffing,
    Stationing,
    Unit,
    UnitKind,
)
from commandcenter.errors import ConflictError, PermissionDenied, ValidationError
from commandcenter.services import organisation
from commandcenter.services.actor import Actor
from commandcenter.services.roster import certificates, eligibility, people
from commandcenter.services.roster.listings import PEOPLE
from commandcenter.services.validators import id_check_char

TODAY = date(2026, 11, 20)


def id_number(first17: str = "33020619800101123") -> str:
    return first17 + id_check_char(first17)


@pytest.fixture
def squad(db: Database, admin: Actor) -> int:
    with db.write() as s:
        street = organisation.create_unit(
            s, admin, organisation.UnitForm("梅山街道办事处", "梅山街道", UnitKind.STREET_OFFICE)
        )
        unit = organisation.create_unit(
            s,
            admin,
            organisation.UnitForm("梅山街道综合行政执法队", "执法队", UnitKind.SQUAD, street.id),
        )
        return unit.id


def officer(
    db: Database,
    admin: Actor,
    squad: int,
    name: str,
    *,
    staffing: Staffing = Staffing.ADMINISTRATIVE,
    expires: date | None = date(2029, 1, 1),
    fields: str = "综合执法",
    number: str | None = None,
) -> int:
    with db.write() as s:
        person = people.create_person(
            s, admin, people.PersonForm(name=name, unit_id=squad, staffing=staffing)
        )
        if expires is not None:
            certificates.add_certificate(
                s,
                admin,
                person.id,
                certificates.CertificateForm(
                    number=number or f"浙执{person.id:06d}",
                    issuer="宁波市北仑区人民政府",
                    fields=fields,
                    issued_on=date(2022, 1, 1),
                    expires_on=expires,
                ),
            )
        return person.id


def test_person_is_validated_and_normalised(db: Database, admin: Actor, squad: int) -> None:
    form = people.PersonForm(
        name=" 张伟 ",
        unit_id=squad,
        staffing=Staffing.ADMINISTRATIVE,
        id_number=id_number().replace("1", "１"),  # full-width digits from an input method
        mobile="138 1234 5678",
        office_phone="(0574)86881234",
        fields="综合执法，市场监管、综合执法",
    )
    with db.write() as s:
        person = people.create_person(s, admin, form)
        assert person.name == "张伟"
        assert person.id_number == id_number()
        assert person.gender is Gender.MALE  # from the ID number's 17th digit
        assert person.mobile == "13812345678"
        assert person.office_phone == "0574-86881234"
        assert person.fields == "综合执法,市场监管"
        assert person.name_initials == "zw"


def test_every_problem_of_a_form_is_reported(db: Database, squad: int) -> None:
    form = people.PersonForm(
        name="张",
        unit_id=None,
        staffing=Staffing.DISPATCHED,
        id_number="330206198001011231",
        mobile="12345",
        gender=Gender.FEMALE,
    )
    with db.read() as s:
        _values, problems = people.person_values(s, form)
    fields = {p.field for p in problems}
    assert {"name", "unit_id", "id_number", "mobile", "stationing"} <= fields
    assert all(p.message for p in problems)


def test_gender_that_contradicts_the_id_number_is_refused(
    db: Database, admin: Actor, squad: int
) -> None:
    form = people.PersonForm(
        name="李娜",
        unit_id=squad,
        staffing=Staffing.INSTITUTION,
        id_number=id_number(),
        gender=Gender.FEMALE,
    )
    with db.write() as s, pytest.raises(ValidationError, match="性别与身份证号不符"):
        people.create_person(s, admin, form)


def test_duplicate_id_number_names_the_holder(db: Database, admin: Actor, squad: int) -> None:
    form = people.PersonForm(
        name="张伟", unit_id=squad, staffing=Staffing.ADMINISTRATIVE, id_number=id_number()
    )
    with db.write() as s:
        people.create_person(s, admin, form)
    form.name = "张卫"
    with db.write() as s, pytest.raises(ValidationError, match="已登记在“张伟”名下"):
        people.create_person(s, admin, form)


def test_operators_cannot_edit_the_roster_leaders_can(
    demo_db: Database, operator: Actor, leader: Actor
) -> None:
    with demo_db.read() as s:
        unit_id = s.scalar(select(Unit.id).where(Unit.kind == UnitKind.SQUAD).limit(1))
    form = people.PersonForm(name="王芳", unit_id=unit_id, staffing=Staffing.INSTITUTION)
    with demo_db.write() as s, pytest.raises(PermissionDenied, match="值班员无权维护人员名册"):
        people.create_person(s, operator, form)
    with demo_db.write() as s, pytest.raises(PermissionDenied, match="值班员无权维护人员名册"):
        people.create_people(s, operator, [form], people.RosterLookup.preload(s, []))
    with demo_db.write() as s:
        assert people.create_person(s, leader, form).id


def test_auxiliary_staff_never_hold_certificates(db: Database, admin: Actor, squad: int) -> None:
    aux = officer(db, admin, squad, "赵协勤", staffing=Staffing.AUXILIARY, expires=None)
    with db.write() as s, pytest.raises(ValidationError, match="编外协勤人员，不能持有执法证"):
        certificates.add_certificate(
            s,
            admin,
            aux,
            certificates.CertificateForm(
                "浙执000001", "区政府", "综合执法", "", date(2022, 1, 1), date(2027, 1, 1)
            ),
        )
    holder = officer(db, admin, squad, "钱执法")
    form = people.PersonForm(name="钱执法", unit_id=squad, staffing=Staffing.AUXILIARY)
    with db.write() as s, pytest.raises(ValidationError, match="请先注销其执法证"):
        people.update_person(s, admin, holder, form)


def test_certificate_states_follow_their_rules_and_keep_history(
    db: Database, admin: Actor, squad: int
) -> None:
    pid = officer(db, admin, squad, "孙明")
    with db.read() as s:
        cert_id = s.scalar(select(Certificate.id).where(Certificate.person_id == pid))
        assert cert_id is not None
    with db.write() as s, pytest.raises(ValidationError, match="不能恢复有效"):
        certificates.change_certificate_state(
            s, admin, cert_id, certificates.EventKind.RESTORED, "误操作"
        )
    with db.write() as s, pytest.raises(ValidationError, match="请填写原因"):
        certificates.change_certificate_state(
            s, admin, cert_id, certificates.EventKind.SUSPENDED, " "
        )
    with db.write() as s:
        certificates.change_certificate_state(
            s, admin, cert_id, certificates.EventKind.SUSPENDED, "涉嫌违纪调查"
        )
    with db.write() as s:
        certificates.change_certificate_state(
            s, admin, cert_id, certificates.EventKind.RESTORED, "调查结束"
        )
    with db.write() as s:
        certificates.record_review(s, admin, cert_id, date(2026, 3, 1), "年审合格")
    with db.write() as s:
        cert = s.get(Certificate, cert_id)
        assert cert is not None
        form = certificates.CertificateForm(
            cert.number, cert.issuer, cert.fields, "", cert.issued_on, date(2031, 1, 1)
        )
        certificates.update_certificate(s, admin, cert_id, form)
    with db.read() as s:
        history = certificates.certificate_history(s, admin, cert_id)
        assert [h.kind for h in history] == ["登记", "暂扣", "恢复有效", "年审", "换证延期"]
        assert history[1].note == "涉嫌违纪调查"
        assert history[1].user == "管理员"
        actions = list(s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))
        assert actions[-4:] == ["暂扣执法证", "恢复有效执法证", "执法证年审", "换证延期执法证"]


def test_stale_edit_is_a_conflict_not_an_overwrite(db: Database, admin: Actor, squad: int) -> None:
    pid = officer(db, admin, squad, "周强", expires=None)
    with db.read() as s:
        person = s.get(Person, pid)
        assert person is not None
        opened_version = person.version
    form = people.PersonForm(
        name="周强", unit_id=squad, staffing=Staffing.ADMINISTRATIVE, position="队员"
    )
    with db.write() as s:
        people.update_person(s, admin, pid, form, expected_version=opened_version)
    form.position = "副队长"
    with db.write() as s, pytest.raises(ConflictError, match="已被其他人修改"):
        people.update_person(s, admin, pid, form, expected_version=opened_version)
    with db.read() as s:
        person = s.get(Person, pid)
        assert person is not None and person.position == "队员"


def test_certificate_status_reads_state_against_dates() -> None:
    status = certificates.certificate_status
    assert (
        status(CertificateState.VALID, TODAY + timedelta(days=61), TODAY, 60)
        is certificates.CertificateStatus.VALID
    )
    assert (
        status(CertificateState.VALID, TODAY + timedelta(days=60), TODAY, 60)
        is certificates.CertificateStatus.EXPIRING
    )
    assert (
        status(CertificateState.VALID, TODAY - timedelta(days=1), TODAY, 60)
        is certificates.CertificateStatus.EXPIRED
    )
    assert (
        status(CertificateState.SUSPENDED, TODAY + timedelta(days=900), TODAY, 60)
        is certificates.CertificateStatus.SUSPENDED
    )
    assert (
        status(CertificateState.REVOKED, TODAY + timedelta(days=900), TODAY, 60)
        is certificates.CertificateStatus.REVOKED
    )


def test_who_may_be_dispatched(db: Database, admin: Actor, squad: int) -> None:
    good = officer(db, admin, squad, "吴刚")
    expired = officer(db, admin, squad, "郑冬", expires=TODAY - timedelta(days=1))
    other_field = officer(db, admin, squad, "王林", fields="市场监管")
    aux = officer(db, admin, squad, "冯协", staffing=Staffing.AUXILIARY, expires=None)
    suspended = officer(db, admin, squad, "陈停")
    on_leave = officer(db, admin, squad, "褚假")
    back_soon = officer(db, admin, squad, "卫回")
    with db.write() as s:
        cert_id = s.scalar(select(Certificate.id).where(Certificate.person_id == suspended))
        assert cert_id is not None
        certificates.change_certificate_state(
            s, admin, cert_id, certificates.EventKind.SUSPENDED, "调查"
        )
        for pid, until in ((on_leave, None), (back_soon, TODAY - timedelta(days=1))):
            people.update_person(
                s,
                admin,
                pid,
                people.PersonForm(
                    name=s.get(Person, pid).name,  # type: ignore[union-attr]
                    unit_id=squad,
                    staffing=Staffing.ADMINISTRATIVE,
                    status=PersonStatus.LEAVE,
                    status_since=date(2026, 11, 1),
                    status_until=until,
                ),
            )
    with db.read() as s:
        ids = {o.person_id for o in eligibility.eligible_officers(s, "综合执法", TODAY)}
        assert ids == {good, back_soon}
        assert {o.person_id for o in eligibility.eligible_officers(s, "市场监管", TODAY)} == {
            other_field
        }
        assert eligibility.ineligibility(s, good, "综合执法", TODAY) is None
        assert "过期" in (eligibility.ineligibility(s, expired, "综合执法", TODAY) or "")
        assert "不含“综合执法”" in (
            eligibility.ineligibility(s, other_field, "综合执法", TODAY) or ""
        )
        assert "协勤" in (eligibility.ineligibility(s, aux, "综合执法", TODAY) or "")
        assert "暂扣" in (eligibility.ineligibility(s, suspended, "综合执法", TODAY) or "")
        assert "请假" in (eligibility.ineligibility(s, on_leave, "综合执法", TODAY) or "")


def test_roster_listing_finds_by_pinyin_and_filters_in_sql(
    db: Database, admin: Actor, squad: int
) -> None:
    officer(db, admin, squad, "张伟")
    officer(db, admin, squad, "曾伟", expires=TODAY + timedelta(days=10))
    officer(db, admin, squad, "李四", staffing=Staffing.AUXILIARY, expires=None)
    now = timeutil.local_datetime(TODAY, time(9, 0))
    with db.read() as s:
        names = {r.values[0] for r in PEOPLE.fetch(s, admin, "zw", now=now)}
        assert names == {"张伟", "曾伟"}
        spec = next(f for f in PEOPLE.filters if f.key == "certificate")
        options = {o.label: o.condition for o in spec.options(s)}
        rows = PEOPLE.fetch(s, admin, now=now, chosen={"certificate": options["即将到期"]})
        assert [(r.values[0], r.flag) for r in rows] == [("曾伟", "warning")]
        aux = PEOPLE.fetch(s, admin, "ls", now=now)
        assert aux[0].flag == "auxiliary" and aux[0].values[4].startswith("【协勤】")


def test_dispatched_staff_need_a_stationing_mode(db: Database, admin: Actor, squad: int) -> None:
    form = people.PersonForm(name="蒋派", unit_id=squad, staffing=Staffing.DISPATCHED)
    with db.write() as s, pytest.raises(ValidationError, match="驻点方式"):
        people.create_person(s, admin, form)
    form.stationing = Stationing.ON_CALL
    with db.write() as s:
        people.create_person(s, admin, form)
        assert (
            s.scalar(select(func.count(AuditRecord.id)).where(AuditRecord.action == "新增人员"))
            == 1
        )


def test_people_are_created_in_a_batch_with_an_audit_record_each(
    db: Database, admin: Actor, squad: int
) -> None:
    from commandcenter.services import audit

    forms = [
        people.PersonForm(
            name=name,
            unit_id=squad,
            staffing=Staffing.ADMINISTRATIVE,
            id_number=id_number(f"33020619800101{n}13") if n < 3 else "",
        )
        for n, name in enumerate(["曾小明", "单丽", "王芳", "李强"])
    ]
    with db.write() as s:
        ids = people.create_people(s, admin, forms, people.RosterLookup.preload(s, []))
        created = [s.get_one(Person, i) for i in ids]
        assert [p.name for p in created] == ["曾小明", "单丽", "王芳", "李强"]
        assert created[0].version == 1 and created[0].created_at is not None
        assert set(created[0].name_initials.split()) == {"zxm", "cxm"}  # both readings of 曾
        assert created[1].gender is Gender.MALE  # from the ID number, as for one person
    with db.read() as s:
        added = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "新增人员").order_by(AuditRecord.id)
        ).all()
        assert [r.entity_id for r in added] == [p.id for p in created]
        assert "执法队" in added[0].summary and added[0].changes["name"] == "曾小明"
        assert audit.verify_chain(s).intact


def test_a_batch_is_refused_whole(db: Database, admin: Actor, squad: int) -> None:
    taken = id_number("33020619800101123")
    with db.write() as s:
        people.create_person(
            s, admin, people.PersonForm("赵四", squad, Staffing.ADMINISTRATIVE, id_number=taken)
        )

    def batch(*numbers: str) -> list[people.PersonForm]:
        return [
            people.PersonForm(f"钱{'一二三'[n]}", squad, Staffing.ADMINISTRATIVE, id_number=x)
            for n, x in enumerate(numbers)
        ]

    fresh = id_number("33020619900101123")
    for forms, message in [
        (batch(fresh, taken), "已登记在“赵四”名下"),
        (batch(fresh, fresh), "已登记在“钱一”名下"),
    ]:
        with pytest.raises(ValidationError, match=message), db.write() as s:
            lookup = people.RosterLookup.preload(s, [fresh, taken])
            people.create_people(s, admin, forms, lookup)
    with db.read() as s:
        assert s.scalar(select(func.count()).where(Person.name.like("钱%"))) == 0


def test_a_batch_after_others_gets_the_ids_of_its_own_rows(
    db: Database, admin: Actor, squad: int
) -> None:
    """On SQLite the ids of a batch are read after one executemany, not returned row by row."""
    with db.write() as s:
        before = people.create_person(
            s, admin, people.PersonForm("赵四", squad, Staffing.ADMINISTRATIVE)
        )
    names = [f"孙{c}" for c in "一二三四五六七八九十"]
    forms = [people.PersonForm(n, squad, Staffing.ADMINISTRATIVE) for n in names]
    with db.write() as s:
        ids = people.create_people(s, admin, forms, people.RosterLookup.preload(s, []))
    with db.read() as s:
        assert [s.get_one(Person, i).name for i in ids] == names
        assert min(ids) > before.id and len(set(ids)) == len(names)


def test_names_with_rare_characters_are_names(db: Database, admin: Actor, squad: int) -> None:
    """GB 18030-2022: a name in CJK Extension B (𠮷) is as valid as any other."""
    with db.write() as s:
        person = people.create_person(
            s,
            admin,
            people.PersonForm(name="𠮷喆犇", unit_id=squad, staffing=Staffing.ADMINISTRATIVE),
        )
    with db.read() as s:
        assert s.get_one(Person, person.id).name == "𠮷喆犇"
