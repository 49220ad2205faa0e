"""Enforcement certificates: registering, renewing, reviewing, suspending and revoking them, and
what each means today (R2).

Every change takes the acting user, checks the permission, validates, writes the certificate's
history and an audit record in the same transaction. :func:`certificate_values` reports every bad
input at once (for import reports).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    Certificate,
    CertificateEvent,
    CertificateState,
    Labelled,
    Person,
)
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records, validators
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require
from commandcenter.services.roster.people import person_label


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
        f"为 {person_label(person)} 登记执法证 {cert.number}",
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


def certificate_numbered(session: Session, number: str) -> Certificate | None:
    """The certificate with this number, however it was typed."""
    return session.scalar(
        select(Certificate).where(Certificate.number == validators.normalise(number))
    )


_FIELD_WORDS = {
    "number": "证号",
    "issuer": "发证机关",
    "fields": "执法领域",
    "area": "执法区域",
    "issued_on": "发证日期",
    "expires_on": "有效期至",
    "last_review_on": "最近年审日期",
    "state": "证件状态",
}


def _change_words(changes: dict[str, Any]) -> str:
    return "、".join(_FIELD_WORDS.get(k, k) for k in changes)
