"""index document numbers by the record they were issued for

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 11:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_document_numbers_entity", "document_numbers", ["entity_type", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_document_numbers_entity", table_name="document_numbers")
