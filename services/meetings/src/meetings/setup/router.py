"""HTTP routes of the B2B set-up of an event: `/v1/events/{event_id}/tables`, `/interpreters`,
`/blocked-slots` and `/quotas`.

Writes need `meetings:organise` and an organiser of the event; reads need `meetings:read` and an event the
caller sees (a person's blocked slots only for the organisers and the person's company).
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from meetings.setup import service
from meetings.setup.presenter import (
    blocked_list,
    blocked_to_read,
    interpreter_to_read,
    quota_to_read,
    table_to_read,
)
from meetings.setup.schemas import (
    BlockedSlotCreate,
    BlockedSlotList,
    BlockedSlotRead,
    InterpreterCreate,
    InterpreterRead,
    InterpreterUpdate,
    QuotaRead,
    QuotaSet,
    TableCreate,
    TableRead,
    TableUpdate,
)
from plaza_contracts import Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.client_registry import RegistryDep
from plaza_kit.db import SessionDep
from plaza_kit.idempotency import Created, IdempotentCreateDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/events/{event_id}", tags=["setup"])

Errors = dict[int | str, dict[str, Any]]
EVENT_NOT_FOUND: Errors = {404: {"description": "No such event (or a draft of others)"}}
WRITE_ERRORS: Errors = {
    **EVENT_NOT_FOUND,
    403: {"description": "Not an organiser of the event"},
    409: {"description": "The event is finished"},
}
REGISTRY_DOWN: Errors = {503: {"description": "The registry is unavailable; nothing was written"}}
Reader = Annotated[Principal, requires(Scope.MEETINGS_READ)]
Organiser = Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)]


# --- tables ---------------------------------------------------------------------------------------------


@router.post(
    "/tables",
    status_code=status.HTTP_201_CREATED,
    operation_id="tables_create",
    summary="Add a B2B table",
    response_model=TableRead,
    responses={
        **WRITE_ERRORS,
        **REGISTRY_DOWN,
        409: {"description": "The name is taken at the event, or the company has a fixed table already"},
        422: {"description": "Invalid table, or a company the registry does not know"},
    },
    openapi_extra=owner_only(),
)
async def create_table(
    event_id: uuid.UUID,
    body: TableCreate,
    session: SessionDep,
    registry: RegistryDep,
    principal: Organiser,
    idempotent: IdempotentCreateDep,
) -> Any:
    """Add a table to the B2B area: fixed to a registry company for the whole event, or floating
    (`company_id` null). Send an `Idempotency-Key` to make retries safe."""

    async def create() -> Created:
        read = table_to_read(await service.create_table(session, registry, event_id, body, principal))
        return Created(read.model_dump(mode="json"), f"/v1/events/{event_id}/tables/{read.id}")

    return await idempotent(principal, body, create)


@router.get("/tables", operation_id="tables_list", summary="List B2B tables", responses=EVENT_NOT_FOUND)
async def list_tables(
    event_id: uuid.UUID, session: SessionDep, page: KeysetDep, principal: Reader
) -> Page[TableRead]:
    """The event's tables in creation order."""
    filters = {"event_id": str(event_id)}
    rows = await service.list_tables(
        session, event_id, principal, after_id=page.after_id(filters), limit=page.fetch
    )
    return page.of(rows, filters, table_to_read)


@router.get(
    "/tables/{table_id}",
    operation_id="tables_get",
    summary="Get a B2B table",
    responses={404: {"description": "No such event or table"}},
)
async def get_table(
    event_id: uuid.UUID, table_id: uuid.UUID, session: SessionDep, principal: Reader
) -> TableRead:
    """One table."""
    return table_to_read(await service.get_table(session, event_id, table_id, principal))


@router.patch(
    "/tables/{table_id}",
    operation_id="tables_update",
    summary="Update a B2B table",
    responses={
        **WRITE_ERRORS,
        **REGISTRY_DOWN,
        404: {"description": "No such event or table"},
        409: {"description": "Name or company taken, live meetings at the table, or the event is finished"},
        422: {"description": "Invalid change, or a company the registry does not know"},
    },
    openapi_extra=owner_only(),
)
async def update_table(
    event_id: uuid.UUID,
    table_id: uuid.UUID,
    body: TableUpdate,
    session: SessionDep,
    registry: RegistryDep,
    principal: Organiser,
) -> TableRead:
    """Rename a table, fix it to another company or make it floating (JSON merge patch). The company
    cannot change while meetings are booked at the table."""
    return table_to_read(await service.update_table(session, registry, event_id, table_id, body, principal))


@router.delete(
    "/tables/{table_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="tables_delete",
    summary="Delete a B2B table",
    responses={
        **WRITE_ERRORS,
        404: {"description": "No such event or table"},
        409: {"description": "Live meetings or pending requests hold the table, or the event is finished"},
    },
    openapi_extra=owner_only(),
)
async def delete_table(
    event_id: uuid.UUID, table_id: uuid.UUID, session: SessionDep, principal: Organiser
) -> Response:
    """Delete a table nothing live holds; interpreters fixed to it return to the pool."""
    await service.delete_table(session, event_id, table_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- interpreters ---------------------------------------------------------------------------------------


@router.post(
    "/interpreters",
    status_code=status.HTTP_201_CREATED,
    operation_id="interpreters_create",
    summary="Add an interpreter",
    response_model=InterpreterRead,
    responses={
        **WRITE_ERRORS,
        409: {"description": "The person is an interpreter already, or the event is finished"},
        422: {"description": "Invalid pairs, or a registration or table not of this event"},
    },
    openapi_extra=owner_only(),
)
async def create_interpreter(
    event_id: uuid.UUID,
    body: InterpreterCreate,
    session: SessionDep,
    principal: Organiser,
    idempotent: IdempotentCreateDep,
) -> Any:
    """Make a person registered at the event an interpreter for some language pairs (`ko-ja`, `ko-en`,
    `ja-en`), fixed to a table or in the shared pool; their registration's role becomes `interpreter`.
    Their breaks are blocked slots of their registration."""

    async def create() -> Created:
        read = interpreter_to_read(await service.create_interpreter(session, event_id, body, principal))
        return Created(read.model_dump(mode="json"), f"/v1/events/{event_id}/interpreters/{read.id}")

    return await idempotent(principal, body, create)


@router.get(
    "/interpreters", operation_id="interpreters_list", summary="List interpreters", responses=EVENT_NOT_FOUND
)
async def list_interpreters(
    event_id: uuid.UUID, session: SessionDep, page: KeysetDep, principal: Reader
) -> Page[InterpreterRead]:
    """The event's interpreters in creation order, with their names and languages."""
    filters = {"event_id": str(event_id)}
    rows = await service.list_interpreters(
        session, event_id, principal, after_id=page.after_id(filters), limit=page.fetch
    )
    return page.of(rows, filters, interpreter_to_read, lambda found: [str(found.interpreter.id)])


@router.get(
    "/interpreters/{interpreter_id}",
    operation_id="interpreters_get",
    summary="Get an interpreter",
    responses={404: {"description": "No such event or interpreter"}},
)
async def get_interpreter(
    event_id: uuid.UUID, interpreter_id: uuid.UUID, session: SessionDep, principal: Reader
) -> InterpreterRead:
    """One interpreter."""
    return interpreter_to_read(await service.get_interpreter(session, event_id, interpreter_id, principal))


@router.patch(
    "/interpreters/{interpreter_id}",
    operation_id="interpreters_update",
    summary="Update an interpreter",
    responses={
        **WRITE_ERRORS,
        404: {"description": "No such event or interpreter"},
        422: {"description": "Invalid pairs, or a table not of this event"},
    },
    openapi_extra=owner_only(),
)
async def update_interpreter(
    event_id: uuid.UUID,
    interpreter_id: uuid.UUID,
    body: InterpreterUpdate,
    session: SessionDep,
    principal: Organiser,
) -> InterpreterRead:
    """Change the language pairs or the table (null: the pool) of an interpreter (JSON merge patch)."""
    found = await service.update_interpreter(session, event_id, interpreter_id, body, principal)
    return interpreter_to_read(found)


@router.delete(
    "/interpreters/{interpreter_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="interpreters_delete",
    summary="Remove an interpreter",
    responses={
        **WRITE_ERRORS,
        404: {"description": "No such event or interpreter"},
        409: {"description": "Booked for live meetings, or the event is finished"},
    },
    openapi_extra=owner_only(),
)
async def delete_interpreter(
    event_id: uuid.UUID, interpreter_id: uuid.UUID, session: SessionDep, principal: Organiser
) -> Response:
    """The person stops interpreting (their registration stays); not while booked for a live meeting."""
    await service.delete_interpreter(session, event_id, interpreter_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- blocked slots --------------------------------------------------------------------------------------


@router.post(
    "/blocked-slots",
    status_code=status.HTTP_201_CREATED,
    operation_id="blocked_slots_create",
    summary="Block slots for a person or a company",
    response_model=BlockedSlotRead | BlockedSlotList,
    responses={
        **WRITE_ERRORS,
        **REGISTRY_DOWN,
        201: {"description": "The blocked slot (`slot_id`), or `{items}` with one per slot (`slot_ids`)"},
        409: {
            "description": "The person or company is held in a slot already (`slot-taken`, naming each taken "
            "resource and what holds it): nothing was blocked. Or the event is finished."
        },
        422: {
            "description": "Slots or a registration not of this event, or a company unknown to the registry"
        },
    },
    openapi_extra=owner_only(),
)
async def block_slots(
    event_id: uuid.UUID,
    body: BlockedSlotCreate,
    session: SessionDep,
    registry: RegistryDep,
    principal: Organiser,
    idempotent: IdempotentCreateDep,
) -> Any:
    """Make a person (`registration_id`, e.g. an interpreter's break) or a whole company (`company_id`)
    unavailable in one slot (`slot_id`) or several (`slot_ids`, all or nothing). A block holds its slot
    like a meeting does: when the person or company is held there already, the answer is 409."""

    async def create() -> Created:
        event, views = await service.block_slots(session, registry, event_id, body, principal)
        if body.slot_id is not None:
            read = blocked_to_read(views[0], event)
            return Created(read.model_dump(mode="json"), f"/v1/events/{event_id}/blocked-slots/{read.id}")
        listed = blocked_list(views, event)
        return Created(listed.model_dump(mode="json"), f"/v1/events/{event_id}/blocked-slots")

    return await idempotent(principal, body, create)


@router.get(
    "/blocked-slots",
    operation_id="blocked_slots_list",
    summary="List blocked slots",
    responses={404: {"description": "No such event, or a person (`registration_id`) you may not see"}},
)
async def list_blocked_slots(
    event_id: uuid.UUID,
    session: SessionDep,
    page: KeysetDep,
    principal: Reader,
    registration_id: Annotated[uuid.UUID | None, Query(description="Only this person's blocks.")] = None,
    company_id: Annotated[uuid.UUID | None, Query(description="A company's blocks and its people's.")] = None,
    slot_id: Annotated[uuid.UUID | None, Query(description="Only blocks of this slot.")] = None,
) -> Page[BlockedSlotRead]:
    """Blocked slots in creation order: companies' blocks for everyone who sees the event, people's blocks
    for the organisers and the people's own companies."""
    filters = {
        "event_id": str(event_id),
        "registration_id": registration_id,
        "company_id": company_id,
        "slot_id": slot_id,
    }
    event, rows = await service.list_blocked(
        session,
        event_id,
        principal,
        registration_id=registration_id,
        company_id=company_id,
        slot_id=slot_id,
        after_id=page.after_id(filters),
        limit=page.fetch,
    )
    return page.of(
        rows, filters, lambda view: blocked_to_read(view, event), lambda view: [str(view.blocked.id)]
    )


@router.delete(
    "/blocked-slots/{blocked_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="blocked_slots_delete",
    summary="Unblock a slot",
    responses={**WRITE_ERRORS, 404: {"description": "No such event or blocked slot"}},
    openapi_extra=owner_only(),
)
async def unblock_slot(
    event_id: uuid.UUID, blocked_id: uuid.UUID, session: SessionDep, principal: Organiser
) -> Response:
    """Delete a blocked slot: the person or company is free in that slot again."""
    await service.unblock(session, event_id, blocked_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- quotas ---------------------------------------------------------------------------------------------


@router.get("/quotas", operation_id="quotas_list", summary="List company quotas", responses=EVENT_NOT_FOUND)
async def list_quotas(
    event_id: uuid.UUID, session: SessionDep, page: KeysetDep, principal: Reader
) -> Page[QuotaRead]:
    """Every company with a quota at the event (set here, or made by its first booking), in company id
    order: the cap in force, meetings booked, and whether the cap is the company's own or the event's
    default (`b2b.default_quota` of the event)."""
    filters = {"event_id": str(event_id)}
    rows = await service.list_quotas(
        session, event_id, principal, after_company_id=page.after_id(filters), limit=page.fetch
    )
    return page.of(rows, filters, quota_to_read, lambda row: [str(row.company_id)])


@router.put(
    "/quotas/{company_id}",
    operation_id="quotas_set",
    summary="Set a company's meeting quota",
    responses={
        **WRITE_ERRORS,
        **REGISTRY_DOWN,
        409: {
            "description": "The company already has more meetings than the new cap, or the event is finished"
        },
        422: {"description": "Invalid cap, or a company the registry does not know"},
    },
    openapi_extra=owner_only(),
)
async def set_quota(
    event_id: uuid.UUID,
    company_id: uuid.UUID,
    body: QuotaSet,
    session: SessionDep,
    registry: RegistryDep,
    principal: Organiser,
) -> QuotaRead:
    """Cap a company's live meetings at the event (`max_meetings`), or send null to make it follow the
    event's default quota again. A cap below the meetings the company already has is a 409."""
    return quota_to_read(await service.set_quota(session, registry, event_id, company_id, body, principal))
