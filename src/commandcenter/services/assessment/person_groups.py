"""Which person scheme assesses whom: the role group of a posting, and of a person's year.

A person's postings (unit, staffing, position from a date) make his history; over an assessment
period each day belongs to the posting in force that day, and he is assessed under the group
he belonged to most days (a tie goes to the later group).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter.db.models import Person, PersonGroup, PersonPosting, Staffing, Unit, UnitKind
from commandcenter.services.statistics import Period

# People assessed: those posted in the units the centre commands.
PERSON_UNIT_KINDS = (UnitKind.COMMAND_CENTRE, UnitKind.SQUAD, UnitKind.AGENCY)


def is_squad_leader(unit_kind: UnitKind, position: str | None) -> bool:
    """A squad's leader: a post named 队长 in a squad (中队长, 副中队长, 队长, 副队长).
    执法队员 and 协勤队员 are not; nor is a 所长 of an agency, who is assessed as an officer."""
    return unit_kind is UnitKind.SQUAD and "队长" in (position or "")


def group_of(unit_kind: UnitKind, staffing: Staffing, position: str | None) -> PersonGroup | None:
    """The group a posting belongs to; None outside the units the centre assesses."""
    if unit_kind not in PERSON_UNIT_KINDS:
        return None
    if staffing is Staffing.AUXILIARY:  # wherever he works: never assessed as an officer (R10)
        return PersonGroup.AUXILIARY
    if unit_kind is UnitKind.COMMAND_CENTRE:
        return PersonGroup.COMMAND
    if is_squad_leader(unit_kind, position):
        return PersonGroup.SQUAD_LEADER
    return PersonGroup.OFFICER


@dataclass(frozen=True)
class Span:
    first: date
    last: date
    group: PersonGroup | None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class YearGroup:
    group: PersonGroup | None
    spans: list[Span]  # in order, neighbours of one group merged

    @property
    def moved(self) -> bool:
        return len(self.spans) > 1


def _spans(
    postings: Sequence[tuple[date, UnitKind, Staffing, str | None]], period: Period
) -> list[Span]:
    """The period cut at each posting's date; days before the first posting are left out."""
    ordered = sorted(postings, key=lambda p: p[0])
    spans: list[Span] = []
    for n, (since, kind, staffing, position) in enumerate(ordered):
        until = ordered[n + 1][0] - timedelta(days=1) if n + 1 < len(ordered) else period.last
        first, last = max(since, period.first), min(until, period.last)
        if first > last:
            continue
        group = group_of(kind, staffing, position)
        if spans and spans[-1].group is group:
            spans[-1] = Span(spans[-1].first, last, group)
        else:
            spans.append(Span(first, last, group))
    if not spans and ordered:  # posted only after the period: his first posting stands
        since, kind, staffing, position = ordered[0]
        spans.append(Span(period.first, period.last, group_of(kind, staffing, position)))
    return spans


def decide(spans: Sequence[Span]) -> PersonGroup | None:
    """The group of most days; a tie goes to the group held later."""
    days: dict[PersonGroup, int] = {}
    latest: dict[PersonGroup, date] = {}
    for span in spans:
        if span.group is not None:
            days[span.group] = days.get(span.group, 0) + span.days
            latest[span.group] = span.last
    if not days:
        return None
    return max(days, key=lambda g: (days[g], latest[g]))


def year_groups(
    session: Session, period: Period, person_ids: Sequence[int]
) -> dict[int, YearGroup]:
    """Each person's group over *period*, from his postings (or, having none, his current
    unit, staffing and position)."""
    history: dict[int, list[tuple[date, UnitKind, Staffing, str | None]]] = {}
    for start in range(0, len(person_ids), 500):
        chunk = list(person_ids[start : start + 500])
        for person_id, since, kind, staffing, position in session.execute(
            select(
                PersonPosting.person_id,
                PersonPosting.from_date,
                Unit.kind,
                PersonPosting.staffing,
                PersonPosting.position,
            )
            .join(Unit, PersonPosting.unit_id == Unit.id)
            .where(PersonPosting.person_id.in_(chunk))
            .order_by(PersonPosting.from_date, PersonPosting.id)
        ):
            history.setdefault(person_id, []).append((since, kind, staffing, position))
        unposted = [i for i in chunk if i not in history]
        for person_id, kind, staffing, position in session.execute(
            select(Person.id, Unit.kind, Person.staffing, Person.position)
            .join(Unit, Person.unit_id == Unit.id)
            .where(Person.id.in_(unposted or [0]))
        ):
            history[person_id] = [(period.first, kind, staffing, position)]
    found = {}
    for person_id in person_ids:
        spans = _spans(history.get(person_id, []), period)
        found[person_id] = YearGroup(decide(spans), spans)
    return found


def _day(first: date, last: date) -> str:
    """1—6月 for whole months, 3月15日—6月30日 otherwise."""
    whole = first.day == 1 and (last + timedelta(days=1)).day == 1
    if whole:
        return f"{first.month}月" if first.month == last.month else f"{first.month}—{last.month}月"
    return f"{first.month}月{first.day}日—{last.month}月{last.day}日"


def moves_text(year_group: YearGroup) -> str:
    """年内岗位变动：1—6月 协勤人员，7—12月 执法人员 — or '' for a year in one group."""
    if not year_group.moved:
        return ""
    parts = [
        f"{_day(span.first, span.last)} {span.group.label if span.group else '非考核单位'}"
        for span in year_group.spans
    ]
    chosen = year_group.group.label if year_group.group else "—"
    return f"年内岗位变动：{'，'.join(parts)}（按在岗时间最长的{chosen}考核）"
