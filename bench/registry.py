"""`./plaza bench registry`: how reads and searches of the registry cost as it grows to 100,000 companies.

One run starts PostgreSQL (embedded PostgreSQL 18, or a scratch database on the server at `DATABASE_URL` /
`--database-url`, dropped afterwards), migrates it, starts the registry as a real process (uvicorn, one
worker, as `plaza_dev.Stack` starts it) trusting an identity key of the bench's own, and for each size
(10,000 then 100,000 companies by default) loads generated trilingual companies (`bench/registry_data.py`)
with COPY and measures, with one client sending sequential keep-alive requests:

  get by id · list, first page · list, page 500 (keyset cursor) · search with a 2-character CJK query,
  a 3+ character query and a romanised query

It prints p50/p95 per size, the p95 ratio between the largest and the smallest size, and the verdicts on
the targets: every p95 under 50 ms at 100,000 companies, and 100,000/10,000 under 2. For each operation it
also runs the SQL of its slowest request under EXPLAIN ANALYZE (`--explain` prints the plans of those that
miss a target). Results are saved as JSON in bench/results/. Method and figures: bench/README.md.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import asyncpg
import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from bench import registry_data
from bench.gateway import _drop_database, bench_identity, postgres
from bench.tools import cpu_seconds
from plaza_dev.processes import ChildProcess
from plaza_dev.stack import Stack
from plaza_kit.identity import IDENTITY_HEADER
from plaza_kit.settings import asyncpg_url
from registry.companies import repository
from registry.companies.derived import short_query_grams
from registry.companies.filters import CompanyFilters
from registry.companies.models import Company
from registry.companies.repository import SearchQuery
from registry.names import duplicate_key, fold

RESULTS_DIR = Path(__file__).resolve().parent / "results"
P95_TARGET_MS = 50.0  # every operation's p95 at the largest size
RATIO_TARGET = 2.0  # p95 at the largest size ÷ p95 at the smallest (100,000 ÷ 10,000)
PAGE_LIMIT = 20
DEEP_PAGE = 500
DEFAULT_SIZES = (10_000, 100_000)
DEFAULT_REQUESTS = 300
DEFAULT_WARMUP = 20
DEFAULT_ROUNDS = 3


@dataclass(frozen=True)
class Operation:
    """What is measured."""

    key: str
    label: str


OPERATIONS: tuple[Operation, ...] = (
    Operation("get", "get by id"),
    Operation("list_first", "list, first page"),
    Operation("list_deep", f"list, page {DEEP_PAGE} (keyset)"),
    Operation("search_cjk2", "search, 2-char CJK"),
    Operation("search_cjk3", "search, 3+ char CJK"),
    Operation("search_latin", "search, romanised"),
)
LABELS = {operation.key: operation.label for operation in OPERATIONS}


@dataclass(frozen=True)
class Request:
    """One request of an operation; `variant` tells requests of the same operation apart (the query)."""

    operation: str
    variant: str
    path: str


@dataclass(frozen=True)
class Sample:
    """One answered request."""

    operation: str
    variant: str
    ms: float
    items: int


@dataclass
class VariantResult:
    """The figures of one variant (one search query) of an operation."""

    variant: str
    requests: int
    p50_ms: float
    p95_ms: float
    matches: int | None = None  # active companies the query matches (searches)


@dataclass
class OpResult:
    """The figures of one operation at one size."""

    size: int
    operation: str
    requests: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    items: int  # most items in an answer
    registry_cpu_ms: float | None = None  # CPU per request: the registry process
    database_cpu_ms: float | None = None  # CPU per request: its PostgreSQL backends (None if not local)
    variants: list[VariantResult] = field(default_factory=list)
    page: int | None = None  # list_deep: the page measured
    sql_ms: float | None = None  # EXPLAIN ANALYZE execution time of the slowest variant's statements
    sql_variant: str | None = None
    plans: list[list[str]] = field(default_factory=list)  # of the slowest variant: main statement first


@dataclass(frozen=True)
class Verdict:
    """One operation against the targets."""

    operation: str
    p95_small_ms: float | None
    p95_large_ms: float
    ratio: float | None
    cpu_ratio: float | None = None  # the same ratio on CPU time per request (registry + database)

    @property
    def p95_met(self) -> bool:
        """p95 under P95_TARGET_MS at the largest size."""
        return self.p95_large_ms < P95_TARGET_MS

    @property
    def ratio_met(self) -> bool | None:
        """Growth under RATIO_TARGET; None with one size only."""
        return None if self.ratio is None else self.ratio < RATIO_TARGET


# --- statistics and report --------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between the closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(size: int, operation: str, samples: Sequence[Sample]) -> OpResult:
    """p50/p95/max of an operation's samples, overall and per variant (in first-seen order)."""
    times = [sample.ms for sample in samples]
    variants = list(dict.fromkeys(sample.variant for sample in samples))
    per_variant = []
    if len(variants) > 1:
        for variant in variants:
            own = [sample.ms for sample in samples if sample.variant == variant]
            per_variant.append(VariantResult(variant, len(own), percentile(own, 50), percentile(own, 95)))
    return OpResult(
        size=size,
        operation=operation,
        requests=len(samples),
        p50_ms=percentile(times, 50),
        p95_ms=percentile(times, 95),
        max_ms=max(times),
        items=max(sample.items for sample in samples),
        variants=per_variant,
    )


def cpu_per_request(result: OpResult | None) -> float | None:
    """CPU ms per request of the registry and its database together (None unless both are known)."""
    if result is None or result.registry_cpu_ms is None or result.database_cpu_ms is None:
        return None
    return result.registry_cpu_ms + result.database_cpu_ms


def judge(results: Sequence[OpResult]) -> list[Verdict]:
    """Each operation at the largest size against the p95 target, and its growth from the smallest size."""
    sizes = sorted({result.size for result in results})
    found = {(result.size, result.operation): result for result in results}
    verdicts = []
    for operation in dict.fromkeys(result.operation for result in results):
        large = found.get((sizes[-1], operation))
        if large is None:
            continue
        small = found.get((sizes[0], operation)) if len(sizes) > 1 else None
        ratio = large.p95_ms / small.p95_ms if small is not None and small.p95_ms > 0 else None
        small_cpu, large_cpu = cpu_per_request(small), cpu_per_request(large)
        cpu_ratio = large_cpu / small_cpu if large_cpu is not None and small_cpu else None
        verdicts.append(Verdict(operation, small.p95_ms if small else None, large.p95_ms, ratio, cpu_ratio))
    return verdicts


def _label(operation: str) -> str:
    return LABELS.get(operation, operation)


def _ms(value: float | None, width: int = 8) -> str:
    return f"{value:{width}.2f}" if value is not None else f"{'–':>{width}}"


def _met(value: bool | None) -> str:
    return "n/a" if value is None else ("met" if value else "MISSED")


def _results_cell(result: OpResult) -> str:
    if result.operation == "get":
        return "1 company"
    text = f"{result.items} items"
    if result.page is not None:
        text += f" (page {result.page})"
    matches = [v.matches for v in result.variants if v.matches is not None]
    if matches:
        text += f"; {len(result.variants)} queries, {min(matches):,}–{max(matches):,} matches"
    return text


def report(results: Sequence[OpResult], verdicts: Sequence[Verdict]) -> list[str]:
    """The table, the per-query figures, the ratios and the verdicts, as lines of text."""
    sizes = sorted({result.size for result in results})
    lines = [
        f"{'companies':>10}  {'operation':24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU app':>8} "
        f"{'CPU db':>8} {'SQL ms':>8}  results",
    ]
    for result in results:
        lines.append(
            f"{result.size:>10,}  {_label(result.operation):24} {result.p50_ms:8.2f} {result.p95_ms:8.2f} "
            f"{result.max_ms:8.2f} {_ms(result.registry_cpu_ms)} {_ms(result.database_cpu_ms)} "
            f"{_ms(result.sql_ms)}  {_results_cell(result)}"
        )
    lines += [
        "",
        "CPU app / CPU db: CPU ms per request of the registry process / of its PostgreSQL backends (steady",
        "on a shared machine, unlike latency). SQL ms: EXPLAIN ANALYZE execution time of the statements of",
        "the operation's slowest request (for searches: the query with the highest p50).",
    ]
    for size in sizes:
        searches = [r for r in results if r.size == size and r.variants]
        if searches:
            lines += ["", f"per query at {size:,} companies: p50/p95 ms (active companies matched)"]
        for result in searches:
            cells = [
                f"{v.variant} {v.p50_ms:.1f}/{v.p95_ms:.1f}"
                + (f" ({v.matches:,})" if v.matches is not None else "")
                for v in result.variants
            ]
            lines.append(f"  {_label(result.operation):24} {'  '.join(cells)}")
    small, large = sizes[0], sizes[-1]
    lines += [
        "",
        f"{'operation':24} {f'p95 @{small:,}':>13} {f'p95 @{large:,}':>14} {'ratio':>6} {'CPU ratio':>9}  "
        f"{f'p95 < {P95_TARGET_MS:.0f} ms':>13}  {f'ratio < {RATIO_TARGET:g}':>10}",
    ]
    for verdict in verdicts:
        ratio = f"{verdict.ratio:.2f}" if verdict.ratio is not None else "–"
        cpu_ratio = f"{verdict.cpu_ratio:.2f}" if verdict.cpu_ratio is not None else "–"
        lines.append(
            f"{_label(verdict.operation):24} {_ms(verdict.p95_small_ms, 13)} {_ms(verdict.p95_large_ms, 14)} "
            f"{ratio:>6} {cpu_ratio:>9}  {_met(verdict.p95_met):>13}  {_met(verdict.ratio_met):>10}"
        )
    lines += ["", *summary(verdicts, large, small)]
    slow = missed(verdicts)
    shown = [r for r in results if r.operation in slow and r.plans]
    if shown:
        lines += [
            "",
            "plans of the slowest request of each operation that misses a target (--explain: in full):",
        ]
    for result in shown:
        lines.append(
            f"  {_label(result.operation)} at {result.size:,}, {result.sql_variant!r}: "
            f"{plan_summary(result.plans[0])}"
        )
    return lines


def summary(verdicts: Sequence[Verdict], large: int, small: int) -> list[str]:
    """The verdicts in words."""
    slow = [_label(v.operation) for v in verdicts if not v.p95_met]
    growing = [_label(v.operation) for v in verdicts if v.ratio_met is False]
    lines = [
        f"p95 under {P95_TARGET_MS:.0f} ms at {large:,} companies: "
        + ("met by every operation" if not slow else f"MISSED by {'; '.join(slow)}"),
    ]
    if any(v.ratio is not None for v in verdicts):
        lines.append(
            f"p95 at {large:,} ÷ p95 at {small:,} under {RATIO_TARGET:g}: "
            + ("met by every operation" if not growing else f"MISSED by {'; '.join(growing)}")
        )
    return lines


def missed(verdicts: Sequence[Verdict]) -> set[str]:
    """The operations that miss a target."""
    return {v.operation for v in verdicts if not v.p95_met or v.ratio_met is False}


_PLAN_NODE = re.compile(
    r"^\s*(?:->\s+)?(.+?)\s+\(cost=[^)]*\)\s+\(actual time=[\d.]+\.\.([\d.]+) rows=([\d.]+) loops=(\d+)\)"
)


def plan_summary(plan: Sequence[str]) -> str:
    """The nodes of an EXPLAIN ANALYZE plan in one line: name, rows (per loop) and when they end (ms)."""
    nodes = []
    for line in plan:
        found = _PLAN_NODE.match(line)
        if found:
            name, ends, rows, loops = found.groups()
            times = f" × {loops} loops" if loops != "1" else ""
            nodes.append(f"{name} ({float(rows):,.0f} rows{times}, {float(ends):.1f} ms)")
    return " → ".join(nodes)


def plan_lines(results: Sequence[OpResult], operations: set[str]) -> list[str]:
    """The EXPLAIN ANALYZE plans collected for `operations`, at every size."""
    lines = []
    for result in results:
        if result.operation not in operations or not result.plans:
            continue
        lines += [
            "",
            f"== {_label(result.operation)} at {result.size:,} companies, slowest request "
            f"{result.sql_variant!r}: the main statement",
            f"   in short: {plan_summary(result.plans[0])}",
            *result.plans[0],
        ]
        lines += [f"   (+ a loader statement, {other[-1].strip()})" for other in result.plans[1:]]
    return lines


# --- requests ---------------------------------------------------------------------------------------------


def _list_path(**params: str | int) -> str:
    return "/v1/companies?" + urlencode({"limit": PAGE_LIMIT, **params})


def deep_cursor(client: httpx.Client, page: int) -> tuple[str | None, int, uuid.UUID | None]:
    """Follow `next_cursor` to `page` (or the last page): (its cursor, the page reached, the id before it)."""
    cursor: str | None = None
    reached, before = 1, None
    while reached < page:
        response = client.get(_list_path(cursor=cursor) if cursor else _list_path())
        response.raise_for_status()
        body = response.json()
        if body["next_cursor"] is None:
            break
        cursor, before, reached = body["next_cursor"], uuid.UUID(body["items"][-1]["id"]), reached + 1
    return cursor, reached, before


def plan_requests(
    size: int, count: int, deep: str | None, rng: random.Random, seed: int = registry_data.DEFAULT_SEED
) -> dict[str, list[Request]]:
    """`count` requests of every operation: random existing ids, the first page, the deep page, and the
    search queries in turn."""
    deep_path = _list_path(cursor=deep) if deep else _list_path()
    plans = {
        "get": [
            Request("get", "id", f"/v1/companies/{registry_data.company_id(rng.randrange(size), seed)}")
            for _ in range(count)
        ],
        "list_first": [Request("list_first", "first", _list_path())] * count,
        "list_deep": [Request("list_deep", "deep", deep_path)] * count,
    }
    for operation, queries in registry_data.SEARCH_QUERIES.items():
        plans[operation] = [
            Request(operation, queries[turn % len(queries)], _list_path(q=queries[turn % len(queries)]))
            for turn in range(count)
        ]
    return plans


def send(client: httpx.Client, request: Request) -> Sample:
    """Send one request and time it (the answer must be 200)."""
    started = time.perf_counter()
    response = client.get(request.path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{request.path} answered {response.status_code}: {response.text[:300]}")
    body = response.json()
    items = len(body["items"]) if "items" in body else 1
    return Sample(request.operation, request.variant, elapsed, items)


@dataclass
class CpuUse:
    """CPU time the registry process and its PostgreSQL backends spent on an operation's requests."""

    requests: int = 0
    registry_s: float = 0.0
    database_s: float | None = 0.0  # None when the backends are not local processes

    def add(self, requests: int, registry_s: float, database_s: float | None) -> None:
        """Count one block of requests."""
        self.requests += requests
        self.registry_s += registry_s
        self.database_s = (
            None if database_s is None or self.database_s is None else self.database_s + database_s
        )


class CpuMeter:
    """Reads the CPU time of the registry process and of its database sessions' backends (Linux /proc)."""

    def __init__(self, registry_pid: int, registry_url: str) -> None:
        self.registry_pid = registry_pid
        self.registry_url = registry_url

    def backends(self) -> list[int]:
        """The PostgreSQL backends serving the registry's pool now (local processes only)."""
        return [pid for pid in asyncio.run(_backend_pids(self.registry_url)) if Path(f"/proc/{pid}").exists()]

    def read(self, backends: Sequence[int]) -> tuple[float, float | None]:
        """CPU seconds used so far: (the registry process, the backends; None without local backends)."""
        return cpu_seconds([self.registry_pid]), cpu_seconds(backends) if backends else None


async def _backend_pids(url: str) -> list[int]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT pid FROM pg_stat_activity WHERE usename = current_user AND pid <> pg_backend_pid() "
            "AND datname = current_database() AND backend_type = 'client backend'"
        )
        return [int(row["pid"]) for row in rows]
    finally:
        await connection.close()


def blocks(requests: Sequence[Request], rounds: int) -> list[Sequence[Request]]:
    """`requests` cut into `rounds` consecutive blocks of (nearly) equal length."""
    return [requests[len(requests) * r // rounds : len(requests) * (r + 1) // rounds] for r in range(rounds)]


def measure(
    client: httpx.Client, plans: dict[str, list[Request]], warmup: int, rounds: int, meter: CpuMeter | None
) -> tuple[list[Sample], dict[str, CpuUse]]:
    """Warm every operation up with its first `warmup` requests (not kept), then send the rest one operation
    at a time, in `rounds` rounds (so that a busy moment of the machine does not fall on one operation only),
    metering the CPU time of each block."""
    for plan in plans.values():
        for request in plan[:warmup]:
            send(client, request)
    samples: list[Sample] = []
    cpu = {operation: CpuUse() for operation in plans}
    measured = {operation: blocks(plan[warmup:], rounds) for operation, plan in plans.items()}
    for round_ in range(rounds):
        for operation, cut in measured.items():
            backends = meter.backends() if meter else []
            before = meter.read(backends) if meter else (0.0, None)
            samples += [send(client, request) for request in cut[round_]]
            after = meter.read(backends) if meter else (0.0, None)
            database = after[1] - before[1] if after[1] is not None and before[1] is not None else None
            cpu[operation].add(len(cut[round_]), after[0] - before[0], database)
    return samples, cpu


# --- the database side: matches and plans ------------------------------------------------------------------


def search_of(query: str) -> SearchQuery:
    """The search the registry runs for `q=query` (as `registry.companies.service` builds it)."""
    return SearchQuery(text=fold(query), key=duplicate_key(query), grams=short_query_grams(query))


class StatementRecorder:
    """Stands in for the asyncpg connection a served read runs on (`registry.companies.repository`'s
    `company_body`, `list_bodies`, `search_bodies`), keeping each statement instead of running it."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, tuple[Any, ...]]] = []

    async def fetch(self, sql: str, *arguments: Any) -> list[Any]:
        self.statements.append((sql, arguments))
        return []

    async def fetchrow(self, sql: str, *arguments: Any) -> None:
        self.statements.append((sql, arguments))


async def explain(
    connection: AsyncConnection, call: Callable[[Any], Awaitable[object]]
) -> tuple[float, list[list[str]]]:
    """The statements `call` (a served read) sends, each run under EXPLAIN (ANALYZE, BUFFERS):
    (their total execution time in ms, their plans)."""
    recorder = StatementRecorder()
    await call(recorder)
    driver: Any = (await connection.get_raw_connection()).driver_connection
    total, plans = 0.0, []
    for statement, arguments in recorder.statements:
        rows = await driver.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", *arguments)
        lines = [str(row[0]) for row in rows]
        total += next(
            (float(line.split(":")[1].split()[0]) for line in lines if line.startswith("Execution Time")), 0.0
        )
        plans.append(lines)
    await connection.rollback()
    return total, plans


async def count_matches(connection: AsyncConnection, query: str) -> int:
    """Active companies a search for `query` matches (before the first page is cut)."""
    match, _ = repository._match_and_rank(search_of(query))
    counted = select(func.count()).select_from(Company).where(Company.status == "active", match)
    return int((await connection.execute(counted)).scalar_one())


def repository_call(
    result: OpResult, variant: str, deep_after: uuid.UUID | None
) -> Callable[[Any], Awaitable[object]]:
    """The repository call that answers the request `variant` of `result.operation` (one page more, as the
    service asks, to know whether there is a next page)."""
    filters, limit = CompanyFilters(), PAGE_LIMIT + 1
    if result.operation == "get":
        return lambda connection: repository.company_body(connection, uuid.UUID(variant))
    if result.operation in ("list_first", "list_deep"):
        after = deep_after if result.operation == "list_deep" else None
        return lambda connection: repository.list_bodies(
            connection, filters=filters, after_id=after, limit=limit
        )
    search = search_of(variant)
    return lambda connection: repository.search_bodies(
        connection, search=search, filters=filters, after=None, limit=limit
    )


async def database_facts(
    url: str, results: Sequence[OpResult], get_id: uuid.UUID, deep_after: uuid.UUID | None
) -> None:
    """Fill in the matches of every search query, and the plans of each operation's slowest variant."""
    engine = create_async_engine(asyncpg_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            for result in results:
                for variant in result.variants:
                    variant.matches = await count_matches(connection, variant.variant)
                await connection.rollback()
                if result.variants:
                    slowest = max(result.variants, key=lambda v: v.p50_ms).variant
                elif result.operation == "get":
                    slowest = str(get_id)
                else:
                    slowest = result.operation
                result.sql_variant = slowest
                result.sql_ms, result.plans = await explain(
                    connection, repository_call(result, slowest, deep_after)
                )
    finally:
        await engine.dispose()


# --- the platform -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def server(folder: Path, database_url: str | None) -> Iterator[str]:
    """A superuser URL: `--database-url`, `DATABASE_URL`, or an embedded PostgreSQL 18 for the run."""
    if database_url:
        yield database_url
        return
    with postgres(folder) as url:
        yield url


@contextlib.contextmanager
def registry(folder: Path, admin_url: str) -> Iterator[Stack]:
    """A fresh, migrated database (dropped afterwards) and the registry alone serving it on a free port."""
    database = f"plaza_bench_registry_{uuid.uuid4().hex[:10]}"
    stack = Stack.on_free_ports(admin_url, database, log_dir=folder / "logs")
    (folder / "logs").mkdir(exist_ok=True)
    try:
        stack.prepare()
        child = ChildProcess(
            "registry",
            "registry",
            stack.ports["registry"],
            stack.service_env("registry"),
            log_path=str(folder / "logs" / "registry.log"),
        )
        stack.children.append(child)
        child.start()
        child.wait_ready(60)
        yield stack
    finally:
        stack.stop()
        asyncio.run(_drop_database(admin_url, database))


async def server_version(url: str) -> str:
    """PostgreSQL's version string, short."""
    engine = create_async_engine(asyncpg_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return str((await connection.exec_driver_sql("SHOW server_version")).scalar_one())
    finally:
        await engine.dispose()


# --- main -------------------------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    """'10000,100000' → [10000, 100000] (sorted, unique, positive)."""
    sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes are positive numbers, e.g. 10000,100000")
    return sizes


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="./plaza bench registry", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="registry sizes to measure, ascending; each adds companies to the previous "
        "(default 10000,100000)",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=DEFAULT_REQUESTS,
        help=f"measured requests per operation and size (default {DEFAULT_REQUESTS})",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=DEFAULT_WARMUP,
        help=f"warm-up requests per operation (default {DEFAULT_WARMUP})",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="superuser URL of a PostgreSQL server to use (a scratch database is created and dropped); "
        "default: DATABASE_URL, else an embedded PostgreSQL 18",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=DEFAULT_ROUNDS,
        help="each operation's requests go in this many blocks, the operations taking turns "
        f"(default {DEFAULT_ROUNDS})",
    )
    parser.add_argument("--seed", type=int, default=registry_data.DEFAULT_SEED, help="data generator seed")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the EXPLAIN ANALYZE plans of operations that miss a target",
    )
    return parser.parse_args(argv)


def measure_size(
    client: httpx.Client, registry_url: str, size: int, args: argparse.Namespace, meter: CpuMeter | None
) -> list[OpResult]:
    """Every operation at the size loaded now, with the database facts."""
    cursor, page, deep_after = deep_cursor(client, DEEP_PAGE)
    rng = random.Random(f"{args.seed}:{size}")
    plans = plan_requests(size, args.requests + args.warmup, cursor, rng, args.seed)
    samples, cpu = measure(client, plans, args.warmup, args.rounds, meter)
    results = []
    for operation in OPERATIONS:
        result = summarise(size, operation.key, [s for s in samples if s.operation == operation.key])
        use = cpu[operation.key]
        if meter is not None and use.requests:
            result.registry_cpu_ms = use.registry_s * 1000 / use.requests
            if use.database_s is not None:
                result.database_cpu_ms = use.database_s * 1000 / use.requests
        if operation.key == "list_deep":
            result.page = page
        results.append(result)
    get_id = registry_data.company_id(rng.randrange(size), args.seed)
    asyncio.run(database_facts(registry_url, results, get_id, deep_after))
    return results


def machine_line() -> str:
    """What the figures were measured on."""
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f} at start; one uvicorn worker; sequential client"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print the figures; returns 0 (the verdicts are in the output)."""
    args = parse_args(argv)
    database_url = args.database_url or os.environ.get("DATABASE_URL")
    machine = machine_line()
    print(machine, flush=True)
    results: list[OpResult] = []
    with (
        tempfile.TemporaryDirectory(prefix="plaza-bench-registry-") as scratch,
        server(Path(scratch), database_url) as admin_url,
        registry(Path(scratch), admin_url) as stack,
    ):
        version = asyncio.run(server_version(admin_url))
        print(f"PostgreSQL {version}; registry at {stack.child('registry').base_url}", flush=True)
        registry_url = stack.database_url("registry")
        token = bench_identity(stack, uuid.uuid4(), ttl_seconds=24 * 3600)
        headers = {IDENTITY_HEADER: token}
        loaded = 0
        process = stack.child("registry").process
        meter = CpuMeter(process.pid, registry_url) if process and sys.platform == "linux" else None
        with httpx.Client(base_url=stack.child("registry").base_url, headers=headers, timeout=60) as client:
            for size in args.sizes:
                started = time.monotonic()
                asyncio.run(registry_data.load(registry_url, loaded, size, seed=args.seed))
                print(
                    f"loaded companies {loaded:,}–{size:,} in {time.monotonic() - started:.0f} s; measuring…",
                    flush=True,
                )
                loaded = size
                started = time.monotonic()
                results += measure_size(client, registry_url, size, args, meter)
                print(f"  measured {size:,} in {time.monotonic() - started:.0f} s", flush=True)
    verdicts = judge(results)
    lines = [machine, f"PostgreSQL {version}", "", *report(results, verdicts)]
    print("\n".join(lines[2:]), flush=True)
    if args.explain:
        slow = missed(verdicts)
        plans = plan_lines(results, slow) if slow else ["", "(every target met: no plan to show)"]
        print("\n".join(plans), flush=True)
    save(results, verdicts, lines, args)
    return 0


def save(
    results: Sequence[OpResult], verdicts: Sequence[Verdict], lines: list[str], args: argparse.Namespace
) -> None:
    """Keep the run as JSON under bench/results/ (ignored by git)."""
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"registry-{stamp}.json"
    options = {key: value for key, value in vars(args).items() if key != "database_url"}
    document = {
        "options": options,
        "targets": {"p95_ms": P95_TARGET_MS, "ratio": RATIO_TARGET},
        "results": [asdict(result) for result in results],
        "verdicts": [{**asdict(v), "p95_met": v.p95_met, "ratio_met": v.ratio_met} for v in verdicts],
        "report": lines,
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False))
    print(f"saved {path.relative_to(RESULTS_DIR.parent.parent)}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
