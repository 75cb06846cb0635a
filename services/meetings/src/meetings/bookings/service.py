"""Booking: put a meeting in a slot with a table and an interpreter, move it, cancel it, record what came
of it.

The database decides every race. A booking reads what looks free (to choose a table and an interpreter and
to offer alternatives), then *claims* the slot for every person, both companies and the table in one
statement (`repository.try_claim`); whatever another transaction claimed first is refused by the primary
key of `slot_claim`, and the loser gets a 409 naming the taken resources and the next free slots. Nothing
here checks a slot and then writes on the strength of that check.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.access import acts_for, is_organiser, reads_everything, sees_any
from meetings.bookings import repository
from meetings.bookings.availability import (
    Busy,
    InterpreterInfo,
    Placement,
    Side,
    SlotInfo,
    TableInfo,
    free_placements,
    needs_interpreter,
    placements_in,
)
from meetings.bookings.errors import slot_taken
from meetings.bookings.models import (
    Claim,
    Holder,
    Meeting,
    MeetingFeedback,
    MeetingOutcome,
    MeetingStatus,
    MeetingView,
    ResourceKind,
    TakenClaim,
)
from meetings.bookings.rules import CANCELLABLE, MEETING_TRANSITIONS, MOVABLE, may_meet
from meetings.bookings.schemas import FeedbackWrite, OutcomeWrite
from meetings.events.models import Event
from meetings.events.rules import is_finished
from meetings.events.service import visible_event
from meetings.registrations.models import Registration
from meetings.texts import best_text, local
from plaza_contracts import uuid7
from plaza_kit.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UnprocessableError,
    violated_constraint,
)
from plaza_kit.identity import Principal

NEXT_FREE_OFFERED = 3


class ResourceShortageError(ConflictError):
    """The parties are free but no table, or no interpreter, is free in that slot."""

    slug, title = "resource-shortage", "No table or interpreter free"


class QuotaExceededError(ConflictError):
    """A company has as many meetings as its quota allows."""

    slug, title = "quota-exceeded", "Meeting quota reached"


@dataclass(frozen=True)
class Facts:
    """What a booking decision reads: the grid, the tables, the interpreters and what is taken."""

    slots: list[SlotInfo]
    tables: list[TableInfo]
    interpreters: list[InterpreterInfo]
    busy: Busy
    any_tables: bool  # whether the event has tables at all (with none, meetings need none)


@dataclass(frozen=True)
class Parties:
    """The two sides of a meeting, as checked against the event's registrations."""

    a: Side
    b: Side
    country_a: str
    country_b: str

    @property
    def companies(self) -> tuple[uuid.UUID, uuid.UUID]:
        """Both company ids."""
        return self.a.company_id, self.b.company_id


def _side(company_id: uuid.UUID, people: Sequence[Registration]) -> Side:
    languages = frozenset(language for person in people for language in person.languages)
    return Side(company_id, tuple(person.id for person in people), languages)


async def parties(
    session: AsyncSession,
    event: Event,
    company_a: uuid.UUID,
    people_a: Sequence[uuid.UUID],
    company_b: uuid.UUID,
    people_b: Sequence[uuid.UUID],
) -> Parties:
    """Both sides, after checking that every named person is a confirmed registration of their company at
    the event (a side naming nobody brings its confirmed non-interpreter people) and the meeting rule."""
    if company_a == company_b:
        raise UnprocessableError("a company cannot meet itself")
    named = await repository.registrations(session, event.id, [*people_a, *people_b])
    sides: list[tuple[Side, str]] = []
    for company, people, field in ((company_a, people_a, "a"), (company_b, people_b, "b")):
        chosen: list[Registration] = []
        for person in dict.fromkeys(people):
            registration = named.get(person)
            if registration is None or registration.company_id != company:
                raise UnprocessableError(f"people_{field}: {person} is not registered for company {company}")
            if registration.status != "confirmed":
                raise UnprocessableError(f"people_{field}: {person} is {registration.status}, not confirmed")
            chosen.append(registration)
        if not chosen:
            everyone = await repository.company_registrations(session, event.id, company)
            chosen = [person for person in everyone if person.role != "interpreter"]
        if not chosen:
            raise UnprocessableError(f"company {company} has no confirmed registration at this event")
        sides.append((_side(company, chosen), chosen[0].company_country))
    (a, country_a), (b, country_b) = sides
    if not may_meet(event.meeting_rule, country_a, country_b):
        raise UnprocessableError(
            f"at this event only companies of different countries meet ({country_a} and {country_b} do not)",
            extensions={"meeting_rule": event.meeting_rule},
        )
    return Parties(a, b, country_a, country_b)


def _pairs(a: Side, b: Side) -> list[str]:
    """Every language pair (both spellings) that would let an interpreter serve the two sides."""
    return sorted(
        {f"{x}-{y}" for x in a.languages for y in b.languages}
        | {f"{y}-{x}" for x in a.languages for y in b.languages}
    )


def _interpreter(row: repository.InterpreterRow) -> InterpreterInfo:
    interpreter_id, person, ko, ja, en, pairs, table = row
    return InterpreterInfo(interpreter_id, person, best_text(ko, ja, en, "en"), frozenset(pairs), table)


async def facts(
    session: AsyncSession,
    event: Event,
    sides: Parties,
    ignore: Holder | None,
    *,
    table_id: uuid.UUID | None = None,
    interpreter_id: uuid.UUID | None = None,
) -> Facts:
    """What a placement of this pair depends on, and nothing more: the grid, the tables it may use (its
    own and the floating ones, or the one an organiser names), the interpreters who could serve it (when
    the sides share no language), and which of those and of its people and companies are taken."""
    slots = [SlotInfo(*row) for row in await repository.slots_of(session, event.id)]
    rows, any_tables = await repository.tables_for(session, event.id, sides.companies)
    if table_id is not None and all(row[0] != table_id for row in rows):
        named = await repository.table_of(session, event.id, table_id)
        if named is None:
            raise UnprocessableError(f"table_id: no table {table_id} at this event")
        rows.append(named)
    tables = [TableInfo(*row) for row in rows]
    interpreters: list[InterpreterInfo] = []
    if interpreter_id is not None:
        interpreters = [
            _interpreter(row)
            for row in await repository.interpreters_for(session, event.id, interpreter_id=interpreter_id)
        ]
        if not interpreters:
            raise UnprocessableError(f"interpreter_id: no interpreter {interpreter_id} at this event")
    elif needs_interpreter(sides.a, sides.b):
        covering = await repository.interpreters_for(
            session, event.id, pairs=_pairs(sides.a, sides.b), table_ids=[t.id for t in tables]
        )
        interpreters = [_interpreter(row) for row in covering]
    people = [*sides.a.people, *sides.b.people, *(i.registration_id for i in interpreters)]
    busy = Busy(
        people=frozenset(
            await repository.claimed(session, event.id, ResourceKind.PERSON, people, ignore=ignore)
        ),
        companies=frozenset(
            await repository.claimed(session, event.id, ResourceKind.COMPANY, sides.companies, ignore=ignore)
        ),
        tables=frozenset(
            await repository.claimed(
                session, event.id, ResourceKind.TABLE, [t.id for t in tables], ignore=ignore
            )
        ),
    )
    return Facts(slots, tables, interpreters, busy, any_tables)


def describe(placement: Placement, event: Event) -> dict[str, Any]:
    """A placement as the API shows it (times in the event's zone)."""
    return {
        "slot_id": str(placement.slot.id),
        "starts_at": local(placement.slot.starts_at, event.time_zone).isoformat(),
        "ends_at": local(placement.slot.ends_at, event.time_zone).isoformat(),
        "table": {"id": str(placement.table.id), "name": placement.table.name} if placement.table else None,
        "interpreter": (
            {"id": str(placement.interpreter.id), "name": placement.interpreter.name}
            if placement.interpreter
            else None
        ),
    }


def next_free(known: Facts, sides: Parties, after: SlotInfo, event: Event) -> list[dict[str, Any]]:
    """The free slots after `after` (then the earlier ones), as offered with a 409."""
    free = free_placements(
        known.slots,
        sides.a,
        sides.b,
        known.tables,
        known.interpreters,
        known.busy,
        any_tables=known.any_tables,
    )
    later = [p for p in free if p.slot.starts_at > after.starts_at]
    earlier = [p for p in free if p.slot.starts_at < after.starts_at]
    return [describe(p, event) for p in (later + earlier)[:NEXT_FREE_OFFERED]]


async def available(
    session: AsyncSession, event: Event, sides: Parties, ignore: Holder | None
) -> list[Placement]:
    """Every slot where the meeting could go now, with the table and interpreter it would get."""
    known = await facts(session, event, sides, ignore)
    return free_placements(
        known.slots,
        sides.a,
        sides.b,
        known.tables,
        known.interpreters,
        known.busy,
        any_tables=known.any_tables,
    )


def _claims(slot_id: uuid.UUID, sides: Parties, placement: Placement) -> list[Claim]:
    people = [*sides.a.people, *sides.b.people]
    if placement.interpreter is not None:
        people.append(placement.interpreter.registration_id)
    claims = [Claim(slot_id, ResourceKind.PERSON, person) for person in people]
    claims += [Claim(slot_id, ResourceKind.COMPANY, company) for company in sides.companies]
    if placement.table is not None:
        claims.append(Claim(slot_id, ResourceKind.TABLE, placement.table.id))
    return claims


def _roles(sides: Parties, known: Facts) -> dict[uuid.UUID, str]:
    roles = {person: "person" for person in (*sides.a.people, *sides.b.people)}
    roles.update({i.registration_id: "interpreter" for i in known.interpreters})
    roles.update({company: "company" for company in sides.companies})
    roles.update({table.id: "table" for table in known.tables})
    return roles


def _parties_taken(taken: Sequence[TakenClaim], sides: Parties) -> list[TakenClaim]:
    """The taken claims that no other table or interpreter can make up for."""
    parties = {*sides.a.people, *sides.b.people, *sides.companies}
    return [item for item in taken if item.claim.resource_id in parties]


def _choices(
    known: Facts,
    sides: Parties,
    slot: SlotInfo,
    table_id: uuid.UUID | None,
    interpreter_id: uuid.UUID | None,
) -> list[Placement]:
    """The placements to try in `slot`, best first; an organiser's table or interpreter narrows them (the
    rules still hold: a meeting that needs an interpreter gets one who covers its languages)."""
    named = [table for table in known.tables if table.id == table_id] if table_id is not None else None
    options = placements_in(
        slot,
        sides.a,
        sides.b,
        known.tables,
        known.interpreters,
        known.busy,
        any_tables=known.any_tables,
        table_choices=named,
    )
    if interpreter_id is not None:
        if needs_interpreter(sides.a, sides.b):
            options = [p for p in options if p.interpreter is not None and p.interpreter.id == interpreter_id]
        else:  # not needed, but asked for: it comes along when free
            forced = next(i for i in known.interpreters if i.id == interpreter_id)
            free = (slot.id, forced.registration_id) not in known.busy.people
            options = [Placement(p.slot, p.table, forced) for p in options] if free else []
    return options


async def _slot(session: AsyncSession, event: Event, slot_id: uuid.UUID) -> SlotInfo:
    """The event's slot `slot_id` (422 when the event has no such slot)."""
    row = await repository.slot_of(session, event.id, slot_id)
    if row is None:
        raise UnprocessableError(f"slot_id: no slot {slot_id} at this event")
    return SlotInfo(row.id, row.starts_at, row.ends_at)


async def _place(
    session: AsyncSession,
    event: Event,
    meeting: Meeting,
    sides: Parties,
    slot: SlotInfo,
    *,
    table_id: uuid.UUID | None = None,
    interpreter_id: uuid.UUID | None = None,
    ignore: Holder | None = None,
    reveal: bool = False,
) -> None:
    """Claim `slot` for `meeting` (flushed, claims of its own already released); 409 when it cannot."""
    holder = Holder(meeting_id=meeting.id)
    known = await facts(session, event, sides, ignore, table_id=table_id, interpreter_id=interpreter_id)
    options = _choices(known, sides, slot, table_id, interpreter_id)
    last_taken: list[TakenClaim] = []
    for placement in options:
        taken = await repository.try_claim(session, event.id, _claims(slot.id, sides, placement), holder)
        if not taken:
            meeting.slot_id, meeting.table_id = slot.id, placement.table.id if placement.table else None
            meeting.interpreter_id = placement.interpreter.id if placement.interpreter else None
            interpreter = [placement.interpreter.registration_id] if placement.interpreter else []
            meeting.people = [*sides.a.people, *sides.b.people, *interpreter]
            return
        last_taken = taken
        if _parties_taken(taken, sides):
            break  # a party is busy: another table or interpreter will not help
    after = await facts(session, event, sides, ignore)  # what the winner took is visible now
    offered = next_free(after, sides, slot, event)
    if last_taken:
        raise slot_taken(last_taken, roles=_roles(sides, known), next_free_slots=offered, reveal=reveal)
    # No placement at all: the parties may be busy (claim them to let the database say so) or only a table
    # or an interpreter is missing.
    probe = await session.begin_nested()
    taken = await repository.try_claim(
        session, event.id, _claims(slot.id, sides, Placement(slot, None, None)), holder
    )
    await probe.rollback()
    if taken:
        raise slot_taken(taken, roles=_roles(sides, known), next_free_slots=offered, reveal=reveal)
    table_free = not known.any_tables or _has_free_table(known, sides, slot, table_id)
    missing = "an interpreter" if table_free else "a table"
    raise ResourceShortageError(
        f"the companies are free in that slot but {missing} is not",
        extensions={"missing": missing.split()[-1], "next_free_slots": offered},
    )


def _has_free_table(known: Facts, sides: Parties, slot: SlotInfo, table_id: uuid.UUID | None) -> bool:
    """Whether a table the meeting may use (the named one, if any) is free in `slot`."""
    named = [table for table in known.tables if table.id == table_id] if table_id is not None else None
    without_interpreters = placements_in(
        slot,
        Side(sides.a.company_id, sides.a.people, frozenset()),
        Side(sides.b.company_id, sides.b.people, frozenset()),
        known.tables,
        [],
        known.busy,
        any_tables=True,
        table_choices=named,
    )
    return bool(without_interpreters)


async def _count(session: AsyncSession, event: Event, sides: Parties) -> None:
    # In id order: two bookings that share companies lock their quota rows in the same order.
    for company in sorted(sides.companies):
        if not await repository.count_booking(session, event.id, company):
            quota = await repository.quota_of(session, event.id, company)
            limit = quota.quota if quota is not None else event.default_quota
            raise QuotaExceededError(
                f"company {company} has reached its quota of {limit} meetings at this event",
                extensions={"company_id": str(company), "quota": limit},
            )


async def book(
    session: AsyncSession,
    event: Event,
    sides: Parties,
    slot_id: uuid.UUID,
    *,
    purpose: str,
    priority: int,
    booked_by: str,
    request_id: uuid.UUID | None = None,
    table_id: uuid.UUID | None = None,
    interpreter_id: uuid.UUID | None = None,
    ignore: Holder | None = None,
    meeting_id: uuid.UUID | None = None,
    release: Holder | None = None,
    reveal: bool = False,
) -> Meeting:
    """A new meeting in `slot_id`; 409 when a resource is taken, a quota is full or the pair meets already."""
    slot = await _slot(session, event, slot_id)
    now = datetime.now(UTC)
    meeting = Meeting(
        id=meeting_id or uuid7(),
        event_id=event.id,
        request_id=request_id,
        slot_id=slot_id,
        company_a_id=sides.a.company_id,
        company_b_id=sides.b.company_id,
        people_a=list(sides.a.people),
        people_b=list(sides.b.people),
        people=[],
        purpose=purpose,
        priority=priority,
        status=MeetingStatus.SCHEDULED,
        sequence=0,
        locked=False,
        booked_by=booked_by,
        version=1,
        created_at=now,
        updated_at=now,
    )
    await _insert_meeting(session, event, meeting, sides)
    await _count(session, event, sides)
    if release is not None:
        # After the quota rows, before the claims: every booking takes its row locks in one order (quota
        # rows, then claims), so bookings, moves and cancellations racing for one slot cannot deadlock.
        await repository.release(session, release)
    await _place(
        session,
        event,
        meeting,
        sides,
        slot,
        table_id=table_id,
        interpreter_id=interpreter_id,
        ignore=ignore,
        reveal=reveal,
    )
    await session.flush()
    return meeting


async def _insert_meeting(session: AsyncSession, event: Event, meeting: Meeting, sides: Parties) -> None:
    savepoint = await session.begin_nested()
    session.add(meeting)
    try:
        await session.flush()
    except IntegrityError as error:
        await savepoint.rollback()
        if violated_constraint(error) != "uq_meeting_live_pair":
            raise  # a slot deleted meanwhile, …: not this conflict
        existing = await repository.meeting_of_pair(session, event.id, *sides.companies)
        raise ConflictError(
            "these two companies already have a meeting at this event",
            extensions={"meeting_id": str(existing.id) if existing else None},
        ) from None
    await savepoint.commit()


async def visible_meeting(
    session: AsyncSession,
    meeting_id: uuid.UUID,
    principal: Principal,
    *,
    for_update: bool = False,
    read_only: bool = False,
) -> tuple[Meeting, Event]:
    """A meeting the caller may see (its two companies and the event's organisers; to read it, also a
    platform service: `read_only`); 404 otherwise."""
    meeting = await repository.get_meeting(session, meeting_id, for_update=for_update)
    if meeting is None:
        raise NotFoundError(f"no meeting with id {meeting_id}")
    event = await visible_event(session, meeting.event_id, principal)
    sides = (meeting.company_a_id, meeting.company_b_id)
    if not (sees_any(principal, event, sides) or (read_only and reads_everything(principal))):
        raise NotFoundError(f"no meeting with id {meeting_id}")
    return meeting, event


async def organised_meeting(
    session: AsyncSession, meeting_id: uuid.UUID, principal: Principal
) -> tuple[Meeting, Event]:
    """A meeting of an event the caller organises, locked (403 for its companies, 404 for others)."""
    meeting, event = await visible_meeting(session, meeting_id, principal, for_update=True)
    if not is_organiser(principal, event):
        raise ForbiddenError("only the event's organisers may do this")
    return meeting, event


async def sides_of(session: AsyncSession, event: Event, meeting: Meeting) -> Parties:
    """The parties of a stored meeting."""
    return await parties(
        session, event, meeting.company_a_id, meeting.people_a, meeting.company_b_id, meeting.people_b
    )


def _touch(meeting: Meeting) -> None:
    meeting.sequence += 1  # every change a calendar shows
    meeting.version += 1
    meeting.updated_at = datetime.now(UTC)


async def reschedule(
    session: AsyncSession,
    meeting_id: uuid.UUID,
    principal: Principal,
    slot_id: uuid.UUID,
    *,
    table_id: uuid.UUID | None,
    interpreter_id: uuid.UUID | None,
) -> MeetingView:
    """Move a meeting to another slot (or table, or interpreter); it keeps its id, SEQUENCE goes up."""
    meeting, event = await organised_meeting(session, meeting_id, principal)
    if is_finished(event.status):
        raise ConflictError("the event is finished")
    if meeting.status not in MOVABLE:
        raise ConflictError(f"a meeting that is {meeting.status} cannot be moved")
    holder = Holder(meeting_id=meeting.id)
    old_slot = meeting.slot_id
    if slot_id == old_slot:  # another table or interpreter in the same slot: its own claims make way
        await repository.release(session, holder)
    # Another slot: claim it first and let the old one go after. Two moves in opposite directions then
    # find each other's committed claims (a 409 each) instead of waiting on each other's deletes.
    await _place_again(session, event, meeting, slot_id, table_id=table_id, interpreter_id=interpreter_id)
    if slot_id != old_slot:
        await repository.release_slot(session, holder, old_slot)
    _touch(meeting)
    await session.flush()
    return await view(session, meeting, event, principal)


async def _place_again(
    session: AsyncSession,
    event: Event,
    meeting: Meeting,
    slot_id: uuid.UUID,
    *,
    table_id: uuid.UUID | None,
    interpreter_id: uuid.UUID | None,
) -> None:
    """Claim `slot_id` for a meeting that exists (its own claims do not count against it)."""
    slot = await _slot(session, event, slot_id)
    sides = await sides_of(session, event, meeting)
    await _place(
        session,
        event,
        meeting,
        sides,
        slot,
        table_id=table_id,
        interpreter_id=interpreter_id,
        ignore=Holder(meeting_id=meeting.id),
        reveal=True,  # organisers see what holds a slot
    )


async def move_released(
    session: AsyncSession,
    event: Event,
    meeting: Meeting,
    slot_id: uuid.UUID,
    *,
    table_id: uuid.UUID | None,
    interpreter_id: uuid.UUID | None,
) -> None:
    """Put a meeting whose claims were released (a schedule being published) in `slot_id`; 409 when the
    database refuses a claim. It keeps its id; SEQUENCE goes up."""
    await _place_again(session, event, meeting, slot_id, table_id=table_id, interpreter_id=interpreter_id)
    _touch(meeting)
    await session.flush()


async def release_claims(session: AsyncSession, meeting: Meeting) -> None:
    """Let go of every claim of `meeting` (it is about to be placed again)."""
    await repository.release(session, Holder(meeting_id=meeting.id))


async def cancel(
    session: AsyncSession, meeting_id: uuid.UUID, principal: Principal, reason: str | None
) -> MeetingView:
    """Cancel a meeting (organisers or either company): its slot is free again; calendars keep it as
    cancelled (SEQUENCE goes up)."""
    meeting, event = await visible_meeting(session, meeting_id, principal, for_update=True)
    if meeting.status == MeetingStatus.CANCELLED:
        return await view(session, meeting, event, principal)
    if meeting.status not in CANCELLABLE:
        raise ConflictError(f"a meeting that is {meeting.status} cannot be cancelled")
    for company in sorted((meeting.company_a_id, meeting.company_b_id)):  # quota rows first, as bookings do
        await repository.uncount_booking(session, event.id, company)
    await repository.release(session, Holder(meeting_id=meeting.id))
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason
    _touch(meeting)
    await session.flush()
    return await view(session, meeting, event, principal)


async def mark(
    session: AsyncSession, meeting_id: uuid.UUID, principal: Principal, status: MeetingStatus
) -> MeetingView:
    """Record that a meeting was checked in, held or a no-show (organisers)."""
    meeting, event = await organised_meeting(session, meeting_id, principal)
    if meeting.status == status:
        return await view(session, meeting, event, principal)
    allowed = MEETING_TRANSITIONS[MeetingStatus(meeting.status)]
    if status not in allowed:
        raise UnprocessableError(
            f"a meeting that is {meeting.status} cannot become {status}",
            extensions={"allowed": [str(next_status) for next_status in allowed]},
        )
    meeting.status = status
    meeting.version += 1
    meeting.updated_at = datetime.now(UTC)
    await session.flush()
    return await view(session, meeting, event, principal)


async def set_locked(
    session: AsyncSession, meeting_id: uuid.UUID, principal: Principal, locked: bool
) -> MeetingView:
    """Lock a meeting where it is (schedule runs never move it) or unlock it (organisers)."""
    meeting, event = await organised_meeting(session, meeting_id, principal)
    if meeting.locked != locked:
        meeting.locked = locked
        meeting.version += 1
        meeting.updated_at = datetime.now(UTC)
        await session.flush()
    return await view(session, meeting, event, principal)


async def views(
    session: AsyncSession, rows: Sequence[tuple[Meeting, Event]], principal: Principal
) -> list[MeetingView]:
    """Meetings with what their API shape shows; a side's feedback notes only for that side and organisers."""
    meetings = [meeting for meeting, _ in rows]
    if not meetings:
        return []
    slots, tables, interpreters, feedback, outcomes = await repository.details(session, meetings)
    names: dict[uuid.UUID, tuple[str | None, str | None, str | None]] = {}
    for event_id in {meeting.event_id for meeting in meetings}:
        companies = [c for m in meetings if m.event_id == event_id for c in (m.company_a_id, m.company_b_id)]
        found = await repository.company_names(session, event_id, companies)
        names.update({company: value[:3] for company, value in found.items()})
    shown = []
    for meeting, event in rows:
        slot = slots[meeting.slot_id]
        table = tables.get(meeting.table_id) if meeting.table_id else None
        interpreter = interpreters.get(meeting.interpreter_id) if meeting.interpreter_id else None
        organiser = is_organiser(principal, event)
        sides_feedback = [
            row
            if organiser or acts_for(principal, row.company_id)
            else MeetingFeedback(
                meeting_id=row.meeting_id,
                company_id=row.company_id,
                rating=row.rating,
                notes=None,
                updated_by=row.updated_by,
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
            for row in feedback.get(meeting.id, [])
        ]
        shown.append(
            MeetingView(
                meeting=meeting,
                time_zone=event.time_zone,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                table_name=table.name if table else None,
                interpreter_name=(
                    best_text(interpreter[1].name_ko, interpreter[1].name_ja, interpreter[1].name_en, "en")
                    if interpreter
                    else None
                ),
                names={
                    c: names.get(c, (None, None, None)) for c in (meeting.company_a_id, meeting.company_b_id)
                },
                feedback=sides_feedback,
                outcome=outcomes.get(meeting.id),
            )
        )
    return shown


async def view(session: AsyncSession, meeting: Meeting, event: Event, principal: Principal) -> MeetingView:
    """One meeting with what its API shape shows."""
    [shown] = await views(session, [(meeting, event)], principal)
    return shown


async def list_meetings(
    session: AsyncSession,
    principal: Principal,
    *,
    event_id: uuid.UUID | None,
    company_id: uuid.UUID | None,
    registration_id: uuid.UUID | None,
    status: MeetingStatus | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[tuple[MeetingView, datetime]]:
    """ "My meetings": those of the caller's company and of the events it organises, in time order, with
    each one's slot start (the page position)."""
    rows = await repository.meetings_page(
        session,
        organisation_id=principal.organisation_id,
        everything=principal.is_admin,
        event_id=event_id,
        company_id=company_id,
        registration_id=registration_id,
        status=status,
        after=after,
        limit=limit,
    )
    shown = await views(session, [(meeting, event) for meeting, _, event in rows], principal)
    return [(view, slot.starts_at) for view, (_, slot, _) in zip(shown, rows, strict=True)]


def _side_of(principal: Principal, event: Event, meeting: Meeting, company_id: uuid.UUID | None) -> uuid.UUID:
    sides = (meeting.company_a_id, meeting.company_b_id)
    if is_organiser(principal, event):
        if company_id is None or company_id not in sides:
            raise UnprocessableError("company_id: organisers say which side of the meeting they write for")
        return company_id
    own = principal.organisation_id
    if own not in sides or (company_id is not None and company_id != own):
        raise ForbiddenError("you may write your own company's feedback only")
    assert own is not None
    return own


async def write_feedback(
    session: AsyncSession, meeting_id: uuid.UUID, principal: Principal, data: FeedbackWrite
) -> MeetingView:
    """Set one side's rating and notes (each side its own; organisers either)."""
    meeting, event = await visible_meeting(session, meeting_id, principal, for_update=True)
    company = _side_of(principal, event, meeting, data.company_id)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ConflictError("a cancelled meeting takes no feedback")
    now = datetime.now(UTC)
    row = await repository.feedback_of(session, meeting.id, company)
    if row is None:
        row = MeetingFeedback(meeting_id=meeting.id, company_id=company, created_at=now)
        session.add(row)
    row.rating, row.notes, row.updated_by, row.updated_at = data.rating, data.notes, principal.subject, now
    await session.flush()
    return await view(session, meeting, event, principal)


async def write_outcome(
    session: AsyncSession, meeting_id: uuid.UUID, principal: Principal, data: OutcomeWrite
) -> MeetingView:
    """Record what came of a held meeting (either company or the organisers)."""
    meeting, event = await visible_meeting(session, meeting_id, principal, for_update=True)
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.NO_SHOW):
        raise ConflictError(f"a meeting that is {meeting.status} has no outcome")
    now = datetime.now(UTC)
    row = await repository.outcome_of(session, meeting.id)
    if row is None:
        row = MeetingOutcome(meeting_id=meeting.id, recorded_at=now)
        session.add(row)
    row.outcome, row.purpose, row.summary = data.outcome, data.purpose, data.summary
    row.value_amount = data.estimated_value.amount if data.estimated_value else None
    row.value_currency = data.estimated_value.currency if data.estimated_value else None
    row.recorded_by, row.updated_at = principal.subject, now
    await session.flush()
    return await view(session, meeting, event, principal)


async def drop_person(session: AsyncSession, event: Event, registration_id: uuid.UUID) -> list[Meeting]:
    """A person's registration was cancelled: they leave their live meetings (their slot claims go). A
    meeting whose side has nobody left is cancelled; one whose interpreter left keeps its slot without
    an interpreter (an organiser assigns another with a move). Calendars see a new SEQUENCE."""
    changed = []
    for meeting in await repository.live_meetings_of_person(session, event.id, registration_id):
        holder = Holder(meeting_id=meeting.id)
        a = [person for person in meeting.people_a if person != registration_id]
        b = [person for person in meeting.people_b if person != registration_id]
        interpreting = len(a) == len(meeting.people_a) and len(b) == len(meeting.people_b)
        if not a or not b:  # cancelled as it was: the record keeps who was to meet
            for company in sorted((meeting.company_a_id, meeting.company_b_id)):
                await repository.uncount_booking(session, event.id, company)
            await repository.release(session, holder)
            meeting.status = MeetingStatus.CANCELLED
            meeting.cancel_reason = "a participant's registration was cancelled"
        else:
            meeting.people_a, meeting.people_b = a, b
            meeting.people = [person for person in meeting.people if person != registration_id]
            await repository.release_person(session, holder, registration_id)
            if interpreting:
                meeting.interpreter_id = None
        _touch(meeting)
        changed.append(meeting)
    await session.flush()
    return changed
