"""The agenda: sessions of an event, who attends them, and the B2B slot grid cut from B2B blocks."""

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import Base
from plaza_contracts import uuid7


class SessionKind(enum.StrEnum):
    """What an agenda session is."""

    KEYNOTE = "keynote"
    PRESENTATION = "presentation"
    SEMINAR = "seminar"
    IR_SESSION = "ir_session"
    PITCH = "pitch"
    NETWORKING = "networking"
    B2B_BLOCK = "b2b_block"


class AgendaSession(Base):
    """A session; two sessions in one room never overlap (an exclusion constraint, see the migration)."""

    __tablename__ = "agenda_session"
    __table_args__ = (
        CheckConstraint("coalesce(title_ko, title_ja, title_en) IS NOT NULL", name="has_title"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("capacity IS NULL OR attendee_count <= capacity", name="within_capacity"),
        CheckConstraint(
            "kind IN ('keynote', 'presentation', 'seminar', 'ir_session', 'pitch', 'networking',"
            " 'b2b_block')",
            name="kind_known",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title_ko: Mapped[str | None] = mapped_column(String(300))
    title_ja: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    room: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    capacity: Mapped[int | None] = mapped_column(Integer)
    attendee_count: Mapped[int] = mapped_column(Integer, default=0)
    # [{"company_id": uuid | null, "name": {"ko"|"ja"|"en": str}, "title": str | null}]
    speakers: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SessionAttendance(Base):
    """A registered person attending a session: busy for every B2B slot the session overlaps."""

    __tablename__ = "session_attendance"

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("agenda_session.id", ondelete="CASCADE"), primary_key=True
    )
    registration_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Slot(Base):
    """One B2B slot: a B2B block cut into the event's slot length. Slots of an event never overlap."""

    __tablename__ = "slot"
    __table_args__ = (
        UniqueConstraint("event_id", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("agenda_session.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
