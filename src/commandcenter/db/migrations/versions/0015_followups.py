"""follow-ups: replies and ends of supervision papers, 约谈, transfer results, escalations

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 23:20:00

Supervision papers get the unit's reply (summary, attachment copied into the data folder
or only its name, who recorded it) and an end
(closed, by whom, with a note); transfers a receipt deadline and the receiving department's
result and decision; two new tables hold 约谈 records and the decisions on incidents referred
upward. Existing rows are filled so that nothing old shows as newly overdue by accident: a paper
that had no reply-by date gets one five days after it was issued, one already answered is
closed at its reply, and a transfer's receipt falls due seven days after it was sent (the
default five working days; a migration does not count on the working calendar).
"""

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from commandcenter.db.models.base import UTCDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RESULTS = ("filed", "handled", "not_filed", "returned")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    with op.batch_alter_table("supervisions") as batch:
        batch.add_column(sa.Column("reply_summary", sa.Text(), nullable=True))
        batch.add_column(sa.Column("reply_attachment", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("reply_attachment_name", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("reply_recorded_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("closed_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("close_note", sa.String(length=500), nullable=True))
        batch.create_foreign_key(
            op.f("fk_supervisions_reply_recorded_by_id_users"),
            "users",
            ["reply_recorded_by_id"],
            ["id"],
        )
        batch.create_foreign_key(
            op.f("fk_supervisions_closed_by_id_users"), "users", ["closed_by_id"], ["id"]
        )
        batch.create_index(op.f("ix_supervisions_reply_due_on"), ["reply_due_on"], unique=False)
    with op.batch_alter_table("transfers") as batch:
        batch.add_column(sa.Column("receipt_due_at", UTCDateTime(), nullable=True))
        batch.add_column(
            sa.Column(
                "result",
                sa.Enum(
                    *_RESULTS, name="transferresult", native_enum=False, create_constraint=True
                ),
                nullable=True,
            )
        )
        batch.add_column(sa.Column("result_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("decision", sa.Text(), nullable=True))
        batch.add_column(sa.Column("result_recorded_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_transfers_result_recorded_by_id_users"),
            "users",
            ["result_recorded_by_id"],
            ["id"],
        )
        batch.create_index(op.f("ix_transfers_receipt_due_at"), ["receipt_due_at"], unique=False)

    op.create_table(
        "interviews",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("person_name", sa.String(length=50), nullable=False),
        sa.Column("person_title", sa.String(length=50), nullable=True),
        sa.Column("conducted_by", sa.String(length=100), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("scheduled_at", UTCDateTime(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("doc_number", sa.String(length=60), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=False),
        sa.Column("held_at", UTCDateTime(), nullable=True),
        sa.Column("commitments", sa.Text(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("close_note", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        _fk("interviews", "unit_id", "units"),
        _fk("interviews", "incident_id", "incidents"),
        _fk("interviews", "issued_by_id", "users"),
        _fk("interviews", "closed_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interviews")),
        sa.UniqueConstraint("doc_number", name=op.f("uq_interviews_doc_number")),
    )
    for column in ("unit_id", "incident_id", "follow_up_on"):
        op.create_index(op.f(f"ix_interviews_{column}"), "interviews", [column], unique=False)

    op.create_table(
        "escalation_decisions",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("referred_at", UTCDateTime(), nullable=True),
        sa.Column("authority", sa.String(length=100), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("responsible_unit_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        _fk("escalation_decisions", "incident_id", "incidents"),
        _fk("escalation_decisions", "responsible_unit_id", "units"),
        _fk("escalation_decisions", "recorded_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_decisions")),
    )
    op.create_index(
        op.f("ix_escalation_decisions_incident_id"),
        "escalation_decisions",
        ["incident_id"],
        unique=False,
    )
    _fill()


def _fill() -> None:
    bind = op.get_bind()
    supervisions = sa.table(
        "supervisions",
        sa.column("id", sa.Integer()),
        sa.column("issued_at", UTCDateTime()),
        sa.column("reply_due_on", UTCDateTime()),
        sa.column("replied_at", UTCDateTime()),
        sa.column("closed_at", UTCDateTime()),
    )
    rows = bind.execute(
        sa.select(supervisions.c.id, supervisions.c.issued_at).where(
            supervisions.c.reply_due_on.is_(None)
        )
    ).all()
    for row in rows:
        bind.execute(
            supervisions.update()
            .where(supervisions.c.id == row.id)
            .values(reply_due_on=row.issued_at + timedelta(days=5))
        )
    bind.execute(
        supervisions.update()
        .where(supervisions.c.replied_at.is_not(None))
        .values(closed_at=supervisions.c.replied_at)
    )
    transfers = sa.table(
        "transfers",
        sa.column("id", sa.Integer()),
        sa.column("sent_at", UTCDateTime()),
        sa.column("receipt_due_at", UTCDateTime()),
    )
    for row in bind.execute(sa.select(transfers.c.id, transfers.c.sent_at)).all():
        bind.execute(
            transfers.update()
            .where(transfers.c.id == row.id)
            .values(receipt_due_at=row.sent_at + timedelta(days=7))
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_escalation_decisions_incident_id"), table_name="escalation_decisions")
    op.drop_table("escalation_decisions")
    for column in ("unit_id", "incident_id", "follow_up_on"):
        op.drop_index(op.f(f"ix_interviews_{column}"), table_name="interviews")
    op.drop_table("interviews")
    with op.batch_alter_table("transfers") as batch:
        batch.drop_index(op.f("ix_transfers_receipt_due_at"))
        batch.drop_constraint(op.f("fk_transfers_result_recorded_by_id_users"), type_="foreignkey")
        batch.drop_constraint(op.f("ck_transfers_result_transferresult"), type_="check")
        for column in ("result_recorded_by_id", "decision", "result_on", "result"):
            batch.drop_column(column)
        batch.drop_column("receipt_due_at")
    with op.batch_alter_table("supervisions") as batch:
        batch.drop_index(op.f("ix_supervisions_reply_due_on"))
        batch.drop_constraint(op.f("fk_supervisions_closed_by_id_users"), type_="foreignkey")
        batch.drop_constraint(
            op.f("fk_supervisions_reply_recorded_by_id_users"), type_="foreignkey"
        )
        for column in (
            "close_note",
            "closed_by_id",
            "closed_at",
            "reply_recorded_by_id",
            "reply_attachment_name",
            "reply_attachment",
            "reply_summary",
        ):
            batch.drop_column(column)
