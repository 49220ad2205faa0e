"""The system's lists: user accounts and the audit log."""

from __future__ import annotations

from sqlalchemy import case, select

from commandcenter.db.models import AuditRecord, Person, User
from commandcenter.services.listing import ListColumn, Listing
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
