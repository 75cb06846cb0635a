"""`./plaza bench scheduler`: the exact scheduler (meetings.scheduling) on generated instances.

For each instance it runs the greedy heuristic (the baseline) and the exact solver with the instance's
time limit, checks both results with the checker, and prints: meetings placed, priority weight, breaks,
table changes, the proven bound of the first unproven stage, the greedy baseline, seconds and status,
with the verdict on the issue's target. `--breaks-solver` picks the breaks stage's engine (cp-sat, the
default: the day-flow model; hybrid: RC2 MaxSAT for half the stage's time, then CP-SAT; maxsat) for the
solver-choice comparison.
`--only NAME` runs the instances whose name contains NAME. Results are saved as JSON in bench/results/.
"""

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from meetings.scheduling import generate
from meetings.scheduling.checker import check
from meetings.scheduling.greedy import solve_greedy
from meetings.scheduling.instance import Instance
from meetings.scheduling.solver import solve_exact

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], Instance]
    time_limit: float
    target: str  # "optimal<1s", "optimal<10s", "1%<30s"


def _forum(**kwargs: object) -> Callable[[], Instance]:
    return lambda: generate.forum(**kwargs)  # type: ignore[arg-type]


CASES = [
    Case("plaza", generate.plaza, 10, "optimal<1s"),
    Case("fair 30x120", generate.fair, 10, "optimal<1s"),
    Case(
        "forum 40p/120m/8s cap16",
        _forum(participants=40, meetings=120, slot_count=8, cap=16, forbidden=0.0),
        10,
        "optimal<10s",
    ),
    Case(
        "forum 50p/150m/10s split cap15 3%",
        _forum(participants=50, meetings=150, slot_count=10, split=True, cap=15, forbidden=0.03),
        10,
        "optimal<10s",
    ),
    Case(
        "forum 60p/200m/12s cap17 5%",
        _forum(participants=60, meetings=200, slot_count=12, cap=17, forbidden=0.05),
        10,
        "optimal<10s",
    ),
    Case(
        "forum 70p/250m/16s split cap22 7%",
        _forum(participants=70, meetings=250, slot_count=16, split=True, cap=22, forbidden=0.07),
        10,
        "optimal<10s",
    ),
    Case(
        "forum 80p/300m/22s cap27 5%",
        _forum(participants=80, meetings=300, slot_count=22, cap=27, forbidden=0.05),
        10,
        "optimal<10s",
    ),
    Case(
        "forum 60p/200m/12s locked 10%",
        _forum(participants=60, meetings=200, slot_count=12, cap=17, locked=0.1),
        10,
        "optimal<10s",
    ),
    Case(
        "forum 60p/200m/12s precedence 10%",
        _forum(participants=60, meetings=200, slot_count=12, cap=17, precedences=0.1),
        10,
        "optimal<10s",
    ),
    Case("trade show 300x1500/16s/5000m", generate.trade_show, 30, "1%<30s"),
]


def verdict(case: Case, status: str, seconds: float, gap: float | None) -> str:
    if case.target.startswith("optimal"):
        limit = 1.0 if case.target.endswith("<1s") else 10.0
        ok = status in ("optimal", "infeasible") and seconds < limit
    else:
        ok = gap is not None and gap <= 0.01 and seconds < 30
    return "meets" if ok else "misses"


def main() -> None:
    parser = argparse.ArgumentParser(prog="./plaza bench scheduler")
    parser.add_argument("--breaks-solver", choices=("cp-sat", "hybrid", "maxsat"), default="cp-sat")
    parser.add_argument("--only", default="")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows = []
    header = (
        f"{'instance':38} {'meetings':>8} {'placed':>7} {'weight':>7} {'breaks':>6} {'changes':>7} "
        f"{'bound':>14} {'greedy p/w/b':>16} {'s':>6}  status    target"
    )
    print(header)
    for case in CASES:
        if args.only not in case.name:
            continue
        instance = case.build()
        greedy = solve_greedy(instance)
        exact = solve_exact(
            instance, time_limit=case.time_limit, seed=args.seed, breaks_solver=args.breaks_solver
        )
        assert check(instance, greedy) == [], check(instance, greedy)[:5]
        assert check(instance, exact) == [], check(instance, exact)[:5]
        objective, base = exact.objective, greedy.objective
        bound = f"{exact.bound.stage[:6]}={exact.bound.value}" if exact.bound else "-"
        gap = None
        if objective is not None and exact.bound is not None and exact.bound.stage == "placed_weight":
            gap = (exact.bound.value - objective.placed_weight) / max(exact.bound.value, 1)
        elif exact.status in ("optimal", "feasible") and exact.bound is not None:
            gap = 0.0  # the weight stage is proven; the gap is on the later stages
        greedy_text = f"{len(greedy.placements)}/{base.placed_weight}/{base.breaks}" if base else "-"
        result = verdict(case, exact.status, exact.seconds, gap)
        print(
            f"{case.name:38} {len(instance.meetings):>8} {len(exact.placements):>7} "
            f"{objective.placed_weight if objective else '-':>7} {objective.breaks if objective else '-':>6} "
            f"{objective.table_changes if objective else '-':>7} {bound:>14} {greedy_text:>16} "
            f"{exact.seconds:>6.2f}  {exact.status:9} {case.target} {result}",
            flush=True,
        )
        rows.append(
            {
                "instance": case.name,
                "meetings": len(instance.meetings),
                "exact": exact.model_dump(mode="json", exclude={"placements", "unplaced"}),
                "placed": len(exact.placements),
                "greedy": greedy.model_dump(mode="json", exclude={"placements", "unplaced"}),
                "greedy_placed": len(greedy.placements),
                "target": case.target,
                "verdict": result,
            }
        )
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"scheduler-{args.breaks_solver}-{stamp}.json"
    path.write_text(
        json.dumps({"breaks_solver": args.breaks_solver, "rows": rows}, indent=2), encoding="utf-8"
    )
    print(f"saved {path.relative_to(RESULTS_DIR.parent.parent)}")


if __name__ == "__main__":
    main()
