"""`./plaza bench investment`: the reports and the lead list over 5,000 and then 50,000 generated leads.

One run starts the platform (`plaza_dev.Stack` on free ports, one uvicorn worker per process, an embedded
PostgreSQL unless `DATABASE_URL` / `--database-url` is set; the database is dropped afterwards), gives the
demo KOTRA client a rate limit that never refuses, and writes a generated book (`bench/investment_data.py`:
5,000 leads with their transition logs, shares, frozen signing rates and 50,000 activities, owned by eight
organisations, KOTRA's own and shared with it about a third) straight into the investment schema with COPY.
It then measures, through the gateway with KOTRA's key, at `--connections` (default 1) for
`--read-seconds` each after a warm-up:

* the pipeline report (`GET /v1/reports/pipeline`, rotating currency and `include_closed`),
* the funnel report (`GET /v1/reports/funnel`, all pipelines and one at a time),
* the per-event report (`GET /v1/reports/events`, rotating currency),
* a filtered lead list (`GET /v1/leads?…&limit=50`: by stage, event, company, status and deal type in turn).

Then it adds 45,000 leads and 450,000 activities (50,000 and 500,000 in all) and measures again. Printed:
p50/p95/p99 and requests per second of each read at each size, the p95 growth from 5,000 to 50,000, and
the targets: **every report p95 < 200 ms at 50,000 leads** and **p95 growth under 3×**. Results are saved as
JSON in bench/results/. Method and figures: bench/README.md.
"""

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench import investment_data
from bench.gateway import choose_limiter, postgres
from bench.investment_data import Book, BookSize
from bench.meetings import load_loop, machine_line, percentile
from bench.meetings import platform as meetings_platform
from plaza_contracts.demo import DEMO_ORGANISATIONS
from plaza_dev.stack import Stack

RESULTS_DIR = Path(__file__).resolve().parent / "results"
P95_TARGET_MS = 200.0  # every report's p95 at 50,000 leads, through the gateway
GROWTH_TARGET = 3.0  # p95 at 50,000 ÷ p95 at 5,000
REPORTS = ("pipeline", "funnel", "events")
KOTRA = DEMO_ORGANISATIONS["kotra"]
CURRENCIES = ("USD", "JPY", "KRW", "EUR")


@dataclass(frozen=True)
class Read:
    """A read and the paths it rotates over."""

    key: str
    label: str
    paths: list[str]


@dataclass
class ReadRun:
    """One measured run of one read at one size."""

    read: str
    leads: int
    connections: int
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    statuses: dict[int, int]
    socket_errors: int = 0

    @property
    def rps(self) -> float:
        """Requests a second."""
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def unexpected(self) -> int:
        """Answers other than 200, and socket errors."""
        return sum(n for status, n in self.statuses.items() if status != 200) + self.socket_errors


def read_paths(book: Book) -> list[Read]:
    """The four reads, each rotating over variants (currencies, pipelines, filters)."""
    pipeline = [
        f"/v1/reports/pipeline?currency={currency}&include_closed={closed}"
        for currency in CURRENCIES
        for closed in ("false", "true")
    ]
    funnel = ["/v1/reports/funnel"] + [
        f"/v1/reports/funnel?pipeline={p}" for p in ("trade", "joint_development", "equity")
    ]
    events = [f"/v1/reports/events?currency={currency}" for currency in CURRENCIES]
    leads = ["/v1/leads?stage=negotiating&limit=50", "/v1/leads?status=won&deal_type=export&limit=50"]
    leads += [f"/v1/leads?event_id={event}&limit=50" for event in book.event_ids[:10]]
    leads += [
        f"/v1/leads?company_id={company}&limit=50"
        for company in book.company_ids[:: max(1, len(book.company_ids) // 10)]
    ]
    leads += ["/v1/leads?hs_code=8507&status=open&limit=50", "/v1/leads?tag=priority&limit=50"]
    return [
        Read("pipeline", "GET /v1/reports/pipeline", pipeline),
        Read("funnel", "GET /v1/reports/funnel", funnel),
        Read("events", "GET /v1/reports/events", events),
        Read("lead_list", "GET /v1/leads?<filter>&limit=50", leads),
    ]  # fmt: skip


def measure(
    base_url: str, headers: Mapping[str, str], read: Read, *, leads: int, connections: int, seconds: float
) -> ReadRun:
    """One run of `read` (after the caller's warm-up): the aiohttp loop of `bench.meetings`."""
    started = time.monotonic()
    latencies, statuses, errors = asyncio.run(load_loop(base_url, read.paths, headers, connections, seconds))
    elapsed = time.monotonic() - started
    return ReadRun(
        read=read.key,
        leads=leads,
        connections=connections,
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=percentile(latencies, 50) if latencies else 0.0,
        p95_ms=percentile(latencies, 95) if latencies else 0.0,
        p99_ms=percentile(latencies, 99) if latencies else 0.0,
        statuses=dict(statuses),
        socket_errors=errors,
    )


def preflight(base_url: str, headers: Mapping[str, str], reads: Sequence[Read]) -> None:
    """Every path answers 200 (a report that fails would measure its error page)."""
    with httpx.Client(base_url=base_url, headers=dict(headers), timeout=60) as client:
        for read in reads:
            for path in read.paths:
                response = client.get(path)
                if response.status_code != 200:
                    raise RuntimeError(
                        f"{read.key}: {path} answered {response.status_code}: {response.text[:300]}"
                    )


def measure_size(
    base_url: str, headers: Mapping[str, str], reads: Sequence[Read], *, leads: int, args: argparse.Namespace
) -> list[ReadRun]:
    """Each read: a warm-up, then a measured run."""
    runs = []
    for read in reads:
        if args.warmup:
            measure(base_url, headers, read, leads=leads, connections=args.connections, seconds=args.warmup)
        run = measure(
            base_url, headers, read, leads=leads, connections=args.connections, seconds=args.read_seconds
        )
        print(
            f"  {leads:>7,} leads  {read.key:10} {run.requests:6,} requests  p50 {run.p50_ms:7.1f} ms  "
            f"p95 {run.p95_ms:7.1f} ms",
            flush=True,
        )
        runs.append(run)
    return runs


# --- what was stored -------------------------------------------------------------------------------


async def table_sizes(url: str) -> str:
    """How many rows each table of the book holds."""
    connection = await asyncpg.connect(url)
    try:
        counts = {
            table: await connection.fetchval(f"SELECT count(*) FROM investment.{table}")  # noqa: S608
            for table in investment_data.TABLE_ORDER
        }
    finally:
        await connection.close()
    return "rows: " + ", ".join(f"{table} {n:,}" for table, n in counts.items())


# --- report ---------------------------------------------------------------------------------------------


def report(runs: Sequence[ReadRun], sizes: Sequence[int]) -> list[str]:
    """The table, the growth and the verdicts."""
    columns = f"{'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    lines = [f"{'read':10} {'leads':>7} {'conn':>4} {columns}  answers"]
    for run in runs:
        answers = ", ".join(f"{n:,} × {status}" for status, n in sorted(run.statuses.items()))
        if run.socket_errors:
            answers += f", {run.socket_errors} socket errors!"
        lines.append(
            f"{run.read:10} {run.leads:>7,} {run.connections:>4} {run.rps:7,.1f} {run.p50_ms:7.1f} "
            f"{run.p95_ms:7.1f} {run.p99_ms:7.1f}  {answers}"
        )
    lines.append("")
    small, large = min(sizes), max(sizes)
    found = {(run.read, run.leads): run for run in runs}
    for key in dict.fromkeys(run.read for run in runs):
        before, after = found.get((key, small)), found.get((key, large))
        if before is None or after is None:
            continue
        growth = after.p95_ms / max(before.p95_ms, 1e-9)
        text = (
            f"{key}: p95 {before.p95_ms:.1f} ms @{small:,} → {after.p95_ms:.1f} ms @{large:,} (×{growth:.2f})"
        )
        if key in REPORTS:
            p95 = "met" if after.p95_ms < P95_TARGET_MS else "MISSED"
            grown = "met" if growth < GROWTH_TARGET else "MISSED"
            text += f"; p95 < {P95_TARGET_MS:.0f} ms: {p95}; growth < {GROWTH_TARGET:.0f}×: {grown}"
        lines.append(text)
    return lines


def failures(runs: Sequence[ReadRun]) -> list[str]:
    """Why the run failed (empty when it did not)."""
    return [
        f"{run.read} @{run.leads:,}: {run.unexpected:,} answers other than 200"
        for run in runs
        if run.unexpected
    ]


# --- the platform ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def platform(folder: Path, admin_url: str, redis_url: str | None, redis_prefix: str) -> Iterator[Stack]:
    """The meetings bench's platform (services and gateway on free ports, a fresh database, the KOTRA client
    allowed BENCH_LIMIT), over a database of its own name."""
    with meetings_platform(
        folder, admin_url, redis_url, redis_prefix, database_prefix="plaza_bench_investment"
    ) as stack:
        yield stack


# --- main -----------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="./plaza bench investment", description=__doc__.split("\n\n")[0])
    parser.add_argument("--read-seconds", type=float, default=10, help="each measured run, s (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up per read, s (default 2)")
    parser.add_argument("--connections", type=int, default=1, help="concurrent clients (default 1)")
    parser.add_argument("--tiny", action="store_true", help="a tiny book (a smoke run, figures meaningless)")
    parser.add_argument("--seed", type=int, default=investment_data.DEFAULT_SEED, help="data generator seed")
    parser.add_argument(
        "--database-url",
        default=None,
        help="superuser URL of a PostgreSQL server (a scratch database is created and dropped); default: "
        "DATABASE_URL, else an embedded PostgreSQL",
    )
    parser.add_argument("--limiter", choices=("auto", "redis", "local"), default="auto")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="Redis for the limiter")
    return parser.parse_args(argv)


def batches(tiny: bool) -> list[tuple[int, BookSize]]:
    """(first lead number, size) of each batch: 5,000 leads, then 45,000 more (tiny: 120, then 1,080)."""
    if tiny:
        first = investment_data.TINY
        return [(0, first), (first.leads, BookSize(**{**asdict(first), "leads": 1_080, "activities": 5_400}))]
    small = investment_data.SMALL
    return [(0, small), (small.leads, BookSize(leads=45_000, activities=450_000))]


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print the figures; 1 when a read answered anything but 200."""
    args = parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    limiter = choose_limiter(args.limiter, args.redis_url)
    redis_prefix = f"plaza:bench:{uuid.uuid4().hex[:10]}:"
    machine = machine_line()
    print(machine, flush=True)
    notes: list[str] = [f"gateway rate limiter: {limiter.name} ({limiter.why}); reads: aiohttp loop"]
    runs: list[ReadRun] = []
    sizes: list[int] = []
    explained: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="plaza-bench-investment-") as scratch,
        postgres(Path(scratch)) as admin_url,
        platform(Path(scratch), admin_url, limiter.url, redis_prefix) as stack,
    ):
        url = stack.database_url("investment")
        headers = {"X-API-Key": stack.key("kotra")}
        total = 0
        reads: list[Read] = []
        for first, size in batches(args.tiny):
            started = time.monotonic()
            book = investment_data.generate(size, args.seed, first=first)
            generated = time.monotonic() - started
            loaded = asyncio.run(investment_data.load(url, book))
            total += size.leads
            sizes.append(total)
            notes.append(
                f"{total:,} leads: generated in {generated:.1f} s, written in {loaded.seconds:.1f} s: "
                + ", ".join(f"{table} {n:,}" for table, n in loaded.counts.items())
            )
            print(notes[-1], flush=True)
            reads = reads or read_paths(book)
            preflight(stack.gateway_url, headers, reads)
            runs += measure_size(stack.gateway_url, headers, reads, leads=total, args=args)
        explained = [asyncio.run(table_sizes(url))]
    lines = [machine, *notes, "", *report(runs, sizes), "", *explained]
    found = failures(runs)
    lines.append("RUN FAILED: " + "; ".join(found) if found else "Every read answered 200.")
    print("\n".join(["", *lines]), flush=True)
    save(runs, lines, args)
    return 1 if found else 0


def save(runs: Sequence[ReadRun], lines: list[str], args: argparse.Namespace) -> None:
    """Keep the run as JSON under bench/results/ (ignored by git)."""
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"investment-{stamp}.json"
    options = {key: value for key, value in vars(args).items() if key != "database_url"}
    document: dict[str, Any] = {
        "options": options,
        "targets": {"p95_ms": P95_TARGET_MS, "growth": GROWTH_TARGET},
        "reads": [{**asdict(run), "rps": run.rps} for run in runs],
        "report": lines,
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str))
    print(f"saved {path.relative_to(RESULTS_DIR.parent.parent)}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
