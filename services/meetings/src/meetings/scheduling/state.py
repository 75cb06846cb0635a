"""A schedule under construction: what is taken, and whether a meeting fits somewhere (used by the
heuristic, the insertion pass after the exact solver, and the reasons of unplaced meetings)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from meetings.scheduling.instance import Meeting
from meetings.scheduling.result import Placement
from meetings.scheduling.rules import (
    Index,
    breaks_of,
    interpreter_options,
    parties_free,
    static_slots,
    table_options,
)


@dataclass
class State:
    ix: Index
    fairness: int | None = None
    placed: dict[str, Placement] = field(default_factory=dict)
    taken: set[tuple[str, str, int]] = field(default_factory=set)  # (kind, id, slot position)
    per_slot: Counter[int] = field(default_factory=Counter)
    per_company: Counter[str] = field(default_factory=Counter)
    company_slots: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def slot_of(self, meeting_id: str) -> int | None:
        placement = self.placed.get(meeting_id)
        return None if placement is None else self.ix.slot_pos[placement.slot]

    def parties_busy(self, meeting: Meeting, pos: int) -> bool:
        return any(("company", c, pos) in self.taken for c in meeting.companies) or any(
            ("person", p, pos) in self.taken for p in meeting.people
        )

    def cap_reached(self, pos: int) -> bool:
        cap = self.ix.instance.max_simultaneous
        return cap is not None and self.per_slot[pos] >= cap

    def quota_reached(self, meeting: Meeting) -> bool:
        return any(
            (quota := self.ix.company[c].quota) is not None and self.per_company[c] >= quota
            for c in meeting.companies
        )

    def free_tables(self, meeting: Meeting, pos: int) -> list[str | None]:
        if self.cap_reached(pos):
            return []
        return [
            t for t in table_options(self.ix, meeting) if t is None or ("table", t, pos) not in self.taken
        ]

    def free_interpreters(self, meeting: Meeting, pos: int, table: str | None) -> list[str | None]:
        return [
            i
            for i in interpreter_options(self.ix, meeting, pos, table)
            if i is None or (("person", i, pos) not in self.taken and i not in meeting.people)
        ]

    def precedence_window(self, meeting: Meeting) -> tuple[int, int] | None:
        """Exclusive slot bounds set by placed predecessors and successors; None: a predecessor is out."""
        low = -1
        for before in meeting.after:
            pos = self.slot_of(before)
            if pos is None:
                return None
            low = max(low, pos)
        high = len(self.ix.instance.slots)
        for successor in self.ix.successors.get(meeting.id, []):
            if (pos := self.slot_of(successor)) is not None:
                high = min(high, pos)
        return low, high

    def fair_with(self, meeting: Meeting, pos: int) -> bool:
        if self.fairness is None:
            return True
        values = []
        for company in self.ix.fairness_companies:
            slots = self.company_slots.get(company, set())
            values.append(breaks_of(slots | {pos}) if company in meeting.companies else breaks_of(slots))
        return max(values) - min(values) <= self.fairness

    def options(self, meeting: Meeting, pos: int) -> Placement | None:
        """The first way to hold the meeting in the slot given what is taken (ignoring precedence)."""
        if not parties_free(self.ix, meeting, pos) or self.parties_busy(meeting, pos):
            return None
        for table in self.free_tables(meeting, pos):
            interpreters = self.free_interpreters(meeting, pos, table)
            if interpreters:
                slot = self.ix.instance.slots[pos].id
                return Placement(meeting=meeting.id, slot=slot, table=table, interpreter=interpreters[0])
        return None

    def first_fit(self, meeting: Meeting) -> Placement | None:
        """The first slot (in time order) where the meeting fits every rule, fairness included."""
        if self.quota_reached(meeting):
            return None
        window = self.precedence_window(meeting)
        if window is None:
            return None
        low, high = window
        for pos in static_slots(self.ix, meeting):
            if (
                low < pos < high
                and (placement := self.options(meeting, pos))
                and self.fair_with(meeting, pos)
            ):
                return placement
        return None

    def add(self, placement: Placement) -> None:
        meeting = self.ix.meeting[placement.meeting]
        pos = self.ix.slot_pos[placement.slot]
        self.placed[meeting.id] = placement
        self.per_slot[pos] += 1
        for company in meeting.companies:
            self.taken.add(("company", company, pos))
            self.per_company[company] += 1
            self.company_slots[company].add(pos)
        self.taken.update(("person", p, pos) for p in meeting.people)
        if placement.table is not None:
            self.taken.add(("table", placement.table, pos))
        if placement.interpreter is not None:
            self.taken.add(("person", placement.interpreter, pos))
