"""The result of a run (a JSON document, `result.schema.json`)."""

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
Reason = Literal[
    "no_common_free_slot", "table_capacity", "interpreter_shortage", "quota", "precedence", "fairness"
]
Stage = Literal["placed_weight", "breaks", "table_changes"]
STAGES: tuple[Stage, ...] = ("placed_weight", "breaks", "table_changes")
SCHEMA_PATH = Path(__file__).with_name("result.schema.json")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Placement(_Model):
    """Where a meeting goes: its slot, the table (none when the event has no tables), the interpreter."""

    meeting: str
    slot: str
    table: str | None = None
    interpreter: str | None = None


class Unplaced(_Model):
    """A meeting left out, and why (derived from the final schedule; see README.md)."""

    meeting: str
    reason: Reason


class Objective(_Model):
    """The lexicographic objective's parts, in order of importance."""

    placed_weight: int = Field(description="Sum of the priorities of the placed meetings (maximised).")
    breaks: int = Field(description="Sum over companies of their breaks (minimised).")
    table_changes: int = Field(description="Table changes of companies without a fixed table (minimised).")


class Bound(_Model):
    """The best proven bound of one stage: an upper bound for placed_weight, a lower bound for the others."""

    stage: Stage
    value: int


class Result(_Model):
    """A schedule and what is proven about it.

    `optimal`: every stage proven (`bound` is then the last stage's value). `feasible`: a valid schedule,
    `bound` is the proven bound of the first stage not proven (none from the greedy heuristic).
    `infeasible`: proven that the locks, precedences and fairness bound cannot all hold; no placements.
    `unknown`: no schedule found in the time limit and nothing proven.
    """

    status: Status
    solver: str = Field(description='"greedy", "cp-sat", or "cp-sat+greedy" when the heuristic was kept.')
    seconds: float
    placements: list[Placement] = Field(default_factory=list)
    unplaced: list[Unplaced] = Field(default_factory=list)
    objective: Objective | None = None
    bound: Bound | None = None
    fairness: int | None = Field(default=None, description="The fairness bound d the run respected, if any.")


def result_schema() -> dict[str, Any]:
    """The JSON Schema of the result format, as committed in `result.schema.json`."""
    schema = Result.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
