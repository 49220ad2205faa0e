"""Who may be sent on site for enforcement (R1, R2, R10): officers with a valid certificate in
force that day covering the field, available that day, and not auxiliary staff; and, for anyone
else, why not, in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, literal, or_, select
from sqlalchemy.orm import Session

from commandcenter.db.models import (
    Certificate,
    CertificateState,
    Person,
    PersonStatus,
    Staffing,
    Unit,
)
from commandcenter.services import records
from commandcenter.services.roster.people import AWAY_STATUSES


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
        and_(
            Person.status.in_(AWAY_STATUSES),
            Person.status_until.is_not(None),
            Person.status_until < on,
        ),
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
        status in AWAY_STATUSES and status_until is not None and status_until < on
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
