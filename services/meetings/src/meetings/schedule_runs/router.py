"""HTTP routes of schedule runs: `/v1/events/{event_id}/schedule-runs/...` (organisers only)."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Request, Response, status

from meetings.schedule_runs import service
from meetings.schedule_runs.presenter import draft, to_read
from meetings.schedule_runs.schemas import (
    ScheduleDraft,
    SchedulePublish,
    ScheduleRunCreate,
    ScheduleRunRead,
)
from meetings.settings import MeetingsSettings
from plaza_contracts import Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/events/{event_id}/schedule-runs", tags=["scheduling"])
Organiser = Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)]
Reader = Annotated[Principal, requires(Scope.MEETINGS_READ)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such event or run, or not an event you organise"}
}
RUN_STATE: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    409: {"description": "The run is not in a state that allows this (`run_status` says which it is in)"},
}


def _settings(request: Request) -> MeetingsSettings:
    settings: MeetingsSettings = request.app.state.settings
    return settings


def _location(event_id: uuid.UUID, run_id: uuid.UUID) -> str:
    return f"/v1/events/{event_id}/schedule-runs/{run_id}"


def _start_later(request: Request, background: BackgroundTasks, run_id: uuid.UUID) -> None:
    """Start the run's solver once the answer (and so the commit) is out."""
    background.add_task(request.app.state.schedule_runner.start, run_id)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="schedule_runs_start",
    summary="Start a schedule run",
    response_model=ScheduleRunRead,
    responses={
        **NOT_FOUND,
        202: {
            "description": "Queued; follow it at `Location`",
            "headers": {"Location": {"schema": {"type": "string"}}},
        },
        409: {"description": "A run of this event is queued or running (`run_id`), or the event is finished"},
        422: {
            "description": "Unknown requests in `sessions`/`precedences`, or a time limit over the maximum"
        },
    },
    openapi_extra=owner_only(),
)
async def start_run(
    event_id: uuid.UUID,
    body: ScheduleRunCreate,
    session: SessionDep,
    principal: Organiser,
    request: Request,
    response: Response,
    background: BackgroundTasks,
) -> ScheduleRunRead:
    """Place every accepted request that has no meeting yet, around the meetings already booked (which stay
    where they are; with `reschedule_unlocked`, scheduled meetings that are not locked may move). The
    solver runs in a separate process: follow the run at `Location` (queued → running → finished, or
    failed, or cancelled), read its draft, then publish it."""
    run = await service.start_run(session, event_id, principal, body, _settings(request))
    response.headers["Location"] = _location(event_id, run.id)
    _start_later(request, background, run.id)
    return to_read(run)


@router.get(
    "",
    operation_id="schedule_runs_list",
    summary="List schedule runs",
    responses=NOT_FOUND,
    openapi_extra=owner_only(),
)
async def list_runs(
    event_id: uuid.UUID, session: SessionDep, page: KeysetDep, principal: Reader, request: Request
) -> Page[ScheduleRunRead]:
    """The event's runs, newest first (organisers)."""
    filters = {"event_id": str(event_id)}
    rows = await service.list_runs(
        session, event_id, principal, _settings(request), after_id=page.after_id(filters), limit=page.fetch
    )
    return page.of(rows, filters, to_read)


@router.get(
    "/{run_id}",
    operation_id="schedule_runs_get",
    summary="Follow a schedule run",
    responses=NOT_FOUND,
    openapi_extra=owner_only(),
)
async def get_run(
    event_id: uuid.UUID, run_id: uuid.UUID, session: SessionDep, principal: Reader, request: Request
) -> ScheduleRunRead:
    """Status, progress (the best objective so far), and once finished the objective, the proven bound and
    the counts; a run whose process died reads `failed` with the reason."""
    run, _ = await service.get_run(session, event_id, run_id, principal, _settings(request))
    return to_read(run)


@router.get(
    "/{run_id}/draft",
    operation_id="schedule_runs_draft",
    summary="Read a run's draft schedule",
    responses=RUN_STATE,
    openapi_extra=owner_only(),
)
async def get_draft(
    event_id: uuid.UUID, run_id: uuid.UUID, session: SessionDep, principal: Reader, request: Request
) -> ScheduleDraft:
    """Every placement (slot in the event's time, table, interpreter; the live meetings too, marked `fixed`
    or `moved`) and every accepted request left out, with the reason."""
    run, event = await service.get_run(session, event_id, run_id, principal, _settings(request))
    result = service.finished_result(run)
    return draft(run, result, await service.draft_names(session, event))


@router.post(
    "/{run_id}/cancel",
    operation_id="schedule_runs_cancel",
    summary="Cancel a schedule run",
    responses=RUN_STATE,
    openapi_extra=owner_only(),
)
async def cancel_run(
    event_id: uuid.UUID, run_id: uuid.UUID, session: SessionDep, principal: Organiser, request: Request
) -> ScheduleRunRead:
    """Stop a queued or running run; its solver process is killed within a second."""
    return to_read(await service.cancel_run(session, event_id, run_id, principal, _settings(request)))


@router.post(
    "/{run_id}/publish",
    operation_id="schedule_runs_publish",
    summary="Publish a run's draft",
    responses={
        **NOT_FOUND,
        409: {
            "description": "Placements were refused because meetings were booked there since the run "
            "(`schedule-conflicts`: each with the problem a booking there answers now; nothing was "
            "published), or the run is not finished (`run_status`)"
        },
    },
    openapi_extra=owner_only(),
)
async def publish_run(
    event_id: uuid.UUID,
    run_id: uuid.UUID,
    body: SchedulePublish,
    session: SessionDep,
    principal: Organiser,
    request: Request,
    background: BackgroundTasks,
) -> ScheduleRunRead:
    """Book the draft in one transaction through the booking guarantee: new meetings for the accepted
    requests, moves of unlocked meetings (same id, calendar SEQUENCE + 1), all of them locked afterwards.
    Meetings booked interactively since the run started win: the answer is then 409 listing the conflicts,
    or — with `on_conflict: resolve` — the rest is published and a new run starts for what is left
    (`publication.follow_up_run_id`)."""
    run, follow_up = await service.publish(session, event_id, run_id, principal, body, _settings(request))
    if follow_up is not None:
        _start_later(request, background, follow_up.id)
    return to_read(run)
