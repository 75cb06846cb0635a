"""The fast heuristic: locked meetings at their lock, then by priority (highest first, input order among
equals, a meeting only once its predecessors are decided), each in the first slot where it fits.

It is the exact solver's first solution and fallback, and the benchmarks' baseline. It proves nothing:
its status is `feasible` (or `unknown` when it cannot keep the locks and precedences).
"""

import time

from meetings.scheduling.instance import Instance, Meeting
from meetings.scheduling.reasons import unplaced_reasons
from meetings.scheduling.result import Result
from meetings.scheduling.rules import Index, build_index, objective_of
from meetings.scheduling.state import State


def _decision_order(ix: Index) -> list[Meeting]:
    """Unlocked meetings by priority, each after its predecessors (meetings on a cycle are left out)."""
    pending = [m for m in ix.instance.meetings if m.lock is None]
    pending.sort(key=lambda m: -m.priority)  # stable: input order among equals
    decided = {m.id for m in ix.instance.meetings if m.lock is not None}
    order: list[Meeting] = []
    while True:
        ready = next((m for m in pending if all(b in decided for b in m.after)), None)
        if ready is None:
            return order
        pending.remove(ready)
        decided.add(ready.id)
        order.append(ready)


def fill(state: State, meetings: list[Meeting]) -> None:
    """Place each meeting in turn where it first fits (nothing moves)."""
    for meeting in meetings:
        if meeting.id not in state.placed and (placement := state.first_fit(meeting)) is not None:
            state.add(placement)


def greedy_state(ix: Index, fairness: int | None = None) -> State | None:
    """The heuristic's schedule, or None when it could not keep every lock (and precedence of locks)."""
    state = State(ix, fairness)
    for meeting in ix.instance.meetings:
        if meeting.lock is None:
            continue
        pos = ix.slot_pos[meeting.lock.slot]
        placement = state.options(meeting, pos)
        if placement is None or state.quota_reached(meeting) or not state.fair_with(meeting, pos):
            return None
        state.add(placement)
    fill(state, _decision_order(ix))
    for meeting in ix.instance.meetings:
        if meeting.lock is not None:
            at = state.slot_of(meeting.id)
            assert at is not None
            if any((before := state.slot_of(b)) is None or before >= at for b in meeting.after):
                return None
    return state


def solve_greedy(instance: Instance, *, fairness: int | None = None) -> Result:
    started = time.perf_counter()
    ix = build_index(instance)
    state = greedy_state(ix, fairness)
    if state is None:
        return Result(
            status="unknown", solver="greedy", seconds=time.perf_counter() - started, fairness=fairness
        )
    placements = [state.placed[m.id] for m in instance.meetings if m.id in state.placed]
    return Result(
        status="feasible",
        solver="greedy",
        seconds=time.perf_counter() - started,
        placements=placements,
        unplaced=unplaced_reasons(ix, state),
        objective=objective_of(ix, placements),
        fairness=fairness,
    )
