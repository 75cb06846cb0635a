"""HTTP routes of a lead's timeline: `/v1/leads/{lead_id}/activities`."""

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Response, status

from investment.activities import presenter, service
from investment.activities.models import Activity, ActivityKind
from investment.activities.schemas import ActivityCreate, ActivityRead, ActivityUpdate
from plaza_contracts import Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.concurrency import IfMatchHeader, entity_tag
from plaza_kit.db import SessionDep
from plaza_kit.errors import InvalidCursorError
from plaza_kit.idempotency import Created, IdempotentCreateDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/leads/{lead_id}/activities", tags=["activities"])
Reader = Annotated[Principal, requires(Scope.INVESTMENT_READ)]
Writer = Annotated[Principal, requires(Scope.INVESTMENT_WRITE)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such lead (or one not shared with your organisation), or no such activity"}
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "The lead is shared with your organisation for reading only"},
}


def _today() -> Any:
    return datetime.now(UTC).date()


def _position(activity: Activity) -> list[str]:
    return [activity.occurred_at.isoformat(), str(activity.id)]


def _after(position: list[Any] | None) -> tuple[datetime, uuid.UUID] | None:
    if not position:
        return None
    try:
        return datetime.fromisoformat(str(position[0])), uuid.UUID(str(position[1]))
    except (ValueError, IndexError) as error:
        raise InvalidCursorError("the cursor is malformed") from error


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="leads_activities_create",
    summary="Add an activity to a lead",
    response_model=ActivityRead,
    responses=WRITE_ERRORS,
    openapi_extra=owner_only(),
)
async def add_activity(
    lead_id: uuid.UUID,
    body: ActivityCreate,
    session: SessionDep,
    principal: Writer,
    idempotent: IdempotentCreateDep,
) -> Any:
    """Add a note, call, e-mail, meeting or task (with a due date) to the lead's timeline. Send an
    `Idempotency-Key` to make retries safe."""

    async def create() -> Created:
        read = presenter.to_read(await service.add(session, lead_id, body, principal), _today())
        return Created(read.model_dump(mode="json"), f"/v1/leads/{lead_id}/activities/{read.id}")

    return await idempotent(principal, body, create)


@router.get(
    "",
    operation_id="leads_activities_list",
    summary="A lead's timeline",
    responses=NOT_FOUND,
    openapi_extra=owner_only(),
)
async def timeline(
    lead_id: uuid.UUID,
    session: SessionDep,
    page: KeysetDep,
    principal: Reader,
    kind: ActivityKind | None = None,
    open_tasks: bool = False,
) -> Page[ActivityRead]:
    """The lead's activities in time order (oldest first); `open_tasks=true` for the tasks still to do."""
    filters = {"lead_id": str(lead_id), "kind": kind, "open_tasks": open_tasks}
    rows = await service.timeline(
        session,
        lead_id,
        principal,
        kind=kind,
        open_tasks=open_tasks,
        after=_after(page.position(filters)),
        limit=page.fetch,
    )
    today = _today()
    return page.of(rows, filters, lambda row: presenter.to_read(row, today), _position)


@router.get(
    "/{activity_id}",
    operation_id="leads_activities_get",
    summary="Get an activity",
    responses=NOT_FOUND,
    openapi_extra=owner_only(),
)
async def get_activity(
    lead_id: uuid.UUID, activity_id: uuid.UUID, session: SessionDep, response: Response, principal: Reader
) -> ActivityRead:
    """One activity of the lead."""
    activity = await service.one(session, lead_id, activity_id, principal)
    response.headers["ETag"] = entity_tag(activity.version)
    return presenter.to_read(activity, _today())


@router.patch(
    "/{activity_id}",
    operation_id="leads_activities_update",
    summary="Update an activity (complete a task)",
    responses={**WRITE_ERRORS, 412: {"description": "`If-Match` names an older version"}},
    openapi_extra=owner_only(),
)
async def update_activity(
    lead_id: uuid.UUID,
    activity_id: uuid.UUID,
    body: ActivityUpdate,
    session: SessionDep,
    response: Response,
    principal: Writer,
    if_match: IfMatchHeader = None,
) -> ActivityRead:
    """Change an activity (JSON merge patch); `{"completed": true}` completes a task."""
    activity = await service.update(session, lead_id, activity_id, body, principal, if_match)
    response.headers["ETag"] = entity_tag(activity.version)
    return presenter.to_read(activity, _today())
