"""The lean read of "my meetings": `GET /v1/meetings` answered by one statement that builds the page's JSON.

The common request — a person's, a company's and/or an event's meetings, a page with its cursor — is
answered here (`my_meetings`, the route's lean answer: `plaza_kit.lean.LeanReadRoute`) without the ORM,
pydantic or FastAPI's dependency solving: PostgreSQL builds each `MeetingRead` as pydantic would write it
(`repository.meetings_page_statement`), this module decodes the cursor, joins the items and signs the next
cursor exactly as `Keyset.of(..., _position)` does. Anything else (a `status` filter, a repeated or
malformed parameter) returns None, and FastAPI answers as declared. `tests/test_fast_meetings.py` compares
the bytes of both paths, so they cannot drift.
"""

import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from fastapi import FastAPI, Request, Response

from meetings.bookings import repository
from plaza_contracts import MAX_PAGE_LIMIT, CursorCodec
from plaza_contracts.iso_codes import CURRENCY_MINOR_UNITS
from plaza_kit.auth import principal_of
from plaza_kit.errors import InvalidCursorError
from plaza_kit.pagination import DEFAULT_LIMIT, decode_cursor
from plaza_kit.read_pool import ReadPool

T = TypeVar("T")
JSON = "application/json"
FILTERS = ("event_id", "company_id", "registration_id")
_ASKED = frozenset({*FILTERS, "limit", "cursor"})
DEFAULT_PLACES = 2  # plaza_contracts.minor_units of a currency it does not list
MAX_CURSOR_LENGTH = 512  # plaza_kit.pagination.CursorQuery


async def run_read(app: FastAPI, read: Callable[[Any], Awaitable[T]]) -> T:
    """`read(connection)` on the app's read pool (`plaza_kit.read_pool`)."""
    reads: ReadPool = app.state.read_pool
    return await reads.run(read)


def _canonical_uuid(raw: str) -> uuid.UUID | None:
    try:
        value = uuid.UUID(raw)
    except ValueError:
        return None
    return value if str(value) == raw else None


def _after(position: list[Any] | None) -> tuple[datetime, uuid.UUID] | None:
    """Where the page continues (the route's `_after`: a cursor of another shape is a 400)."""
    if position is None:
        return None
    try:
        return datetime.fromisoformat(str(position[0])), uuid.UUID(str(position[1]))
    except (ValueError, IndexError) as error:
        raise InvalidCursorError("the cursor does not belong to this collection") from error


def page_bytes(items: list[str], next_cursor: str | None) -> bytes:
    """A `Page[MeetingRead]` body from the JSON of its items: the bytes pydantic writes."""
    cursor = "null" if next_cursor is None else json.dumps(next_cursor)
    return ('{"items":[' + ",".join(items) + '],"next_cursor":' + cursor + "}").encode()


async def my_meetings(request: Request) -> Response | None:
    """The lean answer of `GET /v1/meetings` (after the route's identity check); None: FastAPI answers."""
    given = request.query_params
    if not given.keys() <= _ASKED or len(given.multi_items()) != len(given):
        return None
    values: dict[str, uuid.UUID | None] = dict.fromkeys(FILTERS)
    for name in FILTERS:
        raw = given.get(name)
        if raw is not None:
            values[name] = _canonical_uuid(raw)
            if values[name] is None:
                return None  # FastAPI's validation answers (422), or parses a form we do not
    raw_limit, cursor = given.get("limit"), given.get("cursor")
    if raw_limit is not None and not (raw_limit.isascii() and raw_limit.isdigit()):
        return None
    limit = DEFAULT_LIMIT if raw_limit is None else int(raw_limit)
    if not 1 <= limit <= MAX_PAGE_LIMIT or (cursor is not None and len(cursor) > MAX_CURSOR_LENGTH):
        return None
    filters: dict[str, Any] = {**values, "status": None}  # the route's cursor filters
    codec: CursorCodec = request.app.state.cursor_codec
    after = _after(decode_cursor(codec, cursor, filters))
    principal = principal_of(request, None)  # verified by the route's rule just before
    if not principal.is_admin and principal.organisation_id is None:
        return Response(page_bytes([], None), media_type=JSON)
    present = [name for name in FILTERS if values[name] is not None]
    sql, names = repository.meetings_page_statement(
        everything=principal.is_admin,
        filters=present,
        after=after is not None,
        minor_units=CURRENCY_MINOR_UNITS,
        default_places=DEFAULT_PLACES,
    )
    arguments: dict[str, Any] = {
        "organisation_id": principal.organisation_id,
        "admin": principal.is_admin,
        "limit": limit + 1,  # one more: whether there is a next page
        **{name: values[name] for name in present},
    }
    if after is not None:
        arguments["after_starts_at"], arguments["after_id"] = after
    ordered = [arguments[name] for name in names]
    rows = await run_read(
        request.app, lambda connection: repository.meetings_page_json(connection, sql, ordered)
    )
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = codec.encode([last[0].isoformat(), str(last[1])], filters)
    return Response(page_bytes([row[2] for row in rows[:limit]], next_cursor), media_type=JSON)
