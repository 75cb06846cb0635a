"""Agenda use cases: sessions (a B2B block is cut into the event's slot grid), and who attends them.

PostgreSQL keeps the agenda consistent: two sessions in one room never overlap
(`ex_agenda_session_room_overlap`), nor do two slots of one event (`ex_slot_overlap`), and attendance stays
within capacity (CHECK `attendee_count <= capacity`); the service turns their refusals into 409 problems.
A person attending a session claims every B2B slot it overlaps (`bookings.try_claim`, holder = the
attendance), so a meeting in that slot is refused by the same primary key that forbids double booking, and
slots cut later are claimed for the attendances that overlap them. See `agenda.repository` for the locks.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.access import acts_for, is_organiser, sees_company
from meetings.agenda import repository
from meetings.agenda.models import AgendaSession, SessionAttendance, SessionKind, Slot
from meetings.agenda.schemas import AttendanceCreate, SessionCreate, SessionUpdate, Speaker
from meetings.bookings import repository as bookings
from meetings.bookings.errors import slot_taken
from meetings.bookings.models import Claim, Holder, ResourceKind
from meetings.events.models import Event
from meetings.events.service import organised_event, visible_event
from meetings.registrations import repository as registrations
from meetings.registrations.models import Registration, RegistrationStatus
from meetings.texts import local
from plaza_contracts import uuid7
from plaza_kit.client_registry import RegistryClient
from plaza_kit.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnprocessableError,
    violated_constraint,
)
from plaza_kit.identity import Principal

ROOM_OVERLAP = "ex_agenda_session_room_overlap"
SLOT_OVERLAP = "ex_slot_overlap"
SLOT_START_TAKEN = "uq_slot_event_id_starts_at"
SESSION_FULL = "ck_agenda_session_within_capacity"


def _check_times(event: Event, kind: SessionKind, starts_at: datetime, ends_at: datetime) -> None:
    """Within the event; a B2B block lasts a whole number of the event's slots."""
    if ends_at <= starts_at:
        raise UnprocessableError("ends_at must be after starts_at")
    if starts_at < event.starts_at or ends_at > event.ends_at:
        start, end = local(event.starts_at, event.time_zone), local(event.ends_at, event.time_zone)
        raise UnprocessableError(
            f"a session must lie within the event, {start.isoformat()} to {end.isoformat()}"
        )
    if kind == SessionKind.B2B_BLOCK:
        step = timedelta(minutes=event.slot_minutes)
        if (ends_at - starts_at) % step:
            minutes = int((ends_at - starts_at).total_seconds() // 60)
            raise UnprocessableError(
                f"a B2B block lasts a whole number of {event.slot_minutes}-minute slots;"
                f" {minutes} minutes is not"
            )


async def _checked_speakers(registry: RegistryClient, speakers: Sequence[Speaker]) -> list[dict[str, Any]]:
    """The speakers as stored; their companies checked against the registry (a merged id: the survivor)."""
    asked = [speaker.company_id for speaker in speakers if speaker.company_id is not None]
    resolved = {}
    if asked:
        lookup = await registry.company_refs(asked)
        if lookup.unknown:
            unknown = ", ".join(str(company) for company in lookup.unknown)
            raise UnprocessableError(f"speakers: the registry knows no company {unknown}")
        resolved = lookup.resolved()
    return [
        {
            "company_id": str(resolved[speaker.company_id].id) if speaker.company_id is not None else None,
            "name": {"ko": speaker.name.ko, "ja": speaker.name.ja, "en": speaker.name.en},
            "title": speaker.title,
        }
        for speaker in speakers
    ]


async def _locked(session: AsyncSession, event: Event, principal: Principal) -> Event:
    """The event again, locked for update and as it is now (for changes of the slot grid)."""
    event_id = event.id
    session.expire(event)
    return await organised_event(session, event_id, principal, for_update=True)


async def _session_of(
    session: AsyncSession, event: Event, session_id: uuid.UUID, *, for_update: bool = False
) -> AgendaSession:
    row = await repository.get(session, event.id, session_id, for_update=for_update)
    if row is None:
        raise NotFoundError(f"no session {session_id} at event {event.id}")
    return row


async def _flush_session(session: AsyncSession, room: str | None) -> None:
    """Flush, turning the agenda's constraints into 409 problems."""
    try:
        await session.flush()
    except IntegrityError as error:
        name = violated_constraint(error)
        if name == ROOM_OVERLAP:
            raise ConflictError(f"room {room} is taken then: another session there overlaps") from error
        if name == SESSION_FULL:
            raise ConflictError("session full: no place is left") from error
        raise


async def _cut_slots(session: AsyncSession, event: Event, block: AgendaSession) -> list[Slot]:
    """Cut a B2B block into slots of the event's length; attendances of overlapping sessions claim them."""
    step = timedelta(minutes=event.slot_minutes)
    count = (block.ends_at - block.starts_at) // step
    slots = [
        Slot(
            id=uuid7(),
            event_id=event.id,
            session_id=block.id,
            starts_at=block.starts_at + number * step,
            ends_at=block.starts_at + (number + 1) * step,
        )
        for number in range(count)
    ]
    session.add_all(slots)
    try:
        await session.flush()
    except IntegrityError as error:
        if violated_constraint(error) in (SLOT_OVERLAP, SLOT_START_TAKEN):
            raise ConflictError(
                "the B2B block overlaps another B2B block (the slots of an event never overlap)"
            ) from error
        raise
    await _claim_new_slots(session, event.id, slots)
    return slots


async def _claim_new_slots(session: AsyncSession, event_id: uuid.UUID, slots: Sequence[Slot]) -> None:
    """People attending sessions that overlap new slots become busy in them."""
    if not slots:
        return
    starts_at, ends_at = slots[0].starts_at, slots[-1].ends_at
    for attendance, attended in await repository.attendances_overlapping(
        session, event_id, starts_at, ends_at
    ):
        claims = [
            Claim(slot.id, ResourceKind.PERSON, attendance.registration_id)
            for slot in slots
            if slot.starts_at < attended.ends_at and slot.ends_at > attended.starts_at
        ]
        holder = Holder(session_id=attendance.session_id, attendee_id=attendance.registration_id)
        taken = await bookings.try_claim(session, event_id, claims, holder)
        if taken:
            # Nothing else can hold a slot made in this transaction: another session the person attends
            # overlaps the same new slot and claimed it first. They are busy then either way.
            held = {item.claim for item in taken}
            rest = [claim for claim in claims if claim not in held]
            if rest and (lost := await bookings.try_claim(session, event_id, rest, holder)):
                raise slot_taken(lost, reveal=True)  # slot-grid changes are the organisers' own


async def _claim_for(
    session: AsyncSession,
    event_id: uuid.UUID,
    row: AgendaSession,
    registration_id: uuid.UUID,
    *,
    reveal: bool = True,
) -> None:
    """The person attending `row` claims every slot it overlaps; a taken one is the 409 naming it (and,
    for organisers — `reveal` — what holds it)."""
    slots = await repository.slots_overlapping(session, event_id, row.starts_at, row.ends_at)
    claims = [Claim(slot.id, ResourceKind.PERSON, registration_id) for slot in slots]
    holder = Holder(session_id=row.id, attendee_id=registration_id)
    taken = await bookings.try_claim(session, event_id, claims, holder)
    if taken:
        raise slot_taken(taken, roles={registration_id: "person"}, reveal=reveal)


async def create_session(
    session: AsyncSession,
    registry: RegistryClient,
    event_id: uuid.UUID,
    data: SessionCreate,
    principal: Principal,
) -> tuple[Event, AgendaSession]:
    """A new session of an event the caller organises; a B2B block gets its slots."""
    event = await organised_event(session, event_id, principal)
    _check_times(event, data.kind, data.starts_at, data.ends_at)
    speakers = await _checked_speakers(registry, data.speakers)  # before any lock and any write
    event = await _locked(session, event, principal)
    _check_times(event, data.kind, data.starts_at, data.ends_at)
    now = datetime.now(UTC)
    row = AgendaSession(
        id=uuid7(),
        event_id=event.id,
        kind=str(data.kind),
        title_ko=data.title.ko,
        title_ja=data.title.ja,
        title_en=data.title.en,
        room=data.room,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        capacity=data.capacity,
        attendee_count=0,
        speakers=speakers,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await _flush_session(session, data.room)
    if data.kind == SessionKind.B2B_BLOCK:
        await _cut_slots(session, event, row)
    return event, row


async def list_sessions(
    session: AsyncSession,
    event_id: uuid.UUID,
    principal: Principal,
    *,
    kind: SessionKind | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> tuple[Event, Sequence[AgendaSession]]:
    """The agenda of an event the caller may see, in start order."""
    event = await visible_event(session, event_id, principal)
    return event, await repository.page(session, event.id, kind=kind, after=after, limit=limit)


async def get_session(
    session: AsyncSession, event_id: uuid.UUID, session_id: uuid.UUID, principal: Principal
) -> tuple[Event, AgendaSession]:
    """One session of an event the caller may see."""
    event = await visible_event(session, event_id, principal)
    return event, await _session_of(session, event, session_id)


async def update_session(
    session: AsyncSession,
    registry: RegistryClient,
    event_id: uuid.UUID,
    session_id: uuid.UUID,
    patch: SessionUpdate,
    principal: Principal,
) -> tuple[Event, AgendaSession]:
    """Change some fields of a session (merge patch).

    New times (or a new kind) of a B2B block cut its slots again, refused with a 409 while a meeting, a
    request or a blocked slot holds one of them; attendances are claimed again for the new times.
    """
    event = await organised_event(session, event_id, principal)
    unlocked = await _session_of(session, event, session_id)
    speakers = await _checked_speakers(registry, patch.speakers) if patch.speakers is not None else None
    session.expire(unlocked)  # read again under the lock, as it is now
    event = await _locked(session, event, principal)
    row = await _session_of(session, event, session_id, for_update=True)
    fields = patch.model_fields_set
    kind = patch.kind or SessionKind(row.kind)
    starts_at, ends_at = patch.starts_at or row.starts_at, patch.ends_at or row.ends_at
    _check_times(event, kind, starts_at, ends_at)
    capacity = patch.capacity if "capacity" in fields else row.capacity
    if capacity is not None and capacity < row.attendee_count:
        raise ConflictError(f"capacity: {row.attendee_count} people attend already")
    was_block = row.kind == SessionKind.B2B_BLOCK
    if kind == SessionKind.B2B_BLOCK and not was_block and row.attendee_count:
        raise ConflictError("people attend this session; remove them before making it a B2B block")
    regrid = (kind, starts_at, ends_at) != (SessionKind(row.kind), row.starts_at, row.ends_at)
    if regrid and was_block:
        slot_ids = await repository.slot_ids_of_block(session, row.id)
        if await repository.booked_by_meetings(session, slot_ids) or await repository.has_blocked_slots(
            session, slot_ids
        ):
            raise ConflictError(
                "the B2B block's slots hold meetings, requests or blocked slots; its times cannot change"
            )
        await repository.delete_slots(session, slot_ids)
    if patch.title is not None:
        row.title_ko, row.title_ja, row.title_en = patch.title.ko, patch.title.ja, patch.title.en
    if "room" in fields:
        row.room = patch.room
    if speakers is not None:
        row.speakers = speakers
    row.kind, row.starts_at, row.ends_at, row.capacity = str(kind), starts_at, ends_at, capacity
    row.updated_at = datetime.now(UTC)
    await _flush_session(session, row.room)
    if regrid and kind == SessionKind.B2B_BLOCK:
        await _cut_slots(session, event, row)
    elif regrid and row.attendee_count:
        for attendance in await repository.attendances_of(session, row.id):
            await bookings.release(session, Holder(session_id=row.id, attendee_id=attendance.registration_id))
            await _claim_for(session, event.id, row, attendance.registration_id)
    return event, row


async def delete_session(
    session: AsyncSession, event_id: uuid.UUID, session_id: uuid.UUID, principal: Principal
) -> None:
    """Delete a session with its attendances; a B2B block with its slots, unless meetings are in them."""
    event = await organised_event(session, event_id, principal, for_update=True)
    row = await _session_of(session, event, session_id, for_update=True)
    if row.kind == SessionKind.B2B_BLOCK:
        slot_ids = await repository.slot_ids_of_block(session, row.id)
        if await repository.booked_by_meetings(session, slot_ids):
            raise ConflictError(
                "meetings are booked in (or requests propose) this B2B block's slots; cancel them first"
            )
    await session.delete(row)
    await session.flush()


async def slot_grid(
    session: AsyncSession, event_id: uuid.UUID, principal: Principal
) -> tuple[Event, Sequence[Slot]]:
    """The event's B2B slots in time order."""
    event = await visible_event(session, event_id, principal)
    return event, await repository.slots_of_event(session, event.id)


async def add_attendee(
    session: AsyncSession,
    event_id: uuid.UUID,
    session_id: uuid.UUID,
    data: AttendanceCreate,
    principal: Principal,
) -> tuple[SessionAttendance, Registration, bool]:
    """A person of the caller's company (organisers: anyone's) attends a session: counted within its
    capacity and busy for the B2B slots it overlaps. Returns the attendance, and whether it is new."""
    event = await visible_event(session, event_id, principal)
    await repository.lock_event_shared(session, event.id)
    row = await _session_of(session, event, session_id, for_update=True)
    if row.kind == SessionKind.B2B_BLOCK:
        raise UnprocessableError("a B2B block is not attended: book meetings in its slots instead")
    registration = await registrations.get(session, event.id, data.registration_id)
    if not is_organiser(principal, event) and (
        registration is None or not acts_for(principal, registration.company_id)
    ):
        # The same answer whether the person is unknown or of another company: nothing is probed.
        raise ForbiddenError("you may add people of your own company only")
    if registration is None:
        raise UnprocessableError(f"registration_id: no registration {data.registration_id} at this event")
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ConflictError(f"the registration is {registration.status}; only confirmed people attend")
    existing = await repository.attendance(session, row.id, registration.id)
    if existing is not None:
        return existing, registration, False
    if row.capacity is not None and row.attendee_count >= row.capacity:
        raise ConflictError(f"session full: all {row.capacity} places are taken")
    row.attendee_count += 1
    attendance = SessionAttendance(
        session_id=row.id, registration_id=registration.id, created_at=datetime.now(UTC)
    )
    session.add(attendance)
    await _flush_session(session, row.room)
    await _claim_for(session, event.id, row, registration.id, reveal=is_organiser(principal, event))
    return attendance, registration, True


async def remove_attendee(
    session: AsyncSession,
    event_id: uuid.UUID,
    session_id: uuid.UUID,
    registration_id: uuid.UUID,
    principal: Principal,
) -> None:
    """The person no longer attends (their slot claims go with the attendance); idempotent."""
    event = await visible_event(session, event_id, principal)
    await repository.lock_event_shared(session, event.id)
    row = await _session_of(session, event, session_id, for_update=True)
    registration = await registrations.get(session, event.id, registration_id)
    if registration is None or not sees_company(principal, event, registration.company_id):
        raise NotFoundError(f"no registration {registration_id} of yours at event {event.id}")
    attendance = await repository.attendance(session, row.id, registration_id)
    if attendance is None:
        return  # not attending (any more): what was asked for, so a retry is harmless
    await session.delete(attendance)
    row.attendee_count -= 1
    await session.flush()


async def list_attendees(
    session: AsyncSession,
    event_id: uuid.UUID,
    session_id: uuid.UUID,
    principal: Principal,
    *,
    after_id: uuid.UUID | None,
    limit: int,
) -> Sequence[tuple[SessionAttendance, Registration]]:
    """Organisers: everyone attending; a company: its own people (others' attendance is private)."""
    event = await visible_event(session, event_id, principal)
    row = await _session_of(session, event, session_id)
    return await repository.attendees_page(
        session,
        row.id,
        company_id=principal.organisation_id,
        everything=is_organiser(principal, event),
        after_id=after_id,
        limit=limit,
    )
