"""The incident queue as a list, and the 工作台's fixed views of it (overdue, received today,
due today, awaiting approval, whistle calls waiting).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from commandcenter import timeutil
from commandcenter.db import search_index
from commandcenter.db.models import (
    OPEN_INCIDENT_STATUSES,
    CatalogueItem,
    Channel,
    Extension,
    ExtensionState,
    Grid,
    Incident,
    IncidentStatus,
    Unit,
    UnitKind,
    User,
    WhistleCall,
)
from commandcenter.db.search_index import incident_search
from commandcenter.services import masking
from commandcenter.services.incidents.deadlines import DeadlineState, state_of, time_left
from commandcenter.services.listing import (
    Condition,
    FilterOption,
    ListColumn,
    ListContext,
    ListFilter,
    Listing,
    contains,
    enum_filter,
    equals,
    unit_options,
)

_lead_unit = aliased(Unit, name="lead_unit")
_registrar = aliased(User, name="registrar")
_item = aliased(CatalogueItem, name="inc_item")
_OPEN = tuple(OPEN_INCIDENT_STATUSES)


def _incident_source() -> Select[Any]:
    return (
        select()
        .select_from(Incident)
        .outerjoin(Grid, Incident.grid_id == Grid.id)
        .outerjoin(_lead_unit, Incident.lead_unit_id == _lead_unit.id)
        .outerjoin(_item, Incident.item_id == _item.id)
        .outerjoin(_registrar, Incident.registered_by_id == _registrar.id)
    )


def deadline_state_expr(ctx: ListContext) -> Any:
    """The deadline state in SQL, from the stored deadline and warning moment."""
    return case(
        (Incident.status.not_in(_OPEN), DeadlineState.DONE.value),
        (Incident.deadline_at.is_(None), DeadlineState.NONE.value),
        (Incident.deadline_at < ctx.now, DeadlineState.OVERDUE.value),
        (Incident.warning_at <= ctx.now, DeadlineState.WARNING.value),
        else_=DeadlineState.ON_TIME.value,
    )


def _incident_flag(extra: Sequence[Any], ctx: ListContext) -> str | None:
    state = state_of(extra[0], extra[1], extra[2], ctx.now)
    return {DeadlineState.OVERDUE: "overdue", DeadlineState.WARNING: "due_soon"}.get(state)


def _time_left(extra: Sequence[Any], ctx: ListContext) -> str:
    status, deadline, warning, uncertain = extra
    state = state_of(status, deadline, warning, ctx.now)
    if state in (DeadlineState.DONE, DeadlineState.NONE) or deadline is None:
        return ""
    text = time_left(ctx.calendar, ctx.now, deadline).text
    return text + ("（待核）" if uncertain else "")


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    return and_(Incident.status.in_(OPEN_INCIDENT_STATUSES), Incident.deadline_at < now)


def _deadline_options(session: Session) -> list[FilterOption]:
    def state_is(state: DeadlineState) -> Condition:
        return lambda ctx: deadline_state_expr(ctx) == state.value

    return [FilterOption(s.label, state_is(s), s.value) for s in DeadlineState]


def _grid_options(session: Session) -> list[FilterOption]:
    rows = session.execute(
        select(Grid.id, Grid.name).where(Grid.active.is_(True)).order_by(Grid.code)
    ).all()
    return [FilterOption(name, equals(Incident.grid_id, gid), gid) for gid, name in rows]


def _item_options(session: Session) -> list[FilterOption]:
    """Items by code, across catalogue versions: an incident keeps the item it was triaged with."""
    rows = session.execute(
        select(CatalogueItem.code, func.max(CatalogueItem.name))
        .group_by(CatalogueItem.code)
        .order_by(CatalogueItem.code)
    ).all()
    return [FilterOption(f"{code} {name}", equals(_item.code, code), code) for code, name in rows]


_INCIDENT_COLUMNS = (
    ListColumn("编号", Incident.number, 110),
    ListColumn("受理时间", Incident.received_at, 130),
    ListColumn("渠道", Incident.channel, 90),
    ListColumn("事件", Incident.title, 250),
    ListColumn("网格", Grid.name, 100),
    ListColumn("状态", Incident.status, 80),
    ListColumn("主办单位", _lead_unit.short_name, 100),
    ListColumn("办理期限", Incident.deadline_at, 130),
    ListColumn("剩余时间", Incident.deadline_at, 120, derive=_time_left),
    ListColumn("首问负责人", _registrar.display_name, 80),
    ListColumn("反映人电话", Incident.reporter_phone, 110, personal=masking.mask_phone),
)
_INCIDENT_EXTRAS = (
    Incident.status,
    Incident.deadline_at,
    Incident.warning_at,
    Incident.deadline_uncertain,
)
_INCIDENT_TEXT = (Incident.number, Incident.title, Incident.address, Incident.channel_ref)
_INCIDENT_SEARCH = (*_INCIDENT_TEXT, Grid.name, _lead_unit.short_name, _item.code)


def _incident_word(ctx: ListContext, word: str) -> ColumnElement[bool]:
    """The incidents whose text, grid, lead unit or item code contains *word*: the same rows
    as LIKE over _INCIDENT_SEARCH, found through indexes (the search index on SQLite, and the
    incidents' keys for the small joined tables) instead of reading every incident."""
    grid, unit, item = aliased(Grid), aliased(Unit), aliased(CatalogueItem)
    by_reference = (
        Incident.grid_id.in_(select(grid.id).where(grid.name.icontains(word, autoescape=True))),
        Incident.lead_unit_id.in_(
            select(unit.id).where(unit.short_name.icontains(word, autoescape=True))
        ),
        Incident.item_id.in_(select(item.id).where(item.code.icontains(word, autoescape=True))),
    )
    query = search_index.match_query(word)
    if not ctx.on_sqlite or query is None:
        return or_(contains(_INCIDENT_TEXT, word), *by_reference)
    own: ColumnElement[bool] = Incident.id.in_(
        select(incident_search.c.rowid).where(incident_search.c[search_index.TABLE].match(query))
    )
    if not search_index.is_exact(word):
        own = and_(own, contains(_INCIDENT_TEXT, word))
    return or_(own, *by_reference)


INCIDENTS = Listing(
    key="incidents",
    title="事件队列",
    id_expr=Incident.id,
    columns=_INCIDENT_COLUMNS,
    source=_incident_source,
    search=_INCIDENT_SEARCH,
    search_word=_incident_word,
    default_sort=1,
    default_descending=True,
    extras=_INCIDENT_EXTRAS,
    flagger=_incident_flag,
    count_without_joins=True,
    filters=(
        enum_filter("status", "状态", Incident.status, IncidentStatus),
        ListFilter("deadline", "期限", _deadline_options, group=deadline_state_expr),
        enum_filter("channel", "渠道", Incident.channel, Channel),
        ListFilter(
            "unit",
            "主办单位",
            unit_options(
                Incident.lead_unit_id, (UnitKind.SQUAD, UnitKind.AGENCY, UnitKind.DEPARTMENT)
            ),
            group=lambda ctx: Incident.lead_unit_id,
        ),
        ListFilter("grid", "网格", _grid_options, group=lambda ctx: Incident.grid_id),
        ListFilter("item", "事项", _item_options, group=lambda ctx: _item.code),
    ),
)


def received_between(first: date, last: date) -> Condition:
    """Incidents received on the local days *first* to *last*, both included (the queue's
    date filter)."""

    def condition(ctx: ListContext) -> ColumnElement[bool]:
        return and_(
            Incident.received_at >= timeutil.start_of_local_day(first),
            Incident.received_at < timeutil.end_of_local_day(last),
        )

    return condition


def _incident_list(key: str, title: str, where: Condition, sort: int = 7) -> Listing:
    """A fixed view of the queue for the 工作台."""
    return Listing(
        key=key,
        title=title,
        id_expr=Incident.id,
        columns=_INCIDENT_COLUMNS[:-1],
        source=_incident_source,
        search=_INCIDENT_SEARCH,
        search_word=_incident_word,
        default_sort=sort,
        where=where,
        extras=_INCIDENT_EXTRAS,
        flagger=_incident_flag,
    )


OVERDUE_INCIDENTS = _incident_list(
    "overdue", "超期未办结事件", lambda ctx: overdue_condition(ctx.now)
)
RECEIVED_TODAY = _incident_list(
    "received_today",
    "今日受理",
    lambda ctx: and_(
        Incident.received_at >= timeutil.start_of_local_day(ctx.today),
        Incident.received_at < timeutil.end_of_local_day(ctx.today),
    ),
    sort=1,
)
RECEIVED_YESTERDAY = _incident_list(
    "received_yesterday",
    "昨日受理",
    lambda ctx: and_(
        Incident.received_at >= timeutil.start_of_local_day(ctx.today - timedelta(days=1)),
        Incident.received_at < timeutil.start_of_local_day(ctx.today),
    ),
    sort=1,
)
DUE_TODAY = _incident_list(
    "due_today",
    "今日到期",
    lambda ctx: and_(
        Incident.status.in_(_OPEN),
        Incident.deadline_at >= ctx.now,
        Incident.deadline_at < timeutil.end_of_local_day(ctx.today),
    ),
)


def _awaiting_approval(ctx: ListContext) -> ColumnElement[bool]:
    """What waits for a leader: major dispatches, extensions, legal reviews."""
    pending_extension = (
        select(Extension.id)
        .where(Extension.incident_id == Incident.id, Extension.state == ExtensionState.REQUESTED)
        .exists()
    )
    return or_(
        Incident.status == IncidentStatus.AWAITING_APPROVAL,
        and_(Incident.status.in_(_OPEN), pending_extension),
        and_(
            Incident.status == IncidentStatus.REPORTED,
            Incident.is_major.is_(True),
            Incident.legal_reviewed_at.is_(None),
        ),
    )


AWAITING_APPROVAL = _incident_list("awaiting_approval", "待领导审批", _awaiting_approval)


# 法制审核待补正: a failed legal review sent the result back and the unit has not reported again
# (legal_review.awaiting_correction gives the same rows with the points to correct).
def _awaiting_correction(ctx: ListContext) -> ColumnElement[bool]:
    # Through the ids, so that SQLite reads the few in the partial index rather than walking
    # the deadline index (the list's order) over every incident.
    waiting = aliased(Incident)
    return Incident.id.in_(select(waiting.id).where(waiting.correction_requested_at.is_not(None)))


AWAITING_CORRECTION = _incident_list("awaiting_correction", "法制审核待补正", _awaiting_correction)


def _whistle_waiting(ctx: ListContext) -> ColumnElement[bool]:
    waiting = (
        select(WhistleCall.id)
        .where(WhistleCall.incident_id == Incident.id, WhistleCall.arrived_at.is_(None))
        .exists()
    )
    return and_(Incident.status.in_(_OPEN), waiting)


WHISTLE_WAITING = _incident_list("whistle_waiting", "吹哨待报到", _whistle_waiting)
