"""Wire shapes of schedule runs: starting one, following it, its draft, publishing it."""

import uuid
from typing import Any, Literal

from pydantic import ConfigDict, Field, StrictBool, StrictInt

from meetings.bookings.schemas import InterpreterRef, TableRef
from meetings.schedule_runs.models import RunStatus
from meetings.texts import LocalTime, Texts
from plaza_contracts import ContractModel, InputModel, UtcDateTime

SolverStatus = Literal["optimal", "feasible", "infeasible", "unknown"]
UnplacedReason = Literal[
    "no_common_free_slot",
    "table_capacity",
    "interpreter_shortage",
    "quota",
    "precedence",
    "fairness",
    "parties_unavailable",
]


class SessionConstraint(InputModel):
    """Place this accepted request in the morning only or in the afternoon only."""

    request_id: uuid.UUID
    session: Literal["morning", "afternoon"] = Field(
        description="Slots starting before noon are the morning."
    )


class Precedence(InputModel):
    """Place this accepted request only after those (each placed, in an earlier slot)."""

    request_id: uuid.UUID
    after: list[uuid.UUID] = Field(min_length=1, max_length=50)


class ScheduleRunCreate(InputModel):
    """What to solve: every accepted request without a meeting, around the live meetings."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"time_limit_seconds": 10, "fairness": None, "seed": 0}]}
    )

    time_limit_seconds: StrictInt = Field(default=10, ge=1, le=3600, description="The solver's time limit.")
    fairness: StrictInt | None = Field(
        default=None, ge=0, le=100, description="No company has more than this many breaks more than another."
    )
    seed: StrictInt = Field(
        default=0, ge=0, le=2_147_483_647, description="The same seed gives the same schedule."
    )
    reschedule_unlocked: StrictBool = Field(
        default=False,
        description="Let the run move scheduled meetings that are not locked (they keep their id; publishing "
        "bumps their calendar SEQUENCE). Locked, checked-in, held and missed meetings always stay.",
    )
    sessions: list[SessionConstraint] = Field(default_factory=list, max_length=5000)
    precedences: list[Precedence] = Field(default_factory=list, max_length=5000)


class ObjectiveRead(ContractModel):
    """The lexicographic objective: placed priority weight (max), then breaks, then table changes (min)."""

    placed_weight: int
    breaks: int
    table_changes: int


class BoundRead(ContractModel):
    """The best proven bound of the first stage not proven optimal (upper for the weight, lower otherwise)."""

    stage: Literal["placed_weight", "breaks", "table_changes"]
    value: int


class ProgressRead(ContractModel):
    """How far the run is: `queued`, `exact` (the greedy schedule is known, the exact solver runs), `done`."""

    phase: Literal["queued", "running", "exact", "done"]
    stage: Literal["placed_weight", "breaks", "table_changes"] | None = Field(
        default=None, description="The objective stage the exact solver works on."
    )
    best_objective: ObjectiveRead | None = None
    bound: BoundRead | None = Field(default=None, description="The best proven bound of that stage so far.")
    seconds: float | None = Field(default=None, description="Solver seconds so far.")
    placed: int | None = Field(
        default=None, description="Meetings placed by the best schedule (greedy's until done)."
    )


class RunOptionsRead(ContractModel):
    time_limit_seconds: int
    fairness: int | None
    seed: int
    reschedule_unlocked: bool
    sessions: int = Field(description="How many session constraints the run was given.")
    precedences: int = Field(description="How many precedences the run was given.")


class PublishConflict(ContractModel):
    """A placement of the draft that the database refused: something was booked there since the run."""

    request_id: uuid.UUID | None
    meeting_id: uuid.UUID | None
    slot_id: uuid.UUID
    problem: dict[str, Any] = Field(description="The RFC 9457 problem a booking in that slot answers now.")


class PublicationRead(ContractModel):
    """What publishing did."""

    booked: int = Field(description="New meetings booked from accepted requests.")
    moved: int = Field(description="Unlocked meetings moved (their calendar SEQUENCE went up).")
    unchanged: int = Field(description="Meetings of the draft already where the draft puts them.")
    conflicts: list[PublishConflict]
    follow_up_run_id: uuid.UUID | None = Field(
        description="With `on_conflict: resolve`, the run started for what could not be published."
    )


class ScheduleRunRead(ContractModel):
    """A schedule run: queued → running → finished → published, or failed, or cancelled."""

    id: uuid.UUID
    event_id: uuid.UUID
    status: RunStatus
    options: RunOptionsRead
    requests_to_place: int = Field(description="Accepted requests without a meeting given to the solver.")
    fixed_meetings: int = Field(description="Live meetings the run kept where they are.")
    movable_meetings: int = Field(description="Live meetings the run could move (`reschedule_unlocked`).")
    skipped: int = Field(description="Accepted requests left out (`parties_unavailable`, see the draft).")
    progress: ProgressRead
    solver_status: SolverStatus | None = Field(
        description="optimal: every stage proven; null until finished."
    )
    objective: ObjectiveRead | None
    bound: BoundRead | None
    solver_seconds: float | None
    placed: int | None
    unplaced: int | None
    error: str | None
    requested_by: str
    created_at: UtcDateTime
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None
    published_at: UtcDateTime | None
    published_by: str | None
    publication: PublicationRead | None


class SideName(ContractModel):
    company_id: uuid.UUID
    name: Texts


class DraftPlacement(ContractModel):
    """Where the draft puts a meeting: an accepted request (`request_id`) or a live meeting (`meeting_id`)."""

    request_id: uuid.UUID | None
    meeting_id: uuid.UUID | None
    a: SideName
    b: SideName
    slot_id: uuid.UUID
    starts_at: LocalTime
    ends_at: LocalTime
    table: TableRef | None
    interpreter: InterpreterRef | None
    fixed: bool = Field(description="A live meeting the run kept where it is.")
    moved: bool = Field(description="A live meeting the draft moves.")


class DraftUnplaced(ContractModel):
    """An accepted request (or a movable meeting) the draft leaves out, and why."""

    request_id: uuid.UUID | None
    meeting_id: uuid.UUID | None
    a: SideName
    b: SideName
    reason: UnplacedReason
    detail: str | None = None


class ScheduleDraft(ContractModel):
    """The run's schedule: every placement (live meetings included) and what is left out."""

    run_id: uuid.UUID
    status: RunStatus
    solver_status: SolverStatus
    objective: ObjectiveRead | None
    bound: BoundRead | None
    placements: list[DraftPlacement]
    unplaced: list[DraftUnplaced]


class SchedulePublish(InputModel):
    """`fail` (default): any conflict and nothing is published (409 listing them). `resolve`: publish what
    still fits and start a new run for the rest."""

    on_conflict: Literal["fail", "resolve"] = "fail"
