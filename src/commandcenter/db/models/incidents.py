"""The incident queue: incidents, their timeline, dispatch, whistle calls and supervision."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commandcenter.db.models.base import Base, IdMixin, TimestampMixin, VersionedMixin, enum_type
from commandcenter.db.models.catalogue import CatalogueItem
from commandcenter.db.models.org import Grid, Unit
from commandcenter.db.models.people import Liaison, Person
from commandcenter.db.models.system import User
from commandcenter.enums import (
    AssignmentRole,
    Channel,
    ExtensionState,
    IncidentEventKind,
    IncidentStatus,
    Priority,
    ReturnReason,
    ReturnRuling,
    Route,
    SupervisionKind,
    TransferResult,
    UnitRole,
    WhistleReason,
)


class Incident(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "incidents"
    __table_args__ = (
        Index("ix_incidents_status_deadline", "status", "deadline_at"),
        Index("ix_incidents_lead_unit_status", "lead_unit_id", "status"),
        Index("ix_incidents_item_id", "item_id"),
        # What the figures count by (migration 0019), each with the columns its counts test.
        Index("ix_incidents_status_closed_at", "status", "closed_at", "deadline_at"),
        Index("ix_incidents_reported_at", "reported_at", "status", "unit_deadline_at"),
        Index("ix_incidents_unit_deadline_at", "unit_deadline_at", "status", "reported_at"),
        Index("ix_incidents_dispatched_at", "dispatched_at", "status"),
        # The few waiting for a correction after a failed legal review (the 工作台's list).
        Index(
            "ix_incidents_correction_requested",
            "correction_requested_at",
            sqlite_where=text("correction_requested_at IS NOT NULL"),
            postgresql_where=text("correction_requested_at IS NOT NULL"),
        ),
    )

    number: Mapped[str] = mapped_column(String(30), unique=True)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel), index=True)
    channel_ref: Mapped[str | None] = mapped_column(String(60))  # e.g. the 12345 work-order number
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str | None] = mapped_column(String(200))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grids.id"), index=True)
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    reporter_name: Mapped[str | None] = mapped_column(String(50))
    reporter_phone: Mapped[str | None] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(index=True)
    # First-responsible operator (首问负责, R4): who registered it, named on its papers.
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[IncidentStatus] = mapped_column(
        enum_type(IncidentStatus), default=IncidentStatus.REGISTERED
    )
    priority: Mapped[Priority] = mapped_column(enum_type(Priority), default=Priority.NORMAL)
    is_major: Mapped[bool] = mapped_column(default=False)  # 重大执法决定 (R5)
    # Triage keeps the catalogue version it was made under (R3).
    item_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_items.id"))
    route: Mapped[Route | None] = mapped_column(enum_type(Route))
    route_override_reason: Mapped[str | None] = mapped_column(String(500))
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    requirements: Mapped[str | None] = mapped_column(Text)  # 办理要求 printed on the order
    dispatched_at: Mapped[datetime | None]
    dispatched_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A major incident's dispatch waits for a leader (R6: not the one who asked for it).
    dispatch_approved_at: Mapped[datetime | None]
    dispatch_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[datetime | None]
    deadline_at: Mapped[datetime | None] = mapped_column(index=True)  # the queue sorts by it
    deadline_uncertain: Mapped[bool] = mapped_column(default=False)
    # When the configured share of the working allowance is used up (yellow in the queue).
    warning_at: Mapped[datetime | None]
    # The unit's own deadline: the same allowance counted from the dispatch, not the receipt,
    # so the unit is assessed on the time it had (None until dispatched).
    unit_deadline_at: Mapped[datetime | None]
    reported_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    legal_reviewed_at: Mapped[datetime | None]
    legal_reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A failed legal review sent the result back to the unit for 补正 (cleared by its next
    # report); the queue and the 工作台 filter on it.
    correction_requested_at: Mapped[datetime | None]
    satisfaction: Mapped[int | None]  # call-back result, 1 (very dissatisfied) .. 5
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    # Opened from an inspection; a plan's page lists its incidents by it.
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), index=True)

    grid: Mapped[Grid | None] = relationship()
    item: Mapped[CatalogueItem | None] = relationship()
    lead_unit: Mapped[Unit | None] = relationship()
    registered_by: Mapped[User] = relationship(foreign_keys=[registered_by_id])
    dispatched_by: Mapped[User | None] = relationship(foreign_keys=[dispatched_by_id])
    dispatch_approved_by: Mapped[User | None] = relationship(foreign_keys=[dispatch_approved_by_id])
    legal_reviewed_by: Mapped[User | None] = relationship(foreign_keys=[legal_reviewed_by_id])
    events: Mapped[list[IncidentEvent]] = relationship(
        back_populates="incident", order_by="IncidentEvent.at"
    )
    units: Mapped[list[IncidentUnit]] = relationship(back_populates="incident")
    assignments: Mapped[list[IncidentAssignment]] = relationship(back_populates="incident")


class IncidentEvent(IdMixin, Base):
    """One step in an incident's life, in order; the timeline on screen and in the record."""

    __tablename__ = "incident_events"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[IncidentEventKind] = mapped_column(enum_type(IncidentEventKind))
    from_status: Mapped[IncidentStatus | None] = mapped_column(enum_type(IncidentStatus))
    to_status: Mapped[IncidentStatus | None] = mapped_column(enum_type(IncidentStatus))
    note: Mapped[str | None] = mapped_column(Text)

    incident: Mapped[Incident] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()


class IncidentUnit(Base):
    """Lead and co-operating units of a dispatch (主办 / 协办)."""

    __tablename__ = "incident_units"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)
    role: Mapped[UnitRole] = mapped_column(enum_type(UnitRole))

    incident: Mapped[Incident] = relationship(back_populates="units")
    unit: Mapped[Unit] = relationship()


class IncidentAssignment(Base):
    """People sent on site; only officers with valid certificates count toward R1."""

    __tablename__ = "incident_assignments"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True, index=True)
    role: Mapped[AssignmentRole] = mapped_column(enum_type(AssignmentRole))
    certificate_number: Mapped[str | None] = mapped_column(String(40))  # as it was on dispatch

    incident: Mapped[Incident] = relationship(back_populates="assignments")
    person: Mapped[Person] = relationship()


class WhistleCall(IdMixin, Base):
    """吹哨报到: the centre calls a department in; its report-in time is the response time."""

    __tablename__ = "whistle_calls"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    reason: Mapped[WhistleReason] = mapped_column(
        enum_type(WhistleReason), default=WhistleReason.PROFESSIONAL
    )
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the leader
    liaison_id: Mapped[int | None] = mapped_column(ForeignKey("liaisons.id"))
    called_at: Mapped[datetime] = mapped_column(index=True)  # the figures count by it (0019)
    called_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None]  # the liaison confirmed the call
    arrived_at: Mapped[datetime | None]  # the department's people reported in on site
    arrived_names: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(500))

    department: Mapped[Unit] = relationship()
    liaison: Mapped[Liaison | None] = relationship()
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])


class IncidentReturn(IdMixin, Base):
    """A unit sent its dispatch back; the centre rules on it. Counted against the unit."""

    __tablename__ = "incident_returns"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    reason: Mapped[ReturnReason] = mapped_column(enum_type(ReturnReason))
    note: Mapped[str] = mapped_column(String(500), default="")
    returned_at: Mapped[datetime]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    ruling: Mapped[ReturnRuling | None] = mapped_column(enum_type(ReturnRuling))
    ruling_note: Mapped[str | None] = mapped_column(String(500))
    ruled_at: Mapped[datetime | None]
    ruled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()


class Transfer(IdMixin, Base):
    """案件移送: the incident leaves the street's remit with a numbered letter and a receipt."""

    __tablename__ = "transfers"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    doc_number: Mapped[str] = mapped_column(String(60), unique=True)
    facts: Mapped[str] = mapped_column(Text, default="")  # what the street found and did
    sent_at: Mapped[datetime]
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    receipt_at: Mapped[datetime | None]
    receipt_by: Mapped[str | None] = mapped_column(String(50))  # who signed for the department
    # The receipt is late after this moment: the configured working days from the sending.
    receipt_due_at: Mapped[datetime | None] = mapped_column(index=True)
    # The department's answer (案件移送抄告): what it did and its decision.
    result: Mapped[TransferResult | None] = mapped_column(enum_type(TransferResult))
    result_on: Mapped[date | None]
    decision: Mapped[str | None] = mapped_column(Text)
    result_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    department: Mapped[Unit] = relationship()
    incident: Mapped[Incident] = relationship()


class Attachment(IdMixin, Base):
    """A file copied into the data folder, kept with its checksum."""

    __tablename__ = "attachments"

    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    plan_target_id: Mapped[int | None] = mapped_column(ForeignKey("plan_targets.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime]
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Extension(IdMixin, Base):
    """A deadline extension; only a leader decides it (R7)."""

    __tablename__ = "extensions"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    requested_at: Mapped[datetime]
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    working_days: Mapped[int]
    reason: Mapped[str] = mapped_column(String(500))
    state: Mapped[ExtensionState] = mapped_column(
        enum_type(ExtensionState), default=ExtensionState.REQUESTED
    )
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    old_deadline_at: Mapped[datetime | None]
    new_deadline_at: Mapped[datetime | None]


class Supervision(IdMixin, Base):
    """A supervision document sent to a unit, about an incident or about the unit's general
    conduct (no incident); it marks the unit's record. It waits for the unit's written reply
    by ``reply_due_on`` and ends when the centre closes it."""

    __tablename__ = "supervisions"
    __table_args__ = (UniqueConstraint("doc_number"),)

    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[SupervisionKind] = mapped_column(enum_type(SupervisionKind))
    doc_number: Mapped[str] = mapped_column(String(60))
    issued_at: Mapped[datetime]
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    content: Mapped[str] = mapped_column(Text, default="")
    reply_due_on: Mapped[datetime | None] = mapped_column(index=True)
    replied_at: Mapped[datetime | None]
    reply_summary: Mapped[str | None] = mapped_column(Text)
    # A copy in the data folder (relative to it), or just the name of the paper kept on file.
    reply_attachment: Mapped[str | None] = mapped_column(String(500))
    reply_attachment_name: Mapped[str | None] = mapped_column(String(255))
    reply_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    close_note: Mapped[str | None] = mapped_column(String(500))

    unit: Mapped[Unit] = relationship()
    incident: Mapped[Incident | None] = relationship()
    issued_by: Mapped[User] = relationship(foreign_keys=[issued_by_id])
