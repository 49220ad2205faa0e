"""work orders and replies: import layouts per source, reply templates, 办结回复

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 23:20:00

Three new tables. Incidents already closed have no reply recorded (none was kept); the centre
starts with two reply templates it can edit in 系统设置.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from commandcenter import timeutil
from commandcenter.db.models.base import UTCDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHANNELS = (
    "hotline_12345",
    "platform",
    "grid_patrol",
    "public_report",
    "department_transfer",
    "superior",
    "own_patrol",
    "media",
)
_REPLY_CHANNELS = ("phone", "sms", "platform", "in_person", "letter")
_OUTCOMES = ("resolved", "partly", "explained", "unfounded")

TEMPLATES = (
    (
        "已解决",
        "您好！您反映的“{事项}”（工单号 {工单编号}）已由{承办单位}办理完毕。办理结果：{办理结果}。"
        "感谢您对街道工作的关心和支持。{中心名称}，{办结日期}。",
    ),
    (
        "解释说明",
        "您好！关于您反映的“{事项}”（工单号 {工单编号}），经{承办单位}现场核查：{办理结果}。"
        "相关情况已向您解释说明，如有疑问可再次来电。{中心名称}，{办结日期}。",
    ),
)


def _enum(values: tuple[str, ...], name: str, length: int) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=length)


def upgrade() -> None:
    op.create_table(
        "work_order_layouts",
        sa.Column("source", _enum(_CHANNELS, "channel", 19), nullable=False),
        sa.Column("header_key", sa.String(length=1000), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", UTCDateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["saved_by_id"], ["users.id"], name=op.f("fk_work_order_layouts_saved_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_order_layouts")),
        sa.UniqueConstraint(
            "source", "header_key", name=op.f("uq_work_order_layouts_source_header_key")
        ),
    )
    templates = op.create_table(
        "reply_templates",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_templates")),
        sa.UniqueConstraint("name", name=op.f("uq_reply_templates_name")),
    )
    op.create_table(
        "incident_replies",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("channel", _enum(_REPLY_CHANNELS, "replychannel", 9), nullable=False),
        sa.Column("outcome", _enum(_OUTCOMES, "replyoutcome", 9), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("replied_at", UTCDateTime(), nullable=False),
        sa.Column("replied_by_id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_replies_incident_id_incidents"),
        ),
        sa.ForeignKeyConstraint(
            ["replied_by_id"], ["users.id"], name=op.f("fk_incident_replies_replied_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["reply_templates.id"],
            name=op.f("fk_incident_replies_template_id_reply_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_replies")),
    )
    op.create_index(
        op.f("ix_incident_replies_incident_id"), "incident_replies", ["incident_id"], unique=False
    )
    now = timeutil.now()
    op.bulk_insert(
        templates,
        [
            {
                "name": name,
                "text": text,
                "sort_order": n,
                "active": True,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for n, (name, text) in enumerate(TEMPLATES, start=1)
        ],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_incident_replies_incident_id"), table_name="incident_replies")
    op.drop_table("incident_replies")
    op.drop_table("reply_templates")
    op.drop_table("work_order_layouts")
