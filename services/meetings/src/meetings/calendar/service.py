"""Calendar feeds: create one (its secret shown once), list and revoke them, read a feed by its secret.

A feed's URL is its credential: calendar apps cannot send a key. The token is 256 random bits; only its
SHA-256 is stored, so the database (or a backup of it) cannot open a feed, and revoking the row closes the
URL for good. Who may create, see and revoke a feed: the event's organisers, and the company the feed is
for (a person's feed belongs to the person's company). Anyone else gets 404, as if there were none.
"""

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from meetings.access import acts_for, is_organiser, sees_company
from meetings.calendar import repository
from meetings.calendar.labels import DEFAULT_LANGUAGE, LANGUAGES
from meetings.calendar.models import CalendarFeed, FeedContent, FeedKind, NewFeed
from meetings.calendar.schemas import CalendarFeedCreate
from meetings.events.service import visible_event
from plaza_kit.errors import NotFoundError
from plaza_kit.identity import Principal

TOKEN_PREFIX = "plzcal_"  # noqa: S105 (a prefix that secret scanners recognise, like the gateway's `plz_`)
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 100


def token_hash(token: str) -> bytes:
    """The SHA-256 of a token: what is stored and looked up."""
    return hashlib.sha256(token.encode()).digest()


def _first_language(languages: Sequence[str]) -> str:
    return next((language for language in languages if language in LANGUAGES), DEFAULT_LANGUAGE)


async def create_feed(
    session: AsyncSession, event_id: uuid.UUID, data: CalendarFeedCreate, principal: Principal
) -> NewFeed:
    """A new feed of a company's or a person's meetings at the event."""
    event = await visible_event(session, event_id, principal)
    if data.registration_id is not None:
        person = await repository.registration(session, event.id, data.registration_id)
        if person is None or not sees_company(principal, event, person.company_id):
            raise NotFoundError(f"no registration {data.registration_id} at event {event.id}")
        kind, company_id, registration_id = FeedKind.PERSON, person.company_id, person.id
        language = data.language or _first_language(person.languages)
    else:
        assert data.company_id is not None  # the schema asks for exactly one of the two
        if not sees_company(principal, event, data.company_id):
            raise NotFoundError(f"no company {data.company_id} at event {event.id}")
        kind, company_id, registration_id = FeedKind.COMPANY, data.company_id, None
        language = data.language or _first_language(
            await repository.company_languages(session, event.id, data.company_id)
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    feed = CalendarFeed(
        event_id=event.id,
        kind=kind,
        company_id=company_id,
        registration_id=registration_id,
        language=language,
        token_hash=token_hash(token),
        created_by=principal.subject,
        created_at=datetime.now(UTC),
    )
    session.add(feed)
    await session.flush()
    return NewFeed(feed, token)


async def list_feeds(
    session: AsyncSession,
    event_id: uuid.UUID,
    principal: Principal,
    *,
    after_id: uuid.UUID | None,
    limit: int,
) -> Sequence[CalendarFeed]:
    """The feeds the caller may see: all of the event's for organisers, else its own company's."""
    event = await visible_event(session, event_id, principal)
    if is_organiser(principal, event):
        company_id = None
    elif principal.organisation_id is not None:
        company_id = principal.organisation_id
    else:
        return []
    return await repository.active_page(
        session, event.id, company_id=company_id, after_id=after_id, limit=limit
    )


async def revoke_feed(
    session: AsyncSession, event_id: uuid.UUID, feed_id: uuid.UUID, principal: Principal
) -> None:
    """Revoke a feed: its URL answers 404 from now on."""
    event = await visible_event(session, event_id, principal)
    feed = await repository.active_feed(session, event.id, feed_id)
    if feed is None or not (is_organiser(principal, event) or acts_for(principal, feed.company_id)):
        raise NotFoundError(f"no calendar feed {feed_id} at event {event.id}")
    await repository.revoke(session, feed.id, datetime.now(UTC))


async def feed_content(session: AsyncSession, token: str) -> FeedContent:
    """What the feed a token opens shows; an unknown, malformed or revoked token is a 404."""
    found = None
    if token.startswith(TOKEN_PREFIX) and len(token) <= MAX_TOKEN_LENGTH:
        found = await repository.active_by_hash(session, token_hash(token))
    if found is None:
        raise NotFoundError("no such calendar feed (the link is wrong, or it was revoked)")
    feed, event = found
    meetings = await repository.meetings_of(session, feed)
    company_ids = sorted(
        {company for meeting in meetings for company in (meeting.company_a_id, meeting.company_b_id)}
    )
    companies = await repository.company_names(session, event.id, company_ids)
    return FeedContent(feed, event, meetings, companies)
