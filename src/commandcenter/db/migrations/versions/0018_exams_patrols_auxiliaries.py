"""training exams and certificate applications, grid patrols, approved auxiliaries

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 23:20:00

New tables: training_exams and exam_results (a score per person, passed fixed against the pass
mark), certificate_applications (each on a passed result), grid_patrols with patrol_members and
patrol_problems (a problem keeps the incident it became). establishments gets
``approved_auxiliaries`` (协勤核定数): NULL on existing rows, i.e. not yet approved, which the
organisation page shows as 未核定 rather than guessing a number.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from commandcenter.db.models.base import UTCDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "training_exams",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("full_mark", sa.Double(), nullable=False),
        sa.Column("pass_mark", sa.Double(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_exams_course_id_training_courses"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_exams")),
    )
    op.create_index(op.f("ix_training_exams_held_on"), "training_exams", ["held_on"])
    op.create_index(op.f("ix_training_exams_course_id"), "training_exams", ["course_id"])
    op.create_table(
        "exam_results",
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exam_id"],
            ["training_exams.id"],
            name=op.f("fk_exam_results_exam_id_training_exams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_exam_results_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_results")),
        sa.UniqueConstraint("exam_id", "person_id", name=op.f("uq_exam_results_exam_id_person_id")),
    )
    op.create_index(op.f("ix_exam_results_person_id"), "exam_results", ["person_id"])
    op.create_table(
        "certificate_applications",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("exam_result_id", sa.Integer(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_certificate_applications_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["exam_result_id"],
            ["exam_results.id"],
            name=op.f("fk_certificate_applications_exam_result_id_exam_results"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_applications")),
    )
    op.create_index(
        op.f("ix_certificate_applications_person_id"), "certificate_applications", ["person_id"]
    )
    op.create_index(
        op.f("ix_certificate_applications_applied_on"), "certificate_applications", ["applied_on"]
    )
    op.create_table(
        "grid_patrols",
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("route", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["grid_id"], ["grids.id"], name=op.f("fk_grid_patrols_grid_id_grids")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid_patrols")),
    )
    op.create_index(op.f("ix_grid_patrols_grid_id"), "grid_patrols", ["grid_id"])
    op.create_index(op.f("ix_grid_patrols_started_at"), "grid_patrols", ["started_at"])
    op.create_table(
        "patrol_members",
        sa.Column("patrol_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patrol_id"],
            ["grid_patrols.id"],
            name=op.f("fk_patrol_members_patrol_id_grid_patrols"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_patrol_members_person_id_people")
        ),
        sa.PrimaryKeyConstraint("patrol_id", "person_id", name=op.f("pk_patrol_members")),
    )
    op.create_index(op.f("ix_patrol_members_person_id"), "patrol_members", ["person_id"])
    op.create_table(
        "patrol_problems",
        sa.Column("patrol_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patrol_id"],
            ["grid_patrols.id"],
            name=op.f("fk_patrol_problems_patrol_id_grid_patrols"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_patrol_problems_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrol_problems")),
    )
    op.create_index(op.f("ix_patrol_problems_incident_id"), "patrol_problems", ["incident_id"])
    with op.batch_alter_table("establishments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_auxiliaries", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("establishments", schema=None) as batch_op:
        batch_op.drop_column("approved_auxiliaries")
    for table in (
        "patrol_problems",
        "patrol_members",
        "grid_patrols",
        "certificate_applications",
        "exam_results",
        "training_exams",
    ):
        op.drop_table(table)
