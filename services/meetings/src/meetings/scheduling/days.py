"""A company's day as a layered flow: the breaks model whose LP relaxation is exact per company.

The obvious model (start[c, s] ≥ busy[c, s] − busy[c, s−1]) has a useless relaxation: spreading every
meeting fractionally over all slots costs almost nothing, so CP-SAT's bound stays at 0. Here each company's
day is a path through a small automaton, one layer per slot, one Boolean per arc, flow conservation as
linear equalities:

    pre --busy--> in --busy--> in        in --idle--> gap (cost 1) --busy--> in
    pre --idle--> pre                    in --idle--> post --idle--> post

A gap state must be left by a busy slot and cannot end the day, so the path of a busy pattern is unique
and its cost is exactly the breaks (runs − 1): the fairness bound may use it. A single path polytope is
integral, so the relaxation of one company is the convex hull of its (busy pattern, breaks) points. When
the company's meeting count n is known (every placeable meeting placed), the states also carry the count
so far and only count n ends the day: the hull is then that of the patterns with exactly n busy slots —
the constraint that proves, e.g., that a company with 7 meetings in 8 slots idle in a middle slot has a
break, and with the per-slot cap, that some companies must have one.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

State = tuple[str, int]  # (phase, meetings so far; 0 when not counted)
# Above this many arcs in the whole model the counted states are dropped (the trade show's size).
COUNTED_ARC_LIMIT = 60_000


def _moves(phase: str, k: int, busy_possible: bool, counted: bool, n: int) -> list[tuple[State, bool, int]]:
    """(next state, busy, cost) from a state at one slot."""
    step = k + 1 if counted else 0
    full = counted and k >= n
    moves: list[tuple[State, bool, int]] = []
    if phase == "pre":
        moves.append((("pre", 0), False, 0))
        if busy_possible:
            moves.append((("in", step), True, 0))
    elif phase == "in":
        if busy_possible and not full:
            moves.append((("in", step), True, 0))
        if not full:
            moves.append((("gap", k), False, 1))
        moves.append((("post", k), False, 0))
    elif phase == "gap":
        moves.append((("gap", k), False, 0))
        if busy_possible:
            moves.append((("in", step), True, 0))
    else:
        moves.append((("post", k), False, 0))
    return moves


def arc_count(possible: Sequence[bool], n: int | None) -> int:
    """How many arcs `add_day` would create (to decide whether to count)."""
    return sum(len(layer) for layer in _layers(possible, n))


def _layers(possible: Sequence[bool], n: int | None) -> list[list[tuple[State, State, bool, int]]]:
    """The arcs of each layer (from, to, busy, cost), pruned to states that can still end the day."""
    counted = n is not None
    target = n or 0
    slots = len(possible)
    later = [0] * (slots + 1)  # slots that may be busy from position s on
    for pos in range(slots - 1, -1, -1):
        later[pos] = later[pos + 1] + possible[pos]
    reachable: set[State] = {("pre", 0)}
    layers: list[list[tuple[State, State, bool, int]]] = []
    for pos in range(slots):
        arcs = []
        for phase, k in sorted(reachable):
            for (to_phase, to_k), busy, cost in _moves(phase, k, possible[pos], counted, target):
                left = later[pos + 1]
                if counted and target - to_k > left:
                    continue
                if to_phase == "gap" and left == 0:
                    continue
                if counted and to_phase == "post" and to_k != target:
                    continue
                if counted and to_phase == "pre" and target > left:
                    continue
                arcs.append(((phase, k), (to_phase, to_k), busy, cost))
        layers.append(arcs)
        reachable = {to for _, to, _, _ in arcs}
    return layers


@dataclass
class Day:
    """One company's day in the model: its arcs per slot, and its breaks (the cost arcs' sum)."""

    layers: list[list[tuple[State, State, bool, cp_model.IntVar]]]
    costs: list[cp_model.IntVar]

    def hint(self, model: cp_model.CpModel, busy: set[int]) -> None:
        """Hint the path of a busy pattern (the unique path: see the module docstring)."""
        state: State = ("pre", 0)
        last = max(busy, default=-1)
        for pos, arcs in enumerate(self.layers):
            is_busy = pos in busy
            wanted = "in" if is_busy else ("gap" if state[0] in ("in", "gap") and pos < last else "")
            if not wanted:
                wanted = "post" if state[0] in ("in", "post") else "pre"
            chosen = None
            for source, to, _, arc in arcs:
                on = chosen is None and source == state and to[0] == wanted
                if on:
                    chosen = to
                model.add_hint(arc, on)
            if chosen is None:
                return  # the pattern is not one of this day's (cannot happen for a valid schedule)
            state = chosen


def add_day(model: cp_model.CpModel, busy: Sequence[Any | None], n: int | None, name: str) -> Day:
    """Add one company's day; `busy[s]` is its busy expression in slot s (None: never busy there), `n`
    its exact meeting count when known."""
    possible = [term is not None for term in busy]
    inflow: dict[State, list[cp_model.IntVar]] = {("pre", 0): []}
    day = Day([], [])
    for pos, arcs in enumerate(_layers(possible, n)):
        outflow: dict[State, list[cp_model.IntVar]] = defaultdict(list)
        arriving: dict[State, list[cp_model.IntVar]] = defaultdict(list)
        busy_arcs: list[cp_model.IntVar] = []
        layer = []
        for source, to, is_busy, cost in arcs:
            arc = model.new_bool_var(f"day[{name},{pos},{source[0]}{source[1]}>{to[0]}{to[1]}]")
            layer.append((source, to, is_busy, arc))
            outflow[source].append(arc)
            arriving[to].append(arc)
            if is_busy:
                busy_arcs.append(arc)
            if cost:
                day.costs.append(arc)
        day.layers.append(layer)
        for state, incoming in inflow.items():
            leaving = outflow.get(state, [])
            if pos == 0:
                model.add_exactly_one(leaving)
            else:
                model.add(cp_model.LinearExpr.sum(leaving) == cp_model.LinearExpr.sum(incoming))
        term = busy[pos]
        if term is not None:
            model.add(cp_model.LinearExpr.sum(busy_arcs) == term)
        inflow = dict(arriving)
    # every state reached after the last slot ends the day (the pruning kept only accepting ones)
    return day
