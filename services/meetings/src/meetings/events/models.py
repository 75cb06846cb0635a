"""Events: one plaza, its venue, time zone, status and B2B rules."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, SmallInteger, String, Text, Uuid, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import Base
from plaza_contracts import uuid7


class EventStatus(enum.StrEnum):
    """draft → open → closed → finished (see `events.rules.TRANSITIONS`)."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    FINISHED = "finished"


class MeetingRule(enum.StrEnum):
    """Who may meet whom at an event's B2B block."""

    ANY = "any"
    ACROSS_COUNTRIES = "across_countries"  # only companies of different countries (Korean ↔ Japanese)


class Event(Base):
    """One event. Times are stored in UTC; `time_zone` is where people read them."""

    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("coalesce(title_ko, title_ja, title_en) IS NOT NULL", name="has_title"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("status IN ('draft', 'open', 'closed', 'finished')", name="status_known"),
        CheckConstraint("slot_minutes BETWEEN 5 AND 240", name="slot_minutes_range"),
        CheckConstraint("request_expiry_hours IS NULL OR request_expiry_hours > 0", name="expiry_positive"),
        CheckConstraint("meeting_rule IN ('any', 'across_countries')", name="meeting_rule_known"),
        CheckConstraint("default_quota IS NULL OR default_quota > 0", name="quota_positive"),
        CheckConstraint("confirmed_count >= 0", name="confirmed_count_non_negative"),
        CheckConstraint("capacity IS NULL OR confirmed_count <= capacity", name="within_capacity"),
        Index("ix_event_organiser_ids", "organiser_ids", postgresql_using="gin"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    title_ko: Mapped[str | None] = mapped_column(String(300))
    title_ja: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    venue_name: Mapped[str] = mapped_column(String(300))
    venue_address: Mapped[str | None] = mapped_column(String(1000))
    time_zone: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    capacity: Mapped[int | None] = mapped_column(Integer)
    confirmed_count: Mapped[int] = mapped_column(Integer, default=0)
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    status: Mapped[str] = mapped_column(String(20), default=EventStatus.DRAFT)
    slot_minutes: Mapped[int] = mapped_column(SmallInteger, default=30)
    request_expiry_hours: Mapped[int | None] = mapped_column(Integer)
    meeting_rule: Mapped[str] = mapped_column(String(30), default=MeetingRule.ANY)
    default_quota: Mapped[int | None] = mapped_column(SmallInteger)
    organiser_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
