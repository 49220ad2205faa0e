"""person groups: postings history, one person scheme per group and year

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 21:00:00

Every person gets one posting (unit, staffing, position) from the day he was entered. The
person schemes already made become the 执法人员 schemes: their sheets stay as they are, and the
next computation sorts people into the other groups' schemes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from commandcenter import timeutil
from commandcenter.db.models.base import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STAFFING = ("administrative", "institution", "dispatched", "auxiliary")
_GROUPS = ("officer", "command", "squad_leader", "auxiliary")


def upgrade() -> None:
    postings = op.create_table(
        "person_postings",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "staffing",
            sa.Enum(*_STAFFING, name="staffing", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("position", sa.String(length=50), nullable=True),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_postings_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_person_postings_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_postings")),
    )
    op.create_index(
        op.f("ix_person_postings_person_id"), "person_postings", ["person_id"], unique=False
    )
    people = sa.table(
        "people",
        sa.column("id", sa.Integer()),
        sa.column("unit_id", sa.Integer()),
        sa.column("staffing", sa.String()),
        sa.column("position", sa.String()),
        sa.column("created_at", UTCDateTime()),
    )
    bind = op.get_bind()
    rows = [
        {
            "person_id": row.id,
            "unit_id": row.unit_id,
            "staffing": row.staffing,
            "position": row.position,
            "from_date": timeutil.local_date(row.created_at),
        }
        for row in bind.execute(sa.select(people).order_by(people.c.id))
    ]
    if rows:
        op.bulk_insert(postings, rows)

    with op.batch_alter_table("assessment_schemes") as batch:
        batch.add_column(sa.Column("group", sa.String(length=12), nullable=True))
        batch.create_check_constraint(
            op.f("ck_assessment_schemes_group_persongroup"),
            sa.column("group").in_(_GROUPS),
        )
        batch.drop_constraint(op.f("uq_assessment_schemes_year_subject"), type_="unique")
        batch.create_unique_constraint(
            op.f("uq_assessment_schemes_year_subject_group"), ["year", "subject", "group"]
        )
    schemes = sa.table(
        "assessment_schemes", sa.column("subject", sa.String()), sa.column("group", sa.String())
    )
    bind.execute(schemes.update().where(schemes.c.subject == "person").values(group="officer"))


def downgrade() -> None:
    # One person scheme a year again: only the 执法人员 schemes survive, the others go with
    # their sheets, scores, indicators and bands.
    bind = op.get_bind()
    schemes = sa.table(
        "assessment_schemes",
        sa.column("id", sa.Integer()),
        sa.column("subject", sa.String()),
        sa.column("group", sa.String()),
    )
    sheets = sa.table("assessment_sheets", sa.column("id"), sa.column("scheme_id"))
    scores = sa.table("assessment_scores", sa.column("sheet_id"), sa.column("indicator_id"))
    indicators = sa.table("assessment_indicators", sa.column("id"), sa.column("scheme_id"))
    bands = sa.table("assessment_grade_bands", sa.column("scheme_id"))
    doomed = sa.select(schemes.c.id).where(
        schemes.c.subject == "person", schemes.c.group != "officer"
    )
    doomed_sheets = sa.select(sheets.c.id).where(sheets.c.scheme_id.in_(doomed))
    doomed_indicators = sa.select(indicators.c.id).where(indicators.c.scheme_id.in_(doomed))
    bind.execute(scores.delete().where(scores.c.sheet_id.in_(doomed_sheets)))
    bind.execute(scores.delete().where(scores.c.indicator_id.in_(doomed_indicators)))
    bind.execute(sheets.delete().where(sheets.c.scheme_id.in_(doomed)))
    bind.execute(indicators.delete().where(indicators.c.scheme_id.in_(doomed)))
    bind.execute(bands.delete().where(bands.c.scheme_id.in_(doomed)))
    bind.execute(schemes.delete().where(schemes.c.id.in_(doomed)))
    with op.batch_alter_table("assessment_schemes") as batch:
        batch.drop_constraint(op.f("uq_assessment_schemes_year_subject_group"), type_="unique")
        batch.create_unique_constraint(
            op.f("uq_assessment_schemes_year_subject"), ["year", "subject"]
        )
        batch.drop_constraint(op.f("ck_assessment_schemes_group_persongroup"), type_="check")
        batch.drop_column("group")
    op.drop_index(op.f("ix_person_postings_person_id"), table_name="person_postings")
    op.drop_table("person_postings")
