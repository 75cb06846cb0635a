"""The waiting list: free places go to the waitlisted people in rank order.

A module of its own (it imports no other use cases) so that the events package may call it too, e.g. when an
organiser raises an event's capacity, without an import cycle through `registrations.service`.
"""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from meetings.events.models import Event
from meetings.registrations import repository
from meetings.registrations.models import Registration, RegistrationStatus


async def promote_waitlisted(session: AsyncSession, event: Event) -> list[Registration]:
    """Confirm as many of the waiting list, in rank order, as the event has room for.

    The caller holds the event's row lock (so `confirmed_count` is current and nobody else promotes).
    """
    room = None if event.capacity is None else event.capacity - event.confirmed_count
    if room is not None and room <= 0:
        return []
    promoted = list(await repository.first_waitlisted(session, event.id, room))
    now = datetime.now(UTC)
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.waitlist_rank = None
        registration.version += 1
        registration.updated_at = now
    event.confirmed_count += len(promoted)
    await session.flush()
    return promoted
