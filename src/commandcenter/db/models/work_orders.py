"""Work orders from 12345 and 基层治理四平台, and the reply to the reporter at closing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandcenter.db.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, enum_type
from commandcenter.db.models.incidents import Incident
from commandcenter.db.models.system import User
from commandcenter.enums import Channel, ReplyChannel, ReplyOutcome


class WorkOrderLayout(IdMixin, TimestampMixin, Base):
    """How one source's export names its columns: field key -> the file's header.

    Saved the first time a layout is met, reused for every later file whose header holds all of
    its columns."""

    __tablename__ = "work_order_layouts"
    __table_args__ = (UniqueConstraint("source", "header_key"),)

    source: Mapped[Channel] = mapped_column(enum_type(Channel))
    # The mapped headers, normalised and sorted, joined: one saved layout per source and shape.
    header_key: Mapped[str] = mapped_column(String(1000))
    columns: Mapped[dict[str, str]] = mapped_column(JSON)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None]

    saved_by: Mapped[User | None] = relationship()


class ReplyTemplate(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A reply text the centre keeps, with placeholders such as {事项} and {办理结果}."""

    __tablename__ = "reply_templates"

    name: Mapped[str] = mapped_column(String(50), unique=True)
    text: Mapped[str] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class IncidentReply(IdMixin, Base):
    """办结回复: what the reporter was told at closing, how, when and by whom.

    A reopened incident keeps its earlier replies; the latest one is the reply of its closing."""

    __tablename__ = "incident_replies"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    channel: Mapped[ReplyChannel] = mapped_column(enum_type(ReplyChannel))
    outcome: Mapped[ReplyOutcome] = mapped_column(enum_type(ReplyOutcome))
    text: Mapped[str] = mapped_column(Text)
    replied_at: Mapped[datetime]
    replied_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("reply_templates.id"))

    incident: Mapped[Incident] = relationship()
    replied_by: Mapped[User] = relationship()
