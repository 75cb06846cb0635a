"""The event's state as a scheduling instance (`meetings.scheduling.instance`), and nothing else: pure.

Ids in the instance are the database ids as strings; meetings are `request:<id>` (an accepted request to
place) or `meeting:<id>` (a live meeting: locked to where it is, or movable when the run allows it). Claims
that no meeting holds — blocked slots, agenda attendances, open requests' holds — make their person or
company unavailable; the live meetings' own claims are represented by the meetings themselves.

Two translations are approximations of the live booking rules, written down here and in the README:
a slot's session is `morning` when it starts before noon in the event's time zone; a meeting that needs an
interpreter is given the one language pair (of the sides' languages) that the most interpreters cover —
the live booking accepts an interpreter for any pair of the sides' languages.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from meetings.schedule_runs.models import EventFacts, InterpreterFact, MeetingFact, PersonFact
from meetings.scheduling.instance import Instance, load_instance
from meetings.texts import local

REQUEST_PREFIX, MEETING_PREFIX = "request:", "meeting:"
NOON = 12


@dataclass(frozen=True)
class RunConstraints:
    """What the organiser adds for one run: session constraints and precedences of requests."""

    sessions: Mapping[uuid.UUID, str] = field(default_factory=dict)
    after: Mapping[uuid.UUID, Sequence[uuid.UUID]] = field(default_factory=dict)
    reschedule_unlocked: bool = False


@dataclass(frozen=True)
class Skipped:
    """An accepted request a run cannot consider, and why."""

    request_id: uuid.UUID
    companies: tuple[uuid.UUID, uuid.UUID]
    detail: str

    def as_json(self) -> dict[str, Any]:
        return {
            "request_id": str(self.request_id),
            "companies": [str(company) for company in self.companies],
            "reason": "parties_unavailable",
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Translation:
    instance: Instance
    skipped: list[Skipped]


class TranslationError(ValueError):
    """The event's state or the run's constraints cannot form a valid instance."""


def request_key(request_id: uuid.UUID) -> str:
    return f"{REQUEST_PREFIX}{request_id}"


def meeting_key(meeting_id: uuid.UUID) -> str:
    return f"{MEETING_PREFIX}{meeting_id}"


def parse_key(key: str) -> tuple[str, uuid.UUID]:
    """("request" | "meeting", id) of an instance meeting id."""
    kind, _, raw = key.partition(":")
    return kind, uuid.UUID(raw)


def _languages(people: Iterable[PersonFact]) -> frozenset[str]:
    return frozenset(language for person in people for language in person.languages)


def _needs_interpreter(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and not (a & b)


def _covers(interpreter: InterpreterFact, pair: str) -> bool:
    x, y = pair.split("-")
    return f"{x}-{y}" in interpreter.pairs or f"{y}-{x}" in interpreter.pairs


def _pair(a: frozenset[str], b: frozenset[str], interpreters: Sequence[InterpreterFact]) -> str:
    """The pair of the sides' languages most interpreters cover (ties: alphabetical)."""
    pairs = sorted(f"{x}-{y}" for x in a for y in b)
    return max(pairs, key=lambda pair: (sum(_covers(i, pair) for i in interpreters), -pairs.index(pair)))


class _Builder:
    def __init__(self, facts: EventFacts, time_zone: str, default_quota: int | None) -> None:
        self.facts = facts
        self.time_zone = time_zone
        self.default_quota = default_quota
        self.person = {person.id: person for person in facts.people}
        self.companies: set[uuid.UUID] = set()
        self.people: set[uuid.UUID] = set()
        self.meetings: list[dict[str, Any]] = []
        self.interpreter_busy: dict[uuid.UUID, set[str]] = defaultdict(set)

    def default_people(self, company_id: uuid.UUID) -> list[PersonFact]:
        return [p for p in self.facts.people if p.company_id == company_id and p.role != "interpreter"]

    def side(self, company_id: uuid.UUID, named: Sequence[uuid.UUID]) -> list[PersonFact] | str:
        """The people attending for one side, or why there are none."""
        if not named:
            people = self.default_people(company_id)
            return people or f"company {company_id} has no confirmed registration"
        people = []
        for person_id in dict.fromkeys(named):
            person = self.person.get(person_id)
            if person is None or person.company_id != company_id:
                return f"person {person_id} is no longer a confirmed registration of company {company_id}"
            people.append(person)
        return people

    def add_meeting(
        self,
        key: str,
        a: uuid.UUID,
        b: uuid.UUID,
        people: Sequence[PersonFact],
        priority: int,
        pair: str | None,
        **extra: Any,
    ) -> None:
        self.companies.update((a, b))
        self.people.update(person.id for person in people)
        entry: dict[str, Any] = {
            "id": key,
            "companies": [str(a), str(b)],
            "people": [str(person.id) for person in people],
            "priority": priority,
        }
        if pair is not None:
            entry["interpreter"] = pair
        self.meetings.append(entry | extra)

    def add_request(self, request: Any, constraints: RunConstraints) -> Skipped | None:
        side_a = self.side(request.requester_company_id, request.requester_people)
        side_b = self.side(request.requested_company_id, request.requested_people)
        pair_of_companies = (request.requester_company_id, request.requested_company_id)
        if isinstance(side_a, str):
            return Skipped(request.id, pair_of_companies, side_a)
        if isinstance(side_b, str):
            return Skipped(request.id, pair_of_companies, side_b)
        la, lb = _languages(side_a), _languages(side_b)
        pair = _pair(la, lb, self.facts.interpreters) if _needs_interpreter(la, lb) else None
        extra: dict[str, Any] = {}
        if request.id in constraints.sessions:
            extra["session"] = constraints.sessions[request.id]
        if constraints.after.get(request.id):
            extra["after"] = [request_key(other) for other in constraints.after[request.id]]
        self.add_meeting(
            request_key(request.id),
            request.requester_company_id,
            request.requested_company_id,
            [*side_a, *side_b],
            request.priority,
            pair,
            **extra,
        )
        return None

    def add_live(self, meeting: MeetingFact, movable: bool) -> None:
        people = [self.person[p] for p in (*meeting.people_a, *meeting.people_b) if p in self.person]
        la = _languages(self.person[p] for p in meeting.people_a if p in self.person)
        lb = _languages(self.person[p] for p in meeting.people_b if p in self.person)
        interpreter = next((i for i in self.facts.interpreters if i.id == meeting.interpreter_id), None)
        pair = None
        if _needs_interpreter(la, lb):
            covered = [
                p
                for p in sorted(f"{x}-{y}" for x in la for y in lb)
                if interpreter and _covers(interpreter, p)
            ]
            pair = covered[0] if covered else _pair(la, lb, self.facts.interpreters)
        extra: dict[str, Any] = {}
        if not movable:
            lock: dict[str, Any] = {"slot": str(meeting.slot_id)}
            if meeting.table_id is not None and self.facts.tables:
                lock["table"] = str(meeting.table_id)
            if interpreter is not None and pair is not None and _covers(interpreter, pair):
                lock["interpreter"] = str(interpreter.id)
            elif interpreter is not None:  # along without being needed: simply busy there
                self.interpreter_busy[interpreter.id].add(str(meeting.slot_id))
            extra["lock"] = lock
        self.add_meeting(
            meeting_key(meeting.id),
            meeting.company_a_id,
            meeting.company_b_id,
            people,
            meeting.priority,
            pair,
            **extra,
        )

    def session_of(self, starts_at: Any) -> str:
        return "morning" if local(starts_at, self.time_zone).hour < NOON else "afternoon"

    def build(self, constraints: RunConstraints) -> Translation:
        facts = self.facts
        for meeting in facts.meetings:
            self.add_live(meeting, constraints.reschedule_unlocked and movable(meeting))
        skipped = [s for s in (self.add_request(r, constraints) for r in facts.requests) if s is not None]
        placed_ids = {request_key(r.id) for r in facts.requests} - {
            request_key(s.request_id) for s in skipped
        }
        for request_id, others in constraints.after.items():
            missing = [o for o in (request_id, *others) if request_key(o) not in placed_ids]
            if missing:
                raise TranslationError(
                    f"precedences: request {missing[0]} is not an accepted request to place"
                )
        for request_id in constraints.sessions:
            if request_key(request_id) not in placed_ids:
                raise TranslationError(f"sessions: request {request_id} is not an accepted request to place")
        self.companies.update(company for _, company in facts.tables if company is not None)
        unavailable: dict[tuple[str, uuid.UUID], set[str]] = defaultdict(set)
        for claim in facts.claims:
            if claim.meeting_id is None:
                unavailable[(claim.kind, claim.resource_id)].add(str(claim.slot_id))
        data = {
            "slots": [
                {"id": str(slot), "session": self.session_of(starts)} for slot, starts, _ in facts.slots
            ],
            "companies": [
                {
                    "id": str(company),
                    "quota": facts.quotas.get(company, self.default_quota),
                    "unavailable": sorted(unavailable[("company", company)]),
                }
                for company in sorted(self.companies)
            ],
            "people": [
                {
                    "id": str(person),
                    "company": str(self.person[person].company_id),
                    "unavailable": sorted(unavailable[("person", person)]),
                }
                for person in sorted(self.people)
            ],
            "tables": [
                {"id": str(table), "company": str(company) if company else None}
                for table, company in facts.tables
            ],
            "interpreters": [
                {
                    "id": str(i.id),
                    "pairs": sorted(i.pairs),
                    "table": str(i.table_id) if i.table_id else None,
                    "unavailable": sorted(
                        unavailable[("person", i.registration_id)] | self.interpreter_busy[i.id]
                    ),
                }
                for i in facts.interpreters
            ],
            "meetings": self.meetings,
        }
        try:
            return Translation(load_instance(data), skipped)
        except ValidationError as error:
            raise TranslationError(f"the event's state is not a valid instance: {error}") from error


def movable(meeting: MeetingFact) -> bool:
    """A live meeting a run may move when asked to: scheduled (not checked in or over) and not locked."""
    return meeting.status == "scheduled" and not meeting.locked


def translate(
    facts: EventFacts, *, time_zone: str, default_quota: int | None, constraints: RunConstraints
) -> Translation:
    """The instance of the event's state, and the accepted requests it leaves out."""
    return _Builder(facts, time_zone, default_quota).build(constraints)
