"""HTTP routes of meeting requests: `/v1/events/{event_id}/requests/...`."""

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, status
from pydantic import Field

from meetings.bookings.presenter import placement_read
from meetings.bookings.presenter import to_read as meeting_read
from meetings.bookings.schemas import MeetingRead
from meetings.bookings.service import view as meeting_view
from meetings.events.service import visible_event
from meetings.requests import service
from meetings.requests.models import RequestStatus
from meetings.requests.presenter import to_read
from meetings.requests.schemas import AvailableSlots, RequestAccept, RequestAnswer, RequestCreate, RequestRead
from plaza_contracts import ContractModel, Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.db import SessionDep
from plaza_kit.idempotency import Created, IdempotentCreateDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/events/{event_id}/requests", tags=["requests"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such event or request (or not yours)"}}
ANSWER_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "Not the company that may do this, nor an organiser"},
    409: {"description": "The request is no longer open, or the slot was taken (`slot-taken`, with the next "
          "free slots), or no table or interpreter is free (`resource-shortage`), or a quota is full"},
}  # fmt: skip


class AcceptedRequest(ContractModel):
    """The accepted request and, when a slot was given or held, the meeting booked from it."""

    request: RequestRead
    meeting: MeetingRead | None = Field(description="The booked meeting, or null when it awaits a slot.")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="requests_create",
    summary="Request a meeting",
    response_model=RequestRead,
    responses={
        **NOT_FOUND,
        403: {"description": "Not your company (organisers may request for anyone)"},
        409: {
            "description": "An open request or a meeting exists for the pair, or the proposed slot is taken"
        },
        422: {"description": "People not registered for their company, or the event's who-meets-whom rule"},
    },
    openapi_extra=owner_only(),
)
async def create_request(
    event_id: uuid.UUID,
    body: RequestCreate,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_WRITE)],
    idempotent: IdempotentCreateDep,
) -> Any:
    """Ask another company for a meeting, naming who attends for you; optionally hold a proposed slot (it
    counts as busy until the request is answered or expires). One open request per pair. Organisers may
    create requests on behalf of participants. Send an `Idempotency-Key` to make retries safe."""

    async def create() -> Created:
        read = to_read(await service.create_request(session, event_id, body, principal))
        return Created(read.model_dump(mode="json"), f"/v1/events/{event_id}/requests/{read.id}")

    return await idempotent(principal, body, create)


@router.get("", operation_id="requests_list", summary="List meeting requests", responses=NOT_FOUND)
async def list_requests(
    event_id: uuid.UUID,
    session: SessionDep,
    page: KeysetDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
    company_id: uuid.UUID | None = None,
    direction: Literal["sent", "received"] | None = None,
    status: RequestStatus | None = None,
) -> Page[RequestRead]:
    """Requests your company sent and received (organisers: all of the event's, or one company's)."""
    filters = {"company_id": company_id, "direction": direction, "status": status}
    rows = await service.list_requests(
        session,
        event_id,
        principal,
        company_id=company_id,
        direction=direction,
        status=status,
        after_id=page.after_id(filters),
        limit=page.fetch,
    )
    return page.of(rows, filters, to_read, lambda view: [str(view.request.id)])


@router.get(
    "/{request_id}",
    operation_id="requests_get",
    summary="Get a meeting request",
    responses=NOT_FOUND,
    openapi_extra=owner_only(),
)
async def get_request(
    event_id: uuid.UUID,
    request_id: uuid.UUID,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
) -> RequestRead:
    """One request (its two companies and the organisers; others get 404)."""
    request, _ = await service.visible_request(session, event_id, request_id, principal)
    return to_read(await service.view(session, request))


@router.get(
    "/{request_id}/available-slots",
    operation_id="requests_available_slots",
    summary="Find slots for a request",
    responses=NOT_FOUND,
    openapi_extra=owner_only(),
)
async def available_slots(
    event_id: uuid.UUID,
    request_id: uuid.UUID,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
) -> AvailableSlots:
    """Slots where both sides' people and companies, a table and — when the sides share no language — an
    interpreter are free, each with the table and interpreter the meeting would get."""
    event, interpreter, placements = await service.available_slots(session, event_id, request_id, principal)
    return AvailableSlots(
        needs_interpreter=interpreter, items=[placement_read(p, event.time_zone) for p in placements]
    )


@router.post(
    "/{request_id}/accept",
    operation_id="requests_accept",
    summary="Accept a meeting request",
    responses=ANSWER_ERRORS,
    openapi_extra=owner_only(),
)
async def accept_request(
    event_id: uuid.UUID,
    request_id: uuid.UUID,
    body: RequestAccept,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_WRITE)],
) -> AcceptedRequest:
    """Accept (the requested company, or an organiser on its behalf). With `slot_id` — or when the request
    holds a proposed slot — the meeting is booked at once with a table and, if needed, an interpreter;
    if another booking took a resource first, nothing changes and the answer is a 409 naming it."""
    accepted, meeting = await service.accept(session, event_id, request_id, principal, body)
    shown = None
    if meeting is not None:
        event = await visible_event(session, event_id, principal)
        shown = meeting_read(await meeting_view(session, meeting, event, principal))
    return AcceptedRequest(request=to_read(accepted), meeting=shown)


@router.post(
    "/{request_id}/decline",
    operation_id="requests_decline",
    summary="Decline a meeting request",
    responses=ANSWER_ERRORS,
    openapi_extra=owner_only(),
)
async def decline_request(
    event_id: uuid.UUID,
    request_id: uuid.UUID,
    body: RequestAnswer,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_WRITE)],
) -> RequestRead:
    """Decline (the requested company, or an organiser); a held slot is free again."""
    return to_read(await service.decline(session, event_id, request_id, principal, body.note))


@router.post(
    "/{request_id}/withdraw",
    operation_id="requests_withdraw",
    summary="Withdraw a meeting request",
    responses=ANSWER_ERRORS,
    openapi_extra=owner_only(),
)
async def withdraw_request(
    event_id: uuid.UUID,
    request_id: uuid.UUID,
    body: RequestAnswer,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_WRITE)],
) -> RequestRead:
    """Withdraw (the requesting company, or an organiser); a held slot is free again."""
    return to_read(await service.withdraw(session, event_id, request_id, principal, body.note))
