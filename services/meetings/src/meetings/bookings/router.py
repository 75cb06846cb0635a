"""HTTP routes of meetings: `/v1/meetings/...` ("my meetings", booking by organisers, moves, check-in,
no-shows, feedback and outcomes)."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, status

from meetings.bookings import service
from meetings.bookings.lean_read import my_meetings
from meetings.bookings.models import MeetingStatus, MeetingView
from meetings.bookings.presenter import to_read
from meetings.bookings.schemas import (
    FeedbackWrite,
    MeetingBook,
    MeetingCancel,
    MeetingMove,
    MeetingRead,
    OutcomeWrite,
)
from meetings.requests import service as requests
from plaza_contracts import Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.db import SessionDep
from plaza_kit.errors import InvalidCursorError
from plaza_kit.idempotency import Created, IdempotentCreateDep
from plaza_kit.identity import Principal
from plaza_kit.lean import LeanReadRoute, lean_answer
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/meetings", tags=["meetings"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such meeting (or not yours)"}}
ORGANISER_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "Not an organiser of the meeting's event"},
}
BOOKING_ERRORS: dict[int | str, dict[str, Any]] = {
    **ORGANISER_ERRORS,
    409: {"description": "A resource is taken in that slot (`slot-taken`: which one, by what, and the next "
          "free slots), no table or interpreter is free (`resource-shortage`), a quota is full "
          "(`quota-exceeded`), or the pair meets already"},
    422: {"description": "Unknown slot, table, interpreter or people; or the who-meets-whom rule"},
}  # fmt: skip


def _position(row: tuple[MeetingView, datetime]) -> list[str]:
    return [row[1].isoformat(), str(row[0].meeting.id)]


def _after(position: list[Any] | None) -> tuple[datetime, uuid.UUID] | None:
    if position is None:
        return None
    try:
        return datetime.fromisoformat(str(position[0])), uuid.UUID(str(position[1]))
    except (ValueError, IndexError) as error:
        raise InvalidCursorError("the cursor does not belong to this collection") from error


@lean_answer(my_meetings)
async def list_meetings(
    session: SessionDep,
    page: KeysetDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
    event_id: uuid.UUID | None = None,
    company_id: uuid.UUID | None = None,
    registration_id: uuid.UUID | None = None,
    status: MeetingStatus | None = None,
) -> Page[MeetingRead]:
    """Your company's meetings and those of the events you organise, in time order; narrow them to one
    event, one company or one person (`registration_id`: "my meetings" of a participant)."""
    filters = {
        "event_id": event_id,
        "company_id": company_id,
        "registration_id": registration_id,
        "status": status,
    }
    rows = await service.list_meetings(
        session,
        principal,
        event_id=event_id,
        company_id=company_id,
        registration_id=registration_id,
        status=status,
        after=_after(page.position(filters)),
        limit=page.fetch,
    )
    return page.of(rows, filters, lambda row: to_read(row[0]), _position)


# The common request is answered by `lean_read.my_meetings` (one statement building the page's JSON); the
# declaration above, and so the OpenAPI document, is unchanged.
router.add_api_route(
    "",
    list_meetings,
    methods=["GET"],
    operation_id="meetings_list",
    summary="List my meetings",
    route_class_override=LeanReadRoute,
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="meetings_book",
    summary="Book a meeting",
    response_model=MeetingRead,
    responses=BOOKING_ERRORS,
    openapi_extra=owner_only(),
)
async def book_meeting(
    body: MeetingBook,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)],
    idempotent: IdempotentCreateDep,
) -> Any:
    """Organisers book a meeting in a slot: from a request (accepting it on the requested company's behalf
    if still open), or directly between two registered companies. The slot is claimed in the database for
    every person, both companies, the table and the interpreter: exactly one of two racing bookings wins."""

    async def create() -> Created:
        meeting, event = await requests.book_for_organiser(session, body, principal)
        read = to_read(await service.view(session, meeting, event, principal))
        return Created(read.model_dump(mode="json"), f"/v1/meetings/{read.id}")

    return await idempotent(principal, body, create)


@router.get(
    "/{meeting_id}",
    operation_id="meetings_get",
    summary="Get a meeting",
    responses=NOT_FOUND,
    openapi_extra=owner_only(),
)
async def get_meeting(
    meeting_id: uuid.UUID, session: SessionDep, principal: Annotated[Principal, requires(Scope.MEETINGS_READ)]
) -> MeetingRead:
    """One meeting (its two companies and the event's organisers; others get 404)."""
    meeting, event = await service.visible_meeting(session, meeting_id, principal, read_only=True)
    return to_read(await service.view(session, meeting, event, principal))


@router.post(
    "/{meeting_id}/reschedule",
    operation_id="meetings_reschedule",
    summary="Move a meeting",
    responses=BOOKING_ERRORS,
    openapi_extra=owner_only(),
)
async def reschedule_meeting(
    meeting_id: uuid.UUID,
    body: MeetingMove,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)],
) -> MeetingRead:
    """Move a meeting to another slot (organisers). It keeps its id; calendars see a new SEQUENCE. If the
    new slot is taken, the meeting stays where it was and the answer is a 409 naming what was taken."""
    moved = await service.reschedule(
        session,
        meeting_id,
        principal,
        body.slot_id,
        table_id=body.table_id,
        interpreter_id=body.interpreter_id,
    )
    return to_read(moved)


@router.post(
    "/{meeting_id}/cancel",
    operation_id="meetings_cancel",
    summary="Cancel a meeting",
    responses={**NOT_FOUND, 409: {"description": "The meeting was held or missed already"}},
    openapi_extra=owner_only(),
)
async def cancel_meeting(
    meeting_id: uuid.UUID,
    body: MeetingCancel,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_WRITE)],
) -> MeetingRead:
    """Cancel (either company or an organiser): the slot is free again; calendars keep the meeting as
    cancelled."""
    return to_read(await service.cancel(session, meeting_id, principal, body.reason))


def _mark_route(path: str, status_value: MeetingStatus, operation_id: str, summary: str, doc: str) -> None:
    async def mark(
        meeting_id: uuid.UUID,
        session: SessionDep,
        principal: Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)],
    ) -> MeetingRead:
        return to_read(await service.mark(session, meeting_id, principal, status_value))

    mark.__doc__ = doc
    router.post(
        f"/{{meeting_id}}/{path}",
        operation_id=operation_id,
        summary=summary,
        responses={**ORGANISER_ERRORS, 422: {"description": "Not allowed from the meeting's status"}},
        openapi_extra=owner_only(),
    )(mark)


_mark_route(
    "check-in",
    MeetingStatus.CHECKED_IN,
    "meetings_check_in",
    "Check a meeting in",
    "Both sides are at the table (organisers).",
)
_mark_route(
    "held",
    MeetingStatus.HELD,
    "meetings_mark_held",
    "Mark a meeting held",
    "The meeting took place (organisers).",
)
_mark_route("no-show", MeetingStatus.NO_SHOW, "meetings_mark_no_show", "Mark a no-show",
            "A side did not come (organisers); a mistaken no-show can still be marked held.")  # fmt: skip


def _lock_route(path: str, locked: bool, operation_id: str, summary: str, doc: str) -> None:
    async def lock(
        meeting_id: uuid.UUID,
        session: SessionDep,
        principal: Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)],
    ) -> MeetingRead:
        return to_read(await service.set_locked(session, meeting_id, principal, locked))

    lock.__doc__ = doc
    router.post(
        f"/{{meeting_id}}/{path}",
        operation_id=operation_id,
        summary=summary,
        responses=ORGANISER_ERRORS,
        openapi_extra=owner_only(),
    )(lock)


_lock_route("lock", True, "meetings_lock", "Lock a meeting",
            "Keep it where it is: runs with `reschedule_unlocked` do not move it (organisers).")  # fmt: skip
_lock_route("unlock", False, "meetings_unlock", "Unlock a meeting",
            "Runs with `reschedule_unlocked` may move it again (organisers).")  # fmt: skip


@router.put(
    "/{meeting_id}/feedback",
    operation_id="meetings_feedback",
    summary="Rate a meeting",
    responses={**NOT_FOUND, 403: {"description": "Not a side of the meeting"}},
    openapi_extra=owner_only(),
)
async def write_feedback(
    meeting_id: uuid.UUID,
    body: FeedbackWrite,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_WRITE)],
) -> MeetingRead:
    """Your side's 1–5 rating and notes (the notes are private to your company and the organisers)."""
    return to_read(await service.write_feedback(session, meeting_id, principal, body))


@router.put(
    "/{meeting_id}/outcome",
    operation_id="meetings_outcome",
    summary="Record a meeting's outcome",
    responses={**NOT_FOUND, 409: {"description": "A cancelled or missed meeting has no outcome"}},
    openapi_extra=owner_only(),
)
async def write_outcome(
    meeting_id: uuid.UUID,
    body: OutcomeWrite,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_WRITE)],
) -> MeetingRead:
    """What came of the meeting: no interest, follow-up, or cooperation possible, with its purpose and an
    optional estimated value (the investment service opens leads from these)."""
    return to_read(await service.write_outcome(session, meeting_id, principal, body))
