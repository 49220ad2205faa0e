"""Fill a new database with a working street: deterministic for a seed and an as-of date.

Reference data goes through the ORM; incidents and their timelines go in as bulk inserts in
chunks, so ten years of a busy street (300,000 incidents) take minutes, not hours.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.engine import Database
from commandcenter.db.models import (
    AssessmentSubject,
    AssignmentRole,
    CatalogueItem,
    CatalogueVersion,
    Certificate,
    CertificateState,
    Channel,
    CreditGrade,
    DocType,
    DocumentNumber,
    Entity,
    Establishment,
    Extension,
    ExtensionState,
    Gender,
    Grid,
    Incident,
    IncidentAssignment,
    IncidentEvent,
    IncidentEventKind,
    IncidentPart,
    IncidentStatus,
    IncidentUnit,
    IndicatorSide,
    IndicatorSource,
    InspectionResult,
    LegalReview,
    LegalReviewOutcome,
    Liaison,
    LiaisonRole,
    ListType,
    MeetingKind,
    PartState,
    Person,
    PersonGroup,
    PersonPosting,
    PersonStatus,
    Plan,
    PlanStatus,
    PlanTarget,
    PlanTheme,
    Priority,
    Role,
    Route,
    Staffing,
    Stationing,
    Supervision,
    SupervisionKind,
    TrainingCourse,
    TrainingKind,
    Transfer,
    Unit,
    UnitKind,
    UnitRole,
    WhistleCall,
    WhistleReason,
)
from commandcenter.demo import (
    DEMO_LEADER,
    DEMO_PASSWORD,
    data,
    exams_patrols,
    followups,
    full_scale,
    work_order_replies,
)
from commandcenter.errors import ValidationError
from commandcenter.services import (
    annual_inspection_plan,
    audit,
    auth,
    catalogue_industries,
    docnumbers,
    draws,
    inspection_publication,
    meetings,
    plans,
    settings,
    user_people,
)
from commandcenter.services.actor import SYSTEM, Actor
from commandcenter.services.assessment import schemes, sheets
from commandcenter.services.incidents import dispatch, intake, triage
from commandcenter.services.incidents.deadlines import warning_moment
from commandcenter.services.pinyin import name_initials
from commandcenter.services.validators import (
    USCC_ALPHABET,
    id_check_char,
    org_code_check_char,
    uscc_check_char,
)
from commandcenter.services.work_calendar import Deadline, WorkCalendar

CHUNK = 5000

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoSummary:
    units: int
    people: int
    incidents: int
    plans: int
    entities: int


class _Builder:
    def __init__(self, seed: int, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        # The demo's "now": 08:00 on the as-of day, so nothing lies in the future.
        self.anchor = timeutil.local_datetime(as_of, time(8, 0))
        self.used_ids: set[str] = set()

    # --- small generators --------------------------------------------------------------------

    def name(self) -> str:
        return self.rng.choice(data.SURNAMES) + self.rng.choice(data.GIVEN)

    def mobile(self) -> str:
        return "1" + self.rng.choice("3456789") + "".join(self.rng.choices("0123456789", k=9))

    def id_number(self, gender: Gender, born_from: int = 1965, born_to: int = 2000) -> str:
        while True:
            born = date(
                self.rng.randint(born_from, born_to),
                self.rng.randint(1, 12),
                self.rng.randint(1, 28),
            )
            seq = self.rng.randint(0, 99) * 10 + self.rng.choice(
                (1, 3, 5, 7, 9) if gender is Gender.MALE else (0, 2, 4, 6, 8)
            )
            first17 = f"{data.REGION_CODE}{born:%Y%m%d}{seq:03d}"
            number = first17 + id_check_char(first17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def uscc(self) -> str:
        while True:
            org = "".join(self.rng.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=8))
            if any(c not in USCC_ALPHABET for c in org):
                continue
            org_code = org + org_code_check_char(org)
            first17 = "91" + data.REGION_CODE + org_code
            code = first17 + uscc_check_char(first17)
            if code not in self.used_ids:
                self.used_ids.add(code)
                return code

    def moment_between(self, start: datetime, end: datetime) -> datetime:
        span = max(60.0, (end - start).total_seconds())
        return start + timedelta(seconds=self.rng.uniform(0, span))


def generate(
    db: Database,
    *,
    seed: int = 2026,
    incidents: int = 800,
    as_of: date | None = None,
    progress: Progress | None = None,
    scale: full_scale.Scale | None = None,
) -> DemoSummary:
    """Fill the empty database *db* with demo data. Refuses a database that already has data.

    With *scale*, the reference data grows to it after the incidents (see ``full_scale``)."""
    as_of = as_of or timeutil.today()
    b = _Builder(seed, as_of)
    report = progress or (lambda _stage, _done, _total: None)

    with db.write() as s:
        if settings.is_initialised(s) or s.scalar(select(func.count()).select_from(Unit)):
            raise ValidationError("该数据库已有数据，演示数据只能写入新的数据库。")
        settings.first_run(
            s,
            street_name=data.STREET,
            doc_prefix=data.DOC_PREFIX,
            admin_username="admin",
            admin_display_name="演示管理员",
            admin_password=DEMO_PASSWORD,
            demo=True,
        )
        report("基础数据", 0, 1)
        org = _organisation(s, b)
        people = _people(s, b, org)
        users = _users(s, people, org)
        _operators_on_roster(s, users, people, org)
        _liaisons(s, b, org)
        items = _catalogue(s, org, as_of)
        entities = _entities(s, b, org)
        _training(s, b, people, org)
        exams_patrols.exams(s, as_of)
        exams_patrols.certificate_applications(s, users.leader, as_of)
        _establishments(s, b, org)
        exams_patrols.approved_auxiliaries(s, as_of)
        audit.record(
            s,
            SYSTEM,
            "demo.generate",
            f"生成演示数据（种子 {seed}，截至 {as_of.isoformat()}，事件 {incidents} 件）",
        )

    with db.read() as s:
        cal = WorkCalendar.load(s)
    total = 0
    for done in _incidents(db, b, cal, users, org, people, items, entities, incidents):
        total = done
        report("事件", done, incidents)

    with db.write() as s:
        if s.get_bind().dialect.name == "postgresql":
            # The bulk insert chose incident ids itself; move the sequence past them so ids
            # the services take next do not collide.
            s.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('incidents', 'id'),"
                    " (SELECT COALESCE(MAX(id), 1) FROM incidents))"
                )
            )
        if scale is not None:
            full_scale.grow(s, b, org, users.leader, scale, report)
        _this_morning(s, b, users, org, items)
        exams_patrols.patrols(s, as_of)
        report("联合行动", 0, 1)
        plans = _plans(s, b, users, org, items, count=scale.plans if scale else 14)
        _supervisions(s, b, users, org)
        _transfers(s, b, users)
        followups.follow_ups(
            s,
            random.Random(as_of.toordinal()),  # its own, so the draws after it stay as they were
            b.anchor,
            users.leader,
            users.operators[0],
            followups.DemoUnits(
                org.squads, list(org.agencies.values()), list(org.departments.values())
            ),
        )
        _assessments(s, b, users)
        if scale is not None:
            full_scale.past_assessments(s, b, users.leader, scale, report)
        _meetings(s, b, users, org)
        _inspection_year(s, b, users, org)
        work_order_replies.answer_orders(s)
        people_count = s.scalar(select(func.count()).select_from(Person)) or 0
        entity_count = s.scalar(select(func.count()).select_from(Entity)) or 0
    return DemoSummary(
        units=len(org.all_units),
        people=people_count,
        incidents=total + len(MORNING_CALLS),
        plans=plans,
        entities=entity_count,
    )


# --- users ----------------------------------------------------------------------------------


@dataclass
class _Users:
    leader: Actor
    operators: list[Actor]
    admin: Actor


def _users(s: Session, people: _People, org: _Org) -> _Users:
    """The accounts; each leader's names its person on the roster (the executive deputy
    director and the street office's director), as the separation rule needs."""
    admin = auth.actor_for(s, "admin")

    def holder(unit: Unit, position: str) -> Person:
        return next(p for p in people.all if p.unit_id == unit.id and p.position == position)

    leaders = {
        DEMO_LEADER: holder(org.centre, "常务副主任"),
        "director": holder(org.street, "主任"),
    }
    made = []
    for username, display, role in [
        (DEMO_LEADER, "王建国", Role.LEADER),
        ("director", "李卫东", Role.LEADER),
        ("operator", "陈丽萍", Role.OPERATOR),
        ("operator2", "周晓东", Role.OPERATOR),
        ("operator3", "吴海燕", Role.OPERATOR),
    ]:
        person = leaders.get(username)
        if person is not None:
            person.name, person.name_initials = display, name_initials(display)
            s.flush()
        user = auth.create_user(
            s,
            admin,
            username=username,
            display_name=display,
            role=role,
            password=DEMO_PASSWORD,
            person_id=person.id if person else None,
        )
        made.append(Actor.of(user))
    return _Users(leader=made[0], operators=made[2:], admin=admin)


def _operators_on_roster(s: Session, users: _Users, people: _People, org: _Org) -> None:
    """The operators' accounts belong to the command room's 值班员 on the roster (the fourth
    has no account, so his account-based indicators read 不适用)."""
    desks = [p for p in people.all if p.unit_id == org.centre.id and p.position == "值班员"]
    desks.sort(key=lambda p: p.status is not PersonStatus.ON_DUTY)  # those at work first
    for operator, person in zip(users.operators, desks, strict=False):
        person.name = operator.display_name
        person.name_initials = name_initials(operator.display_name)
        s.flush()
        assert operator.user_id is not None
        user_people.link_person(s, users.admin, operator.user_id, person.id)


# --- organisation ---------------------------------------------------------------------------


@dataclass
class _Org:
    street: Unit
    centre: Unit
    squads: list[Unit]
    departments: dict[str, Unit]  # by field
    agencies: dict[str, Unit]  # by field
    communities: list[Unit]
    grids: list[Grid]
    all_units: list[Unit]

    def lead_for_field(self, field: str) -> Unit:
        return self.agencies.get(field) or self.departments[field]


def _organisation(s: Session, b: _Builder) -> _Org:
    units: list[Unit] = []

    def unit(name: str, short: str, kind: UnitKind, parent: Unit | None = None, **kw: Any) -> Unit:
        u = Unit(
            name=name,
            short_name=short,
            kind=kind,
            parent=parent,
            sort_order=len(units),
            phone=f"0574-8{b.rng.randint(1000000, 9999999)}",
            **kw,
        )
        s.add(u)
        units.append(u)
        return u

    street = unit(f"{data.STREET}办事处", data.STREET, UnitKind.STREET_OFFICE)
    centre = unit(f"{data.STREET}综合行政执法指挥中心", "指挥中心", UnitKind.COMMAND_CENTRE, street)
    squads = [
        unit(
            f"{data.STREET}综合行政执法队第{n}中队",
            f"执法{n}中队",
            UnitKind.SQUAD,
            street,
            fields="综合执法",
        )
        for n in ("一", "二")
    ]
    departments: dict[str, Unit] = {}
    agencies: dict[str, Unit] = {}
    for name, short, dtype, field, agency in data.DEPARTMENTS:
        dept = unit(name, short, UnitKind.DEPARTMENT, department_type=dtype, fields=field)
        departments[field] = dept
        if agency:
            agencies[field] = unit(
                agency[0],
                agency[1],
                UnitKind.AGENCY,
                dept,
                fields=field,
                address=f"{data.STREET}{b.rng.choice(data.ROADS)}{b.rng.randint(1, 300)}号",
            )
    communities = [
        unit(f"{data.STREET}{c}", c, UnitKind.COMMUNITY, street) for c in data.COMMUNITIES
    ]
    s.flush()
    grids = []
    for ci, community in enumerate(communities, start=1):
        for gi in range(1, b.rng.randint(3, 5) + 1):
            grid = Grid(
                code=f"MS{ci:02d}{gi:02d}",
                name=f"{community.short_name}第{gi}网格",
                community_id=community.id,
            )
            s.add(grid)
            grids.append(grid)
    s.flush()
    return _Org(street, centre, squads, departments, agencies, communities, grids, units)


# --- people ---------------------------------------------------------------------------------


@dataclass
class _People:
    all: list[Person]
    officers_by_field: dict[str, list[Person]]  # certified, on duty, not auxiliary
    auxiliaries: list[Person]
    squad_officers: dict[int, list[Person]]  # squad unit id -> certified officers


def _people(s: Session, b: _Builder, org: _Org) -> _People:
    people: list[Person] = []
    by_field: dict[str, list[Person]] = {}
    squad_officers: dict[int, list[Person]] = {}
    auxiliaries: list[Person] = []
    cert_seq = 0

    def person(
        unit: Unit,
        position: str,
        staffing: Staffing,
        field: str = "",
        stationing: Stationing | None = None,
    ) -> Person:
        nonlocal cert_seq
        gender = b.rng.choice([Gender.MALE, Gender.MALE, Gender.FEMALE])
        name = b.name()
        status = PersonStatus.ON_DUTY
        roll = b.rng.random()
        if roll < 0.04:
            status = PersonStatus.LEAVE
        elif roll < 0.06:
            status = PersonStatus.SECONDED
        elif roll < 0.08:
            status = PersonStatus.RETIRED
        p = Person(
            name=name,
            name_initials=name_initials(name),
            gender=gender,
            id_number=b.id_number(gender),
            mobile=b.mobile(),
            office_phone=f"0574-8{b.rng.randint(1000000, 9999999)}",
            unit=unit,
            position=position,
            staffing=staffing,
            stationing=stationing,
            status=status,
            status_since=b.as_of - timedelta(days=b.rng.randint(30, 2000)),
            fields=field,
        )
        s.add(p)
        people.append(p)
        if staffing is Staffing.AUXILIARY:
            auxiliaries.append(p)
            return p
        if field:
            cert_seq += 1
            issued = b.as_of - timedelta(days=b.rng.randint(200, 1700))
            expires = issued + timedelta(days=365 * 5)
            roll = b.rng.random()
            if roll < 0.08:  # expiring soon: the 工作台 warns about these
                expires = b.as_of + timedelta(days=b.rng.randint(3, 55))
            elif roll < 0.12:  # expired: must not be dispatched
                expires = b.as_of - timedelta(days=b.rng.randint(5, 200))
            state = CertificateState.SUSPENDED if b.rng.random() < 0.02 else CertificateState.VALID
            s.add(
                Certificate(
                    person=p,
                    number=f"浙执{data.REGION_CODE[2:]}{issued.year % 100:02d}{cert_seq:05d}",
                    issuer="宁波市北仑区人民政府",
                    fields=field,
                    area="宁波市北仑区",
                    issued_on=issued,
                    expires_on=expires,
                    state=state,
                    last_review_on=max(issued, b.as_of - timedelta(days=b.rng.randint(30, 400))),
                )
            )
            usable = (
                state is CertificateState.VALID
                and expires >= b.as_of
                and status is PersonStatus.ON_DUTY
            )
            if usable:
                by_field.setdefault(field, []).append(p)
                if unit in org.squads:
                    squad_officers.setdefault(unit.id, []).append(p)
        return p

    person(org.street, "主任", Staffing.ADMINISTRATIVE)
    person(org.centre, "常务副主任", Staffing.ADMINISTRATIVE, "综合执法")
    for _ in range(4):
        person(org.centre, "值班员", Staffing.INSTITUTION)
    for squad in org.squads:
        person(squad, "中队长", Staffing.ADMINISTRATIVE, "综合执法")
        person(squad, "副中队长", Staffing.ADMINISTRATIVE, "综合执法")
        for _ in range(14):
            person(
                squad,
                "执法队员",
                b.rng.choice([Staffing.ADMINISTRATIVE, Staffing.INSTITUTION]),
                "综合执法",
            )
        for _ in range(8):
            person(squad, "协勤队员", Staffing.AUXILIARY)
    for field, agency in org.agencies.items():
        person(agency, "所长", Staffing.DISPATCHED, field, Stationing.RESIDENT)
        for _ in range(b.rng.randint(4, 7)):
            person(
                agency,
                "执法人员",
                Staffing.DISPATCHED,
                field,
                b.rng.choice([Stationing.RESIDENT, Stationing.DISPATCHED]),
            )
        person(agency, "协管员", Staffing.AUXILIARY)
    for field, dept in org.departments.items():
        if field not in org.agencies:
            for _ in range(2):
                person(dept, "执法人员", Staffing.DISPATCHED, field, Stationing.ON_CALL)
    for community in org.communities:
        for _ in range(2):
            person(community, "专职网格员", Staffing.AUXILIARY)
    s.flush()
    # Everyone has been in post since before the demo's years began.
    posted = date(b.as_of.year - 3, 1, 1)
    s.add_all(
        PersonPosting(
            person_id=p.id,
            unit_id=p.unit_id,
            staffing=p.staffing,
            position=p.position,
            from_date=posted,
        )
        for p in people
    )
    s.flush()
    # One officer of the second squad was made its deputy leader four months ago: his sheet
    # shows the move, and he is assessed under the group he spent most of the year in.
    promoted = next(
        p
        for p in people
        if p.unit_id == org.squads[1].id
        and p.position == "执法队员"
        and p.status is PersonStatus.ON_DUTY
    )
    promoted.position = "副中队长"
    s.add(
        PersonPosting(
            person_id=promoted.id,
            unit_id=promoted.unit_id,
            staffing=promoted.staffing,
            position=promoted.position,
            from_date=b.as_of - timedelta(days=120),
        )
    )
    s.flush()
    workers = [p for p in people if p.position == "专职网格员"]
    for grid in org.grids:
        same = [w for w in workers if w.unit_id == grid.community_id]
        grid.worker_id = b.rng.choice(same).id
    return _People(people, by_field, auxiliaries, squad_officers)


def _liaisons(s: Session, b: _Builder, org: _Org) -> None:
    for field, dept in org.departments.items():
        for role in (LiaisonRole.MAIN, LiaisonRole.BACKUP):
            s.add(
                Liaison(
                    department=dept,
                    role=role,
                    office=b.rng.choice(["办公室", "执法监督科", "法规科", f"{field}科"]),
                    name=b.name(),
                    position="科长" if role is LiaisonRole.MAIN else "科员",
                    mobile=b.mobile(),
                    office_phone=f"0574-8{b.rng.randint(1000000, 9999999)}",
                    duty_hours="工作日 8:30-17:30" if role is LiaisonRole.MAIN else "24小时值班",
                )
            )


def _catalogue(s: Session, org: _Org, as_of: date) -> list[CatalogueItem]:
    older = CatalogueVersion(
        label="2022版赋权事项清单",
        effective_from=date(as_of.year - 4, 1, 1),
        source="区政府2022年第一批赋权事项",
    )
    current = CatalogueVersion(
        label=f"{as_of.year - 1}版赋权事项清单",
        effective_from=date(as_of.year - 1, 1, 1),
        source="区政府关于调整街道综合行政执法事项的通知",
    )
    s.add_all([older, current])
    items = []
    for version, rows in ((older, data.ITEMS[:24]), (current, data.ITEMS)):
        for code, name, basis, field, list_type, days in rows:
            item = CatalogueItem(
                version=version,
                code=code,
                name=name,
                legal_basis=basis,
                field=field,
                list_type=list_type,
                time_limit_days=days,
                department_id=None
                if list_type is ListType.EMPOWERED
                else org.departments[field].id,
                industries=catalogue_industries.join(catalogue_industries.from_name(name)),
            )
            s.add(item)
            if version is current:
                items.append(item)
    s.flush()
    return items


def _entities(s: Session, b: _Builder, org: _Org) -> list[Entity]:
    entities = []
    for _ in range(360):
        industry, suffix = b.rng.choice(data.INDUSTRIES)
        grid = b.rng.choice(org.grids)
        grade = b.rng.choices(
            [CreditGrade.GREEN, CreditGrade.YELLOW, CreditGrade.RED], weights=[80, 15, 5]
        )[0]
        e = Entity(
            name=f"宁波{b.rng.choice(data.ENTITY_WORDS)}{b.rng.choice(data.ENTITY_WORDS)}{suffix}",
            uscc=b.uscc(),
            address=f"{data.STREET}{b.rng.choice(data.ROADS)}{b.rng.randint(1, 400)}号",
            grid_id=grid.id,
            industry=industry,
            contact_name=b.name(),
            contact_phone=b.mobile(),
            credit_grade=grade,
        )
        s.add(e)
        entities.append(e)
    s.flush()
    return entities


def _training(s: Session, b: _Builder, people: _People, org: _Org) -> None:
    """Central courses by the centre; touring lectures and case coaching by departments."""
    officers = [p for ps in people.officers_by_field.values() for p in ps]
    titles = {
        TrainingKind.CENTRAL: [
            "行政处罚法专题培训",
            "执法文书制作规范",
            "执法记录仪使用与证据固定",
        ],
        TrainingKind.TOURING: ["{short}业务巡讲", "{short}执法要点解读"],
        TrainingKind.CASE_BASED: ["以案代训：{short}典型案件现场指导"],
    }
    for year in (b.as_of.year - 1, b.as_of.year):
        plan: list[tuple[TrainingKind, Unit]] = [(TrainingKind.CENTRAL, org.centre)] * 2
        for dept in org.departments.values():
            plan += [(TrainingKind.TOURING, dept)] * b.rng.randint(0, 2)
            plan += [(TrainingKind.CASE_BASED, dept)] * b.rng.randint(1, 4)
        for kind, organiser in plan:
            held = date(year, b.rng.randint(1, 12), b.rng.randint(1, 28))
            if held > b.as_of:
                continue
            pool = [p for p in officers if organiser is org.centre or p.fields in organiser.fields]
            course = TrainingCourse(
                title=b.rng.choice(titles[kind]).format(short=organiser.short_name),
                kind=kind,
                held_on=held,
                hours=b.rng.choice(
                    [2.0, 3.0, 4.0, 8.0] if kind is TrainingKind.CENTRAL else [2.0, 3.0]
                ),
                organiser_id=organiser.id,
            )
            course.attendees = b.rng.sample(
                pool or officers, k=min(len(pool or officers), b.rng.randint(5, 30))
            )
            s.add(course)
    _staff_training(s, b, people, org)


def _staff_training(s: Session, b: _Builder, people: _People, org: _Org) -> None:
    """The centre's own courses for the command room and for auxiliaries, twice a year; a few
    miss each. A random source of their own, so the rest of the demo stays as it was."""
    rng = random.Random(f"staff-training-{b.as_of.year}")
    desk = [p for p in people.all if p.unit_id == org.centre.id]
    for year in (b.as_of.year - 1, b.as_of.year):
        for title, group, hours in (
            ("指挥调度与事件研判业务培训", desk, 4.0),
            ("协勤人员岗位规范与安全培训", people.auxiliaries, 3.0),
        ):
            for month in (3, 9):
                held = date(year, month, rng.randint(1, 28))
                if held > b.as_of:
                    continue
                course = TrainingCourse(
                    title=title,
                    kind=TrainingKind.CENTRAL,
                    held_on=held,
                    hours=hours,
                    organiser_id=org.centre.id,
                )
                course.attendees = [p for p in group if rng.random() < 0.85]
                s.add(course)


def _establishments(s: Session, b: _Builder, org: _Org) -> None:
    for squad in org.squads:
        s.add(Establishment(unit_id=squad.id, year=b.as_of.year, approved_headcount=20))
    for field, dept in org.departments.items():
        total = b.rng.randint(20, 80)
        share = 0.85 if field == "综合执法" else b.rng.uniform(0.4, 0.7)
        s.add(
            Establishment(
                unit_id=dept.id,
                year=b.as_of.year,
                approved_headcount=total + 5,
                enforcement_total=total,
                enforcement_locked=int(total * share),
            )
        )


# --- incidents ------------------------------------------------------------------------------

# The share of the time from receipt to the end of the work that the centre takes to dispatch.
_CENTRE_SHARE = 0.1
_PATH = [
    IncidentStatus.REGISTERED,
    IncidentStatus.TRIAGED,
    IncidentStatus.DISPATCHED,
    IncidentStatus.ACCEPTED,
    IncidentStatus.IN_PROGRESS,
    IncidentStatus.REPORTED,
    IncidentStatus.CLOSED,
]
_EVENT_FOR = {
    IncidentStatus.REGISTERED: IncidentEventKind.REGISTERED,
    IncidentStatus.TRIAGED: IncidentEventKind.TRIAGED,
    IncidentStatus.DISPATCHED: IncidentEventKind.DISPATCHED,
    IncidentStatus.ACCEPTED: IncidentEventKind.ACCEPTED,
    IncidentStatus.IN_PROGRESS: IncidentEventKind.STARTED,
    IncidentStatus.REPORTED: IncidentEventKind.REPORTED,
    IncidentStatus.CLOSED: IncidentEventKind.CLOSED,
}
_CHANNEL_WEIGHTS = {
    Channel.HOTLINE_12345: 38,
    Channel.PLATFORM: 20,
    Channel.GRID_PATROL: 18,
    Channel.PUBLIC_REPORT: 8,
    Channel.DEPARTMENT_TRANSFER: 4,
    Channel.SUPERIOR: 3,
    Channel.OWN_PATROL: 8,
    Channel.MEDIA: 1,
}


@dataclass(frozen=True)
class _Pools:
    """What every generated incident draws from, worked out once."""

    channels: list[Channel]
    channel_weights: list[int]
    items: list[tuple[int, str, str, ListType, int]]  # id, code, field, list type, time limit
    item_weights: list[int]
    grids_by_community: dict[int, list[Grid]]
    auxiliaries: list[Person]  # of the squads
    entities: list[Entity]

    @classmethod
    def of(
        cls, org: _Org, people: _People, items: list[CatalogueItem], entities: list[Entity]
    ) -> _Pools:
        squad_ids = {sq.id for sq in org.squads}
        return cls(
            channels=list(_CHANNEL_WEIGHTS),
            channel_weights=list(_CHANNEL_WEIGHTS.values()),
            items=[(i.id, i.code, i.field, i.list_type, i.time_limit_days or 5) for i in items],
            item_weights=[6 if i.list_type is ListType.EMPOWERED else 2 for i in items],
            grids_by_community={
                c.id: [g for g in org.grids if g.community_id == c.id] for c in org.communities
            },
            auxiliaries=[p for p in people.auxiliaries if p.unit_id in squad_ids],
            entities=entities,
        )


@dataclass
class _Numbering:
    """Incident numbers run per year of receipt; dispatch order numbers (梅执指派〔year〕N号) per
    year of dispatch."""

    incidents: dict[int, int] = dataclasses.field(default_factory=dict)
    orders: dict[int, int] = dataclasses.field(default_factory=dict)

    def next_incident(self, year: int) -> int:
        self.incidents[year] = self.incidents.get(year, 0) + 1
        return self.incidents[year]

    def next_order(self, year: int) -> int:
        self.orders[year] = self.orders.get(year, 0) + 1
        return self.orders[year]


@dataclass
class _Rows:
    """One chunk of incidents and everything that hangs off them, ready for bulk inserts."""

    incidents: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    events: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    units: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    assignments: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    whistles: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    extensions: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    numbers: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    parts: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    reviews: list[dict[str, Any]] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class _Life:
    """One generated incident: what it is about and how far along its life it has come.

    The draws happen in a fixed order (subject, then course, then the row's own details, then the
    dispatch), which is what keeps a seed's street the same from one run to the next."""

    id: int
    number: str
    received_at: datetime
    item_id: int
    field: str
    community: Unit
    grid: Grid
    road: str
    title: str
    channel: Channel
    priority: Priority
    registrar: Actor
    deadline: Deadline
    warning_at: datetime | None
    unit_deadline_at: datetime | None  # the same allowance counted from the dispatch
    final: IncidentStatus
    route: Route
    squad: Unit
    lead: Unit
    path: list[IncidentStatus]  # the statuses it went through on the usual way
    status_at: dict[IncidentStatus, datetime]
    last_moment: datetime
    is_major: bool

    @property
    def reached(self) -> set[IncidentStatus]:
        return set(self.path)


def _incidents(
    db: Database,
    b: _Builder,
    cal: WorkCalendar,
    users: _Users,
    org: _Org,
    people: _People,
    items: list[CatalogueItem],
    entities: list[Entity],
    count: int,
) -> Iterator[int]:
    """Make *count* incidents in chunks, yielding how many are stored after each."""
    pools = _Pools.of(org, people, items, entities)
    span_days = min(3650, max(150, count // 80))
    start = b.anchor - timedelta(days=span_days)
    # Received times, sorted, so numbers run in order within each year.
    received = sorted(b.moment_between(start, b.anchor) for _ in range(count))
    numbering = _Numbering()
    for chunk_start in range(0, count, CHUNK):
        rows = _Rows()
        chunk = received[chunk_start : chunk_start + CHUNK]
        for inc_id, received_at in enumerate(chunk, start=chunk_start + 1):
            year = timeutil.local_date(received_at).year
            number = f"{year}-{numbering.next_incident(year):06d}"
            life = _live(b, pools, cal, users, org, inc_id, number, received_at)
            rows.incidents.append(_incident_row(b, pools, users, life))
            rows.events += _event_rows(life, org)
            rows.reviews += _review_rows(rows.incidents[-1], life)
            if IncidentStatus.DISPATCHED in life.reached:
                _dispatch_rows(b, pools, users, org, people, numbering, life, rows)
        _insert(db, rows)
        yield min(count, chunk_start + CHUNK)


def _live(
    b: _Builder,
    pools: _Pools,
    cal: WorkCalendar,
    users: _Users,
    org: _Org,
    inc_id: int,
    number: str,
    received_at: datetime,
) -> _Life:
    """Draw what the incident is about, then how far it got and when each step happened."""
    rng = b.rng
    item_id, code, field, list_type, limit = rng.choices(pools.items, weights=pools.item_weights)[0]
    community = rng.choice(org.communities)
    grid = rng.choice(pools.grids_by_community[community.id])
    road = rng.choice(data.ROADS)
    title = rng.choice(data.ITEM_TITLES[code]).format(
        road=road, community=community.short_name, n=rng.randint(1, 300)
    )
    channel = rng.choices(pools.channels, weights=pools.channel_weights)[0]
    priority = Priority.URGENT if rng.random() < 0.08 else Priority.NORMAL
    registrar = rng.choice(users.operators)
    deadline = cal.add_working_days(
        received_at, max(1, limit // 2) if priority is Priority.URGENT else limit
    )
    final = _final_status(rng, list_type, limit, (b.anchor - received_at).total_seconds() / 86400)
    route = _ROUTE_FOR[list_type]
    squad = rng.choice(org.squads)
    lead = squad if route is not Route.TRANSFER else org.departments[field]
    late = rng.random() < 0.08
    end = deadline.at + timedelta(hours=rng.uniform(2, 72)) if late else deadline.at
    path, moments = _timeline(b, final, received_at, min(end, b.anchor))
    status_at = dict(zip(path, moments, strict=False))
    dispatched_at = status_at.get(IncidentStatus.DISPATCHED)
    unit_deadline = (
        cal.add_working_days(
            dispatched_at, max(1, limit // 2) if priority is Priority.URGENT else limit
        ).at
        if dispatched_at is not None
        else None
    )
    return _Life(
        id=inc_id,
        number=number,
        received_at=received_at,
        item_id=item_id,
        field=field,
        community=community,
        grid=grid,
        road=road,
        title=title,
        channel=channel,
        priority=priority,
        registrar=registrar,
        deadline=deadline,
        warning_at=warning_moment(cal, received_at, deadline.at, 75),
        unit_deadline_at=unit_deadline,
        final=final,
        route=route,
        squad=squad,
        lead=lead,
        path=path,
        status_at=status_at,
        last_moment=moments[-1],
        is_major=rng.random() < 0.01,
    )


_ROUTE_FOR = {
    ListType.EMPOWERED: Route.SQUAD,
    ListType.LINKED: Route.WHISTLE,
    ListType.DEPARTMENT: Route.TRANSFER,
}


def _final_status(
    rng: random.Random, list_type: ListType, limit: int, age_days: float
) -> IncidentStatus:
    """How far along its life the incident has come: old incidents are nearly all finished."""
    if list_type is ListType.DEPARTMENT and rng.random() < 0.7:
        final = IncidentStatus.TRANSFERRED
    elif age_days > limit * 1.6 + 3:
        final = IncidentStatus.CLOSED if rng.random() < 0.97 else rng.choice(_PATH[2:6])
    else:
        final = rng.choices(_PATH, weights=[4, 4, 10, 10, 14, 10, 25 + int(age_days)])[0]
    if rng.random() < 0.004:
        final = IncidentStatus.MERGED
    return final


def _timeline(
    b: _Builder, final: IncidentStatus, received_at: datetime, end: datetime
) -> tuple[list[IncidentStatus], list[datetime]]:
    """The statuses passed on the usual way and when: steps evenly spread between receipt and
    the end of the work, and one more moment for a transfer or merge that leaves the way."""
    path = _PATH[: _PATH.index(final) + 1] if final in _PATH else _PATH[:2]
    if final in (IncidentStatus.TRANSFERRED, IncidentStatus.MERGED):
        path = _PATH[:2]
    steps = sorted(
        b.moment_between(received_at, max(end, received_at + timedelta(minutes=30 * len(path))))
        for _ in range(len(path) - 1)
    )
    moments = [received_at, *steps]
    if len(path) > _PATH.index(IncidentStatus.DISPATCHED):
        # The centre triages and dispatches within hours as a rule; the unit signs for the order
        # as long after the dispatch as it would have, and the rest is the unit's time.
        dispatched = moments[2]
        for n in (1, 2):
            moments[n] = received_at + (moments[n] - received_at) * _CENTRE_SHARE
        if len(moments) > 3:
            moments[3] = moments[2] + (moments[3] - dispatched)
    if final not in path:
        moments.append(
            b.moment_between(moments[-1], min(b.anchor, moments[-1] + timedelta(days=2)))
        )
    return path, moments


def _incident_row(b: _Builder, pools: _Pools, users: _Users, life: _Life) -> dict[str, Any]:
    rng = b.rng
    year = timeutil.local_date(life.received_at).year
    reached = life.reached
    closed_at = life.status_at.get(IncidentStatus.CLOSED)
    reporter = life.channel in (Channel.HOTLINE_12345, Channel.PUBLIC_REPORT)
    # The draws below happen in the order of the keys.
    return {
        "id": life.id,
        "number": life.number,
        "channel": life.channel,
        "channel_ref": f"12345-{year}{rng.randint(10**7, 10**8 - 1)}"
        if life.channel is Channel.HOTLINE_12345
        else None,
        "title": life.title,
        "description": f"{'群众来电反映' if reporter else '巡查发现'}：{life.title}，"
        f"请及时核实处置。",
        "address": f"{data.STREET}{life.road}{rng.randint(1, 300)}号",
        "grid_id": life.grid.id,
        "entity_id": rng.choice(pools.entities).id if rng.random() < 0.3 else None,
        "reporter_name": b.name() if reporter else None,
        "reporter_phone": b.mobile() if reporter else None,
        "received_at": life.received_at,
        "registered_by_id": life.registrar.user_id,
        "status": life.final,
        "priority": life.priority,
        "is_major": life.is_major,
        "item_id": life.item_id,
        "route": life.route,
        "lead_unit_id": life.lead.id if IncidentStatus.TRIAGED in reached else None,
        "dispatched_at": life.status_at.get(IncidentStatus.DISPATCHED),
        "accepted_at": life.status_at.get(IncidentStatus.ACCEPTED),
        "deadline_at": life.deadline.at,
        "deadline_uncertain": life.deadline.uncertain,
        "warning_at": life.warning_at,
        "unit_deadline_at": life.unit_deadline_at,
        "dispatched_by_id": life.registrar.user_id
        if IncidentStatus.DISPATCHED in reached
        else None,
        "reported_at": life.status_at.get(IncidentStatus.REPORTED),
        "closed_at": closed_at,
        "legal_reviewed_at": closed_at - timedelta(hours=2)
        if life.is_major and closed_at
        else None,
        "legal_reviewed_by_id": users.leader.user_id if life.is_major and closed_at else None,
        "satisfaction": rng.choices([5, 4, 3, 2], weights=[70, 20, 7, 3])[0]
        if closed_at and rng.random() < 0.6
        else None,
        "version": 1,
        "created_at": life.received_at,
        "updated_at": life.last_moment,
    }


def _review_rows(row: dict[str, Any], life: _Life) -> list[dict[str, Any]]:
    """A closed major decision passed its legal review two hours before it closed."""
    if row["legal_reviewed_at"] is None:
        return []
    return [
        {
            "incident_id": life.id,
            "reviewed_at": row["legal_reviewed_at"],
            "reviewed_by_id": row["legal_reviewed_by_id"],
            "outcome": LegalReviewOutcome.PASSED,
            "opinion": "事实清楚，证据确凿，程序合法，适用依据正确，同意。",
            "corrections": None,
        }
    ]


def _event_rows(life: _Life, org: _Org) -> list[dict[str, Any]]:
    """The timeline: one event per status on the way, and the transfer or merge that left it."""
    events = []
    previous: IncidentStatus | None = None
    for status in life.path:
        events.append(
            {
                "incident_id": life.id,
                "at": life.status_at[status],
                "user_id": life.registrar.user_id,
                "kind": _EVENT_FOR[status],
                "from_status": previous,
                "to_status": status,
                "note": None,
            }
        )
        previous = status
    if life.final not in life.path:
        transferred = life.final is IncidentStatus.TRANSFERRED
        events.append(
            {
                "incident_id": life.id,
                "at": life.last_moment,
                "user_id": life.registrar.user_id,
                "kind": IncidentEventKind.TRANSFERRED if transferred else IncidentEventKind.MERGED,
                "from_status": previous,
                "to_status": life.final,
                "note": f"移送{org.departments[life.field].short_name}"
                if transferred
                else "与同一事项合并办理",
            }
        )
    return events


def _dispatch_rows(
    b: _Builder,
    pools: _Pools,
    users: _Users,
    org: _Org,
    people: _People,
    numbering: _Numbering,
    life: _Life,
    rows: _Rows,
) -> None:
    """What a dispatch leaves behind: the numbered order, the units, a whistle call on a linked
    item, the team on site and now and then a request for more time."""
    rng = b.rng
    dispatched_at = life.status_at[IncidentStatus.DISPATCHED]
    order_year = timeutil.local_date(dispatched_at).year
    seq = numbering.next_order(order_year)
    rows.numbers.append(
        {
            "doc_type": DocType.DISPATCH.value,
            "year": order_year,
            "seq": seq,
            "number": docnumbers.format_number(data.DOC_PREFIX, DocType.DISPATCH, order_year, seq),
            "issued_at": dispatched_at,
            "issued_by_id": life.registrar.user_id,
            "entity_type": "incident",
            "entity_id": life.id,
            "title": f"指挥调度单（事件 {life.number}）",
        }
    )
    rows.units.append({"incident_id": life.id, "unit_id": life.lead.id, "role": UnitRole.LEAD})
    if life.route is Route.WHISTLE:
        _whistle_rows(rng, users, org, life, rows)
    pool = people.squad_officers.get(life.squad.id) or people.officers_by_field["综合执法"]
    for officer in rng.sample(pool, k=2):
        rows.assignments.append(
            {
                "incident_id": life.id,
                "person_id": officer.id,
                "role": AssignmentRole.OFFICER,
                "certificate_number": None,
            }
        )
    if pools.auxiliaries and rng.random() < 0.4:
        rows.assignments.append(
            {
                "incident_id": life.id,
                "person_id": rng.choice(pools.auxiliaries).id,
                "role": AssignmentRole.AUXILIARY,
                "certificate_number": None,
            }
        )
    if rng.random() < 0.03:
        rows.extensions.append(_extension_row(b, users, life))


def _whistle_rows(rng: random.Random, users: _Users, org: _Org, life: _Life, rows: _Rows) -> None:
    """A linked item brings its department in as co-operating unit, called by whistle."""
    dept = org.lead_for_field(life.field)
    rows.units.append({"incident_id": life.id, "unit_id": dept.id, "role": UnitRole.CO})
    called = life.status_at[IncidentStatus.DISPATCHED]
    whistle: dict[str, Any] = {
        "incident_id": life.id,
        "department_id": dept.id,
        "called_at": called,
        "called_by_id": life.registrar.user_id,
        "reason": rng.choice(list(WhistleReason)[:4]),
        "approved_by_id": users.leader.user_id,
        "acknowledged_at": called + timedelta(minutes=rng.randint(2, 9)),
        "arrived_at": called + timedelta(minutes=rng.randint(10, 240))
        if IncidentStatus.ACCEPTED in life.reached
        else None,
        "arrived_names": None,
        "note": None,
        "liaison_id": None,
    }
    rows.whistles.append(whistle)
    rows.parts.append(_part_row(life, dept, whistle["arrived_at"]))


def _part_row(life: _Life, dept: Unit, arrived: datetime | None) -> dict[str, Any]:
    """The department's own part: signed for when its people reported in on site, reported
    that much before the lead unit's report (no draws of its own, so the street stays)."""
    reported = life.status_at.get(IncidentStatus.REPORTED)
    called = life.status_at[IncidentStatus.DISPATCHED]
    if arrived is not None and reported is not None:
        reported = max(arrived, reported - (arrived - called))
    state = PartState.DISPATCHED
    if arrived is not None:
        state = PartState.REPORTED if reported is not None else PartState.ACCEPTED
    return {
        "incident_id": life.id,
        "unit_id": dept.id,
        "state": state,
        "accepted_at": arrived,
        "accepted_by": "现场报到人员" if arrived else None,
        "reported_at": reported if arrived is not None else None,
        "result": "已派员到场，按职责完成专业核查处置" if state is PartState.REPORTED else None,
        "waived_at": None,
        "waived_by_id": None,
        "waive_reason": None,
    }


def _extension_row(b: _Builder, users: _Users, life: _Life) -> dict[str, Any]:
    rng = b.rng
    approved = rng.random() < 0.8
    asked = life.status_at[IncidentStatus.DISPATCHED] + timedelta(hours=rng.randint(4, 48))
    return {
        "incident_id": life.id,
        "requested_at": min(asked, b.anchor),
        "requested_by_id": life.registrar.user_id,
        "working_days": rng.choice([3, 5, 10]),
        "reason": "需协调产权单位现场核实，申请延期办理",
        "state": ExtensionState.APPROVED if approved else ExtensionState.REQUESTED,
        "decided_at": min(asked + timedelta(hours=3), b.anchor) if approved else None,
        "decided_by_id": users.leader.user_id if approved else None,
        "old_deadline_at": life.deadline.at,
        "new_deadline_at": None,
    }


def _insert(db: Database, rows: _Rows) -> None:
    """One chunk in one transaction, parents before the rows that point at them."""
    with db.write() as s:
        s.execute(insert(Incident), rows.incidents)
        s.execute(insert(IncidentEvent), rows.events)
        for model, chunk in (
            (IncidentUnit, rows.units),
            (IncidentPart, rows.parts),
            (LegalReview, rows.reviews),
            (IncidentAssignment, rows.assignments),
            (WhistleCall, rows.whistles),
            (Extension, rows.extensions),
            (DocumentNumber, rows.numbers),
        ):
            if chunk:
                s.execute(insert(model), chunk)


def _supervisions(s: Session, b: _Builder, users: _Users, org: _Org) -> None:
    """Supervision letters for a few long-overdue incidents, with registered numbers."""
    overdue = s.scalars(
        select(Incident)
        .where(
            Incident.status.in_(
                [IncidentStatus.DISPATCHED, IncidentStatus.ACCEPTED, IncidentStatus.IN_PROGRESS]
            ),
            Incident.deadline_at < b.anchor - timedelta(days=3),
            Incident.lead_unit_id.is_not(None),
        )
        .order_by(Incident.deadline_at)
        .limit(6)
    ).all()
    for incident in overdue:
        assert incident.deadline_at is not None
        issued = min(b.anchor, incident.deadline_at + timedelta(days=2))
        number = docnumbers.issue(
            s,
            users.leader,
            DocType.SUPERVISION,
            entity_type="incident",
            entity_id=incident.id,
            title=f"关于{incident.title}的督办函",
            at=issued,
        )
        s.add(
            Supervision(
                incident_id=incident.id,
                unit_id=incident.lead_unit_id,
                kind=SupervisionKind.LETTER,
                doc_number=number.number,
                issued_at=issued,
                issued_by_id=users.leader.user_id,
                content="该事件已超过办理期限，请于3个工作日内办结并书面反馈。",
            )
        )
        s.add(
            IncidentEvent(
                incident_id=incident.id,
                at=issued,
                user_id=users.leader.user_id,
                kind=IncidentEventKind.SUPERVISED,
                note=f"发出督办函 {number.number}",
            )
        )


# Minutes before the day shift that this morning's calls came in.
# Minutes before the demo's moment: the morning's calls, and one from the evening before, so
# 昨日受理 and 今日受理 both have rows whatever the random days gave.
MORNING_CALLS = (95, 70, 52, 31, 12, 840)


def _this_morning(
    s: Session, b: _Builder, users: _Users, org: _Org, items: list[CatalogueItem]
) -> None:
    """Calls taken since the evening before, registered and triaged through the services."""
    rng = b.rng
    empowered = [i for i in items if i.list_type is ListType.EMPOWERED]
    for n, minutes in enumerate(MORNING_CALLS):
        item = rng.choice(empowered)
        community = rng.choice(org.communities)
        road = rng.choice(data.ROADS)
        title = rng.choice(data.ITEM_TITLES[item.code]).format(
            road=road, community=community.short_name, n=rng.randint(1, 300)
        )
        received = b.anchor - timedelta(minutes=minutes)
        form = intake.IncidentForm(
            channel=Channel.HOTLINE_12345,
            channel_ref=f"12345-{received.year}{rng.randint(10**7, 10**8 - 1)}",
            title=title,
            description=f"群众来电反映：{title}，请及时核实处置。",
            address=f"{data.STREET}{road}{rng.randint(1, 300)}号",
            grid_id=rng.choice([g for g in org.grids if g.community_id == community.id]).id,
            reporter_name=b.name(),
            reporter_phone=b.mobile(),
            received_at=received,
        )
        operator = users.operators[n % len(users.operators)]
        incident = intake.register(s, operator, form, now=received + timedelta(minutes=4))
        if n < 4:
            triage.triage(
                s,
                operator,
                incident.id,
                triage.TriageForm(item_id=item.id, is_major=n == 0),
                now=received + timedelta(minutes=9),
            )
        if n < 2:  # dispatched; the major decision (n == 0) waits for the leader
            on = timeutil.local_date(received)
            officers = [c.person_id for c in dispatch.candidates(s, operator, incident.id, on)]
            dispatch.dispatch(
                s,
                operator,
                incident.id,
                dispatch.DispatchForm(
                    lead_unit_id=org.squads[0].id,
                    officer_ids=officers[:2],
                    requirements="到场核实后依法处置，2 小时内反馈现场情况。",
                ),
                now=received + timedelta(minutes=20),
            )


def _transfers(s: Session, b: _Builder, users: _Users) -> None:
    """Transfer letters for the latest incidents sent to departments, most with a receipt."""
    transferred = s.scalars(
        select(Incident)
        .where(Incident.status == IncidentStatus.TRANSFERRED, Incident.item_id.is_not(None))
        .order_by(Incident.received_at.desc())
        .limit(8)
    ).all()
    for incident in reversed(transferred):
        assert incident.item is not None and incident.item.department_id is not None
        sent = incident.updated_at
        number = docnumbers.issue(
            s,
            users.operators[0],
            DocType.TRANSFER,
            entity_type="incident",
            entity_id=incident.id,
            title=f"案件移送函（事件 {incident.number}）",
            at=sent,
        )
        receipt = sent + timedelta(hours=b.rng.randint(2, 30))
        received = receipt <= b.anchor and b.rng.random() < 0.8
        s.add(
            Transfer(
                incident_id=incident.id,
                department_id=incident.item.department_id,
                doc_number=number.number,
                facts=f"经街道执法中队现场核查，{incident.title}，属{incident.item.field}领域部门事项，"
                "街道已现场劝阻制止。",
                sent_at=sent,
                sent_by_id=users.operators[0].user_id,
                receipt_at=receipt if received else None,
                receipt_by=b.name() if received else None,
            )
        )


# --- joint operations -----------------------------------------------------------------------


def _plans(
    s: Session, b: _Builder, users: _Users, org: _Org, items: list[CatalogueItem], count: int
) -> int:
    """*count* plans, one a week up to the weeks around the as-of date (more a week when there
    are more plans than ten years of weeks)."""
    rng = b.rng
    per_week = max(1, -(-count // 520))
    # (theme, title, fields, the industries its items and targets are about: [] for any)
    themes = [
        (
            PlanTheme.COMBINED,
            "餐饮单位“综合查一次”联合检查",
            ["市场监管", "生态环境", "综合执法"],
            ["餐饮"],
        ),
        (PlanTheme.RANDOM, "娱乐场所双随机抽查", ["文化市场", "卫生健康"], ["娱乐场所"]),
        (
            PlanTheme.CAMPAIGN,
            "建筑工地扬尘和渣土专项整治",
            ["生态环境", "住房建设", "综合执法"],
            ["建筑施工"],
        ),
        (PlanTheme.CONSULTATION, "农村违法占地问题联合会诊", ["自然资源", "农业农村"], []),
        (
            PlanTheme.COMBINED,
            "小微企业安全生产“综合查一次”",
            ["应急管理", "市场监管"],
            ["加工制造", "仓储物流"],
        ),
        (PlanTheme.RANDOM, "食品经营户双随机抽查", ["市场监管"], ["餐饮", "零售"]),
    ]
    made = 0
    # On Tuesdays (and the days after) up to three weeks ahead: done in the past, pending ahead.
    base = b.as_of - timedelta(days=(b.as_of.weekday() - 1) % 7)
    weeks = -(-count // per_week)
    slots = [(k, j) for k in range(4 - weeks, 4) for j in range(per_week)][-count:]
    for k, j in slots:
        planned = base + timedelta(weeks=k, days=j % 4)
        theme, title, fields, trades = themes[(k + 10 + j) % len(themes)]
        if k < -1:
            status = rng.choice([PlanStatus.SUMMARISED, PlanStatus.DONE, PlanStatus.SUMMARISED])
        elif k < 0:
            status = PlanStatus.DONE
        elif k == 0:
            status = PlanStatus.APPROVED
        elif k == 1:
            status = PlanStatus.SUBMITTED
        else:
            status = PlanStatus.DRAFT
        if k == -6 and j == 0:
            status = PlanStatus.CANCELLED
        creator = rng.choice(users.operators)
        plan = Plan(
            title=f"{planned.month}月{title}",
            theme=theme,
            lead_unit_id=org.squads[0].id,
            status=status,
            planned_on=planned,
            start_time=time(9, 0),
            end_time=time(16, 30),
            objective="按照“进一次门、查多项事”要求，整合多部门检查事项，减少对经营主体的干扰。",
            created_by_id=creator.user_id,
        )
        plan.departments = [org.lead_for_field(f) for f in fields]
        plan.grids = rng.sample(org.grids, k=3)
        # The items the theme is about first (of its fields, those applying to its industries
        # only), then ones for any business; never one for other industries. The targets
        # follow the items (a 餐饮 plan draws 餐饮 entities).
        about = {
            i.id
            for i in items
            if i.industries and set(catalogue_industries.parse(i.industries)) <= set(trades)
        }
        plan.items = sorted(
            (i for i in items if i.field in fields and (i.id in about or not i.industries)),
            key=lambda i: (i.id not in about, i.code),
        )[:6]
        s.add(plan)
        s.flush()
        if status not in (PlanStatus.DRAFT, PlanStatus.SUBMITTED):
            plan.approved_by_id = users.leader.user_id
            plan.approved_at = timeutil.local_datetime(planned - timedelta(days=3), time(10))
            number = docnumbers.issue(
                s,
                users.leader,
                DocType.PLAN,
                entity_type="plan",
                entity_id=plan.id,
                title=plan.title,
                at=plan.approved_at,
            )
            plan.number = number.number
        # Inspectors and targets are drawn as the centre draws them (R8), a week ahead.
        final_status, plan.status = plan.status, PlanStatus.DRAFT
        drawn_at = timeutil.local_datetime(planned - timedelta(days=7), time(9, 30))
        draws.draw_inspectors(
            s, creator, plan.id, teams=2, seed=f"{rng.getrandbits(128):032x}", now=drawn_at
        )
        available = draws.target_pool_size(s, creator, plan.id)
        if available:
            draws.draw_targets(
                s,
                creator,
                plan.id,
                count=min(5, available),
                seed=f"{rng.getrandbits(128):032x}",
                now=drawn_at,
            )
        plan.status = final_status
        s.flush()
        s.refresh(plan)
        done = status in (PlanStatus.DONE, PlanStatus.SUMMARISED)
        for n, target in enumerate(sorted(plan.targets, key=lambda t: t.id)):
            if not done:
                continue
            target.result = rng.choices(
                [
                    InspectionResult.COMPLIANT,
                    InspectionResult.RECTIFY,
                    InspectionResult.CASE_OPENED,
                ],
                weights=[70, 25, 5],
            )[0]
            target.findings = {
                InspectionResult.RECTIFY: "消防通道堆放杂物，责令3日内整改。",
                InspectionResult.CASE_OPENED: "无证经营，已立案调查。",
            }.get(target.result)
            target.inspected_at = timeutil.local_datetime(planned, time(10 + n))
        if done:
            s.flush()
            _attendance(s, creator, plan)
        if status is PlanStatus.SUMMARISED:
            s.flush()
            plan.summary = plans.summary_of(s, creator, plan.id).text
        made += 1
    return made


_ABSENCES = (
    "同日承担区局专项检查任务，未能派员",
    "执法人员外出参加业务培训",
    "临时接到上级督查任务，未能派员",
)


def _attendance(s: Session, creator: Actor, plan: Plan) -> None:
    """Most invited departments come, one in eight or so does not, with its reason; drawn
    from the plan's own number so the street's other figures keep their random stream."""
    rng = random.Random(f"attendance {plan.number or plan.id}")
    given = {}
    for unit in plan.departments:
        came = rng.random() < 0.88
        note = f"{unit.short_name}派员参加" if came else rng.choice(_ABSENCES)
        given[unit.id] = plans.Attendance(came, note)
    final, plan.status = plan.status, PlanStatus.DONE  # recorded as the plan was finished
    plans.record_attendance(s, creator, plan.id, given)
    plan.status = final


# --- the year's inspection plan and the published results -----------------------------------

# (industry, field of the department, per cent, times a year, 全覆盖)
_YEAR_PLAN = (
    (None, "综合执法", 10, 1, False),
    ("餐饮", "市场监管", 5, 1, False),
    ("娱乐场所", "文化市场", 100, 1, True),
    ("建筑施工", "住房建设", 10, 1, False),
    ("加工制造", "应急管理", 5, 1, False),
)


def _inspection_year(s: Session, b: _Builder, users: _Users, org: _Org) -> None:
    """The year's 年度检查总计划 (every industry by the street's squad, four industries by their
    departments, 娱乐场所 to be covered in full), last month's results published on the 5th of
    this month, and one entity's grade lowered by the leader after an inspection found it in
    breach. No random numbers: the street's other figures keep their stream."""
    leader = users.leader
    year = b.as_of.year
    for industry, field_name, percent, frequency, full in _YEAR_PLAN:
        unit = org.squads[0] if field_name == "综合执法" else org.lead_for_field(field_name)
        annual_inspection_plan.save_line(
            s,
            leader,
            year,
            annual_inspection_plan.LineForm(industry or "", unit.id, percent, frequency, full),
        )
    start, end = inspection_publication.default_period(b.as_of)
    published_on = end + timedelta(days=5)
    rows = inspection_publication.period_rows(s, leader, start, end)
    if rows and published_on <= min(b.as_of, timeutil.today()):
        inspection_publication.publish(
            s,
            users.operators[0],
            inspection_publication.PublicationForm(
                start, end, published_on, "政府网站", "街道门户网站“双随机一公开”专栏"
            ),
        )
    # The first inspection found in breach (a case before an order to rectify) of an entity
    # not already red.
    found = list(
        s.scalars(
            select(PlanTarget)
            .join(Entity, PlanTarget.entity_id == Entity.id)
            .where(
                PlanTarget.result.in_([InspectionResult.CASE_OPENED, InspectionResult.RECTIFY]),
                Entity.credit_grade != CreditGrade.RED,
            )
            .order_by(PlanTarget.inspected_at, PlanTarget.id)
        )
    )
    found.sort(key=lambda t: t.result is not InspectionResult.CASE_OPENED)
    if found:
        case = found[0]
        grade = case.entity.credit_grade
        reason = (
            "联合检查发现违法行为并已立案调查"
            if case.result is InspectionResult.CASE_OPENED
            else "联合检查责令整改，复查仍未整改到位"
        )
        inspection_publication.change_grade(
            s,
            leader,
            case.entity_id,
            CreditGrade.YELLOW if grade is CreditGrade.GREEN else CreditGrade.RED,
            f"{reason}，经中心研究调整信用等级，加大抽查频次。",
            target_id=case.id,
        )


# --- assessment -----------------------------------------------------------------------------


def _assessments(s: Session, b: _Builder, users: _Users) -> None:
    """This year's schemes from the template, sheets computed from the data; most hand scores
    entered and half the agency sheets reviewed, so a leader has sheets to check and lock."""
    rng = b.rng
    clerk = users.operators[0]
    year_schemes = [
        (subject, scheme)
        for subject in AssessmentSubject
        for scheme in schemes.ensure_all(s, users.leader, b.as_of.year, subject)
    ]
    for subject, scheme in year_schemes:
        sheets.compute(s, users.leader, scheme.id, now=b.anchor)
        manual = [i for i in scheme.indicators if i.source is IndicatorSource.MANUAL]
        all_sheets = sheets.scheme_sheets(s, scheme.id)
        # The last two agencies and officers still wait for their hand scores; the smaller
        # groups' sheets are all scored.
        waiting = 2 if scheme.group in (None, PersonGroup.OFFICER) else 0
        for n, sheet in enumerate(all_sheets):
            if n >= len(all_sheets) - waiting:
                break
            for ind in manual:
                note = (
                    "区级主管部门反馈评分"
                    if ind.side is IndicatorSide.DEPARTMENT
                    else "街道考核小组评分"
                )
                sheets.enter_score(
                    s, clerk, sheet.id, ind.id, round(rng.uniform(76, 97), 1), note=note
                )
            if subject is AssessmentSubject.AGENCY and n % 2 == 0:
                sheets.review(s, clerk, sheet.id)


def _meetings(s: Session, b: _Builder, users: _Users, org: _Org) -> None:
    """Four meetings three weeks apart, recorded through the services: items reported on,
    most of the past-due ones done, and a few left overdue for the 工作台 to show."""
    rng = b.rng
    clerk = users.operators[0]
    tasks = [
        ("梅山大道沿街跨门经营集中整治", "沿街店铺跨门经营现象清零"),
        ("七星社区违法建设存量拆除", "完成存量违建拆除并复核"),
        ("餐饮油烟净化设施安装情况排查", "辖区餐饮单位排查全覆盖"),
        ("渣土运输车辆夜间联合检查", "每周至少开展一次联合检查"),
        ("农村乱占耕地问题复查", "问题点位全部复查销号"),
        ("河道垃圾倾倒点位整治", "清理并设置警示牌"),
    ]
    units = org.squads + list(org.agencies.values())
    for k in range(3, -1, -1):  # oldest first, as they were held
        held = timeutil.local_datetime(b.as_of - timedelta(days=7 + 21 * k), time(14, 30))
        day = timeutil.local_date(held)
        joint = k % 2 == 0
        meeting = meetings.save_meeting(
            s,
            clerk,
            meetings.MeetingForm(
                kind=MeetingKind.JOINT if joint else MeetingKind.WEEKLY,
                title=f"{day.month}月综合行政执法联席会议"
                if joint
                else f"{day.month}月{day.day}日指挥中心周例会",
                held_at=held,
                place="街道三楼会议室",
                chair=users.leader.display_name,
                attendees="、".join(u.short_name for u in units[:5]),
                minutes=(
                    "会议通报了近期事件办理和联合执法情况，听取了上次会议议定事项落实情况汇报，"
                    "研究了重点难点问题。会议要求各单位压实责任、按期销号，明确以下议定事项。"
                ),
            ),
        )
        for task, standard in rng.sample(tasks, k=3):
            deadline = day + timedelta(days=rng.choice([7, 14, 30]))
            unit = rng.choice(units)
            item = meetings.save_item(
                s,
                clerk,
                meeting.id,
                meetings.ItemForm(task, deadline, standard, unit.id, b.name()),
            )
            step = min(deadline, b.as_of) - timedelta(days=3)
            if step > day:
                meetings.report_progress(
                    s,
                    clerk,
                    item.id,
                    f"{unit.short_name}已部署，完成约{rng.choice([3, 5, 6])}成。",
                    at=timeutil.local_datetime(step, time(16, 0)),
                )
            if deadline < b.as_of and rng.random() < 0.6:
                done_on = deadline - timedelta(days=rng.choice([0, 1, 2]))
                meetings.complete_item(
                    s,
                    clerk,
                    item.id,
                    max(done_on, day),
                    "已按工作标准完成，经指挥中心复核销号。",
                    at=timeutil.local_datetime(max(done_on, day), time(17, 30)),
                )
