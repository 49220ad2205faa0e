"""日碰头 and 周例会: what the morning huddle and the weekly meeting go through.

Both are read from the same figures and lists as the 工作台, the ranking and the bulletin, so a
number read out at a meeting is the number on every other screen. A briefing is plain data
(figures and sections of rows); the page shows it and the same data prints as a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import OPEN_INCIDENT_STATUSES, Incident, Plan, PlanStatus, Unit
from commandcenter.services import meetings, reports, settings
from commandcenter.services.actor import Actor
from commandcenter.services.incidents import listings as incident_listings
from commandcenter.services.listing import Listing
from commandcenter.services.permissions import Action, require
from commandcenter.services.statistics import (
    ON_TIME_NOTE,
    Period,
    closed_in,
    count_incidents,
    day_period,
    percent,
    received_in,
    week_period,
)

# The queue's columns a briefing shows, by header: enough to name the case and who has it.
_INCIDENT_HEADERS = ("编号", "事件", "主办单位", "状态", "剩余时间")
# A list of incidents is cut here, with a note of how many there are: a meeting discusses the
# first of them, and a street with thousands overdue would otherwise print a book (and take
# seconds to show).
SECTION_ROWS = 100


@dataclass(frozen=True)
class Section:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    ids: tuple[int, ...] = ()  # the incident (or agreed item) behind each row
    link: str = ""  # "incident" or "item": what the ids are, for opening from the page
    flags: tuple[str | None, ...] = ()
    note: str = ""  # one line under the title (what is counted, how it was cut)
    total: int | None = None  # rows in all, when only the first of them are listed

    @property
    def count(self) -> int:
        return len(self.rows) if self.total is None else self.total


@dataclass(frozen=True)
class Briefing:
    kind: str  # 日碰头 or 周例会
    centre_name: str
    period: Period
    made_at: datetime
    figures: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...] = field(default=())

    @property
    def title(self) -> str:
        return "周例会材料" if self.kind == "周例会" else "日碰头清单"


def _listing_section(
    session: Session, actor: Actor, listing: Listing, now: datetime, title: str = ""
) -> Section:
    headers = [c.header for c in listing.columns]
    keep = [headers.index(h) for h in _INCIDENT_HEADERS if h in headers]
    rows = listing.fetch(session, actor, now=now, limit=SECTION_ROWS)
    total = len(rows)
    note = ""
    if total == SECTION_ROWS:
        total = listing.count(session, actor, now=now)
    if total > len(rows):
        order = listing.columns[listing.default_sort].header
        note = f"共 {total} 件，按{order}列出前 {len(rows)} 件，全部可在事件队列中查看。"
    return Section(
        title=title or listing.title,
        headers=tuple(headers[k] for k in keep),
        rows=tuple(tuple(r.values[k] for k in keep) for r in rows),
        ids=tuple(r.id for r in rows),
        link="incident",
        flags=tuple(r.flag for r in rows),
        note=note,
        total=total,
    )


def _items_section(title: str, items: list[meetings.ItemLine], day: date) -> Section:
    return Section(
        title=title,
        headers=("议定事项", "会议", "责任单位", "责任人", "完成时限", "最新进展"),
        rows=tuple(
            (
                i.task,
                f"{i.held_on.month}月{i.held_on.day}日",
                i.unit,
                i.responsible_person,
                i.deadline.isoformat() + ("（逾期）" if i.overdue_on(day) else ""),
                i.progress,
            )
            for i in items
        ),
        ids=tuple(i.id for i in items),
        link="item",
        flags=tuple("overdue" if i.overdue_on(day) else None for i in items),
    )


def _plans_section(session: Session, title: str, first: date, last: date, done: bool) -> Section:
    states = (
        (PlanStatus.DONE, PlanStatus.SUMMARISED)
        if done
        else (PlanStatus.SUBMITTED, PlanStatus.APPROVED)
    )
    rows = session.execute(
        select(Plan.planned_on, Plan.start_time, Plan.title, Unit.short_name, Plan.status)
        .join(Unit, Plan.lead_unit_id == Unit.id)
        .where(Plan.planned_on >= first, Plan.planned_on <= last, Plan.status.in_(states))
        .order_by(Plan.planned_on, Plan.start_time, Plan.id)
    ).all()
    return Section(
        title=title,
        headers=("日期", "时间", "行动名称", "牵头单位", "状态"),
        rows=tuple(
            (
                day.isoformat(),
                start.strftime("%H:%M") if start else "",
                name,
                unit,
                status.label,
            )
            for day, start, name, unit, status in rows
        ),
    )


def daily(session: Session, actor: Actor, now: datetime | None = None) -> Briefing:
    """日碰头 for today: yesterday's intake and results, and what needs deciding today."""
    require(actor, Action.VIEW)
    moment = now or timeutil.now()
    today = timeutil.local_date(moment)
    yesterday = day_period(today - timedelta(days=1))
    sections = [
        _listing_section(session, actor, incident_listings.OVERDUE_INCIDENTS, moment),
        _listing_section(session, actor, incident_listings.DUE_TODAY, moment),
        _listing_section(session, actor, incident_listings.AWAITING_APPROVAL, moment),
        _listing_section(session, actor, incident_listings.WHISTLE_WAITING, moment),
        _listing_section(session, actor, incident_listings.RECEIVED_YESTERDAY, moment),
        _plans_section(session, "今日联合行动", today, today, done=False),
        _items_section(
            "议定事项：已逾期和三日内到期",
            meetings.overdue_items(session, actor, today)
            + meetings.open_items_due(session, actor, today, today + timedelta(days=3)),
            today,
        ),
    ]
    by_title = {s.title: s.count for s in sections}
    figures = (
        ("昨日受理", f"{count_incidents(session, received_in(yesterday))} 件"),
        ("昨日办结", f"{count_incidents(session, closed_in(yesterday))} 件"),
        (
            f"今日受理（截至 {timeutil.to_local(moment):%H:%M}）",
            f"{count_incidents(session, received_in(day_period(today)))} 件",
        ),
        ("在办事件", f"{count_incidents(session, Incident.status.in_(OPEN_INCIDENT_STATUSES))} 件"),
        ("超期未办结", f"{by_title[incident_listings.OVERDUE_INCIDENTS.title]} 件"),
        ("今日到期", f"{by_title[incident_listings.DUE_TODAY.title]} 件"),
        ("待领导审批", f"{by_title[incident_listings.AWAITING_APPROVAL.title]} 件"),
        ("吹哨待报到", f"{by_title[incident_listings.WHISTLE_WAITING.title]} 件"),
    )
    return Briefing(
        kind="日碰头",
        centre_name=settings.load(session).centre_name,
        period=day_period(today),
        made_at=moment,
        figures=figures,
        sections=tuple(sections),
    )


def last_full_week(today: date) -> Period:
    """The week a 周例会 reviews by default: the last one that has ended."""
    return week_period(today - timedelta(days=7))


def weekly(session: Session, actor: Actor, week: Period, now: datetime | None = None) -> Briefing:
    """周例会 for *week*: the week's figures against the week before, the units' results and the
    red/green boards, what is overdue now, the agreed items, and the joint operations."""
    require(actor, Action.VIEW)
    moment = now or timeutil.now()
    today = timeutil.local_date(moment)
    report = reports.period_report(session, actor, week, "周例会", moment)
    vs = report.vs_previous
    before = "上周同期" if report.running else "上周"
    figures = (
        (
            "受理事件",
            f"{report.received} 件（{before} {vs.earlier_count} 件"
            + (f"，环比 {vs.change:+.1%}）" if vs.change is not None else "）"),
        ),
        ("办结事件", f"{report.closed} 件（按办结时间计）"),
        ("超期未办结", f"{report.overdue} 件（{'截至目前' if report.running else '截至周末'}）"),
        ("按期办结率", percent(report.on_time_rate)),
        ("督办文书", f"{report.supervisions} 份"),
        ("吹哨报到", f"{report.whistle_calls} 次"),
        ("联合行动", f"{report.plans_done} 次"),
    )
    shown = [r for r in report.ranking if r.figures.received or r.volume]
    units = Section(
        title="各单位办理情况",
        headers=("排名", "单位", "承办", "反馈", "超期", "件数", "按期反馈率", "退回", "红绿榜"),
        rows=tuple(
            (
                str(r.rank) if r.rank else ("件数不足" if r.too_few else "—"),
                r.figures.unit,
                str(r.figures.received),
                str(r.figures.reported),
                str(r.figures.overdue),
                str(r.volume),
                percent(r.figures.on_time_rate),
                str(r.figures.returns),
                {"red": "红榜", "green": "绿榜"}.get(r.board, ""),
            )
            for r in shown
        ),
        flags=tuple(r.board or None for r in shown),
        note=f"注：{ON_TIME_NOTE}。{reports.RANKING_NOTE.format(minimum=report.ranking_minimum)}",
    )
    next_week = week_period(week.last + timedelta(days=1))
    sections = (
        units,
        _listing_section(
            session,
            actor,
            incident_listings.OVERDUE_INCIDENTS,
            moment,
            "超期未办结事件（截至目前）",
        ),
        _items_section(
            "议定事项：已逾期和下周到期",
            meetings.overdue_items(session, actor, today)
            + meetings.open_items_due(session, actor, max(today, next_week.first), next_week.last),
            today,
        ),
        _plans_section(session, "本周开展的联合行动", week.first, week.last, done=True),
        _plans_section(session, "下周计划的联合行动", next_week.first, next_week.last, done=False),
    )
    return Briefing(
        kind="周例会",
        centre_name=report.centre_name,
        period=week,
        made_at=moment,
        figures=figures,
        sections=sections,
    )


def daily_for_paper(session: Session, actor: Actor) -> Briefing:
    """The 日碰头 as printed."""
    require(actor, Action.PRINT_DOCUMENT)
    return daily(session, actor)


def weekly_for_paper(session: Session, actor: Actor, week: Period) -> Briefing:
    """The 周例会 material as printed."""
    require(actor, Action.PRINT_DOCUMENT)
    return weekly(session, actor, week)
