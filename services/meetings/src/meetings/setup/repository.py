"""Statements of the B2B set-up: tables, interpreters, blocked slots, company quotas. No commits here.

Uniqueness (a table name per event, one fixed table per company, one interpreter per registration) and the
quota cap (`booked <= quota`) are PostgreSQL constraints: writes here raise `IntegrityError` and the service
turns the constraint's name into a 409. Statements that the service must survive (to say *why* it failed)
run in a savepoint.
"""

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.agenda.models import Slot
from meetings.bookings.models import CompanyQuota, Meeting, MeetingStatus, ResourceKind, SlotClaim
from meetings.registrations.models import Registration
from meetings.setup.models import (
    BlockedSlot,
    BlockedSlotView,
    Interpreter,
    InterpreterWithPerson,
    MeetingTable,
)

# Constraint names the service maps to problems.
TABLE_NAME_TAKEN = "uq_b2b_table_event_id_name"
COMPANY_HAS_TABLE = "uq_b2b_table_event_id_company_id"
ALREADY_INTERPRETER = "uq_interpreter_registration_id"
TABLE_IN_MEETINGS = "fk_meeting_table_id_b2b_table"
INTERPRETER_IN_MEETINGS = "fk_meeting_interpreter_id_interpreter"
WITHIN_QUOTA = "ck_company_quota_within_quota"


async def flush(session: AsyncSession) -> None:
    """Write pending changes now, so that a violated constraint raises `IntegrityError` here."""
    await session.flush()


# --- tables ---------------------------------------------------------------------------------------------


async def tables_page(
    session: AsyncSession, event_id: uuid.UUID, *, after_id: uuid.UUID | None, limit: int
) -> Sequence[MeetingTable]:
    """Up to `limit` tables of the event in id order after `after_id`."""
    query = (
        select(MeetingTable).where(MeetingTable.event_id == event_id).order_by(MeetingTable.id).limit(limit)
    )
    if after_id is not None:
        query = query.where(MeetingTable.id > after_id)
    return (await session.scalars(query)).all()


async def get_table(session: AsyncSession, event_id: uuid.UUID, table_id: uuid.UUID) -> MeetingTable | None:
    """The table, if it is one of the event's."""
    query = select(MeetingTable).where(MeetingTable.id == table_id, MeetingTable.event_id == event_id)
    return (await session.scalars(query)).first()


async def live_meetings_at_table(session: AsyncSession, table_id: uuid.UUID) -> int:
    """How many meetings that are not cancelled take place at the table."""
    query = select(func.count()).where(
        Meeting.table_id == table_id, Meeting.status != MeetingStatus.CANCELLED
    )
    return int(await session.scalar(query) or 0)


async def claims_of_table(session: AsyncSession, event_id: uuid.UUID, table_id: uuid.UUID) -> int:
    """In how many slots the table is held (by a meeting or a pending request)."""
    query = select(func.count()).where(
        SlotClaim.event_id == event_id,
        SlotClaim.resource_kind == str(ResourceKind.TABLE),
        SlotClaim.resource_id == table_id,
    )
    return int(await session.scalar(query) or 0)


async def delete_table(session: AsyncSession, table_id: uuid.UUID) -> None:
    """Delete the table in a savepoint; cancelled meetings forget it first. A live meeting still at the table
    makes the foreign key refuse (`IntegrityError` naming `TABLE_IN_MEETINGS`), and the session stays usable.
    """
    async with session.begin_nested():
        await session.execute(
            update(Meeting)
            .where(Meeting.table_id == table_id, Meeting.status == MeetingStatus.CANCELLED)
            .values(table_id=None)
        )
        await session.execute(delete(MeetingTable).where(MeetingTable.id == table_id))


# --- interpreters ---------------------------------------------------------------------------------------


def _interpreters() -> Select[Interpreter, Registration]:
    return select(Interpreter, Registration).join(
        Registration, Registration.id == Interpreter.registration_id
    )


async def interpreters_page(
    session: AsyncSession, event_id: uuid.UUID, *, after_id: uuid.UUID | None, limit: int
) -> list[InterpreterWithPerson]:
    """Up to `limit` interpreters of the event with their people, in id order after `after_id`."""
    query = _interpreters().where(Interpreter.event_id == event_id).order_by(Interpreter.id).limit(limit)
    if after_id is not None:
        query = query.where(Interpreter.id > after_id)
    return [InterpreterWithPerson(*row) for row in (await session.execute(query))]


async def get_interpreter(
    session: AsyncSession, event_id: uuid.UUID, interpreter_id: uuid.UUID
) -> InterpreterWithPerson | None:
    """The interpreter with their person, if they are one of the event's."""
    query = _interpreters().where(Interpreter.id == interpreter_id, Interpreter.event_id == event_id)
    row = (await session.execute(query)).first()
    return InterpreterWithPerson(*row) if row is not None else None


async def live_meetings_of_interpreter(session: AsyncSession, interpreter_id: uuid.UUID) -> int:
    """How many meetings that are not cancelled the interpreter is booked for."""
    query = select(func.count()).where(
        Meeting.interpreter_id == interpreter_id, Meeting.status != MeetingStatus.CANCELLED
    )
    return int(await session.scalar(query) or 0)


async def delete_interpreter(session: AsyncSession, interpreter_id: uuid.UUID) -> None:
    """Delete the interpreter in a savepoint; cancelled meetings forget them first. A live meeting makes the
    foreign key refuse (`IntegrityError` naming `INTERPRETER_IN_MEETINGS`)."""
    async with session.begin_nested():
        await session.execute(
            update(Meeting)
            .where(Meeting.interpreter_id == interpreter_id, Meeting.status == MeetingStatus.CANCELLED)
            .values(interpreter_id=None)
        )
        await session.execute(delete(Interpreter).where(Interpreter.id == interpreter_id))


async def interpreter_of(session: AsyncSession, registration_id: uuid.UUID) -> Interpreter | None:
    """The interpreter record of a registration, if the person interprets."""
    query = select(Interpreter).where(Interpreter.registration_id == registration_id)
    return (await session.scalars(query)).first()


# --- registrations and slots of the event ---------------------------------------------------------------


async def get_registration(
    session: AsyncSession, event_id: uuid.UUID, registration_id: uuid.UUID
) -> Registration | None:
    """The registration, if it is one of the event's."""
    query = select(Registration).where(Registration.id == registration_id, Registration.event_id == event_id)
    return (await session.scalars(query)).first()


async def slots_of(
    session: AsyncSession, event_id: uuid.UUID, slot_ids: Iterable[uuid.UUID]
) -> Sequence[Slot]:
    """The event's slots among `slot_ids`, in time order (ids of other events' slots are left out)."""
    ids = list(set(slot_ids))
    if not ids:
        return []
    query = select(Slot).where(Slot.event_id == event_id, Slot.id.in_(ids)).order_by(Slot.starts_at)
    return (await session.scalars(query)).all()


# --- blocked slots --------------------------------------------------------------------------------------


async def blocked_page(
    session: AsyncSession,
    event_id: uuid.UUID,
    *,
    viewer_company_id: uuid.UUID | None,
    everything: bool,
    registration_id: uuid.UUID | None,
    company_id: uuid.UUID | None,
    slot_id: uuid.UUID | None,
    after_id: uuid.UUID | None,
    limit: int,
) -> list[BlockedSlotView]:
    """Up to `limit` blocked slots of the event in id order after `after_id`, with their slots' times.

    Unless `everything`, a person's block is listed only to the person's own company (`viewer_company_id`);
    companies' blocks are listed to everyone. `company_id` selects a company's blocks and its people's.
    """
    query = (
        select(BlockedSlot, Slot.starts_at, Slot.ends_at, Registration.company_id)
        .join(Slot, Slot.id == BlockedSlot.slot_id)
        .outerjoin(Registration, Registration.id == BlockedSlot.registration_id)
        .where(BlockedSlot.event_id == event_id)
        .order_by(BlockedSlot.id)
        .limit(limit)
    )
    if not everything:
        own_people = Registration.company_id == viewer_company_id if viewer_company_id is not None else None
        company_block = BlockedSlot.company_id.is_not(None)
        query = query.where(or_(company_block, own_people) if own_people is not None else company_block)
    if registration_id is not None:
        query = query.where(BlockedSlot.registration_id == registration_id)
    if company_id is not None:
        query = query.where(or_(BlockedSlot.company_id == company_id, Registration.company_id == company_id))
    if slot_id is not None:
        query = query.where(BlockedSlot.slot_id == slot_id)
    if after_id is not None:
        query = query.where(BlockedSlot.id > after_id)
    return [BlockedSlotView(*row) for row in (await session.execute(query))]


async def get_blocked(
    session: AsyncSession, event_id: uuid.UUID, blocked_id: uuid.UUID
) -> BlockedSlot | None:
    """The blocked slot, if it is one of the event's."""
    query = select(BlockedSlot).where(BlockedSlot.id == blocked_id, BlockedSlot.event_id == event_id)
    return (await session.scalars(query)).first()


# --- quotas ---------------------------------------------------------------------------------------------


async def set_quota(
    session: AsyncSession, event_id: uuid.UUID, company_id: uuid.UUID, *, quota: int | None, overridden: bool
) -> CompanyQuota:
    """Insert or update the company's quota row in one statement, in a savepoint. A cap below the meetings
    the company has fails the CHECK `WITHIN_QUOTA` (`IntegrityError`) and leaves the session usable."""
    statement = (
        insert(CompanyQuota)
        .values(event_id=event_id, company_id=company_id, quota=quota, overridden=overridden, booked=0)
        .on_conflict_do_update(
            index_elements=[CompanyQuota.event_id, CompanyQuota.company_id],
            set_={"quota": quota, "overridden": overridden},
        )
        .returning(CompanyQuota)
        .execution_options(populate_existing=True)
    )
    async with session.begin_nested():
        row = (await session.scalars(statement)).one()
    return row


async def booked_of(session: AsyncSession, event_id: uuid.UUID, company_id: uuid.UUID) -> int:
    """How many live meetings the company's quota row counts (0 without a row)."""
    query = select(CompanyQuota.booked).where(
        CompanyQuota.event_id == event_id, CompanyQuota.company_id == company_id
    )
    return int(await session.scalar(query) or 0)


async def quotas_page(
    session: AsyncSession, event_id: uuid.UUID, *, after_company_id: uuid.UUID | None, limit: int
) -> Sequence[CompanyQuota]:
    """Up to `limit` quota rows of the event in company id order after `after_company_id`."""
    query = (
        select(CompanyQuota)
        .where(CompanyQuota.event_id == event_id)
        .order_by(CompanyQuota.company_id)
        .limit(limit)
    )
    if after_company_id is not None:
        query = query.where(CompanyQuota.company_id > after_company_id)
    return (await session.scalars(query)).all()
