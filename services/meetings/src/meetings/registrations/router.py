"""HTTP routes of registrations: `/v1/events/{event_id}/registrations` (the door looks a person up with the
list's `check_in_code` filter, then checks them in)."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from meetings.registrations import service
from meetings.registrations.models import RegistrationRole, RegistrationStatus
from meetings.registrations.presenter import to_read
from meetings.registrations.schemas import CheckIn, RegistrationCreate, RegistrationRead, RegistrationUpdate
from plaza_contracts import Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.client_registry import RegistryDep
from plaza_kit.db import SessionDep
from plaza_kit.idempotency import Created, IdempotentCreateDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/events/{event_id}", tags=["registrations"])
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: {"description": "No such event or registration (or a private one of others)"}}
OWNER_ERRORS: Responses = {**NOT_FOUND, 403: {"description": "Not the person's company or an organiser"}}
ORGANISER_ERRORS: Responses = {**NOT_FOUND, 403: {"description": "Not an organiser of the event"}}
CodeQuery = Annotated[
    str | None,
    Query(
        min_length=4,
        max_length=20,
        pattern=r"^[A-Za-z0-9\-]+$",
        description="Only the registration with this check-in code (case and dashes ignored); it matches "
        "only registrations whose code you may see (organisers: all; a company: its own people).",
    ),
]


@router.post(
    "/registrations",
    status_code=status.HTTP_201_CREATED,
    operation_id="registrations_create",
    summary="Register a person",
    response_model=RegistrationRead,
    responses={
        **OWNER_ERRORS,
        409: {"description": "Registration is not open (companies) or the event is finished"},
        422: {"description": "Invalid person, or a company the registry does not know"},
        503: {"description": "The registry is unavailable; nothing was stored"},
    },
    openapi_extra=owner_only(),
)
async def create_registration(
    event_id: uuid.UUID,
    body: RegistrationCreate,
    session: SessionDep,
    registry: RegistryDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_WRITE)],
    idempotent: IdempotentCreateDep,
) -> Any:
    """Register a person of a registry company: your own company's people while the event is open, or
    anyone's when you organise the event. Confirmed while the event has room, else waitlisted (promoted
    in order when someone cancels). Send an `Idempotency-Key` to make retries safe."""

    async def create() -> Created:
        event, registration = await service.register(session, registry, event_id, body, principal)
        read = to_read(registration, event, principal)
        return Created(read.model_dump(mode="json"), f"/v1/events/{event_id}/registrations/{read.id}")

    return await idempotent(principal, body, create)


@router.get(
    "/registrations",
    operation_id="registrations_list",
    summary="List an event's registrations",
    responses={404: {"description": "No such event (or a draft of others)"}},
)
async def list_registrations(
    event_id: uuid.UUID,
    session: SessionDep,
    page: KeysetDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
    company_id: uuid.UUID | None = None,
    status: RegistrationStatus | None = None,
    role: RegistrationRole | None = None,
    check_in_code: CodeQuery = None,
) -> Page[RegistrationRead]:
    """Registrations in order of registration. Organisers see all of them; a company sees its own people
    in full; everyone else sees the confirmed participants without personal data. At the door, organisers
    find a person by `check_in_code`."""
    filters = {"company_id": company_id, "status": status, "role": role, "check_in_code": check_in_code}
    event, rows = await service.list_registrations(
        session,
        event_id,
        principal,
        company_id=company_id,
        status=status,
        role=role,
        check_in_code=check_in_code,
        after_id=page.after_id(filters),
        limit=page.fetch,
    )
    return page.of(rows, filters, lambda row: to_read(row, event, principal))


@router.get(
    "/registrations/{registration_id}",
    operation_id="registrations_get",
    summary="Get a registration",
    responses=NOT_FOUND,
)
async def get_registration(
    event_id: uuid.UUID,
    registration_id: uuid.UUID,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_READ)],
) -> RegistrationRead:
    """One person at the event (waitlisted and cancelled people are private to their company)."""
    event, registration = await service.get_registration(session, event_id, registration_id, principal)
    return to_read(registration, event, principal)


@router.patch(
    "/registrations/{registration_id}",
    operation_id="registrations_update",
    summary="Update a registration",
    responses={**OWNER_ERRORS, 409: {"description": "The registration is cancelled"}},
    openapi_extra=owner_only(),
)
async def update_registration(
    event_id: uuid.UUID,
    registration_id: uuid.UUID,
    body: RegistrationUpdate,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_WRITE)],
) -> RegistrationRead:
    """Change a person's names, role, job title, languages or e-mail (JSON merge patch)."""
    event, registration = await service.update_registration(
        session, event_id, registration_id, body, principal
    )
    return to_read(registration, event, principal)


@router.post(
    "/registrations/{registration_id}/cancel",
    operation_id="registrations_cancel",
    summary="Cancel a registration",
    responses=OWNER_ERRORS,
    openapi_extra=owner_only(),
)
async def cancel_registration(
    event_id: uuid.UUID,
    registration_id: uuid.UUID,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_WRITE)],
) -> RegistrationRead:
    """Cancel a registration. A confirmed place freed goes to the first of the waiting list at once; the
    person's session attendances and blocked slots are released. Cancelling again changes nothing."""
    event, registration = await service.cancel_registration(session, event_id, registration_id, principal)
    return to_read(registration, event, principal)


@router.post(
    "/registrations/{registration_id}/check-in",
    operation_id="registrations_check_in",
    summary="Check a person in",
    responses={
        **ORGANISER_ERRORS,
        409: {"description": "The registration is waitlisted or cancelled"},
        422: {"description": "Not the registration's check-in code"},
    },
    openapi_extra=owner_only(),
)
async def check_in(
    event_id: uuid.UUID,
    registration_id: uuid.UUID,
    body: CheckIn,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)],
) -> RegistrationRead:
    """At the door (organisers): the code the person shows must be theirs. Checking in twice answers the
    first check-in's time again."""
    event, registration = await service.check_in(session, event_id, registration_id, body.code, principal)
    return to_read(registration, event, principal)
