"""People on the roster: who they are, and adding and changing them (one at a time from a form,
thousands at once from an import).

Every change takes the acting user, checks the permission, validates, and writes an audit record
in the same transaction. :func:`person_values` reports every bad input at once (for import
reports).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from commandcenter import timeutil
from commandcenter.db import bulk
from commandcenter.db.models import (
    CertificateState,
    Gender,
    Person,
    PersonPosting,
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
    # From when a change of unit, staffing or position counts (today if not given).
    posted_on: date | None = None


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


# Han characters of every block GB 18030-2022 requires a name to take: the basic block and
# Extension A, the compatibility ideographs, and Extensions B to H (𠮷, 𪚥 …), besides Latin
# letters and the middle dots of transcribed names.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\U00031350-\U000323af"
_NAME = re.compile(rf"[{_HAN}A-Za-z·•.\s]{{2,30}}")
# Away for a while: such a person may be sent again once their planned return has passed.
AWAY_STATUSES = frozenset({PersonStatus.LEAVE, PersonStatus.SECONDED})


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
    until = form.status_until if form.status in AWAY_STATUSES else None
    if until is not None and form.status_since is not None and until < form.status_since:
        problems.append(ValidationError("预计结束日期不能早于状态开始日期。", "status_until"))
    values["status_until"] = until
    if "name" in values:
        values["name_initials"] = name_initials(values["name"])
    return values, problems


def person_label(person: Person) -> str:
    """How audit records name a person: with their unit's short name."""
    return f"{person.name}（{person.unit.short_name}）" if person.unit else person.name


def create_person(session: Session, actor: Actor, form: PersonForm) -> Person:
    require(actor, Action.EDIT_ROSTER)
    values, problems = person_values(session, form)
    records.raise_first(problems)
    person = Person(**values)
    session.add(person)
    session.flush()
    session.add(_posting(person.id, values, timeutil.today()))
    audit.record(
        session,
        actor,
        "新增人员",
        f"新增人员 {person_label(person)}",
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
    today = timeutil.today()
    bulk.insert_rows(
        session,
        PersonPosting,
        [
            {
                "person_id": person_id,
                **{k: values.get(k) for k in POSTING_FIELDS},
                "from_date": today,
            }
            for person_id, values in zip(ids, rows, strict=True)
        ],
    )
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
    before = _posting(person.id, {k: getattr(person, k) for k in POSTING_FIELDS}, date.min)
    changes = records.apply(person, values)
    changes.pop("name_initials", None)
    if POSTING_FIELDS & set(changes):
        _repost(session, person, before, form.posted_on or timeutil.today())
    if changes:
        audit.record(
            session,
            actor,
            "修改人员",
            f"修改人员 {person_label(person)}：{_change_words(changes)}",
            entity_type="person",
            entity_id=person.id,
            changes=changes,
        )
    return person


# What a posting records: a change to any of them starts a new one (assessment groups follow it).
POSTING_FIELDS = frozenset({"unit_id", "staffing", "position"})


def _posting(person_id: int, values: dict[str, Any], since: date) -> PersonPosting:
    return PersonPosting(
        person_id=person_id,
        unit_id=values["unit_id"],
        staffing=values["staffing"],
        position=values.get("position"),
        from_date=since,
    )


def _repost(session: Session, person: Person, before: PersonPosting, since: date) -> None:
    """The person's new posting from *since*; one already starting that day is corrected. A
    person with no postings yet (entered before they were kept) first gets his old one, from
    the day he was entered."""
    latest = session.scalar(
        select(func.max(PersonPosting.from_date)).where(PersonPosting.person_id == person.id)
    )
    if latest is not None and since < latest:
        raise ValidationError(
            f"岗位变动日期不能早于上一次变动（{latest.isoformat()}）。", "posted_on"
        )
    entered = timeutil.local_date(person.created_at)
    if latest is None and entered < since:
        before.from_date = entered
        session.add(before)
    same_day = session.scalar(
        select(PersonPosting).where(
            PersonPosting.person_id == person.id, PersonPosting.from_date == since
        )
    )
    if same_day is not None:
        same_day.unit_id, same_day.staffing = person.unit_id, person.staffing
        same_day.position = person.position
        return
    session.add(
        PersonPosting(
            person_id=person.id,
            unit_id=person.unit_id,
            staffing=person.staffing,
            position=person.position,
            from_date=since,
        )
    )


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
}


def _change_words(changes: dict[str, Any]) -> str:
    return "、".join(_FIELD_WORDS.get(k, k) for k in changes)


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
