"""Queries on meeting requests; no commits here."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.bookings.models import Meeting
from meetings.requests.models import MeetingRequest, RequestStatus


async def sweep_expired(session: AsyncSession, event_id: uuid.UUID, now: datetime) -> list[uuid.UUID]:
    """Mark the event's open requests past their expiry as expired; their ids (their holds must go).

    Rows another transaction holds are skipped (`SKIP LOCKED`, in id order): that transaction is acting on
    the request itself and sees it expired, so two sweeps never wait on each other.
    """
    stale = (
        select(MeetingRequest.id)
        .where(
            MeetingRequest.event_id == event_id,
            MeetingRequest.status == RequestStatus.REQUESTED,
            MeetingRequest.expires_at <= now,
        )
        .order_by(MeetingRequest.id)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(MeetingRequest)
        .where(MeetingRequest.id.in_(stale.scalar_subquery()))
        .values(status=RequestStatus.EXPIRED, updated_at=now)
        .returning(MeetingRequest.id)
        .execution_options(synchronize_session=False)
    )
    return list(await session.scalars(statement))


async def get(
    session: AsyncSession, event_id: uuid.UUID, request_id: uuid.UUID, *, for_update: bool = False
) -> MeetingRequest | None:
    """A request of the event, optionally locked."""
    query = select(MeetingRequest).where(MeetingRequest.id == request_id, MeetingRequest.event_id == event_id)
    if for_update:
        # populate_existing: a row already in the session is re-read under the lock, not served stale.
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(query)).first()


async def open_between(
    session: AsyncSession, event_id: uuid.UUID, a: uuid.UUID, b: uuid.UUID
) -> MeetingRequest | None:
    """The open request between two companies, either way round."""
    query = select(MeetingRequest).where(
        MeetingRequest.event_id == event_id,
        MeetingRequest.status == RequestStatus.REQUESTED,
        or_(
            and_(MeetingRequest.requester_company_id == a, MeetingRequest.requested_company_id == b),
            and_(MeetingRequest.requester_company_id == b, MeetingRequest.requested_company_id == a),
        ),
    )
    return (await session.scalars(query)).first()


async def page(
    session: AsyncSession,
    event_id: uuid.UUID,
    *,
    company_ids: Sequence[uuid.UUID] | None,
    direction: str | None,
    status: RequestStatus | None,
    now: datetime,
    after_id: uuid.UUID | None,
    limit: int,
) -> Sequence[MeetingRequest]:
    """Requests of the event in id order; `company_ids` limits them to those companies' (sent, received or
    both by `direction`); `status` is the effective one (an open request past expiry is expired)."""
    query = select(MeetingRequest).where(MeetingRequest.event_id == event_id).order_by(MeetingRequest.id)
    if company_ids is not None:
        sent = MeetingRequest.requester_company_id.in_(company_ids)
        received = MeetingRequest.requested_company_id.in_(company_ids)
        query = query.where(
            sent if direction == "sent" else received if direction == "received" else or_(sent, received)
        )
    if status is not None:
        live = and_(
            MeetingRequest.status == RequestStatus.REQUESTED,
            or_(MeetingRequest.expires_at.is_(None), MeetingRequest.expires_at > now),
        )
        if status == RequestStatus.REQUESTED:
            query = query.where(live)
        elif status == RequestStatus.EXPIRED:
            query = query.where(
                or_(
                    MeetingRequest.status == RequestStatus.EXPIRED,
                    and_(MeetingRequest.status == RequestStatus.REQUESTED, MeetingRequest.expires_at <= now),
                )
            )
        else:
            query = query.where(MeetingRequest.status == status)
    if after_id is not None:
        query = query.where(MeetingRequest.id > after_id)
    return (await session.scalars(query.limit(limit))).all()


async def meetings_of(session: AsyncSession, request_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """Request id → the meeting booked from it."""
    if not request_ids:
        return {}
    query = select(Meeting.request_id, Meeting.id).where(Meeting.request_id.in_(list(request_ids)))
    return {row[0]: row[1] for row in await session.execute(query) if row[0] is not None}


async def get_by_id(session: AsyncSession, request_id: uuid.UUID) -> MeetingRequest | None:
    """A request by id, whatever its event."""
    return await session.get(MeetingRequest, request_id)


async def open_naming(
    session: AsyncSession, event_id: uuid.UUID, registration_id: uuid.UUID
) -> Sequence[MeetingRequest]:
    """The open requests that name a person on either side, locked, in id order."""
    query = (
        select(MeetingRequest)
        .where(
            MeetingRequest.event_id == event_id,
            MeetingRequest.status == RequestStatus.REQUESTED,
            or_(
                MeetingRequest.requester_people.contains([registration_id]),
                MeetingRequest.requested_people.contains([registration_id]),
            ),
        )
        .order_by(MeetingRequest.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(query)).all()
