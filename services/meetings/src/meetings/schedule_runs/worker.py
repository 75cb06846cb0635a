"""The solver process of a schedule run: `python -m meetings.schedule_runs.worker`.

Reads one JSON document on stdin — `{"instance": …, "time_limit": S, "fairness": D | null, "seed": N}` —
and writes JSON lines on stdout: `{"progress": …}` when the greedy schedule is known (the first solution,
and the fallback) and as the exact solver improves its schedule or its bound, then `{"result": …}`
(`meetings.scheduling.result.Result`). It runs apart from the service so that the solver's CPU time never
blocks the service's event loop, and so that a crash of the solver (or a kill) cannot take the service
down: the supervisor (`runner.py`) marks the run failed.
"""

import json
import sys
from typing import Any, TextIO

from meetings.scheduling.greedy import solve_greedy
from meetings.scheduling.instance import load_instance
from meetings.scheduling.progress import Progress
from meetings.scheduling.solver import solve_exact


def _emit(out: TextIO, **message: Any) -> None:
    out.write(json.dumps(message, ensure_ascii=False) + "\n")
    out.flush()


def run(source: TextIO, out: TextIO) -> int:
    job = json.load(source)
    instance = load_instance(job["instance"])
    fairness = job.get("fairness")
    greedy = solve_greedy(instance, fairness=fairness)
    if greedy.objective is not None:
        _emit(
            out,
            progress={
                "phase": "exact",
                "best_objective": greedy.objective.model_dump(),
                "placed": len(greedy.placements),
                "solver": greedy.solver,
            },
        )
    placed_by_greedy = len(greedy.placements)

    def report(progress: Progress) -> None:
        """The solver's best schedule and bound so far (the solver calls at most about twice a second)."""
        state = progress.to_json()
        _emit(
            out,
            progress={
                "phase": "exact",
                "stage": state["stage"],
                "best_objective": state["objective"],
                "bound": state["bound"],
                "seconds": round(state["seconds"], 3),
                "placed": placed_by_greedy,
            },
        )

    result = solve_exact(
        instance,
        time_limit=float(job["time_limit"]),
        fairness=fairness,
        seed=int(job["seed"]),
        on_progress=report,
    )
    _emit(out, result=result.model_dump(mode="json"))
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.stdin, sys.stdout))
