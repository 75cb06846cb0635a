"""Registrations: people of registered companies at an event, with the waiting list and check-in."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    CHAR,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import Base
from plaza_contracts import uuid7


class RegistrationStatus(enum.StrEnum):
    """Confirmed within capacity, waitlisted beyond it (promoted in order), or cancelled."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class RegistrationRole(enum.StrEnum):
    """Why a person comes."""

    DELEGATE = "delegate"
    BUYER = "buyer"
    EXHIBITOR = "exhibitor"
    SPEAKER = "speaker"
    INTERPRETER = "interpreter"
    ORGANISER = "organiser"
    PRESS = "press"
    OTHER = "other"


class Registration(Base):
    """One person at one event, for one registry company (name and country copied at registration)."""

    __tablename__ = "registration"
    __table_args__ = (
        CheckConstraint("coalesce(name_ko, name_ja, name_en) IS NOT NULL", name="has_name"),
        CheckConstraint("status IN ('confirmed', 'waitlisted', 'cancelled')", name="status_known"),
        CheckConstraint("(status = 'waitlisted') = (waitlist_rank IS NOT NULL)", name="rank_iff_waitlisted"),
        UniqueConstraint("event_id", "check_in_code"),
        Index("ix_registration_event_id_company_id", "event_id", "company_id"),
        Index(
            "ix_registration_waitlist",
            "event_id",
            "waitlist_rank",
            postgresql_where="status = 'waitlisted'",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    company_name_ko: Mapped[str | None] = mapped_column(String(500))
    company_name_ja: Mapped[str | None] = mapped_column(String(500))
    company_name_en: Mapped[str | None] = mapped_column(String(500))
    company_country: Mapped[str] = mapped_column(CHAR(2))
    name_ko: Mapped[str | None] = mapped_column(String(200))
    name_ja: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default=RegistrationRole.DELEGATE)
    job_title: Mapped[str | None] = mapped_column(String(200))
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    email: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(20))
    waitlist_rank: Mapped[int | None] = mapped_column(BigInteger)
    check_in_code: Mapped[str] = mapped_column(String(12))
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
