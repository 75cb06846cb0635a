"""Schedule runs: start one, follow it, read its draft, cancel it, publish it through the guarantee.

Starting reads the event's state in one transaction and stores it as the run's instance; the solver runs
later in a child process (`runner.py`). Publishing books the draft in one transaction, placement by
placement through the same claims as an interactive booking (`bookings`, `requests`): whatever was booked
since the run started holds its claims and wins; each refused placement is a conflict. With conflicts the
publish answers 409 and nothing changes — or, when asked (`resolve`), publishes the rest and starts a new
run for what is left (the published meetings are locked, so it solves only the rest).
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.access import is_organiser
from meetings.bookings import service as bookings
from meetings.bookings.models import MeetingStatus
from meetings.events.models import Event
from meetings.events.rules import is_finished
from meetings.events.service import visible_event
from meetings.requests import service as requests
from meetings.schedule_runs import repository
from meetings.schedule_runs.models import ACTIVE, DraftNames, RunStatus, ScheduleRun
from meetings.schedule_runs.schemas import SchedulePublish, ScheduleRunCreate
from meetings.schedule_runs.translate import (
    MEETING_PREFIX,
    REQUEST_PREFIX,
    RunConstraints,
    TranslationError,
    parse_key,
    translate,
)
from meetings.scheduling.result import Result
from meetings.settings import MeetingsSettings
from plaza_contracts import uuid7
from plaza_kit.errors import ConflictError, NotFoundError, ServiceError, UnprocessableError, problem_body
from plaza_kit.identity import Principal


class RunInProgressError(ConflictError):
    """The event has a queued or running schedule run already."""

    slug, title = "schedule-run-in-progress", "A schedule run is in progress"


class PublishConflictError(ConflictError):
    """Placements of the draft were refused by the database; nothing was published."""

    slug, title = "schedule-conflicts", "The schedule conflicts with meetings booked since the run"


async def _organised(
    session: AsyncSession, event_id: uuid.UUID, principal: Principal, *, for_update: bool = False
) -> Event:
    """The event if the caller organises it; runs are the organisers' alone (404 for everyone else)."""
    event = await visible_event(session, event_id, principal, for_update=for_update)
    if not is_organiser(principal, event):
        raise NotFoundError(f"no event with id {event_id} that you organise")
    return event


async def _sweep(session: AsyncSession, settings: MeetingsSettings, event_id: uuid.UUID) -> None:
    stale_before = datetime.now(UTC) - timedelta(seconds=settings.scheduler_stale_seconds)
    await repository.fail_stale(session, stale_before, event_id)


def _constraints(body: ScheduleRunCreate) -> RunConstraints:
    return RunConstraints(
        sessions={item.request_id: item.session for item in body.sessions},
        after={item.request_id: list(dict.fromkeys(item.after)) for item in body.precedences},
        reschedule_unlocked=body.reschedule_unlocked,
    )


async def _new_run(
    session: AsyncSession, event: Event, principal: Principal, body: ScheduleRunCreate
) -> ScheduleRun:
    facts = await repository.event_facts(session, event.id)
    try:
        translation = translate(
            facts,
            time_zone=event.time_zone,
            default_quota=event.default_quota,
            constraints=_constraints(body),
        )
    except TranslationError as error:
        raise UnprocessableError(str(error)) from error
    instance = translation.instance
    unlocked = {m.id for m in instance.meetings if m.id.startswith(MEETING_PREFIX) and m.lock is None}
    movable = {
        str(meeting.id): {
            "version": meeting.version,
            "slot": str(meeting.slot_id),
            "table": str(meeting.table_id) if meeting.table_id else None,
            "interpreter": str(meeting.interpreter_id) if meeting.interpreter_id else None,
        }
        for meeting in facts.meetings
        if f"{MEETING_PREFIX}{meeting.id}" in unlocked
    }
    run = ScheduleRun(
        id=uuid7(),
        event_id=event.id,
        status=RunStatus.QUEUED,
        options={
            "solver": {"time_limit": body.time_limit_seconds, "fairness": body.fairness, "seed": body.seed},
            "reschedule_unlocked": body.reschedule_unlocked,
            "sessions": len(body.sessions),
            "precedences": len(body.precedences),
            "movable": movable,
        },
        instance=instance.model_dump(mode="json", exclude_defaults=True),
        skipped=[item.as_json() for item in translation.skipped],
        progress={"phase": "queued"},
        time_limit_seconds=body.time_limit_seconds,
        requested_by=principal.subject,
        version=1,
    )
    savepoint = await session.begin_nested()
    session.add(run)
    try:
        await session.flush()
    except IntegrityError as error:
        await savepoint.rollback()
        active = await repository.active_run(session, event.id)
        raise RunInProgressError(
            "the event has a schedule run in progress; cancel it or wait for it",
            extensions={"run_id": str(active) if active else None},
        ) from error
    await savepoint.commit()
    return run


async def start_run(
    session: AsyncSession,
    event_id: uuid.UUID,
    principal: Principal,
    body: ScheduleRunCreate,
    settings: MeetingsSettings,
) -> ScheduleRun:
    """A queued run over the event's accepted requests without a meeting (the caller starts its runner
    once the transaction has committed)."""
    event = await _organised(session, event_id, principal, for_update=True)  # one start at a time
    if is_finished(event.status):
        raise ConflictError("the event is finished")
    if body.time_limit_seconds > settings.scheduler_max_time_limit:
        raise UnprocessableError(
            f"time_limit_seconds: at most {settings.scheduler_max_time_limit} on this service",
            extensions={"max_time_limit_seconds": settings.scheduler_max_time_limit},
        )
    await _sweep(session, settings, event.id)
    return await _new_run(session, event, principal, body)


async def get_run(
    session: AsyncSession,
    event_id: uuid.UUID,
    run_id: uuid.UUID,
    principal: Principal,
    settings: MeetingsSettings,
    *,
    for_update: bool = False,
) -> tuple[ScheduleRun, Event]:
    """One run of an event the caller organises (404 otherwise); a run whose supervisor died reads as
    failed (and is marked so)."""
    event = await _organised(session, event_id, principal)
    await _sweep(session, settings, event.id)
    run = await repository.get(session, event.id, run_id, for_update=for_update)
    if run is None:
        raise NotFoundError(f"no schedule run {run_id} at this event")
    return run, event


async def list_runs(
    session: AsyncSession,
    event_id: uuid.UUID,
    principal: Principal,
    settings: MeetingsSettings,
    *,
    after_id: uuid.UUID | None,
    limit: int,
) -> list[ScheduleRun]:
    """The event's runs, newest first (organisers)."""
    event = await _organised(session, event_id, principal)
    await _sweep(session, settings, event.id)
    return list(await repository.list_runs(session, event.id, after_id=after_id, limit=limit))


async def cancel_run(
    session: AsyncSession,
    event_id: uuid.UUID,
    run_id: uuid.UUID,
    principal: Principal,
    settings: MeetingsSettings,
) -> ScheduleRun:
    """Cancel a queued or running run (its process is killed at the next heartbeat); cancelling a
    cancelled run changes nothing; a finished, failed or published run is 409."""
    run, _ = await get_run(session, event_id, run_id, principal, settings, for_update=True)
    if run.status == RunStatus.CANCELLED:
        return run
    if run.status not in ACTIVE:
        raise ConflictError(f"the run is {run.status}", extensions={"run_status": run.status})
    run.status, run.finished_at = RunStatus.CANCELLED, datetime.now(UTC)
    run.error = f"cancelled by {principal.subject}"
    run.version += 1
    await session.flush()
    return run


def finished_result(run: ScheduleRun) -> Result:
    """The run's result, for a draft or a publication (409 while there is none)."""
    if run.result is None:
        raise ConflictError(
            f"the run is {run.status}: it has no schedule", extensions={"run_status": run.status}
        )
    return Result.model_validate(run.result)


async def draft_names(session: AsyncSession, event: Event) -> DraftNames:
    """The names and times a draft shows."""
    slots, tables, interpreters, companies = await repository.draft_names(session, event.id)
    return DraftNames(event.time_zone, slots, tables, interpreters, companies)


@dataclass
class _Publication:
    booked: int = 0
    moved: int = 0
    unchanged: int = 0
    conflicts: list[dict[str, Any]] | None = None

    def conflict(self, key: str, slot: str, error: ServiceError) -> None:
        kind, record = parse_key(key)
        self.conflicts = self.conflicts or []
        self.conflicts.append(
            {
                "request_id": str(record) if kind == "request" else None,
                "meeting_id": str(record) if kind == "meeting" else None,
                "slot_id": slot,
                "problem": problem_body(error),
            }
        )


async def _publish_moves(
    session: AsyncSession,
    event: Event,
    run: ScheduleRun,
    result: Result,
    principal: Principal,
    out: _Publication,
) -> None:
    """Move the movable meetings the draft moves: every one lets go of its claims first (a draft may swap
    two meetings' slots), then each claims its new place."""
    movable: dict[str, dict[str, Any]] = run.options.get("movable", {})
    to_place = []
    for placement in result.placements:
        kind, meeting_id = parse_key(placement.meeting)
        if kind != "meeting" or str(meeting_id) not in movable:
            continue
        meeting, _ = await bookings.visible_meeting(session, meeting_id, principal, for_update=True)
        if (
            meeting.version != movable[str(meeting_id)]["version"]
            or meeting.status != MeetingStatus.SCHEDULED
        ):
            out.conflict(
                placement.meeting, placement.slot, ConflictError("the meeting changed since the run")
            )
            continue
        target = (
            uuid.UUID(placement.slot),
            uuid.UUID(placement.table) if placement.table else None,
            uuid.UUID(placement.interpreter) if placement.interpreter else None,
        )
        if target == (meeting.slot_id, meeting.table_id, meeting.interpreter_id):
            meeting.locked = True
            out.unchanged += 1
            continue
        await bookings.release_claims(session, meeting)
        to_place.append((placement, meeting, target))
    for placement, meeting, (slot_id, table_id, interpreter_id) in to_place:
        try:
            async with session.begin_nested():
                await bookings.move_released(
                    session, event, meeting, slot_id, table_id=table_id, interpreter_id=interpreter_id
                )
        except ServiceError as error:
            out.conflict(placement.meeting, placement.slot, error)
            continue
        meeting.locked = True
        out.moved += 1


async def _publish_requests(
    session: AsyncSession, event: Event, result: Result, principal: Principal, out: _Publication
) -> None:
    for placement in result.placements:
        if not placement.meeting.startswith(REQUEST_PREFIX):
            continue
        _, request_id = parse_key(placement.meeting)
        try:
            async with session.begin_nested():
                meeting = await requests.schedule_accepted(
                    session,
                    event,
                    request_id,
                    uuid.UUID(placement.slot),
                    principal,
                    table_id=uuid.UUID(placement.table) if placement.table else None,
                    interpreter_id=uuid.UUID(placement.interpreter) if placement.interpreter else None,
                )
        except ServiceError as error:
            out.conflict(placement.meeting, placement.slot, error)
            continue
        meeting.locked = True  # published: a re-run keeps it where it is
        out.booked += 1


async def publish(
    session: AsyncSession,
    event_id: uuid.UUID,
    run_id: uuid.UUID,
    principal: Principal,
    body: SchedulePublish,
    settings: MeetingsSettings,
) -> tuple[ScheduleRun, ScheduleRun | None]:
    """Book the run's draft atomically; (the published run, the follow-up run started for the rest)."""
    event = await _organised(session, event_id, principal, for_update=True)  # one publish at a time
    if is_finished(event.status):
        raise ConflictError("the event is finished")
    run, _ = await get_run(session, event_id, run_id, principal, settings, for_update=True)
    if run.status != RunStatus.FINISHED:
        raise ConflictError(f"only a finished run is published; this one is {run.status}",
                            extensions={"run_status": run.status})  # fmt: skip
    result = finished_result(run)
    if result.status in ("infeasible", "unknown"):
        raise ConflictError(
            f"the run found no schedule ({result.status})", extensions={"run_status": run.status}
        )
    out = _Publication()
    await _publish_moves(session, event, run, result, principal, out)
    await _publish_requests(session, event, result, principal, out)
    conflicts = out.conflicts or []
    if conflicts and body.on_conflict == "fail":
        raise PublishConflictError(
            f"{len(conflicts)} placements of the draft were refused; nothing was published",
            extensions={"conflicts": conflicts},
        )
    follow_up = None
    now = datetime.now(UTC)
    run.status, run.published_at, run.published_by = RunStatus.PUBLISHED, now, principal.subject
    run.version += 1
    await session.flush()
    if conflicts:
        again = ScheduleRunCreate(
            time_limit_seconds=run.options["solver"]["time_limit"],
            fairness=run.options["solver"]["fairness"],
            seed=run.options["solver"]["seed"],
        )
        follow_up = await _new_run(session, event, principal, again)
    run.publication = {
        "booked": out.booked,
        "moved": out.moved,
        "unchanged": out.unchanged,
        "conflicts": conflicts,
        "follow_up_run_id": str(follow_up.id) if follow_up else None,
    }
    await session.flush()
    return run, follow_up
