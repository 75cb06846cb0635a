"""Queries on registrations; no commits here (the request boundary commits)."""

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.bookings.models import ResourceKind, SlotClaim
from meetings.registrations.models import Registration, RegistrationRole, RegistrationStatus

CODE_ATTEMPTS = 10  # a collision of two random 8-character codes at one event is already unlikely


class CodeCollisionError(RuntimeError):
    """Every check-in code tried was taken at the event (should never happen with random codes)."""


async def get(
    session: AsyncSession, event_id: uuid.UUID, registration_id: uuid.UUID, *, for_update: bool = False
) -> Registration | None:
    """The registration at the event, optionally locked for the rest of the transaction."""
    query = select(Registration).where(Registration.id == registration_id, Registration.event_id == event_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def page(
    session: AsyncSession,
    event_id: uuid.UUID,
    *,
    everything: bool,
    own_company_id: uuid.UUID | None,
    company_id: uuid.UUID | None,
    status: RegistrationStatus | None,
    role: RegistrationRole | None,
    check_in_code: str | None = None,
    code_company_id: uuid.UUID | None = None,
    after_id: uuid.UUID | None,
    limit: int,
) -> Sequence[Registration]:
    """Registrations in id order; unless `everything`, only confirmed ones and those of `own_company_id`.

    `check_in_code` finds the registration with that code, among those of `code_company_id` when given.
    """
    query = (
        select(Registration).where(Registration.event_id == event_id).order_by(Registration.id).limit(limit)
    )
    if not everything:
        confirmed = Registration.status == RegistrationStatus.CONFIRMED
        if own_company_id is None:
            query = query.where(confirmed)
        else:
            query = query.where(or_(confirmed, Registration.company_id == own_company_id))
    if company_id is not None:
        query = query.where(Registration.company_id == company_id)
    if status is not None:
        query = query.where(Registration.status == status)
    if role is not None:
        query = query.where(Registration.role == role)
    if check_in_code is not None:
        query = query.where(Registration.check_in_code == check_in_code)
        if code_company_id is not None:
            query = query.where(Registration.company_id == code_company_id)
    if after_id is not None:
        query = query.where(Registration.id > after_id)
    return (await session.scalars(query)).all()


async def next_waitlist_rank(session: AsyncSession, event_id: uuid.UUID) -> int:
    """The rank after the last waitlisted person (call under the event's row lock, which makes it unique)."""
    query = select(func.coalesce(func.max(Registration.waitlist_rank), 0) + 1).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.WAITLISTED
    )
    return int(await session.scalar(query) or 1)


async def insert_with_code(
    session: AsyncSession, values: dict[str, Any], new_code: Callable[[], str]
) -> Registration:
    """Insert a registration with a fresh check-in code, drawing again when the code is taken at the event
    (the unique constraint decides, so two concurrent registrations cannot get the same code)."""
    for _ in range(CODE_ATTEMPTS):
        statement = (
            insert(Registration)
            .values(**values, check_in_code=new_code())
            .on_conflict_do_nothing(index_elements=["event_id", "check_in_code"])
            .returning(Registration)
        )
        created = (await session.scalars(statement)).first()
        if created is not None:
            return created
    raise CodeCollisionError(f"no free check-in code after {CODE_ATTEMPTS} attempts")


async def first_waitlisted(
    session: AsyncSession, event_id: uuid.UUID, limit: int | None
) -> Sequence[Registration]:
    """The waiting list in order (lowest rank first), locked; `limit` None: all of it."""
    query = (
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.waitlist_rank, Registration.id)
        .with_for_update()
    )
    if limit is not None:
        query = query.limit(limit)
    return (await session.scalars(query)).all()


async def release_blocked_slots(session: AsyncSession, registration_id: uuid.UUID) -> None:
    """Drop the person's claims held by blocked slots (their breaks); the blocked slots themselves stay."""
    await session.execute(
        delete(SlotClaim).where(
            SlotClaim.resource_kind == str(ResourceKind.PERSON),
            SlotClaim.resource_id == registration_id,
            SlotClaim.blocked_slot_id.is_not(None),
        )
    )
