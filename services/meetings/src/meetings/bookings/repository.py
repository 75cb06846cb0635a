"""Statements of the booking guarantee: claims, meetings, quotas. No commits here.

Claims are made with `INSERT … ON CONFLICT DO NOTHING RETURNING` inside a savepoint: a claim another
transaction holds (committed, or committed while we waited on its row) is simply not returned, and the
savepoint is rolled back so that nothing of a half-made booking stays. Claims are inserted in one fixed
order (slot, kind, resource) so that two bookings that want the same resources cannot deadlock.
"""

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, exists, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.agenda.models import Slot
from meetings.bookings.models import Claim, CompanyQuota, Holder, ResourceKind, SlotClaim, TakenClaim


async def try_claim(
    session: AsyncSession, event_id: uuid.UUID, claims: Iterable[Claim], holder: Holder
) -> list[TakenClaim]:
    """Make every claim for `holder`, or none: the taken ones (with their holders) when any is taken."""
    wanted = sorted(set(claims))
    if not wanted:
        return []
    rows = [
        {
            "slot_id": claim.slot_id,
            "resource_kind": str(claim.kind),
            "resource_id": claim.resource_id,
            "event_id": event_id,
            **holder._asdict(),
        }
        for claim in wanted
    ]
    savepoint = await session.begin_nested()
    statement = (
        insert(SlotClaim)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["slot_id", "resource_kind", "resource_id"])
        .returning(SlotClaim.slot_id, SlotClaim.resource_kind, SlotClaim.resource_id)
    )
    made = {Claim(row[0], ResourceKind(row[1]), row[2]) for row in await session.execute(statement)}
    missing = [claim for claim in wanted if claim not in made]
    if not missing:
        await savepoint.commit()
        return []
    await savepoint.rollback()
    return await holders_of(session, missing)


async def holders_of(session: AsyncSession, claims: Sequence[Claim]) -> list[TakenClaim]:
    """What holds each of `claims` now (a claim released meanwhile is reported with an empty holder)."""
    keys = [(claim.slot_id, str(claim.kind), claim.resource_id) for claim in claims]
    query = select(SlotClaim).where(
        tuple_(SlotClaim.slot_id, SlotClaim.resource_kind, SlotClaim.resource_id).in_(keys)
    )
    found = {
        Claim(row.slot_id, ResourceKind(row.resource_kind), row.resource_id): Holder(
            row.meeting_id, row.request_id, row.session_id, row.attendee_id, row.blocked_slot_id
        )
        for row in await session.scalars(query)
    }
    return [TakenClaim(claim, found.get(claim, Holder())) for claim in claims]


async def release(session: AsyncSession, holder: Holder) -> None:
    """Drop every claim of `holder` (give either a meeting, a request or a blocked slot)."""
    query = delete(SlotClaim)
    if holder.meeting_id is not None:
        query = query.where(SlotClaim.meeting_id == holder.meeting_id)
    elif holder.request_id is not None:
        query = query.where(SlotClaim.request_id == holder.request_id)
    elif holder.blocked_slot_id is not None:
        query = query.where(SlotClaim.blocked_slot_id == holder.blocked_slot_id)
    elif holder.session_id is not None and holder.attendee_id is not None:
        query = query.where(
            SlotClaim.session_id == holder.session_id, SlotClaim.attendee_id == holder.attendee_id
        )
    else:
        raise ValueError("release() needs a holder")
    await session.execute(query)


async def claimed(
    session: AsyncSession, event_id: uuid.UUID, kind: ResourceKind, resource_ids: Iterable[uuid.UUID]
) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """(slot, resource) pairs of `resource_ids` claimed at the event."""
    ids = list(set(resource_ids))
    if not ids:
        return set()
    query = select(SlotClaim.slot_id, SlotClaim.resource_id).where(
        SlotClaim.event_id == event_id,
        SlotClaim.resource_kind == str(kind),
        SlotClaim.resource_id.in_(ids),
    )
    return {(row[0], row[1]) for row in await session.execute(query)}


async def event_has_slots(session: AsyncSession, event_id: uuid.UUID) -> bool:
    """Whether the event's slot grid exists."""
    return bool(await session.scalar(select(exists().where(Slot.event_id == event_id))))


async def apply_default_quota(session: AsyncSession, event_id: uuid.UUID, quota: int | None) -> None:
    """Every company whose quota follows the event's default gets the new default (a company already over
    it makes the CHECK fail: the caller answers 409)."""
    await session.execute(
        update(CompanyQuota)
        .where(CompanyQuota.event_id == event_id, CompanyQuota.overridden.is_(False))
        .values(quota=quota)
    )
