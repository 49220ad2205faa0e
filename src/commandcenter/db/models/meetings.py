"""Joint meetings and regular meetings, with agreed items followed up to completion."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandcenter.db.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, enum_type
from commandcenter.db.models.org import Unit
from commandcenter.enums import AgreedItemStatus, MeetingKind


class Meeting(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "meetings"

    kind: Mapped[MeetingKind] = mapped_column(enum_type(MeetingKind))
    title: Mapped[str] = mapped_column(String(200))
    held_at: Mapped[datetime] = mapped_column(index=True)
    place: Mapped[str | None] = mapped_column(String(100))
    chair: Mapped[str | None] = mapped_column(String(50))
    attendees: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    items: Mapped[list[AgreedItem]] = relationship(back_populates="meeting")


class AgreedItem(IdMixin, TimestampMixin, VersionedMixin, Base):
    """议定事项: task, deadline, standard, responsible unit and person."""

    __tablename__ = "agreed_items"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    task: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(index=True)
    standard: Mapped[str | None] = mapped_column(Text)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    responsible_person: Mapped[str] = mapped_column(String(50))
    status: Mapped[AgreedItemStatus] = mapped_column(
        enum_type(AgreedItemStatus), default=AgreedItemStatus.OPEN
    )
    progress: Mapped[str | None] = mapped_column(Text)
    done_on: Mapped[date | None]

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    unit: Mapped[Unit] = relationship()
    reports: Mapped[list[AgreedItemReport]] = relationship(
        back_populates="item", order_by="AgreedItemReport.reported_at"
    )


class AgreedItemReport(IdMixin, Base):
    """Progress reported back on an agreed item, read out at the next meeting."""

    __tablename__ = "agreed_item_reports"

    item_id: Mapped[int] = mapped_column(ForeignKey("agreed_items.id"), index=True)
    reported_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    item: Mapped[AgreedItem] = relationship(back_populates="reports")
