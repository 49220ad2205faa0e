"""A small street for incident tests: a squad, a department with its agency, officers with and
without valid certificates, an auxiliary, leaders and operators, a catalogue and the 2026
calendar. Time is a settable clock, never the machine's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest

from commandcenter import timeutil
from commandcenter.db.engine import Database
from commandcenter.db.models import (
    CatalogueItem,
    CatalogueVersion,
    Certificate,
    CertificateState,
    Entity,
    Grid,
    Liaison,
    LiaisonRole,
    ListType,
    Person,
    PersonStatus,
    Recusal,
    Role,
    Staffing,
    Unit,
    UnitKind,
    User,
)
from commandcenter.services import auth, work_calendar
from commandcenter.services.actor import Actor


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timeutil.local_datetime(day, time(hour, minute))


class Clock:
    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment

    def advance(self, **kwargs: float) -> datetime:
        self.moment += timedelta(**kwargs)
        return self.moment


@dataclass
class World:
    db: Database
    clock: Clock
    operator: Actor
    operator2: Actor
    leader: Actor
    leader2: Actor
    field_leader: Actor  # a leader who is also a certified officer: R6 cases
    squad: int
    department: int
    agency: int
    grid: int
    entity: int
    officers: list[int]  # valid 综合执法 certificates
    field_officer: int  # the person behind field_leader
    expired_officer: int
    suspended_officer: int
    auxiliary: int
    recused_officer: int
    liaison: int
    items: dict[str, int] = field(default_factory=dict)  # list type value -> item id
    old_item: int = 0  # from a superseded version


WORLD_START = local(date(2026, 9, 30), 10)
PASSWORD = "incident-test-1"


@pytest.fixture
def world(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    clock = Clock(WORLD_START)
    monkeypatch.setattr(timeutil, "now", clock)
    with db.write() as s:
        work_calendar.load_official_years(s, admin, [2026])

        password_hash = auth.hash_password(PASSWORD)  # once: argon2 is slow by design

        def user(name: str, display: str, role: Role) -> Actor:
            u = User(username=name, display_name=display, role=role, password_hash=password_hash)
            s.add(u)
            s.flush()
            return Actor.of(u)

        squad = Unit(name="梅山街道综合行政执法中队", short_name="执法中队", kind=UnitKind.SQUAD)
        department = Unit(
            name="区市场监督管理局", short_name="区市场监管局", kind=UnitKind.DEPARTMENT
        )
        community = Unit(name="梅东村", short_name="梅东", kind=UnitKind.COMMUNITY)
        s.add_all([squad, department, community])
        s.flush()
        agency = Unit(
            name="区市场监管局梅山所",
            short_name="梅山市场所",
            kind=UnitKind.AGENCY,
            parent_id=department.id,
        )
        s.add(agency)
        s.flush()
        grid = Grid(code="MD-01", name="梅东一网格", community_id=community.id)
        entity = Entity(name="梅山小吃店", address="梅山大道1号")
        s.add_all([grid, entity])

        def person(name: str, staffing: Staffing = Staffing.ADMINISTRATIVE, **kw: object) -> Person:
            p = Person(name=name, unit_id=squad.id, staffing=staffing, **kw)
            s.add(p)
            s.flush()
            return p

        def certificate(p: Person, number: str, expires: date, **kw: object) -> None:
            s.add(
                Certificate(
                    person_id=p.id,
                    number=number,
                    issuer="宁波市人民政府",
                    fields="综合执法,市场监管",
                    issued_on=date(2022, 1, 1),
                    expires_on=expires,
                    **kw,
                )
            )

        officers = []
        for n, name in enumerate(["王强", "李明", "赵刚"]):
            p = person(name)
            certificate(p, f"33020100{n}", date(2028, 1, 1))
            officers.append(p.id)
        field_person = person("陈立")
        certificate(field_person, "330201009", date(2028, 1, 1))
        expired = person("周过")
        certificate(expired, "330201010", date(2026, 6, 30))
        suspended = person("吴停")
        certificate(suspended, "330201011", date(2028, 1, 1), state=CertificateState.SUSPENDED)
        recused = person("郑避")
        certificate(recused, "330201012", date(2028, 1, 1))
        auxiliary = person("孙协", Staffing.AUXILIARY)
        person("钱假", status=PersonStatus.LEAVE)
        s.flush()
        s.add(
            Recusal(
                person_id=recused.id,
                entity_id=entity.id,
                reason="近亲属经营",
                from_date=date(2026, 1, 1),
            )
        )
        liaison = Liaison(
            department_id=department.id,
            office="办公室",
            role=LiaisonRole.MAIN,
            name="林联",
            mobile="13800000001",
        )
        s.add(liaison)
        old = CatalogueVersion(label="2022版", effective_from=date(2022, 1, 1))
        current = CatalogueVersion(label="2026版", effective_from=date(2026, 1, 1))
        s.add_all([old, current])
        s.flush()
        old_item = CatalogueItem(
            version_id=old.id,
            code="ZF-001",
            name="占道经营",
            field="综合执法",
            list_type=ListType.EMPOWERED,
            time_limit_days=5,
        )
        rows = [
            ("ZF-001", "占道经营", "综合执法", ListType.EMPOWERED, None, 5, 4),
            ("LD-001", "食品摊贩监管", "市场监管", ListType.LINKED, department.id, 10, None),
            ("BM-001", "无照经营查处", "市场监管", ListType.DEPARTMENT, department.id, 15, None),
        ]
        items = {}
        for code, name, fld, list_type, dept, days, hours in rows:
            item = CatalogueItem(
                version_id=current.id,
                code=code,
                name=name,
                legal_basis="《无证无照经营查处办法》第二条",
                field=fld,
                list_type=list_type,
                department_id=dept,
                time_limit_days=days,
                time_limit_hours=hours,
            )
            s.add(item)
            s.flush()
            items[list_type.value] = item.id
        s.add(old_item)
        s.flush()
        operator = user("op1", "值班员甲", Role.OPERATOR)
        operator2 = user("op2", "值班员乙", Role.OPERATOR)
        leader = user("ld1", "张主任", Role.LEADER)
        leader2 = user("ld2", "刘副主任", Role.LEADER)
        field_leader = user("ld3", "陈立", Role.LEADER)
        s.get_one(User, field_leader.user_id).person_id = field_person.id
        w = World(
            db=db,
            clock=clock,
            operator=operator,
            operator2=operator2,
            leader=leader,
            leader2=leader2,
            field_leader=field_leader,
            squad=squad.id,
            department=department.id,
            agency=agency.id,
            grid=grid.id,
            entity=entity.id,
            officers=officers,
            field_officer=field_person.id,
            expired_officer=expired.id,
            suspended_officer=suspended.id,
            auxiliary=auxiliary.id,
            recused_officer=recused.id,
            liaison=liaison.id,
            items=items,
            old_item=old_item.id,
        )
    yield w
