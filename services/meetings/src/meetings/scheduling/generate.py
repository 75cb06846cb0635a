"""Seeded instance generators for the tests and `./plaza bench scheduler` (same seed, same instance).

- `plaza`: 10 Korean firms at fixed tables, 40 Japanese companies, 8 slots, 5 shared interpreters (one
  fixed to a table), blocked slots, interpreter breaks, quotas;
- `fair`: 30 exhibitors at fixed tables × 120 visitors, 10 slots;
- `forum`: brokerage forums shaped like the published ones (participants, meetings, slots, a morning /
  afternoon split or not, a share of forbidden participant-slots, a cap on simultaneous meetings, no
  tables), optionally with locked meetings and precedences taken from a heuristic schedule (so the
  variant stays feasible);
- `trade_show`: 300 exhibitors × 1,500 visitors, 16 slots, 5,000 meetings (more than the exhibitors'
  slots: not every meeting can be placed).
"""

import random

from meetings.scheduling.greedy import greedy_state
from meetings.scheduling.instance import (
    Company,
    Instance,
    Interpreter,
    Lock,
    Meeting,
    Person,
    Session,
    Slot,
    Table,
)
from meetings.scheduling.rules import build_index


def _slots(count: int, split: bool) -> list[Slot]:
    half = (count + 1) // 2
    return [
        Slot(id=f"s{n + 1:02d}", session="afternoon" if split and n >= half else "morning")
        for n in range(count)
    ]


def _people(rng: random.Random, company: str, count: int, slots: list[Slot], blocked: float) -> list[Person]:
    return [
        Person(
            id=f"{company}-p{n + 1}",
            company=company,
            unavailable=[s.id for s in slots if rng.random() < blocked],
        )
        for n in range(count)
    ]


def plaza(seed: int = 1) -> Instance:
    rng = random.Random(seed)  # noqa: S311 - seeded test data, not secrets
    slots = _slots(8, split=True)
    korean = [f"K{n:02d}" for n in range(1, 11)]
    japanese = [f"J{n:02d}" for n in range(1, 41)]
    companies = [Company(id=c, quota=8) for c in korean] + [Company(id=c, quota=3) for c in japanese]
    people = [p for c in korean for p in _people(rng, c, rng.randint(1, 2), slots, 0.08)]
    people += [p for c in japanese for p in _people(rng, c, rng.randint(1, 2), slots, 0.08)]
    tables = [Table(id=f"T-{c}", company=c) for c in korean] + [Table(id=f"F{n}") for n in range(1, 3)]
    interpreters = [
        Interpreter(
            id=f"int{n}",
            pairs=["ko-ja", "ko-en"] if n % 2 else ["ko-ja"],
            table="T-K01" if n == 1 else None,
            unavailable=[slots[3 + n % 2].id],
        )
        for n in range(1, 6)
    ]
    by_company: dict[str, list[str]] = {}
    for person in people:
        by_company.setdefault(person.company, []).append(person.id)
    meetings = []
    for buyer in japanese:
        for seller in rng.sample(korean, rng.randint(1, 3)):
            meetings.append(
                Meeting(
                    id=f"{buyer}-{seller}",
                    companies=(buyer, seller),
                    people=by_company[buyer] + by_company[seller],
                    priority=rng.randint(1, 5),
                    interpreter="ko-ja" if rng.random() < 0.45 else None,
                    session=rng.choice(["morning", "afternoon"]) if rng.random() < 0.1 else None,
                )
            )
    return Instance(
        slots=slots,
        companies=companies,
        people=people,
        tables=tables,
        interpreters=interpreters,
        meetings=meetings,
    )


def fair(seed: int = 1, exhibitors: int = 30, visitors: int = 120, slot_count: int = 10) -> Instance:
    rng = random.Random(seed)  # noqa: S311 - seeded test data, not secrets
    slots = _slots(slot_count, split=True)
    hosts = [f"E{n:03d}" for n in range(1, exhibitors + 1)]
    guests = [f"V{n:03d}" for n in range(1, visitors + 1)]
    companies = [Company(id=c) for c in hosts] + [Company(id=c, quota=3) for c in guests]
    people = [p for c in hosts + guests for p in _people(rng, c, 1, slots, 0.05)]
    tables = [Table(id=f"T-{c}", company=c) for c in hosts]
    interpreters = [
        Interpreter(id=f"int{n}", pairs=["ko-ja"], unavailable=[slots[n].id]) for n in range(1, 4)
    ]
    meetings = []
    for guest in guests:
        for host in rng.sample(hosts, 2):
            meetings.append(
                Meeting(
                    id=f"{guest}-{host}",
                    companies=(guest, host),
                    people=[f"{guest}-p1", f"{host}-p1"],
                    priority=rng.randint(1, 5),
                    interpreter="ko-ja" if rng.random() < 0.1 else None,
                )
            )
    return Instance(
        slots=slots,
        companies=companies,
        people=people,
        tables=tables,
        interpreters=interpreters,
        meetings=meetings,
    )


def forum(
    seed: int = 1,
    *,
    participants: int = 50,
    meetings: int = 150,
    slot_count: int = 12,
    split: bool = False,
    forbidden: float = 0.03,
    cap: int = 15,
    locked: float = 0.0,
    precedences: float = 0.0,
) -> Instance:
    """A brokerage forum: participants meet pairwise under a cap, with no tables or interpreters."""
    rng = random.Random(seed)  # noqa: S311 - seeded test data, not secrets
    slots = _slots(slot_count, split)
    names = [f"P{n:03d}" for n in range(1, participants + 1)]
    people = [p for c in names for p in _people(rng, c, 1, slots, forbidden)]
    free = {p.company: slot_count - len(p.unavailable) for p in people}
    degree = dict.fromkeys(names, 0)
    pairs: set[tuple[str, str]] = set()
    weights = [1.0 + 2.0 * rng.random() for _ in names]  # some participants are more wanted
    while len(pairs) < meetings:
        a, b = rng.choices(names, weights=weights, k=2)
        if a == b or (a, b) in pairs or (b, a) in pairs:
            continue
        if degree[a] >= free[a] - 1 or degree[b] >= free[b] - 1:
            continue
        pairs.add((a, b))
        degree[a] += 1
        degree[b] += 1
    rows = []
    for n, (a, b) in enumerate(sorted(pairs)):
        session: Session | None = None
        if split and rng.random() < 0.15:
            session = rng.choice(["morning", "afternoon"])
        rows.append(
            Meeting(
                id=f"m{n + 1:03d}",
                companies=(a, b),
                people=[f"{a}-p1", f"{b}-p1"],
                priority=rng.randint(1, 5),
                session=session,
            )
        )
    instance = Instance(
        slots=slots,
        companies=[Company(id=c) for c in names],
        people=people,
        max_simultaneous=cap,
        meetings=rows,
    )
    if not locked and not precedences:
        return instance
    state = greedy_state(build_index(instance))
    assert state is not None
    placed = state.placed
    order = {s.id: pos for pos, s in enumerate(slots)}
    changed = []
    for meeting in rows:
        update: dict[str, object] = {}
        p = placed.get(meeting.id)
        if p is not None and rng.random() < locked:
            update["lock"] = Lock(slot=p.slot)
        if p is not None and rng.random() < precedences:
            earlier = [
                other.id
                for other in rows
                if other.id in placed
                and set(other.companies) & set(meeting.companies)
                and order[placed[other.id].slot] < order[p.slot]
            ]
            if earlier:
                update["after"] = [rng.choice(earlier)]
        changed.append(meeting.model_copy(update=update))
    return instance.model_copy(update={"meetings": changed})


def trade_show(
    seed: int = 1, exhibitors: int = 300, visitors: int = 1500, slot_count: int = 16, meetings: int = 5000
) -> Instance:
    rng = random.Random(seed)  # noqa: S311 - seeded test data, not secrets
    slots = _slots(slot_count, split=True)
    hosts = [f"E{n:03d}" for n in range(1, exhibitors + 1)]
    guests = [f"V{n:04d}" for n in range(1, visitors + 1)]
    companies = [Company(id=c) for c in hosts] + [Company(id=c, quota=6) for c in guests]
    people = [p for c in hosts + guests for p in _people(rng, c, 1, slots, 0.05)]
    tables = [Table(id=f"T-{c}", company=c) for c in hosts]
    interpreters = [
        Interpreter(id=f"int{n:02d}", pairs=["ko-ja"], unavailable=[slots[n % slot_count].id])
        for n in range(10)
    ]
    popularity = [rng.paretovariate(2.0) for _ in hosts]
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < meetings:
        guest = rng.choice(guests)
        host = rng.choices(hosts, weights=popularity, k=1)[0]
        pairs.add((guest, host))
    rows = [
        Meeting(
            id=f"m{n + 1:04d}",
            companies=(guest, host),
            people=[f"{guest}-p1", f"{host}-p1"],
            priority=rng.randint(1, 5),
            interpreter="ko-ja" if rng.random() < 0.03 else None,
        )
        for n, (guest, host) in enumerate(sorted(pairs))
    ]
    return Instance(
        slots=slots,
        companies=companies,
        people=people,
        tables=tables,
        interpreters=interpreters,
        meetings=rows,
    )
