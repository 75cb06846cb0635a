"""Queries of calendar feeds and of what a feed shows; no commits here (the request boundary commits)."""

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.calendar.models import (
    CalendarFeed,
    CompanyNames,
    FeedContent,
    FeedEvent,
    FeedMeeting,
    FeedState,
    FeedSubject,
)
from meetings.registrations.models import Registration


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


# --- a feed read in one statement -------------------------------------------------------------------------
#
# A calendar app polls its feed; the feed is the same until one of its meetings, their tables, interpreters
# or companies' names, the event or the feed changes. One statement resolves the token and builds, as JSON,
# everything the feed's text is made of (`FeedContent`): its fingerprint is the MD5 of that JSON, computed
# in the same snapshot as the content, so a body rendered from the content is exactly the body of that
# fingerprint: a cache keyed by it can never serve stale text. The content itself is sent only when the
# fingerprint differs from the one the reader already has. Runs on a plain asyncpg connection (`$n`).

_UTC_TEXT = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
_SHOWN = (
    "m.id, m.status, m.sequence, " + _UTC_TEXT.format("m.updated_at") + " AS updated_at, "
    "m.company_a_id, m.company_b_id, s.starts_at, "
    + _UTC_TEXT.format("s.starts_at")
    + " AS starts_text, "
    + _UTC_TEXT.format("s.ends_at")
    + " AS ends_text, t.name AS table_name, ir.name_ko, ir.name_ja, ir.name_en "
    "FROM meetings.meeting m JOIN meetings.slot s ON s.id = m.slot_id "
    "LEFT JOIN meetings.b2b_table t ON t.id = m.table_id "
    "LEFT JOIN meetings.interpreter i ON i.id = m.interpreter_id "
    "LEFT JOIN meetings.registration ir ON ir.id = i.registration_id "
)
# Which meetings a feed shows (a company's: either side; a person's: those they attend, `people` holding
# both sides' registrations and the interpreter's); the conditions on `f` alone gate each branch once.
FEED_STATE_SQL = (
    "SELECT f.id, md5(c.content), CASE WHEN md5(c.content) IS DISTINCT FROM $2 THEN c.content END "  # noqa: S608
    "FROM meetings.calendar_feed f JOIN meetings.event e ON e.id = f.event_id "
    "CROSS JOIN LATERAL (SELECT coalesce(json_agg(json_build_array(q.id, q.status, q.sequence, q.updated_at, "
    "q.company_a_id, q.company_b_id, q.starts_text, q.ends_text, q.table_name, q.name_ko, q.name_ja, "
    "q.name_en) ORDER BY q.starts_at, q.id), '[]') AS meetings, "
    "coalesce(array_agg(q.company_a_id) || array_agg(q.company_b_id), '{}') AS companies FROM ("
    f"SELECT {_SHOWN} WHERE f.registration_id IS NULL AND m.event_id = f.event_id "
    "AND m.company_a_id = f.company_id "
    f"UNION ALL SELECT {_SHOWN} WHERE f.registration_id IS NULL AND m.event_id = f.event_id "
    "AND m.company_b_id = f.company_id "  # never the first branch's too: a CHECK keeps a and b apart
    f"UNION ALL SELECT {_SHOWN} WHERE f.registration_id IS NOT NULL AND m.event_id = f.event_id "
    "AND m.people @> ARRAY[f.registration_id]) q) shown "
    "CROSS JOIN LATERAL (SELECT coalesce(json_agg(json_build_array(n.company_id, n.company_name_ko, "
    "n.company_name_ja, n.company_name_en) ORDER BY n.company_id), '[]') AS names FROM ("
    "SELECT DISTINCT ON (r.company_id) r.company_id, r.company_name_ko, r.company_name_ja, r.company_name_en "
    "FROM meetings.registration r WHERE r.event_id = f.event_id AND r.company_id = ANY(shown.companies) "
    "ORDER BY r.company_id, r.id) n) named "
    "CROSS JOIN LATERAL (SELECT json_build_array(f.company_id, f.language, e.title_ko, e.title_ja, "
    "e.title_en, e.venue_name, e.time_zone, shown.meetings, named.names)::text AS content) c "
    "WHERE f.token_hash = $1 AND f.revoked_at IS NULL"
)
"""The feed a token's hash ($1) opens, unless revoked: (id, fingerprint, content JSON unless it is $2's)."""


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _content(text: str) -> FeedContent:
    """`FeedContent` from the JSON `FEED_STATE_SQL` builds."""
    company_id, language, title_ko, title_ja, title_en, venue, zone, meetings, names = json.loads(text)
    return FeedContent(
        feed=FeedSubject(uuid.UUID(company_id), language),
        event=FeedEvent(title_ko, title_ja, title_en, venue, zone),
        meetings=[
            FeedMeeting(
                id=uuid.UUID(row[0]),
                status=row[1],
                sequence=row[2],
                updated_at=_utc(row[3]),
                company_a_id=uuid.UUID(row[4]),
                company_b_id=uuid.UUID(row[5]),
                starts_at=_utc(row[6]),
                ends_at=_utc(row[7]),
                table_name=row[8],
                interpreter_ko=row[9],
                interpreter_ja=row[10],
                interpreter_en=row[11],
            )
            for row in meetings
        ],
        companies={uuid.UUID(row[0]): CompanyNames(row[1], row[2], row[3]) for row in names},
    )


async def feed_state(connection: Any, token_hash: bytes, known: str | None) -> FeedState | None:
    """The feed `token_hash` opens (None: unknown or revoked), its fingerprint, and its content unless the
    fingerprint is `known`: one statement."""
    row = await connection.fetchrow(FEED_STATE_SQL, token_hash, known)
    if row is None:
        return None
    return FeedState(row[0], row[1], _content(row[2]) if row[2] is not None else None)
