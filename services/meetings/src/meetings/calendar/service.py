"""Calendar feeds: create one (its secret shown once), list and revoke them, read a feed by its secret.

A feed's URL is its credential: calendar apps cannot send a key. The token is 256 random bits; only its
SHA-256 is stored, so the database (or a backup of it) cannot open a feed, and revoking the row closes the
URL for good. Who may create, see and revoke a feed: the event's organisers, and the company the feed is
for (a person's feed belongs to the person's company). Anyone else gets 404, as if there were none.
"""

import hashlib
import secrets
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import icalendar
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.access import acts_for, is_organiser, sees_company
from meetings.calendar import ics, labels, presenter, repository
from meetings.calendar.labels import DEFAULT_LANGUAGE, LANGUAGES
from meetings.calendar.models import CalendarFeed, FeedContent, FeedKind, FeedState, NewFeed
from meetings.calendar.schemas import CalendarFeedCreate
from meetings.events.service import visible_event
from plaza_kit.errors import NotFoundError
from plaza_kit.identity import Principal

TOKEN_PREFIX = "plzcal_"  # noqa: S105 (a prefix that secret scanners recognise, like the gateway's `plz_`)
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 100
_GONE = "no such calendar feed (the link is wrong, or it was revoked)"


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


class OpenFeed(NamedTuple):
    """A feed as a read found it: its entity tag (from the fingerprint of its content), and either the
    cached body of exactly that content, or the content to render."""

    feed_id: uuid.UUID
    fingerprint: str
    tag: str
    body: bytes | None
    content: FeedContent | None


class _Rendered(NamedTuple):
    feed_id: uuid.UUID
    fingerprint: str
    tag: str
    body: bytes


Reader = Callable[[Callable[[Any], Awaitable[FeedState | None]]], Awaitable[FeedState | None]]
"""Runs one read on a connection (`bookings.lean_read.run_read` bound to the app)."""

CACHE_SIZE = 1024  # feeds whose rendered body is kept (a few kB each; 100 feeds read in turn in the bench)
_cache: OrderedDict[bytes, _Rendered] = OrderedDict()  # by token hash; in this process only

# What else the bytes of a feed depend on: the renderer's code and the icalendar it drives. Part of the tag,
# so that a deploy that changes the rendering changes every tag (a 304 never keeps an old rendering).
_RENDERER = hashlib.sha256(
    b"".join(Path(module.__file__ or "").read_bytes() for module in (ics, labels, presenter))
    + icalendar.__version__.encode()
).digest()


def entity_tag(fingerprint: str) -> str:
    """The feed's `ETag`: the same for the same content and renderer, whatever process answers."""
    return f'"{hashlib.sha256(_RENDERER + fingerprint.encode()).hexdigest()[:32]}"'


async def open_feed(reads: Reader, token: str) -> OpenFeed:
    """The feed a token opens, in one statement; an unknown, malformed or revoked token is a 404.

    The rendered body is cached per token with the fingerprint of the content it was rendered from; the
    statement says whether the stored content still has that fingerprint, and sends the content only
    when it does not, so a cached body is served only while it is exactly what rendering would give.
    """
    if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN_LENGTH:
        raise NotFoundError(_GONE)
    key = token_hash(token)
    cached = _cache.get(key)
    known = cached.fingerprint if cached is not None else None
    state = await reads(lambda connection: repository.feed_state(connection, key, known))
    if state is not None and state.content is None and (cached is None or cached.feed_id != state.feed_id):
        state = await reads(lambda connection: repository.feed_state(connection, key, None))  # (defensive)
    if state is None:
        _cache.pop(key, None)
        raise NotFoundError(_GONE)
    tag = entity_tag(state.fingerprint)
    if state.content is None and cached is not None:
        _cache.move_to_end(key)
        return OpenFeed(state.feed_id, state.fingerprint, tag, cached.body, None)
    return OpenFeed(state.feed_id, state.fingerprint, tag, None, state.content)


def feed_body(token: str, opened: OpenFeed) -> bytes:
    """The feed's iCalendar text: the cached body, or rendered now from the content (and cached)."""
    if opened.body is not None:
        return opened.body
    assert opened.content is not None
    body = presenter.to_ics(opened.content)
    _cache[token_hash(token)] = _Rendered(opened.feed_id, opened.fingerprint, opened.tag, body)
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return body
