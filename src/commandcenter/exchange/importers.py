"""Imports of units, people with certificates, and liaisons: all or nothing.

Each import reads the whole sheet, checks every row through the same services a form uses, and
writes inside one transaction. If any row is bad, the transaction is rolled back and the report
lists every problem; a dry run checks everything and rolls back as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from commandcenter.db import backup_folder
from commandcenter.db.engine import Database
from commandcenter.db.models import (
    CalendarDayKind,
    CertificateState,
    CreditGrade,
    DepartmentType,
    Gender,
    LiaisonRole,
    ListType,
    PersonStatus,
    Staffing,
    Stationing,
    TrainingExam,
    Unit,
    UnitKind,
)
from commandcenter.errors import ReadOnlyDatabase, ValidationError
from commandcenter.exchange import tables
from commandcenter.exchange.report import ImportRejected, ImportReport
from commandcenter.exchange.xlsx_read import (
    CellError,
    SheetRow,
    as_choice,
    as_code,
    as_date,
    as_int,
    as_text,
    read_table,
)
from commandcenter.faults import crash_point
from commandcenter.services import (
    audit,
    calendar_changes,
    catalogue,
    entities,
    exams,
    liaisons,
    organisation,
    records,
    user_people,
    validators,
    work_calendar,
)
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require
from commandcenter.services.roster.certificates import (
    CertificateForm,
    add_certificate,
    certificate_numbered,
    certificate_values,
    update_certificate,
)
from commandcenter.services.roster.people import (
    PeopleRefused,
    PersonForm,
    RosterLookup,
    create_people,
    person_in_unit,
    person_values,
    update_person,
)


class _RowReader:
    """Converts one row's cells, reporting each bad cell under its column's header."""

    def __init__(self, spec: tables.TableSpec, row: SheetRow, report: ImportReport) -> None:
        self.spec, self.row, self.report = spec, row, report
        self.bad = False
        self.unreadable: set[str] = set()  # columns whose cell could not be converted

    def get(self, key: str, convert: Callable[[Any], Any] = as_text, default: Any = None) -> Any:
        value = self.row.values.get(key)
        try:
            result = convert(value)
        except CellError as exc:
            self.fail(key, value, str(exc))
            self.unreadable.add(key)
            return default
        return default if result in (None, "") and default is not None else result

    def code(self, key: str, what: str) -> str:
        """A number kept as text (ID, phone, certificate numbers); '' when empty or unusable."""
        return str(self.get(key, lambda v: as_code(v, what), ""))

    def fail(self, key: str, value: Any, reason: str) -> None:
        self.bad = True
        self.report.add(self.row.number, self.spec.column(key).header, value, reason)

    def unit(self, key: str, lookup: _UnitLookup) -> Unit | None:
        """The unit named in column *key*, or None (reported when named but not found)."""
        text = self.get(key)
        if not text:
            return None
        unit, reason = lookup.find(text)
        if unit is None:
            self.fail(key, text, reason)
        return unit

    def problems(self, found: list[ValidationError], keys: dict[str, str]) -> None:
        """Service validation errors, placed under the column their field came from."""
        for problem in found:
            key = keys.get(problem.field or "", "")
            if key in self.unreadable:  # told already: the cell is not what the column needs
                continue
            value = self.row.values.get(key) if key else None
            self.bad = True
            header = self.spec.column(key).header if key else ""
            self.report.add(self.row.number, header, value, problem.message)


class _UnitLookup:
    """Units by full name, or by short name where that is unambiguous."""

    def __init__(self, session: Session, *, units_fixed: bool = False) -> None:
        self.session = session
        # Where the import does not change units, each name is looked up once.
        self._found: dict[str, tuple[Unit | None, str]] | None = {} if units_fixed else None

    def find(self, text: str) -> tuple[Unit | None, str]:
        if self._found is None:
            return self._find(text)
        if text not in self._found:
            self._found[text] = self._find(text)
        return self._found[text]

    def _find(self, text: str) -> tuple[Unit | None, str]:
        name = as_text(text)
        unit = organisation.unit_named(self.session, name)
        if unit is not None:
            return unit, ""
        matches = organisation.units_short_named(self.session, name)
        if len(matches) == 1:
            return matches[0], ""
        if len(matches) > 1:
            return None, f"简称“{name}”对应多个单位，请写单位全称。"
        return None, f"系统中没有单位“{name}”。请先导入或新增该单位，或核对名称。"


# --- units ----------------------------------------------------------------------------------

_UNIT_KEYS = {
    "name": "name",
    "short_name": "short_name",
    "kind": "kind",
    "parent_id": "parent",
    "department_type": "department_type",
    "fields": "fields",
    "phone": "phone",
    "address": "address",
    "active": "active",
}


def _import_units(
    session: Session, actor: Actor, rows: list[SheetRow], report: ImportReport
) -> None:
    spec = tables.UNITS
    pending: list[tuple[_RowReader, organisation.UnitForm, str]] = []
    names_in_file: dict[str, int] = {}
    for row in rows:
        r = _RowReader(spec, row, report)
        active_text = r.get("active")
        if active_text not in ("", "启用", "停用"):
            r.fail("active", active_text, "应为“启用”或“停用”。")
        form = organisation.UnitForm(
            name=r.get("name"),
            short_name=r.get("short_name"),
            kind=r.get("kind", lambda v: as_choice(v, UnitKind)),
            department_type=r.get("department_type", lambda v: as_choice(v, DepartmentType)),
            fields=r.get("fields"),
            phone=r.code("phone", "电话"),
            address=r.get("address"),
            sort_order=r.get("sort_order", as_int, 0),
            active=active_text != "停用",
        )
        name = records.text(form.name, "name", "单位全称", limit=1000)
        if name in names_in_file:
            r.fail("name", name, f"与第 {names_in_file[name]} 行重复。")
        names_in_file[name] = row.number
        form.name = name
        pending.append((r, form, r.get("parent")))

    # Parents may come after their children in the file: write in passes, parents first.
    lookup = _UnitLookup(session)
    while pending:
        waiting = []
        for r, form, parent in pending:
            if parent:
                parent_unit = organisation.unit_named(session, parent)
                if parent_unit is None and parent in names_in_file and parent != form.name:
                    waiting.append((r, form, parent))
                    continue
                if parent_unit is None:
                    parent_unit, reason = lookup.find(parent)
                    if parent_unit is None:
                        r.fail("parent", parent, reason)
                form.parent_id = parent_unit.id if parent_unit else None
            _write_unit(session, actor, r, form, report)
        if len(waiting) == len(pending):  # parents that never get written: a cycle or a bad row
            for r, _form, parent in waiting:
                r.fail(
                    "parent", parent, "上级单位在本表中，但该行有问题或上下级互相引用，无法确定。"
                )
            break
        pending = waiting


def _write_unit(
    session: Session, actor: Actor, r: _RowReader, form: organisation.UnitForm, report: ImportReport
) -> None:
    existing = organisation.unit_named(session, form.name)
    _values, found = organisation.unit_values(session, form, existing.id if existing else None)
    r.problems(found, _UNIT_KEYS)
    if r.bad:
        return
    if existing is None:
        organisation.create_unit(session, actor, form)
        report.created += 1
    elif _changed(session, existing, organisation.update_unit, actor, existing.id, form):
        report.updated += 1


# --- people ---------------------------------------------------------------------------------

_PERSON_KEYS = {f.name: f.name for f in fields(PersonForm)} | {"unit_id": "unit"}
_CERT_KEYS = {
    "number": "cert_number",
    "issuer": "cert_issuer",
    "fields": "cert_fields",
    "area": "cert_area",
    "issued_on": "cert_issued_on",
    "expires_on": "cert_expires_on",
    "last_review_on": "cert_review",
}
_CERT_COLUMNS = set(_CERT_KEYS.values()) | {"cert_state"}


@dataclass
class _PersonRows:
    first: SheetRow
    form: PersonForm
    reader: _RowReader  # of the first row, where problems with the person are reported
    certificates: list[tuple[_RowReader, CertificateForm, CertificateState]]
    id_number: str = ""  # the form's ID number cleaned, if it is a valid one


def _certificate_state(value: Any) -> CertificateState:
    text = as_text(value)
    if text in ("即将到期", "已过期"):  # what the screen shows; stored, such a certificate is valid
        return CertificateState.VALID
    return as_choice(value, CertificateState) or CertificateState.VALID


def _import_people(
    session: Session, actor: Actor, rows: list[SheetRow], report: ImportReport
) -> None:
    spec = tables.PEOPLE
    lookup = _UnitLookup(session, units_fixed=True)
    people: dict[str, _PersonRows] = {}
    cert_rows: dict[str, int] = {}
    for row in rows:
        r = _RowReader(spec, row, report)
        unit_text = r.get("unit")
        unit, reason = lookup.find(unit_text) if unit_text else (None, "")
        if unit_text and unit is None:
            r.fail("unit", unit_text, reason)
        form = PersonForm(
            name=r.get("name"),
            unit_id=unit.id if unit else None,
            staffing=r.get("staffing", lambda v: as_choice(v, Staffing)),
            gender=r.get("gender", lambda v: as_choice(v, Gender)),
            id_number=r.code("id_number", "身份证号"),
            mobile=r.code("mobile", "手机号"),
            office_phone=r.code("office_phone", "办公电话"),
            position=r.get("position"),
            stationing=r.get("stationing", lambda v: as_choice(v, Stationing)),
            status=r.get("status", lambda v: as_choice(v, PersonStatus), PersonStatus.ON_DUTY),
            status_since=r.get("status_since", as_date),
            status_until=r.get("status_until", as_date),
            fields=r.get("fields"),
            notes=r.get("notes"),
        )
        if not unit_text:
            r.fail("unit", "", "请填写所在单位。")
        # The same person on several rows (one a certificate) is keyed by ID number, else name+unit.
        try:
            id_number = validators.clean_id_number(form.id_number) if form.id_number else ""
        except ValidationError:
            id_number = ""
        key = id_number or form.id_number or f"{form.name}|{unit_text}"
        group = people.get(key)
        if group is None:
            group = people[key] = _PersonRows(row, form, r, [], id_number)
        elif form != group.form:
            r.fail(
                "name",
                form.name,
                f"与第 {group.first.number} 行是同一人（身份证号相同），但人员信息不一致。"
                "同一人持多本证时，各行的人员信息应完全相同。",
            )
        if any(row.values.get(k) is not None for k in _CERT_COLUMNS):
            cert = CertificateForm(
                number=r.code("cert_number", "执法证号"),
                issuer=r.get("cert_issuer"),
                fields=r.get("cert_fields"),
                area=r.get("cert_area"),
                issued_on=r.get("cert_issued_on", as_date),
                expires_on=r.get("cert_expires_on", as_date),
                last_review_on=r.get("cert_review", as_date),
            )
            state = r.get("cert_state", _certificate_state, CertificateState.VALID)
            number = validators.normalise(cert.number)
            if number and number in cert_rows:
                r.fail("cert_number", cert.number, f"与第 {cert_rows[number]} 行的执法证号重复。")
            cert_rows[number] = row.number
            group.certificates.append((r, cert, state))
        elif group.first is not row:
            r.fail("cert_number", "", "同一人再次出现但没有执法证信息，请删除重复行。")

    # Everyone the file names by ID number is looked up at once, not row by row.
    known = RosterLookup.preload(session, [g.id_number for g in people.values() if g.id_number])
    new = [g for g in people.values() if not _write_person(session, actor, g, report, known)]
    # The new people are validated once, by the service that creates them. With problems
    # anywhere the import is refused whole, but every row's problems are still reported.
    try:
        created = create_people(session, actor, [group.form for group in new], known)
    except PeopleRefused as refused:
        for n, found in refused.problems.items():
            new[n].reader.problems(found, _PERSON_KEYS)
        return
    report.created += len(created)
    if report.problems:  # a certificate row is wrong: refused whole, its problems are listed
        return
    for group, person_id in zip(new, created, strict=True):
        _write_certificates(session, actor, group, person_id)


def _write_person(
    session: Session,
    actor: Actor,
    group: _PersonRows,
    report: ImportReport,
    known: RosterLookup,
) -> bool:
    """Check one person's certificate rows, and the person if registered, updating them when
    all is well; False if the person is new, to be checked and created with the others."""
    form, r = group.form, group.reader
    existing = known.registered(group.id_number) if group.id_number else None
    if existing is None and not form.id_number and form.unit_id is not None:
        existing = person_in_unit(session, form.name, form.unit_id)
    if existing is not None:
        _values, found = person_values(session, form, existing.id, lookup=known)
        r.problems(found, _PERSON_KEYS)
        if group.id_number and existing.name != form.name:
            # The same ID number under another name is more likely a wrong number than a new
            # name: shown for a person to decide, never applied by an import.
            r.fail(
                "id_number",
                group.id_number,
                f"该身份证号已登记为“{existing.name}”，与本行姓名“{form.name}”不同。"
                "如确为同一人更名，请先在人员名册中修改姓名，再导入。",
            )
    if form.staffing is Staffing.AUXILIARY and group.certificates:
        cr = group.certificates[0][0]
        cr.fail("cert_number", cr.row.values.get("cert_number"), "编外协勤人员不能持有执法证。")
    for cr, cert_form, _state in group.certificates:
        cert = certificate_numbered(session, cert_form.number)
        if cert is not None and (existing is None or cert.person_id != existing.id):
            cr.fail(
                "cert_number", cert_form.number, f"该执法证号已登记在“{cert.person.name}”名下。"
            )
            continue
        _values, cert_found = certificate_values(session, cert_form, cert.id if cert else None)
        cr.problems([p for p in cert_found if "已登记在" not in p.message], _CERT_KEYS)
    if existing is None:
        return False
    if r.bad or any(cr.bad for cr, _f, _s in group.certificates):
        return True
    if _changed(session, existing, update_person, actor, existing.id, form):
        report.updated += 1
    _write_certificates(session, actor, group, existing.id)
    return True


def _write_certificates(session: Session, actor: Actor, group: _PersonRows, person_id: int) -> None:
    for _cr, cert_form, state in group.certificates:
        cert = certificate_numbered(session, cert_form.number)
        if cert is None:
            cert = add_certificate(session, actor, person_id, cert_form)
        else:
            update_certificate(session, actor, cert.id, cert_form)
        if cert.state is not state:
            old = cert.state
            cert.state = state
            audit.record(
                session,
                actor,
                "导入证件状态",
                f"执法证 {cert.number} 状态按导入文件改为{state.label}",
                entity_type="certificate",
                entity_id=cert.id,
                changes={"state": [old.label, state.label]},
            )
    session.flush()


# --- liaisons -------------------------------------------------------------------------------

_LIAISON_KEYS = {f.name: f.name for f in fields(liaisons.LiaisonForm)} | {
    "department_id": "department"
}


def _import_liaisons(
    session: Session, actor: Actor, rows: list[SheetRow], report: ImportReport
) -> None:
    spec = tables.LIAISONS
    lookup = _UnitLookup(session)
    seen: dict[tuple[int, LiaisonRole], int] = {}
    for row in rows:
        r = _RowReader(spec, row, report)
        dept = r.unit("department", lookup)
        form = liaisons.LiaisonForm(
            department_id=dept.id if dept else None,
            role=r.get("role", lambda v: as_choice(v, LiaisonRole)),
            office=r.get("office"),
            name=r.get("name"),
            position=r.get("position"),
            mobile=r.code("mobile", "手机号"),
            office_phone=r.code("office_phone", "办公电话"),
            duty_hours=r.get("duty_hours"),
            notes=r.get("notes"),
        )
        existing = None
        if dept is not None and form.role is not None:
            slot = (dept.id, form.role)
            if slot in seen:
                r.fail("role", form.role.label, f"与第 {seen[slot]} 行是同一部门的同一类联络人。")
            seen[slot] = row.number
            existing = liaisons.liaison_in_slot(session, dept.id, form.role)
        _values, found = liaisons.liaison_values(session, form, existing.id if existing else None)
        r.problems(found, _LIAISON_KEYS)
        if r.bad:
            continue
        if existing is None:
            liaisons.save_liaison(session, actor, form)
            report.created += 1
        elif _changed(session, existing, liaisons.save_liaison, actor, form, existing.id):
            report.updated += 1


# --- entities -------------------------------------------------------------------------------

_ENTITY_KEYS = {
    "name": "name",
    "uscc": "uscc",
    "address": "address",
    "grid_id": "grid",
    "industry": "industry",
    "contact_name": "contact_name",
    "contact_phone": "contact_phone",
}


def _import_entities(
    session: Session, actor: Actor, rows: list[SheetRow], report: ImportReport
) -> None:
    """New entities, and updates of those already registered (by credit code, or by name and
    address for an entity without one)."""
    spec = tables.ENTITIES
    grids = organisation.grid_ids(session)
    seen: dict[str, int] = {}
    for row in rows:
        r = _RowReader(spec, row, report)
        grid_text = r.get("grid")
        if grid_text and grid_text not in grids:
            r.fail("grid", grid_text, f"系统中没有网格“{grid_text}”，请写网格名称或编码。")
        active_text = r.get("active")
        form = entities.EntityForm(
            name=r.get("name"),
            uscc=r.code("uscc", "统一社会信用代码"),
            address=r.get("address"),
            grid_id=grids.get(grid_text) if grid_text else None,
            industry=r.get("industry"),
            contact_name=r.get("contact_name"),
            contact_phone=r.code("contact_phone", "联系电话"),
            credit_grade=r.get(
                "credit_grade", lambda v: as_choice(v, CreditGrade), CreditGrade.GREEN
            ),
            active=active_text != "停业",
        )
        existing = None
        if form.uscc:
            code = validators.normalise(form.uscc)
            if code in seen:
                r.fail("uscc", form.uscc, f"与第 {seen[code]} 行的统一社会信用代码重复。")
            seen[code] = row.number
            existing = entities.entity_with_code(session, code)
        elif form.name:
            # Without a code, the same name at the same address is the same entity.
            existing = entities.entity_without_code(session, form.name, form.address)
        _values, found = entities.entity_values(session, form, existing.id if existing else None)
        r.problems(found, _ENTITY_KEYS)
        if r.bad:
            continue
        if existing is None:
            entities.save_entity(session, actor, form)
            report.created += 1
        elif _changed(session, existing, entities.save_entity, actor, form, existing.id):
            report.updated += 1


# --- item catalogue (a new version) and the holiday calendar ---------------------------------

_ITEM_KEYS = {
    "code": "code",
    "name": "name",
    "legal_basis": "legal_basis",
    "field": "field",
    "list_type": "list_type",
    "department_id": "department",
    "time_limit_days": "time_limit_days",
    "time_limit_hours": "time_limit_hours",
    "industries": "industries",
}


def _import_catalogue(
    session: Session,
    actor: Actor,
    rows: list[SheetRow],
    report: ImportReport,
    *,
    label: str = "",
    effective_from: date | None = None,
    source: str = "",
) -> None:
    """The whole sheet becomes one new version; items are never edited in place (R3)."""
    spec = tables.CATALOGUE
    for problem in catalogue.version_problems(session, label, effective_from):
        report.add(
            None, "版本", label if problem.field == "label" else effective_from, problem.message
        )
    lookup = _UnitLookup(session)
    seen: dict[str, int] = {}
    items = []
    for row in rows:
        r = _RowReader(spec, row, report)
        dept = r.unit("department", lookup)
        form = catalogue.ItemForm(
            code=r.code("code", "事项编码"),
            name=r.get("name"),
            legal_basis=r.get("legal_basis"),
            field=r.get("field"),
            list_type=r.get("list_type", lambda v: as_choice(v, ListType)),
            department_id=dept.id if dept else None,
            time_limit_days=r.get("time_limit_days", as_int),
            time_limit_hours=r.get("time_limit_hours", as_int),
            industries=r.get("industries") or "",
        )
        values, found = catalogue.item_values(form)
        if dept is None and r.get("department"):  # already reported as not found
            found = [p for p in found if p.field != "department_id"]
        r.problems(found, _ITEM_KEYS)
        code = values.get("code")
        if code:
            if code in seen:
                r.fail("code", code, f"与第 {seen[code]} 行的事项编码重复。")
            seen[code] = row.number
        if not r.bad:
            items.append(values)
    if report.problems:
        return
    assert effective_from is not None
    catalogue.create_version(
        session, actor, label=label, effective_from=effective_from, source=source, items=items
    )
    report.created = len(items)


def _import_calendar(
    session: Session,
    actor: Actor,
    rows: list[SheetRow],
    report: ImportReport,
    *,
    source: str = "",
) -> None:
    """The days of each year in the sheet replace what is recorded for that year."""
    spec = tables.CALENDAR
    seen: dict[date, int] = {}
    days = []
    for row in rows:
        r = _RowReader(spec, row, report)
        day = r.get("day", as_date)
        kind = r.get("kind", lambda v: as_choice(v, CalendarDayKind))
        name = r.get("name")
        if day is None and not r.bad:
            r.fail("day", None, "请填写日期。")
        if kind is None and not r.bad:
            r.fail("kind", None, "请填写类别：法定节假日或调休上班。")
        if not name and not r.bad:
            r.fail("name", name, "请填写名称，例如“春节”。")
        if day is not None and kind is not None:
            problem = work_calendar.day_problem(day, kind)
            if problem:
                r.fail("day", day, problem)
            if day in seen:
                r.fail("day", day, f"与第 {seen[day]} 行的日期重复。")
            seen[day] = row.number
        if not r.bad:
            days.append((day, kind, str(name)[:50]))
    if report.problems:
        return
    _years, moved = calendar_changes.replace_years(
        session, actor, days, source or f"从 {Path(report.file).name} 导入"
    )
    report.created = len(days)
    if moved and not report.dry_run:
        report.notes.append(calendar_changes.followed_message(moved))


def _changed(session: Session, record: Any, update: Callable[..., Any], *args: Any) -> bool:
    """Run the service call ``update(session, *args)`` on *record*; whether it changed anything."""
    before = record.version
    update(session, *args)
    session.flush()
    return bool(record.version != before)


# --- running an import ----------------------------------------------------------------------

# --- exam results ---------------------------------------------------------------------------


def _as_score(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError("应为数字。")
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(as_text(value))
    except ValueError:
        raise CellError("应为数字。") from None


def _import_exam_results(
    session: Session, actor: Actor, rows: list[SheetRow], report: ImportReport, exam_id: int
) -> None:
    """Scores of one exam, matched to people by name within unit (or by ID number)."""
    spec = tables.EXAM_RESULTS
    exam = records.get(session, TrainingExam, exam_id, "所选考试")
    report.notes.append(
        f"考试：{exam.held_on.isoformat()} {exam.title}（合格分 {exam.pass_mark:g}）"
    )
    lookup = _UnitLookup(session, units_fixed=True)
    scores: dict[int, float] = {}
    seen: dict[int, int] = {}
    for row in rows:
        r = _RowReader(spec, row, report)
        name = r.get("name")
        unit = r.unit("unit", lookup)
        id_number = r.code("id_number", "身份证号")
        score = r.get("score", _as_score)
        person = None
        if id_number:
            person = exams.person_with_id_number(session, id_number)
            if person is None:
                r.fail("id_number", id_number, "系统中没有该身份证号的人员。")
            elif name and person.name != name:
                r.fail("name", name, f"该身份证号登记的姓名是“{person.name}”。")
        elif name and unit is not None:
            found = exams.people_named_in_unit(session, name, unit.id)
            if not found:
                r.fail("name", name, f"“{unit.short_name}”没有名为“{name}”的人员。")
            elif len(found) > 1:
                r.fail("name", name, "该单位有同名人员，请填写身份证号。")
            else:
                person = found[0]
        if score is not None and (problem := exams.score_problem(score, exam)):
            r.fail("score", row.values.get("score"), problem)
        if person is not None and person.id in seen:
            r.fail("name", name, f"与第 {seen[person.id]} 行是同一人。")
        if r.bad or person is None or score is None:
            continue
        seen[person.id] = row.number
        scores[person.id] = score
    if report.problems:
        return
    before = {r.person_id: r.score for r in exams.results_of(session, actor, exam.id)}
    entered, changed = exams.record_results(session, actor, exam.id, scores)
    report.created, report.updated = entered, changed
    unchanged = sum(1 for pid, score in scores.items() if before.get(pid) == score)
    if unchanged:
        report.notes.append(f"{unchanged} 人的成绩与已登记的相同，未改动。")


# --- account links ------------------------------------------------------------------------


def _import_users(
    session: Session, actor: Actor, rows: list[SheetRow], report: ImportReport
) -> None:
    """账号关联: tie each named account to its roster person; accounts are not created here."""
    spec = tables.USERS
    accounts: dict[int, int] = {}  # user id -> the row naming it
    people: dict[int, int] = {}  # person id -> the row naming them
    for row in rows:
        r = _RowReader(spec, row, report)
        username, name, unit = r.get("username"), r.get("person"), r.get("unit")
        user_id = user_people.user_named(session, str(username)) if username else None
        if username and user_id is None:
            r.fail(
                "username", username, "没有这个用户名的账号；请先在“系统设置 → 用户”中新建账号。"
            )
        elif user_id is not None and user_id in accounts:
            r.fail("username", username, f"与第 {accounts[user_id]} 行是同一账号。")
        found = user_people.people_named(session, str(name), unit) if name else []
        if name and not found:
            where = f"“{unit}”的" if unit else ""
            r.fail("person", name, f"名册中没有{where}在岗人员“{name}”。")
        elif len(found) > 1:
            r.fail(
                "unit" if unit else "person",
                unit or name,
                f"名册中有 {len(found)} 位“{name}”，请填写所在单位加以区分。",
            )
        elif found and found[0] in people:
            r.fail("person", name, f"与第 {people[found[0]]} 行是同一人员；一人只关联一个账号。")
        if r.bad or user_id is None or len(found) != 1:
            continue
        accounts[user_id] = people[found[0]] = row.number
        try:
            changed = user_people.link_person(session, actor, user_id, found[0])
        except ValidationError as problem:
            r.problems([problem], {"person_id": "person"})
            continue
        report.updated += changed


_IMPORTERS: dict[str, Callable[..., None]] = {
    "units": _import_units,
    "people": _import_people,
    "liaisons": _import_liaisons,
    "entities": _import_entities,
    "catalogue": _import_catalogue,
    "calendar": _import_calendar,
    "exam_results": _import_exam_results,
    "users": _import_users,
}


class _DryRunDone(Exception):
    pass


def run_import(
    db: Database,
    actor: Actor,
    kind: str,
    path: Path,
    dry_run: bool = False,
    backup_dir: Path | None = None,
    **params: Any,
) -> ImportReport:
    """Import *path* as *kind*; raises :class:`ImportRejected` (nothing written) on any problem.

    *params* go to the importer: the catalogue needs ``label``, ``effective_from``, ``source``.
    A SQLite database is backed up into *backup_dir* once the file has been read cleanly and
    before anything is written, so even an accepted import can be undone.
    """
    require(actor, Action.IMPORT_DATA)
    spec = tables.SPECS[kind]
    report = ImportReport(spec.label, str(path), dry_run=dry_run)
    rows = read_table(Path(path), spec.columns, (spec.sheet, *spec.sheet_aliases), report)
    if not report.problems and not rows:
        report.add(None, "", "", "表格中没有数据行。")
    if report.problems:
        raise ImportRejected(report)
    if db.read_only:  # said before a backup is tried: a damaged file may not even copy
        raise ReadOnlyDatabase(f"数据库以只读方式打开，不能导入。{db.read_only}")
    database = db.sqlite_path
    if backup_dir is not None and database is not None and not dry_run:
        backup_folder.make_backup(database, backup_dir, "before-import")
    try:
        with db.write() as session:
            _IMPORTERS[kind](session, actor, rows, report, **params)
            if report.problems:
                raise ImportRejected(report)
            audit.record(
                session,
                actor,
                f"导入{spec.label}",
                f"从 {Path(path).name} 导入{spec.label}：新增 {report.created}，更新 {report.updated}",
                changes={"rows": report.rows, "created": report.created, "updated": report.updated},
            )
            if dry_run:
                raise _DryRunDone
            session.flush()
            crash_point("import.rows")  # every row and the audit record written, not committed
    except _DryRunDone:
        pass
    return report
