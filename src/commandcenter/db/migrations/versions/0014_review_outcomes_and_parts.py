"""legal reviews with an outcome, co-operating units' own parts, the 补正 flag

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 23:30:00

Every legal review already recorded becomes a 通过 review (it let the case close), with the
opinion its timeline event holds. Every co-operating unit (协办) of a dispatch gets its part:
reported with the lead unit's report where that was made, signed for with the lead unit's
acceptance where that was made, waiting otherwise.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from commandcenter.db.models.base import UTCDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PART_STATES = ("dispatched", "accepted", "reported", "waived")
_OUTCOMES = ("passed", "failed")
BACKFILLED_RESULT = "随主办单位一并反馈（分单位反馈启用前的记录）"

_incidents = sa.table(
    "incidents",
    sa.column("id", sa.Integer),
    sa.column("accepted_at", UTCDateTime),
    sa.column("reported_at", UTCDateTime),
    sa.column("legal_reviewed_at", UTCDateTime),
    sa.column("legal_reviewed_by_id", sa.Integer),
)
_units = sa.table(
    "incident_units",
    sa.column("incident_id", sa.Integer),
    sa.column("unit_id", sa.Integer),
    sa.column("role", sa.String),
)
_events = sa.table(
    "incident_events",
    sa.column("id", sa.Integer),
    sa.column("incident_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("note", sa.Text),
)


def upgrade() -> None:
    # ALTER TABLE ADD COLUMN on both engines (batch mode copies no table for it).
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("correction_requested_at", UTCDateTime(), nullable=True))

    parts = op.create_table(
        "incident_parts",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(*_PART_STATES, name="partstate", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("accepted_at", UTCDateTime(), nullable=True),
        sa.Column("accepted_by", sa.String(length=50), nullable=True),
        sa.Column("reported_at", UTCDateTime(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("waived_at", UTCDateTime(), nullable=True),
        sa.Column("waived_by_id", sa.Integer(), nullable=True),
        sa.Column("waive_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_parts_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_incident_parts_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["waived_by_id"], ["users.id"], name=op.f("fk_incident_parts_waived_by_id_users")
        ),
        sa.PrimaryKeyConstraint("incident_id", "unit_id", name=op.f("pk_incident_parts")),
    )
    op.create_index(op.f("ix_incident_parts_unit_id"), "incident_parts", ["unit_id"], unique=False)

    reviews = op.create_table(
        "legal_reviews",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", UTCDateTime(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                *_OUTCOMES, name="legalreviewoutcome", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("corrections", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_legal_reviews_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["users.id"], name=op.f("fk_legal_reviews_reviewed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_reviews")),
    )
    op.create_index(
        op.f("ix_legal_reviews_incident_id"), "legal_reviews", ["incident_id"], unique=False
    )

    bind = op.get_bind()
    opinions = {
        incident_id: note
        for incident_id, note in bind.execute(
            sa.select(_events.c.incident_id, _events.c.note)
            .where(_events.c.kind == "legal_review")
            .order_by(_events.c.id)
        )
    }
    review_rows = [
        {
            "incident_id": row.id,
            "reviewed_at": row.legal_reviewed_at,
            "reviewed_by_id": row.legal_reviewed_by_id,
            "outcome": "passed",
            "opinion": opinions.get(row.id) or "",
            "corrections": None,
        }
        for row in bind.execute(
            sa.select(_incidents).where(_incidents.c.legal_reviewed_at.is_not(None))
        )
    ]
    if review_rows:
        op.bulk_insert(reviews, review_rows)

    part_rows = []
    for row in bind.execute(
        sa.select(
            _units.c.incident_id,
            _units.c.unit_id,
            _incidents.c.accepted_at,
            _incidents.c.reported_at,
        )
        .join(_incidents, _incidents.c.id == _units.c.incident_id)
        .where(_units.c.role == "co")
        .order_by(_units.c.incident_id, _units.c.unit_id)
    ):
        reported = row.reported_at is not None
        accepted = row.accepted_at is not None
        part_rows.append(
            {
                "incident_id": row.incident_id,
                "unit_id": row.unit_id,
                "state": "reported" if reported else "accepted" if accepted else "dispatched",
                "accepted_at": row.accepted_at,
                "accepted_by": None,
                "reported_at": row.reported_at,
                "result": BACKFILLED_RESULT if reported else None,
                "waived_at": None,
                "waived_by_id": None,
                "waive_reason": None,
            }
        )
    if part_rows:
        op.bulk_insert(parts, part_rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_legal_reviews_incident_id"), table_name="legal_reviews")
    op.drop_table("legal_reviews")
    op.drop_index(op.f("ix_incident_parts_unit_id"), table_name="incident_parts")
    op.drop_table("incident_parts")
    # A plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would drop the search
    # index's triggers on it.
    op.drop_column("incidents", "correction_requested_at")
