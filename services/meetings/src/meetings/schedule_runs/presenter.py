"""The API shapes of schedule runs and their drafts."""

import uuid
from typing import Any

from meetings.bookings.schemas import InterpreterRef, TableRef
from meetings.schedule_runs.models import DraftNames, RunStatus, ScheduleRun
from meetings.schedule_runs.schemas import (
    BoundRead,
    DraftPlacement,
    DraftUnplaced,
    ObjectiveRead,
    ProgressRead,
    PublicationRead,
    RunOptionsRead,
    ScheduleDraft,
    ScheduleRunRead,
    SideName,
)
from meetings.schedule_runs.translate import parse_key
from meetings.scheduling.result import Result
from meetings.texts import Texts, local


def _result(run: ScheduleRun) -> Result | None:
    return Result.model_validate(run.result) if run.result is not None else None


def to_read(run: ScheduleRun) -> ScheduleRunRead:
    """A run as its organisers follow it."""
    result = _result(run)
    meetings = run.instance.get("meetings", [])
    requests = sum(1 for m in meetings if parse_key(m["id"])[0] == "request")
    fixed = sum(1 for m in meetings if parse_key(m["id"])[0] == "meeting" and m.get("lock") is not None)
    solver = run.options["solver"]
    return ScheduleRunRead(
        id=run.id,
        event_id=run.event_id,
        status=RunStatus(run.status),
        options=RunOptionsRead(
            time_limit_seconds=solver["time_limit"],
            fairness=solver["fairness"],
            seed=solver["seed"],
            reschedule_unlocked=run.options.get("reschedule_unlocked", False),
            sessions=run.options.get("sessions", 0),
            precedences=run.options.get("precedences", 0),
        ),
        requests_to_place=requests,
        fixed_meetings=fixed,
        movable_meetings=len(meetings) - requests - fixed,
        skipped=len(run.skipped),
        progress=ProgressRead.model_validate(run.progress),
        solver_status=result.status if result else None,
        objective=ObjectiveRead.model_validate(result.objective.model_dump())
        if result and result.objective
        else None,
        bound=BoundRead.model_validate(result.bound.model_dump()) if result and result.bound else None,
        solver_seconds=round(result.seconds, 3) if result else None,
        placed=len(result.placements) if result else None,
        unplaced=len(result.unplaced) + len(run.skipped) if result else None,
        error=run.error,
        requested_by=run.requested_by,
        created_at=run.created_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        published_at=run.published_at,
        published_by=run.published_by,
        publication=PublicationRead.model_validate(run.publication) if run.publication else None,
    )


def _side(names: DraftNames, company: str) -> SideName:
    company_id = uuid.UUID(company)
    ko, ja, en = names.companies.get(company_id, (None, None, None))
    return SideName(company_id=company_id, name=Texts(ko=ko, ja=ja, en=en))


def _ids(key: str) -> dict[str, uuid.UUID | None]:
    kind, record = parse_key(key)
    return {
        "request_id": record if kind == "request" else None,
        "meeting_id": record if kind == "meeting" else None,
    }


def draft(run: ScheduleRun, result: Result, names: DraftNames) -> ScheduleDraft:
    """The run's schedule with names and local times, in slot order."""
    meetings: dict[str, dict[str, Any]] = {m["id"]: m for m in run.instance.get("meetings", [])}
    movable: dict[str, dict[str, Any]] = run.options.get("movable", {})
    slot_order = {slot["id"]: position for position, slot in enumerate(run.instance.get("slots", []))}
    placements = []
    for placement in sorted(result.placements, key=lambda p: (slot_order.get(p.slot, 0), p.meeting)):
        meeting = meetings[placement.meeting]
        a, b = meeting["companies"]
        starts, ends = names.slots[uuid.UUID(placement.slot)]
        _, record = parse_key(placement.meeting)
        before = movable.get(str(record))
        moved = before is not None and (before["slot"], before["table"], before["interpreter"]) != (
            placement.slot,
            placement.table,
            placement.interpreter,
        )
        table = uuid.UUID(placement.table) if placement.table else None
        interpreter = uuid.UUID(placement.interpreter) if placement.interpreter else None
        placements.append(
            DraftPlacement(
                **_ids(placement.meeting),
                a=_side(names, a),
                b=_side(names, b),
                slot_id=uuid.UUID(placement.slot),
                starts_at=local(starts, names.time_zone),
                ends_at=local(ends, names.time_zone),
                table=TableRef(id=table, name=names.tables.get(table, "")) if table else None,
                interpreter=(
                    InterpreterRef(id=interpreter, name=names.interpreters.get(interpreter, ""))
                    if interpreter
                    else None
                ),
                fixed=meeting.get("lock") is not None,
                moved=moved,
            )
        )
    unplaced = []
    for item in result.unplaced:
        a, b = meetings[item.meeting]["companies"]
        unplaced.append(
            DraftUnplaced(**_ids(item.meeting), a=_side(names, a), b=_side(names, b), reason=item.reason)
        )
    for skipped in run.skipped:
        request_id = uuid.UUID(skipped["request_id"])
        unplaced.append(
            DraftUnplaced(
                request_id=request_id,
                meeting_id=None,
                a=_side(names, skipped["companies"][0]),
                b=_side(names, skipped["companies"][1]),
                reason="parties_unavailable",
                detail=skipped["detail"],
            )
        )
    return ScheduleDraft(
        run_id=run.id,
        status=RunStatus(run.status),
        solver_status=result.status,
        objective=ObjectiveRead.model_validate(result.objective.model_dump()) if result.objective else None,
        bound=BoundRead.model_validate(result.bound.model_dump()) if result.bound else None,
        placements=placements,
        unplaced=unplaced,
    )
