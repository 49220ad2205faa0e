"""The roster: people and their enforcement certificates, and who may be dispatched (R1, R2, R10).

Every change takes the acting user, checks the permission, validates, and writes an audit record
in the same transaction. Validation reports every bad input at once (for import reports) through
:func:`person_values` and :func:`certificate_values`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, literal, or_, select
from sqlalchemy.orm import Session, selectinload

from commandcenter import timeutil
from commandcenter.db import bulk
from commandcenter.db.models import (
    Certificate,
    CertificateEvent,
    CertificateState,
    Gender,
    Labelled,
    Person,
    PersonStatus,
    Staffing,
    Stationing,
    Unit,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records, validators
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require
from commandcenter.services.pinyin import name_initials

# --- people ---------------------------------------------------------------------------------


@dataclass
class PersonForm:
    """What a form or an import row says about a person, before validation."""

    name: str = ""
    unit_id: int | None = None
    staffing: Staffing | None = None
    gender: Gender | None = None
    id_number: str = ""
    mobile: str = ""
    office_phone: str = ""
    position: str = ""
    stationing: Stationing | None = None
    status: PersonStatus = PersonStatus.ON_DUTY
    status_since: date | None = None
    status_until: date | None = None
    fields: str = ""
    notes: str = ""


class RosterLookup:
    """What validating a person reads from the database: one query at a time for a form, or
    all at once for an import of thousands (:meth:`preload`)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._units: dict[int, Unit] | None = None
        self._people: dict[str, Person] | None = None  # by ID number
        self._claimed: dict[str, str] = {}  # ID number -> name, of people not yet saved

    @classmethod
    def preload(cls, session: Session, id_numbers: Iterable[str]) -> RosterLookup:
        """Every unit, and whoever already holds one of *id_numbers* (cleaned)."""
        lookup = cls(session)
        lookup._units = {unit.id: unit for unit in session.scalars(select(Unit))}
        lookup._people = {}
        wanted = sorted(set(id_numbers))
        for start in range(0, len(wanted), 500):  # within every backend's parameter limit
            chunk = wanted[start : start + 500]
            for person in session.scalars(select(Person).where(Person.id_number.in_(chunk))):
                lookup._people[person.id_number or ""] = person
        return lookup

    def unit(self, unit_id: int) -> Unit | None:
        if self._units is not None:
            return self._units.get(unit_id)
        return self.session.get(Unit, unit_id)

    def registered(self, id_number: str) -> Person | None:
        if self._people is not None:
            return self._people.get(id_number)
        return self.session.scalar(select(Person).where(Person.id_number == id_number))

    def holder(self, id_number: str, other_than: int | None) -> str | None:
        """The name of someone other than person *other_than* registered with *id_number*."""
        if id_number in self._claimed:
            return self._claimed[id_number]
        person = self.registered(id_number)
        return person.name if person is not None and person.id != (other_than or -1) else None

    def claim(self, id_number: str, name: str) -> None:
        """*name*, not yet saved, now holds *id_number*: a batch may not hold it twice."""
        self._claimed[id_number] = name


_NAME = re.compile(r"[\u3400-\u9fffA-Za-z·•.\s]{2,30}")
_AWAY = {PersonStatus.LEAVE, PersonStatus.SECONDED}


def _gender_from_id(number: str) -> Gender:
    return Gender.MALE if int(number[16]) % 2 else Gender.FEMALE


def person_values(
    session: Session,
    form: PersonForm,
    person_id: int | None = None,
    lookup: RosterLookup | None = None,
) -> tuple[dict[str, Any], list[ValidationError]]:
    """Clean *form* into model values; every problem found, not only the first."""
    lookup = lookup or RosterLookup(session)
    checks = records.Checks()
    values, problems, step = checks.values, checks.problems, checks.step

    def name() -> str:
        value = records.text(form.name, "name", "姓名", required=True, limit=30)
        if not _NAME.fullmatch(value):
            raise ValidationError("姓名只能由汉字、字母和间隔号组成，至少两个字。")
        return value

    def unit_id() -> int:
        if form.unit_id is None:
            raise ValidationError("请选择所在单位。")
        unit = lookup.unit(form.unit_id)
        if unit is None:
            raise ValidationError("所选单位不存在，请重新选择。")
        if not unit.active:
            raise ValidationError(f"单位“{unit.name}”已停用，不能再添加人员。")
        return unit.id

    def staffing() -> Staffing:
        if form.staffing is None:
            raise ValidationError("请选择编制类别。")
        return form.staffing

    def id_number() -> str | None:
        if not form.id_number.strip():
            return None
        number = validators.clean_id_number(form.id_number)
        other = lookup.holder(number, person_id)
        if other is not None:
            raise ValidationError(f"身份证号已登记在“{other}”名下，同一人请勿重复登记。")
        return number

    def mobile() -> str | None:
        return validators.clean_mobile(form.mobile) if form.mobile.strip() else None

    def office_phone() -> str | None:
        return (
            validators.clean_office_phone(form.office_phone) if form.office_phone.strip() else None
        )

    step("name", name)
    step("unit_id", unit_id)
    step("staffing", staffing)
    step("id_number", id_number)
    step("mobile", mobile)
    step("office_phone", office_phone)
    step("position", lambda: records.text(form.position, "position", "职务", limit=50) or None)
    step("fields", lambda: records.field_codes(form.fields))
    step("notes", lambda: (form.notes or "").strip() or None)

    gender = form.gender
    number = values.get("id_number")
    if number:
        derived = _gender_from_id(number)
        if gender is not None and gender is not derived:
            problems.append(
                ValidationError(f"性别与身份证号不符：按身份证号应为“{derived.label}”。", "gender")
            )
        gender = derived
    values["gender"] = gender

    stationing = form.stationing
    if form.staffing is Staffing.DISPATCHED and stationing is None:
        problems.append(
            ValidationError("派驻人员请选择驻点方式（常驻、派驻或随叫随驻）。", "stationing")
        )
    if form.staffing is not Staffing.DISPATCHED and stationing is not None:
        problems.append(
            ValidationError("只有部门派驻人员才填写驻点方式，请清空该项。", "stationing")
        )
    values["stationing"] = stationing

    values["status"] = form.status
    values["status_since"] = form.status_since
    until = form.status_until if form.status in _AWAY else None
    if until is not None and form.status_since is not None and until < form.status_since:
        problems.append(ValidationError("预计结束日期不能早于状态开始日期。", "status_until"))
    values["status_until"] = until
    if "name" in values:
        values["name_initials"] = name_initials(values["name"])
    return values, problems


def _person_label(person: Person) -> str:
    return f"{person.name}（{person.unit.short_name}）" if person.unit else person.name


def create_person(session: Session, actor: Actor, form: PersonForm) -> Person:
    require(actor, Action.EDIT_ROSTER)
    values, problems = person_values(session, form)
    records.raise_first(problems)
    person = Person(**values)
    session.add(person)
    session.flush()
    audit.record(
        session,
        actor,
        "新增人员",
        f"新增人员 {_person_label(person)}",
        entity_type="person",
        entity_id=person.id,
        changes=records.snapshot(values),
    )
    return person


class PeopleRefused(ValidationError):
    """A batch with problems; nothing was written. *problems* by the forms' positions."""

    def __init__(self, problems: dict[int, list[ValidationError]]) -> None:
        first = next(iter(problems.values()))[0]
        super().__init__(first.message, first.field)
        self.problems = problems


def create_people(
    session: Session, actor: Actor, forms: Sequence[PersonForm], lookup: RosterLookup
) -> list[int]:
    """Add many people at once (an import): each validated as :func:`create_person` does, all
    inserted together, each with its audit record; their ids, in order. *lookup* is preloaded
    with the forms' ID numbers. Any problem refuses the whole batch with every problem found
    (:class:`PeopleRefused`)."""
    require(actor, Action.EDIT_ROSTER)
    rows: list[dict[str, Any]] = []
    refused: dict[int, list[ValidationError]] = {}
    for n, form in enumerate(forms):
        values, problems = person_values(session, form, lookup=lookup)
        if problems:
            refused[n] = problems
        elif values.get("id_number"):
            lookup.claim(values["id_number"], values["name"])  # not twice in one batch
        rows.append(values)
    if refused:
        raise PeopleRefused(refused)
    if not rows:
        return []
    ids = bulk.insert_ids(session, Person, rows)
    entries = []
    for person_id, values in zip(ids, rows, strict=True):
        unit = lookup.unit(values["unit_id"])
        label = f"{values['name']}（{unit.short_name}）" if unit else values["name"]
        entries.append(
            audit.Entry(
                "新增人员",
                f"新增人员 {label}",
                entity_type="person",
                entity_id=person_id,
                changes=records.snapshot(values),
            )
        )
    audit.record_many(session, actor, entries)
    return ids


def update_person(
    session: Session,
    actor: Actor,
    person_id: int,
    form: PersonForm,
    expected_version: int | None = None,
) -> Person:
    require(actor, Action.EDIT_ROSTER)
    person = records.get(session, Person, person_id, "该人员")
    records.check_version(person, expected_version, f"“{person.name}”的信息")
    values, problems = person_values(session, form, person_id)
    records.raise_first(problems)
    holds_certificate = any(c.state is not CertificateState.REVOKED for c in person.certificates)
    if values["staffing"] is Staffing.AUXILIARY and holds_certificate:
        raise ValidationError(
            "该人员持有未注销的执法证。编外协勤人员不能持证执法，请先注销其执法证。",
            "staffing",
        )
    if values["status"] is not person.status and form.status_since is None:
        values["status_since"] = timeutil.today()
    changes = records.apply(person, values)
    changes.pop("name_initials", None)
    if changes:
        audit.record(
            session,
            actor,
            "修改人员",
            f"修改人员 {_person_label(person)}：{_change_words(changes)}",
            entity_type="person",
            entity_id=person.id,
            changes=changes,
        )
    return person


_FIELD_WORDS = {
    "name": "姓名",
    "unit_id": "单位",
    "staffing": "编制类别",
    "gender": "性别",
    "id_number": "身份证号",
    "mobile": "手机",
    "office_phone": "办公电话",
    "position": "职务",
    "stationing": "驻点方式",
    "status": "状态",
    "status_since": "状态起始日期",
    "status_until": "预计结束日期",
    "fields": "执法领域",
    "notes": "备注",
    "number": "证号",
    "issuer": "发证机关",
    "area": "执法区域",
    "issued_on": "发证日期",
    "expires_on": "有效期至",
    "last_review_on": "最近年审日期",
    "state": "证件状态",
}


def _change_words(changes: dict[str, Any]) -> str:
    return "、".join(_FIELD_WORDS.get(k, k) for k in changes)


# --- certificates ---------------------------------------------------------------------------


class CertificateStatus(Labelled):
    """What a certificate means today: its stored state read against its dates (R2)."""

    VALID = "valid", "有效"
    EXPIRING = "expiring", "即将到期"
    EXPIRED = "expired", "已过期"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"


def certificate_status(
    state: CertificateState, expires_on: date, today: date, warning_days: int
) -> CertificateStatus:
    if state is CertificateState.REVOKED:
        return CertificateStatus.REVOKED
    if state is CertificateState.SUSPENDED:
        return CertificateStatus.SUSPENDED
    if expires_on < today:
        return CertificateStatus.EXPIRED
    if (expires_on - today).days <= warning_days:
        return CertificateStatus.EXPIRING
    return CertificateStatus.VALID


@dataclass
class CertificateForm:
    number: str = ""
    issuer: str = ""
    fields: str = ""
    area: str = ""
    issued_on: date | None = None
    expires_on: date | None = None
    last_review_on: date | None = None


class EventKind(Labelled):
    ISSUED = "issued", "登记"
    EDITED = "edited", "修改"
    REVIEWED = "reviewed", "年审"
    RENEWED = "renewed", "换证延期"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"
    RESTORED = "restored", "恢复有效"


def certificate_values(
    session: Session, form: CertificateForm, certificate_id: int | None = None
) -> tuple[dict[str, Any], list[ValidationError]]:
    checks = records.Checks()
    values, problems, step = checks.values, checks.problems, checks.step

    def number() -> str:
        value = unicodedata.normalize("NFKC", form.number or "").strip().replace(" ", "").upper()
        if not value:
            raise ValidationError("请填写执法证号。")
        if len(value) > 40:
            raise ValidationError("执法证号不能超过 40 个字符。")
        other = session.scalar(
            select(Certificate).where(
                Certificate.number == value, Certificate.id != (certificate_id or -1)
            )
        )
        if other is not None:
            raise ValidationError(f"执法证号 {value} 已登记在“{other.person.name}”名下。")
        return value

    def dated(field: str, label: str, value: date | None) -> date:
        if value is None:
            raise ValidationError(f"请填写{label}。", field)
        return value

    step("number", number)
    step(
        "issuer", lambda: records.text(form.issuer, "issuer", "发证机关", required=True, limit=100)
    )
    step("fields", lambda: records.field_codes(form.fields))
    step("area", lambda: records.text(form.area, "area", "执法区域", limit=100) or None)
    step("issued_on", lambda: dated("issued_on", "发证日期", form.issued_on))
    step("expires_on", lambda: dated("expires_on", "有效期至", form.expires_on))
    values["last_review_on"] = form.last_review_on
    if not values.get("fields", "x"):
        problems.append(ValidationError("请填写执法领域，例如“综合执法”或“市场监管”。", "fields"))
    issued, expires = values.get("issued_on"), values.get("expires_on")
    if issued and expires and expires <= issued:
        problems.append(ValidationError("有效期至应晚于发证日期。", "expires_on"))
    review = form.last_review_on
    if review and issued and review < issued:
        problems.append(ValidationError("年审日期不能早于发证日期。", "last_review_on"))
    return values, problems


def _certificate_event(
    session: Session, actor: Actor, cert: Certificate, kind: EventKind, note: str | None = None
) -> None:
    session.add(
        CertificateEvent(
            certificate_id=cert.id, at=timeutil.now(), user_id=actor.user_id, kind=kind, note=note
        )
    )


def add_certificate(
    session: Session, actor: Actor, person_id: int, form: CertificateForm
) -> Certificate:
    require(actor, Action.EDIT_ROSTER)
    person = records.get(session, Person, person_id, "该人员")
    if person.is_auxiliary:
        raise ValidationError(
            f"“{person.name}”是编外协勤人员，不能持有执法证（协勤人员只能配合执法）。", "number"
        )
    values, problems = certificate_values(session, form)
    records.raise_first(problems)
    cert = Certificate(person_id=person.id, state=CertificateState.VALID, **values)
    session.add(cert)
    session.flush()
    _certificate_event(session, actor, cert, EventKind.ISSUED)
    audit.record(
        session,
        actor,
        "登记执法证",
        f"为 {_person_label(person)} 登记执法证 {cert.number}",
        entity_type="certificate",
        entity_id=cert.id,
        changes=records.snapshot(values),
    )
    return cert


def update_certificate(
    session: Session,
    actor: Actor,
    certificate_id: int,
    form: CertificateForm,
    expected_version: int | None = None,
) -> Certificate:
    require(actor, Action.EDIT_ROSTER)
    cert = records.get(session, Certificate, certificate_id, "该执法证")
    records.check_version(cert, expected_version, f"执法证 {cert.number}")
    values, problems = certificate_values(session, form, certificate_id)
    records.raise_first(problems)
    old_expiry = cert.expires_on
    changes = records.apply(cert, values)
    if changes:
        kind = EventKind.RENEWED if cert.expires_on > old_expiry else EventKind.EDITED
        _certificate_event(session, actor, cert, kind, _change_words(changes))
        audit.record(
            session,
            actor,
            f"{kind.label}执法证" if kind is EventKind.RENEWED else "修改执法证",
            f"执法证 {cert.number}（{cert.person.name}）：{_change_words(changes)}",
            entity_type="certificate",
            entity_id=cert.id,
            changes=changes,
        )
    return cert


_TRANSITIONS: dict[EventKind, tuple[set[CertificateState], CertificateState]] = {
    EventKind.SUSPENDED: ({CertificateState.VALID}, CertificateState.SUSPENDED),
    EventKind.REVOKED: (
        {CertificateState.VALID, CertificateState.SUSPENDED},
        CertificateState.REVOKED,
    ),
    EventKind.RESTORED: ({CertificateState.SUSPENDED}, CertificateState.VALID),
}


def change_certificate_state(
    session: Session,
    actor: Actor,
    certificate_id: int,
    kind: EventKind,
    reason: str,
    expected_version: int | None = None,
) -> Certificate:
    """Suspend, revoke or restore a certificate; the reason is required and kept in its history."""
    require(actor, Action.EDIT_ROSTER)
    if kind not in _TRANSITIONS:
        raise ValueError(kind)
    cert = records.get(session, Certificate, certificate_id, "该执法证")
    records.check_version(cert, expected_version, f"执法证 {cert.number}")
    sources, target = _TRANSITIONS[kind]
    if cert.state not in sources:
        raise ValidationError(
            f"执法证 {cert.number} 当前为“{cert.state.label}”，不能{kind.label}。"
        )
    reason = records.text(reason, "reason", "原因", required=True, limit=200)
    if kind is EventKind.RESTORED and cert.person.is_auxiliary:
        raise ValidationError("编外协勤人员的执法证不能恢复有效。")
    old = cert.state
    cert.state = target
    _certificate_event(session, actor, cert, kind, reason)
    audit.record(
        session,
        actor,
        f"{kind.label}执法证",
        f"执法证 {cert.number}（{cert.person.name}）{kind.label}：{reason}",
        entity_type="certificate",
        entity_id=cert.id,
        changes={"state": [old.label, target.label], "reason": reason},
    )
    return cert


def record_review(
    session: Session, actor: Actor, certificate_id: int, on: date, note: str = ""
) -> Certificate:
    """The certificate passed its annual review on *on*."""
    require(actor, Action.EDIT_ROSTER)
    cert = records.get(session, Certificate, certificate_id, "该执法证")
    if cert.state is CertificateState.REVOKED:
        raise ValidationError(f"执法证 {cert.number} 已注销，不能年审。")
    if on < cert.issued_on or on > timeutil.today():
        raise ValidationError("年审日期应在发证日期之后、且不晚于今天。")
    old = cert.last_review_on
    cert.last_review_on = on
    _certificate_event(session, actor, cert, EventKind.REVIEWED, note.strip() or None)
    audit.record(
        session,
        actor,
        "执法证年审",
        f"执法证 {cert.number}（{cert.person.name}）年审：{on.isoformat()}",
        entity_type="certificate",
        entity_id=cert.id,
        changes={"last_review_on": [old.isoformat() if old else None, on.isoformat()]},
    )
    return cert


@dataclass(frozen=True)
class HistoryEntry:
    at: str
    kind: str
    user: str
    note: str


def certificate_history(session: Session, actor: Actor, certificate_id: int) -> list[HistoryEntry]:
    from commandcenter.db.models import User

    require(actor, Action.VIEW)
    rows = session.execute(
        select(CertificateEvent, User.display_name)
        .outerjoin(User, CertificateEvent.user_id == User.id)
        .where(CertificateEvent.certificate_id == certificate_id)
        .order_by(CertificateEvent.at, CertificateEvent.id)
    ).all()
    labels = {k.value: k.label for k in EventKind}
    return [
        HistoryEntry(
            timeutil.format_local(event.at),
            labels.get(event.kind, event.kind),
            who or "系统",
            event.note or "",
        )
        for event, who in rows
    ]


# --- eligibility (R1, R2, R10) --------------------------------------------------------------


@dataclass(frozen=True)
class EligibleOfficer:
    person_id: int
    name: str
    unit_id: int
    unit: str
    certificate: str
    expires_on: date


def _available_on(on: date) -> Any:
    """On duty, or away with a planned return before *on*."""
    return or_(
        Person.status == PersonStatus.ON_DUTY,
        and_(Person.status.in_(_AWAY), Person.status_until.is_not(None), Person.status_until < on),
    )


def _covers(field: str) -> Any:
    token = field.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return (literal(",") + Certificate.fields + literal(",")).like(f"%,{token},%", escape="\\")


# R1: on-site enforcement needs at least this many officers with valid certificates together.
MIN_OFFICERS_ON_SITE = 2


def eligible_officers(
    session: Session,
    field: str | None,
    on: date,
    *,
    unit_ids: list[int] | None = None,
) -> list[EligibleOfficer]:
    """Who may be dispatched for enforcement in *field* on *on*.

    A valid certificate in force that day that covers *field* (any field when None), available
    that day, and not auxiliary staff. The incident queue and the random draws use this list.
    """
    stmt = (
        select(
            Person.id,
            Person.name,
            Unit.id,
            Unit.short_name,
            Certificate.number,
            Certificate.expires_on,
        )
        .join(Certificate, Certificate.person_id == Person.id)
        .join(Unit, Person.unit_id == Unit.id)
        .where(
            Person.staffing != Staffing.AUXILIARY,
            _available_on(on),
            Certificate.state == CertificateState.VALID,
            Certificate.issued_on <= on,
            Certificate.expires_on >= on,
        )
        .order_by(Unit.sort_order, Person.name, Person.id, Certificate.expires_on.desc())
    )
    if field:
        stmt = stmt.where(_covers(field))
    if unit_ids is not None:
        stmt = stmt.where(Person.unit_id.in_(unit_ids))
    seen: set[int] = set()
    officers = []
    for pid, name, unit_id, unit, number, expires in session.execute(stmt):
        if pid not in seen:  # one line a person, with the certificate that lasts longest
            seen.add(pid)
            officers.append(EligibleOfficer(pid, name, unit_id, unit, number, expires))
    return officers


def ineligibility(session: Session, person_id: int, field: str | None, on: date) -> str | None:
    """Why a person may not be dispatched for *field* on *on*, in words; None when they may."""
    records.get(session, Person, person_id, "该人员")  # an unknown id is an error, not a reason
    return ineligibilities(session, [person_id], field, on)[person_id]


def ineligibilities(
    session: Session, person_ids: Sequence[int], field: str | None, on: date
) -> dict[int, str | None]:
    """:func:`ineligibility` for many people at once (a draw explains everyone left out): two
    queries of plain rows, however many people."""
    people: dict[int, tuple[str, Staffing, PersonStatus, date | None]] = {}
    certs: dict[int, list[tuple[str, CertificateState, date, date]]] = {}
    wanted = list(dict.fromkeys(person_ids))
    for start in range(0, len(wanted), 500):  # within every backend's parameter limit
        chunk = wanted[start : start + 500]
        for pid, *row in session.execute(
            select(
                Person.id, Person.name, Person.staffing, Person.status, Person.status_until
            ).where(Person.id.in_(chunk))
        ):
            people[pid] = tuple(row)  # type: ignore[assignment]
        for pid, *cert in session.execute(
            select(
                Certificate.person_id,
                Certificate.fields,
                Certificate.state,
                Certificate.issued_on,
                Certificate.expires_on,
            )
            .where(Certificate.person_id.in_(chunk))
            .order_by(Certificate.id)
        ):
            certs.setdefault(pid, []).append(tuple(cert))  # type: ignore[arg-type]
    return {pid: _why_not(*people[pid], certs.get(pid, []), field, on) for pid in people}


def _why_not(
    name: str,
    staffing: Staffing,
    status: PersonStatus,
    status_until: date | None,
    certs: list[tuple[str, CertificateState, date, date]],
    field: str | None,
    on: date,
) -> str | None:
    if staffing is Staffing.AUXILIARY:
        return f"{name}为编外协勤人员，可以配合但不计入执法人员"
    available = status is PersonStatus.ON_DUTY or (
        status in _AWAY and status_until is not None and status_until < on
    )
    if not available:
        return f"{name}当前状态为“{status.label}”"
    if not certs:
        return f"{name}未持有执法证"
    covering = [c for c in certs if not field or field in c[0].split(",")]
    if not covering:
        return f"{name}的执法证不含“{field}”领域"
    in_force = [c for c in covering if c[1] is CertificateState.VALID]
    if not in_force:
        return f"{name}的执法证已{covering[0][1].label}"
    if any(issued <= on <= expires for _f, _s, issued, expires in in_force):
        return None
    if all(issued > on for _f, _s, issued, _e in in_force):
        return f"{name}的执法证尚未生效"
    return f"{name}的执法证已于 {max(c[3] for c in in_force).isoformat()} 过期"


def person_name(session: Session, actor: Actor, person_id: int) -> str:
    require(actor, Action.VIEW)
    return records.get(session, Person, person_id, "该人员").name


def person_form(session: Session, actor: Actor, person_id: int) -> tuple[PersonForm, int]:
    """The stored person as a form to edit, with the version it was read at."""
    require(actor, Action.EDIT_ROSTER)
    p = records.get(session, Person, person_id, "该人员")
    return (
        PersonForm(
            name=p.name,
            unit_id=p.unit_id,
            staffing=p.staffing,
            gender=p.gender,
            id_number=p.id_number or "",
            mobile=p.mobile or "",
            office_phone=p.office_phone or "",
            position=p.position or "",
            stationing=p.stationing,
            status=p.status,
            status_since=p.status_since,
            status_until=p.status_until,
            fields=p.fields.replace(",", "、"),
            notes=p.notes or "",
        ),
        p.version,
    )


@dataclass(frozen=True)
class CertificateRow:
    id: int
    version: int
    number: str
    issuer: str
    fields: str
    area: str
    issued_on: date
    expires_on: date
    last_review_on: date | None
    state: CertificateState
    status: CertificateStatus

    def form(self) -> CertificateForm:
        return CertificateForm(
            self.number,
            self.issuer,
            self.fields,
            self.area,
            self.issued_on,
            self.expires_on,
            self.last_review_on,
        )


def certificates_of(
    session: Session, actor: Actor, person_id: int, today: date | None = None
) -> list[CertificateRow]:
    from commandcenter.services import settings

    require(actor, Action.VIEW)
    today = today or timeutil.today()
    days = settings.load(session).certificate_warning_days
    certs = session.scalars(
        select(Certificate)
        .where(Certificate.person_id == person_id)
        .order_by(Certificate.expires_on.desc())
    )
    return [
        CertificateRow(
            c.id,
            c.version,
            c.number,
            c.issuer,
            c.fields.replace(",", "、"),
            c.area or "",
            c.issued_on,
            c.expires_on,
            c.last_review_on,
            c.state,
            certificate_status(c.state, c.expires_on, today, days),
        )
        for c in certs
    ]


def people_for_export(session: Session, actor: Actor) -> list[Person]:
    """Everyone with their certificates and unit, by unit; the export shows full ID and phone
    numbers, so it needs the right to see personal data."""
    require(actor, Action.VIEW_PERSONAL_DATA)
    return list(
        session.scalars(
            select(Person)
            .options(selectinload(Person.certificates), selectinload(Person.unit))
            .join(Unit, Person.unit_id == Unit.id)
            .order_by(Unit.sort_order, Person.id)
        )
    )


def person_in_unit(session: Session, name: str, unit_id: int) -> Person | None:
    """A person by name within a unit: how a file without ID numbers names someone."""
    return session.scalar(
        select(Person).where(Person.name == name.strip(), Person.unit_id == unit_id)
    )


def certificate_numbered(session: Session, number: str) -> Certificate | None:
    """The certificate with this number, however it was typed."""
    return session.scalar(
        select(Certificate).where(Certificate.number == validators.normalise(number))
    )
