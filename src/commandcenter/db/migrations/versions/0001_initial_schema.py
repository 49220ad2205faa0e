"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 03:22:38.321653
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import commandcenter.db.models.base

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessment_schemes",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "subject",
            sa.Enum(
                "agency",
                "person",
                name="assessmentsubject",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("copied_from_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["copied_from_id"],
            ["assessment_schemes.id"],
            name=op.f("fk_assessment_schemes_copied_from_id_assessment_schemes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_schemes")),
        sa.UniqueConstraint("year", "subject", name=op.f("uq_assessment_schemes_year_subject")),
    )
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "holiday",
                "workday",
                name="calendardaykind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=50), nullable=True),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_days")),
    )
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column(
            "loaded_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
    )
    op.create_table(
        "catalogue_versions",
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_versions")),
        sa.UniqueConstraint("label", name=op.f("uq_catalogue_versions_label")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "units",
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("short_name", sa.String(length=30), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "street_office",
                "command_centre",
                "squad",
                "department",
                "agency",
                "community",
                name="unitkind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "department_type",
            sa.Enum(
                "comprehensive",
                "professional",
                "other",
                name="departmenttype",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("fields", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["units.id"], name=op.f("fk_units_parent_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("name", name=op.f("uq_units_name")),
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_units_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_units_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "assessment_grade_bands",
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column(
            "grade",
            sa.Enum(
                "excellent",
                "good",
                "pass",
                "fail",
                name="grade",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("min_score", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["assessment_schemes.id"],
            name=op.f("fk_assessment_grade_bands_scheme_id_assessment_schemes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_grade_bands")),
        sa.UniqueConstraint(
            "scheme_id", "grade", name=op.f("uq_assessment_grade_bands_scheme_id_grade")
        ),
    )
    op.create_table(
        "assessment_indicators",
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "computed",
                "manual",
                name="indicatorsource",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("metric", sa.String(length=40), nullable=True),
        sa.Column("weight", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("max_score", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["assessment_schemes.id"],
            name=op.f("fk_assessment_indicators_scheme_id_assessment_schemes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_indicators")),
        sa.UniqueConstraint(
            "scheme_id", "code", name=op.f("uq_assessment_indicators_scheme_id_code")
        ),
    )
    op.create_table(
        "catalogue_items",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column(
            "list_type",
            sa.Enum(
                "empowered",
                "linked",
                "department",
                name="listtype",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("time_limit_days", sa.Integer(), nullable=True),
        sa.Column("time_limit_hours", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["units.id"], name=op.f("fk_catalogue_items_department_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["catalogue_versions.id"],
            name=op.f("fk_catalogue_items_version_id_catalogue_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_items")),
        sa.UniqueConstraint("version_id", "code", name=op.f("uq_catalogue_items_version_id_code")),
    )
    with op.batch_alter_table("catalogue_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalogue_items_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "establishments",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("approved_headcount", sa.Integer(), nullable=False),
        sa.Column("enforcement_total", sa.Integer(), nullable=True),
        sa.Column("enforcement_locked", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_establishments_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_establishments")),
        sa.UniqueConstraint("unit_id", "year", name=op.f("uq_establishments_unit_id_year")),
    )
    op.create_table(
        "liaisons",
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "main", "backup", name="liaisonrole", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("office", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("position", sa.String(length=50), nullable=True),
        sa.Column("mobile", sa.String(length=20), nullable=True),
        sa.Column("office_phone", sa.String(length=30), nullable=True),
        sa.Column("notes", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["units.id"], name=op.f("fk_liaisons_department_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_liaisons")),
        sa.UniqueConstraint("department_id", "role", name=op.f("uq_liaisons_department_id_role")),
    )
    op.create_table(
        "people",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("name_initials", sa.String(length=20), nullable=False),
        sa.Column(
            "gender",
            sa.Enum("male", "female", name="gender", native_enum=False, create_constraint=True),
            nullable=True,
        ),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("mobile", sa.String(length=20), nullable=True),
        sa.Column("office_phone", sa.String(length=30), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.String(length=50), nullable=True),
        sa.Column(
            "staffing",
            sa.Enum(
                "administrative",
                "institution",
                "dispatched",
                "auxiliary",
                name="staffing",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "stationing",
            sa.Enum(
                "resident",
                "dispatched",
                "on_call",
                name="stationing",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "on_duty",
                "leave",
                "seconded",
                "transferred",
                "retired",
                name="personstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("status_since", sa.Date(), nullable=True),
        sa.Column("fields", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_people_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("id_number", name=op.f("uq_people_id_number")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_people_name_initials"), ["name_initials"], unique=False
        )
        batch_op.create_index("ix_people_unit_status", ["unit_id", "status"], unique=False)

    op.create_table(
        "training_courses",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "central",
                "touring",
                "case_based",
                name="trainingkind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Double(), nullable=False),
        sa.Column("organiser_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["organiser_id"], ["units.id"], name=op.f("fk_training_courses_organiser_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_courses")),
    )
    with op.batch_alter_table("training_courses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_courses_held_on"), ["held_on"], unique=False)

    op.create_table(
        "certificates",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("issuer", sa.String(length=100), nullable=False),
        sa.Column("fields", sa.String(length=200), nullable=False),
        sa.Column("area", sa.String(length=100), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("last_review_on", sa.Date(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "valid",
                "suspended",
                "revoked",
                name="certificatestate",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_certificates_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("number", name=op.f("uq_certificates_number")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificates_expires_on"), ["expires_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_certificates_person_id"), ["person_id"], unique=False)

    op.create_table(
        "grids",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["units.id"], name=op.f("fk_grids_community_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["people.id"], name=op.f("fk_grids_worker_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grids")),
        sa.UniqueConstraint("code", name=op.f("uq_grids_code")),
    )
    with op.batch_alter_table("grids", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grids_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grids_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "training_attendance",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_attendance_course_id_training_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_training_attendance_person_id_people")
        ),
        sa.PrimaryKeyConstraint("course_id", "person_id", name=op.f("pk_training_attendance")),
    )
    with op.batch_alter_table("training_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_attendance_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("display_name", sa.String(length=50), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "operator",
                "leader",
                "admin",
                name="role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column(
            "locked_until", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "last_sign_in_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_users_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "assessment_sheets",
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "reviewed",
                "locked",
                name="sheetstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("street_score", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("department_score", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("total_score", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column(
            "grade",
            sa.Enum(
                "excellent",
                "good",
                "pass",
                "fail",
                name="grade",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "computed_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "locked_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("locked_by_id", sa.Integer(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["locked_by_id"], ["users.id"], name=op.f("fk_assessment_sheets_locked_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_assessment_sheets_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["assessment_schemes.id"],
            name=op.f("fk_assessment_sheets_scheme_id_assessment_schemes"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_assessment_sheets_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_sheets")),
        sa.UniqueConstraint(
            "scheme_id", "person_id", name=op.f("uq_assessment_sheets_scheme_id_person_id")
        ),
        sa.UniqueConstraint(
            "scheme_id", "unit_id", name=op.f("uq_assessment_sheets_scheme_id_unit_id")
        ),
    )
    with op.batch_alter_table("assessment_sheets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_sheets_scheme_id"), ["scheme_id"], unique=False
        )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=True),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_audit_log_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_log_hash")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_log_entity", ["entity_type", "entity_id"], unique=False)

    op.create_table(
        "certificate_events",
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_certificate_events_certificate_id_certificates"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_certificate_events_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_events")),
    )
    with op.batch_alter_table("certificate_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificate_events_certificate_id"), ["certificate_id"], unique=False
        )

    op.create_table(
        "document_numbers",
        sa.Column("doc_type", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column(
            "issued_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("issued_by_id", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=True),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issued_by_id"], ["users.id"], name=op.f("fk_document_numbers_issued_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_numbers")),
        sa.UniqueConstraint(
            "doc_type", "year", "seq", name=op.f("uq_document_numbers_doc_type_year_seq")
        ),
        sa.UniqueConstraint("number", name=op.f("uq_document_numbers_number")),
    )
    op.create_table(
        "entities",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("grid_id", sa.Integer(), nullable=True),
        sa.Column("industry", sa.String(length=50), nullable=True),
        sa.Column("contact_name", sa.String(length=50), nullable=True),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        sa.Column(
            "credit_grade",
            sa.Enum(
                "green",
                "yellow",
                "red",
                name="creditgrade",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["grid_id"], ["grids.id"], name=op.f("fk_entities_grid_id_grids")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint("uscc", name=op.f("uq_entities_uscc")),
    )
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entities_grid_id"), ["grid_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_entities_industry"), ["industry"], unique=False)
        batch_op.create_index(batch_op.f("ix_entities_name"), ["name"], unique=False)

    op.create_table(
        "meetings",
        sa.Column(
            "kind",
            sa.Enum(
                "joint",
                "daily",
                "weekly",
                "monthly",
                name="meetingkind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "held_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("chair", sa.String(length=50), nullable=True),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_meetings_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_held_at"), ["held_at"], unique=False)

    op.create_table(
        "plans",
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "theme",
            sa.Enum(
                "combined",
                "campaign",
                "random",
                "consultation",
                name="plantheme",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("lead_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "approved",
                "in_progress",
                "done",
                "summarised",
                "cancelled",
                name="planstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("objective", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "approved_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_plans_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_plans_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["lead_unit_id"], ["units.id"], name=op.f("fk_plans_lead_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("number", name=op.f("uq_plans_number")),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plans_planned_on"), ["planned_on"], unique=False)

    op.create_table(
        "agreed_items",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("standard", sa.Text(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("responsible_person", sa.String(length=50), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "done",
                "dropped",
                name="agreeditemstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("progress", sa.Text(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_agreed_items_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_agreed_items_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreed_items")),
    )
    with op.batch_alter_table("agreed_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreed_items_deadline"), ["deadline"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_agreed_items_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "assessment_scores",
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("raw_value", sa.Numeric(precision=12, scale=4), nullable=True),
        sa.Column("score", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("source_note", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["assessment_indicators.id"],
            name=op.f("fk_assessment_scores_indicator_id_assessment_indicators"),
        ),
        sa.ForeignKeyConstraint(
            ["sheet_id"],
            ["assessment_sheets.id"],
            name=op.f("fk_assessment_scores_sheet_id_assessment_sheets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_scores")),
        sa.UniqueConstraint(
            "sheet_id", "indicator_id", name=op.f("uq_assessment_scores_sheet_id_indicator_id")
        ),
    )
    op.create_table(
        "draws",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "inspectors", "targets", name="drawkind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("algorithm_version", sa.String(length=20), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("pool", sa.JSON(), nullable=False),
        sa.Column("exclusions", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column(
            "drawn_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("drawn_by_id", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("redraw_reason", sa.String(length=500), nullable=True),
        sa.Column("doc_number", sa.String(length=60), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["drawn_by_id"], ["users.id"], name=op.f("fk_draws_drawn_by_id_users")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_draws_plan_id_plans")),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["draws.id"], name=op.f("fk_draws_supersedes_id_draws")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draws")),
    )
    with op.batch_alter_table("draws", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draws_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "incidents",
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "hotline_12345",
                "platform",
                "grid_patrol",
                "public_report",
                "department_transfer",
                "superior",
                "own_patrol",
                "media",
                name="channel",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("channel_ref", sa.String(length=60), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("grid_id", sa.Integer(), nullable=True),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("reporter_name", sa.String(length=50), nullable=True),
        sa.Column("reporter_phone", sa.String(length=20), nullable=True),
        sa.Column(
            "received_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("registered_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
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
                name="incidentstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "priority",
            sa.Enum("normal", "urgent", name="priority", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("is_major", sa.Boolean(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column(
            "route",
            sa.Enum(
                "squad",
                "whistle",
                "transfer",
                "upward",
                name="route",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("route_override_reason", sa.String(length=500), nullable=True),
        sa.Column("lead_unit_id", sa.Integer(), nullable=True),
        sa.Column(
            "dispatched_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "accepted_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "deadline_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("deadline_uncertain", sa.Boolean(), nullable=False),
        sa.Column(
            "reported_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "closed_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "legal_reviewed_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("legal_reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_incidents_entity_id_entities")
        ),
        sa.ForeignKeyConstraint(["grid_id"], ["grids.id"], name=op.f("fk_incidents_grid_id_grids")),
        sa.ForeignKeyConstraint(
            ["item_id"], ["catalogue_items.id"], name=op.f("fk_incidents_item_id_catalogue_items")
        ),
        sa.ForeignKeyConstraint(
            ["lead_unit_id"], ["units.id"], name=op.f("fk_incidents_lead_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["legal_reviewed_by_id"],
            ["users.id"],
            name=op.f("fk_incidents_legal_reviewed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["incidents.id"], name=op.f("fk_incidents_merged_into_id_incidents")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_incidents_plan_id_plans")),
        sa.ForeignKeyConstraint(
            ["registered_by_id"], ["users.id"], name=op.f("fk_incidents_registered_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
        sa.UniqueConstraint("number", name=op.f("uq_incidents_number")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incidents_channel"), ["channel"], unique=False)
        batch_op.create_index(batch_op.f("ix_incidents_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incidents_grid_id"), ["grid_id"], unique=False)
        batch_op.create_index(
            "ix_incidents_lead_unit_status", ["lead_unit_id", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_incidents_received_at"), ["received_at"], unique=False)
        batch_op.create_index(
            "ix_incidents_status_deadline", ["status", "deadline_at"], unique=False
        )

    op.create_table(
        "plan_departments",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_plan_departments_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_plan_departments_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("plan_id", "unit_id", name=op.f("pk_plan_departments")),
    )
    op.create_table(
        "plan_grids",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("grid_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grid_id"], ["grids.id"], name=op.f("fk_plan_grids_grid_id_grids")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_grids_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("plan_id", "grid_id", name=op.f("pk_plan_grids")),
    )
    op.create_table(
        "plan_items",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["catalogue_items.id"], name=op.f("fk_plan_items_item_id_catalogue_items")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_items_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("plan_id", "item_id", name=op.f("pk_plan_items")),
    )
    op.create_table(
        "plan_officers",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_plan_officers_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_officers_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("plan_id", "person_id", name=op.f("pk_plan_officers")),
    )
    with op.batch_alter_table("plan_officers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_officers_person_id"), ["person_id"], unique=False)

    op.create_table(
        "recusals",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("to_date", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_recusals_entity_id_entities")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_recusals_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recusals")),
    )
    with op.batch_alter_table("recusals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recusals_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_recusals_person_id"), ["person_id"], unique=False)

    op.create_table(
        "extensions",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column(
            "requested_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "requested",
                "approved",
                "rejected",
                name="extensionstate",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "decided_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "old_deadline_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "new_deadline_at",
            commandcenter.db.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_extensions_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_extensions_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_extensions_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extensions")),
    )
    with op.batch_alter_table("extensions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_extensions_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "incident_assignments",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "officer",
                "auxiliary",
                name="assignmentrole",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("certificate_number", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_assignments_incident_id_incidents"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_incident_assignments_person_id_people")
        ),
        sa.PrimaryKeyConstraint("incident_id", "person_id", name=op.f("pk_incident_assignments")),
    )
    with op.batch_alter_table("incident_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_assignments_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "incident_events",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
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
                name="incidenteventkind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "from_status",
            sa.Enum(
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
                name="incidentstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
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
                name="incidentstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_events_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_incident_events_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_events")),
    )
    with op.batch_alter_table("incident_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_events_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "incident_units",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("lead", "co", name="unitrole", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_units_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_incident_units_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("incident_id", "unit_id", name=op.f("pk_incident_units")),
    )
    with op.batch_alter_table("incident_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_units_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "plan_targets",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.Integer(), nullable=False),
        sa.Column(
            "result",
            sa.Enum(
                "pending",
                "compliant",
                "rectify",
                "case_opened",
                name="inspectionresult",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column(
            "inspected_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_plan_targets_entity_id_entities")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_plan_targets_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_targets_plan_id_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_targets")),
    )
    with op.batch_alter_table("plan_targets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_targets_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_targets_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "supervisions",
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "letter",
                "notice",
                "suggestion",
                "risk",
                name="supervisionkind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("doc_number", sa.String(length=60), nullable=False),
        sa.Column(
            "issued_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("issued_by_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column(
            "reply_due_on", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "replied_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_supervisions_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"], ["users.id"], name=op.f("fk_supervisions_issued_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_supervisions_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervisions")),
        sa.UniqueConstraint("doc_number", name=op.f("uq_supervisions_doc_number")),
    )
    with op.batch_alter_table("supervisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supervisions_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_supervisions_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "whistle_calls",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("liaison_id", sa.Integer(), nullable=True),
        sa.Column(
            "called_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("called_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "reported_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("reporter_name", sa.String(length=50), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["called_by_id"], ["users.id"], name=op.f("fk_whistle_calls_called_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["units.id"], name=op.f("fk_whistle_calls_department_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_whistle_calls_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["liaison_id"], ["liaisons.id"], name=op.f("fk_whistle_calls_liaison_id_liaisons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whistle_calls")),
    )
    with op.batch_alter_table("whistle_calls", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_whistle_calls_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_whistle_calls_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "attachments",
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("plan_target_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("stored_path", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column(
            "added_at", commandcenter.db.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_attachments_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_attachments_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["plan_target_id"],
            ["plan_targets.id"],
            name=op.f("fk_attachments_plan_target_id_plan_targets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attachments_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_attachments_plan_target_id"), ["plan_target_id"], unique=False
        )
    _make_audit_log_append_only()


def _make_audit_log_append_only() -> None:
    """The audit log is evidence (R11): the database itself refuses to change or delete it."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_refuse()")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachments_plan_target_id"))
        batch_op.drop_index(batch_op.f("ix_attachments_incident_id"))

    op.drop_table("attachments")
    with op.batch_alter_table("whistle_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_whistle_calls_incident_id"))
        batch_op.drop_index(batch_op.f("ix_whistle_calls_department_id"))

    op.drop_table("whistle_calls")
    with op.batch_alter_table("supervisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervisions_unit_id"))
        batch_op.drop_index(batch_op.f("ix_supervisions_incident_id"))

    op.drop_table("supervisions")
    with op.batch_alter_table("plan_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_targets_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_targets_entity_id"))

    op.drop_table("plan_targets")
    with op.batch_alter_table("incident_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_units_unit_id"))

    op.drop_table("incident_units")
    with op.batch_alter_table("incident_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_events_incident_id"))

    op.drop_table("incident_events")
    with op.batch_alter_table("incident_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_assignments_person_id"))

    op.drop_table("incident_assignments")
    with op.batch_alter_table("extensions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_extensions_incident_id"))

    op.drop_table("extensions")
    with op.batch_alter_table("recusals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recusals_person_id"))
        batch_op.drop_index(batch_op.f("ix_recusals_entity_id"))

    op.drop_table("recusals")
    with op.batch_alter_table("plan_officers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_officers_person_id"))

    op.drop_table("plan_officers")
    op.drop_table("plan_items")
    op.drop_table("plan_grids")
    op.drop_table("plan_departments")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_status_deadline")
        batch_op.drop_index(batch_op.f("ix_incidents_received_at"))
        batch_op.drop_index("ix_incidents_lead_unit_status")
        batch_op.drop_index(batch_op.f("ix_incidents_grid_id"))
        batch_op.drop_index(batch_op.f("ix_incidents_entity_id"))
        batch_op.drop_index(batch_op.f("ix_incidents_channel"))

    op.drop_table("incidents")
    with op.batch_alter_table("draws", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draws_plan_id"))

    op.drop_table("draws")
    op.drop_table("assessment_scores")
    with op.batch_alter_table("agreed_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreed_items_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_agreed_items_deadline"))

    op.drop_table("agreed_items")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plans_planned_on"))

    op.drop_table("plans")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_held_at"))

    op.drop_table("meetings")
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entities_name"))
        batch_op.drop_index(batch_op.f("ix_entities_industry"))
        batch_op.drop_index(batch_op.f("ix_entities_grid_id"))

    op.drop_table("entities")
    op.drop_table("document_numbers")
    with op.batch_alter_table("certificate_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_events_certificate_id"))

    op.drop_table("certificate_events")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity")
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    with op.batch_alter_table("assessment_sheets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_sheets_scheme_id"))

    op.drop_table("assessment_sheets")
    op.drop_table("users")
    with op.batch_alter_table("training_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_attendance_person_id"))

    op.drop_table("training_attendance")
    with op.batch_alter_table("grids", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grids_worker_id"))
        batch_op.drop_index(batch_op.f("ix_grids_community_id"))

    op.drop_table("grids")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_person_id"))
        batch_op.drop_index(batch_op.f("ix_certificates_expires_on"))

    op.drop_table("certificates")
    with op.batch_alter_table("training_courses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_courses_held_on"))

    op.drop_table("training_courses")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_unit_status")
        batch_op.drop_index(batch_op.f("ix_people_name_initials"))
        batch_op.drop_index(batch_op.f("ix_people_name"))

    op.drop_table("people")
    op.drop_table("liaisons")
    op.drop_table("establishments")
    with op.batch_alter_table("catalogue_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalogue_items_version_id"))

    op.drop_table("catalogue_items")
    op.drop_table("assessment_indicators")
    op.drop_table("assessment_grade_bands")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_parent_id"))
        batch_op.drop_index(batch_op.f("ix_units_kind"))

    op.drop_table("units")
    op.drop_table("settings")
    op.drop_table("catalogue_versions")
    op.drop_table("calendar_years")
    op.drop_table("calendar_days")
    op.drop_table("assessment_schemes")
