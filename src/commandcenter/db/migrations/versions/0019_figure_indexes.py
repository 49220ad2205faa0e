"""index the moments the figures count by: closing, report-back, the unit deadline, dispatch,
the whistle call

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 02:30:00

The cadence reports, the 统计报表 page and the assessment sheets count incidents closed, reported
back, due for their unit or dispatched in a period, and the whistle calls made in it. Without
these indexes each such count read every row; each incident index also carries the columns its
counts test, so a count is read from the index alone.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_incidents_status_closed_at", "incidents", ["status", "closed_at", "deadline_at"]),
    ("ix_incidents_reported_at", "incidents", ["reported_at", "status", "unit_deadline_at"]),
    ("ix_incidents_unit_deadline_at", "incidents", ["unit_deadline_at", "status", "reported_at"]),
    ("ix_incidents_dispatched_at", "incidents", ["dispatched_at", "status"]),
    ("ix_incident_parts_reported_at", "incident_parts", ["reported_at"]),
    ("ix_whistle_calls_called_at", "whistle_calls", ["called_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
