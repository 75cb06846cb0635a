"""Verify a result against its instance: every constraint, and the objective recomputed.

Written apart from the solvers (it shares only the table preference rule with them), so that a solver bug
is not checked by the same bug. `check` returns the violations as messages; an empty list is a pass.
"""

from collections import Counter, defaultdict
from itertools import pairwise

from meetings.scheduling.instance import Instance, covers
from meetings.scheduling.result import Objective, Placement, Result
from meetings.scheduling.rules import build_index, candidate_tables


def _gaps(positions: list[int]) -> int:
    """Breaks as gaps between consecutive meetings (runs minus one, computed another way)."""
    ordered = sorted(positions)
    return sum(1 for a, b in pairwise(ordered) if b - a > 1)


def recompute_objective(instance: Instance, placements: list[Placement]) -> tuple[Objective, dict[str, int]]:
    """The objective of a (valid) schedule, and each company's breaks."""
    order = {slot.id: pos for pos, slot in enumerate(instance.slots)}
    meetings = {m.id: m for m in instance.meetings}
    fixed = {t.company for t in instance.tables if t.company is not None}
    slots_of: dict[str, list[int]] = defaultdict(list)
    tables_of: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for p in placements:
        for company in meetings[p.meeting].companies:
            slots_of[company].append(order[p.slot])
            if company not in fixed:
                tables_of[company].append((order[p.slot], p.table or ""))
    involved = {c for m in instance.meetings for c in m.companies}
    breaks = {c: _gaps(slots_of[c]) for c in involved}
    changes = 0
    for rows in tables_of.values():
        ordered = [table for _, table in sorted(rows)]
        changes += sum(1 for a, b in pairwise(ordered) if a != b)
    weight = sum(meetings[p.meeting].priority for p in placements)
    return Objective(placed_weight=weight, breaks=sum(breaks.values()), table_changes=changes), breaks


def check(instance: Instance, result: Result) -> list[str]:
    """Every violated rule of `result` against `instance` (empty: the result is valid)."""
    bad: list[str] = []
    ix = build_index(instance)
    slots = {slot.id: slot for slot in instance.slots}
    order = {slot.id: pos for pos, slot in enumerate(instance.slots)}
    people = {p.id: p for p in instance.people}
    if result.status in ("infeasible", "unknown"):
        if result.placements:
            bad.append(f"status {result.status} with placements")
        return bad
    placed: dict[str, Placement] = {}
    for p in result.placements:
        if p.meeting not in ix.meeting:
            bad.append(f"unknown meeting {p.meeting}")
        elif p.meeting in placed:
            bad.append(f"meeting {p.meeting} placed twice")
        elif p.slot not in slots:
            bad.append(f"meeting {p.meeting}: unknown slot {p.slot}")
        else:
            placed[p.meeting] = p
    if bad:
        return bad
    unplaced = Counter(u.meeting for u in result.unplaced)
    for meeting in instance.meetings:
        count = unplaced[meeting.id] + (meeting.id in placed)
        if count != 1:
            bad.append(f"meeting {meeting.id} is listed {count} times across placements and unplaced")
    bad += [f"unplaced unknown meeting {m}" for m in unplaced if m not in ix.meeting]

    held: dict[tuple[str, str, str], str] = {}  # (kind, id, slot) -> meeting

    def hold(kind: str, resource: str, p: Placement) -> None:
        other = held.setdefault((kind, resource, p.slot), p.meeting)
        if other != p.meeting:
            bad.append(f"{kind} {resource} in two meetings in slot {p.slot}: {other}, {p.meeting}")

    per_slot: Counter[str] = Counter()
    per_company: Counter[str] = Counter()
    for p in placed.values():
        meeting = ix.meeting[p.meeting]
        slot = slots[p.slot]
        per_slot[p.slot] += 1
        for company in meeting.companies:
            per_company[company] += 1
            hold("company", company, p)
            if p.slot in ix.company[company].unavailable:
                bad.append(f"meeting {meeting.id}: company {company} unavailable in {p.slot}")
        for person in meeting.people:
            hold("person", person, p)
            if p.slot in people[person].unavailable:
                bad.append(f"meeting {meeting.id}: person {person} unavailable in {p.slot}")
        if meeting.session is not None and slot.session != meeting.session:
            bad.append(f"meeting {meeting.id}: {slot.session} slot for a {meeting.session} meeting")
        # tables
        allowed = candidate_tables(ix, meeting)
        if p.table not in allowed:
            bad.append(f"meeting {meeting.id}: table {p.table} is not one it may use ({allowed})")
        if p.table is not None:
            hold("table", p.table, p)
        # interpreter
        if meeting.interpreter is None:
            if p.interpreter is not None:
                bad.append(f"meeting {meeting.id}: an interpreter for a meeting that needs none")
        else:
            interpreter = ix.interpreter.get(p.interpreter or "")
            if interpreter is None:
                bad.append(
                    f"meeting {meeting.id}: needs a {meeting.interpreter} interpreter, has {p.interpreter}"
                )
            else:
                hold("person", interpreter.id, p)
                if not covers(interpreter, meeting.interpreter):
                    bad.append(
                        f"meeting {meeting.id}: interpreter {interpreter.id} lacks {meeting.interpreter}"
                    )
                if p.slot in interpreter.unavailable:
                    bad.append(f"meeting {meeting.id}: interpreter {interpreter.id} on a break in {p.slot}")
                if interpreter.table is not None and interpreter.table != p.table:
                    bad.append(
                        f"meeting {meeting.id}: interpreter {interpreter.id} serves table {interpreter.table}"
                    )
                if interpreter.id in meeting.people:
                    bad.append(f"meeting {meeting.id}: interpreter {interpreter.id} attends it")
    for meeting in instance.meetings:
        lock = meeting.lock
        found = placed.get(meeting.id)
        if lock is not None:
            if found is None:
                bad.append(f"locked meeting {meeting.id} not placed")
            elif (
                found.slot != lock.slot
                or (lock.table is not None and found.table != lock.table)
                or (lock.interpreter is not None and found.interpreter != lock.interpreter)
            ):
                bad.append(f"locked meeting {meeting.id} moved")
        if found is not None:
            for before in meeting.after:
                q = placed.get(before)
                if q is None or order[q.slot] >= order[found.slot]:
                    bad.append(f"meeting {meeting.id} is not after {before}")
    if instance.max_simultaneous is not None:
        bad += [
            f"slot {s}: {n} meetings over the cap of {instance.max_simultaneous}"
            for s, n in per_slot.items()
            if n > instance.max_simultaneous
        ]
    for participant in instance.companies:
        quota = participant.quota
        if quota is not None and per_company[participant.id] > quota:
            bad.append(
                f"company {participant.id}: {per_company[participant.id]} meetings over its quota {quota}"
            )
    objective, breaks = recompute_objective(instance, list(placed.values()))
    if result.objective != objective:
        bad.append(f"objective claimed {result.objective}, recomputed {objective}")
    if (
        result.fairness is not None
        and breaks
        and max(breaks.values()) - min(breaks.values()) > result.fairness
    ):
        bad.append(
            f"breaks range {min(breaks.values())}..{max(breaks.values())} exceeds fairness {result.fairness}"
        )
    if result.bound is not None:
        value = getattr(objective, result.bound.stage)
        beyond = (
            value > result.bound.value
            if result.bound.stage == "placed_weight"
            else value < result.bound.value
        )
        if beyond:
            bad.append(f"objective {result.bound.stage} {value} beats the claimed bound {result.bound.value}")
        if result.status == "optimal" and value != result.bound.value:
            bad.append(f"optimal but {result.bound.stage} {value} != bound {result.bound.value}")
    return bad
