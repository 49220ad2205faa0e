"""indexes for two lookups among the incidents: waiting for a correction, and by plan

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 02:40:00

The 工作台's 法制审核待补正 list and its card look for incidents whose ``correction_requested_at``
is set: a handful among hundreds of thousands, which without an index meant reading every
incident at each refresh (200 ms on the full-scale street). A partial index holds only those.
A plan's pane lists the incidents its inspections opened (``plan_id``): 200 ms a plan without
an index.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHERE = sa.text("correction_requested_at IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_incidents_correction_requested",
        "incidents",
        ["correction_requested_at"],
        sqlite_where=_WHERE,
        postgresql_where=_WHERE,
    )
    op.create_index("ix_incidents_plan_id", "incidents", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_incidents_plan_id", table_name="incidents")
    op.drop_index("ix_incidents_correction_requested", table_name="incidents")
