"""incident workflow: approval and return states, returns, transfers, whistle-call times

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

from commandcenter.db.models.base import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = (
    "registered",
    "triaged",
    "dispatched",
    "accepted",
    "in_progress",
    "reported",
    "closed",
    "transferred",
    "referred",
    "merged",
)
NEW_STATUSES = (*OLD_STATUSES, "awaiting_approval", "returned")
OLD_EVENT_KINDS = (
    "registered",
    "triaged",
    "dispatched",
    "accepted",
    "returned",
    "started",
    "reported",
    "legal_review",
    "closed",
    "callback",
    "extended",
    "transferred",
    "supervised",
    "whistle",
    "merged",
    "note",
)
NEW_EVENT_KINDS = (
    *OLD_EVENT_KINDS,
    "referred",
    "approved",
    "ruled",
    "reopened",
    "extension_requested",
    "transfer_receipt",
    "report_in",
    "attachment",
)


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _set_choices(
    batch: BatchOperations,
    table: str,
    column: str,
    enum_name: str,
    old: Sequence[str],
    new: Sequence[str],
) -> None:
    """Widen a VARCHAR enum column and replace its CHECK constraint."""
    name = f"ck_{table}_{column}_{enum_name}"
    batch.drop_constraint(op.f(name), type_="check")
    batch.alter_column(
        column,
        existing_type=sa.String(max(len(v) for v in old)),
        type_=sa.String(max(len(v) for v in new)),
    )
    batch.create_check_constraint(op.f(name), _in(column, new))


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        _set_choices(batch, "incidents", "status", "incidentstatus", OLD_STATUSES, NEW_STATUSES)
        batch.add_column(sa.Column("requirements", sa.Text(), nullable=True))
        batch.add_column(sa.Column("dispatched_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("dispatch_approved_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("dispatch_approved_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("warning_at", UTCDateTime(), nullable=True))
        batch.create_foreign_key(
            "fk_incidents_dispatched_by_id_users", "users", ["dispatched_by_id"], ["id"]
        )
        batch.create_foreign_key(
            "fk_incidents_dispatch_approved_by_id_users",
            "users",
            ["dispatch_approved_by_id"],
            ["id"],
        )

    op.create_index("ix_incidents_deadline_at", "incidents", ["deadline_at"])

    with op.batch_alter_table("incident_events") as batch:
        _set_choices(
            batch, "incident_events", "kind", "incidenteventkind", OLD_EVENT_KINDS, NEW_EVENT_KINDS
        )
        _set_choices(
            batch, "incident_events", "from_status", "incidentstatus", OLD_STATUSES, NEW_STATUSES
        )
        _set_choices(
            batch, "incident_events", "to_status", "incidentstatus", OLD_STATUSES, NEW_STATUSES
        )

    reasons = ("professional", "joint", "emergency", "persistent", "other")
    with op.batch_alter_table("whistle_calls") as batch:
        batch.alter_column("reported_at", new_column_name="arrived_at")
        batch.alter_column(
            "reporter_name",
            new_column_name="arrived_names",
            existing_type=sa.String(50),
            type_=sa.String(100),
        )
        batch.add_column(
            sa.Column(
                "reason",
                sa.String(max(map(len, reasons))),
                nullable=False,
                server_default="professional",
            )
        )
        batch.create_check_constraint(
            op.f("ck_whistle_calls_reason_whistlereason"), _in("reason", reasons)
        )
        batch.add_column(sa.Column("approved_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("acknowledged_at", UTCDateTime(), nullable=True))
        batch.create_foreign_key(
            "fk_whistle_calls_approved_by_id_users", "users", ["approved_by_id"], ["id"]
        )
    with op.batch_alter_table("whistle_calls") as batch:
        batch.alter_column("reason", server_default=None, existing_type=sa.String(12))

    op.create_table(
        "incident_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "wrong_area",
                "unclear_ownership",
                "overlapping_duties",
                "other",
                name="returnreason",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("returned_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "ruling",
            sa.Enum(
                "upheld", "reassign", name="returnruling", native_enum=False, create_constraint=True
            ),
            nullable=True,
        ),
        sa.Column("ruling_note", sa.String(length=500), nullable=True),
        sa.Column("ruled_at", UTCDateTime(), nullable=True),
        sa.Column("ruled_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["ruled_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_incident_returns_incident_id", "incident_returns", ["incident_id"])
    op.create_index("ix_incident_returns_unit_id", "incident_returns", ["unit_id"])

    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("doc_number", sa.String(length=60), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=False),
        sa.Column("receipt_at", UTCDateTime(), nullable=True),
        sa.Column("receipt_by", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.ForeignKeyConstraint(["department_id"], ["units.id"]),
        sa.ForeignKeyConstraint(["sent_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("doc_number"),
    )
    op.create_index("ix_transfers_incident_id", "transfers", ["incident_id"])
    op.create_index("ix_transfers_department_id", "transfers", ["department_id"])


def downgrade() -> None:
    op.drop_table("transfers")
    op.drop_table("incident_returns")
    with op.batch_alter_table("whistle_calls") as batch:
        batch.drop_constraint("fk_whistle_calls_approved_by_id_users", type_="foreignkey")
        batch.drop_constraint(op.f("ck_whistle_calls_reason_whistlereason"), type_="check")
        batch.drop_column("acknowledged_at")
        batch.drop_column("approved_by_id")
        batch.drop_column("reason")
        batch.alter_column(
            "arrived_names",
            new_column_name="reporter_name",
            existing_type=sa.String(100),
            type_=sa.String(50),
        )
        batch.alter_column("arrived_at", new_column_name="reported_at")
    with op.batch_alter_table("incident_events") as batch:
        _set_choices(
            batch, "incident_events", "to_status", "incidentstatus", NEW_STATUSES, OLD_STATUSES
        )
        _set_choices(
            batch, "incident_events", "from_status", "incidentstatus", NEW_STATUSES, OLD_STATUSES
        )
        _set_choices(
            batch, "incident_events", "kind", "incidenteventkind", NEW_EVENT_KINDS, OLD_EVENT_KINDS
        )
    op.drop_index("ix_incidents_deadline_at", "incidents")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_constraint("fk_incidents_dispatch_approved_by_id_users", type_="foreignkey")
        batch.drop_constraint("fk_incidents_dispatched_by_id_users", type_="foreignkey")
        for column in (
            "warning_at",
            "dispatch_approved_by_id",
            "dispatch_approved_at",
            "dispatched_by_id",
            "requirements",
        ):
            batch.drop_column(column)
        _set_choices(batch, "incidents", "status", "incidentstatus", NEW_STATUSES, OLD_STATUSES)
