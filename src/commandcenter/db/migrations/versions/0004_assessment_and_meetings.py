"""assessment scoring and review, agreed-item progress reports

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from commandcenter.db.models.base import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assessment_indicators") as batch:
        batch.add_column(sa.Column("side", sa.String(10), nullable=False, server_default="street"))
        batch.create_check_constraint(
            op.f("ck_assessment_indicators_side_indicatorside"),
            "side IN ('street', 'department')",
        )
        batch.add_column(sa.Column("full_at", sa.Numeric(12, 4), nullable=True))
        batch.add_column(sa.Column("zero_at", sa.Numeric(12, 4), nullable=True))
    with op.batch_alter_table("assessment_indicators") as batch:
        batch.alter_column("side", server_default=None, existing_type=sa.String(10))

    with op.batch_alter_table("assessment_sheets") as batch:
        batch.add_column(sa.Column("period_start", sa.Date(), nullable=True))
        batch.add_column(sa.Column("period_end", sa.Date(), nullable=True))
        batch.add_column(sa.Column("reviewed_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("reviewed_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_assessment_sheets_reviewed_by_id_users", "users", ["reviewed_by_id"], ["id"]
        )

    with op.batch_alter_table("assessment_scores") as batch:
        batch.add_column(sa.Column("entered_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("entered_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_assessment_scores_entered_by_id_users", "users", ["entered_by_id"], ["id"]
        )

    op.create_table(
        "agreed_item_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("reported_at", UTCDateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["agreed_items.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_agreed_item_reports_item_id", "agreed_item_reports", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_agreed_item_reports_item_id", "agreed_item_reports")
    op.drop_table("agreed_item_reports")
    with op.batch_alter_table("assessment_scores") as batch:
        batch.drop_constraint("fk_assessment_scores_entered_by_id_users", type_="foreignkey")
        batch.drop_column("entered_by_id")
        batch.drop_column("entered_at")
    with op.batch_alter_table("assessment_sheets") as batch:
        batch.drop_constraint("fk_assessment_sheets_reviewed_by_id_users", type_="foreignkey")
        batch.drop_column("reviewed_by_id")
        batch.drop_column("reviewed_at")
        batch.drop_column("period_end")
        batch.drop_column("period_start")
    with op.batch_alter_table("assessment_indicators") as batch:
        batch.drop_constraint(op.f("ck_assessment_indicators_side_indicatorside"), type_="check")
        batch.drop_column("zero_at")
        batch.drop_column("full_at")
        batch.drop_column("side")
