"""Queries on events; no commits here (the request boundary commits)."""

import uuid
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.events.models import Event, EventStatus


async def get(session: AsyncSession, event_id: uuid.UUID, *, for_update: bool = False) -> Event | None:
    """The event, optionally locked for the rest of the transaction."""
    query = select(Event).where(Event.id == event_id)
    if for_update:
        # populate_existing: a row already in the session is re-read under the lock, not served stale.
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(query)).first()


async def visible_page(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID | None,
    everything: bool,
    status: EventStatus | None,
    after_id: uuid.UUID | None,
    limit: int,
) -> Sequence[Event]:
    """Events in id order: every non-draft event, and the drafts `organisation_id` organises."""
    query = select(Event).order_by(Event.id).limit(limit)
    if not everything:
        own_drafts = Event.organiser_ids.contains([organisation_id]) if organisation_id is not None else None
        visible = Event.status != EventStatus.DRAFT
        query = query.where(or_(visible, own_drafts) if own_drafts is not None else visible)
    if status is not None:
        query = query.where(Event.status == status)
    if after_id is not None:
        query = query.where(Event.id > after_id)
    return (await session.scalars(query)).all()
