"""B2B set-up use cases: the rules for tables, interpreters, blocked slots and company quotas.

Writes are for the event's organisers (`organised_event`); reads for everyone who sees the event, except a
person's blocked slots, which only the organisers and the person's own company see. A finished event keeps
its set-up as it was. Double booking is refused by PostgreSQL: a blocked slot *claims* its person or company
in the slot (`bookings.repository.try_claim`), exactly as a meeting does.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.access import acts_for, is_organiser
from meetings.bookings import repository as bookings
from meetings.bookings.errors import slot_taken
from meetings.bookings.models import Claim, CompanyQuota, Holder, ResourceKind, TakenClaim
from meetings.events.models import Event
from meetings.events.rules import is_finished
from meetings.events.service import organised_event, visible_event
from meetings.registrations.models import Registration, RegistrationRole, RegistrationStatus
from meetings.setup import repository
from meetings.setup.models import (
    BlockedSlot,
    BlockedSlotView,
    Interpreter,
    InterpreterWithPerson,
    MeetingTable,
)
from meetings.setup.schemas import (
    BlockedSlotCreate,
    InterpreterCreate,
    InterpreterUpdate,
    QuotaSet,
    TableCreate,
    TableUpdate,
)
from plaza_kit.client_registry import RegistryClient
from plaza_kit.errors import ConflictError, NotFoundError, UnprocessableError, violated_constraint
from plaza_kit.identity import Principal


async def _set_up_event(
    session: AsyncSession, event_id: uuid.UUID, principal: Principal, **lock: bool
) -> Event:
    """The event, if the caller organises it and it is not finished."""
    event = await organised_event(session, event_id, principal, **lock)
    if is_finished(event.status):
        raise ConflictError("the event is finished: its B2B set-up is kept as it was")
    return event


async def _registry_company(registry: RegistryClient, company_id: uuid.UUID) -> uuid.UUID:
    """The company's id as the registry has it now (the survivor when it was merged); unknown → 422."""
    ref = await registry.company_ref(company_id)
    if ref is None:
        raise UnprocessableError(f"company_id: the registry knows no company {company_id}")
    return ref.id


# --- tables ---------------------------------------------------------------------------------------------


def _table_conflict(error: IntegrityError, name: str, company_id: uuid.UUID | None) -> ConflictError | None:
    constraint = violated_constraint(error)
    if constraint == repository.TABLE_NAME_TAKEN:
        return ConflictError(f"name: the event has a table named {name!r} already")
    if constraint == repository.COMPANY_HAS_TABLE:
        return ConflictError(f"company_id: company {company_id} has a fixed table at this event already")
    return None


async def create_table(
    session: AsyncSession,
    registry: RegistryClient,
    event_id: uuid.UUID,
    data: TableCreate,
    principal: Principal,
) -> MeetingTable:
    """A new table, floating or fixed to a registry company."""
    event = await _set_up_event(session, event_id, principal)
    company_id = await _registry_company(registry, data.company_id) if data.company_id is not None else None
    table = MeetingTable(
        event_id=event.id, name=data.name, company_id=company_id, created_at=datetime.now(UTC)
    )
    session.add(table)
    try:
        await repository.flush(session)
    except IntegrityError as error:
        conflict = _table_conflict(error, data.name, company_id)
        if conflict is None:
            raise
        raise conflict from error
    return table


async def list_tables(
    session: AsyncSession,
    event_id: uuid.UUID,
    principal: Principal,
    *,
    after_id: uuid.UUID | None,
    limit: int,
) -> list[MeetingTable]:
    """The event's tables in id order."""
    event = await visible_event(session, event_id, principal)
    return list(await repository.tables_page(session, event.id, after_id=after_id, limit=limit))


async def _table(session: AsyncSession, event: Event, table_id: uuid.UUID) -> MeetingTable:
    table = await repository.get_table(session, event.id, table_id)
    if table is None:
        raise NotFoundError(f"no table {table_id} at event {event.id}")
    return table


async def get_table(
    session: AsyncSession, event_id: uuid.UUID, table_id: uuid.UUID, principal: Principal
) -> MeetingTable:
    """One table of an event the caller sees."""
    return await _table(session, await visible_event(session, event_id, principal), table_id)


async def update_table(
    session: AsyncSession,
    registry: RegistryClient,
    event_id: uuid.UUID,
    table_id: uuid.UUID,
    patch: TableUpdate,
    principal: Principal,
) -> MeetingTable:
    """Rename a table or change the company fixed to it (not while it has live meetings)."""
    event = await _set_up_event(session, event_id, principal)
    table = await _table(session, event, table_id)
    fields = patch.model_fields_set
    if "name" in fields:
        if patch.name is None:
            raise UnprocessableError("name cannot be null")
        table.name = patch.name
    if "company_id" in fields:
        company_id = (
            await _registry_company(registry, patch.company_id) if patch.company_id is not None else None
        )
        if company_id != table.company_id:
            meetings = await repository.live_meetings_at_table(session, table.id)
            if meetings:
                raise ConflictError(
                    f"company_id: table {table.name!r} has {meetings} meetings booked; move or cancel them "
                    "before fixing it to another company",
                    extensions={"meetings": meetings},
                )
            table.company_id = company_id
    name, company_id = table.name, table.company_id  # a failed flush expires the row: keep what to report
    try:
        await repository.flush(session)
    except IntegrityError as error:
        conflict = _table_conflict(error, name, company_id)
        if conflict is None:
            raise
        raise conflict from error
    return table


async def delete_table(
    session: AsyncSession, event_id: uuid.UUID, table_id: uuid.UUID, principal: Principal
) -> None:
    """Delete a table no live meeting or pending request holds (its interpreters return to the pool)."""
    event = await _set_up_event(session, event_id, principal)
    table = await _table(session, event, table_id)
    held = await repository.claims_of_table(session, event.id, table.id)
    if held:
        raise ConflictError(
            f"table {table.name!r} is held in {held} slots by meetings or requests; "
            "move or cancel them first",
            extensions={"slots": held},
        )
    try:
        await repository.delete_table(session, table.id)
    except IntegrityError as error:
        if violated_constraint(error) != repository.TABLE_IN_MEETINGS:
            raise
        meetings = await repository.live_meetings_at_table(session, table.id)
        raise ConflictError(
            f"table {table.name!r} is used by {meetings} live meetings; move or cancel them first",
            extensions={"meetings": meetings},
        ) from error


# --- interpreters ---------------------------------------------------------------------------------------


async def _table_of_event(
    session: AsyncSession, event: Event, table_id: uuid.UUID | None
) -> uuid.UUID | None:
    if table_id is not None and await repository.get_table(session, event.id, table_id) is None:
        raise UnprocessableError(f"table_id: no table {table_id} at event {event.id}")
    return table_id


async def create_interpreter(
    session: AsyncSession, event_id: uuid.UUID, data: InterpreterCreate, principal: Principal
) -> InterpreterWithPerson:
    """Make a registered person an interpreter; their registration's role becomes `interpreter`."""
    event = await _set_up_event(session, event_id, principal)
    person = await repository.get_registration(session, event.id, data.registration_id)
    if person is None:
        raise UnprocessableError(
            f"registration_id: no registration {data.registration_id} at event {event.id}"
        )
    if person.status == RegistrationStatus.CANCELLED:
        raise UnprocessableError(f"registration_id: registration {person.id} is cancelled")
    now = datetime.now(UTC)
    interpreter = Interpreter(
        event_id=event.id,
        registration_id=person.id,
        language_pairs=list(dict.fromkeys(data.language_pairs)),
        table_id=await _table_of_event(session, event, data.table_id),
        created_at=now,
    )
    session.add(interpreter)
    if person.role != RegistrationRole.INTERPRETER:
        person.role = RegistrationRole.INTERPRETER
        person.version += 1
        person.updated_at = now
    try:
        await repository.flush(session)
    except IntegrityError as error:
        if violated_constraint(error) == repository.ALREADY_INTERPRETER:
            raise ConflictError(
                f"registration_id: registration {data.registration_id} is an interpreter already"
            ) from error
        raise
    return InterpreterWithPerson(interpreter, person)


async def list_interpreters(
    session: AsyncSession,
    event_id: uuid.UUID,
    principal: Principal,
    *,
    after_id: uuid.UUID | None,
    limit: int,
) -> list[InterpreterWithPerson]:
    """The event's interpreters in id order."""
    event = await visible_event(session, event_id, principal)
    return await repository.interpreters_page(session, event.id, after_id=after_id, limit=limit)


async def _interpreter(
    session: AsyncSession, event: Event, interpreter_id: uuid.UUID
) -> InterpreterWithPerson:
    found = await repository.get_interpreter(session, event.id, interpreter_id)
    if found is None:
        raise NotFoundError(f"no interpreter {interpreter_id} at event {event.id}")
    return found


async def get_interpreter(
    session: AsyncSession, event_id: uuid.UUID, interpreter_id: uuid.UUID, principal: Principal
) -> InterpreterWithPerson:
    """One interpreter of an event the caller sees."""
    return await _interpreter(session, await visible_event(session, event_id, principal), interpreter_id)


async def update_interpreter(
    session: AsyncSession,
    event_id: uuid.UUID,
    interpreter_id: uuid.UUID,
    patch: InterpreterUpdate,
    principal: Principal,
) -> InterpreterWithPerson:
    """Change an interpreter's language pairs or table (booked meetings keep the interpreter they have)."""
    event = await _set_up_event(session, event_id, principal)
    found = await _interpreter(session, event, interpreter_id)
    fields = patch.model_fields_set
    if "language_pairs" in fields:
        if patch.language_pairs is None:
            raise UnprocessableError("language_pairs cannot be null")
        found.interpreter.language_pairs = list(dict.fromkeys(patch.language_pairs))
    if "table_id" in fields:
        found.interpreter.table_id = await _table_of_event(session, event, patch.table_id)
    await repository.flush(session)
    return found


async def delete_interpreter(
    session: AsyncSession, event_id: uuid.UUID, interpreter_id: uuid.UUID, principal: Principal
) -> None:
    """Stop a person interpreting (not while they are booked for a live meeting); the registration stays."""
    event = await _set_up_event(session, event_id, principal)
    found = await _interpreter(session, event, interpreter_id)
    try:
        await repository.delete_interpreter(session, found.interpreter.id)
    except IntegrityError as error:
        if violated_constraint(error) != repository.INTERPRETER_IN_MEETINGS:
            raise
        meetings = await repository.live_meetings_of_interpreter(session, found.interpreter.id)
        raise ConflictError(
            f"interpreter {found.interpreter.id} is booked for {meetings} live meetings; "
            "give them another interpreter or cancel them first",
            extensions={"meetings": meetings},
        ) from error


# --- blocked slots --------------------------------------------------------------------------------------


async def _blocked_person(session: AsyncSession, event: Event, registration_id: uuid.UUID) -> Registration:
    person = await repository.get_registration(session, event.id, registration_id)
    if person is None:
        raise UnprocessableError(f"registration_id: no registration {registration_id} at event {event.id}")
    if person.status == RegistrationStatus.CANCELLED:
        raise UnprocessableError(f"registration_id: registration {person.id} is cancelled")
    return person


async def block_slots(
    session: AsyncSession,
    registry: RegistryClient,
    event_id: uuid.UUID,
    data: BlockedSlotCreate,
    principal: Principal,
) -> tuple[Event, list[BlockedSlotView]]:
    """Block every slot asked for, for one person or one company, or none of them: each block claims its
    subject in its slot, and a subject already held there (a meeting, a request, a session, another block)
    is a 409 naming every taken resource."""
    event = await _set_up_event(session, event_id, principal)
    asked = data.slots()
    slots = await repository.slots_of(session, event.id, asked)
    missing = set(asked) - {slot.id for slot in slots}
    if missing:
        names = ", ".join(str(slot_id) for slot_id in asked if slot_id in missing)
        raise UnprocessableError(f"slot_ids: no slot {names} at event {event.id}")
    person_company: uuid.UUID | None = None
    if data.registration_id is not None:
        person = await _blocked_person(session, event, data.registration_id)
        kind, subject, role = ResourceKind.PERSON, person.id, "person"
        person_company = person.company_id
        if await repository.interpreter_of(session, person.id) is not None:
            role = "interpreter"
        registration_id, company_id = person.id, None
    else:
        assert data.company_id is not None
        kind, role = ResourceKind.COMPANY, "company"
        subject = await _registry_company(registry, data.company_id)
        registration_id, company_id = None, subject
    now = datetime.now(UTC)
    blocks = [
        BlockedSlot(
            event_id=event.id,
            slot_id=slot.id,
            registration_id=registration_id,
            company_id=company_id,
            reason=data.reason,
            created_at=now,
        )
        for slot in slots
    ]
    session.add_all(blocks)
    await repository.flush(session)
    taken: list[TakenClaim] = []
    for block in blocks:
        claim = Claim(block.slot_id, kind, subject)
        taken += await bookings.try_claim(session, event.id, [claim], Holder(blocked_slot_id=block.id))
    if taken:
        raise slot_taken(
            taken, roles={subject: role}, reveal=True
        )  # the request rolls back every block it made
    views = [
        BlockedSlotView(block, slot.starts_at, slot.ends_at, person_company)
        for block, slot in zip(blocks, slots, strict=True)
    ]
    return event, views


async def list_blocked(
    session: AsyncSession,
    event_id: uuid.UUID,
    principal: Principal,
    *,
    registration_id: uuid.UUID | None,
    company_id: uuid.UUID | None,
    slot_id: uuid.UUID | None,
    after_id: uuid.UUID | None,
    limit: int,
) -> tuple[Event, list[BlockedSlotView]]:
    """The event's blocked slots the caller may see: companies' blocks, and people's blocks for the
    organisers and the people's own companies. Asking for a person one may not see is a 404."""
    event = await visible_event(session, event_id, principal)
    organiser = is_organiser(principal, event)
    if registration_id is not None:
        person = await repository.get_registration(session, event.id, registration_id)
        if person is None or not (organiser or acts_for(principal, person.company_id)):
            raise NotFoundError(f"no registration {registration_id} at event {event.id}")
    rows = await repository.blocked_page(
        session,
        event.id,
        viewer_company_id=principal.organisation_id,
        everything=organiser,
        registration_id=registration_id,
        company_id=company_id,
        slot_id=slot_id,
        after_id=after_id,
        limit=limit,
    )
    return event, rows


async def unblock(
    session: AsyncSession, event_id: uuid.UUID, blocked_id: uuid.UUID, principal: Principal
) -> None:
    """Delete a blocked slot; its claim goes with it (the foreign key cascades), freeing the slot."""
    event = await _set_up_event(session, event_id, principal)
    blocked = await repository.get_blocked(session, event.id, blocked_id)
    if blocked is None:
        raise NotFoundError(f"no blocked slot {blocked_id} at event {event.id}")
    await session.delete(blocked)
    await repository.flush(session)


# --- quotas ---------------------------------------------------------------------------------------------


async def set_quota(
    session: AsyncSession,
    registry: RegistryClient,
    event_id: uuid.UUID,
    company_id: uuid.UUID,
    data: QuotaSet,
    principal: Principal,
) -> CompanyQuota:
    """Set a company's own cap, or (null) make it follow the event's default again. The event row is locked
    so that a concurrent change of the default cannot be missed; a cap below the meetings the company has is
    refused by the CHECK on `company_quota`, and answered 409."""
    event = await _set_up_event(session, event_id, principal, for_update=True)
    company = await _registry_company(registry, company_id)
    overridden = data.max_meetings is not None
    quota = data.max_meetings if overridden else event.default_quota
    try:
        return await repository.set_quota(session, event.id, company, quota=quota, overridden=overridden)
    except IntegrityError as error:
        if violated_constraint(error) != repository.WITHIN_QUOTA:
            raise
        booked = await repository.booked_of(session, event.id, company)
        raise ConflictError(
            f"max_meetings: company {company} already has {booked} meetings; cancel some before lowering its "
            f"quota to {quota}",
            extensions={"booked": booked},
        ) from error


async def list_quotas(
    session: AsyncSession,
    event_id: uuid.UUID,
    principal: Principal,
    *,
    after_company_id: uuid.UUID | None,
    limit: int,
) -> list[CompanyQuota]:
    """Every company with a quota row at the event (set by an organiser, or made by its first booking)."""
    event = await visible_event(session, event_id, principal)
    return list(
        await repository.quotas_page(session, event.id, after_company_id=after_company_id, limit=limit)
    )
