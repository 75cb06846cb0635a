"""HTTP routes of events: `/v1/events` and `/v1/events/{event_id}` (the agenda, registrations, B2B set-up,
requests and meetings of an event are routed by their own packages under the same prefix)."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Response, status

from meetings.events import service
from meetings.events.models import EventStatus
from meetings.events.presenter import to_read
from meetings.events.schemas import EventCreate, EventRead, EventUpdate, StatusChange
from plaza_contracts import Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.client_registry import RegistryDep
from plaza_kit.concurrency import IfMatchHeader, entity_tag
from plaza_kit.db import SessionDep
from plaza_kit.idempotency import Created, IdempotentCreateDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/events", tags=["events"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such event (or a draft of others)"}}
ORGANISER_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "Not an organiser of the event"},
}
ETAG_HEADER = {"ETag": {"description": "The event's version, for `If-Match`", "schema": {"type": "string"}}}


def _with_etag(response: Response, read: EventRead) -> EventRead:
    response.headers["ETag"] = entity_tag(read.version)
    return read


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="events_create",
    summary="Create an event",
    response_model=EventRead,
    responses={422: {"description": "Invalid event, or an organiser the registry does not know"}},
)
async def create_event(
    body: EventCreate,
    session: SessionDep,
    registry: RegistryDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)],
    idempotent: IdempotentCreateDep,
) -> Any:
    """Create a draft event organised by your organisation (and the organisations you name, checked against
    the registry). Send an `Idempotency-Key` to make retries safe."""

    async def create() -> Created:
        read = to_read(await service.create_event(session, registry, body, principal))
        return Created(read.model_dump(mode="json"), f"/v1/events/{read.id}")

    return await idempotent(principal, body, create)


@router.get("", operation_id="events_list", summary="List events")
async def list_events(
    session: SessionDep,
    page: KeysetDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
    status: EventStatus | None = None,
) -> Page[EventRead]:
    """Events in creation order: every published event, and the drafts your organisation organises."""
    filters = {"status": status}
    rows = await service.list_events(
        session, principal, status=status, after_id=page.after_id(filters), limit=page.fetch
    )
    return page.of(rows, filters, to_read)


@router.get(
    "/{event_id}",
    operation_id="events_get",
    summary="Get an event",
    responses={**NOT_FOUND, 200: {"headers": ETAG_HEADER, "description": "The event"}},
)
async def get_event(
    event_id: uuid.UUID,
    session: SessionDep,
    response: Response,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
) -> EventRead:
    """One event, with its times in its own time zone."""
    return _with_etag(response, to_read(await service.visible_event(session, event_id, principal)))


@router.patch(
    "/{event_id}",
    operation_id="events_update",
    summary="Update an event",
    responses={
        **ORGANISER_ERRORS,
        200: {"headers": ETAG_HEADER, "description": "The updated event"},
        409: {"description": "The change contradicts stored registrations, slots or quotas"},
        412: {"description": "`If-Match` names an older version"},
    },
    openapi_extra=owner_only(),
)
async def update_event(
    event_id: uuid.UUID,
    body: EventUpdate,
    session: SessionDep,
    registry: RegistryDep,
    response: Response,
    principal: Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)],
    if_match: IfMatchHeader = None,
) -> EventRead:
    """Change some fields (JSON merge patch). Send the `ETag` you read as `If-Match`."""
    event = await service.update_event(session, registry, event_id, body, principal, if_match)
    return _with_etag(response, to_read(event))


@router.post(
    "/{event_id}/status",
    operation_id="events_change_status",
    summary="Change an event's status",
    responses={
        **ORGANISER_ERRORS,
        422: {"description": "Not an allowed transition (the allowed are listed)"},
    },
    openapi_extra=owner_only(),
)
async def change_status(
    event_id: uuid.UUID,
    body: StatusChange,
    session: SessionDep,
    response: Response,
    principal: Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)],
) -> EventRead:
    """Open registration, close it, finish the event: draft → open → closed → finished (closed → open
    reopens). Any other move is a 422 listing the allowed ones."""
    event = await service.change_status(session, event_id, body.status, principal)
    return _with_etag(response, to_read(event))
