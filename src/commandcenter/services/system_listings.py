"""The system's lists: user accounts and the audit log."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from commandcenter import timeutil
from commandcenter.db.models import AuditRecord, Person, User
from commandcenter.services.audit_actions import action_name_expr
from commandcenter.services.listing import (
    Condition,
    FilterOption,
    ListColumn,
    ListFilter,
    Listing,
    equals,
)
from commandcenter.services.permissions import Action

USERS = Listing(
    key="users",
    title="用户",
    id_expr=User.id,
    columns=(
        ListColumn("用户名", User.username, 100),
        ListColumn("姓名", User.display_name, 80),
        ListColumn("角色", User.role, 70),
        # The roster person the account belongs to (the command room is assessed by it).
        ListColumn(
            "对应人员",
            select(Person.name).where(Person.id == User.person_id).scalar_subquery(),
            80,
        ),
        ListColumn("启用", case((User.active.is_(True), "是"), else_="否"), 50),
        ListColumn("最近登录", User.last_sign_in_at, 130),
    ),
    source=lambda: select().select_from(User),
    search=(User.username, User.display_name),
    action=Action.MANAGE_USERS,
)

# The log's areas, by the prefix of their action codes; Chinese-named actions (meetings, the
# roster) fall under 其他.
_AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("事件", ("incident.",)),
    ("联合行动", ("plan.", "draw.", "entity.", "recusal.")),
    ("考核", ("assessment.",)),
    ("登录与用户", ("auth.", "user.", "permission.")),
    ("文书编号", ("docnumber.",)),
    ("设置与日历", ("settings.", "setup.", "calendar.", "deadline.", "catalogue.")),
)


def _starting(prefixes: tuple[str, ...]) -> Condition:
    return lambda ctx: or_(*(AuditRecord.action.startswith(p) for p in prefixes))


def _area_options(session: Session) -> list[FilterOption]:
    coded = [FilterOption(label, _starting(prefixes)) for label, prefixes in _AREAS]
    coded_at_all = _starting(tuple(p for _, prefixes in _AREAS for p in prefixes))
    return [*coded, FilterOption("其他", lambda ctx: ~coded_at_all(ctx))]


def _user_options(session: Session) -> list[FilterOption]:
    rows = session.execute(
        select(User.id, User.display_name, User.username).order_by(User.username)
    )
    return [
        FilterOption(f"{name}（{login}）", equals(AuditRecord.user_id, uid), uid)
        for uid, name, login in rows
    ]


def _since(days: int) -> Condition:
    return lambda ctx: (
        AuditRecord.at >= timeutil.start_of_local_day(ctx.today - timedelta(days=days - 1))
    )


def _period_options(session: Session) -> list[FilterOption]:
    return [
        FilterOption("今天", _since(1)),
        FilterOption("近7天", _since(7)),
        FilterOption("近30天", _since(30)),
        FilterOption(
            "今年",
            lambda ctx: AuditRecord.at >= timeutil.start_of_local_day(date(ctx.today.year, 1, 1)),
        ),
    ]


# Who did it by name, with the login beside it: a record outlives a renamed account.
_WHO = func.coalesce(User.display_name, AuditRecord.username)

AUDIT_LOG = Listing(
    key="audit",
    title="操作记录",
    id_expr=AuditRecord.id,
    columns=(
        ListColumn("时间", AuditRecord.at, 130),
        ListColumn("操作人", _WHO, 80),
        ListColumn("登录名", AuditRecord.username, 80),
        ListColumn("操作", action_name_expr(), 130),
        ListColumn("内容", AuditRecord.summary, 400),
    ),
    source=lambda: (
        select().select_from(AuditRecord).outerjoin(User, AuditRecord.user_id == User.id)
    ),
    search=(_WHO, AuditRecord.username, action_name_expr(), AuditRecord.summary),
    filters=(
        ListFilter("area", "类别", _area_options),
        ListFilter("user", "操作人", _user_options, group=lambda ctx: AuditRecord.user_id),
        ListFilter("period", "时间", _period_options),
    ),
    default_sort=0,
    default_descending=True,
)
