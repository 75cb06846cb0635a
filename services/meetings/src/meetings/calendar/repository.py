"""Queries of calendar feeds and of what a feed shows; no commits here (the request boundary commits)."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.agenda.models import Slot
from meetings.bookings.models import Meeting
from meetings.calendar.models import CalendarFeed, CompanyNames, FeedMeeting
from meetings.events.models import Event
from meetings.registrations.models import Registration
from meetings.setup.models import Interpreter, MeetingTable


async def active_by_hash(session: AsyncSession, token_hash: bytes) -> tuple[CalendarFeed, Event] | None:
    """The feed a token opens (unless revoked), with its event."""
    query = (
        select(CalendarFeed, Event)
        .join(Event, Event.id == CalendarFeed.event_id)
        .where(CalendarFeed.token_hash == token_hash, CalendarFeed.revoked_at.is_(None))
    )
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row is not None else None


async def active_feed(session: AsyncSession, event_id: uuid.UUID, feed_id: uuid.UUID) -> CalendarFeed | None:
    """A feed of the event that is not revoked, locked for the rest of the transaction."""
    query = (
        select(CalendarFeed)
        .where(
            CalendarFeed.id == feed_id,
            CalendarFeed.event_id == event_id,
            CalendarFeed.revoked_at.is_(None),
        )
        .with_for_update()
    )
    return (await session.scalars(query)).first()


async def active_page(
    session: AsyncSession,
    event_id: uuid.UUID,
    *,
    company_id: uuid.UUID | None,
    after_id: uuid.UUID | None,
    limit: int,
) -> Sequence[CalendarFeed]:
    """The event's feeds that are not revoked in id order; only `company_id`'s when given."""
    query = (
        select(CalendarFeed)
        .where(CalendarFeed.event_id == event_id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.id)
        .limit(limit)
    )
    if company_id is not None:
        query = query.where(CalendarFeed.company_id == company_id)
    if after_id is not None:
        query = query.where(CalendarFeed.id > after_id)
    return (await session.scalars(query)).all()


async def revoke(session: AsyncSession, feed_id: uuid.UUID, at: datetime) -> None:
    """Mark a feed revoked: its token opens nothing from now on."""
    await session.execute(update(CalendarFeed).where(CalendarFeed.id == feed_id).values(revoked_at=at))


async def registration(
    session: AsyncSession, event_id: uuid.UUID, registration_id: uuid.UUID
) -> Registration | None:
    """A registration of the event."""
    query = select(Registration).where(Registration.id == registration_id, Registration.event_id == event_id)
    return (await session.scalars(query)).first()


async def company_languages(session: AsyncSession, event_id: uuid.UUID, company_id: uuid.UUID) -> list[str]:
    """The languages of the company's first registration at the event (none when it has none)."""
    query = (
        select(Registration.languages)
        .where(Registration.event_id == event_id, Registration.company_id == company_id)
        .order_by(Registration.id)
        .limit(1)
    )
    languages = (await session.scalars(query)).first()
    return list(languages or [])


async def meetings_of(session: AsyncSession, feed: CalendarFeed) -> list[FeedMeeting]:
    """Every meeting the feed shows, cancelled ones too, in slot order.

    A company's feed: the meetings of either side being the company. A person's: the meetings they attend
    (`people` holds both sides' registrations and the interpreter's).
    """
    interpreter = Registration.__table__.alias("interpreter_registration")
    query = (
        select(
            Meeting.id,
            Meeting.status,
            Meeting.sequence,
            Meeting.updated_at,
            Meeting.company_a_id,
            Meeting.company_b_id,
            Slot.starts_at,
            Slot.ends_at,
            MeetingTable.name,
            interpreter.c.name_ko,
            interpreter.c.name_ja,
            interpreter.c.name_en,
        )
        .join(Slot, Slot.id == Meeting.slot_id)
        .outerjoin(MeetingTable, MeetingTable.id == Meeting.table_id)
        .outerjoin(Interpreter, Interpreter.id == Meeting.interpreter_id)
        .outerjoin(interpreter, interpreter.c.id == Interpreter.registration_id)
        .where(Meeting.event_id == feed.event_id)
        .order_by(Slot.starts_at, Meeting.id)
    )
    if feed.registration_id is not None:
        query = query.where(Meeting.people.contains([feed.registration_id]))
    else:
        query = query.where(
            or_(Meeting.company_a_id == feed.company_id, Meeting.company_b_id == feed.company_id)
        )
    return [FeedMeeting(*row) for row in (await session.execute(query)).all()]


async def company_names(
    session: AsyncSession, event_id: uuid.UUID, company_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, CompanyNames]:
    """The names the companies registered with at the event (from each one's first registration)."""
    if not company_ids:
        return {}
    query = (
        select(
            Registration.company_id,
            Registration.company_name_ko,
            Registration.company_name_ja,
            Registration.company_name_en,
        )
        .where(Registration.event_id == event_id, Registration.company_id.in_(company_ids))
        .order_by(Registration.company_id, Registration.id)
        .ext(distinct_on(Registration.company_id))
    )
    return {row[0]: CompanyNames(row[1], row[2], row[3]) for row in (await session.execute(query)).all()}
