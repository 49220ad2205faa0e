"""The roster page's list of people, each with their current certificate."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, or_, select
from sqlalchemy.orm import Session, aliased

from commandcenter.db.models import (
    Certificate,
    CertificateState,
    Person,
    PersonStatus,
    Staffing,
    Unit,
)
from commandcenter.services import masking
from commandcenter.services.listing import (
    FilterOption,
    ListColumn,
    ListContext,
    ListFilter,
    Listing,
    cell_text,
    enum_options,
    unit_options,
)
from commandcenter.services.roster.certificates import CertificateStatus, certificate_status

# The person's current certificate: the one not revoked that expires last (else the last one).
_cert = aliased(Certificate, name="cert")


def _current_certificate_id() -> Any:
    newest = aliased(Certificate, name="newest")
    return (
        select(newest.id)
        .where(newest.person_id == Person.id)
        .order_by(
            case((newest.state == CertificateState.REVOKED, 1), else_=0),
            newest.expires_on.desc(),
            newest.id.desc(),
        )
        .limit(1)
        .correlate(Person)
        .scalar_subquery()
    )


def _people_source() -> Select[Any]:
    return (
        select()
        .select_from(Person)
        .join(Unit, Person.unit_id == Unit.id)
        .outerjoin(_cert, _cert.id == _current_certificate_id())
    )


def _staffing_text(value: Any) -> str:
    # R10: auxiliary staff are marked in words, not only by colour.
    return "【协勤】编外协勤" if value == Staffing.AUXILIARY else cell_text(value)


def _person_flag(extra: Sequence[Any], ctx: ListContext) -> str | None:
    staffing, expires_on, state = extra
    if staffing == Staffing.AUXILIARY:
        return "auxiliary"
    if expires_on is None or state is None:
        return None
    status = certificate_status(state, expires_on, ctx.today, ctx.certificate_warning_days)
    if status is CertificateStatus.EXPIRING:
        return "warning"
    if status is not CertificateStatus.VALID:
        return "expired"
    return None


def _certificate_options(session: Session) -> list[FilterOption]:
    def expiring(ctx: ListContext) -> ColumnElement[bool]:
        return and_(
            _cert.state == CertificateState.VALID,
            _cert.expires_on >= ctx.today,
            _cert.expires_on <= ctx.today + timedelta(days=ctx.certificate_warning_days),
        )

    def lapsed(ctx: ListContext) -> ColumnElement[bool]:
        return or_(
            _cert.state.in_([CertificateState.SUSPENDED, CertificateState.REVOKED]),
            _cert.expires_on < ctx.today,
        )

    return [
        FilterOption(
            "持证有效",
            lambda ctx: and_(_cert.state == CertificateState.VALID, _cert.expires_on >= ctx.today),
        ),
        FilterOption("即将到期", expiring),
        FilterOption("已过期或失效", lapsed),
        FilterOption("无执法证", lambda ctx: _cert.id.is_(None)),
    ]


PEOPLE = Listing(
    key="people",
    title="人员名册",
    id_expr=Person.id,
    columns=(
        ListColumn("姓名", Person.name, 80),
        ListColumn("性别", Person.gender, 40),
        ListColumn("单位", Unit.short_name, 130),
        ListColumn("职务", Person.position, 90),
        ListColumn("编制类别", Person.staffing, 130, fmt=_staffing_text),
        ListColumn("驻点方式", Person.stationing, 70),
        ListColumn("状态", Person.status, 50),
        ListColumn("执法证号", _cert.number, 120),
        ListColumn("有效期至", _cert.expires_on, 90),
        ListColumn("手机", Person.mobile, 110, personal=masking.mask_phone),
        ListColumn("身份证号", Person.id_number, 160, personal=masking.mask_id_number),
    ),
    source=_people_source,
    search=(Person.name, Person.name_initials, Unit.name, Unit.short_name, _cert.number),
    default_sort=2,
    extras=(Person.staffing, _cert.expires_on, _cert.state),
    flagger=_person_flag,
    filters=(
        ListFilter("unit", "单位", unit_options(Person.unit_id)),
        ListFilter("staffing", "编制类别", enum_options(Person.staffing, Staffing)),
        ListFilter("status", "状态", enum_options(Person.status, PersonStatus)),
        ListFilter("certificate", "执法证", _certificate_options),
    ),
)
