"""Calendar feeds: secret, revocable URLs (only the token's SHA-256 is stored)."""

import enum
import uuid
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, LargeBinary, String, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import Base
from plaza_contracts import uuid7


class FeedKind(enum.StrEnum):
    """Whose meetings a feed shows."""

    COMPANY = "company"
    PERSON = "person"


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


class FeedMeeting(NamedTuple):
    """A meeting as a feed shows it: its slot's times, its table and its interpreter's names."""

    id: uuid.UUID
    status: str
    sequence: int
    updated_at: datetime
    company_a_id: uuid.UUID
    company_b_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    table_name: str | None
    interpreter_ko: str | None
    interpreter_ja: str | None
    interpreter_en: str | None


class CompanyNames(NamedTuple):
    """A company's names as copied at registration to the event."""

    ko: str | None
    ja: str | None
    en: str | None


class NewFeed(NamedTuple):
    """A feed just created, and its token (which is never stored, and never shown again)."""

    feed: CalendarFeed
    token: str


class FeedSubject(NamedTuple):
    """Whose feed it is, as its text shows: the company (a person's feed: the person's) and the language."""

    company_id: uuid.UUID
    language: str


class FeedEvent(NamedTuple):
    """What a feed shows of its event."""

    title_ko: str | None
    title_ja: str | None
    title_en: str | None
    venue_name: str
    time_zone: str


class FeedContent(NamedTuple):
    """Everything a feed's text is made of: its subject, its event, its meetings and the names of the
    companies in them (a feed rendered from equal content is equal, byte for byte)."""

    feed: FeedSubject
    event: FeedEvent
    meetings: list[FeedMeeting]
    companies: dict[uuid.UUID, CompanyNames]


class FeedState(NamedTuple):
    """A feed as one read finds it: its id, the fingerprint of its content, and the content itself unless
    it is the one the reader already had (`fingerprint` equal to the one it sent)."""

    feed_id: uuid.UUID
    fingerprint: str
    content: FeedContent | None
