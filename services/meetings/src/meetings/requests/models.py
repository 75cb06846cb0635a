"""Meeting requests between two companies at an event."""

import enum
import uuid
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
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


class RequestStatus(enum.StrEnum):
    """requested → accepted / declined / withdrawn / expired."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class Purpose(enum.StrEnum):
    """What the two companies want to talk about."""

    EXPORT_IMPORT = "export_import"
    JOINT_DEVELOPMENT = "joint_development"
    EQUITY_INVESTMENT = "equity_investment"
    OTHER = "other"


class MeetingRequest(Base):
    """A request from one company to meet another; at most one open request per pair and event.

    Expiry needs no cron job: a request past `expires_at` is expired whatever `status` still says; writes
    mark such rows expired as they go (`repository.sweep_expired`), and their holds never count as busy.
    """

    __tablename__ = "meeting_request"
    __table_args__ = (
        CheckConstraint("requester_company_id <> requested_company_id", name="two_companies"),
        CheckConstraint(
            "status IN ('requested', 'accepted', 'declined', 'withdrawn', 'expired')", name="status_known"
        ),
        CheckConstraint(
            "purpose IN ('export_import', 'joint_development', 'equity_investment', 'other')",
            name="purpose_known",
        ),
        CheckConstraint("priority BETWEEN 1 AND 5", name="priority_range"),
        CheckConstraint("cardinality(requester_people) > 0", name="requester_people_named"),
        Index(
            "uq_meeting_request_open_pair",
            "event_id",
            text("least(requester_company_id, requested_company_id)"),
            text("greatest(requester_company_id, requested_company_id)"),
            unique=True,
            postgresql_where=text("status = 'requested'"),
        ),
        Index("ix_meeting_request_event_id_requester", "event_id", "requester_company_id"),
        Index("ix_meeting_request_event_id_requested", "event_id", "requested_company_id"),
        Index(
            "ix_meeting_request_expiring",
            "event_id",
            "expires_at",
            postgresql_where=text("status = 'requested' AND expires_at IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    requester_company_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    requested_company_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    requester_people: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid))
    requested_people: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid), default=list)
    purpose: Mapped[str] = mapped_column(String(30))
    message: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(SmallInteger, default=3)
    proposed_slot_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("slot.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.REQUESTED)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    created_by_organisation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answer_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


CompanyNames = dict[uuid.UUID, tuple[str | None, str | None, str | None, str]]
"""Company id → (name ko, ja, en, country), as the companies registered at the event."""


class RequestView(NamedTuple):
    """A request with what its API shape shows besides: company names, the booked meeting, the time of
    reading (which decides whether an open request has expired)."""

    request: MeetingRequest
    names: CompanyNames
    meeting_id: uuid.UUID | None
    now: datetime


def effective_status(request: MeetingRequest, now: datetime) -> RequestStatus:
    """`expired` once an open request's `expires_at` has passed, whether or not a sweep marked it yet."""
    if (
        request.status == RequestStatus.REQUESTED
        and request.expires_at is not None
        and request.expires_at <= now
    ):
        return RequestStatus.EXPIRED
    return RequestStatus(request.status)
