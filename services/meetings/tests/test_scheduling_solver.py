"""The scheduling package: every result checked by the checker, optimality against brute force on small
instances, infeasibility reported as such, determinism, the heuristic."""

import itertools
import random

import pytest

from meetings.scheduling import generate
from meetings.scheduling.checker import check, recompute_objective
from meetings.scheduling.greedy import solve_greedy
from meetings.scheduling.instance import Company, Instance, Interpreter, Lock, Meeting, Person, Slot, Table
from meetings.scheduling.progress import Progress
from meetings.scheduling.result import STAGES, Placement, Result
from meetings.scheduling.rules import build_index, candidate_tables
from meetings.scheduling.solver import solve_exact


def small_instance(seed: int) -> Instance:
    """4–6 meetings over 3–4 slots, with tables or a cap, an interpreter, quotas, blocks, precedences."""
    rng = random.Random(seed)
    slots = [Slot(id=f"s{n}", session="morning" if n < 2 else "afternoon") for n in range(rng.randint(3, 4))]
    names = [f"c{n}" for n in range(rng.randint(3, 5))]
    companies = [Company(id=c, quota=rng.choice([None, None, 2])) for c in names]
    people = [
        Person(id=f"{c}-p", company=c, unavailable=[s.id for s in slots if rng.random() < 0.15])
        for c in names
    ]
    with_tables = rng.random() < 0.7
    tables = [Table(id="fixed", company=names[0]), Table(id="f1"), Table(id="f2")][: rng.randint(2, 3)]
    tables = tables if with_tables else []
    interpreters = [
        Interpreter(
            id="int",
            pairs=["ko-ja"],
            table=rng.choice([None, "f1"]) if with_tables else None,
            unavailable=[slots[0].id] if rng.random() < 0.5 else [],
        )
    ]
    meetings: list[Meeting] = []
    for n in range(rng.randint(4, 6)):
        a, b = rng.sample(names, 2)
        meetings.append(
            Meeting(
                id=f"m{n}",
                companies=(a, b),
                people=[f"{a}-p", f"{b}-p"],
                priority=rng.randint(1, 5),
                interpreter="ko-ja" if rng.random() < 0.3 else None,
                session=rng.choice([None, None, None, "morning"]),
                after=[f"m{n - 1}"] if n and rng.random() < 0.2 else [],
            )
        )
    return Instance(
        slots=slots,
        companies=companies,
        people=people,
        tables=tables,
        max_simultaneous=None if with_tables else rng.choice([1, 2]),
        interpreters=interpreters,
        meetings=meetings,
    )


def brute_force(instance: Instance, fairness: int | None = None) -> tuple[int, int, int]:
    """The lexicographic optimum over every assignment (unplaced, or any slot × table × interpreter)."""
    ix = build_index(instance)
    choices = []
    for meeting in instance.meetings:
        options: list[Placement | None] = [None]
        for slot in instance.slots:
            for table in candidate_tables(ix, meeting):
                pool = [i.id for i in instance.interpreters] if meeting.interpreter else [None]
                options += [
                    Placement(meeting=meeting.id, slot=slot.id, table=table, interpreter=i) for i in pool
                ]
        choices.append(options)
    best: tuple[int, int, int] | None = None
    for combination in itertools.product(*choices):
        placements = [p for p in combination if p is not None]
        objective, _ = recompute_objective(instance, placements)
        key = (-objective.placed_weight, objective.breaks, objective.table_changes)
        if best is not None and key >= best:
            continue
        placed = {p.meeting for p in placements}
        result = Result(
            status="feasible",
            solver="brute",
            seconds=0,
            placements=placements,
            unplaced=[{"meeting": m.id, "reason": "quota"} for m in instance.meetings if m.id not in placed],
            objective=objective,
            fairness=fairness,
        )
        if not check(instance, result):
            best = key
    assert best is not None
    return best


@pytest.mark.parametrize("seed", range(12))
def test_exact_is_optimal_against_brute_force(seed: int) -> None:
    instance = small_instance(seed)
    result = solve_exact(instance, time_limit=5)
    assert check(instance, result) == []
    assert result.status == "optimal"
    assert result.objective is not None
    weight, breaks, changes = brute_force(instance)
    assert (result.objective.placed_weight, result.objective.breaks, result.objective.table_changes) == (
        -weight,
        breaks,
        changes,
    )
    greedy = solve_greedy(instance)
    assert check(instance, greedy) == []
    assert greedy.objective is not None
    assert greedy.objective.placed_weight <= -weight


@pytest.mark.parametrize("seed", range(4))
def test_fairness_bound_is_kept_and_optimal(seed: int) -> None:
    instance = small_instance(100 + seed)
    result = solve_exact(instance, time_limit=5, fairness=0)
    assert check(instance, result) == []
    assert result.status == "optimal"
    assert result.objective is not None
    weight, breaks, _ = brute_force(instance, fairness=0)
    assert (result.objective.placed_weight, result.objective.breaks) == (-weight, breaks)


def test_conflicting_locks_are_infeasible_not_unknown() -> None:
    base = small_instance(1)
    a, b = base.meetings[0].companies
    locked = [
        Meeting(id="x1", companies=(a, b), lock=Lock(slot="s0")),
        Meeting(id="x2", companies=(b, a), lock=Lock(slot="s0")),
    ]
    instance = base.model_copy(update={"meetings": [*base.meetings, *locked]})
    result = solve_exact(instance, time_limit=5)
    assert result.status == "infeasible"
    assert result.placements == []
    assert check(instance, result) == []


def test_a_lock_before_its_predecessor_is_infeasible() -> None:
    base = small_instance(2)
    a, b = base.meetings[0].companies
    meetings = [
        Meeting(id="first", companies=(a, b)),
        Meeting(id="second", companies=(a, b), lock=Lock(slot="s0"), after=["first"]),
    ]
    instance = base.model_copy(update={"meetings": meetings})
    assert solve_exact(instance, time_limit=5).status == "infeasible"


def test_locks_and_precedences_are_kept() -> None:
    instance = generate.forum(
        3, participants=12, meetings=24, slot_count=6, cap=5, locked=0.2, precedences=0.2
    )
    assert any(m.lock for m in instance.meetings)
    assert any(m.after for m in instance.meetings)
    result = solve_exact(instance, time_limit=3)
    assert result.status in ("optimal", "feasible")
    assert check(instance, result) == []


def test_same_seed_same_result() -> None:
    instance = small_instance(7)
    first = solve_exact(instance, time_limit=5, seed=3)
    second = solve_exact(instance, time_limit=5, seed=3)
    assert first.model_dump(exclude={"seconds"}) == second.model_dump(exclude={"seconds"})


def test_generated_plaza_is_valid_from_both_solvers() -> None:
    instance = generate.plaza(1)
    greedy = solve_greedy(instance)
    assert check(instance, greedy) == []
    result = solve_exact(instance, time_limit=2)
    assert check(instance, result) == []
    assert result.objective is not None
    assert greedy.objective is not None
    assert result.objective.placed_weight >= greedy.objective.placed_weight
    assert {u.reason for u in result.unplaced} <= {"no_common_free_slot", "interpreter_shortage", "quota"}


def test_unplaced_reasons() -> None:
    slots = [Slot(id="s0", session="morning"), Slot(id="s1", session="morning")]
    companies = [Company(id="a", quota=1), Company(id="b"), Company(id="c"), Company(id="d")]
    people = [Person(id="a-p", company="a"), Person(id="d-p", company="d", unavailable=["s0", "s1"])]
    meetings = [
        Meeting(id="ab", companies=("a", "b"), priority=5),
        Meeting(id="ac", companies=("a", "c"), priority=1),  # a's quota is 1
        Meeting(id="bd", companies=("b", "d"), people=["d-p"]),  # d is never free
        Meeting(id="bc", companies=("b", "c"), interpreter="ko-ja"),  # no interpreter at all
        Meeting(id="cb", companies=("c", "b"), after=["bd"]),  # bd cannot be placed
    ]
    instance = Instance(slots=slots, companies=companies, people=people, meetings=meetings)
    result = solve_exact(instance, time_limit=5)
    assert check(instance, result) == []
    reasons = {u.meeting: u.reason for u in result.unplaced}
    assert reasons == {
        "ac": "quota",
        "bd": "no_common_free_slot",
        "bc": "interpreter_shortage",
        "cb": "precedence",
    }
    capped = instance.model_copy(update={"max_simultaneous": 0, "meetings": meetings[:1]})
    assert {u.reason for u in solve_exact(capped, time_limit=5).unplaced} == {"table_capacity"}


def test_the_checker_finds_violations() -> None:
    instance = small_instance(3)
    result = solve_exact(instance, time_limit=5)
    assert result.placements
    assert result.objective is not None
    first = result.placements[0]
    doubled = result.model_copy(update={"placements": [*result.placements, first]})
    assert any("placed twice" in v for v in check(instance, doubled))
    wrong_objective = result.model_copy(
        update={"objective": result.objective.model_copy(update={"breaks": result.objective.breaks + 1})}
    )
    assert any("objective" in v for v in check(instance, wrong_objective))
    missing = result.model_copy(update={"unplaced": []})
    if len(result.placements) < len(instance.meetings):
        assert any("listed 0 times" in v for v in check(instance, missing))
    blocked = instance.model_copy(
        update={"companies": [c.model_copy(update={"unavailable": [first.slot]}) for c in instance.companies]}
    )
    assert any("unavailable" in v for v in check(blocked, result))


@pytest.mark.parametrize("counted", [False, True])
def test_day_flow_costs_exactly_the_breaks(counted: bool) -> None:
    """Every busy pattern of 6 slots (one never possible): the day flow admits it (with its count when
    counted) and its cheapest path costs exactly its breaks; the hinted path is that one."""
    from ortools.sat.python import cp_model

    from meetings.scheduling.days import add_day
    from meetings.scheduling.rules import breaks_of

    slots, never = 6, 2
    for pattern in itertools.product([0, 1], repeat=slots):
        if pattern[never] or not any(pattern):
            continue
        model = cp_model.CpModel()
        busy = [None if pos == never else model.new_bool_var(f"b{pos}") for pos in range(slots)]
        for pos, term in enumerate(busy):
            if term is not None:
                model.add(term == pattern[pos])
        day = add_day(model, busy, sum(pattern) if counted else None, "c")
        model.minimize(sum(day.costs))
        on = {pos for pos in range(slots) if pattern[pos]}
        day.hint(model, on)
        model.add_decision_strategy([], cp_model.CHOOSE_FIRST, cp_model.SELECT_MIN_VALUE)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.fix_variables_to_their_hinted_value = True
        assert solver.solve(model) == cp_model.OPTIMAL, pattern
        assert round(solver.objective_value) == breaks_of(on), pattern


def interpreted_instance(seed: int) -> Instance:
    """Four meetings that all need an interpreter: two pool interpreters of one class (but for breaks),
    a third with another pair set or fixed to a floating table; tables or none."""
    rng = random.Random(seed)
    slots = [Slot(id=f"s{n}", session="morning") for n in range(3)]
    names = [f"c{n}" for n in range(4)]
    tables = [Table(id="f1"), Table(id="f2")] if rng.random() < 0.6 else []
    interpreters = [
        Interpreter(id="i1", pairs=["ko-ja"]),
        Interpreter(id="i2", pairs=["ko-ja"], unavailable=[rng.choice(["s0", "s1", "s2"])]),
        rng.choice(
            [
                Interpreter(id="i3", pairs=["ko-ja", "ko-en"], unavailable=["s1"]),
                Interpreter(id="i3", pairs=["ko-ja"], table="f1" if tables else None),
            ]
        ),
    ]
    meetings = []
    for n in range(4):
        a, b = rng.sample(names, 2)
        meetings.append(
            Meeting(
                id=f"m{n}",
                companies=(a, b),
                priority=rng.randint(1, 5),
                interpreter=rng.choice(["ko-ja", "ko-ja", "ko-en"]),
            )
        )
    return Instance(
        slots=slots,
        companies=[Company(id=c) for c in names],
        tables=tables,
        max_simultaneous=None if tables else 3,
        interpreters=interpreters,
        meetings=meetings,
    )


@pytest.mark.parametrize("seed", [0, 2, 5])
def test_interpreter_classes_stay_optimal_against_brute_force(seed: int) -> None:
    instance = interpreted_instance(seed)
    result = solve_exact(instance, time_limit=5)
    assert check(instance, result) == []
    assert result.status == "optimal"
    assert result.objective is not None
    weight, breaks, changes = brute_force(instance)
    objective = result.objective
    assert (objective.placed_weight, objective.breaks, objective.table_changes) == (-weight, breaks, changes)


@pytest.mark.parametrize("seed", range(8))
def test_the_weight_lp_bound_is_an_upper_bound(seed: int) -> None:
    from meetings.scheduling.bounds import weight_upper_bound
    from meetings.scheduling.rules import static_slots

    instance = small_instance(seed) if seed else interpreted_instance(seed)
    ix = build_index(instance)
    upper = weight_upper_bound(ix, {m.id: static_slots(ix, m) for m in instance.meetings})
    assert upper is not None
    assert upper >= -brute_force(instance)[0]


def test_a_generated_forum_is_proven_and_checked() -> None:
    """A small forum (every meeting placeable): the counted day flows prove the breaks."""
    instance = generate.forum(5, participants=14, meetings=30, slot_count=6, cap=6, forbidden=0.05)
    result = solve_exact(instance, time_limit=20)
    assert check(instance, result) == []
    assert result.status == "optimal"
    greedy = solve_greedy(instance)
    assert result.objective is not None
    assert greedy.objective is not None
    assert (result.objective.placed_weight, -result.objective.breaks) >= (
        greedy.objective.placed_weight,
        -greedy.objective.breaks,
    )


def _key(progress: Progress) -> tuple[int, int, int]:
    assert progress.objective is not None
    o = progress.objective
    return (-o.placed_weight, o.breaks, o.table_changes)


@pytest.mark.parametrize("which", ["forum", "plaza"])
def test_progress_is_reported_in_stage_order_and_ends_with_the_result(which: str) -> None:
    if which == "forum":
        instance = generate.forum(5, participants=14, meetings=30, slot_count=6, cap=6, forbidden=0.05)
    else:
        instance = generate.plaza(1)
    calls: list[Progress] = []
    result = solve_exact(instance, time_limit=20, on_progress=calls.append)
    assert check(instance, result) == []
    assert result.status == "optimal"
    order = [STAGES.index(c.stage) for c in calls]
    assert order == sorted(order)
    assert {c.stage for c in calls} == set(STAGES)
    assert all(c.objective is not None for c in calls)  # the greedy schedule is known from the start
    keys = [_key(c) for c in calls]
    assert keys == sorted(keys, reverse=True)  # never worse than the previous report
    seconds = [c.seconds for c in calls]
    assert seconds == sorted(seconds)
    assert all(c.bound is None or c.bound.stage == c.stage for c in calls[:-1])
    assert calls[-1].objective == result.objective
    assert calls[-1].bound == result.bound
    assert calls[-1].to_json()["objective"] == result.model_dump(mode="json")["objective"]
    for stage in STAGES:
        # each stage's bound only tightens, and its last report before the result is proven
        bounds = [c.bound.value for c in calls[:-1] if c.stage == stage and c.bound is not None]
        assert bounds
        assert bounds == (sorted(bounds, reverse=True) if stage == "placed_weight" else sorted(bounds))


def test_progress_hook_changes_nothing() -> None:
    for seed in (3, 7):
        instance = small_instance(seed)
        quiet = solve_exact(instance, time_limit=5, seed=1)
        calls: list[Progress] = []
        heard = solve_exact(instance, time_limit=5, seed=1, on_progress=calls.append)
        assert calls
        assert quiet.model_dump(exclude={"seconds"}) == heard.model_dump(exclude={"seconds"})


def test_solution_reports_are_throttled() -> None:
    from meetings.scheduling.progress import SolutionReporter

    heard: list[SolutionReporter] = []
    reporter = SolutionReporter(heard.append)
    for _ in range(50):
        reporter.on_solution_callback()
    assert len(heard) == 1
