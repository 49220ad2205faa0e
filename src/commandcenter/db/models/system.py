"""Users, settings, the audit log and the document-number register."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from commandcenter.db.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, enum_type
from commandcenter.enums import Role


class User(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    password_hash: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    active: Mapped[bool] = mapped_column(default=True)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]


class Setting(Base):
    """Key/value settings of the centre (street name, document prefix, thresholds)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditRecord(Base):
    """执法全过程记录 (R11): who did what, when, to which record.

    Append-only and hash-chained: each record's hash covers its content and the previous hash,
    so a changed or removed record breaks the chain.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(String(500))
    changes: Mapped[dict[str, object] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class DocumentNumber(IdMixin, Base):
    """The register of issued document numbers, one sequence per type and year."""

    __tablename__ = "document_numbers"
    __table_args__ = (
        UniqueConstraint("doc_type", "year", "seq"),
        # A reprint looks up the number a record was given: one of hundreds of thousands.
        Index("ix_document_numbers_entity", "entity_type", "entity_id"),
    )

    doc_type: Mapped[str] = mapped_column(String(10))
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(60), unique=True)
    issued_at: Mapped[datetime]
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    entity_type: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    title: Mapped[str | None] = mapped_column(String(200))
