"""Request-side pagination helpers: the `limit` and `cursor` query parameters, the cursor codec, and
`keyset_page`, which every keyset-paginated collection uses to build its page."""

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Query, Request

from plaza_contracts import DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, CursorCodec, Page
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


RowT = TypeVar("RowT")
ItemT = TypeVar("ItemT")


def keyset_page(
    rows: Sequence[RowT],
    *,
    limit: int,
    codec: CursorCodec,
    filters: Mapping[str, Any],
    position: Callable[[RowT], Sequence[Any]],
    present: Callable[[RowT], ItemT],
) -> Page[ItemT]:
    """A page from up to `limit + 1` rows fetched in keyset order: the extra row only says there is more.

    `position` gives the sort key a cursor carries (e.g. `[str(row.id)]`), `present` the API shape of a row.
    """
    items = [present(row) for row in rows[:limit]]
    next_cursor = codec.encode(list(position(rows[limit - 1])), filters) if len(rows) > limit else None
    return Page(items=items, next_cursor=next_cursor)


class _HasId(Protocol):
    @property
    def id(self) -> uuid.UUID: ...


def id_position(row: _HasId) -> list[str]:
    """The cursor position of a row in a collection ordered by id."""
    return [str(row.id)]


class Keyset:
    """The keyset-page parameters of a request (`cursor`, `limit`) and the steps every collection shares.

    A route takes `page: KeysetDep`, asks where the page starts (`page.after_id(filters)` or
    `page.position(filters)`), fetches `page.fetch` rows (one more than asked, to know if there is more),
    and answers `page.of(rows, filters, present)`.
    """

    def __init__(
        self, request: Request, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
    ) -> None:
        self.codec: CursorCodec = request.app.state.cursor_codec
        self.cursor = cursor
        self.limit = limit

    @property
    def fetch(self) -> int:
        """How many rows to fetch: the page and one more."""
        return self.limit + 1

    def position(self, filters: Mapping[str, Any]) -> list[Any] | None:
        """The sort key the page continues after (None for the first page); a bad cursor is a 400."""
        return decode_cursor(self.codec, self.cursor, dict(filters))

    def after_id(self, filters: Mapping[str, Any]) -> uuid.UUID | None:
        """For collections in id order (either direction): the id the page continues from."""
        return decode_cursor_id(self.codec, self.cursor, dict(filters))

    def of(
        self,
        rows: Sequence[RowT],
        filters: Mapping[str, Any],
        present: Callable[[RowT], ItemT],
        position: Callable[[RowT], Sequence[Any]] = id_position,  # type: ignore[assignment]
    ) -> Page[ItemT]:
        """The page of `rows` (fetched with `fetch`), its items presented, with the next cursor if any."""
        return keyset_page(
            rows, limit=self.limit, codec=self.codec, filters=filters, position=position, present=present
        )


KeysetDep = Annotated[Keyset, Depends()]
