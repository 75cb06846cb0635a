"""B2B set-up: tables, interpreters, blocked slots."""

import uuid
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import Base
from meetings.registrations.models import Registration
from plaza_contracts import uuid7

LANGUAGE_PAIRS = ("ko-ja", "ko-en", "ja-en")


class MeetingTable(Base):
    """A table in the B2B area: floating, or fixed to one company for the whole event."""

    __tablename__ = "b2b_table"
    __table_args__ = (
        UniqueConstraint("event_id", "name"),
        Index(
            "uq_b2b_table_event_id_company_id",
            "event_id",
            "company_id",
            unique=True,
            postgresql_where="company_id IS NOT NULL",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    company_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Interpreter(Base):
    """A registered person who interprets, for some language pairs; fixed to a table or in the pool.

    An interpreter's breaks are blocked slots of their registration.
    """

    __tablename__ = "interpreter"
    __table_args__ = (
        CheckConstraint(
            "cardinality(language_pairs) > 0 AND language_pairs <@ ARRAY['ko-ja', 'ko-en', 'ja-en']::text[]",
            name="pairs_known",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), unique=True
    )
    language_pairs: Mapped[list[str]] = mapped_column(ARRAY(Text))
    table_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("b2b_table.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class BlockedSlot(Base):
    """A slot in which a person or a whole company is not available (a break, another appointment)."""

    __tablename__ = "blocked_slot"
    __table_args__ = (CheckConstraint("num_nonnulls(registration_id, company_id) = 1", name="one_subject"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("slot.id", ondelete="CASCADE"))
    registration_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE")
    )
    company_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class InterpreterWithPerson(NamedTuple):
    """An interpreter and the registration of the person who interprets (name, languages, company)."""

    interpreter: Interpreter
    person: Registration


class BlockedSlotView(NamedTuple):
    """A blocked slot with its slot's times and, for a person's block, the person's company."""

    blocked: BlockedSlot
    starts_at: datetime
    ends_at: datetime
    person_company_id: uuid.UUID | None
