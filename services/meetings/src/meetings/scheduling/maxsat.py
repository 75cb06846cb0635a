"""The breaks stage as weighted MaxSAT (python-sat's RC2, core-guided), after Bofill et al. (JAIR 2022).

Hard clauses: every rule of the exact model (slots, tables, interpreters, cap, quotas, precedences) and
the first stage's value (every placeable meeting placed, or the unplaced weight at most what stage 1 left
out); x[m, s] -> busy[c, s]; busy[c, s] ∧ ¬busy[c, s−1] -> start[c, s]; any[c] -> ∨ busy[c, ·].
Soft clauses (weight 1): ¬start[c, s] and any[c]. At the optimum start and any are exact, so the cost is
Σ runs + Σ (1 − any) = Σ breaks + (companies with meetings in the instance): the breaks follow from it.

RC2 raises the lower bound with every core it finds, so an interrupted run still has a proven bound.
The time limit interrupts RC2 (`compute(expect_interrupt=True)`) from a watcher thread.
"""

import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from pysat.card import CardEnc, EncType  # type: ignore[import-untyped]
from pysat.examples.rc2 import RC2  # type: ignore[import-untyped]
from pysat.formula import WCNF, IDPool  # type: ignore[import-untyped]

from meetings.scheduling.result import Placement
from meetings.scheduling.rules import Index


@dataclass
class BreaksOutcome:
    placements: dict[str, Placement] | None  # None: interrupted before a solution
    breaks: int | None
    lower_bound: int
    proven: bool


def solve_breaks(
    ix: Index,
    options: dict[tuple[str, int], dict[str | None, list[str | None]]],
    *,
    unplaced_weight: int,
    time_limit: float,
) -> BreaksOutcome:
    """Minimise breaks given the placement options [(meeting, slot) -> {table: [interpreter]}] and the
    most unplaced priority weight allowed (0: every meeting that has an option is placed)."""
    pool = IDPool()
    wcnf = WCNF()
    instance = ix.instance

    def var(*key: object) -> int:
        return int(pool.id(key))

    def at_most(lits: list[int], bound: int) -> None:
        if len(lits) > bound:
            encoding = EncType.pairwise if bound == 1 and len(lits) <= 6 else EncType.seqcounter
            wcnf.extend(CardEnc.atmost(lits, bound=bound, vpool=pool, encoding=encoding).clauses)

    per_slot: dict[int, list[int]] = defaultdict(list)
    company_slot: dict[tuple[str, int], list[int]] = defaultdict(list)
    company_all: dict[str, list[int]] = defaultdict(list)
    table_slot: dict[tuple[str, int], list[int]] = defaultdict(list)
    interpreter_slot: dict[tuple[str, int], list[int]] = defaultdict(list)
    meeting_slots: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for (meeting_id, pos), tables in options.items():
        meeting = ix.meeting[meeting_id]
        x = var("x", meeting_id, pos)
        meeting_slots[meeting_id].append((pos, x))
        per_slot[pos].append(x)
        for company in meeting.companies:
            company_slot[(company, pos)].append(x)
            company_all[company].append(x)
            wcnf.append([-x, var("busy", company, pos)])
        table_lits = []
        tables_of_interpreter: dict[str, list[int]] = defaultdict(list)
        for table, interpreters in tables.items():
            t = x if len(tables) == 1 else var("t", meeting_id, pos, table)
            if t != x:
                wcnf.append([-t, x])
                table_lits.append(t)
            if table is not None:
                table_slot[(table, pos)].append(t)
            if meeting.interpreter is not None:
                lits = []
                for interpreter in interpreters:
                    assert interpreter is not None
                    lits.append(var("i", meeting_id, pos, interpreter))
                    tables_of_interpreter[interpreter].append(t)
                wcnf.append([-t, *lits])  # a table chosen needs one of the interpreters allowed there
        for interpreter, allowed in tables_of_interpreter.items():
            i = var("i", meeting_id, pos, interpreter)
            wcnf.append([-i, *allowed])  # an interpreter used means a table it may serve
            interpreter_slot[(interpreter, pos)].append(i)
        if table_lits:
            wcnf.append([-x, *table_lits])
            at_most(table_lits, 1)
    for meeting in instance.meetings:
        lits = [x for _, x in meeting_slots.get(meeting.id, [])]
        if not lits:
            continue
        at_most(lits, 1)
        if meeting.lock is not None or unplaced_weight == 0:
            wcnf.append(lits)
        else:
            wcnf.append([var("out", meeting.id), *lits])
    if unplaced_weight > 0:
        out = [var("out", m.id) for m in instance.meetings if m.lock is None and m.id in meeting_slots]
        weights = [
            ix.meeting[m.id].priority for m in instance.meetings if m.lock is None and m.id in meeting_slots
        ]
        repeated = [lit for lit, w in zip(out, weights, strict=True) for _ in range(w)]
        at_most(repeated, unplaced_weight)
    for group in (*company_slot.values(), *table_slot.values()):
        at_most(group, 1)
    for group in interpreter_slot.values():
        at_most(group, 1)
    if instance.max_simultaneous is not None:
        for group in per_slot.values():
            at_most(group, instance.max_simultaneous)
    for participant in instance.companies:
        if participant.quota is not None:
            at_most(company_all[participant.id], participant.quota)
    for meeting in instance.meetings:
        for before in meeting.after:
            for pos, x in meeting_slots.get(meeting.id, []):
                wcnf.append([-x, *(y for q, y in meeting_slots.get(before, []) if q < pos)])
    involved = [c for c in ix.fairness_companies if company_all.get(c)]
    for company in involved:
        busy_lits = []
        for pos in range(len(instance.slots)):
            if not company_slot.get((company, pos)):
                continue
            busy = var("busy", company, pos)
            busy_lits.append(busy)
            wcnf.append([-busy, *company_slot[(company, pos)]])  # busy only with a meeting: no filled gaps
            previous = [var("busy", company, pos - 1)] if company_slot.get((company, pos - 1)) else []
            wcnf.append([-busy, *previous, var("start", company, pos)])
            wcnf.append([-var("start", company, pos)], weight=1)
        wcnf.append([-var("any", company), *busy_lits])
        wcnf.append([var("any", company)], weight=1)
    return _run(ix, wcnf, pool, options, len(involved), time_limit)


def _run(
    ix: Index,
    wcnf: WCNF,
    pool: IDPool,
    options: dict[tuple[str, int], dict[str | None, list[str | None]]],
    offset: int,
    time_limit: float,
) -> BreaksOutcome:
    rc2 = RC2(wcnf, solver="g4", adapt=True, exhaust=False, minz=True)  # exhaust: not interruptible
    deadline = time.perf_counter() + max(time_limit, 0.0)
    done = threading.Event()

    def interrupter() -> None:
        # an interrupt that arrives between two oracle calls may be lost: repeat it until the run ends
        while not done.wait(0.02):
            if time.perf_counter() > deadline:
                rc2.interrupt()

    watcher = threading.Thread(target=interrupter, daemon=True)
    watcher.start()
    try:
        model = rc2.compute(expect_interrupt=True)
        interrupted = bool(rc2.interrupted)
        cost = int(rc2.cost)
    finally:
        done.set()
        watcher.join()
        rc2.delete()
    if interrupted:
        return BreaksOutcome(None, None, max(cost - offset, 0), proven=False)
    if model is None:  # cannot happen: stage 1 found a schedule that satisfies every hard clause
        return BreaksOutcome(None, None, 0, proven=False)
    true = {lit for lit in model if lit > 0}
    placements: dict[str, Placement] = {}
    slots = ix.instance.slots
    for (meeting_id, pos), tables in options.items():
        x = pool.obj2id.get(("x", meeting_id, pos))
        if x not in true:
            continue
        table = next(iter(tables)) if len(tables) == 1 else None
        if len(tables) > 1:
            table = next(t for t in tables if pool.obj2id.get(("t", meeting_id, pos, t)) in true)
        interpreter = next(
            (
                i
                for i in tables[table]
                if i is not None and pool.obj2id.get(("i", meeting_id, pos, i)) in true
            ),
            None,
        )
        placements[meeting_id] = Placement(
            meeting=meeting_id, slot=slots[pos].id, table=table, interpreter=interpreter
        )
    return BreaksOutcome(placements, cost - offset, cost - offset, proven=True)
