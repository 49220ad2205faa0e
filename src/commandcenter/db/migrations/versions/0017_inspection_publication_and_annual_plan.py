"""inspection results published, credit-grade changes, the year's inspection plan

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 23:00:00

New tables only: nothing was published, no grade change was recorded with a reason and no year
had a plan before, so existing rows need nothing filled in.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from commandcenter.db.models.base import UTCDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GRADES = ("green", "yellow", "red")


def _grade(column: str) -> sa.Column:
    return sa.Column(
        column,
        sa.Enum(*_GRADES, name="creditgrade", native_enum=False, create_constraint=True),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "inspection_publications",
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_inspection_publications_published_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_publications")),
    )
    op.create_index(
        op.f("ix_inspection_publications_period_from"),
        "inspection_publications",
        ["period_from"],
        unique=False,
    )
    op.create_table(
        "entity_grade_changes",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        _grade("from_grade"),
        _grade("to_grade"),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("plan_target_id", sa.Integer(), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["users.id"],
            name=op.f("fk_entity_grade_changes_changed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_entity_grade_changes_entity_id_entities")
        ),
        sa.ForeignKeyConstraint(
            ["plan_target_id"],
            ["plan_targets.id"],
            name=op.f("fk_entity_grade_changes_plan_target_id_plan_targets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_grade_changes")),
    )
    op.create_index(
        op.f("ix_entity_grade_changes_entity_id"),
        "entity_grade_changes",
        ["entity_id"],
        unique=False,
    )
    op.create_table(
        "annual_inspection_plans",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_inspection_plans")),
        sa.UniqueConstraint("year", name=op.f("uq_annual_inspection_plans_year")),
    )
    op.create_table(
        "annual_plan_lines",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("industry", sa.String(length=50), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.Integer(), nullable=False),
        sa.Column("full_coverage", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["units.id"], name=op.f("fk_annual_plan_lines_department_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["annual_inspection_plans.id"],
            name=op.f("fk_annual_plan_lines_plan_id_annual_inspection_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_plan_lines")),
        sa.UniqueConstraint(
            "plan_id",
            "industry",
            "department_id",
            name=op.f("uq_annual_plan_lines_plan_id_industry_department_id"),
        ),
    )
    op.create_index(
        op.f("ix_annual_plan_lines_plan_id"), "annual_plan_lines", ["plan_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_annual_plan_lines_plan_id"), table_name="annual_plan_lines")
    op.drop_table("annual_plan_lines")
    op.drop_table("annual_inspection_plans")
    op.drop_index(op.f("ix_entity_grade_changes_entity_id"), table_name="entity_grade_changes")
    op.drop_table("entity_grade_changes")
    op.drop_index(
        op.f("ix_inspection_publications_period_from"), table_name="inspection_publications"
    )
    op.drop_table("inspection_publications")
