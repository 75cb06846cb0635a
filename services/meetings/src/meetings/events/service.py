"""Event use cases: create, read what the caller may see, change, move through the life cycle.

Other packages start from `visible_event` (404 for a draft the caller does not organise) or
`organised_event` (403 for a visible event the caller does not organise), which lock the row on request:
writes that must be serialised per event (capacity, the waiting list) lock it first.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from meetings.access import can_see_event, require_organiser
from meetings.bookings import repository as bookings
from meetings.events import repository
from meetings.events.models import Event, EventStatus
from meetings.events.rules import allowed_after
from meetings.events.schemas import EventCreate, EventUpdate
from meetings.registrations.waitlist import promote_waitlisted
from plaza_kit.client_registry import RegistryClient
from plaza_kit.concurrency import ensure_matches
from plaza_kit.errors import ConflictError, NotFoundError, UnprocessableError
from plaza_kit.identity import Principal


async def _checked_organisers(
    registry: RegistryClient, principal: Principal, asked: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """The caller's organisation first, then the others asked for, each checked against the registry."""
    own = [principal.organisation_id] if principal.organisation_id is not None else []
    others = [organisation for organisation in dict.fromkeys(asked) if organisation not in own]
    if others:
        lookup = await registry.organisation_refs(others)
        if lookup.unknown:
            unknown = ", ".join(str(organisation) for organisation in lookup.unknown)
            raise UnprocessableError(f"organiser_ids: the registry knows no organisation {unknown}")
        resolved = lookup.resolved()
        others = list(dict.fromkeys(resolved[organisation].id for organisation in others))
    organisers = own + [organisation for organisation in others if organisation not in own]
    if not organisers:
        raise UnprocessableError("organiser_ids: an event needs at least one organising organisation")
    return organisers


async def create_event(
    session: AsyncSession, registry: RegistryClient, data: EventCreate, principal: Principal
) -> Event:
    """A new draft event organised by the caller's organisation and the ones it names."""
    organisers = await _checked_organisers(registry, principal, data.organiser_ids)
    now = datetime.now(UTC)
    event = Event(
        title_ko=data.title.ko,
        title_ja=data.title.ja,
        title_en=data.title.en,
        venue_name=data.venue.name,
        venue_address=data.venue.address,
        time_zone=data.time_zone,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        capacity=data.capacity,
        confirmed_count=0,
        languages=list(dict.fromkeys(data.languages)),
        status=EventStatus.DRAFT,
        slot_minutes=data.b2b.slot_minutes,
        request_expiry_hours=data.b2b.request_expiry_hours,
        meeting_rule=data.b2b.meeting_rule,
        default_quota=data.b2b.default_quota,
        organiser_ids=organisers,
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(event)
    await session.flush()
    return event


async def visible_event(
    session: AsyncSession, event_id: uuid.UUID, principal: Principal, *, for_update: bool = False
) -> Event:
    """The event if the caller may see it; a draft of other organisers is a 404 like a missing one."""
    event = await repository.get(session, event_id, for_update=for_update)
    if event is None or not can_see_event(principal, event):
        raise NotFoundError(f"no event with id {event_id}")
    return event


async def organised_event(
    session: AsyncSession, event_id: uuid.UUID, principal: Principal, *, for_update: bool = False
) -> Event:
    """The event if the caller organises it (403 when they only see it, 404 when they do not)."""
    event = await visible_event(session, event_id, principal, for_update=for_update)
    require_organiser(principal, event)
    return event


async def list_events(
    session: AsyncSession,
    principal: Principal,
    *,
    status: EventStatus | None,
    after_id: uuid.UUID | None,
    limit: int,
) -> Sequence[Event]:
    """The events the caller may see, in id order."""
    return await repository.visible_page(
        session,
        organisation_id=principal.organisation_id,
        everything=principal.is_admin,
        status=status,
        after_id=after_id,
        limit=limit,
    )


async def update_event(
    session: AsyncSession,
    registry: RegistryClient,
    event_id: uuid.UUID,
    patch: EventUpdate,
    principal: Principal,
    if_match: str | None,
) -> Event:
    """Change some fields of an event the caller organises (merge patch, `If-Match` checked under lock)."""
    event = await organised_event(session, event_id, principal, for_update=True)
    ensure_matches(if_match, event.version, "event")
    fields = patch.model_fields_set
    if patch.title is not None:
        event.title_ko, event.title_ja, event.title_en = patch.title.ko, patch.title.ja, patch.title.en
    if patch.venue is not None:
        event.venue_name, event.venue_address = patch.venue.name, patch.venue.address
    if patch.time_zone is not None:
        event.time_zone = patch.time_zone
    if patch.starts_at is not None:
        event.starts_at = patch.starts_at
    if patch.ends_at is not None:
        event.ends_at = patch.ends_at
    if event.ends_at <= event.starts_at:
        raise UnprocessableError("ends_at must be after starts_at")
    if "capacity" in fields:
        if patch.capacity is not None and patch.capacity < event.confirmed_count:
            raise ConflictError(
                f"capacity: {event.confirmed_count} registrations are confirmed already; cancel some first"
            )
        event.capacity = patch.capacity
        await promote_waitlisted(session, event)  # more room: the waiting list moves up, in order
    if patch.languages is not None:
        event.languages = list(dict.fromkeys(patch.languages))
    if patch.organiser_ids is not None:
        event.organiser_ids = await _organisers_after_change(registry, principal, event, patch.organiser_ids)
    if patch.b2b is not None:
        await _apply_b2b(session, event, patch)
    event.version += 1
    event.updated_at = datetime.now(UTC)
    await session.flush()
    return event


async def _organisers_after_change(
    registry: RegistryClient, principal: Principal, event: Event, asked: list[uuid.UUID]
) -> list[uuid.UUID]:
    kept = [organisation for organisation in asked if organisation in event.organiser_ids]
    added = [organisation for organisation in asked if organisation not in event.organiser_ids]
    checked = await _checked_organisers(registry, principal, added) if added else []
    organisers = list(dict.fromkeys([*kept, *checked]))
    if not principal.is_admin and principal.organisation_id not in organisers:
        raise UnprocessableError("organiser_ids: you cannot remove your own organisation")
    return organisers


async def _apply_b2b(session: AsyncSession, event: Event, patch: EventUpdate) -> None:
    assert patch.b2b is not None
    b2b = patch.b2b.model_fields_set
    if "slot_minutes" in b2b and patch.b2b.slot_minutes != event.slot_minutes:
        if patch.b2b.slot_minutes is None:
            raise UnprocessableError("b2b.slot_minutes cannot be null")
        if await bookings.event_has_slots(session, event.id):
            raise ConflictError("b2b.slot_minutes: the slot grid exists already; delete the B2B blocks first")
        event.slot_minutes = patch.b2b.slot_minutes
    if "request_expiry_hours" in b2b:
        event.request_expiry_hours = patch.b2b.request_expiry_hours
    if "meeting_rule" in b2b:
        if patch.b2b.meeting_rule is None:
            raise UnprocessableError("b2b.meeting_rule cannot be null")
        event.meeting_rule = patch.b2b.meeting_rule
    if "default_quota" in b2b:
        over = await bookings.apply_default_quota(session, event.id, patch.b2b.default_quota)
        if over is not None:
            raise ConflictError(
                f"b2b.default_quota: company {over} already has more meetings than {patch.b2b.default_quota}",
                extensions={"company_id": over},
            )
        event.default_quota = patch.b2b.default_quota


async def change_status(
    session: AsyncSession, event_id: uuid.UUID, status: EventStatus, principal: Principal
) -> Event:
    """Move the event along its life cycle; any other move is a 422 naming the allowed ones."""
    event = await organised_event(session, event_id, principal, for_update=True)
    if status == event.status:
        return event
    allowed = allowed_after(event.status)
    if status not in allowed:
        names = ", ".join(allowed) if allowed else "none (the event is finished)"
        raise UnprocessableError(
            f"an event that is {event.status} cannot become {status}; allowed: {names}",
            extensions={"allowed": [str(next_status) for next_status in allowed]},
        )
    event.status = status
    event.version += 1
    event.updated_at = datetime.now(UTC)
    await session.flush()
    return event
