"""roster details: status end date, duty hours, longer pinyin initials

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("status_until", sa.Date(), nullable=True))
        batch.alter_column(
            "name_initials",
            existing_type=sa.String(length=20),
            type_=sa.String(length=60),
            existing_nullable=False,
        )
    op.add_column("liaisons", sa.Column("duty_hours", sa.String(length=100), nullable=True))


def downgrade() -> None:
    op.drop_column("liaisons", "duty_hours")
    with op.batch_alter_table("people") as batch:
        batch.alter_column(
            "name_initials",
            existing_type=sa.String(length=60),
            type_=sa.String(length=20),
            existing_nullable=False,
        )
        batch.drop_column("status_until")
