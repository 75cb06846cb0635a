"""Request-side pagination helpers: the `limit` and `cursor` query parameters and the cursor codec."""

import uuid
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from plaza_contracts import DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, CursorCodec
from plaza_contracts import InvalidCursorError as CursorRejected
from plaza_kit.errors import InvalidCursorError

LimitQuery = Annotated[
    int, Query(ge=1, le=MAX_PAGE_LIMIT, description=f"Items per page (at most {MAX_PAGE_LIMIT}).")
]
CursorQuery = Annotated[
    str | None,
    Query(max_length=512, description="`next_cursor` of the previous page; omit for the first page."),
]
DEFAULT_LIMIT = DEFAULT_PAGE_LIMIT


def _codec(request: Request) -> CursorCodec:
    codec: CursorCodec = request.app.state.cursor_codec
    return codec


CodecDep = Annotated[CursorCodec, Depends(_codec)]


def decode_cursor(codec: CursorCodec, cursor: str | None, filters: dict[str, Any]) -> list[Any] | None:
    """The keyset position in `cursor` (None for the first page); a bad cursor is a 400 problem."""
    if cursor is None:
        return None
    try:
        return codec.decode(cursor, filters)
    except CursorRejected as error:
        raise InvalidCursorError(str(error)) from error


def cursor_uuid(value: object) -> uuid.UUID:
    """An id carried in a cursor; a signed cursor holding something else is still a 400, never a 500."""
    try:
        return uuid.UUID(str(value))
    except ValueError as error:
        raise InvalidCursorError("the cursor is malformed") from error


def decode_cursor_id(codec: CursorCodec, cursor: str | None, filters: dict[str, Any]) -> uuid.UUID | None:
    """For collections in id order (either direction): the id the page continues from (None: first page)."""
    position = decode_cursor(codec, cursor, filters)
    return cursor_uuid(position[0]) if position else None
