"""The listing machinery: a :class:`Listing` describes columns over a SELECT, and filters, sorts
and pages it in SQL, never in Python. The UI's table model asks it for a count and for one page of
rows at a time; masking of personal data is applied here, below the UI. The lists themselves live
beside their domains' services (``incidents/listings.py``, ``roster/listings.py`` …);
:mod:`.listing_registry` gathers them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
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
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import util as sql_util
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.types import NullType, TypeDecorator

from commandcenter import timeutil
from commandcenter.db.models import Labelled, Unit, UnitKind
from commandcenter.services import settings, work_calendar
from commandcenter.services.actor import Actor
from commandcenter.services.permissions import Action, require
from commandcenter.services.work_calendar import WorkCalendar


def cell_text(value: Any) -> str:
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
    fmt: Callable[[Any], str] = cell_text
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
                stmt = stmt.where(contains(self.search, word))
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
            elif typed and column.fmt is cell_text and isinstance(value, int | float | date):
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


def contains(columns: Sequence[Any], word: str) -> ColumnElement[bool]:
    """Any of *columns* contains *word* (LIKE, case-insensitive). % and _ typed are themselves,
    not wildcards: "%" finds a 100% in a title, not every row."""
    return or_(*(column.icontains(word, autoescape=True) for column in columns))


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


# --- filter options shared by the lists ---------------------------------------------------


def unit_options(column: Any, kinds: tuple[UnitKind, ...] = ()) -> OptionSource:
    def options(session: Session) -> list[FilterOption]:
        stmt = (
            select(Unit.id, Unit.short_name)
            .where(Unit.active.is_(True))
            .order_by(Unit.sort_order, Unit.id)
        )
        if kinds:
            stmt = stmt.where(Unit.kind.in_(kinds))
        rows = session.execute(stmt).all()
        return [FilterOption(name, equals(column, uid), uid) for uid, name in rows]

    return options


def equals(column: Any, value: Any) -> Condition:
    return lambda ctx: column == value


def enum_options(column: Any, enum: type[Labelled]) -> OptionSource:
    options = [FilterOption(m.label, equals(column, m), m) for m in enum]
    return lambda session: options


def enum_filter(key: str, label: str, column: Any, enum: type[Labelled]) -> ListFilter:
    """A choice among an enum's members, each option counted by one GROUP BY on *column*."""
    return ListFilter(key, label, enum_options(column, enum), group=lambda ctx: column)
