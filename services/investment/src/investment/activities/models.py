"""Activities: notes, calls, e-mails, meetings and tasks on a lead's timeline."""

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from investment.db import Base
from plaza_contracts import uuid7


class ActivityKind(enum.StrEnum):
    """What happened (or, for a task, what is to be done)."""

    NOTE = "note"
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    TASK = "task"


class Activity(Base):
    """One entry of a lead's timeline; only tasks have a due date and a completion."""

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("kind IN ('note', 'call', 'email', 'meeting', 'task')", name="kind_known"),
        CheckConstraint("kind = 'task' OR (due_date IS NULL AND completed_at IS NULL)", name="task_fields"),
        Index("ix_activity_lead_id", "lead_id", "occurred_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    lead_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("investment.lead.id"))
    kind: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_date: Mapped[date | None] = mapped_column(Date)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    created_by_organisation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
