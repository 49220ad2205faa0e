"""The year-end certificate clean-up (R2, seed 004 I.5.1).

Three lists for the year: certificates to renew (expired, or expiring before the end of next
year), certificates to revoke (the holder retired, transferred or is auxiliary staff, or the
certificate is suspended), and certificates whose annual review is missing for the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import (
    Certificate,
    CertificateState,
    Person,
    PersonStatus,
    Staffing,
    Unit,
)
from commandcenter.services import settings
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require


@dataclass(frozen=True)
class ReviewLine:
    person: str
    unit: str
    auxiliary: bool
    person_status: str
    number: str
    fields: str
    expires_on: date
    last_review_on: date | None
    reason: str


@dataclass(frozen=True)
class CertificateReview:
    centre_name: str
    year: int
    prepared_on: date
    to_renew: list[ReviewLine]
    to_revoke: list[ReviewLine]
    review_missing: list[ReviewLine]
    certificates: int  # not revoked, in the whole roster

    @property
    def sections(self) -> list[tuple[str, list[ReviewLine]]]:
        return [
            ("一、应换证（已过期或下一年度内到期）", self.to_renew),
            ("二、应注销（退休、调离、协勤或暂扣待处理）", self.to_revoke),
            ("三、本年度未年审", self.review_missing),
        ]


_GONE = {PersonStatus.RETIRED: "已退休", PersonStatus.TRANSFERRED: "已调离"}


def build(
    session: Session, actor: Actor, year: int, today: date | None = None
) -> CertificateReview:
    require(actor, Action.VIEW)
    today = today or timeutil.today()
    renew_before = date(year + 1, 12, 31)
    rows = session.execute(
        select(Certificate, Person, Unit.short_name)
        .join(Person, Certificate.person_id == Person.id)
        .join(Unit, Person.unit_id == Unit.id)
        .where(Certificate.state != CertificateState.REVOKED)
        .order_by(Unit.sort_order, Person.name, Certificate.expires_on)
    ).all()
    to_renew, to_revoke, missing = [], [], []
    for cert, person, unit in rows:

        def line(
            reason: str, cert: Certificate = cert, person: Person = person, unit: str = unit
        ) -> ReviewLine:
            return ReviewLine(
                person.name,
                unit,
                person.staffing is Staffing.AUXILIARY,
                person.status.label,
                cert.number,
                cert.fields.replace(",", "、"),
                cert.expires_on,
                cert.last_review_on,
                reason,
            )

        gone = _GONE.get(person.status)
        if gone:
            to_revoke.append(line(f"持证人{gone}，应收回注销"))
            continue
        if person.staffing is Staffing.AUXILIARY:
            to_revoke.append(line("编外协勤人员不得持证"))
            continue
        if cert.state is CertificateState.SUSPENDED:
            to_revoke.append(line("暂扣中，应决定恢复或注销"))
        elif cert.expires_on < today:
            to_renew.append(line("已过期，换证前不得执法"))
        elif cert.expires_on <= renew_before:
            to_renew.append(line("下一年度内到期，应换证"))
        if cert.state is CertificateState.VALID and (
            cert.last_review_on is None or cert.last_review_on.year < year
        ):
            missing.append(line(f"{year} 年度未年审"))
    return CertificateReview(
        settings.load(session).centre_name, year, today, to_renew, to_revoke, missing, len(rows)
    )
