"""逾期未回复督办和移送: the follow-ups a unit let pass their day, registered into ``METRICS``.

Counted per agency for the period up to the moment of computing: the supervision papers
addressed to it whose reply-by date fell in the period and whose written reply came after that
day or had not come, and the transfer letters sent to it whose receipt deadline fell in the
period and whose receipt came after it or had not come.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import AssessmentSubject, Incident, Supervision, Transfer
from commandcenter.services.assessment.metrics import METRICS, Metric, Sources
from commandcenter.services.followups.supervision import late_or_unanswered
from commandcenter.services.statistics import Period


def late_supervision_in(p: Period, now: datetime) -> ColumnElement[bool]:
    cutoff = min(p.end, now)
    return and_(
        Supervision.reply_due_on >= p.start,
        Supervision.reply_due_on < cutoff,
        late_or_unanswered(),
    )


def late_receipt_in(p: Period, now: datetime) -> ColumnElement[bool]:
    cutoff = min(p.end, now)
    return and_(
        Transfer.receipt_due_at >= p.start,
        Transfer.receipt_due_at < cutoff,
        or_(Transfer.receipt_at.is_(None), Transfer.receipt_at > Transfer.receipt_due_at),
    )


def _late(s: Session, p: Period, now: datetime, ids: Sequence[int]) -> dict[int, float | None]:
    found: dict[int, int] = {}
    for key, condition in (
        (Supervision.unit_id, late_supervision_in(p, now)),
        (Transfer.department_id, late_receipt_in(p, now)),
    ):
        stmt = select(key, func.count()).where(condition, key.in_(ids)).group_by(key)
        for unit_id, n in s.execute(stmt):
            found[unit_id] = found.get(unit_id, 0) + int(n)
    return {u: float(found.get(u, 0)) for u in ids}


def _late_sources(s: Session, p: Period, now: datetime, unit_id: int) -> Sources:
    rows: list[tuple[str, ...]] = []
    numbers: list[str | None] = []
    for doc, number in s.execute(
        select(Supervision, Incident.number)
        .outerjoin(Incident, Supervision.incident_id == Incident.id)
        .where(late_supervision_in(p, now), Supervision.unit_id == unit_id)
        .order_by(Supervision.reply_due_on)
    ):
        rows.append(
            (
                doc.doc_number,
                doc.kind.label,
                timeutil.format_local(doc.reply_due_on, with_time=False),
                timeutil.format_local(doc.replied_at, with_time=False) or "未回复",
                number or "",
            )
        )
        numbers.append(number)
    for letter, number in s.execute(
        select(Transfer, Incident.number)
        .join(Incident, Transfer.incident_id == Incident.id)
        .where(late_receipt_in(p, now), Transfer.department_id == unit_id)
        .order_by(Transfer.receipt_due_at)
    ):
        rows.append(
            (
                letter.doc_number,
                "案件移送函回执",
                timeutil.format_local(letter.receipt_due_at, with_time=False),
                timeutil.format_local(letter.receipt_at, with_time=False) or "未回执",
                number,
            )
        )
        numbers.append(number)
    return Sources(("文书编号", "类别", "回复期限", "回复日期", "所涉事件"), rows, numbers)


LATE_FOLLOW_UPS = Metric(
    "late_follow_ups",
    "逾期未回复督办和移送",
    AssessmentSubject.AGENCY,
    "件",
    "考核期内到期、逾期回复或未回复的督办文书，及逾期签收或未签收的案件移送函",
    0,
    5,
    _late,
    _late_sources,
)

METRICS[LATE_FOLLOW_UPS.code] = LATE_FOLLOW_UPS
