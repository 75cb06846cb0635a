"""Schedule runs: one "schedule all" attempt of an event, from queued to published.

A run stores the instance it was given (JSON, `meetings.scheduling.instance`) and the solver's result, so
that its draft can be read, checked and published long after the solver process is gone. The row is the
truth about the run: the supervising service writes a heartbeat while the solver process lives, and a run
whose heartbeat stopped (the service died with it) reads as failed, without a cron job.
"""

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import Base
from plaza_contracts import uuid7


class RunStatus(enum.StrEnum):
    """queued → running → finished → published; or failed, or cancelled (from queued or running)."""

    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"
    PUBLISHED = "published"


ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


class ScheduleRun(Base):
    """A scheduling run of one event; at most one queued or running per event."""

    __tablename__ = "schedule_run"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'running', 'finished', 'failed', 'cancelled', 'published')",
            name="status_known",
        ),
        CheckConstraint("time_limit_seconds > 0", name="time_limit_positive"),
        Index(
            "uq_schedule_run_active_event",
            "event_id",
            unique=True,
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
        Index("ix_schedule_run_event_id_id", "event_id", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.QUEUED)
    options: Mapped[dict[str, Any]] = mapped_column(JSONB)  # time limit, fairness, seed, constraints
    instance: Mapped[dict[str, Any]] = mapped_column(JSONB)  # what the solver was given
    skipped: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)  # requests left out, why
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # meetings.scheduling.result.Result
    progress: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # phase, best objective so far
    error: Mapped[str | None] = mapped_column(Text)
    time_limit_seconds: Mapped[int] = mapped_column(Integer)
    worker_pid: Mapped[int | None] = mapped_column(Integer)
    requested_by: Mapped[str] = mapped_column(String(200))
    published_by: Mapped[str | None] = mapped_column(String(200))
    publication: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # what publishing did
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)


class PersonFact(NamedTuple):
    """A confirmed registration, as a schedule needs it."""

    id: uuid.UUID
    company_id: uuid.UUID
    role: str
    languages: tuple[str, ...]


class RequestFact(NamedTuple):
    """An accepted request that has no meeting yet: what a run places."""

    id: uuid.UUID
    requester_company_id: uuid.UUID
    requested_company_id: uuid.UUID
    requester_people: tuple[uuid.UUID, ...]
    requested_people: tuple[uuid.UUID, ...]
    priority: int


class MeetingFact(NamedTuple):
    """A live meeting: fixed in a run, unless it may be moved (scheduled, not locked, and the run says so)."""

    id: uuid.UUID
    company_a_id: uuid.UUID
    company_b_id: uuid.UUID
    people_a: tuple[uuid.UUID, ...]
    people_b: tuple[uuid.UUID, ...]
    slot_id: uuid.UUID
    table_id: uuid.UUID | None
    interpreter_id: uuid.UUID | None
    priority: int
    status: str
    locked: bool
    version: int


class InterpreterFact(NamedTuple):
    """An interpreter: the person who interprets, the pairs, the table it is fixed to (none: the pool)."""

    id: uuid.UUID
    registration_id: uuid.UUID
    pairs: tuple[str, ...]
    table_id: uuid.UUID | None


class ClaimFact(NamedTuple):
    """A standing claim; `meeting_id` is set when a meeting holds it."""

    slot_id: uuid.UUID
    kind: str
    resource_id: uuid.UUID
    meeting_id: uuid.UUID | None


class EventFacts(NamedTuple):
    """Everything a run's instance is built from, read in one transaction."""

    slots: list[tuple[uuid.UUID, datetime, datetime]]
    people: list[PersonFact]
    requests: list[RequestFact]
    meetings: list[MeetingFact]
    tables: list[tuple[uuid.UUID, uuid.UUID | None]]
    interpreters: list[InterpreterFact]
    claims: list[ClaimFact]
    quotas: dict[uuid.UUID, int | None]  # companies with a quota row; the others follow the event default


@dataclass(frozen=True)
class DraftNames:
    """What a draft shows besides ids: slot times, table and interpreter names, company names."""

    time_zone: str
    slots: dict[uuid.UUID, tuple[datetime, datetime]]
    tables: dict[uuid.UUID, str]
    interpreters: dict[uuid.UUID, str]
    companies: dict[uuid.UUID, tuple[str | None, str | None, str | None]]
