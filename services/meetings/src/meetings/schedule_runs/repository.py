"""Every SQL statement of schedule runs: the facts a run's instance is built from, and the run rows."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.bookings.models import CompanyQuota, Meeting, MeetingStatus
from meetings.bookings.repository import slots_of, standing_claims
from meetings.registrations.models import Registration
from meetings.requests.models import MeetingRequest, RequestStatus
from meetings.schedule_runs.models import (
    ACTIVE,
    ClaimFact,
    EventFacts,
    InterpreterFact,
    MeetingFact,
    PersonFact,
    RequestFact,
    RunStatus,
    ScheduleRun,
)
from meetings.setup.models import Interpreter, MeetingTable


async def event_facts(session: AsyncSession, event_id: uuid.UUID) -> EventFacts:
    """What a run of the event is built from (the caller reads it in one transaction)."""
    people = await session.execute(
        select(Registration.id, Registration.company_id, Registration.role, Registration.languages).where(
            Registration.event_id == event_id, Registration.status == "confirmed"
        )
    )
    booked = exists().where(Meeting.request_id == MeetingRequest.id)
    requests = await session.execute(
        select(
            MeetingRequest.id,
            MeetingRequest.requester_company_id,
            MeetingRequest.requested_company_id,
            MeetingRequest.requester_people,
            MeetingRequest.requested_people,
            MeetingRequest.priority,
        )
        .where(
            MeetingRequest.event_id == event_id,
            MeetingRequest.status == RequestStatus.ACCEPTED,
            ~booked,
        )
        .order_by(MeetingRequest.id)
    )
    meetings = await session.execute(
        select(
            Meeting.id,
            Meeting.company_a_id,
            Meeting.company_b_id,
            Meeting.people_a,
            Meeting.people_b,
            Meeting.slot_id,
            Meeting.table_id,
            Meeting.interpreter_id,
            Meeting.priority,
            Meeting.status,
            Meeting.locked,
            Meeting.version,
        )
        .where(Meeting.event_id == event_id, Meeting.status != MeetingStatus.CANCELLED)
        .order_by(Meeting.id)
    )
    tables = await session.execute(
        select(MeetingTable.id, MeetingTable.company_id)
        .where(MeetingTable.event_id == event_id)
        .order_by(MeetingTable.name)
    )
    interpreters = await session.execute(
        select(Interpreter.id, Interpreter.registration_id, Interpreter.language_pairs, Interpreter.table_id)
        .join(Registration, Registration.id == Interpreter.registration_id)
        .where(Interpreter.event_id == event_id, Registration.status == "confirmed")
        .order_by(Interpreter.id)
    )
    quotas = await session.execute(
        select(CompanyQuota.company_id, CompanyQuota.quota).where(CompanyQuota.event_id == event_id)
    )
    return EventFacts(
        slots=await slots_of(session, event_id),
        people=[PersonFact(r[0], r[1], r[2], tuple(r[3] or ())) for r in people],
        requests=[
            RequestFact(r[0], r[1], r[2], tuple(r[3] or ()), tuple(r[4] or ()), r[5]) for r in requests
        ],
        meetings=[
            MeetingFact(
                r[0], r[1], r[2], tuple(r[3]), tuple(r[4]), r[5], r[6], r[7], r[8], r[9], r[10], r[11]
            )
            for r in meetings
        ],
        tables=[(r[0], r[1]) for r in tables],
        interpreters=[InterpreterFact(r[0], r[1], tuple(r[2]), r[3]) for r in interpreters],
        claims=[ClaimFact(*row) for row in await standing_claims(session, event_id)],
        quotas={r[0]: r[1] for r in quotas},
    )


async def fail_stale(session: AsyncSession, stale_before: datetime, event_id: uuid.UUID | None = None) -> int:
    """Mark failed the queued or running runs whose supervisor stopped writing its heartbeat."""
    statement = (
        update(ScheduleRun)
        .where(ScheduleRun.status.in_([str(s) for s in ACTIVE]), ScheduleRun.heartbeat_at < stale_before)
        .values(
            status=RunStatus.FAILED,
            error="the process running this schedule stopped (no heartbeat)",
            finished_at=stale_before,
            version=ScheduleRun.version + 1,
        )
    )
    if event_id is not None:
        statement = statement.where(ScheduleRun.event_id == event_id)
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


async def get(
    session: AsyncSession, event_id: uuid.UUID, run_id: uuid.UUID, *, for_update: bool = False
) -> ScheduleRun | None:
    """The event's run `run_id`."""
    query = select(ScheduleRun).where(ScheduleRun.id == run_id, ScheduleRun.event_id == event_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def list_runs(
    session: AsyncSession, event_id: uuid.UUID, *, after_id: uuid.UUID | None, limit: int
) -> Sequence[ScheduleRun]:
    """The event's runs, newest first."""
    query = select(ScheduleRun).where(ScheduleRun.event_id == event_id)
    if after_id is not None:
        query = query.where(ScheduleRun.id < after_id)
    return (await session.scalars(query.order_by(ScheduleRun.id.desc()).limit(limit))).all()


async def transition(
    session: AsyncSession, run_id: uuid.UUID, expected: Sequence[RunStatus], **values: Any
) -> bool:
    """Change the run only if it is still in one of `expected` (a cancelled run stays cancelled whatever
    its supervisor finds afterwards); whether it changed."""
    result = await session.execute(
        update(ScheduleRun)
        .where(ScheduleRun.id == run_id, ScheduleRun.status.in_([str(s) for s in expected]))
        .values(version=ScheduleRun.version + 1, **values)
    )
    return bool(getattr(result, "rowcount", 0))


async def heartbeat(session: AsyncSession, run_ids: Sequence[uuid.UUID], now: datetime) -> None:
    """The supervisor is alive for these runs."""
    if run_ids:
        await session.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id.in_(list(run_ids)), ScheduleRun.status.in_([str(s) for s in ACTIVE]))
            .values(heartbeat_at=now)
        )


async def status_of(session: AsyncSession, run_id: uuid.UUID) -> str | None:
    """The run's stored status."""
    return await session.scalar(select(ScheduleRun.status).where(ScheduleRun.id == run_id))


async def get_by_id(session: AsyncSession, run_id: uuid.UUID) -> ScheduleRun | None:
    """A run by id, whatever its event."""
    return await session.get(ScheduleRun, run_id)


async def active_run(session: AsyncSession, event_id: uuid.UUID) -> uuid.UUID | None:
    """The event's queued or running run, if any."""
    return await session.scalar(
        select(ScheduleRun.id).where(
            ScheduleRun.event_id == event_id, ScheduleRun.status.in_([str(s) for s in ACTIVE])
        )
    )


async def draft_names(
    session: AsyncSession, event_id: uuid.UUID
) -> tuple[
    dict[uuid.UUID, tuple[datetime, datetime]],
    dict[uuid.UUID, str],
    dict[uuid.UUID, str],
    dict[uuid.UUID, tuple[str | None, str | None, str | None]],
]:
    """Slot times, table names, interpreter names (in English, else as stored) and company names."""
    slots = {slot: (starts, ends) for slot, starts, ends in await slots_of(session, event_id)}
    tables = await session.execute(
        select(MeetingTable.id, MeetingTable.name).where(MeetingTable.event_id == event_id)
    )
    interpreters = await session.execute(
        select(Interpreter.id, Registration.name_en, Registration.name_ko, Registration.name_ja)
        .join(Registration, Registration.id == Interpreter.registration_id)
        .where(Interpreter.event_id == event_id)
    )
    companies = await session.execute(
        select(
            Registration.company_id,
            Registration.company_name_ko,
            Registration.company_name_ja,
            Registration.company_name_en,
        )
        .where(Registration.event_id == event_id)
        .ext(distinct_on(Registration.company_id))
        .order_by(Registration.company_id, Registration.created_at.desc())
    )
    return (
        slots,
        {row[0]: row[1] for row in tables},
        {row[0]: row[1] or row[2] or row[3] or "" for row in interpreters},
        {row[0]: (row[1], row[2], row[3]) for row in companies},
    )
