"""HTTP routes of the agenda: `/v1/events/{event_id}/sessions` (and their attendees) and the B2B slot grid
`/v1/events/{event_id}/slots`."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Response, status

from meetings.agenda import service
from meetings.agenda.models import AgendaSession, SessionKind
from meetings.agenda.presenter import to_attendee, to_grid, to_read
from meetings.agenda.schemas import (
    AttendanceCreate,
    AttendeeRead,
    SessionCreate,
    SessionRead,
    SessionUpdate,
    SlotGrid,
)
from plaza_contracts import Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.client_registry import RegistryDep
from plaza_kit.db import SessionDep
from plaza_kit.errors import InvalidCursorError
from plaza_kit.idempotency import Created, IdempotentCreateDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep, cursor_uuid
from plaza_kit.scopes import Scope

# The attendee routes come before the session item's: the OpenAPI document then lists them first, so the
# authorisation matrix, which calls operations in document order, exercises them before deleting a session.
router = APIRouter(prefix="/v1/events/{event_id}", tags=["agenda"])
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: {"description": "No such event or session (or a draft of others)"}}
ORGANISER_ERRORS: Responses = {**NOT_FOUND, 403: {"description": "Not an organiser of the event"}}
ATTENDANCE_ERRORS: Responses = {
    **NOT_FOUND,
    403: {"description": "Not the person's company or an organiser"},
}


def _position(row: AgendaSession) -> list[str]:
    return [row.starts_at.isoformat(), str(row.id)]


def _after(position: list[Any] | None) -> tuple[datetime, uuid.UUID] | None:
    """The (starts_at, id) a page of sessions continues after; a malformed cursor is a 400."""
    if position is None:
        return None
    try:
        starts_at = datetime.fromisoformat(str(position[0]))
    except (ValueError, IndexError) as error:
        raise InvalidCursorError("the cursor is malformed") from error
    if starts_at.tzinfo is None or len(position) != 2:
        raise InvalidCursorError("the cursor is malformed")
    return starts_at, cursor_uuid(position[1])


@router.post(
    "/sessions",
    status_code=status.HTTP_201_CREATED,
    operation_id="sessions_create",
    summary="Add a session to the agenda",
    response_model=SessionRead,
    responses={
        **ORGANISER_ERRORS,
        409: {"description": "The room is taken then, or the B2B block overlaps another"},
        422: {"description": "Outside the event, not a whole number of slots, or an unknown company"},
        503: {"description": "The registry is unavailable; nothing was stored"},
    },
    openapi_extra=owner_only(),
)
async def create_session(
    event_id: uuid.UUID,
    body: SessionCreate,
    session: SessionDep,
    registry: RegistryDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)],
    idempotent: IdempotentCreateDep,
) -> Any:
    """Add a keynote, presentation, seminar, IR session, pitch, networking or B2B block (organisers). A B2B
    block is cut into the event's slots at once. Send an `Idempotency-Key` to make retries safe."""

    async def create() -> Created:
        event, row = await service.create_session(session, registry, event_id, body, principal)
        read = to_read(row, event)
        return Created(read.model_dump(mode="json"), f"/v1/events/{event_id}/sessions/{read.id}")

    return await idempotent(principal, body, create)


@router.get(
    "/sessions",
    operation_id="sessions_list",
    summary="List an event's agenda",
    responses={404: {"description": "No such event (or a draft of others)"}},
)
async def list_sessions(
    event_id: uuid.UUID,
    session: SessionDep,
    page: KeysetDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
    kind: SessionKind | None = None,
) -> Page[SessionRead]:
    """The agenda in start order, with times in the event's zone."""
    filters = {"kind": kind}
    event, rows = await service.list_sessions(
        session, event_id, principal, kind=kind, after=_after(page.position(filters)), limit=page.fetch
    )
    return page.of(rows, filters, lambda row: to_read(row, event), position=_position)


@router.post(
    "/sessions/{session_id}/attendees",
    status_code=status.HTTP_201_CREATED,
    operation_id="attendees_create",
    summary="Attend a session",
    responses={
        **ATTENDANCE_ERRORS,
        200: {"description": "The person attends the session already", "model": AttendeeRead},
        409: {"description": "Session full, the person is not confirmed, or has a meeting then"},
        422: {"description": "No such registration (organisers), or the session is a B2B block"},
    },
    openapi_extra=owner_only(),
)
async def add_attendee(
    event_id: uuid.UUID,
    session_id: uuid.UUID,
    body: AttendanceCreate,
    session: SessionDep,
    response: Response,
    principal: Annotated[Principal, requires(Scope.MEETINGS_WRITE)],
) -> AttendeeRead:
    """A confirmed person of your company (organisers: anyone's) attends the session: counted within its
    capacity, and busy for every B2B slot it overlaps (refused when they have a meeting then)."""
    attendance, registration, created = await service.add_attendee(
        session, event_id, session_id, body, principal
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return to_attendee(attendance, registration)


@router.get(
    "/sessions/{session_id}/attendees",
    operation_id="attendees_list",
    summary="List a session's attendees",
    responses=NOT_FOUND,
)
async def list_attendees(
    event_id: uuid.UUID,
    session_id: uuid.UUID,
    session: SessionDep,
    page: KeysetDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
) -> Page[AttendeeRead]:
    """Who attends: organisers see everyone, a company its own people."""
    filters: dict[str, Any] = {}
    rows = await service.list_attendees(
        session, event_id, session_id, principal, after_id=page.after_id(filters), limit=page.fetch
    )
    return page.of(rows, filters, lambda row: to_attendee(*row), position=lambda row: [str(row[1].id)])


@router.delete(
    "/sessions/{session_id}/attendees/{registration_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="attendees_delete",
    summary="Stop attending a session",
    responses={404: {"description": "No such event, session, or registration of yours"}},
    openapi_extra=owner_only(),
)
async def remove_attendee(
    event_id: uuid.UUID,
    session_id: uuid.UUID,
    registration_id: uuid.UUID,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_WRITE)],
) -> Response:
    """The person no longer attends; their B2B slots in that time are free again. Removing a person who
    does not attend changes nothing (204 as well)."""
    await service.remove_attendee(session, event_id, session_id, registration_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/sessions/{session_id}", operation_id="sessions_get", summary="Get a session", responses=NOT_FOUND
)
async def get_session(
    event_id: uuid.UUID,
    session_id: uuid.UUID,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
) -> SessionRead:
    """One session of the agenda."""
    event, row = await service.get_session(session, event_id, session_id, principal)
    return to_read(row, event)


@router.patch(
    "/sessions/{session_id}",
    operation_id="sessions_update",
    summary="Update a session",
    responses={
        **ORGANISER_ERRORS,
        409: {
            "description": "The room is taken then; the block's slots are booked or overlap another block; "
            "more people attend than the new capacity; an attendee has a meeting at the new time"
        },
        422: {"description": "Outside the event, not a whole number of slots, or an unknown company"},
        503: {"description": "The registry is unavailable; nothing was changed"},
    },
    openapi_extra=owner_only(),
)
async def update_session(
    event_id: uuid.UUID,
    session_id: uuid.UUID,
    body: SessionUpdate,
    session: SessionDep,
    registry: RegistryDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)],
) -> SessionRead:
    """Change some fields (JSON merge patch). New times of a B2B block cut its slots again, which is
    refused once meetings, requests or blocked slots hold any of them."""
    event, row = await service.update_session(session, registry, event_id, session_id, body, principal)
    return to_read(row, event)


@router.delete(
    "/sessions/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="sessions_delete",
    summary="Delete a session",
    responses={**ORGANISER_ERRORS, 409: {"description": "Meetings are booked in the B2B block's slots"}},
    openapi_extra=owner_only(),
)
async def delete_session(
    event_id: uuid.UUID,
    session_id: uuid.UUID,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)],
) -> Response:
    """Delete a session and its attendances; a B2B block with its slots (refused while meetings are in
    them)."""
    await service.delete_session(session, event_id, session_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/slots",
    operation_id="slots_list",
    summary="The B2B slot grid",
    responses={404: {"description": "No such event (or a draft of others)"}},
)
async def list_slots(
    event_id: uuid.UUID,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
) -> SlotGrid:
    """Every B2B slot of the event in time order, numbered from 1, with times in the event's zone."""
    event, slots = await service.slot_grid(session, event_id, principal)
    return to_grid(slots, event)
