"""Progress of an exact run, for a caller that reports it while the run goes on (the service's runs).

`solve_exact(..., on_progress=f)` calls `f(Progress(...))` when each stage starts and ends, on improving
CP-SAT solutions (at most about twice a second: a schedule is read out of the solver only then), and once
more with the final result's objective and bound. `objective` is always that of the best complete
schedule known so far (lexicographically never worse than the previous call's); `bound` is the best
proven bound of the stage reported (None before the stage has one).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from meetings.scheduling.result import Bound, Objective, Stage

# At most one call per this many seconds from the solution callback (stage starts and ends always call).
THROTTLE_SECONDS = 0.5


@dataclass(frozen=True)
class Progress:
    """One report: the stage running, the best schedule's objective, the stage's proven bound, seconds."""

    stage: Stage
    objective: Objective | None
    bound: Bound | None
    seconds: float

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (the shapes of the result's `objective` and `bound`)."""
        return {
            "stage": self.stage,
            "objective": self.objective.model_dump(mode="json") if self.objective else None,
            "bound": self.bound.model_dump(mode="json") if self.bound else None,
            "seconds": self.seconds,
        }


ProgressHook = Callable[[Progress], None]


class SolutionReporter(cp_model.CpSolverSolutionCallback):
    """Calls `report` on improving solutions of one stage, throttled.

    `report(callback)` reads the solution through the callback (it is called from the solver's thread,
    during the search); it is not called again within `THROTTLE_SECONDS` of the last call, so that a
    burst of small improvements does not slow the search. The stage's end reads the final solution anyway.
    """

    def __init__(self, report: Callable[["SolutionReporter"], None]) -> None:
        super().__init__()
        self._report = report
        self._last = float("-inf")

    def on_solution_callback(self) -> None:
        now = time.perf_counter()
        if now - self._last < THROTTLE_SECONDS:
            return
        self._last = now
        self._report(self)
