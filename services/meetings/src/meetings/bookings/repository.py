"""Statements of the booking guarantee: claims, meetings, quotas. No commits here.

Claims are made with `INSERT … ON CONFLICT DO NOTHING RETURNING` inside a savepoint: a claim another
transaction holds (committed, or committed while we waited on its row) is simply not returned, and the
savepoint is rolled back so that nothing of a half-made booking stays. Claims are inserted in one fixed
order (slot, kind, resource) so that two bookings that want the same resources cannot deadlock.
"""

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Uuid, and_, delete, exists, func, literal, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.agenda.models import Slot
from meetings.bookings.models import (
    Claim,
    CompanyQuota,
    Holder,
    Meeting,
    MeetingFeedback,
    MeetingOutcome,
    ResourceKind,
    SlotClaim,
    TakenClaim,
)
from meetings.events.models import Event
from meetings.registrations.models import Registration
from meetings.requests.models import MeetingRequest
from meetings.setup.models import Interpreter, MeetingTable
from plaza_kit.errors import violated_constraint


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
    await _clear_expired_holds(session, wanted)
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


def _expired_hold() -> ColumnElement[bool]:
    """A claim held by an open request past its expiry: free, whether or not a sweep marked it yet."""
    return exists().where(
        MeetingRequest.id == SlotClaim.request_id,
        MeetingRequest.status == "requested",
        MeetingRequest.expires_at <= func.now(),
    )


async def _clear_expired_holds(session: AsyncSession, claims: Sequence[Claim]) -> None:
    """Mark expired the requests whose stale holds stand on `claims`, and drop those holds."""
    keys = [(claim.slot_id, str(claim.kind), claim.resource_id) for claim in claims]
    holders = (
        select(SlotClaim.request_id)
        .where(tuple_(SlotClaim.slot_id, SlotClaim.resource_kind, SlotClaim.resource_id).in_(keys))
        .where(SlotClaim.request_id.is_not(None), _expired_hold())
    )
    stale = list(await session.scalars(holders))
    if not stale:
        return
    await session.execute(
        update(MeetingRequest)
        .where(MeetingRequest.id.in_(stale), MeetingRequest.status == "requested")
        .values(status="expired", updated_at=func.now())
        .execution_options(synchronize_session=False)
    )
    await session.execute(delete(SlotClaim).where(SlotClaim.request_id.in_(stale)))


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


async def release_slot(session: AsyncSession, holder: Holder, slot_id: uuid.UUID) -> None:
    """Drop a meeting's claims in one slot (the one it moved out of)."""
    assert holder.meeting_id is not None
    await session.execute(
        delete(SlotClaim).where(SlotClaim.meeting_id == holder.meeting_id, SlotClaim.slot_id == slot_id)
    )


async def release_requests(session: AsyncSession, request_ids: Sequence[uuid.UUID]) -> None:
    """Drop the holds of several requests (those a sweep found expired)."""
    if request_ids:
        await session.execute(delete(SlotClaim).where(SlotClaim.request_id.in_(list(request_ids))))


async def claimed(
    session: AsyncSession,
    event_id: uuid.UUID,
    kind: ResourceKind,
    resource_ids: Iterable[uuid.UUID],
    *,
    ignore: Holder | None = None,
) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """(slot, resource) pairs of `resource_ids` claimed at the event, except the claims of `ignore` (a
    request's own hold when it is accepted, a meeting's own slot when it is rescheduled)."""
    ids = list(set(resource_ids))
    if not ids:
        return set()
    query = select(SlotClaim.slot_id, SlotClaim.resource_id).where(
        SlotClaim.event_id == event_id,
        SlotClaim.resource_kind == str(kind),
        SlotClaim.resource_id.in_(ids),
    )
    if ignore is not None and ignore.meeting_id is not None:
        query = query.where(SlotClaim.meeting_id.is_distinct_from(ignore.meeting_id))
    if ignore is not None and ignore.request_id is not None:
        query = query.where(SlotClaim.request_id.is_distinct_from(ignore.request_id))
    query = query.where(~_expired_hold())
    return {(row[0], row[1]) for row in await session.execute(query)}


async def standing_claims(
    session: AsyncSession, event_id: uuid.UUID
) -> list[tuple[uuid.UUID, str, uuid.UUID, uuid.UUID | None]]:
    """Every claim at the event that still stands (expired holds do not): (slot, kind, resource, meeting)."""
    query = select(
        SlotClaim.slot_id, SlotClaim.resource_kind, SlotClaim.resource_id, SlotClaim.meeting_id
    ).where(SlotClaim.event_id == event_id, ~_expired_hold())
    return [(row[0], row[1], row[2], row[3]) for row in await session.execute(query)]


async def event_has_slots(session: AsyncSession, event_id: uuid.UUID) -> bool:
    """Whether the event's slot grid exists."""
    return bool(await session.scalar(select(exists().where(Slot.event_id == event_id))))


async def apply_default_quota(session: AsyncSession, event_id: uuid.UUID, quota: int | None) -> str | None:
    """Every company whose quota follows the event's default gets the new default; the id of a company
    already over it (nothing changed then), else None. The caller holds the event's row lock."""
    savepoint = await session.begin_nested()
    try:
        await session.execute(
            update(CompanyQuota)
            .where(CompanyQuota.event_id == event_id, CompanyQuota.overridden.is_(False))
            .values(quota=quota)
        )
    except IntegrityError as error:
        await savepoint.rollback()
        if violated_constraint(error) != "ck_company_quota_within_quota":
            raise
        over = select(CompanyQuota.company_id).where(
            CompanyQuota.event_id == event_id,
            CompanyQuota.overridden.is_(False),
            CompanyQuota.booked > (quota or 0),
        )
        return str(await session.scalar(over.limit(1)))
    await savepoint.commit()
    return None


async def slots_of(session: AsyncSession, event_id: uuid.UUID) -> list[tuple[uuid.UUID, datetime, datetime]]:
    """The event's slot grid, in time order: (id, starts_at, ends_at)."""
    query = (
        select(Slot.id, Slot.starts_at, Slot.ends_at)
        .where(Slot.event_id == event_id)
        .order_by(Slot.starts_at)
    )
    return [(row[0], row[1], row[2]) for row in await session.execute(query)]


async def slot_of(session: AsyncSession, event_id: uuid.UUID, slot_id: uuid.UUID) -> Slot | None:
    """One slot, if it belongs to the event."""
    return (await session.scalars(select(Slot).where(Slot.id == slot_id, Slot.event_id == event_id))).first()


async def tables_for(
    session: AsyncSession, event_id: uuid.UUID, companies: Sequence[uuid.UUID]
) -> tuple[list[tuple[uuid.UUID, str, uuid.UUID | None]], bool]:
    """The tables a meeting of `companies` could use — theirs and the floating ones — as (id, name,
    company), by name; and whether the event has any table at all."""
    query = (
        select(MeetingTable.id, MeetingTable.name, MeetingTable.company_id)
        .where(
            MeetingTable.event_id == event_id,
            or_(MeetingTable.company_id.in_(list(companies)), MeetingTable.company_id.is_(None)),
        )
        .order_by(MeetingTable.name)
    )
    rows = [(row[0], row[1], row[2]) for row in await session.execute(query)]
    if rows:
        return rows, True
    return rows, bool(await session.scalar(select(exists().where(MeetingTable.event_id == event_id))))


async def table_of(
    session: AsyncSession, event_id: uuid.UUID, table_id: uuid.UUID
) -> tuple[uuid.UUID, str, uuid.UUID | None] | None:
    """One table of the event, as (id, name, company)."""
    query = select(MeetingTable.id, MeetingTable.name, MeetingTable.company_id).where(
        MeetingTable.id == table_id, MeetingTable.event_id == event_id
    )
    row = (await session.execute(query)).first()
    return (row[0], row[1], row[2]) if row else None


InterpreterRow = tuple[uuid.UUID, uuid.UUID, str | None, str | None, str | None, list[str], uuid.UUID | None]
"""(interpreter id, registration id, name ko, ja, en, language pairs, fixed table)."""


async def interpreters_for(
    session: AsyncSession,
    event_id: uuid.UUID,
    *,
    pairs: Sequence[str] | None = None,
    table_ids: Sequence[uuid.UUID] = (),
    interpreter_id: uuid.UUID | None = None,
) -> list[InterpreterRow]:
    """Interpreters of the event whose registration is not cancelled: those covering one of `pairs` who are
    in the pool or fixed to one of `table_ids` — or the one `interpreter_id` names."""
    query = (
        select(
            Interpreter.id,
            Registration.id,
            Registration.name_ko,
            Registration.name_ja,
            Registration.name_en,
            Interpreter.language_pairs,
            Interpreter.table_id,
        )
        .join(Registration, Registration.id == Interpreter.registration_id)
        .where(Interpreter.event_id == event_id, Registration.status != "cancelled")
        .order_by(Interpreter.id)
    )
    if interpreter_id is not None:
        query = query.where(Interpreter.id == interpreter_id)
    else:
        query = query.where(
            Interpreter.language_pairs.overlap(list(pairs or [])),
            or_(Interpreter.table_id.is_(None), Interpreter.table_id.in_(list(table_ids))),
        )
    return [
        (row[0], row[1], row[2], row[3], row[4], list(row[5]), row[6]) for row in await session.execute(query)
    ]


async def registrations(
    session: AsyncSession, event_id: uuid.UUID, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Registration]:
    """Registrations of the event by id (ids of other events are left out)."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    query = select(Registration).where(Registration.event_id == event_id, Registration.id.in_(wanted))
    return {row.id: row for row in await session.scalars(query)}


async def company_registrations(
    session: AsyncSession, event_id: uuid.UUID, company_id: uuid.UUID
) -> Sequence[Registration]:
    """The confirmed registrations of a company at the event."""
    query = select(Registration).where(
        Registration.event_id == event_id,
        Registration.company_id == company_id,
        Registration.status == "confirmed",
    )
    return (await session.scalars(query)).all()


async def get_meeting(
    session: AsyncSession, meeting_id: uuid.UUID, *, for_update: bool = False
) -> Meeting | None:
    """A meeting, optionally locked."""
    query = select(Meeting).where(Meeting.id == meeting_id)
    if for_update:
        # populate_existing: a row already in the session is re-read under the lock, not served stale.
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(query)).first()


async def count_booking(session: AsyncSession, event_id: uuid.UUID, company_id: uuid.UUID) -> bool:
    """Count one more live meeting for the company; False (nothing counted) when its quota is full.

    A company's first meeting copies the event's default quota as the statement reads it. (A change of
    the default committed while this booking runs is not applied to the row this booking creates; the
    event row is not locked here on purpose, so that bookings never queue behind registrations.)
    """
    source = select(
        literal(event_id, Uuid).label("event_id"),
        literal(company_id, Uuid).label("company_id"),
        Event.default_quota,
        literal(False).label("overridden"),
        literal(1).label("booked"),
    ).where(Event.id == event_id)
    statement = (
        insert(CompanyQuota)
        .from_select(["event_id", "company_id", "quota", "overridden", "booked"], source)
        .on_conflict_do_update(
            index_elements=["event_id", "company_id"], set_={"booked": CompanyQuota.booked + 1}
        )
    )
    savepoint = await session.begin_nested()
    try:
        await session.execute(statement)
    except IntegrityError as error:
        await savepoint.rollback()
        if violated_constraint(error) == "ck_company_quota_within_quota":
            return False
        raise
    await savepoint.commit()
    return True


async def uncount_booking(session: AsyncSession, event_id: uuid.UUID, company_id: uuid.UUID) -> None:
    """One live meeting fewer for the company."""
    await session.execute(
        update(CompanyQuota)
        .where(CompanyQuota.event_id == event_id, CompanyQuota.company_id == company_id)
        .values(booked=CompanyQuota.booked - 1)
    )


async def quota_of(session: AsyncSession, event_id: uuid.UUID, company_id: uuid.UUID) -> CompanyQuota | None:
    """The company's quota row, if any."""
    return await session.get(CompanyQuota, (event_id, company_id))


async def meeting_of_pair(
    session: AsyncSession, event_id: uuid.UUID, a: uuid.UUID, b: uuid.UUID
) -> Meeting | None:
    """The live meeting of two companies at the event, if any."""
    query = select(Meeting).where(
        Meeting.event_id == event_id,
        Meeting.status != "cancelled",
        or_(
            and_(Meeting.company_a_id == a, Meeting.company_b_id == b),
            and_(Meeting.company_a_id == b, Meeting.company_b_id == a),
        ),
    )
    return (await session.scalars(query)).first()


async def meetings_page(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID | None,
    everything: bool,
    event_id: uuid.UUID | None,
    company_id: uuid.UUID | None,
    registration_id: uuid.UUID | None,
    status: str | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> Sequence[tuple[Meeting, Slot, Event]]:
    """Meetings the principal may see, in time order (slot start, then id)."""
    query = (
        select(Meeting, Slot, Event)
        .join(Slot, Slot.id == Meeting.slot_id)
        .join(Event, Event.id == Meeting.event_id)
        .order_by(Slot.starts_at, Meeting.id)
        .limit(limit)
    )
    if not everything:
        if organisation_id is None:
            return []
        query = query.where(
            or_(
                Meeting.company_a_id == organisation_id,
                Meeting.company_b_id == organisation_id,
                Event.organiser_ids.contains([organisation_id]),
            )
        )
    if event_id is not None:
        query = query.where(Meeting.event_id == event_id)
    if company_id is not None:
        query = query.where(or_(Meeting.company_a_id == company_id, Meeting.company_b_id == company_id))
    if registration_id is not None:
        query = query.where(Meeting.people.contains([registration_id]))
    if status is not None:
        query = query.where(Meeting.status == status)
    if after is not None:
        query = query.where(tuple_(Slot.starts_at, Meeting.id) > tuple_(after[0], after[1]))
    return [(row[0], row[1], row[2]) for row in await session.execute(query)]


async def details(
    session: AsyncSession, meetings: Sequence[Meeting]
) -> tuple[
    dict[uuid.UUID, Slot],
    dict[uuid.UUID, MeetingTable],
    dict[uuid.UUID, tuple[Interpreter, Registration]],
    dict[uuid.UUID, list[MeetingFeedback]],
    dict[uuid.UUID, MeetingOutcome],
]:
    """What the API shape of `meetings` shows, in one query per kind."""
    ids = [meeting.id for meeting in meetings]
    slot_ids = {meeting.slot_id for meeting in meetings}
    table_ids = {meeting.table_id for meeting in meetings if meeting.table_id}
    interpreter_ids = {meeting.interpreter_id for meeting in meetings if meeting.interpreter_id}
    slots = {row.id: row for row in await session.scalars(select(Slot).where(Slot.id.in_(slot_ids)))}
    tables = (
        {
            row.id: row
            for row in await session.scalars(select(MeetingTable).where(MeetingTable.id.in_(table_ids)))
        }
        if table_ids
        else {}
    )
    interpreters: dict[uuid.UUID, tuple[Interpreter, Registration]] = {}
    if interpreter_ids:
        query = (
            select(Interpreter, Registration)
            .join(Registration, Registration.id == Interpreter.registration_id)
            .where(Interpreter.id.in_(interpreter_ids))
        )
        interpreters = {row[0].id: (row[0], row[1]) for row in await session.execute(query)}
    feedback: dict[uuid.UUID, list[MeetingFeedback]] = {}
    for row in await session.scalars(
        select(MeetingFeedback)
        .where(MeetingFeedback.meeting_id.in_(ids))
        .order_by(MeetingFeedback.company_id)
    ):
        feedback.setdefault(row.meeting_id, []).append(row)
    outcomes = {
        row.meeting_id: row
        for row in await session.scalars(select(MeetingOutcome).where(MeetingOutcome.meeting_id.in_(ids)))
    }
    return slots, tables, interpreters, feedback, outcomes


async def feedback_of(
    session: AsyncSession, meeting_id: uuid.UUID, company_id: uuid.UUID
) -> MeetingFeedback | None:
    """One side's feedback row."""
    return await session.get(MeetingFeedback, (meeting_id, company_id))


async def outcome_of(session: AsyncSession, meeting_id: uuid.UUID) -> MeetingOutcome | None:
    """The outcome row."""
    return await session.get(MeetingOutcome, meeting_id)


async def company_names(
    session: AsyncSession, event_id: uuid.UUID, company_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[str | None, str | None, str | None, str]]:
    """Company id → (name ko, ja, en, country) as registered at the event."""
    if not company_ids:
        return {}
    query = (
        select(
            Registration.company_id,
            Registration.company_name_ko,
            Registration.company_name_ja,
            Registration.company_name_en,
            Registration.company_country,
        )
        .where(Registration.event_id == event_id, Registration.company_id.in_(list(set(company_ids))))
        .ext(distinct_on(Registration.company_id))
        .order_by(Registration.company_id, Registration.id.desc())
    )
    return {row[0]: (row[1], row[2], row[3], row[4]) for row in await session.execute(query)}


async def live_meetings_of_person(
    session: AsyncSession, event_id: uuid.UUID, registration_id: uuid.UUID
) -> Sequence[Meeting]:
    """The scheduled or checked-in meetings a person is in (as a side or as the interpreter), locked, in id
    order."""
    query = (
        select(Meeting)
        .where(
            Meeting.event_id == event_id,
            Meeting.people.contains([registration_id]),
            Meeting.status.in_(["scheduled", "checked_in"]),
        )
        .order_by(Meeting.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(query)).all()


async def release_person(session: AsyncSession, holder: Holder, registration_id: uuid.UUID) -> None:
    """Drop one person's claims of a meeting or a request (they no longer attend it)."""
    query = delete(SlotClaim).where(
        SlotClaim.resource_kind == "person", SlotClaim.resource_id == registration_id
    )
    if holder.meeting_id is not None:
        query = query.where(SlotClaim.meeting_id == holder.meeting_id)
    elif holder.request_id is not None:
        query = query.where(SlotClaim.request_id == holder.request_id)
    else:
        raise ValueError("release_person() needs a meeting or a request")
    await session.execute(query)


# --- Lean reads: "my meetings" as the API's JSON, built by PostgreSQL -------------------------------------
#
# `GET /v1/meetings` for the common request (registration, company and/or event, a page with its cursor)
# answers `Page[MeetingRead]` exactly as pydantic writes it: keys in model order, no spaces, local times
# with the event's offset as `datetime.isoformat()` writes them, record timestamps in UTC with `Z`, amounts
# with the currency's minor units (half to even, as `Decimal.quantize`). One statement on a plain asyncpg
# connection (`plaza_kit.read_pool`, `$n` parameters); the visibility rules are those of `meetings_page`
# and the feedback-notes privacy that of `service.views`. `tests/test_fast_meetings.py` compares the bytes
# with the presenter's so the two cannot drift.


def _lean_json(expression: str) -> str:
    """The JSON text of an SQL value; `null` for NULL (PostgreSQL's escapes are those pydantic writes)."""
    return f"coalesce(to_json({expression})::text, 'null')"


def _lean_object(members: Sequence[tuple[str, str]]) -> str:
    """A compact JSON object from (key, SQL giving the JSON text of its value), keys in this order."""
    parts = " || ',' || ".join(f"'\"{key}\":' || {value}" for key, value in members)
    return f"('{{' || {parts} || '}}')"


def _lean_utc(column: str) -> str:
    """`plaza_contracts.UtcDateTime`: RFC 3339 in UTC with `Z`, microseconds only when there are any."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"""('"' || to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS') || CASE WHEN extract(microseconds FROM """
        f"""{column})::bigint % 1000000 = 0 THEN '' ELSE to_char({utc}, '.US') END || 'Z"')"""
    )


def _lean_local(column: str, zone: str) -> str:
    """`meetings.texts.LocalTime`: `datetime.isoformat()` of the instant in the IANA zone `zone` (SQL):
    microseconds only when there are any, the offset as ±HH:MM, with :SS only when it has seconds."""
    local = f"({column} AT TIME ZONE {zone})"
    offset = f"extract(epoch FROM ({local} - ({column} AT TIME ZONE 'UTC')))::integer"
    return (
        f"""('"' || to_char({local}, 'YYYY-MM-DD"T"HH24:MI:SS') || CASE WHEN extract(microseconds FROM """
        f"""{column})::bigint % 1000000 = 0 THEN '' ELSE to_char({local}, '.US') END"""
        f""" || CASE WHEN {offset} < 0 THEN '-' ELSE '+' END"""
        f""" || to_char(make_interval(secs => abs({offset})), 'HH24:MI')"""
        f""" || CASE WHEN {offset} % 60 = 0 THEN ''"""
        f""" ELSE to_char(make_interval(secs => abs({offset})), ':SS') END || '"')"""
    )


def _lean_amount(value: str, places: str) -> str:
    """`presenter._amount`: the decimal `value` with exactly `places` decimals, rounded half to even."""
    scaled = f"({value} * 10::numeric ^ {places})"
    return (
        f"(CASE WHEN abs({scaled} - trunc({scaled})) = 0.5 AND mod(trunc({scaled}), 2) = 0 "
        f"THEN trunc({value}, {places}) ELSE round({value}, {places}) END)::text"
    )


def _lean_places(currency: str, minor_units: dict[str, int], default: int) -> str:
    """The minor-unit places of `currency` (SQL) from the ISO table: a CASE of the non-default ones."""
    cases = " ".join(
        f"WHEN '{code}' THEN {places}"
        for code, places in sorted(minor_units.items())
        if places != default and code.isalpha() and code.isupper()
    )
    return f"(CASE {currency} {cases} ELSE {default} END)" if cases else str(default)


def _lean_side(letter: str) -> str:
    names = f"names_{letter}"
    return _lean_object(
        [
            ("company_id", _lean_json(f"m.company_{letter}_id")),
            (
                "name",
                _lean_object(
                    [(lang, _lean_json(f"{names}.company_name_{lang}")) for lang in ("ko", "ja", "en")]
                ),
            ),
            ("people", _lean_json(f"m.people_{letter}")),
        ]
    )


def _lean_names_join(letter: str) -> str:
    """The names a company is shown under: its last registration's at the event (`company_names`)."""
    return (
        "LEFT JOIN LATERAL (SELECT r.company_name_ko, r.company_name_ja, r.company_name_en "  # noqa: S608
        "FROM meetings.registration r WHERE r.event_id = m.event_id "
        f"AND r.company_id = m.company_{letter}_id ORDER BY r.id DESC LIMIT 1) names_{letter} ON true"
    )


def meeting_body_sql(
    *, organisation: str, admin: str, minor_units: dict[str, int], default_places: int
) -> str:
    """SQL text: the `MeetingRead` JSON of the row `m` (with `s` its slot, `e` its event, `t` its table, `i`
    its interpreter and `ir` the interpreter's registration, `o` its outcome, `names_a`/`names_b` the
    companies' names); `organisation` and `admin` are the SQL of the caller's organisation and admin flag."""
    organiser = f"coalesce({admin} OR {organisation} = ANY(e.organiser_ids), false)"
    notes = (
        f"CASE WHEN {organiser} OR f.company_id = {organisation} THEN {_lean_json('f.notes')} ELSE 'null' END"
    )
    feedback = _lean_object(
        [
            ("company_id", _lean_json("f.company_id")),
            ("rating", _lean_json("f.rating")),
            ("notes", notes),
            ("updated_at", _lean_utc("f.updated_at")),
        ]
    )
    feedbacks = (
        f"coalesce((SELECT '[' || string_agg({feedback}, ',' ORDER BY f.company_id) || ']' "  # noqa: S608
        "FROM meetings.meeting_feedback f WHERE f.meeting_id = m.id), '[]')"
    )
    places = _lean_places("o.value_currency", minor_units, default_places)
    value = _lean_object(
        [
            ("amount", _lean_json(_lean_amount("o.value_amount", places))),
            ("currency", _lean_json("o.value_currency")),
        ]
    )
    outcome = _lean_object(
        [
            ("outcome", _lean_json("o.outcome")),
            ("purpose", _lean_json("o.purpose")),
            (
                "estimated_value",
                "CASE WHEN o.value_amount IS NOT NULL AND coalesce(o.value_currency, '') <> '' "
                f"THEN {value} ELSE 'null' END",
            ),
            ("summary", _lean_json("o.summary")),
            ("recorded_at", _lean_utc("o.recorded_at")),
        ]
    )
    interpreter_name = (
        "coalesce(nullif(ir.name_en, ''), nullif(ir.name_ko, ''), nullif(ir.name_ja, ''), '')"  # best_text
    )
    return _lean_object(
        [
            ("id", _lean_json("m.id")),
            ("event_id", _lean_json("m.event_id")),
            ("request_id", _lean_json("m.request_id")),
            ("a", _lean_side("a")),
            ("b", _lean_side("b")),
            ("slot_id", _lean_json("m.slot_id")),
            ("starts_at", _lean_local("s.starts_at", "e.time_zone")),
            ("ends_at", _lean_local("s.ends_at", "e.time_zone")),
            (
                "table",
                "CASE WHEN m.table_id IS NULL THEN 'null' ELSE "
                + _lean_object(
                    [("id", _lean_json("m.table_id")), ("name", _lean_json("coalesce(t.name, '')"))]
                )
                + " END",
            ),
            (
                "interpreter",
                "CASE WHEN m.interpreter_id IS NULL THEN 'null' ELSE "
                + _lean_object(
                    [("id", _lean_json("m.interpreter_id")), ("name", _lean_json(interpreter_name))]
                )
                + " END",
            ),
            ("purpose", _lean_json("m.purpose")),
            ("priority", _lean_json("m.priority")),
            ("status", _lean_json("m.status")),
            ("sequence", _lean_json("m.sequence")),
            ("locked", _lean_json("m.locked")),
            ("cancel_reason", _lean_json("m.cancel_reason")),
            ("feedback", feedbacks),
            ("outcome", f"CASE WHEN o.meeting_id IS NULL THEN 'null' ELSE {outcome} END"),
            ("version", _lean_json("m.version")),
            ("created_at", _lean_utc("m.created_at")),
            ("updated_at", _lean_utc("m.updated_at")),
        ]
    )


_LEAN_PAGE_STATEMENTS: dict[tuple[Any, ...], tuple[str, tuple[str, ...]]] = {}


def meetings_page_statement(
    *,
    everything: bool,
    filters: Sequence[str],
    after: bool,
    minor_units: dict[str, int],
    default_places: int,
) -> tuple[str, tuple[str, ...]]:
    """SQL of one page of "my meetings" and the names of its parameters in order (`$1` …): the
    visibility and filters of `meetings_page` (`filters`: some of event_id, company_id, registration_id),
    keyset after (slot start, id) when `after`, then `limit`. Built once per shape."""
    shape = (everything, tuple(filters), after)
    cached = _LEAN_PAGE_STATEMENTS.get(shape)
    if cached is not None:
        return cached
    names: list[str] = []

    def parameter(name: str, cast: str) -> str:
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}::{cast}"

    organisation, admin = parameter("organisation_id", "uuid"), parameter("admin", "boolean")
    conditions = []
    if not everything:
        conditions.append(
            f"(m.company_a_id = {organisation} OR m.company_b_id = {organisation} "
            f"OR e.organiser_ids @> ARRAY[{organisation}])"
        )
    if "event_id" in filters:
        conditions.append(f"m.event_id = {parameter('event_id', 'uuid')}")
    if "company_id" in filters:
        company = parameter("company_id", "uuid")
        conditions.append(f"(m.company_a_id = {company} OR m.company_b_id = {company})")
    if "registration_id" in filters:
        conditions.append(f"m.people @> ARRAY[{parameter('registration_id', 'uuid')}]")
    if after:
        position = f"({parameter('after_starts_at', 'timestamptz')}, {parameter('after_id', 'uuid')})"
        conditions.append(f"(s.starts_at, m.id) > {position}")
    where = " AND ".join(conditions) or "true"
    body = meeting_body_sql(
        organisation=organisation, admin=admin, minor_units=minor_units, default_places=default_places
    )
    sql = (
        f"SELECT page.starts_at, page.id, {body} "  # noqa: S608 (our own fragments, never input)
        "FROM (SELECT m.id, s.starts_at FROM meetings.meeting m "
        "JOIN meetings.slot s ON s.id = m.slot_id JOIN meetings.event e ON e.id = m.event_id "
        f"WHERE {where} ORDER BY s.starts_at, m.id LIMIT {parameter('limit', 'integer')}) page "
        "JOIN meetings.meeting m ON m.id = page.id "
        "JOIN meetings.slot s ON s.id = m.slot_id JOIN meetings.event e ON e.id = m.event_id "
        "LEFT JOIN meetings.b2b_table t ON t.id = m.table_id "
        "LEFT JOIN meetings.interpreter i ON i.id = m.interpreter_id "
        "LEFT JOIN meetings.registration ir ON ir.id = i.registration_id "
        "LEFT JOIN meetings.meeting_outcome o ON o.meeting_id = m.id "
        f"{_lean_names_join('a')} {_lean_names_join('b')} "
        "ORDER BY page.starts_at, page.id"
    )
    _LEAN_PAGE_STATEMENTS[shape] = (sql, tuple(names))
    return sql, tuple(names)


async def meetings_page_json(
    connection: Any, sql: str, arguments: Sequence[Any]
) -> list[tuple[datetime, uuid.UUID, str]]:
    """The rows of a `meetings_page_statement`: (slot start, meeting id, its `MeetingRead` JSON)."""
    return [(row[0], row[1], row[2]) for row in await connection.fetch(sql, *arguments)]
