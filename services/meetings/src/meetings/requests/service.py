"""Meeting request use cases: ask, answer, withdraw, find a slot, accept into a slot.

Expiry needs no cron job: reads compute the effective status; every write here first marks the event's
requests past `expires_at` expired (releasing the slots they held) within its transaction; and wherever a
slot is claimed or read as busy, the holds of requests past their expiry count as free
(`bookings.repository`), so no path depends on a sweep having run.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.access import acts_for, is_organiser, sees_any
from meetings.bookings import repository as bookings_repository
from meetings.bookings import service as bookings
from meetings.bookings.availability import Placement, SlotInfo, needs_interpreter
from meetings.bookings.errors import slot_taken
from meetings.bookings.models import Claim, Holder, Meeting, ResourceKind
from meetings.bookings.schemas import MeetingBook
from meetings.events.models import Event
from meetings.events.rules import accepts_requests, is_finished
from meetings.events.service import organised_event, visible_event
from meetings.requests import repository
from meetings.requests.models import MeetingRequest, RequestStatus, RequestView, effective_status
from meetings.requests.schemas import RequestAccept, RequestCreate
from plaza_contracts import uuid7
from plaza_kit.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnprocessableError,
    violated_constraint,
)
from plaza_kit.identity import Principal


async def _sweep(session: AsyncSession, event_id: uuid.UUID, now: datetime) -> None:
    expired = await repository.sweep_expired(session, event_id, now)
    await bookings_repository.release_requests(session, expired)


async def view(session: AsyncSession, request: MeetingRequest, now: datetime | None = None) -> RequestView:
    """The request with the names and meeting its API shape shows."""
    names = await bookings_repository.company_names(
        session, request.event_id, [request.requester_company_id, request.requested_company_id]
    )
    meeting = (await repository.meetings_of(session, [request.id])).get(request.id)
    return RequestView(request, names, meeting, now or datetime.now(UTC))


def _writable(event: Event, principal: Principal) -> None:
    if is_finished(event.status):
        raise ConflictError("the event is finished")
    if not accepts_requests(event.status) and not is_organiser(principal, event):
        raise ConflictError(f"the event is {event.status}: meeting requests are not taken now")


async def create_request(
    session: AsyncSession,
    event_id: uuid.UUID,
    data: RequestCreate,
    principal: Principal,
    *,
    request_id: uuid.UUID | None = None,
) -> RequestView:
    """A new request from the requester company (or an organiser on its behalf); `request_id` fixes the id
    (demo data)."""
    event = await visible_event(session, event_id, principal)
    if not (acts_for(principal, data.requester_company_id) or is_organiser(principal, event)):
        raise ForbiddenError("you may send requests for your own company only (organisers for any)")
    _writable(event, principal)
    sides = await bookings.parties(
        session,
        event,
        data.requester_company_id,
        data.requester_people,
        data.requested_company_id,
        data.requested_people,
    )
    now = datetime.now(UTC)
    await _sweep(session, event.id, now)
    request = MeetingRequest(
        id=request_id or uuid7(),
        event_id=event.id,
        requester_company_id=data.requester_company_id,
        requested_company_id=data.requested_company_id,
        requester_people=list(sides.a.people),
        requested_people=list(dict.fromkeys(data.requested_people)),
        purpose=data.purpose,
        message=data.message,
        priority=data.priority,
        proposed_slot_id=data.proposed_slot_id,
        status=RequestStatus.REQUESTED,
        expires_at=now + timedelta(hours=event.request_expiry_hours) if event.request_expiry_hours else None,
        created_by=principal.subject,
        created_by_organisation_id=principal.organisation_id,
        version=1,
        created_at=now,
        updated_at=now,
    )
    await _insert(session, event, request)
    if data.proposed_slot_id is not None:
        await _hold(session, event, request, sides, reveal=is_organiser(principal, event))
    return await view(session, request, now)


async def _insert(session: AsyncSession, event: Event, request: MeetingRequest) -> None:
    if await bookings_repository.meeting_of_pair(
        session, event.id, request.requester_company_id, request.requested_company_id
    ):
        raise ConflictError("these two companies already have a meeting at this event")
    if request.proposed_slot_id is not None and not await bookings_repository.slot_of(
        session, event.id, request.proposed_slot_id
    ):
        raise UnprocessableError(f"proposed_slot_id: no slot {request.proposed_slot_id} at this event")
    savepoint = await session.begin_nested()
    session.add(request)
    try:
        await session.flush()
    except IntegrityError as error:
        await savepoint.rollback()
        if violated_constraint(error) != "uq_meeting_request_open_pair":
            raise
        existing = await repository.open_between(
            session, event.id, request.requester_company_id, request.requested_company_id
        )
        raise ConflictError(
            "an open request between these two companies exists already",
            extensions={"open_request_id": str(existing.id) if existing else None},
        ) from None
    await savepoint.commit()


async def _hold(
    session: AsyncSession, event: Event, request: MeetingRequest, sides: bookings.Parties, *, reveal: bool
) -> None:
    """Hold the proposed slot for both sides' people and companies while the request is open."""
    assert request.proposed_slot_id is not None
    slot = await bookings_repository.slot_of(session, event.id, request.proposed_slot_id)
    if slot is None:
        raise UnprocessableError(f"proposed_slot_id: no slot {request.proposed_slot_id} at this event")
    people = [*sides.a.people, *(request.requested_people or [])]
    claims = [Claim(slot.id, ResourceKind.PERSON, person) for person in people]
    claims += [Claim(slot.id, ResourceKind.COMPANY, company) for company in sides.companies]
    taken = await bookings_repository.try_claim(session, event.id, claims, Holder(request_id=request.id))
    if taken:
        known = await bookings.facts(session, event, sides, None)
        after = SlotInfo(slot.id, slot.starts_at, slot.ends_at)
        raise slot_taken(taken, next_free_slots=bookings.next_free(known, sides, after, event), reveal=reveal)


async def visible_request(
    session: AsyncSession,
    event_id: uuid.UUID,
    request_id: uuid.UUID,
    principal: Principal,
    *,
    for_update: bool = False,
) -> tuple[MeetingRequest, Event]:
    """A request the caller may see (its two companies, the organisers); 404 otherwise."""
    event = await visible_event(session, event_id, principal)
    request = await repository.get(session, event.id, request_id, for_update=for_update)
    if request is None or not sees_any(
        principal, event, (request.requester_company_id, request.requested_company_id)
    ):
        raise NotFoundError(f"no request {request_id} at event {event_id}")
    return request, event


async def list_requests(
    session: AsyncSession,
    event_id: uuid.UUID,
    principal: Principal,
    *,
    company_id: uuid.UUID | None,
    direction: str | None,
    status: RequestStatus | None,
    after_id: uuid.UUID | None,
    limit: int,
) -> list[RequestView]:
    """The requests the caller may see: all for organisers, its own company's otherwise."""
    event = await visible_event(session, event_id, principal)
    if is_organiser(principal, event):
        companies: Sequence[uuid.UUID] | None = [company_id] if company_id else None
    elif principal.organisation_id is not None and company_id in (None, principal.organisation_id):
        companies = [principal.organisation_id]
    else:
        return []
    now = datetime.now(UTC)
    rows = await repository.page(
        session,
        event.id,
        company_ids=companies,
        direction=direction,
        status=status,
        now=now,
        after_id=after_id,
        limit=limit,
    )
    ids = [row.id for row in rows]
    meetings = await repository.meetings_of(session, ids)
    names = await bookings_repository.company_names(
        session, event.id, [c for row in rows for c in (row.requester_company_id, row.requested_company_id)]
    )
    return [RequestView(row, names, meetings.get(row.id), now) for row in rows]


async def _open_for_answer(
    session: AsyncSession, event_id: uuid.UUID, request_id: uuid.UUID, principal: Principal, side: str
) -> tuple[MeetingRequest, Event, datetime]:
    """The request locked, open, and answerable by the caller (`side`: requester or requested)."""
    now = datetime.now(UTC)
    await _sweep(session, event_id, now)  # before this request's lock: sweeps never wait on answers
    request, event = await visible_request(session, event_id, request_id, principal, for_update=True)
    company = request.requested_company_id if side == "requested" else request.requester_company_id
    if not (acts_for(principal, company) or is_organiser(principal, event)):
        action = "answer" if side == "requested" else "withdraw"
        raise ForbiddenError(f"only the {side} company (or an organiser) may {action} this request")
    _writable(event, principal)
    status = effective_status(request, now)
    if status != RequestStatus.REQUESTED:
        raise ConflictError(f"the request is {status}", extensions={"request_status": str(status)})
    return request, event, now


async def decline(
    session: AsyncSession, event_id: uuid.UUID, request_id: uuid.UUID, principal: Principal, note: str | None
) -> RequestView:
    """The requested company says no; the held slot is free again."""
    return await _close(session, event_id, request_id, principal, note, RequestStatus.DECLINED, "requested")


async def withdraw(
    session: AsyncSession, event_id: uuid.UUID, request_id: uuid.UUID, principal: Principal, note: str | None
) -> RequestView:
    """The requester takes its request back; the held slot is free again."""
    return await _close(session, event_id, request_id, principal, note, RequestStatus.WITHDRAWN, "requester")


async def _close(
    session: AsyncSession,
    event_id: uuid.UUID,
    request_id: uuid.UUID,
    principal: Principal,
    note: str | None,
    status: RequestStatus,
    side: str,
) -> RequestView:
    request, _, now = await _open_for_answer(session, event_id, request_id, principal, side)
    await bookings_repository.release(session, Holder(request_id=request.id))
    request.status, request.answer_note, request.answered_at = status, note, now
    request.version += 1
    request.updated_at = now
    await session.flush()
    return await view(session, request, now)


async def accept(
    session: AsyncSession,
    event_id: uuid.UUID,
    request_id: uuid.UUID,
    principal: Principal,
    answer: RequestAccept,
    *,
    meeting_id: uuid.UUID | None = None,
) -> tuple[RequestView, Meeting | None]:
    """Accept; with a slot (given, or the one the request holds) book the meeting in the same transaction:
    it either is booked with its table and interpreter, or nothing changes and the answer is a 409."""
    request, event, now = await _open_for_answer(session, event_id, request_id, principal, "requested")
    organiser = is_organiser(principal, event)
    if (answer.table_id or answer.interpreter_id) and not organiser:
        raise ForbiddenError("only organisers choose the table or the interpreter")
    if answer.requested_people is not None:
        request.requested_people = list(dict.fromkeys(answer.requested_people))
    slot_id = answer.slot_id or request.proposed_slot_id
    meeting = None
    if slot_id is not None:
        meeting = await book_request(
            session,
            event,
            request,
            slot_id,
            principal,
            table_id=answer.table_id,
            interpreter_id=answer.interpreter_id,
            meeting_id=meeting_id,
        )
    request.status, request.answered_at = RequestStatus.ACCEPTED, now
    request.version += 1
    request.updated_at = now
    await session.flush()
    return await view(session, request, now), meeting


async def book_request(
    session: AsyncSession,
    event: Event,
    request: MeetingRequest,
    slot_id: uuid.UUID,
    principal: Principal,
    *,
    table_id: uuid.UUID | None = None,
    interpreter_id: uuid.UUID | None = None,
    meeting_id: uuid.UUID | None = None,
) -> Meeting:
    """Book a request's meeting in `slot_id`: its hold is released and the meeting claims the slot."""
    sides = await bookings.parties(
        session,
        event,
        request.requester_company_id,
        request.requester_people,
        request.requested_company_id,
        request.requested_people,
    )
    request.requested_people = list(sides.b.people)
    return await bookings.book(
        session,
        event,
        sides,
        slot_id,
        purpose=request.purpose,
        priority=request.priority,
        booked_by=principal.subject,
        request_id=request.id,
        table_id=table_id,
        interpreter_id=interpreter_id,
        meeting_id=meeting_id,
        release=Holder(request_id=request.id),  # the request's own hold gives way to the meeting
        reveal=is_organiser(principal, event),
    )


async def schedule_accepted(
    session: AsyncSession,
    event: Event,
    request_id: uuid.UUID,
    slot_id: uuid.UUID,
    principal: Principal,
    *,
    table_id: uuid.UUID | None,
    interpreter_id: uuid.UUID | None,
) -> Meeting:
    """Organisers book a request (accepting it if still open, or an accepted one not yet booked)."""
    _writable(event, principal)
    now = datetime.now(UTC)
    await _sweep(session, event.id, now)  # before the request's lock, as every answer does
    request = await repository.get(session, event.id, request_id, for_update=True)
    if request is None:
        raise UnprocessableError(f"request_id: no request {request_id} at this event")
    status = effective_status(request, now)
    if status not in (RequestStatus.REQUESTED, RequestStatus.ACCEPTED):
        raise ConflictError(f"the request is {status}", extensions={"request_status": str(status)})
    if (await repository.meetings_of(session, [request.id])).get(request.id):
        raise ConflictError("this request is booked already")
    meeting = await book_request(
        session, event, request, slot_id, principal, table_id=table_id, interpreter_id=interpreter_id
    )
    if status == RequestStatus.REQUESTED:
        request.status, request.answered_at = RequestStatus.ACCEPTED, now
    request.version += 1
    request.updated_at = now
    await session.flush()
    return meeting


async def available_slots(
    session: AsyncSession, event_id: uuid.UUID, request_id: uuid.UUID, principal: Principal
) -> tuple[Event, bool, list[Placement]]:
    """Where the request's meeting could go now (its own hold does not count against it)."""
    request, event = await visible_request(session, event_id, request_id, principal)
    sides = await bookings.parties(
        session,
        event,
        request.requester_company_id,
        request.requester_people,
        request.requested_company_id,
        request.requested_people,
    )
    placements = await bookings.available(session, event, sides, Holder(request_id=request.id))
    return event, needs_interpreter(sides.a, sides.b), placements


async def book_for_organiser(
    session: AsyncSession, body: MeetingBook, principal: Principal
) -> tuple[Meeting, Event]:
    """An organiser's booking: of a request (accepting it if still open), or directly between two
    registered companies."""
    if body.request_id is not None:
        request = await repository.get_by_id(session, body.request_id)
        if request is None:
            raise UnprocessableError(f"request_id: no request {body.request_id}")
        event = await organised_event(session, request.event_id, principal)
        meeting = await schedule_accepted(
            session,
            event,
            request.id,
            body.slot_id,
            principal,
            table_id=body.table_id,
            interpreter_id=body.interpreter_id,
        )
        return meeting, event
    if body.event_id is None or body.company_a_id is None or body.company_b_id is None:
        raise UnprocessableError("give request_id, or event_id with company_a_id and company_b_id")
    event = await organised_event(session, body.event_id, principal)
    _writable(event, principal)
    sides = await bookings.parties(
        session, event, body.company_a_id, body.people_a, body.company_b_id, body.people_b
    )
    meeting = await bookings.book(
        session,
        event,
        sides,
        body.slot_id,
        purpose=body.purpose,
        priority=body.priority,
        booked_by=principal.subject,
        table_id=body.table_id,
        interpreter_id=body.interpreter_id,
    )
    return meeting, event


async def drop_person(session: AsyncSession, event: Event, registration_id: uuid.UUID) -> None:
    """A person's registration was cancelled: requests naming them forget them (and their hold); one whose
    requester side has nobody left is withdrawn, its held slot freed."""
    now = datetime.now(UTC)
    for request in await repository.open_naming(session, event.id, registration_id):
        holder = Holder(request_id=request.id)
        requesters = [p for p in request.requester_people if p != registration_id]
        request.requested_people = [p for p in request.requested_people if p != registration_id]
        if requesters:
            request.requester_people = requesters
        if not requesters:  # withdrawn as it was: a request always names who asked
            await bookings_repository.release(session, holder)
            request.status, request.answered_at = RequestStatus.WITHDRAWN, now
            request.answer_note = "the requesting participant's registration was cancelled"
        else:
            await bookings_repository.release_person(session, holder, registration_id)
        request.version += 1
        request.updated_at = now
    await session.flush()
