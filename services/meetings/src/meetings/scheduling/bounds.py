"""A proven upper bound on the placed weight that does not depend on CP-SAT finishing.

The linear relaxation of a relaxation of stage 1: each meeting is placed or not (y in [0, 1]); a company
holds at most min(quota, the slots where it could meet) meetings; the meetings that need a pair hold at
most the interpreter-slots covering it; all of them at most the cap times the slots. Every schedule
satisfies these, so the LP optimum bounds the weight from above. On large instances (the trade show) it is
within a fraction of a percent of what the search finds, where CP-SAT's own bound, after 30 s on 80,000
Booleans, is not; when it equals the weight found, stage 1 is proven.
"""

import math
from collections import defaultdict

from ortools.linear_solver import pywraplp  # type: ignore[import-untyped]

from meetings.scheduling.instance import covers
from meetings.scheduling.rules import Index


def weight_upper_bound(ix: Index, slots_of: dict[str, list[int]]) -> int | None:
    """The LP bound, given each meeting's possible slots (`slots_of`, empty: cannot be placed); None when
    the LP solver fails (the caller then has only CP-SAT's bound)."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return None
    instance = ix.instance
    placed: dict[str, pywraplp.Variable] = {}
    by_company: dict[str, list[pywraplp.Variable]] = defaultdict(list)
    company_slots: dict[str, set[int]] = defaultdict(set)
    by_pair: dict[str, list[pywraplp.Variable]] = defaultdict(list)
    for meeting in instance.meetings:
        positions = slots_of.get(meeting.id, [])
        if not positions:
            continue
        y = lp.NumVar(1.0 if meeting.lock is not None else 0.0, 1.0, meeting.id)
        placed[meeting.id] = y
        for company in meeting.companies:
            by_company[company].append(y)
            company_slots[company].update(positions)
        if meeting.interpreter is not None:
            by_pair[meeting.interpreter].append(y)
    for company, ys in by_company.items():
        capacity = len(company_slots[company])
        quota = ix.company[company].quota
        if quota is not None:
            capacity = min(capacity, quota)
        if len(ys) > capacity:
            lp.Add(lp.Sum(ys) <= capacity)
    slots = len(instance.slots)
    for pair, ys in by_pair.items():
        able = [i for i in instance.interpreters if covers(i, pair)]
        capacity = sum(slots - len(ix.interpreter_unavailable[i.id]) for i in able)
        if len(ys) > capacity:
            lp.Add(lp.Sum(ys) <= capacity)
    if instance.max_simultaneous is not None and len(placed) > instance.max_simultaneous * slots:
        lp.Add(lp.Sum(list(placed.values())) <= instance.max_simultaneous * slots)
    lp.Maximize(lp.Sum([ix.meeting[m].priority * y for m, y in placed.items()]))
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    value: float = lp.Objective().Value()
    return math.floor(value + 1e-4)  # integer weights; a margin for the LP's tolerance
