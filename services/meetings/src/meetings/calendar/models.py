"""Calendar feeds: secret, revocable URLs (only the token's SHA-256 is stored)."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, LargeBinary, String, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import Base
from plaza_contracts import uuid7


class CalendarFeed(Base):
    """A feed of one company's (kind `company`) or one person's (kind `person`) meetings at an event."""

    __tablename__ = "calendar_feed"
    __table_args__ = (
        CheckConstraint("kind IN ('company', 'person')", name="kind_known"),
        CheckConstraint("(kind = 'person') = (registration_id IS NOT NULL)", name="person_has_registration"),
        CheckConstraint("language IN ('ko', 'ja', 'en')", name="language_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    registration_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE")
    )
    language: Mapped[str] = mapped_column(String(2))
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
