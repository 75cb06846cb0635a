"""The placement rules of one meeting, shared by the heuristic, the exact solver and the reasons.

They follow the live service (`bookings/availability.py`): a meeting needs every person named and both
companies free; the fixed table of a side that has one (the requested side's, `companies[1]`, first),
otherwise a floating table, no table when the event has none; and, when it names a language pair, an
interpreter covering it who is available, either fixed to the chosen table or from the pool.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from meetings.scheduling.instance import Company, Instance, Interpreter, Meeting, covers
from meetings.scheduling.result import Objective, Placement


@dataclass
class Index:
    """Look-ups over a validated instance (positions of slots and meetings, fixed tables, ...)."""

    instance: Instance
    slot_pos: dict[str, int] = field(default_factory=dict)
    company: dict[str, Company] = field(default_factory=dict)
    person_unavailable: dict[str, frozenset[int]] = field(default_factory=dict)
    fixed_table: dict[str, str] = field(default_factory=dict)
    table_company: dict[str, str | None] = field(default_factory=dict)
    interpreter: dict[str, Interpreter] = field(default_factory=dict)
    interpreter_unavailable: dict[str, frozenset[int]] = field(default_factory=dict)
    meeting: dict[str, Meeting] = field(default_factory=dict)
    meetings_of: dict[str, list[Meeting]] = field(default_factory=lambda: defaultdict(list))
    fairness_companies: list[str] = field(default_factory=list)
    successors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def has_tables(self) -> bool:
        return bool(self.instance.tables)


def build_index(instance: Instance) -> Index:
    ix = Index(instance)
    ix.slot_pos = {slot.id: pos for pos, slot in enumerate(instance.slots)}
    ix.company = {company.id: company for company in instance.companies}
    ix.person_unavailable = {
        person.id: frozenset(ix.slot_pos[s] for s in person.unavailable) for person in instance.people
    }
    ix.fixed_table = {table.company: table.id for table in instance.tables if table.company is not None}
    ix.table_company = {table.id: table.company for table in instance.tables}
    ix.interpreter = {interpreter.id: interpreter for interpreter in instance.interpreters}
    ix.interpreter_unavailable = {
        i.id: frozenset(ix.slot_pos[s] for s in i.unavailable) for i in instance.interpreters
    }
    for meeting in instance.meetings:
        ix.meeting[meeting.id] = meeting
        for company in meeting.companies:
            ix.meetings_of[company].append(meeting)
        for before in meeting.after:
            ix.successors[before].append(meeting.id)
    ix.fairness_companies = [c.id for c in instance.companies if ix.meetings_of.get(c.id)]
    return ix


def candidate_tables(ix: Index, meeting: Meeting) -> list[str | None]:
    """The tables the meeting may use, in preference order; `[None]` when the event has no tables."""
    if not ix.has_tables:
        return [None]
    requester, requested = meeting.companies
    for side in (requested, requester):
        if side in ix.fixed_table:
            return [ix.fixed_table[side]]
    return [table.id for table in ix.instance.tables if table.company is None]


def parties_free(ix: Index, meeting: Meeting, pos: int) -> bool:
    """Every person named and both companies available in the slot, and its session allowed."""
    slot = ix.instance.slots[pos]
    if meeting.session is not None and slot.session != meeting.session:
        return False
    if any(slot.id in ix.company[c].unavailable for c in meeting.companies):
        return False
    return not any(pos in ix.person_unavailable[p] for p in meeting.people)


def static_slots(ix: Index, meeting: Meeting) -> list[int]:
    """Slots where the parties are free (and the lock's slot only, for a locked meeting)."""
    if meeting.lock is not None:
        return [ix.slot_pos[meeting.lock.slot]]
    return [pos for pos in range(len(ix.instance.slots)) if parties_free(ix, meeting, pos)]


def table_options(ix: Index, meeting: Meeting) -> list[str | None]:
    """Candidate tables, narrowed to the lock's table when the lock names one."""
    tables = candidate_tables(ix, meeting)
    if meeting.lock is not None and meeting.lock.table is not None:
        return [meeting.lock.table]
    return tables


def interpreter_options(ix: Index, meeting: Meeting, pos: int, table: str | None) -> list[str | None]:
    """Interpreters who may serve the meeting in the slot at the table (fixed there first, then the pool)."""
    if meeting.interpreter is None:
        return [None]
    pair = meeting.interpreter
    able = [
        i
        for i in ix.instance.interpreters
        if covers(i, pair)
        and pos not in ix.interpreter_unavailable[i.id]
        and (meeting.lock is None or meeting.lock.interpreter in (None, i.id))
    ]
    at_table = [i.id for i in able if table is not None and i.table == table]
    pool = [i.id for i in able if i.table is None]
    return [*at_table, *pool]


def breaks_of(positions: Iterable[int]) -> int:
    """Breaks of one participant: maximal runs of busy slots minus one (zero without meetings)."""
    busy = sorted(set(positions))
    runs = sum(1 for k, pos in enumerate(busy) if k == 0 or busy[k - 1] != pos - 1)
    return max(runs - 1, 0)


def table_changes_of(tables_in_order: list[str | None]) -> int:
    return sum(1 for a, b in pairwise(tables_in_order) if a != b)


def company_breaks(ix: Index, placements: Iterable[Placement]) -> dict[str, int]:
    positions: dict[str, list[int]] = defaultdict(list)
    for placement in placements:
        for company in ix.meeting[placement.meeting].companies:
            positions[company].append(ix.slot_pos[placement.slot])
    return {company: breaks_of(positions.get(company, [])) for company in ix.fairness_companies}


def objective_of(ix: Index, placements: list[Placement]) -> Objective:
    """The objective parts of a schedule (the breaks are the companies'; see README.md)."""
    weight = sum(ix.meeting[p.meeting].priority for p in placements)
    breaks = sum(company_breaks(ix, placements).values())
    by_company: dict[str, list[tuple[int, str | None]]] = defaultdict(list)
    for placement in placements:
        for company in ix.meeting[placement.meeting].companies:
            if company not in ix.fixed_table:
                by_company[company].append((ix.slot_pos[placement.slot], placement.table))
    changes = sum(table_changes_of([t for _, t in sorted(rows)]) for rows in by_company.values())
    return Objective(placed_weight=weight, breaks=breaks, table_changes=changes)
