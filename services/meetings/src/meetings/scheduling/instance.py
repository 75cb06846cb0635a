"""The instance: what a scheduling run is given (a JSON document, `instance.schema.json`).

Ids are strings chosen by the caller (the service uses UUIDs). Slots are listed in time order; "adjacent"
means consecutive in that list. The loader (`load_instance`) checks every reference, so the solvers and the
checker can index without guarding.
"""

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Session = Literal["morning", "afternoon"]
PAIR = re.compile(r"^[a-z]{2,3}-[a-z]{2,3}$")
SCHEMA_PATH = Path(__file__).with_name("instance.schema.json")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Slot(_Model):
    """One slot of the grid; the list order is the time order."""

    id: str
    session: Session = Field(
        description="Morning or afternoon (a meeting's session constraint refers to it)."
    )


class Company(_Model):
    """A participant company. Its fixed table, if any, is the table whose `company` names it."""

    id: str
    quota: int | None = Field(default=None, ge=0, description="Most meetings it may have; none: no cap.")
    unavailable: list[str] = Field(default_factory=list, description="Slot ids the whole company is blocked.")


class Person(_Model):
    """A person of a company, who attends the meetings that name them."""

    id: str
    company: str
    unavailable: list[str] = Field(
        default_factory=list, description="Slot ids the person is not available (blocked, in a session)."
    )


class Table(_Model):
    """A B2B table, fixed to one company for the day or floating."""

    id: str
    company: str | None = Field(default=None, description="The company it is fixed to; none: floating.")


class Interpreter(_Model):
    """An interpreter: language pairs, fixed to a table or in the pool, breaks as unavailable slots."""

    id: str
    pairs: list[str] = Field(description='Language pairs, e.g. "ko-ja" (either direction).')
    table: str | None = Field(default=None, description="The table it serves; none: the shared pool.")
    unavailable: list[str] = Field(default_factory=list, description="Slot ids of its breaks.")


class Lock(_Model):
    """A meeting fixed to its slot (and, when given, its table and interpreter)."""

    slot: str
    table: str | None = None
    interpreter: str | None = None


class Meeting(_Model):
    """An accepted request to place: two companies, the people attending, what it needs."""

    id: str
    companies: tuple[str, str] = Field(
        description="Requester, then requested (whose fixed table comes first)."
    )
    people: list[str] = Field(default_factory=list, description="People attending (of either company).")
    priority: int = Field(default=3, ge=1, le=5, description="1 (low) to 5 (must meet): the weight placed.")
    interpreter: str | None = Field(default=None, description='Language pair it needs, e.g. "ko-ja"; none.')
    session: Session | None = Field(default=None, description="Morning only / afternoon only; none: any.")
    lock: Lock | None = None
    after: list[str] = Field(
        default_factory=list, description="Meeting ids it must come after: placed only if those are, earlier."
    )


class Instance(_Model):
    """A scheduling instance; `max_simultaneous` caps the meetings of any one slot (tables or not)."""

    slots: list[Slot]
    companies: list[Company]
    people: list[Person] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list, description="Empty: meetings need no table.")
    max_simultaneous: int | None = Field(default=None, ge=0, description="Cap on meetings per slot; none.")
    interpreters: list[Interpreter] = Field(default_factory=list)
    meetings: list[Meeting]

    @model_validator(mode="after")
    def _references(self) -> "Instance":
        problems = instance_problems(self)
        if problems:
            raise ValueError("; ".join(problems[:20]))
        return self


def pair_matches(pair: str, offered: str) -> bool:
    """Whether an interpreter's pair `offered` covers the needed `pair` (either direction)."""
    a, b = pair.split("-")
    return offered in (pair, f"{b}-{a}")


def covers(interpreter: Interpreter, pair: str) -> bool:
    return any(pair_matches(pair, offered) for offered in interpreter.pairs)


def _duplicates(ids: list[str]) -> set[str]:
    seen: set[str] = set()
    return {i for i in ids if i in seen or seen.add(i)}  # type: ignore[func-returns-value]


def instance_problems(instance: Instance) -> list[str]:
    """Every broken reference or rule of the format, as messages (empty: valid)."""
    problems: list[str] = []
    slots = {slot.id for slot in instance.slots}
    companies = {company.id for company in instance.companies}
    people = {person.id: person for person in instance.people}
    tables = {table.id: table for table in instance.tables}
    interpreters = {interpreter.id: interpreter for interpreter in instance.interpreters}
    meetings = {meeting.id for meeting in instance.meetings}
    for kind, ids in (
        ("slot", [s.id for s in instance.slots]),
        ("company", [c.id for c in instance.companies]),
        ("person or interpreter", [p.id for p in instance.people] + [i.id for i in instance.interpreters]),
        ("table", [t.id for t in instance.tables]),
        ("meeting", [m.id for m in instance.meetings]),
    ):
        problems += [f"duplicate {kind} id {i!r}" for i in sorted(_duplicates(ids))]

    def slots_known(owner: str, listed: list[str]) -> None:
        problems.extend(f"{owner}: unknown slot {s!r}" for s in listed if s not in slots)

    for company in instance.companies:
        slots_known(f"company {company.id}", company.unavailable)
    for person in instance.people:
        slots_known(f"person {person.id}", person.unavailable)
        if person.company not in companies:
            problems.append(f"person {person.id}: unknown company {person.company!r}")
    fixed: dict[str, str] = {}
    for table in instance.tables:
        if table.company is None:
            continue
        if table.company not in companies:
            problems.append(f"table {table.id}: unknown company {table.company!r}")
        elif table.company in fixed:
            problems.append(f"company {table.company}: two fixed tables")
        fixed[table.company] = table.id
    for interpreter in instance.interpreters:
        slots_known(f"interpreter {interpreter.id}", interpreter.unavailable)
        problems += [
            f"interpreter {interpreter.id}: bad pair {p!r}" for p in interpreter.pairs if not PAIR.match(p)
        ]
        if interpreter.table is not None and interpreter.table not in tables:
            problems.append(f"interpreter {interpreter.id}: unknown table {interpreter.table!r}")
    for meeting in instance.meetings:
        owner = f"meeting {meeting.id}"
        a, b = meeting.companies
        if a == b:
            problems.append(f"{owner}: a company cannot meet itself")
        problems += [f"{owner}: unknown company {c!r}" for c in meeting.companies if c not in companies]
        for person_id in meeting.people:
            attending = people.get(person_id)
            if attending is None:
                problems.append(f"{owner}: unknown person {person_id!r}")
            elif attending.company not in meeting.companies:
                problems.append(f"{owner}: person {person_id} is of neither company")
        if meeting.interpreter is not None and not PAIR.match(meeting.interpreter):
            problems.append(f"{owner}: bad pair {meeting.interpreter!r}")
        problems += [f"{owner}: unknown meeting {m!r} in after" for m in meeting.after if m not in meetings]
        if meeting.id in meeting.after:
            problems.append(f"{owner}: after itself")
        lock = meeting.lock
        if lock is None:
            continue
        if lock.slot not in slots:
            problems.append(f"{owner}: lock on unknown slot {lock.slot!r}")
        if lock.table is not None and lock.table not in tables:
            problems.append(f"{owner}: lock on unknown table {lock.table!r}")
        if lock.interpreter is not None:
            locked = interpreters.get(lock.interpreter)
            if locked is None:
                problems.append(f"{owner}: lock on unknown interpreter {lock.interpreter!r}")
            elif meeting.interpreter is None:
                problems.append(f"{owner}: lock names an interpreter but the meeting needs none")
    return problems


def load_instance(data: str | bytes | Mapping[str, Any]) -> Instance:
    """Parse and validate an instance (JSON text or a decoded mapping); raises pydantic's ValidationError."""
    if isinstance(data, str | bytes):
        return Instance.model_validate_json(data)
    return Instance.model_validate(data)


def instance_schema() -> dict[str, Any]:
    """The JSON Schema of the instance format, as committed in `instance.schema.json`."""
    schema = Instance.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
