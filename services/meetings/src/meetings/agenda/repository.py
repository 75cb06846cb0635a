"""Queries on the agenda, its attendances and the slot grid; no commits here.

Lock order, the same everywhere: the event row first, then session rows. Changes of the slot grid (creating,
moving or deleting a B2B block, moving a session that people attend) lock the event `FOR UPDATE`; adding or
removing an attendance locks it `FOR SHARE` (`lock_event_shared`), so attendances do not wait for each other
but never interleave with a grid change: each sees the other's committed result and claims accordingly.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, exists, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.agenda.models import AgendaSession, SessionAttendance, SessionKind, Slot
from meetings.bookings.models import Meeting, SlotClaim
from meetings.events.models import Event
from meetings.registrations.models import Registration
from meetings.setup.models import BlockedSlot


async def lock_event_shared(session: AsyncSession, event_id: uuid.UUID) -> None:
    """Share-lock the event row: grid changes (which lock it for update) wait, other attendances do not."""
    await session.execute(select(Event.id).where(Event.id == event_id).with_for_update(read=True))


async def get(
    session: AsyncSession, event_id: uuid.UUID, session_id: uuid.UUID, *, for_update: bool = False
) -> AgendaSession | None:
    """A session of the event, optionally locked."""
    query = select(AgendaSession).where(AgendaSession.id == session_id, AgendaSession.event_id == event_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def page(
    session: AsyncSession,
    event_id: uuid.UUID,
    *,
    kind: SessionKind | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[AgendaSession]:
    """Sessions in start order (then id), after the keyset position `after`."""
    query = (
        select(AgendaSession)
        .where(AgendaSession.event_id == event_id)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
        .limit(limit)
    )
    if kind is not None:
        query = query.where(AgendaSession.kind == kind)
    if after is not None:
        query = query.where(tuple_(AgendaSession.starts_at, AgendaSession.id) > tuple_(*after))
    return (await session.scalars(query)).all()


async def slots_of_event(session: AsyncSession, event_id: uuid.UUID) -> Sequence[Slot]:
    """The event's slot grid in time order."""
    query = select(Slot).where(Slot.event_id == event_id).order_by(Slot.starts_at)
    return (await session.scalars(query)).all()


async def slots_overlapping(
    session: AsyncSession, event_id: uuid.UUID, starts_at: datetime, ends_at: datetime
) -> Sequence[Slot]:
    """The slots of the event that overlap [starts_at, ends_at)."""
    query = (
        select(Slot)
        .where(Slot.event_id == event_id, Slot.starts_at < ends_at, Slot.ends_at > starts_at)
        .order_by(Slot.starts_at)
    )
    return (await session.scalars(query)).all()


async def slot_ids_of_block(session: AsyncSession, block_id: uuid.UUID) -> list[uuid.UUID]:
    """The slots cut from a B2B block."""
    return list((await session.scalars(select(Slot.id).where(Slot.session_id == block_id))).all())


async def booked_by_meetings(session: AsyncSession, slot_ids: Sequence[uuid.UUID]) -> bool:
    """Whether a meeting (of any status) is in one of the slots or a meeting or pending request claims one."""
    if not slot_ids:
        return False
    meeting = exists().where(Meeting.slot_id.in_(slot_ids))
    claim = exists().where(
        SlotClaim.slot_id.in_(slot_ids),
        or_(SlotClaim.meeting_id.is_not(None), SlotClaim.request_id.is_not(None)),
    )
    return bool(await session.scalar(select(or_(meeting, claim))))


async def has_blocked_slots(session: AsyncSession, slot_ids: Sequence[uuid.UUID]) -> bool:
    """Whether a person or company has blocked one of the slots."""
    if not slot_ids:
        return False
    return bool(await session.scalar(select(exists().where(BlockedSlot.slot_id.in_(slot_ids)))))


async def delete_slots(session: AsyncSession, slot_ids: Sequence[uuid.UUID]) -> None:
    """Delete slots (their attendance claims and blocked slots go with them: ON DELETE CASCADE)."""
    if slot_ids:
        await session.execute(delete(Slot).where(Slot.id.in_(slot_ids)))


async def attendances_overlapping(
    session: AsyncSession, event_id: uuid.UUID, starts_at: datetime, ends_at: datetime
) -> list[tuple[SessionAttendance, AgendaSession]]:
    """Attendances of the event's sessions (not B2B blocks) that overlap [starts_at, ends_at)."""
    query = (
        select(SessionAttendance, AgendaSession)
        .join(AgendaSession, AgendaSession.id == SessionAttendance.session_id)
        .where(
            AgendaSession.event_id == event_id,
            AgendaSession.kind != SessionKind.B2B_BLOCK,
            AgendaSession.starts_at < ends_at,
            AgendaSession.ends_at > starts_at,
        )
        .order_by(SessionAttendance.registration_id, SessionAttendance.session_id)
    )
    return [(row[0], row[1]) for row in await session.execute(query)]


async def attendances_of(session: AsyncSession, session_id: uuid.UUID) -> Sequence[SessionAttendance]:
    """Every attendance of a session."""
    query = (
        select(SessionAttendance)
        .where(SessionAttendance.session_id == session_id)
        .order_by(SessionAttendance.registration_id)
    )
    return (await session.scalars(query)).all()


async def attendance(
    session: AsyncSession, session_id: uuid.UUID, registration_id: uuid.UUID
) -> SessionAttendance | None:
    """One person's attendance of a session."""
    query = select(SessionAttendance).where(
        SessionAttendance.session_id == session_id, SessionAttendance.registration_id == registration_id
    )
    return (await session.scalars(query)).first()


async def attendees_page(
    session: AsyncSession,
    session_id: uuid.UUID,
    *,
    company_id: uuid.UUID | None,
    everything: bool,
    after_id: uuid.UUID | None,
    limit: int,
) -> list[tuple[SessionAttendance, Registration]]:
    """Attendances with their registrations in registration-id order: all, or those of `company_id`."""
    query = (
        select(SessionAttendance, Registration)
        .join(Registration, Registration.id == SessionAttendance.registration_id)
        .where(SessionAttendance.session_id == session_id)
        .order_by(SessionAttendance.registration_id)
        .limit(limit)
    )
    if not everything:
        if company_id is None:
            return []
        query = query.where(Registration.company_id == company_id)
    if after_id is not None:
        query = query.where(SessionAttendance.registration_id > after_id)
    return [(row[0], row[1]) for row in await session.execute(query)]


async def release_attendances_of(session: AsyncSession, registration_id: uuid.UUID) -> None:
    """Remove a person's every attendance (their slot claims cascade) and count them out of the sessions.

    Called with the event's row locked for update (a cancellation), which keeps the lock order.
    """
    left = (
        await session.scalars(
            delete(SessionAttendance)
            .where(SessionAttendance.registration_id == registration_id)
            .returning(SessionAttendance.session_id)
        )
    ).all()
    if left:
        await session.execute(
            update(AgendaSession)
            .where(AgendaSession.id.in_(left))
            .values(attendee_count=AgendaSession.attendee_count - 1)
        )
