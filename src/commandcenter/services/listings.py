"""The lists the pages show, as queries: filter, sort and page in SQL, never in Python.

A :class:`Listing` describes columns over a SELECT. The UI's table model asks it for a count and
for one page of rows at a time; masking of personal data is applied here, below the UI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any, NamedTuple

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Dialect,
    Enum,
    Select,
    and_,
    case,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import util as sql_util
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.types import NullType, TypeDecorator

from commandcenter import timeutil
from commandcenter.db import search_index
from commandcenter.db.models import (
    OPEN_INCIDENT_STATUSES,
    AgreedItem,
    AgreedItemStatus,
    AssessmentScheme,
    AssessmentSheet,
    AuditRecord,
    CatalogueItem,
    CatalogueVersion,
    Certificate,
    CertificateState,
    Channel,
    CreditGrade,
    Entity,
    Extension,
    ExtensionState,
    Grid,
    Incident,
    IncidentStatus,
    Labelled,
    Liaison,
    ListType,
    Meeting,
    MeetingKind,
    Person,
    PersonStatus,
    Plan,
    PlanStatus,
    PlanTheme,
    Staffing,
    Unit,
    UnitKind,
    User,
    WhistleCall,
)
from commandcenter.db.search_index import incident_search
from commandcenter.services import masking, settings, work_calendar
from commandcenter.services.actor import Actor
from commandcenter.services.incidents.deadlines import DeadlineState, state_of, time_left
from commandcenter.services.permissions import Action, require
from commandcenter.services.roster import CertificateStatus, certificate_status
from commandcenter.services.work_calendar import WorkCalendar


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Labelled):
        return value.label
    if isinstance(value, datetime):
        return timeutil.format_local(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class ListColumn:
    header: str
    expr: Any
    width: int = 100
    # Personal data is always masked in lists (domain.md); full values belong to detail views
    # for roles with Action.VIEW_PERSONAL_DATA.
    personal: Callable[[Any], str] | None = None
    fmt: Callable[[Any], str] = _text
    # Shown from the row's extras and the moment instead of the value (time left, ...).
    derive: Callable[[Sequence[Any], ListContext], str] | None = None


_UNMARKED = "?"


Converter = Callable[[Any], Any] | None


class ListRow:
    """One row of a page: its id at once, its cells and mark when first asked for. The queue
    reads 200 rows a page and shows about thirty; only those are converted and formatted."""

    __slots__ = ("_convert", "_ctx", "_flag", "_listing", "_raw", "_values", "id")

    def __init__(
        self,
        raw: Sequence[Any],
        listing: Listing,
        ctx: ListContext,
        convert: Sequence[Converter] = (),
    ) -> None:
        self.id: int = raw[0]
        self._raw, self._listing, self._ctx = raw, listing, ctx
        self._convert = convert  # for the values read as the database gave them
        self._values: list[str] | None = None
        self._flag: str | None = _UNMARKED  # not yet worked out

    def _row(self) -> Sequence[Any]:
        if self._convert:
            self._raw = [
                v if c is None else c(v) for c, v in zip(self._convert, self._raw, strict=True)
            ]
            self._convert = ()
        return self._raw

    @property
    def values(self) -> list[str]:
        if self._values is None:
            self._values = self._listing._values(self._row(), self._ctx)
        return self._values

    @property
    def flag(self) -> str | None:
        """ "overdue", "warning", "auxiliary", "inactive": how the row is marked, if at all."""
        if self._flag is _UNMARKED:
            flagger, extras = self._listing.flagger, self._row()[1 + len(self._listing.columns) :]
            self._flag = flagger(extras, self._ctx) if flagger else None
        return self._flag


@dataclass(frozen=True)
class ListContext:
    """What conditions and row marks may depend on besides the row: the moment and settings."""

    now: datetime
    today: date
    certificate_warning_days: int
    session: Session | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, session: Session, now: datetime | None = None) -> ListContext:
        moment = now or timeutil.now()
        days = settings.load(session).certificate_warning_days
        return cls(moment, timeutil.local_date(moment), days, session)

    @property
    def on_sqlite(self) -> bool:
        return self.session is not None and self.session.get_bind().dialect.name == "sqlite"

    @cached_property
    def calendar(self) -> WorkCalendar:
        assert self.session is not None
        return work_calendar.for_display(self.session)


Flagger = Callable[[Sequence[Any], ListContext], str | None]
Condition = Callable[[ListContext], ColumnElement[bool]]
WordMatch = Callable[[ListContext, str], ColumnElement[bool]]
OptionSource = Callable[[Session], list["FilterOption"]]


class FilterOption(NamedTuple):
    label: str
    condition: Condition
    value: Any = None  # the group value counted for this option, for filters with a group


@dataclass(frozen=True)
class ListFilter:
    """A choice above a list (单位, 状态 ...): label and the options, each a condition in SQL.

    With *group*, each option's count under the other choices comes from one GROUP BY.
    """

    key: str
    label: str
    options: Callable[[Session], list[FilterOption]]
    group: Callable[[ListContext], Any] | None = None
    default: str = ""  # the option chosen when the list is first shown


@dataclass(frozen=True)
class Listing:
    key: str
    title: str
    id_expr: Any
    columns: tuple[ListColumn, ...]
    source: Callable[[], Select[Any]]  # a SELECT of nothing yet, with its FROM and joins
    search: tuple[Any, ...] = ()
    # How one search word matches, where an index does better than LIKE over *search*.
    search_word: WordMatch | None = None
    default_sort: int = 0
    default_descending: bool = False
    where: Condition | None = None
    extras: tuple[Any, ...] = ()
    flagger: Flagger | None = None
    action: Action = Action.VIEW
    filters: tuple[ListFilter, ...] = ()
    # The source only adds LEFT JOINs on the joined tables' keys, which never change how many
    # rows there are: a count whose conditions need none of them can skip them all.
    count_without_joins: bool = False
    # Worked out once: the selected columns, some read as stored (convert_later), and per
    # dialect how those are converted.
    _worked_out: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def _filtered(
        self, stmt: Select[Any], text: str, ctx: ListContext, chosen: dict[str, Condition]
    ) -> Select[Any]:
        if self.where is not None:
            stmt = stmt.where(self.where(ctx))
        for condition in chosen.values():
            stmt = stmt.where(condition(ctx))
        for word in text.split():
            if self.search_word is not None:
                stmt = stmt.where(self.search_word(ctx, word))
            else:
                stmt = stmt.where(_contains(self.search, word))
        return stmt

    def count(
        self,
        session: Session,
        actor: Actor,
        text: str = "",
        *,
        now: datetime | None = None,
        chosen: dict[str, Condition] | None = None,
    ) -> int:
        require(actor, self.action)
        stmt = self.count_select(ListContext.of(session, now), text, chosen or {})
        return int(session.execute(stmt).scalar_one())

    def count_select(
        self, ctx: ListContext, text: str, chosen: dict[str, Condition]
    ) -> Select[Any]:
        stmt = self._filtered(self.source().add_columns(func.count()), text, ctx, chosen)
        if self.count_without_joins:
            stmt = _without_joins(stmt, self.id_expr.expression.table)
        return stmt

    def option_counts(
        self,
        session: Session,
        actor: Actor,
        key: str,
        text: str = "",
        *,
        now: datetime | None = None,
        chosen: dict[str, Condition] | None = None,
    ) -> dict[Any, int]:
        """Rows per option of filter *key*, under the search and the other filters chosen."""
        require(actor, self.action)
        spec = next(f for f in self.filters if f.key == key)
        assert spec.group is not None
        ctx = ListContext.of(session, now)
        group = spec.group(ctx)
        others = {k: c for k, c in (chosen or {}).items() if k != key}
        stmt = self._filtered(self.source().add_columns(group, func.count()), text, ctx, others)
        return {value: int(n) for value, n in session.execute(stmt.group_by(group))}

    def _rows_select(
        self,
        ctx: ListContext,
        text: str,
        chosen: dict[str, Condition],
        sort: int | None,
        descending: bool | None,
        *,
        convert_later: bool = False,
    ) -> Select[Any]:
        """The rows' SELECT; with *convert_later*, dates, times, codes and flags come back as
        the database holds them, for :meth:`_converters_for` to convert when shown."""
        sort = self.default_sort if sort is None else sort
        descending = self.default_descending if descending is None else descending
        sort_expr = self.columns[sort].expr
        order = [sort_expr.desc() if descending else sort_expr.asc()]
        order.append(self.id_expr.desc() if descending else self.id_expr.asc())
        selected = self._selected(convert_later)
        stmt = self.source().add_columns(self.id_expr, *selected)
        return self._filtered(stmt, text, ctx, chosen).order_by(*order)

    def _selected(self, convert_later: bool = False) -> tuple[Any, ...]:
        key = f"selected:{convert_later}"
        if key not in self._worked_out:
            selected = (*(c.expr for c in self.columns), *self.extras)
            if convert_later:
                selected = tuple(
                    type_coerce(e, NullType()).label(f"as_read_{n}") if _converts_later(e) else e
                    for n, e in enumerate(selected)
                )
            self._worked_out[key] = selected
        found: tuple[Any, ...] = self._worked_out[key]
        return found

    def _converters_for(self, dialect: Dialect) -> tuple[Converter, ...]:
        """What SQLAlchemy would have applied to each value of a row read with convert_later."""
        key = f"converters:{dialect.name}"
        if key not in self._worked_out:
            self._worked_out[key] = tuple(
                e.type.dialect_impl(dialect).result_processor(dialect, None)
                if _converts_later(e)
                else None
                for e in (self.id_expr, *self._selected())
            )
        converters: tuple[Converter, ...] = self._worked_out[key]
        return converters

    def _values(self, raw: Sequence[Any], ctx: ListContext, typed: bool = False) -> list[Any]:
        """A row's cells as shown; with *typed*, numbers and dates stay numbers and dates."""
        width = len(self.columns)
        extras = raw[1 + width :]
        values: list[Any] = []
        for column, value in zip(self.columns, raw[1 : 1 + width], strict=True):
            if column.derive is not None:
                values.append(column.derive(extras, ctx))
            elif column.personal is not None:
                values.append(column.personal(value))  # masked, in exports too
            elif typed and column.fmt is _text and isinstance(value, int | float | date):
                values.append(timeutil.to_local(value) if isinstance(value, datetime) else value)
            else:
                values.append(column.fmt(value))
        return values

    def fetch(
        self,
        session: Session,
        actor: Actor,
        text: str = "",
        *,
        sort: int | None = None,
        descending: bool | None = None,
        offset: int = 0,
        limit: int = 200,
        now: datetime | None = None,
        chosen: dict[str, Condition] | None = None,
    ) -> list[ListRow]:
        require(actor, self.action)
        ctx = ListContext.of(session, now)
        stmt = self._rows_select(ctx, text, chosen or {}, sort, descending, convert_later=True)
        convert = self._converters_for(session.get_bind().dialect)
        rows = [
            ListRow(raw, self, ctx, convert)
            # Through Core: plain rows, without the ORM result handling a page has no use for.
            for raw in session.connection().execute(stmt.offset(offset).limit(limit)).all()
        ]
        if rows and any(column.derive is not None for column in self.columns):
            # Cells are formatted later, on the GUI thread, after this session has closed:
            # what they derive from (the work calendar) is read now.
            ctx.calendar  # noqa: B018
        return rows

    def stream(
        self,
        session: Session,
        actor: Actor,
        text: str = "",
        *,
        sort: int | None = None,
        descending: bool | None = None,
        now: datetime | None = None,
        chosen: dict[str, Condition] | None = None,
    ) -> Iterator[list[Any]]:
        """Every row under the search and filters, in order, read in batches: for exports.
        The permission is checked at the call, so an export is refused before its file begins."""
        require(actor, self.action)
        ctx = ListContext.of(session, now)
        stmt = self._rows_select(ctx, text, chosen or {}, sort, descending)
        return (
            self._values(raw, ctx, typed=True)
            for raw in session.execute(stmt.execution_options(yield_per=2000))
        )


def _converts_later(expr: Any) -> bool:
    """Whether *expr*'s values are worth converting only for the rows shown: parsing dates and
    times and looking up codes is most of the cost of reading a page of 200 rows."""
    kind = expr.type.impl_instance if isinstance(expr.type, TypeDecorator) else expr.type
    return isinstance(kind, Date | DateTime | Enum | Boolean)


# --- filter options shared by the lists ---------------------------------------------------


def _unit_options(column: Any, kinds: tuple[UnitKind, ...] = ()) -> OptionSource:
    def options(session: Session) -> list[FilterOption]:
        stmt = (
            select(Unit.id, Unit.short_name)
            .where(Unit.active.is_(True))
            .order_by(Unit.sort_order, Unit.id)
        )
        if kinds:
            stmt = stmt.where(Unit.kind.in_(kinds))
        rows = session.execute(stmt).all()
        return [FilterOption(name, _equals(column, uid), uid) for uid, name in rows]

    return options


def _equals(column: Any, value: Any) -> Condition:
    return lambda ctx: column == value


def _enum_options(column: Any, enum: type[Labelled]) -> OptionSource:
    options = [FilterOption(m.label, _equals(column, m), m) for m in enum]
    return lambda session: options


def _enum_filter(key: str, label: str, column: Any, enum: type[Labelled]) -> ListFilter:
    """A choice among an enum's members, each option counted by one GROUP BY on *column*."""
    return ListFilter(key, label, _enum_options(column, enum), group=lambda ctx: column)


# --- incidents ------------------------------------------------------------------------------

_lead_unit = aliased(Unit, name="lead_unit")
_registrar = aliased(User, name="registrar")
_item = aliased(CatalogueItem, name="inc_item")
_OPEN = tuple(OPEN_INCIDENT_STATUSES)


def _contains(columns: Sequence[Any], word: str) -> ColumnElement[bool]:
    pattern = f"%{word}%"
    return or_(*(column.ilike(pattern) for column in columns))


def _without_joins(stmt: Select[Any], base: Any) -> Select[Any]:
    """*stmt* counted over *base* alone, when its conditions touch none of the joined tables
    (a subquery of its own, over other aliases, may)."""
    where = stmt.whereclause
    if where is not None:
        joined = {
            table
            for source in stmt.get_final_froms()
            for table in sql_util.find_tables(source, include_aliases=True)
        } - {base}
        for element in visitors.iterate(where):
            if isinstance(element, ColumnClause) and getattr(element, "table", None) in joined:
                return stmt
    plain = select(func.count()).select_from(base)
    return plain if where is None else plain.where(where)


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
    return [FilterOption(name, _equals(Incident.grid_id, gid), gid) for gid, name in rows]


def _item_options(session: Session) -> list[FilterOption]:
    """Items by code, across catalogue versions: an incident keeps the item it was triaged with."""
    rows = session.execute(
        select(CatalogueItem.code, func.max(CatalogueItem.name))
        .group_by(CatalogueItem.code)
        .order_by(CatalogueItem.code)
    ).all()
    return [FilterOption(f"{code} {name}", _equals(_item.code, code), code) for code, name in rows]


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
    pattern = f"%{word}%"
    grid, unit, item = aliased(Grid), aliased(Unit), aliased(CatalogueItem)
    by_reference = (
        Incident.grid_id.in_(select(grid.id).where(grid.name.ilike(pattern))),
        Incident.lead_unit_id.in_(select(unit.id).where(unit.short_name.ilike(pattern))),
        Incident.item_id.in_(select(item.id).where(item.code.ilike(pattern))),
    )
    query = search_index.match_query(word)
    if not ctx.on_sqlite or query is None:
        return or_(_contains(_INCIDENT_TEXT, word), *by_reference)
    own: ColumnElement[bool] = Incident.id.in_(
        select(incident_search.c.rowid).where(incident_search.c[search_index.TABLE].match(query))
    )
    if not search_index.is_exact(word):
        own = and_(own, _contains(_INCIDENT_TEXT, word))
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
        _enum_filter("status", "状态", Incident.status, IncidentStatus),
        ListFilter("deadline", "期限", _deadline_options, group=deadline_state_expr),
        _enum_filter("channel", "渠道", Incident.channel, Channel),
        ListFilter(
            "unit",
            "主办单位",
            _unit_options(
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


def _whistle_waiting(ctx: ListContext) -> ColumnElement[bool]:
    waiting = (
        select(WhistleCall.id)
        .where(WhistleCall.incident_id == Incident.id, WhistleCall.arrived_at.is_(None))
        .exists()
    )
    return and_(Incident.status.in_(_OPEN), waiting)


WHISTLE_WAITING = _incident_list("whistle_waiting", "吹哨待报到", _whistle_waiting)

# --- joint operations -----------------------------------------------------------------------


def _plan_source() -> Select[Any]:
    return select().select_from(Plan).join(Unit, Plan.lead_unit_id == Unit.id)


PLANS = Listing(
    key="plans",
    title="联合行动",
    id_expr=Plan.id,
    columns=(
        ListColumn("方案编号", Plan.number, 150),
        ListColumn("日期", Plan.planned_on, 90),
        ListColumn("主题", Plan.theme, 90),
        ListColumn("行动名称", Plan.title, 280),
        ListColumn("牵头单位", Unit.short_name, 120),
        ListColumn("状态", Plan.status, 70),
    ),
    source=_plan_source,
    search=(Plan.number, Plan.title, Unit.short_name),
    default_sort=1,
    default_descending=True,
    filters=(
        _enum_filter("status", "状态", Plan.status, PlanStatus),
        _enum_filter("theme", "主题", Plan.theme, PlanTheme),
    ),
)

# --- entities -------------------------------------------------------------------------------


def _entity_grid_options(session: Session) -> list[FilterOption]:
    rows = session.execute(
        select(Grid.id, Grid.name).where(Grid.active.is_(True)).order_by(Grid.code)
    ).all()
    return [FilterOption(name, _equals(Entity.grid_id, gid), gid) for gid, name in rows]


ENTITIES = Listing(
    key="entities",
    title="检查对象",
    id_expr=Entity.id,
    columns=(
        ListColumn("名称", Entity.name, 220),
        ListColumn("统一社会信用代码", Entity.uscc, 160),
        ListColumn("地址", Entity.address, 220),
        ListColumn("网格", Grid.name, 110),
        ListColumn("行业", Entity.industry, 80),
        ListColumn("信用等级", Entity.credit_grade, 60),
        ListColumn("联系人", Entity.contact_name, 70),
        ListColumn("联系电话", Entity.contact_phone, 110, personal=masking.mask_phone),
    ),
    source=lambda: select().select_from(Entity).outerjoin(Grid, Entity.grid_id == Grid.id),
    search=(Entity.name, Entity.uscc, Entity.address, Entity.industry),
    where=lambda ctx: Entity.active.is_(True),
    filters=(
        _enum_filter("grade", "信用等级", Entity.credit_grade, CreditGrade),
        ListFilter("grid", "网格", _entity_grid_options, group=lambda ctx: Entity.grid_id),
    ),
)

# --- people ---------------------------------------------------------------------------------

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
    return "【协勤】编外协勤" if value == Staffing.AUXILIARY else _text(value)


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
        ListFilter("unit", "单位", _unit_options(Person.unit_id)),
        ListFilter("staffing", "编制类别", _enum_options(Person.staffing, Staffing)),
        ListFilter("status", "状态", _enum_options(Person.status, PersonStatus)),
        ListFilter("certificate", "执法证", _certificate_options),
    ),
)

# --- liaison directory ----------------------------------------------------------------------


def _liaison_source() -> Select[Any]:
    return select().select_from(Liaison).join(Unit, Liaison.department_id == Unit.id)


LIAISONS = Listing(
    key="liaisons",
    title="联络名录",
    id_expr=Liaison.id,
    columns=(
        ListColumn("部门", Unit.name, 200),
        ListColumn("联络科室", Liaison.office, 130),
        ListColumn("类别", Liaison.role, 80),
        ListColumn("姓名", Liaison.name, 70),
        ListColumn("职务", Liaison.position, 90),
        ListColumn("手机", Liaison.mobile, 110),
        ListColumn("办公电话", Liaison.office_phone, 110),
        ListColumn("值班时间", Liaison.duty_hours, 120),
    ),
    source=_liaison_source,
    search=(Unit.name, Unit.short_name, Liaison.name, Liaison.office),
    default_sort=0,
)

# --- item catalogue (the version in force) --------------------------------------------------

_item_dept = aliased(Unit, name="item_dept")


def _catalogue_source() -> Select[Any]:
    return (
        select()
        .select_from(CatalogueItem)
        .join(CatalogueVersion, CatalogueItem.version_id == CatalogueVersion.id)
        .outerjoin(_item_dept, CatalogueItem.department_id == _item_dept.id)
    )


IN_FORCE = "现行版本"


def _version_in_force(ctx: ListContext) -> ColumnElement[bool]:
    latest = (
        select(CatalogueVersion.id)
        .where(CatalogueVersion.effective_from <= ctx.today)
        .order_by(CatalogueVersion.effective_from.desc(), CatalogueVersion.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return CatalogueItem.version_id == latest


def _version_options(session: Session) -> list[FilterOption]:
    """The version in force first, then every version by date, newest first."""
    rows = session.execute(
        select(
            CatalogueVersion.id, CatalogueVersion.label, CatalogueVersion.effective_from
        ).order_by(CatalogueVersion.effective_from.desc(), CatalogueVersion.id.desc())
    ).all()
    options = [FilterOption(IN_FORCE, _version_in_force)]
    options += [
        FilterOption(
            f"{label}（{start.isoformat()} 起）", _equals(CatalogueItem.version_id, vid), vid
        )
        for vid, label, start in rows
    ]
    return options


CATALOGUE = Listing(
    key="catalogue",
    title="执法事项清单",
    id_expr=CatalogueItem.id,
    columns=(
        ListColumn("事项编码", CatalogueItem.code, 110),
        ListColumn("事项名称", CatalogueItem.name, 330),
        ListColumn("执法领域", CatalogueItem.field, 80),
        ListColumn("清单类别", CatalogueItem.list_type, 80),
        ListColumn("责任部门", _item_dept.short_name, 110),
        ListColumn("时限（工作日）", CatalogueItem.time_limit_days, 90),
        ListColumn("紧急时限（工作小时）", CatalogueItem.time_limit_hours, 110),
        ListColumn("版本", CatalogueVersion.label, 120),
    ),
    source=_catalogue_source,
    search=(
        CatalogueItem.code,
        CatalogueItem.name,
        CatalogueItem.field,
        CatalogueItem.legal_basis,
    ),
    filters=(
        ListFilter("version", "版本", _version_options, default=IN_FORCE),
        ListFilter("list_type", "清单类别", _enum_options(CatalogueItem.list_type, ListType)),
    ),
)

# --- assessment -----------------------------------------------------------------------------

_sheet_unit = aliased(Unit, name="sheet_unit")


def _sheet_source() -> Select[Any]:
    return (
        select()
        .select_from(AssessmentSheet)
        .join(AssessmentScheme, AssessmentSheet.scheme_id == AssessmentScheme.id)
        .outerjoin(_sheet_unit, AssessmentSheet.unit_id == _sheet_unit.id)
        .outerjoin(Person, AssessmentSheet.person_id == Person.id)
    )


ASSESSMENT_SHEETS = Listing(
    key="assessment",
    title="考核评价",
    id_expr=AssessmentSheet.id,
    columns=(
        ListColumn("年度", AssessmentScheme.year, 60),
        ListColumn("考核对象", func.coalesce(_sheet_unit.name, Person.name), 220),
        ListColumn("类别", AssessmentScheme.subject, 80),
        ListColumn("街道评分", AssessmentSheet.street_score, 80),
        ListColumn("部门评分", AssessmentSheet.department_score, 80),
        ListColumn("总分", AssessmentSheet.total_score, 70),
        ListColumn("等次", AssessmentSheet.grade, 60),
        ListColumn("状态", AssessmentSheet.status, 80),
    ),
    source=_sheet_source,
    search=(_sheet_unit.name, Person.name),
    default_sort=5,
    default_descending=True,
)

# --- meetings -------------------------------------------------------------------------------


def _day_text(value: Any) -> str:
    return timeutil.format_local(value, with_time=False) if value else ""


_item_count = (
    select(func.count(AgreedItem.id))
    .where(AgreedItem.meeting_id == Meeting.id)
    .correlate(Meeting)
    .scalar_subquery()
)
_open_count = (
    select(func.count(AgreedItem.id))
    .where(AgreedItem.meeting_id == Meeting.id, AgreedItem.status == AgreedItemStatus.OPEN)
    .correlate(Meeting)
    .scalar_subquery()
)

MEETINGS = Listing(
    key="meetings",
    title="会议纪要",
    id_expr=Meeting.id,
    columns=(
        ListColumn("会议日期", Meeting.held_at, 90, fmt=_day_text),
        ListColumn("类型", Meeting.kind, 80),
        ListColumn("会议名称", Meeting.title, 240),
        ListColumn("主持人", Meeting.chair, 70),
        ListColumn("议定事项", _item_count, 70),
        ListColumn("推进中", _open_count, 60),
    ),
    source=lambda: select().select_from(Meeting),
    search=(Meeting.title, Meeting.attendees, Meeting.minutes),
    default_sort=0,
    default_descending=True,
    filters=(_enum_filter("kind", "类型", Meeting.kind, MeetingKind),),
)


def _item_flag(extra: Sequence[Any], ctx: ListContext) -> str | None:
    status, deadline = extra
    if status is AgreedItemStatus.OPEN and deadline < ctx.today:
        return "overdue"
    if status is not AgreedItemStatus.OPEN:
        return "inactive"
    return None


def _item_source() -> Select[Any]:
    return (
        select()
        .select_from(AgreedItem)
        .join(Meeting, AgreedItem.meeting_id == Meeting.id)
        .join(Unit, AgreedItem.unit_id == Unit.id)
    )


_ITEM_COLUMNS = (
    ListColumn("完成时限", AgreedItem.deadline, 90),
    ListColumn("议定事项", AgreedItem.task, 260),
    ListColumn("责任单位", Unit.short_name, 110),
    ListColumn("责任人", AgreedItem.responsible_person, 70),
    ListColumn("状态", AgreedItem.status, 70),
    ListColumn("最新进展", AgreedItem.progress, 220),
    ListColumn("会议日期", Meeting.held_at, 90, fmt=_day_text),
    ListColumn("会议", Meeting.title, 200),
)


def _item_overdue(ctx: ListContext) -> ColumnElement[bool]:
    return and_(AgreedItem.status == AgreedItemStatus.OPEN, AgreedItem.deadline < ctx.today)


AGREED_ITEMS = Listing(
    key="agreed_items",
    title="议定事项",
    id_expr=AgreedItem.id,
    columns=_ITEM_COLUMNS,
    source=_item_source,
    search=(AgreedItem.task, AgreedItem.responsible_person, Unit.short_name, Meeting.title),
    default_sort=0,
    extras=(AgreedItem.status, AgreedItem.deadline),
    flagger=_item_flag,
    filters=(
        ListFilter(
            "status",
            "状态",
            lambda session: [
                FilterOption("已逾期", _item_overdue, None),
                *_enum_options(AgreedItem.status, AgreedItemStatus)(session),
            ],
            default="推进中",
        ),
        ListFilter(
            "unit",
            "责任单位",
            _unit_options(AgreedItem.unit_id),
            group=lambda ctx: AgreedItem.unit_id,
        ),
    ),
)
# The 工作台's fixed view of the same list.
OVERDUE_AGREED_ITEMS = replace(
    AGREED_ITEMS,
    key="overdue_agreed_items",
    title="超期议定事项",
    where=_item_overdue,
    filters=(),
)

# --- system ---------------------------------------------------------------------------------

USERS = Listing(
    key="users",
    title="用户",
    id_expr=User.id,
    columns=(
        ListColumn("用户名", User.username, 100),
        ListColumn("姓名", User.display_name, 80),
        ListColumn("角色", User.role, 70),
        ListColumn("启用", case((User.active.is_(True), "是"), else_="否"), 50),
        ListColumn("最近登录", User.last_sign_in_at, 130),
    ),
    source=lambda: select().select_from(User),
    search=(User.username, User.display_name),
    action=Action.MANAGE_USERS,
)

AUDIT_LOG = Listing(
    key="audit",
    title="操作记录",
    id_expr=AuditRecord.id,
    columns=(
        ListColumn("时间", AuditRecord.at, 130),
        ListColumn("用户", AuditRecord.username, 80),
        ListColumn("操作", AuditRecord.action, 120),
        ListColumn("内容", AuditRecord.summary, 400),
    ),
    source=lambda: select().select_from(AuditRecord),
    search=(AuditRecord.username, AuditRecord.action, AuditRecord.summary),
    default_sort=0,
    default_descending=True,
)

ALL_LISTINGS = (
    INCIDENTS,
    OVERDUE_INCIDENTS,
    RECEIVED_TODAY,
    DUE_TODAY,
    AWAITING_APPROVAL,
    WHISTLE_WAITING,
    PLANS,
    ENTITIES,
    PEOPLE,
    LIAISONS,
    CATALOGUE,
    ASSESSMENT_SHEETS,
    MEETINGS,
    AGREED_ITEMS,
    OVERDUE_AGREED_ITEMS,
    RECEIVED_YESTERDAY,
    USERS,
    AUDIT_LOG,
)
