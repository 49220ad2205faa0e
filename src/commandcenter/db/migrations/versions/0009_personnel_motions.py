"""personnel motions on agencies graded 不合格, with the party working committee's consultation

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 21:00:00

A new table only: existing databases hold no motions, so there is nothing to fill.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from commandcenter.db.models.base import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "personnel_motions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("head_name", sa.String(50), nullable=False),
        sa.Column("head_position", sa.String(50), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("meeting_name", sa.String(200), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("entered_at", UTCDateTime(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sheet_id"],
            ["assessment_sheets.id"],
            name=op.f("fk_personnel_motions_sheet_id_assessment_sheets"),
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["users.id"], name=op.f("fk_personnel_motions_entered_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personnel_motions")),
        sa.UniqueConstraint("sheet_id", name=op.f("uq_personnel_motions_sheet_id")),
    )


def downgrade() -> None:
    op.drop_table("personnel_motions")
