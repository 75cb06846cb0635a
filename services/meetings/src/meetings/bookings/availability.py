"""Where a meeting can go: pure functions over what is free (no I/O; the service fetches the facts).

A meeting between two sides needs, in one slot: every named person of both sides free, both companies free,
a table free (the fixed table of a side that has one, the requested side's first; otherwise a floating
table; no table at all when the event has none), and — when the two sides share no language — a free
interpreter covering a language of each side (the one fixed to the chosen table first, then the pool).
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SlotInfo:
    """A slot of the grid."""

    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class TableInfo:
    """A B2B table; `company_id` set when it is fixed to that company."""

    id: uuid.UUID
    name: str
    company_id: uuid.UUID | None


@dataclass(frozen=True)
class InterpreterInfo:
    """An interpreter (a registered person) with language pairs, fixed to a table or in the pool."""

    id: uuid.UUID
    registration_id: uuid.UUID
    name: str
    pairs: frozenset[str]
    table_id: uuid.UUID | None


@dataclass(frozen=True)
class Side:
    """One company of a meeting, the people who attend for it and the languages they speak."""

    company_id: uuid.UUID
    people: tuple[uuid.UUID, ...]
    languages: frozenset[str]


@dataclass(frozen=True)
class Placement:
    """A slot with the table and interpreter a meeting would get there."""

    slot: SlotInfo
    table: TableInfo | None
    interpreter: InterpreterInfo | None


@dataclass(frozen=True)
class Busy:
    """What is taken: (slot id, resource id) pairs per kind."""

    people: frozenset[tuple[uuid.UUID, uuid.UUID]]
    companies: frozenset[tuple[uuid.UUID, uuid.UUID]]
    tables: frozenset[tuple[uuid.UUID, uuid.UUID]]


def needs_interpreter(a: Side, b: Side) -> bool:
    """Two sides with no language in common need an interpreter (sides without known languages do not)."""
    return bool(a.languages) and bool(b.languages) and not (a.languages & b.languages)


def covers(interpreter: InterpreterInfo, a: Side, b: Side) -> bool:
    """Whether the interpreter translates between a language of `a` and a language of `b`."""
    return any(
        f"{x}-{y}" in interpreter.pairs or f"{y}-{x}" in interpreter.pairs
        for x in a.languages
        for y in b.languages
    )


def candidate_tables(tables: Sequence[TableInfo], a: Side, b: Side) -> list[TableInfo]:
    """The tables a meeting of `a` and `b` may use, in preference order."""
    for side in (b, a):
        fixed = [table for table in tables if table.company_id == side.company_id]
        if fixed:
            return fixed
    return [table for table in tables if table.company_id is None]


def placements_in(
    slot: SlotInfo,
    a: Side,
    b: Side,
    tables: Sequence[TableInfo],
    interpreters: Sequence[InterpreterInfo],
    busy: Busy,
    *,
    any_tables: bool,
    table_choices: Sequence[TableInfo] | None = None,
) -> list[Placement]:
    """Every way to hold the meeting in `slot`, best first (empty when a party is busy); `table_choices`
    replaces the usual tables (an organiser's choice)."""
    people = (*a.people, *b.people)
    if any((slot.id, person) in busy.people for person in people):
        return []
    if (slot.id, a.company_id) in busy.companies or (slot.id, b.company_id) in busy.companies:
        return []
    usable = candidate_tables(tables, a, b) if table_choices is None else list(table_choices)
    free_tables: list[TableInfo | None] = (
        [table for table in usable if (slot.id, table.id) not in busy.tables] if any_tables else [None]
    )
    if not needs_interpreter(a, b):
        return [Placement(slot, table, None) for table in free_tables]
    able = [
        interpreter
        for interpreter in interpreters
        if covers(interpreter, a, b)
        and (slot.id, interpreter.registration_id) not in busy.people
        and interpreter.registration_id not in people
    ]
    found: list[Placement] = []
    for table in free_tables:
        at_table = [i for i in able if table is not None and i.table_id == table.id]
        pool = [i for i in able if i.table_id is None]
        found.extend(Placement(slot, table, interpreter) for interpreter in (*at_table, *pool))
    return found


def free_placements(
    slots: Iterable[SlotInfo],
    a: Side,
    b: Side,
    tables: Sequence[TableInfo],
    interpreters: Sequence[InterpreterInfo],
    busy: Busy,
    *,
    any_tables: bool,
) -> list[Placement]:
    """The best placement in every slot that has one, in slot order (`any_tables`: whether the event has
    tables at all; with none, meetings need none)."""
    best = []
    for slot in slots:
        options = placements_in(slot, a, b, tables, interpreters, busy, any_tables=any_tables)
        if options:
            best.append(options[0])
    return best
