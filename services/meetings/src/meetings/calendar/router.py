"""HTTP routes of calendar feeds: `/v1/events/{event_id}/calendar-feeds` (with a key) and the feeds
themselves, `/v1/calendar/{token}.ics`, read without one (the secret in the path is the credential)."""

import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response, status

from meetings.bookings.lean_read import run_read
from meetings.calendar import service
from meetings.calendar.ics import MEDIA_TYPE
from meetings.calendar.presenter import to_created, to_read
from meetings.calendar.schemas import CalendarFeedCreate, CalendarFeedCreated, CalendarFeedRead
from plaza_contracts import Page
from plaza_kit.auth import owner_only, requires, secret_url, secret_url_operation
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope

feeds_router = APIRouter(prefix="/v1/events/{event_id}/calendar-feeds", tags=["calendar"])
calendar_router = APIRouter(prefix="/v1/calendar", tags=["calendar"])
routers = (feeds_router, calendar_router)

CACHE_CONTROL = "private, max-age=300"
FEED_PATH = "/v1/calendar/{token}.ics"
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")
FeedToken = Annotated[str, Path(description="The feed's secret, as in the URL its creation returned.")]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such event (or a draft of others)"}}


def feed_url(request: Request, token: str) -> str:
    """The absolute URL of a feed as partners reach it: through the gateway, which names the host and scheme
    the caller used (`X-Forwarded-Host`, `-Proto`); called directly, this service's own."""
    host = (request.headers.get("x-forwarded-host") or "").split(",")[0].strip()
    scheme = (request.headers.get("x-forwarded-proto") or "").split(",")[0].strip().lower()
    if not _HOST.match(host) or scheme not in ("http", "https"):
        host, scheme = request.url.netloc, request.url.scheme
    return f"{scheme}://{host}{FEED_PATH.format(token=token)}"


@feeds_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="calendar_feeds_create",
    summary="Create a calendar feed",
    response_model=CalendarFeedCreated,
    responses={
        404: {"description": "No such event, company or person visible to you"},
        201: {
            "description": "The feed and its secret URL (shown only now)",
            "headers": {"Location": {"description": "The feed", "schema": {"type": "string"}}},
        },
    },
    openapi_extra=owner_only(),
)
async def create_feed(
    event_id: uuid.UUID,
    body: CalendarFeedCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
) -> CalendarFeedCreated:
    """A secret URL of a company's (or one person's) meetings at the event, for calendar apps (iCalendar,
    updated as meetings are booked, moved or cancelled). For the event's organisers and for the company
    itself (a person's feed: their company). The URL is in this answer only: keep it like a password.
    Not idempotent on purpose: a replay would have to store the secret to repeat it."""
    created = await service.create_feed(session, event_id, body, principal)
    response.headers["Location"] = f"/v1/events/{event_id}/calendar-feeds/{created.feed.id}"
    response.headers["Cache-Control"] = "no-store"
    return to_created(created.feed, feed_url(request, created.token))


@feeds_router.get("", operation_id="calendar_feeds_list", summary="List calendar feeds", responses=NOT_FOUND)
async def list_feeds(
    event_id: uuid.UUID,
    session: SessionDep,
    page: KeysetDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
) -> Page[CalendarFeedRead]:
    """The event's feeds you may see (organisers: all; a company: its own and its people's), without their
    URLs. Revoked feeds are not listed."""
    rows = await service.list_feeds(
        session, event_id, principal, after_id=page.after_id({}), limit=page.fetch
    )
    return page.of(rows, {}, to_read)


@feeds_router.delete(
    "/{feed_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="calendar_feeds_revoke",
    summary="Revoke a calendar feed",
    responses={404: {"description": "No such feed visible to you (or it is revoked already)"}},
    openapi_extra=owner_only(),
)
async def revoke_feed(
    event_id: uuid.UUID,
    feed_id: uuid.UUID,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
) -> Response:
    """Close the feed's URL for good (calendar apps subscribed to it get 404 from now on)."""
    await service.revoke_feed(session, event_id, feed_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _matches(if_none_match: str | None, tag: str) -> bool:
    """`If-None-Match` names the current representation (weak comparison, RFC 9110 §13.1.2)."""
    if not if_none_match:
        return False
    tags = [candidate.strip().removeprefix("W/") for candidate in if_none_match.split(",")]
    return "*" in tags or tag in tags


FEED_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The feed (iCalendar, RFC 5545)",
        "content": {"text/calendar": {"schema": {"type": "string"}}},
        "headers": {
            "ETag": {"description": "Send it back as `If-None-Match`", "schema": {"type": "string"}},
            "Cache-Control": {"description": "`private, max-age=300`", "schema": {"type": "string"}},
        },
    },
    304: {"description": "Not modified since the `If-None-Match` tag"},
    404: {"description": "No such feed: the link is wrong, or it was revoked"},
    429: {
        "description": "Too many feed reads from your address (the gateway's limit per address)",
        "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
    },
}


async def _feed(request: Request, token: str) -> Response:
    """One statement; the body from the cache while the feed's content is unchanged; a 304 renders nothing."""
    opened = await service.open_feed(lambda read: run_read(request.app, read), token)
    headers = {"ETag": opened.tag, "Cache-Control": CACHE_CONTROL}
    if _matches(request.headers.get("if-none-match"), opened.tag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(service.feed_body(token, opened), media_type=MEDIA_TYPE, headers=headers)


@calendar_router.get(
    "/{token}.ics",
    operation_id="calendar_feed",
    summary="Read a calendar feed",
    response_class=Response,
    responses=FEED_RESPONSES,
    dependencies=[secret_url("token")],
    openapi_extra=secret_url_operation(),
)
async def read_feed(request: Request, token: FeedToken) -> Response:
    """The meetings of the feed's company or person at the event, for calendar apps: booked, held, missed
    and cancelled ones (`STATUS:CANCELLED`), times in the event's zone, texts in the feed's language. No
    key: the secret in the URL is the credential. Poll with `If-None-Match` (304 when nothing changed)."""
    return await _feed(request, token)


@calendar_router.head(
    "/{token}.ics",
    include_in_schema=False,
    dependencies=[secret_url("token")],
    openapi_extra=secret_url_operation(),
)
async def head_feed(request: Request, token: FeedToken) -> Response:
    """The feed's headers (calendar apps may ask before they read)."""
    return await _feed(request, token)
