"""plan attendance per invited department, and leader-approved overrides of the yearly cap

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 20:40:00

plan_departments gets ``attended`` (NULL: not yet recorded) and ``attendance_note``; the
联合执法参与率 now counts what is recorded there. Plans already finished or summarised are
back-filled with the rule the figure used before: a department attended when someone of it (or
of an agency under it) was on the plan's teams, with the note saying the row was back-filled.
Old years therefore keep their figures. Plans not yet finished stay NULL and are recorded when
they are finished.

plan_targets gets ``cap_override_reason``, ``cap_override_by_id`` and ``cap_override_at``: a
target already inspected the yearly cap, kept on the plan because a leader approved it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import commandcenter.db.models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL_NOTE = "按执法人员名单补记"


def upgrade() -> None:
    with op.batch_alter_table("plan_departments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attended", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("attendance_note", sa.String(length=500), nullable=True))
    with op.batch_alter_table("plan_targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cap_override_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("cap_override_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "cap_override_at",
                commandcenter.db.models.base.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_plan_targets_cap_override_by_id_users"),
            "users",
            ["cap_override_by_id"],
            ["id"],
        )
    _backfill()


def _backfill() -> None:
    departments = sa.table(
        "plan_departments",
        sa.column("plan_id", sa.Integer),
        sa.column("unit_id", sa.Integer),
        sa.column("attended", sa.Boolean),
        sa.column("attendance_note", sa.String),
    )
    plans = sa.table("plans", sa.column("id", sa.Integer), sa.column("status", sa.String))
    officers = sa.table(
        "plan_officers", sa.column("plan_id", sa.Integer), sa.column("person_id", sa.Integer)
    )
    people = sa.table("people", sa.column("id", sa.Integer), sa.column("unit_id", sa.Integer))
    units = sa.table("units", sa.column("id", sa.Integer), sa.column("parent_id", sa.Integer))
    on_teams = sa.exists(
        sa.select(sa.literal(1))
        .select_from(
            officers.join(people, officers.c.person_id == people.c.id).join(
                units, people.c.unit_id == units.c.id
            )
        )
        .where(
            officers.c.plan_id == departments.c.plan_id,
            sa.or_(
                people.c.unit_id == departments.c.unit_id,
                units.c.parent_id == departments.c.unit_id,
            ),
        )
    )
    finished = sa.select(plans.c.id).where(plans.c.status.in_(("done", "summarised")))
    op.execute(
        departments.update()
        .where(departments.c.plan_id.in_(finished))
        .values(
            attended=sa.case((on_teams, sa.true()), else_=sa.false()),
            attendance_note=BACKFILL_NOTE,
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("plan_targets", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_plan_targets_cap_override_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("cap_override_at")
        batch_op.drop_column("cap_override_by_id")
        batch_op.drop_column("cap_override_reason")
    with op.batch_alter_table("plan_departments", schema=None) as batch_op:
        batch_op.drop_column("attendance_note")
        batch_op.drop_column("attended")
