"""A generated trade show for `./plaza bench meetings`: deterministic, consistent, written in bulk.

`generate(size, seed)` plans the whole show in memory from one `random.Random(seed)`, so the same seed gives
the same show, ids included (UUIDv7 from `plaza_contracts.deterministic_uuid7`):

* **Exhibitors** (300): Korean (60%), Japanese (30%) and other (10%) companies, each with a table fixed to
  it for the day and 1–3 staff who attend all its meetings.
* **Visitors** (1,500 people) in visitor companies of 1–3 people (Japanese 65%, Korean 15%, other 20%),
  who all attend their company's meetings.
* **Slots**: two B2B blocks of 8 × 30 minutes (10:00–14:00 and 14:30–18:30, Asia/Tokyo).
* **Interpreters**: registrations of an interpreting agency with language pairs (ko–ja, ko–en, ja–en): one
  fixed to the table of each of the Korean exhibitors whose staff speak no Japanese (up to
  `table_interpreters`), the others in a shared pool; each has one break (a blocked slot of their
  registration).
* **Meetings** (about 5,000): 300 exhibitors × 16 slots = 4,800 is the most exhibitor meetings there can be,
  so 4,400 are visitor → exhibitor meetings at the exhibitor's table and 600 are visitor ↔ visitor
  meetings at floating tables. Each is placed greedily, slot by slot, where both companies and all their
  people are free, with an interpreter (the table's own, else one from the pool) when the two sides share no
  language (the service's own rule, `meetings.bookings.availability`). Every meeting comes from an accepted
  request. `hot_exhibitors` (30) are only half booked: they receive the open requests that the contention
  phase accepts.
* **Open requests** (1,500): 40 for each hot exhibitor and 300 more between other companies; one in ten
  tries to hold a proposed slot (claimed, as the service does) where both sides are free and neither holds
  two already: about 5% do.

`load(url, show)` writes the event and its two B2B sessions with the ORM models, then everything else with
COPY in one transaction: registrations, slots, tables, interpreters, blocked slots, requests, meetings, and
the `slot_claim` rows each holder makes (person for every person including the interpreter's registration,
company for both sides, the table), and the `company_quota` counts, so that the stored state is what the
service itself would have written. `meetings.integrity.problems_of` then checks it.
"""

import random
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from meetings.agenda.models import AgendaSession, Slot
from meetings.bookings.availability import InterpreterInfo, Side, covers, needs_interpreter
from meetings.bookings.models import CompanyQuota, Meeting, SlotClaim
from meetings.db import Base
from meetings.events.models import Event
from meetings.registrations.models import Registration
from meetings.requests.models import MeetingRequest
from meetings.setup.models import BlockedSlot, Interpreter, MeetingTable
from plaza_contracts import deterministic_uuid7
from plaza_kit.settings import asyncpg_url

DEFAULT_SEED = 20261204
EPOCH_MS = int(datetime(2026, 6, 1, tzinfo=UTC).timestamp() * 1000)
CREATED_AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
TIME_ZONE = "Asia/Tokyo"
DAY = datetime(2026, 9, 17, tzinfo=UTC)  # the show's day; slots below are in UTC (Tokyo is UTC+9)
BLOCK_STARTS_UTC = (timedelta(hours=1), timedelta(hours=5, minutes=30))  # 10:00 and 14:30 in Tokyo
SLOT_MINUTES = 30
DEFAULT_QUOTA = 16
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # the service's check-in code alphabet
PLACEMENT_TRIES = 60  # visitors tried for one (exhibitor, slot) cell before leaving it empty


@dataclass(frozen=True)
class ShowSize:
    """How big the generated show is."""

    exhibitors: int = 300
    visitors: int = 1_500  # people
    slots_per_block: int = 8
    blocks: int = 2
    exhibitor_meetings: int = 4_400  # at most exhibitors × slots
    visitor_meetings: int = 600
    hot_exhibitors: int = 30  # half booked; the open requests go to them
    requests_per_hot: int = 40
    other_requests: int = 300
    hold_share: float = 0.1  # open requests that hold a proposed slot
    floating_tables: int = 48
    table_interpreters: int = 100
    pool_interpreters: int = 60

    @property
    def slots(self) -> int:
        """Slots in the grid."""
        return self.slots_per_block * self.blocks


TINY = ShowSize(
    exhibitors=8,
    visitors=40,
    slots_per_block=2,
    exhibitor_meetings=20,
    visitor_meetings=6,
    hot_exhibitors=2,
    requests_per_hot=6,
    other_requests=6,
    floating_tables=4,
    table_interpreters=3,
    pool_interpreters=4,
)
"""A show small enough for the smoke test: generated, loaded and checked in well under a second."""


# --- names ------------------------------------------------------------------------------------------------

Pair = tuple[str, str]  # a name and its romanisation


def _pairs(text: str) -> tuple[Pair, ...]:
    """'김 Kim, 이 Lee' → (("김", "Kim"), ("이", "Lee"))."""
    return tuple((name, roman) for name, roman in (item.split() for item in text.split(", ")))


KO_SURNAMES = _pairs("김 Kim, 이 Lee, 박 Park, 최 Choi, 정 Jung, 강 Kang, 조 Cho, 윤 Yoon")
KO_GIVEN = _pairs("민준 Minjun, 서연 Seoyeon, 지훈 Jihoon, 하은 Haeun, 도윤 Doyun, 수빈 Subin, 현우 Hyunwoo")
JA_SURNAMES = _pairs(
    "佐藤 Sato, 鈴木 Suzuki, 高橋 Takahashi, 田中 Tanaka, 伊藤 Ito, 渡辺 Watanabe, 山本 Yamamoto"
)
JA_GIVEN = _pairs("翔太 Shota, 美咲 Misaki, 大輔 Daisuke, 陽子 Yoko, 健一 Kenichi, 恵 Megumi, 拓也 Takuya")
EN_FIRST = ("Alex", "Jordan", "Sam", "Taylor", "Chris", "Morgan", "Robin", "Casey", "Jamie", "Lena")
EN_LAST = ("Smith", "Müller", "Chen", "Lin", "Brown", "Wagner", "Dubois", "Larsen", "Novak")
KO_STEMS = _pairs("한빛 Hanbit, 대성 Daesung, 미래 Mirae, 세진 Sejin, 태양 Taeyang, 새한 Saehan, 일진 Iljin")
JA_STEMS = _pairs("東洋 Toyo, 三河 Mikawa, 尾張 Owari, 知多 Chita, 豊橋 Toyohashi, 名光 Meiko, 旭 Asahi")
INDUSTRY_WORDS = "소재 素材 Materials, 화학 化学 Chemical, 에너지 エナジー Energy, 전지 電池 Battery, "
INDUSTRY_WORDS += "정밀 精密 Precision, 장비 装置 Equipment, 포장 包装 Packaging, 분리막 セパレータ Separator"
INDUSTRIES = tuple((ko, ja, en) for ko, ja, en in (item.split() for item in INDUSTRY_WORDS.split(", ")))
OTHER_COUNTRIES = ("US", "DE", "TW", "FR", "SE")
PURPOSES = ("export_import", "joint_development", "equity_investment", "other")


# --- the plan ---------------------------------------------------------------------------------------------


@dataclass
class Person:
    """A registration."""

    id: uuid.UUID
    company: "Company"
    name_ko: str | None
    name_ja: str | None
    name_en: str
    languages: list[str]
    role: str
    index: int  # registration number, for the check-in code


@dataclass
class Company:
    """An exhibitor, a visitor company or the interpreting agency."""

    id: uuid.UUID
    name_ko: str | None
    name_ja: str | None
    name_en: str
    country: str
    exhibitor: bool
    people: list[Person] = field(default_factory=list)
    table_id: uuid.UUID | None = None  # exhibitors: the table fixed to them
    hot: bool = False

    def side(self) -> Side:
        """The company as a side of a meeting: all its people attend."""
        languages = frozenset(language for person in self.people for language in person.languages)
        return Side(self.id, tuple(person.id for person in self.people), languages)


@dataclass(frozen=True)
class PlannedMeeting:
    """A meeting of `a` (the requester) and `b` in a slot, at a table, maybe with an interpreter."""

    id: uuid.UUID
    request_id: uuid.UUID
    slot: int
    a: Company
    b: Company
    table_id: uuid.UUID
    interpreter: InterpreterInfo | None
    purpose: str
    priority: int

    @property
    def people(self) -> list[uuid.UUID]:
        """Both sides' people and the interpreter's registration (`meeting.people`)."""
        extra = [self.interpreter.registration_id] if self.interpreter else []
        return [*(p.id for p in self.a.people), *(p.id for p in self.b.people), *extra]


@dataclass(frozen=True)
class PlannedRequest:
    """An open request of `a` to `b`, maybe holding a proposed slot."""

    id: uuid.UUID
    a: Company
    b: Company
    proposed_slot: int | None
    purpose: str
    priority: int


@dataclass(frozen=True)
class Break:
    """An interpreter's break: a blocked slot of their registration."""

    id: uuid.UUID
    slot: int
    registration_id: uuid.UUID


@dataclass
class TradeShow:
    """The whole generated show."""

    size: ShowSize
    seed: int
    event_id: uuid.UUID
    block_ids: list[uuid.UUID]
    slot_ids: list[uuid.UUID]
    exhibitors: list[Company]
    visitors: list[Company]
    agency: Company
    floating_tables: list[uuid.UUID]
    interpreters: list[InterpreterInfo]
    breaks: list[Break]
    meetings: list[PlannedMeeting]
    requests: list[PlannedRequest]

    @property
    def companies(self) -> list[Company]:
        """Every company with registrations."""
        return [*self.exhibitors, *self.visitors, self.agency]

    @property
    def people(self) -> list[Person]:
        """Every registration."""
        return [person for company in self.companies for person in company.people]

    def slot_start(self, slot: int) -> datetime:
        """Start of slot number `slot` (UTC)."""
        block, within = divmod(slot, self.size.slots_per_block)
        return (
            DAY + BLOCK_STARTS_UTC[block % len(BLOCK_STARTS_UTC)] + timedelta(minutes=SLOT_MINUTES * within)
        )

    def block_bounds(self, block: int) -> tuple[datetime, datetime]:
        """Start and end of B2B block number `block` (UTC)."""
        start = self.slot_start(block * self.size.slots_per_block)
        return start, start + timedelta(minutes=SLOT_MINUTES * self.size.slots_per_block)


class _Ids:
    """Deterministic ids: kind and number → UUIDv7 (the same seed gives the same ids)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.counter = 0

    def __call__(self, kind: str, index: int) -> uuid.UUID:
        self.counter += 1
        return deterministic_uuid7(
            EPOCH_MS + self.counter, f"plaza-bench-meetings:{self.seed}:{kind}:{index}"
        )


def _country(rng: random.Random, shares: Sequence[tuple[str, float]]) -> str:
    draw = rng.random()
    for country, share in shares:
        if draw < share:
            return country
        draw -= share
    return rng.choice(OTHER_COUNTRIES)


def _company_names(rng: random.Random, country: str, index: int) -> tuple[str | None, str | None, str]:
    ko_industry, ja_industry, en_industry = rng.choice(INDUSTRIES)
    if country == "KR":
        stem_ko, stem_en = rng.choice(KO_STEMS)
        return f"{stem_ko}{ko_industry} {index}", None, f"{stem_en} {en_industry} {index} Co., Ltd."
    if country == "JP":
        stem_ja, stem_en = rng.choice(JA_STEMS)
        return None, f"{stem_ja}{ja_industry}{index}株式会社", f"{stem_en} {en_industry} {index} K.K."
    return None, None, f"{rng.choice(EN_FIRST)} {en_industry} {index} Inc."


def _languages(rng: random.Random, country: str) -> list[str]:
    if country == "KR":
        found = ["ko"] + (["en"] if rng.random() < 0.5 else []) + (["ja"] if rng.random() < 0.15 else [])
    elif country == "JP":
        found = ["ja"] + (["en"] if rng.random() < 0.4 else []) + (["ko"] if rng.random() < 0.05 else [])
    else:
        found = ["en"] + (["ja"] if rng.random() < 0.1 else [])
    return found


def _person(
    rng: random.Random, ids: _Ids, company: Company, role: str, index: int, country: str | None = None
) -> Person:
    country = country or company.country
    names: tuple[str | None, str | None, str]
    if country == "KR":
        surname_ko, surname_en = rng.choice(KO_SURNAMES)
        given_ko, given_en = rng.choice(KO_GIVEN)
        names = (surname_ko + given_ko, None, f"{given_en} {surname_en}")
    elif country == "JP":
        surname_ja, surname_en = rng.choice(JA_SURNAMES)
        given_ja, given_en = rng.choice(JA_GIVEN)
        names = (None, f"{surname_ja} {given_ja}", f"{given_en} {surname_en}")
    else:
        names = (None, None, f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}")
    person = Person(
        id=ids("registration", index),
        company=company,
        name_ko=names[0],
        name_ja=names[1],
        name_en=names[2],
        languages=_languages(rng, country),
        role=role,
        index=index,
    )
    company.people.append(person)
    return person


class _Planner:
    """Places meetings, holds and breaks where nothing is taken yet, tracking what each slot holds."""

    def __init__(self, slot_count: int) -> None:
        self.slot_count = slot_count
        self.busy: set[tuple[int, uuid.UUID]] = set()  # (slot, person / company / table id)
        self.pairs: set[frozenset[uuid.UUID]] = set()  # companies that meet or have an open request

    def free(self, slot: int, ids: Iterable[uuid.UUID]) -> bool:
        return all((slot, resource) not in self.busy for resource in ids)

    def take(self, slot: int, ids: Iterable[uuid.UUID]) -> None:
        for resource in ids:
            assert (slot, resource) not in self.busy, "the planner double-booked"
            self.busy.add((slot, resource))

    def parties_free(self, slot: int, a: Company, b: Company) -> bool:
        return (
            a.id != b.id
            and frozenset((a.id, b.id)) not in self.pairs
            and self.free(slot, [a.id, b.id, *(p.id for p in a.people), *(p.id for p in b.people)])
        )

    def interpreter_for(
        self, slot: int, a: Company, b: Company, table_id: uuid.UUID, interpreters: Sequence[InterpreterInfo]
    ) -> tuple[bool, InterpreterInfo | None]:
        """(whether one is needed, the one to take): the table's own first, then the pool."""
        side_a, side_b = a.side(), b.side()
        if not needs_interpreter(side_a, side_b):
            return False, None
        for wanted_table in (table_id, None):
            for interpreter in interpreters:
                if (
                    interpreter.table_id == wanted_table
                    and covers(interpreter, side_a, side_b)
                    and (slot, interpreter.registration_id) not in self.busy
                ):
                    return True, interpreter
        return True, None


def _pairs_of(rng: random.Random) -> list[str]:
    draw = rng.random()
    if draw < 0.6:
        return ["ko-ja"]
    if draw < 0.75:
        return ["ko-ja", "ko-en"]
    if draw < 0.85:
        return ["ko-en"]
    if draw < 0.95:
        return ["ja-en"]
    return ["ko-ja", "ja-en"]


def generate(size: ShowSize = ShowSize(), seed: int = DEFAULT_SEED) -> TradeShow:
    """The trade show generated from `seed` (the same every time)."""
    if size.exhibitor_meetings > size.exhibitors * size.slots:
        raise ValueError(
            f"{size.exhibitors} exhibitors × {size.slots} slots hold at most "
            f"{size.exhibitors * size.slots} exhibitor meetings, not {size.exhibitor_meetings}"
        )
    rng = random.Random(seed)
    ids = _Ids(seed)
    event_id = ids("event", 0)
    block_ids = [ids("block", n) for n in range(size.blocks)]
    slot_ids = [ids("slot", n) for n in range(size.slots)]
    registrations = 0

    exhibitors = []
    for n in range(size.exhibitors):
        country = _country(rng, (("KR", 0.6), ("JP", 0.3)))
        ko, ja, en = _company_names(rng, country, n + 1)
        company = Company(
            ids("exhibitor", n), ko, ja, en, country, exhibitor=True, hot=n < size.hot_exhibitors
        )
        company.table_id = ids("table", n)
        for _ in range(rng.choice((1, 2, 2, 3))):
            _person(rng, ids, company, "exhibitor", registrations)
            registrations += 1
        exhibitors.append(company)
    visitors: list[Company] = []
    people = 0
    while people < size.visitors:
        country = _country(rng, (("JP", 0.65), ("KR", 0.15)))
        ko, ja, en = _company_names(rng, country, len(visitors) + 1001)
        company = Company(ids("visitor", len(visitors)), ko, ja, en, country, exhibitor=False)
        for _ in range(min(rng.choice((1, 1, 1, 1, 1, 1, 2, 2, 2, 3)), size.visitors - people)):
            _person(rng, ids, company, "buyer", registrations)
            registrations += 1
            people += 1
        visitors.append(company)
    agency = Company(
        ids("agency", 0), "통역 에이전시", "通訳エージェンシー", "Plaza Interpreting", "KR", False
    )
    floating_tables = [ids("floating-table", n) for n in range(size.floating_tables)]

    # Interpreters: at the tables of Korean exhibitors whose staff speak no Japanese, then a pool.
    interpreters: list[InterpreterInfo] = []
    needy = [e for e in exhibitors if e.country == "KR" and "ja" not in e.side().languages]
    for n in range(size.table_interpreters + size.pool_interpreters):
        fixed = needy[n] if n < min(size.table_interpreters, len(needy)) else None
        pairs = ["ko-ja"] if fixed else _pairs_of(rng)
        person = _person(rng, ids, agency, "interpreter", registrations, country="KR")
        registrations += 1
        person.languages = sorted({language for pair in pairs for language in pair.split("-")})
        interpreters.append(
            InterpreterInfo(
                ids("interpreter", n),
                person.id,
                person.name_en,
                frozenset(pairs),
                fixed.table_id if fixed else None,
            )
        )
    interpreters.sort(key=lambda interpreter: interpreter.id)  # the service offers them in id order

    planner = _Planner(size.slots)
    breaks = []
    for n, interpreter in enumerate(interpreters):
        slot = rng.randrange(size.slots)
        breaks.append(Break(ids("break", n), slot, interpreter.registration_id))
        planner.take(slot, [interpreter.registration_id])

    meetings: list[PlannedMeeting] = []

    def book(slot: int, a: Company, b: Company, table_id: uuid.UUID) -> bool:
        if not planner.parties_free(slot, a, b) or not planner.free(slot, [table_id]):
            return False
        needed, interpreter = planner.interpreter_for(slot, a, b, table_id, interpreters)
        if needed and interpreter is None:
            return False
        meeting = PlannedMeeting(
            id=ids("meeting", len(meetings)),
            request_id=ids("accepted-request", len(meetings)),
            slot=slot,
            a=a,
            b=b,
            table_id=table_id,
            interpreter=interpreter,
            purpose=rng.choice(PURPOSES),
            priority=rng.randint(1, 5),
        )
        planner.take(slot, [a.id, b.id, table_id, *meeting.people])
        planner.pairs.add(frozenset((a.id, b.id)))
        meetings.append(meeting)
        return True

    # Exhibitor meetings: hot exhibitors half booked, the others share what is left of the target.
    hot = [e for e in exhibitors if e.hot]
    cells = {(e.id, slot) for e in hot for slot in rng.sample(range(size.slots), size.slots // 2)}
    others = [(e.id, slot) for e in exhibitors if not e.hot for slot in range(size.slots)]
    wanted = max(0, min(len(others), size.exhibitor_meetings - len(cells)))
    cells.update(rng.sample(others, wanted))
    for slot in range(size.slots):
        order = exhibitors[:]
        rng.shuffle(order)
        for exhibitor in order:
            if (exhibitor.id, slot) not in cells:
                continue
            assert exhibitor.table_id is not None
            for _ in range(PLACEMENT_TRIES):
                if book(slot, rng.choice(visitors), exhibitor, exhibitor.table_id):
                    break
    # Visitor ↔ visitor meetings at floating tables, spread over the slots.
    for n in range(size.visitor_meetings):
        slot = n % size.slots
        for _ in range(PLACEMENT_TRIES):
            table = next((t for t in floating_tables if (slot, t) not in planner.busy), None)
            if table is None:
                break
            if book(slot, rng.choice(visitors), rng.choice(visitors), table):
                break

    # Open requests: to the hot exhibitors, and between other companies; some hold a proposed slot.
    requests: list[PlannedRequest] = []
    holds: Counter[uuid.UUID] = Counter()

    def ask(a: Company, b: Company) -> bool:
        if a.id == b.id or frozenset((a.id, b.id)) in planner.pairs:
            return False
        proposed = None
        if rng.random() < size.hold_share and holds[a.id] < 2 and holds[b.id] < 2:
            free = [slot for slot in range(size.slots) if planner.parties_free(slot, a, b)]
            if free:
                proposed = rng.choice(free)
                planner.take(proposed, [a.id, b.id, *(p.id for p in a.people), *(p.id for p in b.people)])
                holds.update((a.id, b.id))
        planner.pairs.add(frozenset((a.id, b.id)))
        requests.append(
            PlannedRequest(
                ids("open-request", len(requests)), a, b, proposed, rng.choice(PURPOSES), rng.randint(1, 5)
            )
        )
        return True

    for exhibitor in hot:
        for _ in range(size.requests_per_hot):
            for _ in range(PLACEMENT_TRIES):
                if ask(rng.choice(visitors), exhibitor):
                    break
    for _ in range(size.other_requests):
        for _ in range(PLACEMENT_TRIES):
            other = rng.choice(exhibitors) if rng.random() < 0.5 else rng.choice(visitors)
            if ask(rng.choice(visitors), other):
                break

    return TradeShow(
        size=size,
        seed=seed,
        event_id=event_id,
        block_ids=block_ids,
        slot_ids=slot_ids,
        exhibitors=exhibitors,
        visitors=visitors,
        agency=agency,
        floating_tables=floating_tables,
        interpreters=interpreters,
        breaks=breaks,
        meetings=meetings,
        requests=requests,
    )


# --- rows -------------------------------------------------------------------------------------------------


def check_in_code(index: int, rng: random.Random) -> str:
    """An 8-character code from the service's alphabet, unique per registration number (3 leading
    characters spell the number, 5 are random)."""
    digits = []
    for _ in range(3):
        index, digit = divmod(index, len(CODE_ALPHABET))
        digits.append(CODE_ALPHABET[digit])
    if index:
        raise ValueError("too many registrations for 3-character prefixes")
    return "".join(digits) + "".join(rng.choice(CODE_ALPHABET) for _ in range(5))


def event_model(show: TradeShow, organiser_ids: Sequence[uuid.UUID]) -> Event:
    """The event row, as an ORM object."""
    return Event(
        id=show.event_id,
        title_ko="2026 한일 배터리 산업 B2B 상담회 (벤치마크)",
        title_ja="2026 日韓バッテリー産業 B2B 商談会（ベンチマーク）",
        title_en="2026 Korea–Japan Battery Industry B2B Meetings (benchmark)",
        venue_name="Aichi Sky Expo, Hall B",
        venue_address="1-10 Centrair 5-chome, Tokoname, Aichi",
        time_zone=TIME_ZONE,
        starts_at=DAY,
        ends_at=DAY + timedelta(hours=10),
        capacity=None,
        confirmed_count=len(show.people),
        languages=["ko", "ja", "en"],
        status="open",
        slot_minutes=SLOT_MINUTES,
        request_expiry_hours=None,
        meeting_rule="any",
        default_quota=DEFAULT_QUOTA,
        organiser_ids=list(organiser_ids),
        version=1,
        created_at=CREATED_AT,
        updated_at=CREATED_AT,
    )


def block_models(show: TradeShow) -> list[AgendaSession]:
    """The two B2B blocks, as ORM objects."""
    sessions = []
    for block, session_id in enumerate(show.block_ids):
        starts, ends = show.block_bounds(block)
        sessions.append(
            AgendaSession(
                id=session_id,
                event_id=show.event_id,
                kind="b2b_block",
                title_ko=f"B2B 상담 {block + 1}부",
                title_ja=f"B2B 商談 第{block + 1}部",
                title_en=f"B2B meetings, block {block + 1}",
                room="B2B area",
                starts_at=starts,
                ends_at=ends,
                capacity=None,
                attendee_count=0,
                speakers=[],
                created_at=CREATED_AT,
                updated_at=CREATED_AT,
            )
        )
    return sessions


Row = dict[str, Any]


def _stamps(row: Row) -> Row:
    return {"created_at": CREATED_AT, "updated_at": CREATED_AT, **row}


def rows_of(show: TradeShow) -> dict[Table, list[Row]]:
    """Every row COPY writes, per table, in an order that respects the foreign keys."""
    event = show.event_id
    rng = random.Random(f"{show.seed}:codes")
    slots = [
        {
            "id": slot_id,
            "event_id": event,
            "session_id": show.block_ids[n // show.size.slots_per_block],
            "starts_at": show.slot_start(n),
            "ends_at": show.slot_start(n) + timedelta(minutes=SLOT_MINUTES),
        }
        for n, slot_id in enumerate(show.slot_ids)
    ]
    registrations = [
        _stamps(
            {
                "id": person.id,
                "event_id": event,
                "company_id": person.company.id,
                "company_name_ko": person.company.name_ko,
                "company_name_ja": person.company.name_ja,
                "company_name_en": person.company.name_en,
                "company_country": person.company.country,
                "name_ko": person.name_ko,
                "name_ja": person.name_ja,
                "name_en": person.name_en,
                "role": person.role,
                "job_title": None,
                "languages": person.languages,
                "email": f"person{person.index}@bench.example",
                "status": "confirmed",
                "waitlist_rank": None,
                "check_in_code": check_in_code(person.index, rng),
                "version": 1,
            }
        )
        for person in show.people
    ]
    tables = [
        {
            "id": e.table_id,
            "event_id": event,
            "name": f"E{n + 1:03d}",
            "company_id": e.id,
            "created_at": CREATED_AT,
        }
        for n, e in enumerate(show.exhibitors)
    ] + [
        {"id": t, "event_id": event, "name": f"F{n + 1:03d}", "company_id": None, "created_at": CREATED_AT}
        for n, t in enumerate(show.floating_tables)
    ]
    interpreters = [
        {
            "id": i.id,
            "event_id": event,
            "registration_id": i.registration_id,
            "language_pairs": sorted(i.pairs),
            "table_id": i.table_id,
            "created_at": CREATED_AT,
        }
        for i in show.interpreters
    ]
    blocked = [
        {
            "id": b.id,
            "event_id": event,
            "slot_id": show.slot_ids[b.slot],
            "registration_id": b.registration_id,
            "company_id": None,
            "reason": "interpreter's break",
            "created_at": CREATED_AT,
        }
        for b in show.breaks
    ]
    requests = [
        _stamps(
            {
                "id": m.request_id,
                "event_id": event,
                "requester_company_id": m.a.id,
                "requested_company_id": m.b.id,
                "requester_people": [p.id for p in m.a.people],
                "requested_people": [p.id for p in m.b.people],
                "purpose": m.purpose,
                "message": None,
                "priority": m.priority,
                "proposed_slot_id": None,
                "status": "accepted",
                "expires_at": None,
                "created_by": "bench",
                "created_by_organisation_id": None,
                "answered_at": CREATED_AT,
                "answer_note": None,
                "version": 2,
            }
        )
        for m in show.meetings
    ] + [
        _stamps(
            {
                "id": r.id,
                "event_id": event,
                "requester_company_id": r.a.id,
                "requested_company_id": r.b.id,
                "requester_people": [p.id for p in r.a.people],
                "requested_people": [p.id for p in r.b.people],
                "purpose": r.purpose,
                "message": "Could we meet at the plaza?",
                "priority": r.priority,
                "proposed_slot_id": show.slot_ids[r.proposed_slot] if r.proposed_slot is not None else None,
                "status": "requested",
                "expires_at": None,
                "created_by": "bench",
                "created_by_organisation_id": None,
                "answered_at": None,
                "answer_note": None,
                "version": 1,
            }
        )
        for r in show.requests
    ]
    meetings = [
        _stamps(
            {
                "id": m.id,
                "event_id": event,
                "request_id": m.request_id,
                "slot_id": show.slot_ids[m.slot],
                "table_id": m.table_id,
                "interpreter_id": m.interpreter.id if m.interpreter else None,
                "company_a_id": m.a.id,
                "company_b_id": m.b.id,
                "people_a": [p.id for p in m.a.people],
                "people_b": [p.id for p in m.b.people],
                "people": m.people,
                "purpose": m.purpose,
                "priority": m.priority,
                "status": "scheduled",
                "sequence": 0,
                "locked": False,
                "booked_by": "bench",
                "cancel_reason": None,
                "version": 1,
            }
        )
        for m in show.meetings
    ]
    return {
        table_of(Slot): slots,
        table_of(Registration): registrations,
        table_of(MeetingTable): tables,
        table_of(Interpreter): interpreters,
        table_of(BlockedSlot): blocked,
        table_of(MeetingRequest): requests,
        table_of(Meeting): meetings,
        table_of(SlotClaim): claim_rows(show),
        table_of(CompanyQuota): quota_rows(show),
    }


def table_of(model: type[Base]) -> Table:
    """A model's table."""
    return cast(Table, model.__table__)


def claim_rows(show: TradeShow) -> list[Row]:
    """The `slot_claim` rows: what every meeting, holding request and break holds, as the service claims."""
    event = show.event_id
    holders = {"meeting_id": None, "request_id": None, "session_id": None, "attendee_id": None}
    claims: list[Row] = []

    def claim(slot: int, kind: str, resource: uuid.UUID, **holder: uuid.UUID) -> None:
        claims.append(
            {
                "slot_id": show.slot_ids[slot],
                "resource_kind": kind,
                "resource_id": resource,
                "event_id": event,
                **holders,
                "blocked_slot_id": None,
                **holder,
            }
        )

    for m in show.meetings:
        for person in dict.fromkeys(m.people):
            claim(m.slot, "person", person, meeting_id=m.id)
        for company in (m.a.id, m.b.id):
            claim(m.slot, "company", company, meeting_id=m.id)
        claim(m.slot, "table", m.table_id, meeting_id=m.id)
    for r in show.requests:
        if r.proposed_slot is None:
            continue
        for attendee in (*r.a.people, *r.b.people):
            claim(r.proposed_slot, "person", attendee.id, request_id=r.id)
        for company in (r.a.id, r.b.id):
            claim(r.proposed_slot, "company", company, request_id=r.id)
    for b in show.breaks:
        claim(b.slot, "person", b.registration_id, blocked_slot_id=b.id)
    return claims


def quota_rows(show: TradeShow) -> list[Row]:
    """`company_quota`: every company with meetings, its live meetings counted, the event's default quota."""
    booked: Counter[uuid.UUID] = Counter()
    for m in show.meetings:
        booked.update((m.a.id, m.b.id))
    return [
        {"event_id": show.event_id, "company_id": c, "quota": DEFAULT_QUOTA, "overridden": False, "booked": n}
        for c, n in sorted(booked.items())
    ]


def records(table: Table, rows: Sequence[Row]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The table's columns that `rows` set (all of them the same) and the rows as tuples in that order.

    A NOT NULL column without a server default that the rows leave out is an error here, not a failed COPY
    (so a column added to the models later is noticed by name)."""
    columns = [column.name for column in table.columns]
    given = set(rows[0]) if rows else set()
    unknown = given - set(columns)
    if unknown:
        raise ValueError(f"{table.name}: no columns {sorted(unknown)}")
    missing = [
        c.name
        for c in table.columns
        if c.name not in given and not c.nullable and c.server_default is None and not c.primary_key
    ]
    if rows and missing:
        raise ValueError(f"{table.name}: rows leave NOT NULL columns {missing} unset")
    chosen = [column for column in columns if column in given]
    return chosen, [tuple(row[column] for column in chosen) for row in rows]


# --- writing ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """What was written, per table."""

    counts: dict[str, int]
    seconds: float


async def load(url: str, show: TradeShow, organiser_ids: Sequence[uuid.UUID]) -> Loaded:
    """Write the show (connecting with `url`, the meetings service's role): the event and its B2B blocks
    through the ORM, the rest with COPY, all in one transaction; then ANALYZE the tables."""
    started = datetime.now(UTC)
    engine = create_async_engine(asyncpg_url(url), poolclass=NullPool)
    counts: dict[str, int] = {}
    try:
        async with AsyncSession(engine) as session, session.begin():
            session.add(event_model(show, organiser_ids))
            await session.flush()
            session.add_all(block_models(show))
            await session.flush()
            counts["event"], counts["agenda_session"] = 1, len(show.block_ids)
            connection: Any = (await (await session.connection()).get_raw_connection()).driver_connection
            for table, rows in rows_of(show).items():
                if not rows:
                    continue
                columns, tuples = records(table, rows)
                await connection.copy_records_to_table(
                    table.name, schema_name=table.schema, columns=columns, records=tuples
                )
                counts[table.name] = len(tuples)
        async with engine.connect() as connection_:
            driver: Any = (await connection_.get_raw_connection()).driver_connection
            for table in analysed_tables():
                await driver.execute(f'ANALYZE "{table.schema}"."{table.name}"')
    finally:
        await engine.dispose()
    return Loaded(counts, (datetime.now(UTC) - started).total_seconds())


def analysed_tables() -> list[Table]:
    """The tables `load` writes (ANALYZEd afterwards, so the planner knows their new sizes)."""
    models: tuple[type[Base], ...] = (Event, AgendaSession, Slot, Registration, MeetingTable, Interpreter)
    models += (BlockedSlot, MeetingRequest, Meeting, SlotClaim, CompanyQuota)
    return [table_of(model) for model in models]
