"""Booked meetings and the claims that make double booking impossible.

A meeting, a pending request holding a proposed slot, a session attendance and a blocked slot each
*claim* (slot, resource) pairs: every person, both companies, the table. `slot_claim`'s primary key
(slot_id, resource_kind, resource_id) is the guarantee: PostgreSQL refuses a second claim of the same
resource in the same slot, whatever the application does, in whatever order concurrent transactions run.
"""

import enum
import uuid
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import (
    CHAR,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import Base
from plaza_contracts import uuid7


class MeetingStatus(enum.StrEnum):
    """scheduled → checked_in → held, or no_show; cancelled from scheduled or checked_in."""

    SCHEDULED = "scheduled"
    CHECKED_IN = "checked_in"
    HELD = "held"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class ResourceKind(enum.StrEnum):
    """What a claim holds in a slot (an interpreter is a person)."""

    PERSON = "person"
    COMPANY = "company"
    TABLE = "table"


class Outcome(enum.StrEnum):
    """What came of a meeting."""

    NO_INTEREST = "no_interest"
    FOLLOW_UP = "follow_up"
    COOPERATION_POSSIBLE = "cooperation_possible"


class Meeting(Base):
    """A B2B meeting between two companies in one slot, at a table, with an interpreter when needed.

    `sequence` is the calendar SEQUENCE: bumped by every change a calendar shows (reschedule, cancel).
    """

    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint("company_a_id <> company_b_id", name="two_companies"),
        CheckConstraint(
            "status IN ('scheduled', 'checked_in', 'held', 'no_show', 'cancelled')", name="status_known"
        ),
        CheckConstraint("priority BETWEEN 1 AND 5", name="priority_range"),
        Index(
            "uq_meeting_live_pair",
            "event_id",
            text("least(company_a_id, company_b_id)"),
            text("greatest(company_a_id, company_b_id)"),
            unique=True,
            postgresql_where=text("status <> 'cancelled'"),
        ),
        Index("ix_meeting_event_id_slot_id", "event_id", "slot_id"),
        Index("ix_meeting_event_id_company_a_id", "event_id", "company_a_id"),
        Index("ix_meeting_event_id_company_b_id", "event_id", "company_b_id"),
        Index("ix_meeting_people", "people", postgresql_using="gin"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("meeting_request.id", ondelete="SET NULL"), unique=True
    )
    slot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("slot.id"))
    table_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("b2b_table.id"))
    interpreter_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("interpreter.id"))
    company_a_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # the requester
    company_b_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # the requested
    people_a: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid))
    people_b: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid))
    people: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid))  # both sides and the interpreter's person
    purpose: Mapped[str] = mapped_column(String(30))
    priority: Mapped[int] = mapped_column(SmallInteger, default=3)
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.SCHEDULED)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    booked_by: Mapped[str] = mapped_column(String(200))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SlotClaim(Base):
    """One resource held in one slot by exactly one holder; the primary key is the no-double-booking rule."""

    __tablename__ = "slot_claim"
    __table_args__ = (
        CheckConstraint("resource_kind IN ('person', 'company', 'table')", name="resource_kind_known"),
        CheckConstraint(
            "num_nonnulls(meeting_id, request_id, session_id, blocked_slot_id) = 1", name="one_holder"
        ),
        CheckConstraint("(session_id IS NULL) = (attendee_id IS NULL)", name="attendance_complete"),
        ForeignKeyConstraint(
            ["session_id", "attendee_id"],
            ["session_attendance.session_id", "session_attendance.registration_id"],
            ondelete="CASCADE",
            name="fk_slot_claim_attendance",
        ),
        Index("ix_slot_claim_meeting_id", "meeting_id", postgresql_where=text("meeting_id IS NOT NULL")),
        Index("ix_slot_claim_request_id", "request_id", postgresql_where=text("request_id IS NOT NULL")),
        Index("ix_slot_claim_event_id_resource", "event_id", "resource_kind", "resource_id"),
    )

    slot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("slot.id", ondelete="CASCADE"), primary_key=True)
    resource_kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    resource_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    request_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meeting_request.id", ondelete="CASCADE"))
    session_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    attendee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    blocked_slot_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("blocked_slot.id", ondelete="CASCADE")
    )


class CompanyQuota(Base):
    """How many live meetings a company has at an event, and its cap; a CHECK refuses one too many."""

    __tablename__ = "company_quota"
    __table_args__ = (
        CheckConstraint("booked >= 0", name="booked_non_negative"),
        CheckConstraint("quota IS NULL OR booked <= quota", name="within_quota"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    quota: Mapped[int | None] = mapped_column(SmallInteger)
    overridden: Mapped[bool] = mapped_column(Boolean, default=False)  # else quota follows the event default
    booked: Mapped[int] = mapped_column(Integer, default=0)


class MeetingFeedback(Base):
    """One side's rating and notes after a meeting; the notes are private to that side and the organisers."""

    __tablename__ = "meeting_feedback"
    __table_args__ = (CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),)

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    notes: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MeetingOutcome(Base):
    """What came of a meeting; the investment service opens leads from these."""

    __tablename__ = "meeting_outcome"
    __table_args__ = (
        CheckConstraint(
            "outcome IN ('no_interest', 'follow_up', 'cooperation_possible')", name="outcome_known"
        ),
        CheckConstraint(
            "purpose IN ('export_import', 'joint_development', 'equity_investment', 'other')",
            name="purpose_known",
        ),
        CheckConstraint("(value_amount IS NULL) = (value_currency IS NULL)", name="value_complete"),
        CheckConstraint("value_amount IS NULL OR value_amount >= 0", name="value_non_negative"),
    )

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    outcome: Mapped[str] = mapped_column(String(30))
    purpose: Mapped[str] = mapped_column(String(30))
    value_amount: Mapped[Decimal | None] = mapped_column(Numeric(24, 4))
    value_currency: Mapped[str | None] = mapped_column(CHAR(3))
    summary: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Claim(NamedTuple):
    """One resource in one slot."""

    slot_id: uuid.UUID
    kind: ResourceKind
    resource_id: uuid.UUID


class Holder(NamedTuple):
    """Who holds a claim: exactly one of a meeting, a pending request, a session attendance, a block."""

    meeting_id: uuid.UUID | None = None
    request_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    attendee_id: uuid.UUID | None = None
    blocked_slot_id: uuid.UUID | None = None


class TakenClaim(NamedTuple):
    """A claim that could not be made, and what holds it."""

    claim: Claim
    holder: Holder


class MeetingView(NamedTuple):
    """A meeting with what its API shape shows: slot times, table, interpreter, names, feedback, outcome."""

    meeting: Meeting
    time_zone: str
    starts_at: datetime
    ends_at: datetime
    table_name: str | None
    interpreter_name: str | None
    names: dict[uuid.UUID, tuple[str | None, str | None, str | None]]
    feedback: list[MeetingFeedback]
    outcome: MeetingOutcome | None
