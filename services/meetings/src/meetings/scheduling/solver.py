"""The exact solver: OR-Tools CP-SAT, lexicographic, stage by stage.

Variables: x[m, s] (meeting m in slot s) for the slots where the parties are free; t[m, s, table] when a
meeting may use several tables; i[m, s, class] when it needs an interpreter — a class being the
interpreters interchangeable in that slot (same needed pairs, same fixed table or the pool, none named by
a lock), counted against the class size, the person chosen afterwards (no symmetric search). Stages:

1. maximise the priority-weighted placed meetings; an LP bound (`bounds.py`) proves what CP-SAT's own
   bound does not on large instances;
2. with stage 1's value fixed (or bounded by the best found), minimise the companies' breaks: each
   company's day a layered flow (`days.py`) whose LP relaxation is exact per company (counting the
   meetings when all are placed), so that the max_lp worker proves bounds (the start/any model's bound
   stays at 0); exact, so the fairness bound `max breaks − min breaks ≤ d` cannot be met by inflating a
   count;
3. with stage 2's value fixed, minimise table changes of companies without a fixed table (a "last table
   used" state carried over idle slots). With tables, stages 2 and 3 are first one solve of
   K · breaks + changes (K above any schedule's changes: still lexicographic); stage 3 runs on its own
   only when that solve is not proven. Without tables it is skipped (no changes).

Each stage starts from the previous solution (the greedy schedule for stage 1) as a hint, the day flows'
paths included. The search is run with a fixed number of workers and the given seed; see README.md for
what is deterministic.
"""

import logging
import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from ortools.sat.python import cp_model

from meetings.scheduling.bounds import weight_upper_bound
from meetings.scheduling.days import COUNTED_ARC_LIMIT, Day, add_day, arc_count
from meetings.scheduling.greedy import _decision_order, fill, greedy_state
from meetings.scheduling.instance import Instance, covers
from meetings.scheduling.maxsat import solve_breaks
from meetings.scheduling.progress import Progress, ProgressHook, SolutionReporter
from meetings.scheduling.reasons import unplaced_reasons
from meetings.scheduling.result import Bound, Objective, Placement, Result, Stage, Status
from meetings.scheduling.rules import (
    Index,
    build_index,
    interpreter_options,
    objective_of,
    static_slots,
    table_options,
)
from meetings.scheduling.state import State

log = logging.getLogger(__name__)
# The MaxSAT breaks stage encodes "unplaced weight ≤ U" with a sequential counter of size ~ literals × U;
# past this many cells (a large instance where stage 1 leaves much out) the stage is CP-SAT's alone.
MAXSAT_COUNTER_LIMIT = 2_000_000
# With two workers, the breaks and table-changes stages run the full LP (its bound is what proves breaks)
# beside the default LP-guided search (measured: bench/README.md, Scheduler). On small models the full-LP
# worker searches at its proven bound (`objective ≤ bound`, raised when refuted: reduced-cost fixing at
# the bound prunes almost every arc; plaza and the 40p forum proven ~2x faster); on larger ones that
# worker's bound lags (the 50p forum: 8-12 instead of 13), so it keeps plain `max_lp` there.
LATER_STAGE_SUBSOLVERS = ("max_lp", "default_lp")
SMALL_MODEL_SUBSOLVERS = ("lb_max_lp", "default_lp")
SMALL_MODEL_VARIABLES = 4_000
CUSTOM_SUBSOLVERS = (
    'subsolver_params { name: "lb_max_lp" linearization_level: 2 use_objective_lb_search: true }'
)
Var = cp_model.IntVar
LinearExpr = cp_model.LinearExpr


def total(terms: Iterable[Any]) -> LinearExpr:
    """A typed sum (the builtin `sum` of OR-Tools expressions types as a union with numpy integers)."""
    return cp_model.LinearExpr.sum(list(terms))


@dataclass
class _Model:
    ix: Index
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[str, int], Var] = field(default_factory=dict)
    tables: dict[tuple[str, int], dict[str | None, Var]] = field(default_factory=dict)
    interpreters: dict[tuple[str, int], dict[str, Var]] = field(default_factory=dict)  # by class
    classes: dict[tuple[int, str], list[str]] = field(default_factory=dict)  # (slot, class) -> members
    busy: dict[tuple[str, int], list[Var]] = field(default_factory=lambda: defaultdict(list))
    breaks: dict[str, LinearExpr] = field(default_factory=dict)
    days: dict[str, Day] = field(default_factory=dict)
    options: dict[tuple[str, int], dict[str | None, list[str | None]]] = field(default_factory=dict)
    impossible_lock: bool = False
    all_placed: bool = False  # every placeable meeting placed (stage 1 proved it possible)

    def placeable_weight(self) -> int:
        return sum(self.ix.meeting[meeting].priority for meeting in {meeting for meeting, _ in self.x})

    def slots_of(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = defaultdict(list)
        for meeting, pos in self.x:
            found[meeting].append(pos)
        return found

    def place_all(self) -> None:
        of_meeting: dict[str, list[Var]] = defaultdict(list)
        for (meeting, _), x in self.x.items():
            of_meeting[meeting].append(x)
        for xs in of_meeting.values():
            self.model.add_exactly_one(xs)
        self.all_placed = True

    def hint(self, placements: dict[str, Placement]) -> None:
        self.model.clear_hints()  # type: ignore[no-untyped-call]
        for (meeting, pos), var in self.x.items():
            p = placements.get(meeting)
            on = p is not None and self.ix.slot_pos[p.slot] == pos
            self.model.add_hint(var, on)
            for table, tv in self.tables[(meeting, pos)].items():
                if tv is not var:
                    self.model.add_hint(tv, on and p is not None and p.table == table)
            for group, iv in self.interpreters[(meeting, pos)].items():
                members = self.classes[(pos, group)]
                self.model.add_hint(iv, on and p is not None and p.interpreter in members)
        busy: dict[str, set[int]] = defaultdict(set)
        for p in placements.values():
            for company in self.ix.meeting[p.meeting].companies:
                busy[company].add(self.ix.slot_pos[p.slot])
        for company, day in self.days.items():
            day.hint(self.model, busy[company])


def _interpreter_classes(ix: Index) -> dict[tuple[int, str], str]:
    """(slot, interpreter) -> its class in that slot: interpreters that serve exactly the same meetings
    there (the same needed pairs, the same fixed table or the pool, none named by a lock) are
    interchangeable, so the model counts them per class instead of naming one (no symmetric search)."""
    needed = {m.interpreter for m in ix.instance.meetings if m.interpreter is not None}
    locked = {m.lock.interpreter for m in ix.instance.meetings if m.lock and m.lock.interpreter}
    classes: dict[tuple[int, str], str] = {}
    for pos in range(len(ix.instance.slots)):
        for interpreter in ix.instance.interpreters:
            if pos in ix.interpreter_unavailable[interpreter.id]:
                continue
            if interpreter.id in locked:
                classes[(pos, interpreter.id)] = f"i:{interpreter.id}"
                continue
            pairs = sorted(p for p in needed if covers(interpreter, p))
            classes[(pos, interpreter.id)] = f"c:{interpreter.table or ''}:{','.join(pairs)}"
    return classes


def _build(ix: Index) -> _Model:
    m = _Model(ix)
    model = m.model
    instance = ix.instance
    by_table: dict[tuple[str, int], list[Var]] = defaultdict(list)
    by_interpreter: dict[tuple[str, int], list[Var]] = defaultdict(list)
    per_slot: dict[int, list[Var]] = defaultdict(list)
    of_meeting: dict[str, list[tuple[int, Var]]] = defaultdict(list)
    classes = _interpreter_classes(ix)
    for (pos, interpreter), class_id in sorted(classes.items()):
        m.classes.setdefault((pos, class_id), []).append(interpreter)
    for meeting in instance.meetings:
        tables = table_options(ix, meeting)
        for pos in static_slots(ix, meeting):
            choices = {
                t: [i for i in interpreter_options(ix, meeting, pos, t) if i not in meeting.people]
                for t in tables
            }
            viable = [t for t, interpreters in choices.items() if interpreters]
            if not viable:
                continue
            m.options[(meeting.id, pos)] = {t: choices[t] for t in viable}
            x = model.new_bool_var(f"x[{meeting.id},{pos}]")
            m.x[(meeting.id, pos)] = x
            of_meeting[meeting.id].append((pos, x))
            per_slot[pos].append(x)
            for company in meeting.companies:
                m.busy[(company, pos)].append(x)
            table_vars: dict[str | None, Var] = (
                {viable[0]: x}
                if len(viable) == 1
                else {t: model.new_bool_var(f"t[{meeting.id},{pos},{t}]") for t in viable}
            )
            if len(viable) > 1:
                model.add(total(table_vars.values()) == x)
            m.tables[(meeting.id, pos)] = table_vars
            for t, tv in table_vars.items():
                if t is not None:
                    by_table[(t, pos)].append(tv)
            interpreter_vars: dict[str, Var] = {}
            if meeting.interpreter is not None:
                usable = sorted({classes[(pos, i)] for t in viable for i in choices[t] if i is not None})
                interpreter_vars = {g: model.new_bool_var(f"i[{meeting.id},{pos},{g}]") for g in usable}
                model.add(total(interpreter_vars.values()) == x)
                for class_id, iv in interpreter_vars.items():
                    by_interpreter[(class_id, pos)].append(iv)
                    fixed_at = ix.interpreter[m.classes[(pos, class_id)][0]].table
                    if fixed_at is not None:
                        model.add_implication(iv, table_vars[fixed_at])
            m.interpreters[(meeting.id, pos)] = interpreter_vars
        placed = [x for _, x in of_meeting[meeting.id]]
        if meeting.lock is not None:
            if not placed:
                m.impossible_lock = True
            else:
                model.add(total(placed) == 1)
        elif len(placed) > 1:
            model.add_at_most_one(placed)
    for group in (*m.busy.values(), *by_table.values()):
        if len(group) > 1:
            model.add_at_most_one(group)
    for (class_id, pos), users in by_interpreter.items():
        size = len(m.classes[(pos, class_id)])
        if len(users) > size:
            model.add(total(users) <= size)
    if instance.max_simultaneous is not None:
        for group in per_slot.values():
            if len(group) > instance.max_simultaneous:
                model.add(total(group) <= instance.max_simultaneous)
    of_company: dict[str, list[Var]] = defaultdict(list)
    for (owner, _), xs in m.busy.items():
        of_company[owner].extend(xs)
    for participant in instance.companies:
        quota = participant.quota
        if quota is not None and len(of_company[participant.id]) > quota:
            model.add(total(of_company[participant.id]) <= quota)
    for meeting in instance.meetings:
        for before in meeting.after:
            earlier = of_meeting[before]
            for pos, x in of_meeting[meeting.id]:
                options = [y for q, y in earlier if q < pos]
                if options:
                    model.add_bool_or([*options, x.Not()])
                else:
                    model.add(x == 0)
    return m


def _add_breaks(m: _Model, fairness: int | None) -> LinearExpr:
    """The breaks of every company as exact linear expressions; the fairness bound when asked.

    Each company's day is a layered flow (`days.py`, exact relaxation per company; its states count the
    meetings when stage 1 placed every placeable one), unless the instance is too large for it (the trade
    show), where the compact start/any model is used."""
    slots = len(m.ix.instance.slots)
    days: dict[str, tuple[list[Any | None], int | None]] = {}
    placeable: dict[str, int] = defaultdict(int)
    for meeting in {meeting for meeting, _ in m.x}:
        for company in m.ix.meeting[meeting].companies:
            placeable[company] += 1
    for company in m.ix.fairness_companies:
        terms = [m.busy.get((company, pos)) for pos in range(slots)]
        if not any(terms):
            m.breaks[company] = total([])
            continue
        busy = [total(xs) if xs else None for xs in terms]
        days[company] = (busy, placeable[company] if m.all_placed else None)
    possible = {c: [term is not None for term in busy] for c, (busy, _) in days.items()}
    counted = sum(arc_count(possible[c], n) for c, (_, n) in days.items())
    uncounted = sum(arc_count(possible[c], None) for c in days)
    if counted <= COUNTED_ARC_LIMIT:
        for company, (busy, n) in days.items():
            m.days[company] = add_day(m.model, busy, n, company)
    elif uncounted <= COUNTED_ARC_LIMIT:
        for company, (busy, _) in days.items():
            m.days[company] = add_day(m.model, busy, None, company)
    for company, day in m.days.items():
        m.breaks[company] = total(day.costs)
    if not m.days:
        for company, (busy, _) in days.items():
            m.breaks[company] = _compact_breaks(m.model, company, busy)
    if fairness is not None and m.breaks:
        model = m.model
        high = model.new_int_var(0, slots, "breaks_max")
        low = model.new_int_var(0, slots, "breaks_min")
        for expression in m.breaks.values():
            model.add(expression <= high)
            model.add(expression >= low)
        model.add(high - low <= fairness)
    return total(m.breaks.values())


def _compact_breaks(model: cp_model.CpModel, company: str, busy: list[Any | None]) -> LinearExpr:
    """Breaks as exact starts of busy runs minus one (small, but with a weak relaxation)."""
    starts = []
    for pos, term in enumerate(busy):
        if term is None:
            continue
        start = model.new_bool_var(f"start[{company},{pos}]")
        model.add(start <= term)
        previous = busy[pos - 1] if pos > 0 else None
        if previous is not None:
            model.add(start >= term - previous)
            model.add(start <= 1 - previous)
        else:
            model.add(start == term)
        starts.append(start)
    any_meeting = model.new_bool_var(f"any[{company}]")
    present = [term for term in busy if term is not None]
    model.add(any_meeting <= total(present))
    for term in present:
        model.add(any_meeting >= term)
    return total(starts) - any_meeting


def _table_changes(m: _Model) -> LinearExpr:
    """Table changes of companies without a fixed table, over the slots in order."""
    model = m.model
    ix = m.ix
    slots = len(ix.instance.slots)
    changes: list[LinearExpr] = []
    if not ix.has_tables:
        return total([])
    for company in ix.fairness_companies:
        if company in ix.fixed_table:
            continue
        at: dict[tuple[int, str], list[Var]] = defaultdict(list)
        single = True
        for meeting in ix.meetings_of[company]:
            for pos in range(slots):
                for table, tv in m.tables.get((meeting.id, pos), {}).items():
                    assert table is not None
                    at[(pos, table)].append(tv)
                if len(m.tables.get((meeting.id, pos), {})) > 1:
                    single = False
        used = sorted({table for _, table in at})
        per_table_meetings = defaultdict(set)
        for meeting in ix.meetings_of[company]:
            for pos in range(slots):
                for table in m.tables.get((meeting.id, pos), {}):
                    per_table_meetings[table].add(meeting.id)
        busy_terms = [x for pos in range(slots) for x in m.busy.get((company, pos), [])]
        if not busy_terms:
            continue
        if single and all(len(ms) == 1 for ms in per_table_meetings.values()):
            # every meeting has its own table: each meeting after the first is a change
            any_meeting = model.new_bool_var(f"seen[{company}]")
            model.add(any_meeting <= total(busy_terms))
            for term in busy_terms:
                model.add(any_meeting >= term)
            changes.append(total(busy_terms) - any_meeting)
            continue
        last: dict[str, LinearExpr] = {}
        for pos in range(slots):
            here = {t: total(at.get((pos, t), [])) for t in used}
            busy = total(m.busy.get((company, pos), []))
            if pos > 0 and last:
                change = model.new_bool_var(f"change[{company},{pos}]")
                for t in used:
                    if at.get((pos, t)):
                        model.add(change >= here[t] + total(last[u] for u in used if u != t) - 1)
                changes.append(change)
            current: dict[str, LinearExpr] = {}
            for t in used:
                if pos == 0:
                    current[t] = here[t]
                    continue
                lt = model.new_bool_var(f"last[{company},{pos},{t}]")
                model.add(lt >= here[t])
                model.add(lt >= last[t] - busy)
                model.add(lt <= here[t] + last[t])
                model.add(lt <= here[t] + 1 - busy)
                current[t] = lt
            last = current
    return total(changes)


def _placements(
    m: _Model, solver: cp_model.CpSolver | cp_model.CpSolverSolutionCallback
) -> dict[str, Placement]:
    """The schedule of a solution (the final one, or the current one in a solution callback); each
    meeting gets the next free member of its interpreter class (in id order, meetings in input order:
    deterministic)."""
    found: dict[str, Placement] = {}
    slots = m.ix.instance.slots
    handed: dict[tuple[int, str], int] = defaultdict(int)
    for meeting in m.ix.instance.meetings:
        for pos in range(len(slots)):
            x = m.x.get((meeting.id, pos))
            if x is None or not solver.boolean_value(x):
                continue
            table = next(
                (t for t, tv in m.tables[(meeting.id, pos)].items() if solver.boolean_value(tv)), None
            )
            group = next(
                (g for g, iv in m.interpreters[(meeting.id, pos)].items() if solver.boolean_value(iv)), None
            )
            interpreter = None
            if group is not None:
                interpreter = m.classes[(pos, group)][handed[(pos, group)]]
                handed[(pos, group)] += 1
            found[meeting.id] = Placement(
                meeting=meeting.id, slot=slots[pos].id, table=table, interpreter=interpreter
            )
    return found


def _stage_bound(m: _Model, stage: Stage, raw: float, floor: int, scale: int = 1) -> Bound:
    """A stage's proven bound from CP-SAT's (an upper bound on the weight, a lower bound otherwise);
    `scale` > 1: the bound is on scale · breaks + changes, with changes < scale."""
    if stage == "placed_weight":
        return Bound(stage=stage, value=min(math.floor(raw + 1e-6), m.placeable_weight()))
    return Bound(stage=stage, value=max(floor, 0, _breaks_floor(math.ceil(raw - 1e-6), scale)))


def _breaks_floor(merged: int, scale: int) -> int:
    """The breaks implied by a lower bound on scale · breaks + changes (0 ≤ changes < scale)."""
    return merged if scale == 1 else max(0, -(-(merged - scale + 1) // scale))


def _changes_ceiling(m: _Model) -> int:
    """More than the table changes of any schedule: per company without a fixed table, its placeable
    meetings minus one."""
    placeable: dict[str, int] = defaultdict(int)
    for meeting in {meeting for meeting, _ in m.x}:
        for company in m.ix.meeting[meeting].companies:
            if company not in m.ix.fixed_table:
                placeable[company] += 1
    return sum(max(0, n - 1) for n in placeable.values())


def _key(ix: Index, placements: dict[str, Placement]) -> tuple[int, int, int]:
    """The lexicographic objective as a key to minimise."""
    objective = objective_of(ix, list(placements.values()))
    return (-objective.placed_weight, objective.breaks, objective.table_changes)


def solve_exact(
    instance: Instance,
    *,
    time_limit: float = 10.0,
    fairness: int | None = None,
    seed: int = 0,
    workers: int = 2,
    tuning: dict[str, Any] | None = None,
    breaks_solver: Literal["hybrid", "maxsat", "cp-sat"] = "cp-sat",
    on_progress: ProgressHook | None = None,
) -> Result:
    """Solve lexicographically within `time_limit` seconds (see the module docstring and README.md).

    `on_progress`, when given, is called when each stage starts and ends, on improving solutions (at
    most about twice a second) and once with the final result (`progress.py`); it changes nothing else.
    """
    started = time.perf_counter()
    # the stages stop early enough for what follows them (the LP bound, the insertion pass, the reasons)
    deadline = started + time_limit - min(0.1 * time_limit, 3.0)
    ix = build_index(instance)
    m = _build(ix)
    best: tuple[tuple[int, int, int], Objective] | None = None  # the best complete schedule reported
    stage: Stage = "placed_weight"

    def report(schedule: dict[str, Placement] | None, bound: Bound | None) -> None:
        """Tell the caller (if it asked) the best schedule known so far and the stage's bound."""
        nonlocal best
        if on_progress is None:
            return
        if schedule:
            objective = objective_of(ix, list(schedule.values()))
            key = (-objective.placed_weight, objective.breaks, objective.table_changes)
            if best is None or key < best[0]:
                best = (key, objective)
        seconds = time.perf_counter() - started
        on_progress(Progress(stage, best[1] if best else None, bound, seconds))

    def finish(status: Status, placements: dict[str, Placement], bound: Bound | None, solver: str) -> Result:
        result = _result(status, placements, bound, solver)
        if on_progress is not None:
            on_progress(Progress(stage, result.objective, result.bound, result.seconds))
        return result

    def _result(status: Status, placements: dict[str, Placement], bound: Bound | None, solver: str) -> Result:
        if status in ("infeasible", "unknown"):
            return Result(
                status=status,
                solver=solver,
                seconds=time.perf_counter() - started,
                bound=bound,
                fairness=fairness,
            )
        state = State(ix, fairness)
        for p in placements.values():
            state.add(p)
        if status != "optimal":
            fill(state, _decision_order(ix))
            if start_state is not None and _key(ix, start_state.placed) < _key(ix, state.placed):
                state = start_state  # the heuristic did better than a search stopped by the clock
        ordered = [state.placed[mt.id] for mt in instance.meetings if mt.id in state.placed]
        return Result(
            status=status,
            solver=solver,
            seconds=time.perf_counter() - started,
            placements=ordered,
            unplaced=unplaced_reasons(ix, state),
            objective=objective_of(ix, ordered),
            bound=bound,
            fairness=fairness,
        )

    if m.impossible_lock:
        return finish("infeasible", {}, None, "cp-sat")
    start_state = greedy_state(ix, fairness)
    current: dict[str, Placement] = dict(start_state.placed) if start_state is not None else {}
    breaks = _add_breaks(m, fairness) if fairness is not None else None
    weight = total(ix.meeting[meeting].priority * x for (meeting, _), x in m.x.items())
    first_unproven: Bound | None = None
    fixed_weight = 0
    used = "cp-sat"
    last_bound: Bound | None = None
    changes: LinearExpr | None = None
    scale = 1  # > 1 while the breaks stage minimises scale · breaks + changes
    stages: list[tuple[Stage, float]] = [("placed_weight", 0.5), ("breaks", 0.8), ("table_changes", 1.0)]
    for stage, share in stages:
        if stage == "placed_weight":
            expression = weight
            m.model.maximize(expression)
        elif stage == "breaks":
            breaks = breaks if breaks is not None else _add_breaks(m, fairness)
            expression = breaks
            if ix.has_tables and breaks_solver == "cp-sat":
                # the breaks and table-changes stages as one solve: scale · breaks + changes, changes
                # < scale, is lexicographic (one presolve and search instead of two; plaza: ~1 s less)
                changes = _table_changes(m)
                scale = _changes_ceiling(m) + 1
                expression = scale * breaks + changes
            m.model.minimize(expression)
        else:
            expression = changes if changes is not None else _table_changes(m)
            m.model.minimize(expression)
        remaining = deadline - time.perf_counter()
        if remaining <= 0.01:
            first_unproven = first_unproven or Bound(stage=stage, value=0)
            break
        report(current, None)
        if stage == "table_changes" and not ix.has_tables:
            last_bound = Bound(stage=stage, value=0)  # no tables, no changes: nothing to solve
            report(current, last_bound)
            continue
        maxsat_bound = 0
        unplaced_weight = m.placeable_weight() - fixed_weight
        encodable = unplaced_weight * 5 * len(instance.meetings) <= MAXSAT_COUNTER_LIMIT
        if stage == "breaks" and fairness is None and breaks_solver in ("maxsat", "hybrid") and encodable:
            budget = remaining * share * (1.0 if breaks_solver == "maxsat" else 0.5)
            outcome = solve_breaks(ix, m.options, unplaced_weight=unplaced_weight, time_limit=budget)
            log.debug("stage breaks (maxsat): breaks %s, bound %s", outcome.breaks, outcome.lower_bound)
            used = "cp-sat+maxsat"
            maxsat_bound = outcome.lower_bound
            if outcome.placements is not None and outcome.proven:
                current = outcome.placements
                value = outcome.breaks or 0
                last_bound = Bound(stage=stage, value=value)
                m.model.add(expression <= value)
                report(current, last_bound)
                continue
            if breaks_solver == "maxsat":
                first_unproven = first_unproven or Bound(stage=stage, value=outcome.lower_bound)
                m.model.add(expression <= objective_of(ix, list(current.values())).breaks)
                report(current, Bound(stage=stage, value=outcome.lower_bound))
                continue
            m.model.add(expression >= maxsat_bound)  # proven by the cores: CP-SAT may stop when it reaches it
            remaining = deadline - time.perf_counter()
            share = 0.8
        if (
            stage != "placed_weight"
            and start_state is not None
            and _key(ix, start_state.placed)[0] == -fixed_weight
            and _key(ix, start_state.placed) < _key(ix, current)
        ):
            current = dict(start_state.placed)  # a better start for this stage than the last stage's end
        if current:
            m.hint(current)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = remaining * share
        if stage != "placed_weight" and workers == 2:
            # the day flows' LP bound is what proves breaks: one worker on the full LP, one default
            solver.parameters.merge_text_format(CUSTOM_SUBSOLVERS)
            small = len(m.model.proto.variables) <= SMALL_MODEL_VARIABLES
            solver.parameters.subsolvers.extend(SMALL_MODEL_SUBSOLVERS if small else LATER_STAGE_SUBSOLVERS)
        for name, setting in (tuning or {}).items():
            setattr(solver.parameters, name, setting)
        stage_started = time.perf_counter()
        reporter = None
        if on_progress is not None:
            floor = maxsat_bound  # the stage's proven bound before CP-SAT's (minimising stages)

            def on_solution(
                callback: SolutionReporter, stage: Stage = stage, floor: int = floor, scale: int = scale
            ) -> None:
                bound = _stage_bound(m, stage, callback.best_objective_bound, floor, scale)
                report(_placements(m, callback), bound)

            reporter = SolutionReporter(on_solution)
        code = solver.solve(m.model, reporter)
        log.debug(
            "stage %s: %s value %s bound %s in %.2f s",
            stage,
            solver.status_name(code),
            solver.objective_value,
            solver.best_objective_bound,
            time.perf_counter() - stage_started,
        )
        if code == cp_model.INFEASIBLE:
            if stage == "placed_weight":
                return finish("infeasible", {}, None, "cp-sat")
            report(current, None)
            break  # cannot happen: the previous solution is still feasible
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if stage == "placed_weight":
                # no solution: CP-SAT's bound is not meaningful then (it may read 0); the LP's is
                upper = weight_upper_bound(ix, m.slots_of())
                first_unproven = Bound(
                    stage=stage, value=upper if upper is not None else m.placeable_weight()
                )
                if start_state is None:
                    return finish("unknown", {}, first_unproven, "cp-sat")
                return finish("feasible", current, first_unproven, "cp-sat+greedy")
            first_unproven = first_unproven or Bound(stage=stage, value=0)
            report(current, Bound(stage=stage, value=maxsat_bound if stage == "breaks" else 0))
            break
        value = round(solver.objective_value)
        current = _placements(m, solver)
        if scale > 1:
            assert breaks is not None
            assert changes is not None
            value, changes_value = divmod(value, scale)
            if code == cp_model.OPTIMAL:
                # both stages proven in one solve: the table-changes stage is done
                m.model.add(breaks <= value)
                m.model.add(changes <= changes_value)
                last_bound = Bound(stage="table_changes", value=changes_value)
                stage = "table_changes"
                report(current, last_bound)
                break
        proven_value: int | None = value if code == cp_model.OPTIMAL else None
        stage_bound = Bound(stage=stage, value=value)
        if proven_value is None:
            raw = solver.best_objective_bound
            proven = (
                math.floor(raw + 1e-6)
                if stage == "placed_weight"
                else _breaks_floor(max(0, math.ceil(raw - 1e-6)), scale)
            )
            if stage == "placed_weight":
                upper = weight_upper_bound(ix, m.slots_of())
                proven = min(proven, upper) if upper is not None else proven
            if stage == "breaks":
                proven = max(proven, maxsat_bound)
            stage_bound = Bound(stage=stage, value=proven)
            if proven == value:
                proven_value = value  # the bound met the value: the stage is proven all the same
            else:
                first_unproven = first_unproven or stage_bound
        if proven_value is not None:
            last_bound = stage_bound
        report(current, stage_bound)
        if stage == "placed_weight":
            fixed_weight = value
            m.model.add(expression >= value)
            if value == m.placeable_weight():
                m.place_all()  # what the bound implies, stated so that presolve and search see it
        elif scale > 1:
            assert breaks is not None
            m.model.add(breaks <= value)
            scale = 1
        else:
            m.model.add(expression <= value)
    status: Status = (
        "optimal"
        if first_unproven is None and last_bound is not None and last_bound.stage == "table_changes"
        else "feasible"
    )
    return finish(status, current, first_unproven or last_bound, used)
