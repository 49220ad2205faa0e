"""What a leader signs a scheme's summary on: one data period, every sheet locked, and the audit
record sealed up to the moment the data stops.

The period. Computing takes the year's data from 1 January up to the computing day (the whole
year once it is over) and stores that period on every sheet it computes. A locked sheet is not
recomputed, so after a recompute the sheets of a scheme can hold different periods: the summary
then says so and is not final.

The audit seal. The summary prints how many audit records the year holds up to the end of its
data and the last one's hash. The end is the end of the period's last day, or, while that day
was still running when the sheets were computed, the moment of computing (nothing written after
it can be in the figures) as the sheets and the computation's own audit record have it. Records written later, such as each export's own sign-in, fall outside
it, so exporting again prints the same figure, and any later change to the sealed records shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import AssessmentScheme, AssessmentSheet, AuditRecord, SheetStatus
from commandcenter.errors import ValidationError
from commandcenter.services import audit, records
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require
from commandcenter.services.statistics import Period


@dataclass(frozen=True)
class SchemeBasis:
    """A scheme's sheets as the summary is signed on them."""

    scheme_id: int
    year: int
    sheets: int
    unlocked: int
    uncomputed: int
    periods: tuple[Period, ...]  # the distinct data periods its computed sheets hold
    cut: datetime | None  # where the data stops (see the module's note)

    @property
    def period(self) -> Period | None:
        """The one period every sheet was computed over, or None."""
        return self.periods[0] if self.consistent else None

    @property
    def consistent(self) -> bool:
        return len(self.periods) == 1 and not self.uncomputed

    @property
    def final(self) -> bool:
        return self.consistent and not self.unlocked and self.sheets > 0

    def periods_text(self) -> str:
        texts = [p.text for p in self.periods]
        if self.uncomputed:
            texts.append(f"{self.uncomputed} 份尚未计算")
        return "；".join(texts) or "尚未计算"

    def refusal(self, what: str) -> str | None:
        """Why *what* may not be printed as final, or None."""
        if not self.sheets:
            return f"该方案还没有考核评价表，不能{what}。"
        if not self.consistent:
            return (
                f"该方案各考核评价表的数据期间不一致（{self.periods_text()}），不能{what}；"
                "请解锁后重新计算，使各表按同一期间计算。"
            )
        if self.unlocked:
            return f"该方案还有 {self.unlocked} 份考核评价表未锁定签发，不能{what}。"
        return None


def basis(session: Session, scheme_id: int) -> SchemeBasis:
    scheme = records.get(session, AssessmentScheme, scheme_id, "考核方案")
    rows = session.execute(
        select(
            AssessmentSheet.period_start,
            AssessmentSheet.period_end,
            func.count(AssessmentSheet.id),
            func.max(AssessmentSheet.computed_at),
            func.sum(case((AssessmentSheet.status != SheetStatus.LOCKED, 1), else_=0)),
        )
        .where(AssessmentSheet.scheme_id == scheme_id)
        .group_by(AssessmentSheet.period_start, AssessmentSheet.period_end)
        .order_by(AssessmentSheet.period_end, AssessmentSheet.period_start)
    ).all()
    computed = [(r[0], r[1], r[3]) for r in rows if r[0] is not None and r[1] is not None]
    periods = tuple(Period(first, last, f"{scheme.year}年度") for first, last, _ in computed)
    recorded = _compute_recorded(session, scheme_id)
    cuts = [_cut(last, at, recorded) for _, last, at in computed]
    return SchemeBasis(
        scheme_id=scheme.id,
        year=scheme.year,
        sheets=sum(int(r[2]) for r in rows),
        unlocked=sum(int(r[4] or 0) for r in rows),
        uncomputed=sum(int(r[2]) for r in rows if r[0] is None or r[1] is None),
        periods=periods,
        cut=max(cuts) if cuts else None,
    )


def _last_moment(day: date) -> datetime:
    """The last instant of *day*: cuts are inclusive, like the computing moment."""
    return timeutil.end_of_local_day(day) - timedelta(microseconds=1)


def _compute_recorded(session: Session, scheme_id: int) -> datetime | None:
    """When the scheme's last computation was written to the audit record."""
    return session.scalar(
        select(func.max(AuditRecord.at)).where(
            AuditRecord.action == "assessment.compute",
            AuditRecord.entity_type == "assessment_scheme",
            AuditRecord.entity_id == scheme_id,
        )
    )


def _cut(last: date, computed_at: datetime | None, recorded: datetime | None) -> datetime:
    """The earliest of the period's end, the computing moment and the moment the computation
    was recorded: a computation given a moment ahead of the clock (as the demo street's is)
    must not reach over records written after it."""
    return min(m for m in (_last_moment(last), computed_at, recorded) if m is not None)


def for_summary(session: Session, actor: Actor, scheme_id: int) -> SchemeBasis:
    require(actor, Action.VIEW)
    return basis(session, scheme_id)


def require_final(session: Session, scheme_id: int, what: str) -> SchemeBasis:
    found = basis(session, scheme_id)
    if (why := found.refusal(what)) is not None:
        raise ValidationError(why)
    return found


@dataclass(frozen=True)
class Seal:
    """The audit record's count and head up to *cut*, as the summary prints it."""

    cut: datetime | None
    count: int
    head_id: int | None
    head_hash: str
    chain_intact: bool

    @property
    def cut_text(self) -> str:
        return timeutil.format_local(self.cut) if self.cut else "—"


def seal(session: Session, year: int, bases: Sequence[SchemeBasis]) -> Seal:
    """The year's audit records up to the latest cut among *bases* (the end of the year when
    nothing is computed yet)."""
    cuts = [b.cut for b in bases if b.cut is not None]
    cut = max(cuts) if cuts else _last_moment(date(year, 12, 31))
    found = audit.seal(session, timeutil.start_of_local_day(date(year, 1, 1)), cut, through=True)
    return Seal(cut, found.count, found.head_id, found.head_hash, found.chain_intact)
