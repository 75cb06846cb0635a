"""A generated book of leads for `./plaza bench investment`: deterministic, consistent, written in bulk.

`generate(size, seed)` plans the leads in memory from one `random.Random(seed)`:

* **Organisations**: `organisations` partner organisations own the leads, the demo KOTRA (the bench's
  caller) a `kotra_share` of them; `shared_share` of the others' leads are shared with KOTRA (read or edit).
* **Parties and plazas**: `companies` Korean and as many Japanese registry company ids; `events` plazas,
  from which `plaza_share` of the leads come (with a meeting id), the rest from other sources.
* **Leads**: the seven deal types (exports most often), each at a random stage of its pipeline reached by
  forward moves with the odd step back (every move a `lead_transition` row, created first, spells of hours
  to weeks); a value in KRW, JPY, USD or EUR in that currency's range, sectors, HS codes, tags; status open
  mostly, some on hold, lost (with a reason) or abandoned, and won for most leads at a signed stage, which
  carry a signing date, a signed value and the rates of that date frozen (`lead_signing_rate`).
* **Activities**: `activities` notes, calls, e-mails, meetings and tasks spread over the leads.
* **FX rates**: business-day rates of USD, JPY and KRW (units per euro) for the two years the leads span.

`load(url, book)` writes it with COPY in one transaction (as the investment role), then VACUUM ANALYZEs the
tables: the planner knows their sizes, and their visibility maps are set as autovacuum keeps them in steady
state (else autovacuum would set them in the middle of a measurement, switching plans to index-only scans).
A second `generate(..., first=n)` continues the numbering, so a run grows 5,000 leads into 50,000.
"""

import json
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

from investment.pipelines.stages import DealType, pipeline_for
from plaza_contracts.demo import DEMO_ORGANISATIONS

DEFAULT_SEED = 20261210
KOTRA = DEMO_ORGANISATIONS["kotra"]
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)  # the first lead; the book spans two years
SPAN_DAYS = 700
RATE_BASE = {"USD": Decimal("1.08"), "JPY": Decimal("160"), "KRW": Decimal("1450")}
DEAL_TYPES = [(DealType.EXPORT, 40), (DealType.IMPORT, 15), (DealType.JOINT_DEVELOPMENT, 15)]
DEAL_TYPES += [(DealType.EQUITY_INVESTMENT, 10), (DealType.GREENFIELD_INVESTMENT, 5)]
DEAL_TYPES += [(DealType.LICENSING, 10), (DealType.OTHER, 5)]
CURRENCIES = [("KRW", 10_000_000, 20_000_000_000, 0), ("JPY", 1_000_000, 2_000_000_000, 0)]
CURRENCIES += [("USD", 10_000, 20_000_000, 2), ("EUR", 10_000, 20_000_000, 2)]
SECTORS = ["battery_materials", "chemicals", "semiconductors", "automotive", "machinery", "food", "cosmetics"]
SECTORS += ["hydrogen", "shipbuilding", "software"]
HS_CODES = ["850760", "850780", "2841", "3824", "8541", "870380", "8479", "2106", "3304", "280410", "8901"]
TAGS = ["cathode", "anode", "separator", "priority", "follow-up", "fta", "rcep", "pilot"]
ACTIVITY_KINDS = ["note", "call", "email", "meeting", "task"]


@dataclass(frozen=True)
class BookSize:
    """How much to generate."""

    leads: int = 50_000
    activities: int = 500_000
    organisations: int = 8
    companies: int = 3_000  # Korean, and as many Japanese
    events: int = 40
    kotra_share: float = 0.3
    shared_share: float = 0.1
    plaza_share: float = 0.7


SMALL = BookSize(leads=5_000, activities=50_000)
TINY = BookSize(leads=120, activities=600, organisations=3, companies=40, events=4)


@dataclass
class Book:
    """The rows to write, per table, and what the reads pick from."""

    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    event_ids: list[uuid.UUID] = field(default_factory=list)
    company_ids: list[uuid.UUID] = field(default_factory=list)

    def count(self, table: str) -> int:
        """Rows planned for `table`."""
        return len(self.rows.get(table, []))


COLUMNS = {
    "lead": [
        "id", "deal_type", "pipeline", "stage", "status", "stage_entered_at", "title", "description",
        "korean_party_id", "korean_party_name", "korean_party_country", "japanese_party_id",
        "japanese_party_name", "japanese_party_country", "origin_kind", "origin_event_id",
        "origin_meeting_id", "origin_source", "hs_codes", "sectors", "value_amount", "value_currency",
        "probability",
        "expected_close_date", "owner_organisation_id", "owner_person", "next_follow_up_date", "tags",
        "signing_date", "signed_amount", "signed_currency", "lost_reason", "lost_to", "version", "created_at",
        "updated_at",
    ],
    "lead_transition": [
        "id", "lead_id", "kind", "from_value", "to_value", "at", "by_subject", "by_organisation_id", "reason",
    ],
    "lead_share": ["lead_id", "organisation_id", "access", "granted_at", "granted_by"],
    "lead_signing_rate": ["lead_id", "currency", "rate", "rate_date", "source"],
    "activity": [
        "id", "lead_id", "kind", "subject", "body", "occurred_at", "due_date", "completed_at", "created_by",
        "created_by_organisation_id", "version", "created_at", "updated_at",
    ],
    "fx_rate": ["currency", "rate_date", "rate", "source", "updated_at"],
}  # fmt: skip
TABLE_ORDER = ["fx_rate", "lead", "lead_transition", "lead_share", "lead_signing_rate", "activity"]


def _uuid7(moment: datetime, rng: random.Random) -> uuid.UUID:
    """A UUIDv7 of `moment` with random bits from `rng` (ids in creation order, as the service makes them)."""
    value = (int(moment.timestamp() * 1000) << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64)
    value |= (0b10 << 62) | rng.getrandbits(62)
    return uuid.UUID(int=value)


def rate_on(day: date, currency: str) -> Decimal:
    """The generated rate of `currency` on `day`: a slow deterministic wave around its base."""
    wave = Decimal((day.toordinal() * 37 + len(currency) * 11) % 200 - 100) / Decimal(2000)
    return (RATE_BASE[currency] * (1 + wave)).quantize(Decimal("0.0001"))


def business_day(day: date) -> date:
    """The last business day on or before `day` (rates exist on business days only)."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def fx_rows() -> list[tuple[Any, ...]]:
    """Business-day rates from the book's start to a month after its end."""
    rows, now = [], datetime.now(UTC)
    day = START.date() - timedelta(days=7)
    while day <= START.date() + timedelta(days=SPAN_DAYS + 60):
        if day.weekday() < 5:
            rows += [(currency, day, rate_on(day, currency), "bench", now) for currency in RATE_BASE]
        day += timedelta(days=1)
    return rows


def _amount(rng: random.Random) -> tuple[Decimal, str]:
    currency, low, high, places = rng.choice(CURRENCIES)
    amount = Decimal(int(low * (high / low) ** rng.random()))
    if places:
        amount += Decimal(rng.randrange(100)) / 100
    return amount, currency


def generate(size: BookSize = BookSize(), seed: int = DEFAULT_SEED, first: int = 0) -> Book:
    """The book of `size.leads` leads (numbered from `first`) and `size.activities` activities."""
    rng = random.Random(f"{seed}:{first}")
    ids = random.Random(f"{seed}:ids")  # parties, plazas and organisations: the same in every batch
    organisations = [KOTRA] + [
        uuid.UUID(int=ids.getrandbits(128), version=4) for _ in range(size.organisations - 1)
    ]
    korean = [uuid.UUID(int=ids.getrandbits(128), version=4) for _ in range(size.companies)]
    japanese = [uuid.UUID(int=ids.getrandbits(128), version=4) for _ in range(size.companies)]
    events = [uuid.UUID(int=ids.getrandbits(128), version=4) for _ in range(size.events)]
    book = Book(event_ids=events, company_ids=korean + japanese)
    leads: list[tuple[Any, ...]] = []
    transitions: list[tuple[Any, ...]] = []
    shares: list[tuple[Any, ...]] = []
    frozen: list[tuple[Any, ...]] = []
    types, weights = zip(*DEAL_TYPES, strict=True)
    step = SPAN_DAYS * 86400 / max(size.leads + first, 1)
    lead_ids: list[tuple[uuid.UUID, datetime, uuid.UUID]] = []
    for number in range(first, first + size.leads):
        created = START + timedelta(seconds=number * step)
        lead_id = _uuid7(created, rng)
        deal_type = rng.choices(types, weights)[0]
        pipeline = pipeline_for(deal_type)
        owner = KOTRA if rng.random() < size.kotra_share else rng.choice(organisations[1:])
        reach = min(int(rng.expovariate(0.7)), len(pipeline.stages) - 1)
        at, by = created, f"client-{owner.hex[:8]}"
        transitions.append(
            (_uuid7(at, rng), lead_id, "created", None, pipeline.stages[0].code, at, by, owner, None)
        )
        index = 0
        while index < reach:
            at += timedelta(hours=rng.uniform(4, 24 * 30))
            back = index > 0 and not pipeline.stages[index].signed and rng.random() < 0.05
            target = index - 1 if back else index + 1
            transitions.append(
                (
                    _uuid7(at, rng),
                    lead_id,
                    "stage",
                    pipeline.stages[index].code,
                    pipeline.stages[target].code,
                    at,
                    by,
                    owner,
                    None,
                )
            )
            index = target
        stage = pipeline.stages[index]
        value, currency = _amount(rng)
        signed = stage.signed
        status = "open"
        roll = rng.random()
        if signed and roll < 0.8:
            status = "won"
        elif roll < 0.08:
            status = "on_hold"
        elif roll < 0.15 and not signed:
            status = "lost"
        elif roll < 0.18 and not signed:
            status = "abandoned"
        if status != "open":
            at += timedelta(hours=rng.uniform(1, 240))
            transitions.append((_uuid7(at, rng), lead_id, "status", "open", status, at, by, owner, None))
        signing_date = None
        if signed:
            first_signed = next(i for i, s in enumerate(pipeline.stages) if s.signed)
            signed_at = [
                t
                for t in transitions[-(reach + 2) :]
                if t[1] == lead_id and t[4] == pipeline.stages[first_signed].code
            ]
            signing_date = business_day((signed_at[0][5] if signed_at else at).date())
            frozen += [
                (lead_id, code, rate_on(signing_date, code), signing_date, "bench") for code in RATE_BASE
            ]
        plaza = rng.random() < size.plaza_share
        kr, jp = rng.choice(korean), rng.choice(japanese)
        leads.append(
            (
                lead_id, str(deal_type), pipeline.code, stage.code, status, at,
                f"양극재 공급 / 正極材の供給 #{number}", None,
                kr, json.dumps({"ko": f"한빛소재 {kr.hex[:4]}", "en": f"Hanbit {kr.hex[:4]}"}), "KR",
                jp, json.dumps({"ja": f"さくら電池 {jp.hex[:4]}", "en": f"Sakura {jp.hex[:4]}"}), "JP",
                "plaza" if plaza else "other", rng.choice(events) if plaza else None,
                _uuid7(created, rng) if plaza else None, None if plaza else "referral",
                rng.sample(HS_CODES, rng.randint(0, 2)), rng.sample(SECTORS, rng.randint(0, 2)),
                value, currency, rng.choice([None, None, None, 35, 70]),
                (created + timedelta(days=rng.randint(30, 360))).date(), owner, "Kim Minjun",
                (created + timedelta(days=rng.randint(1, 60))).date(), rng.sample(TAGS, rng.randint(0, 2)),
                signing_date, value if signed else None, currency if signed else None,
                "price" if status == "lost" else None, None, 1 + reach, created, at,
            )
        )  # fmt: skip
        if owner != KOTRA and rng.random() < size.shared_share:
            shares.append((lead_id, KOTRA, rng.choice(["read", "edit"]), at, by))
        lead_ids.append((lead_id, created, owner))
    activities = []
    for _ in range(size.activities):
        lead_id, created, owner = rng.choice(lead_ids)
        kind = rng.choice(ACTIVITY_KINDS)
        occurred = created + timedelta(hours=rng.uniform(0, 24 * 120))
        due = (occurred + timedelta(days=rng.randint(1, 30))).date() if kind == "task" else None
        done = occurred + timedelta(days=2) if kind == "task" and rng.random() < 0.6 else None
        by = f"client-{owner.hex[:8]}"
        subject = f"{kind} 미팅 후속 / フォローアップ"
        activities.append(
            (_uuid7(occurred, rng), lead_id, kind, subject, None, occurred, due, done, by, owner, 1, occurred,
             occurred)
        )  # fmt: skip
    book.rows = {
        "lead": leads,
        "lead_transition": transitions,
        "lead_share": shares,
        "lead_signing_rate": frozen,
        "activity": activities,
    }
    if first == 0:
        book.rows["fx_rate"] = fx_rows()
    return book


@dataclass(frozen=True)
class Loaded:
    """What `load` wrote, and how long it took."""

    counts: dict[str, int]
    seconds: float


# Tables PostgreSQL fills itself as the others are written (the stage spells' trigger): analysed too.
DERIVED_TABLES = ("lead_stage_spell",)


async def load(url: str, book: Book) -> Loaded:
    """Write the book with COPY in one transaction (connecting with `url`, the investment role), then
    VACUUM ANALYZE the tables (see the module's docstring)."""
    started = datetime.now(UTC)
    connection = await asyncpg.connect(url)
    counts: dict[str, int] = {}
    try:
        async with connection.transaction():
            for table in TABLE_ORDER:
                rows: Sequence[tuple[Any, ...]] = book.rows.get(table, [])
                if rows:
                    await connection.copy_records_to_table(
                        table, schema_name="investment", columns=COLUMNS[table], records=rows
                    )
                    counts[table] = len(rows)
        for table in (*TABLE_ORDER, *DERIVED_TABLES):
            await connection.execute(f"VACUUM ANALYZE investment.{table}")
    finally:
        await connection.close()
    return Loaded(counts, (datetime.now(UTC) - started).total_seconds())
