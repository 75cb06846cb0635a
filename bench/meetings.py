"""`./plaza bench meetings`: the meetings service on a generated trade show, read and booked via the gateway.

One run starts the platform (`plaza_dev.Stack` on free ports, one uvicorn worker per process, an embedded
PostgreSQL unless `DATABASE_URL` / `--database-url` is set; the database is dropped afterwards), gives the
demo KOTRA client a rate limit that never refuses (1,000,000 a minute, burst 100,000, still taken on every
request), and writes a generated trade show (`bench/meetings_data.py`: 300 exhibitors with fixed tables,
1,500 visitors, 16 slots, 5,000 meetings with their slot claims, interpreters, 1,500 open requests) straight
into the meetings schema, organised by KOTRA. `meetings.integrity.problems_of` must find nothing wrong
before anything is measured. It then measures:

* **Reads**, through the gateway with the KOTRA key and, as the baseline, directly against the meetings
  service with the identity token the gateway would mint: "my meetings" of a person
  (`GET /v1/meetings?registration_id=…&event_id=…`), a company's calendar feed (`GET /v1/calendar/{token}
  .ics`, feeds created through `POST /v1/events/{id}/calendar-feeds` as the organiser), and
  `GET /v1/events/{id}/requests/{id}/available-slots`. Each read rotates over many people, companies or
  requests (a wrk Lua script; an aiohttp loop when wrk is missing): a warm-up, then `--read-seconds` at 1
  and at 32 connections. Printed: requests/s, p50/p95/p99, CPU per request of the meetings process, the
  gateway and the (embedded) PostgreSQL server, gateway ÷ direct, and the target: **p95 < 50 ms at 32
  connections**. Before that, `bench/meetings_profile.py` shows where a read's time goes (its statements
  under EXPLAIN ANALYZE, cProfile of the app in process; `--no-profile` skips it).
* **Booking under contention**: 32 clients for `--seconds` (30) through the gateway, accepting open
  requests into random slots (`POST /v1/events/{id}/requests/{id}/accept`) and moving meetings
  (`POST /v1/meetings/{id}/reschedule`), all competing for the same exhibitors, visitors, tables and
  interpreters. Printed: bookings and moves per second, 409s per second by kind, any other status (a 5xx
  fails the run), the deadlocks PostgreSQL detected, and afterwards `problems_of` again: **double
  bookings: 0**, or the run fails.

Results are saved as JSON in bench/results/. Method and figures: bench/README.md.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import asyncpg
import httpx
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bench import meetings_data, meetings_profile
from bench.gateway import _drop_database, choose_limiter, postgres
from bench.meetings_data import ShowSize, TradeShow
from bench.tools import cpu_seconds, machine_ticks, machine_usage, process_tree, redis_forget, tool_path
from gateway.demo import PARTNER_SCOPES
from gateway.ratelimit import RateLimit
from meetings.integrity import problems_of
from plaza_contracts.demo import DEMO_ORGANISATIONS
from plaza_dev.keys import GATEWAY_ISSUER
from plaza_dev.stack import Stack
from plaza_kit.identity import IDENTITY_HEADER, IdentitySigner, Principal
from plaza_kit.settings import asyncpg_url

RESULTS_DIR = Path(__file__).resolve().parent / "results"
P95_TARGET_MS = 50.0  # every read's p95 at 32 connections, through the gateway
CONNECTIONS = (1, 32)
DEFAULT_READ_SECONDS = 5
DEFAULT_WARMUP = 1
DEFAULT_SECONDS = 30
DEFAULT_CLIENTS = 32
DEFAULT_FEEDS = 100
PEOPLE_READ = 600  # people whose "my meetings" are read in turn
ACCEPT_SHARE = 0.5  # contention: share of accepts among the operations (the rest are moves)
KOTRA = DEMO_ORGANISATIONS["kotra"]
# The KOTRA client's limit for the bench: the admin API's maxima, far above what one gateway worker serves,
# so the bucket never runs dry but is taken from on every request (as in `./plaza bench gateway`).
BENCH_LIMIT = RateLimit(rate_per_minute=1_000_000, burst=100_000)
PUBLIC_LIMIT_ENV = {"GATEWAY_PUBLIC_RATE_PER_MINUTE": "1000000", "GATEWAY_PUBLIC_BURST": "100000"}


@dataclass(frozen=True)
class Read:
    """A read, and the paths it rotates over."""

    key: str
    label: str
    paths: list[str]
    keyed: bool = True  # sends the caller's credentials (the calendar feed: none, its URL is the secret)


@dataclass(frozen=True)
class Target:
    """Where reads go: the meetings service directly (the baseline) or the gateway."""

    key: str
    label: str
    base_url: str
    headers: Mapping[str, str]
    pid: int | None = None  # the proxy's process (the gateway), for its CPU per request


@dataclass
class ReadRun:
    """One measured run of one read on one target at one concurrency."""

    read: str
    target: str
    connections: int
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    statuses: dict[int, int]
    socket_errors: int = 0
    meetings_cpu_ms: float | None = None  # CPU per request: the meetings process
    gateway_cpu_ms: float | None = None  # the gateway process (gateway target only)
    database_cpu_ms: float | None = None  # the whole PostgreSQL server (only when it is the bench's own)

    @property
    def rps(self) -> float:
        """Requests a second."""
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def unexpected(self) -> int:
        """Answers other than 200, and socket errors."""
        return sum(n for status, n in self.statuses.items() if status != 200) + self.socket_errors


# --- what is read -----------------------------------------------------------------------------------------


def read_paths(show: TradeShow, feed_paths: Sequence[str], seed: int) -> list[Read]:
    """The three reads, each over many subjects in a fixed shuffled order: people who have meetings
    (exhibitors' staff, visitors, interpreters), the feeds created, every open request."""
    rng = random.Random(f"{seed}:reads")
    people = sorted({person for meeting in show.meetings for person in meeting.people})
    chosen = rng.sample(people, min(PEOPLE_READ, len(people)))
    requests = [request.id for request in show.requests]
    rng.shuffle(requests)
    event = show.event_id
    reads = [
        Read(
            "my_meetings",
            'GET /v1/meetings?registration_id=… ("my meetings")',
            [f"/v1/meetings?registration_id={person}&event_id={event}" for person in chosen],
        ),
        Read(
            "available_slots",
            "GET …/requests/{id}/available-slots",
            [f"/v1/events/{event}/requests/{request}/available-slots" for request in requests],
        ),
    ]
    if feed_paths:
        reads.insert(1, Read("calendar", "GET /v1/calendar/{token}.ics (a company)", list(feed_paths), False))
    return reads


def lua_script(paths: Sequence[str]) -> str:
    """A wrk script sending `paths` in turn and counting statuses; `done` prints one JSON line (`@@…`)."""
    listed = ",\n".join(f'  "{path}"' for path in paths)
    if any('"' in path or "\\" in path for path in paths):
        raise ValueError("paths must not contain quotes or backslashes")
    return f"""local paths = {{
{listed}
}}
local threads = {{}}
local counter = 0
statuses = {{}}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {{}}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {{}}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d":%d', status, n))
  end
  io.write(string.format(
    '\\n@@{{"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,'
    .. '"connect":%d,"read":%d,"write":%d,"timeout":%d,"statuses":{{%s}}}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, table.concat(parts, ",")))
end
"""


# --- measuring reads --------------------------------------------------------------------------------------


class Meters:
    """CPU time of the meetings process, the gateway, and the whole PostgreSQL server when it is ours alone
    (the embedded one): its processes now plus the backends that exited (the postmaster's reaped children),
    so the pool opening and closing overflow connections under load loses nothing."""

    def __init__(self, meetings_pid: int | None, postmaster_pid: int | None) -> None:
        self.meetings_pid = meetings_pid
        self.postmaster_pid = postmaster_pid

    def read(self, proxy_pid: int | None) -> tuple[float, float, float]:
        """CPU seconds used so far: (meetings, proxy, database server)."""
        return (
            cpu_seconds([self.meetings_pid]) if self.meetings_pid else 0.0,
            cpu_seconds([proxy_pid]) if proxy_pid else 0.0,
            server_cpu_seconds(self.postmaster_pid) if self.postmaster_pid else 0.0,
        )


def server_cpu_seconds(postmaster_pid: int) -> float:
    """User + system CPU of a PostgreSQL server: its live processes, and the children it has reaped."""
    ticks = os.sysconf("SC_CLK_TCK")
    reaped = 0.0
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{postmaster_pid}/stat").read_text().rsplit(")", 1)[1].split()
        reaped = (int(fields[13]) + int(fields[14])) / ticks  # cutime, cstime (fields 16 and 17)
    return cpu_seconds(process_tree(postmaster_pid)) + reaped


async def _parent_of_backend(url: str) -> int | None:
    connection = await asyncpg.connect(url)
    try:
        backend = int(await connection.fetchval("SELECT pg_backend_pid()"))
        with contextlib.suppress(OSError, ValueError, IndexError):  # read while the backend lives
            stat = await asyncio.to_thread(Path(f"/proc/{backend}/stat").read_text)
            return int(stat.rsplit(")", 1)[1].split()[1])
        return None
    finally:
        await connection.close()


def postmaster_of(url: str) -> int | None:
    """The pid of the server's postmaster, when the server runs on this machine (a backend's parent)."""
    return asyncio.run(_parent_of_backend(url))


def _per_request(used: float, requests: int) -> float:
    return used * 1000 / max(requests, 1)


WRK_TIMEOUT_S = 30  # a slow answer is a latency, not a socket error (wrk's default gives up after 2 s)


def wrk(url: str, headers: Mapping[str, str], connections: int, seconds: int, script: Path) -> dict[str, Any]:
    """One wrk run (one thread: on two cores a second would only steal from the servers); its `@@` report."""
    command = [tool_path("wrk"), "-t1", f"-c{connections}", f"-d{seconds}s", f"--timeout={WRK_TIMEOUT_S}s"]
    command += ["-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], check=True, capture_output=True, text=True, timeout=seconds + WRK_TIMEOUT_S + 30
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("@@"))
    report: dict[str, Any] = json.loads(line[2:])
    return report


def wait_idle(pid: int | None, timeout: float = 120.0) -> None:
    """Until the process has answered what is still queued (a run's last requests, a warm-up's): at most
    10 ms of CPU in a quarter second."""
    if pid is None:
        return
    deadline = time.monotonic() + timeout
    last = cpu_seconds([pid])
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = cpu_seconds([pid])
        if now - last < 0.01:
            return
        last = now


def run_wrk(
    read: Read, target: Target, connections: int, seconds: int, script: Path, meters: Meters
) -> ReadRun:
    """One wrk run (one thread) of `read` on `target`."""
    headers = dict(target.headers) if read.keyed else {}
    before = meters.read(target.pid)
    report = wrk(target.base_url + read.paths[0], headers, connections, seconds, script)
    after = meters.read(target.pid)
    requests = int(report["requests"])
    return ReadRun(
        read=read.key,
        target=target.key,
        connections=connections,
        requests=requests,
        seconds=report["duration_us"] / 1e6,
        p50_ms=report["p50_us"] / 1000,
        p95_ms=report["p95_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        statuses={int(status): int(n) for status, n in report["statuses"].items()},
        socket_errors=sum(int(report[kind]) for kind in ("connect", "read", "write", "timeout")),
        meetings_cpu_ms=_per_request(after[0] - before[0], requests) if meters.meetings_pid else None,
        gateway_cpu_ms=_per_request(after[1] - before[1], requests) if target.pid else None,
        database_cpu_ms=_per_request(after[2] - before[2], requests) if meters.postmaster_pid else None,
    )


async def load_loop(
    base_url: str, paths: Sequence[str], headers: Mapping[str, str], connections: int, seconds: float
) -> tuple[list[float], Counter[int], int]:
    """`connections` keep-alive aiohttp clients sending `paths` in turn for `seconds` (when wrk is missing):
    (latencies in ms, statuses, socket errors)."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    errors = 0
    counter = iter(range(sys.maxsize))
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(base_url, headers=dict(headers), connector=connector) as session:

        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < deadline:
                path = paths[next(counter) % len(paths)]
                started = time.perf_counter()
                try:
                    async with session.get(path) as response:
                        await response.read()
                        statuses[response.status] += 1
                except aiohttp.ClientError:
                    errors += 1
                    continue
                latencies.append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*(worker() for _ in range(connections)))
    return latencies, statuses, errors


def run_loop(read: Read, target: Target, connections: int, seconds: int, meters: Meters) -> ReadRun:
    """One aiohttp-loop run of `read` on `target` (the same figures as `run_wrk`)."""
    headers = dict(target.headers) if read.keyed else {}
    before, started = meters.read(target.pid), time.monotonic()
    latencies, statuses, errors = asyncio.run(
        load_loop(target.base_url, read.paths, headers, connections, seconds)
    )
    elapsed, after = time.monotonic() - started, meters.read(target.pid)
    requests = len(latencies)
    return ReadRun(
        read=read.key,
        target=target.key,
        connections=connections,
        requests=requests,
        seconds=elapsed,
        p50_ms=percentile(latencies, 50) if latencies else 0.0,
        p95_ms=percentile(latencies, 95) if latencies else 0.0,
        p99_ms=percentile(latencies, 99) if latencies else 0.0,
        statuses=dict(statuses),
        socket_errors=errors,
        meetings_cpu_ms=_per_request(after[0] - before[0], requests) if meters.meetings_pid else None,
        gateway_cpu_ms=_per_request(after[1] - before[1], requests) if target.pid else None,
        database_cpu_ms=_per_request(after[2] - before[2], requests) if meters.postmaster_pid else None,
    )


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100), linear between the closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def preflight(reads: Sequence[Read], targets: Sequence[Target]) -> None:
    """Every read answers 200 on every target, and the same body through the gateway as directly."""
    for read in reads:
        for path in read.paths[:3]:
            bodies = []
            for target in targets:
                headers = dict(target.headers) if read.keyed else {}
                response = httpx.get(target.base_url + path, headers=headers, timeout=30)
                if response.status_code != 200:
                    raise RuntimeError(
                        f"{read.key} on {target.key}: {path} answered {response.status_code}: "
                        f"{response.text[:300]}"
                    )
                bodies.append(response.content)
            if read.keyed and len(set(bodies)) > 1:
                raise RuntimeError(f"{read.key}: {path} answers differently through the gateway")


def measure_reads(
    reads: Sequence[Read],
    targets: Sequence[Target],
    *,
    seconds: int,
    warmup: int,
    folder: Path,
    meters: Meters,
    use_wrk: bool,
) -> list[ReadRun]:
    """Per read, the targets in turn: a warm-up at 32 connections, then a run at each concurrency."""
    runs = []
    for read in reads:
        script = folder / f"{read.key}.lua"
        script.write_text(lua_script(read.paths))
        for target in targets:
            print(f"  {read.key:16} {target.key:8}", end="", flush=True)
            if warmup:
                if use_wrk:
                    run_wrk(read, target, max(CONNECTIONS), warmup, script, meters)
                else:
                    run_loop(read, target, max(CONNECTIONS), warmup, meters)
            for connections in CONNECTIONS:
                wait_idle(meters.meetings_pid)
                if use_wrk:
                    run = run_wrk(read, target, connections, seconds, script, meters)
                else:
                    run = run_loop(read, target, connections, seconds, meters)
                runs.append(run)
                print(
                    f"  c={connections}: {run.rps:6,.0f} req/s p95 {run.p95_ms:7.1f} ms", end="", flush=True
                )
            print(flush=True)
    return runs


# --- booking under contention ------------------------------------------------------------------------------


@dataclass
class Contention:
    """What the contention phase did."""

    clients: int
    seconds: float
    accepts: int = 0
    booked: int = 0  # accepts that booked a meeting
    moves: int = 0
    moved: int = 0
    conflicts: Counter[str] = field(default_factory=Counter)  # 409s by kind
    others: Counter[str] = field(default_factory=Counter)  # any other answer: "operation status"
    failures: int = 0  # 5xx answers and transport errors
    errors: list[str] = field(default_factory=list)  # the first few of those, in full
    accept_ms: list[float] = field(default_factory=list)
    move_ms: list[float] = field(default_factory=list)
    deadlocks: int | None = None  # PostgreSQL's count for the database during the phase

    def summary(self) -> dict[str, Any]:
        """The figures, for the saved JSON."""
        return {
            "clients": self.clients,
            "seconds": self.seconds,
            "accepts": self.accepts,
            "booked": self.booked,
            "moves": self.moves,
            "moved": self.moved,
            "conflicts": dict(self.conflicts),
            "others": dict(self.others),
            "failures": self.failures,
            "deadlocks": self.deadlocks,
            "errors": self.errors,
            "accept_p50_ms": percentile(self.accept_ms, 50) if self.accept_ms else None,
            "accept_p95_ms": percentile(self.accept_ms, 95) if self.accept_ms else None,
            "move_p50_ms": percentile(self.move_ms, 50) if self.move_ms else None,
            "move_p95_ms": percentile(self.move_ms, 95) if self.move_ms else None,
        }


def conflict_kind(body: Any) -> str:
    """A 409 problem's kind: its type's last segment, with the request's status when it was no longer open
    (`conflict: request accepted` — another client accepted it first)."""
    if not isinstance(body, dict):
        return "conflict"
    kind = str(body.get("type", "conflict")).rstrip("/").rsplit("/", 1)[-1] or "conflict"
    # The service names the request's status in an extension called `status`, which replaces the problem's
    # own (HTTP) `status` member: a string there is the request's status.
    if isinstance(body.get("status"), str):
        return f"{kind}: request {body['status']}"
    return kind


@dataclass
class Workload:
    """What the contention clients pick from: open requests, movable meetings (and their slots)."""

    event_id: uuid.UUID
    slot_ids: list[uuid.UUID]
    open_requests: list[uuid.UUID]
    meetings: dict[uuid.UUID, uuid.UUID]  # meeting → its slot now

    @classmethod
    def of(cls, show: TradeShow) -> "Workload":
        """Every open request, and the meetings that can move: those of the hot exhibitors (half booked) and
        the visitor ↔ visitor ones (the other exhibitors are nearly full)."""
        movable = {m.id: show.slot_ids[m.slot] for m in show.meetings if m.b.hot or not m.b.exhibitor}
        return cls(show.event_id, list(show.slot_ids), [r.id for r in show.requests], movable)


async def contend(
    base_url: str, headers: Mapping[str, str], work: Workload, *, clients: int, seconds: float, seed: int
) -> Contention:
    """`clients` concurrent clients, each sending one operation after another for `seconds`: accept a random
    open request into a random slot, or move a random movable meeting to another random slot."""
    result = Contention(clients, seconds)
    rng = random.Random(f"{seed}:contention")
    deadline = time.monotonic() + seconds
    open_requests = list(work.open_requests)
    meetings = dict(work.meetings)
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        base_url, headers=dict(headers), connector=connector, timeout=timeout
    ) as session:

        async def post(path: str, slot: uuid.UUID) -> tuple[int, Any, float]:
            started = time.perf_counter()
            async with session.post(path, json={"slot_id": str(slot)}) as response:
                text = await response.text()
                elapsed = (time.perf_counter() - started) * 1000
                with contextlib.suppress(ValueError):
                    return response.status, json.loads(text), elapsed
                return response.status, text, elapsed

        def other(operation: str, status: int, body: Any) -> None:
            slug = conflict_kind(body) if isinstance(body, dict) and "type" in body else ""
            result.others[f"{operation} {status} {slug}".rstrip()] += 1
            if status >= 500:
                result.failures += 1
                if len(result.errors) < 5:
                    result.errors.append(f"{operation} {status}: {str(body)[:500]}")

        async def accept() -> None:
            request = rng.choice(open_requests)
            path = f"/v1/events/{work.event_id}/requests/{request}/accept"
            status, body, elapsed = await post(path, rng.choice(work.slot_ids))
            result.accepts += 1
            result.accept_ms.append(elapsed)
            if status == 200:
                with contextlib.suppress(ValueError):
                    open_requests.remove(request)
                meeting = body.get("meeting") if isinstance(body, dict) else None
                if meeting:
                    result.booked += 1
                    meetings[uuid.UUID(meeting["id"])] = uuid.UUID(meeting["slot_id"])
            elif status == 409:
                kind = conflict_kind(body)
                result.conflicts[f"accept: {kind}"] += 1
                if kind.startswith("conflict: request"):  # no longer open: drop it
                    with contextlib.suppress(ValueError):
                        open_requests.remove(request)
            else:
                other("accept", status, body)

        async def move() -> None:
            meeting = rng.choice(list(meetings))
            slot = rng.choice([s for s in work.slot_ids if s != meetings[meeting]] or work.slot_ids)
            status, body, elapsed = await post(f"/v1/meetings/{meeting}/reschedule", slot)
            result.moves += 1
            result.move_ms.append(elapsed)
            if status == 200:
                result.moved += 1
                meetings[meeting] = uuid.UUID(body["slot_id"]) if isinstance(body, dict) else slot
            elif status == 409:
                result.conflicts[f"reschedule: {conflict_kind(body)}"] += 1
            else:
                other("reschedule", status, body)

        async def client() -> None:
            while time.monotonic() < deadline:
                try:
                    if open_requests and (not meetings or rng.random() < ACCEPT_SHARE):
                        await accept()
                    elif meetings:
                        await move()
                    else:
                        return
                except (aiohttp.ClientError, TimeoutError) as error:
                    result.others[f"request error: {type(error).__name__}"] += 1
                    result.failures += 1
                    if len(result.errors) < 5:
                        result.errors.append(f"{type(error).__name__}: {error}")

        started = time.monotonic()
        await asyncio.gather(*(client() for _ in range(clients)))
        result.seconds = time.monotonic() - started
    return result


async def server_version(url: str) -> str:
    """PostgreSQL's version, short."""
    connection = await asyncpg.connect(url)
    try:
        return str(await connection.fetchval("SHOW server_version")).split()[0]
    finally:
        await connection.close()


async def deadlocks(url: str) -> int:
    """Deadlocks PostgreSQL has detected in the database so far (`pg_stat_database`)."""
    connection = await asyncpg.connect(url)
    try:
        value = await connection.fetchval(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
        )
        return int(value or 0)
    finally:
        await connection.close()


async def integrity(url: str, event_id: uuid.UUID) -> dict[str, list[tuple[object, ...]]]:
    """`meetings.integrity.problems_of` on the event (meetings role URL)."""
    engine = create_async_engine(asyncpg_url(url), poolclass=NullPool)
    try:
        return await problems_of(engine, event_id)
    finally:
        await engine.dispose()


# --- report -----------------------------------------------------------------------------------------------


def _cpu(value: float | None) -> str:
    return f"{value:6.1f}" if value is not None else f"{'–':>6}"


def report_reads(runs: Sequence[ReadRun], reads: Sequence[Read]) -> list[str]:
    """The reads' table, gateway ÷ direct, and the verdicts on the p95 target."""
    labels = {read.key: read.label for read in reads}
    lines = [
        f"{'read':18} {'path':8} {'conn':>4} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'CPU ms/request: meetings gateway db':>36}  answers",
    ]
    for run in runs:
        answers = ", ".join(f"{n:,} × {status}" for status, n in sorted(run.statuses.items()))
        if run.socket_errors:
            answers += f", {run.socket_errors} socket errors!"
        lines.append(
            f"{run.read:18} {run.target:8} {run.connections:>4} {run.rps:7,.0f} {run.p50_ms:7.1f} "
            f"{run.p95_ms:7.1f} {run.p99_ms:7.1f} {'':9}{_cpu(run.meetings_cpu_ms)}  "
            f"{_cpu(run.gateway_cpu_ms)}  {_cpu(run.database_cpu_ms)}  {answers}"
        )
    lines.append("")
    found = {(run.read, run.target, run.connections): run for run in runs}
    for key in dict.fromkeys(run.read for run in runs):
        lines.append(f"{labels.get(key, key)}:")
        gateway = found.get((key, "gateway", max(CONNECTIONS)))
        direct = found.get((key, "direct", max(CONNECTIONS)))
        one_gateway, one_direct = found.get((key, "gateway", 1)), found.get((key, "direct", 1))
        if gateway and direct:
            lines.append(
                f"  gateway ÷ direct @{max(CONNECTIONS)}: throughput "
                f"{gateway.rps / max(direct.rps, 1e-9):.2f}, "
                f"p95 {gateway.p95_ms / max(direct.p95_ms, 1e-9):.2f}"
                + (
                    f"; added p50 @1: {one_gateway.p50_ms - one_direct.p50_ms:+.1f} ms"
                    if one_gateway and one_direct
                    else ""
                )
            )
        if gateway:
            verdict = "met" if gateway.p95_ms < P95_TARGET_MS else "MISSED"
            lines.append(
                f"  target p95 < {P95_TARGET_MS:.0f} ms @{max(CONNECTIONS)} through the gateway: {verdict} "
                f"({gateway.p95_ms:.1f} ms)"
            )
    return lines


def report_contention(result: Contention, problems: Mapping[str, Sequence[object]]) -> list[str]:
    """The contention phase in figures, and the integrity check afterwards."""
    seconds = max(result.seconds, 1e-9)
    conflicts = sum(result.conflicts.values())
    lines = [
        f"booking under contention: {result.clients} clients for {result.seconds:.1f} s through the gateway",
        f"  accepts: {result.accepts:,} sent, {result.booked:,} booked = {result.booked / seconds:.1f} "
        f"bookings/s" + _latency(result.accept_ms),
        f"  moves:   {result.moves:,} sent, {result.moved:,} moved = {result.moved / seconds:.1f} moves/s"
        + _latency(result.move_ms),
        f"  409s:    {conflicts:,} = {conflicts / seconds:.1f}/s"
        + "".join(f"\n    {kind}: {n:,}" for kind, n in result.conflicts.most_common()),
    ]
    others = ", ".join(f"{kind} × {n:,}" for kind, n in result.others.most_common()) or "none"
    lines.append(f"  other answers: {others}")
    lines += [f"    {error}" for error in result.errors]
    if result.deadlocks is not None:
        lines.append(f"  deadlocks PostgreSQL detected (and rolled back) meanwhile: {result.deadlocks:,}")
    doubles = len(problems.get("double bookings", []))
    lines.append(f"double bookings: {doubles}")
    lines.append(
        "integrity (meetings.integrity.problems_of): "
        + (
            "consistent"
            if not problems
            else "BROKEN: " + "; ".join(f"{k} × {len(v)}" for k, v in problems.items())
        )
    )
    return lines


def _latency(values: Sequence[float]) -> str:
    if not values:
        return ""
    return f" (p50 {percentile(values, 50):.0f} ms, p95 {percentile(values, 95):.0f} ms)"


def failures(
    runs: Sequence[ReadRun], result: Contention | None, problems: Mapping[str, Sequence[object]]
) -> list[str]:
    """Why the run failed (empty when it did not)."""
    found = [
        f"{run.read} on {run.target} @{run.connections}: {run.unexpected:,} answers other than 200"
        for run in runs
        if run.unexpected
    ]
    if result is not None and result.failures:
        found.append(f"contention: {result.failures:,} 5xx answers or transport errors")
    if problems:
        found.append("the stored state breaks the booking invariants: " + ", ".join(problems))
    return found


# --- the platform -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def platform(
    folder: Path,
    admin_url: str,
    redis_url: str | None,
    redis_prefix: str,
    *,
    database_prefix: str = "plaza_bench_meetings",
) -> Iterator[Stack]:
    """The services and the gateway on free ports over a fresh database (dropped afterwards), the KOTRA demo
    client allowed BENCH_LIMIT and feed reads allowed as many per address (the other benches use it too)."""
    database = f"{database_prefix}_{uuid.uuid4().hex[:10]}"
    stack = Stack.on_free_ports(
        admin_url,
        database,
        log_dir=folder / "logs",
        redis_url=redis_url,
        redis_prefix=redis_prefix,
        extra_env=dict(PUBLIC_LIMIT_ENV),
    )
    try:
        stack.prepare()
        stack.create_client(
            stack.credentials["kotra"].name,
            PARTNER_SCOPES,
            KOTRA,
            rate_per_minute=BENCH_LIMIT.rate_per_minute,
            burst=BENCH_LIMIT.burst,
        )
        stack.start()
        yield stack
    finally:
        stack.stop()
        asyncio.run(_drop_database(admin_url, database))
        if redis_url:
            with contextlib.suppress(Exception):
                redis_forget(redis_url, redis_prefix)


def organiser_identity(stack: Stack, ttl_seconds: int) -> str:
    """The identity token the gateway mints for the KOTRA client, for the direct path (same principal)."""
    credentials = stack.credentials["kotra"]
    signer = IdentitySigner(stack.signing.pem, kid=stack.signing.kid, issuer=GATEWAY_ISSUER)
    principal = Principal(
        subject=str(credentials.client_id), organisation_id=KOTRA, scopes=frozenset(PARTNER_SCOPES)
    )
    return signer.mint(principal, ttl_seconds=ttl_seconds)


def create_feeds(
    base_url: str, headers: Mapping[str, str], show: TradeShow, count: int
) -> tuple[list[str], str]:
    """`count` company feeds (exhibitors and visitors with meetings, in turn) created as the organiser;
    (their paths, what happened). Empty when the calendar-feeds route does not answer 201."""
    booked = {m.b.id for m in show.meetings} | {m.a.id for m in show.meetings}
    exhibitors = [c.id for c in show.exhibitors if c.id in booked]
    visitors = [c.id for c in show.visitors if c.id in booked]
    companies = [c for pair in zip(exhibitors, visitors, strict=False) for c in pair][:count]
    paths = []
    with httpx.Client(base_url=base_url, headers=dict(headers), timeout=30) as client:
        for company in companies:
            response = client.post(
                f"/v1/events/{show.event_id}/calendar-feeds", json={"company_id": str(company)}
            )
            if response.status_code != 201:
                return [], f"POST calendar-feeds answered {response.status_code}: {response.text[:200]}"
            paths.append(urlsplit(response.json()["url"]).path)
    return paths, f"{len(paths)} company feeds created"


def _pid(stack: Stack, name: str) -> int | None:
    process = stack.child(name).process
    return process.pid if process is not None else None


# --- main -------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="./plaza bench meetings", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=int, default=DEFAULT_SECONDS, help=f"contention phase (default {DEFAULT_SECONDS})"
    )
    parser.add_argument(
        "--read-seconds",
        type=int,
        default=DEFAULT_READ_SECONDS,
        help=f"each read run at 1 and at 32 connections (default {DEFAULT_READ_SECONDS})",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=DEFAULT_WARMUP,
        help=f"warm-up per read and path, s (default {DEFAULT_WARMUP})",
    )
    parser.add_argument(
        "--clients", type=int, default=DEFAULT_CLIENTS, help=f"contention clients (default {DEFAULT_CLIENTS})"
    )
    parser.add_argument(
        "--feeds", type=int, default=DEFAULT_FEEDS, help=f"calendar feeds (default {DEFAULT_FEEDS})"
    )
    parser.add_argument(
        "--only",
        choices=("all", "reads", "contention"),
        default="all",
        help="which phases to run (default all)",
    )
    parser.add_argument("--tiny", action="store_true", help="a tiny show (a smoke run, figures meaningless)")
    parser.add_argument("--seed", type=int, default=meetings_data.DEFAULT_SEED, help="data generator seed")
    parser.add_argument(
        "--database-url",
        default=None,
        help="superuser URL of a PostgreSQL server (a scratch database is created and dropped); default: "
        "DATABASE_URL, else an embedded PostgreSQL 18",
    )
    parser.add_argument(
        "--limiter",
        choices=("auto", "redis", "local"),
        default="auto",
        help="the gateway's rate limiter: Redis if it answers at --redis-url (auto), Redis, or in-process",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="Redis for the limiter")
    parser.add_argument("--no-wrk", action="store_true", help="load the reads with the aiohttp loop")
    parser.add_argument(
        "--no-profile",
        action="store_true",
        help="skip the in-process profile of the reads (statements under EXPLAIN ANALYZE, cProfile)",
    )
    return parser.parse_args(argv)


def machine_line() -> str:
    """What the figures were measured on."""
    load = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {load[0]:.2f} at start; one uvicorn worker per process"


def _wrk_available(no_wrk: bool) -> bool:
    if no_wrk:
        return False
    try:
        tool_path("wrk")
    except RuntimeError:
        print("wrk is not installed (`apt-get install -y wrk`): the reads use an aiohttp loop", flush=True)
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print the figures; 1 when an answer was a 5xx (or not 200 on a read) or the stored
    state breaks an invariant."""
    args = parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    use_wrk = _wrk_available(args.no_wrk)
    limiter = choose_limiter(args.limiter, args.redis_url)
    redis_prefix = f"plaza:bench:{uuid.uuid4().hex[:10]}:"
    size = meetings_data.TINY if args.tiny else ShowSize()
    machine = machine_line()
    print(machine, flush=True)
    print(
        f"gateway rate limiter: {limiter.name} ({limiter.why}); reads loaded with "
        f"{'wrk' if use_wrk else 'an aiohttp loop'}",
        flush=True,
    )
    runs: list[ReadRun] = []
    result: Contention | None = None
    problems: dict[str, list[tuple[object, ...]]] = {}
    notes: list[str] = []
    profile: list[str] = []
    with (
        tempfile.TemporaryDirectory(prefix="plaza-bench-meetings-") as scratch,
        postgres(Path(scratch)) as admin_url,
        platform(Path(scratch), admin_url, limiter.url, redis_prefix) as stack,
    ):
        url = stack.database_url("meetings")
        notes.append(f"PostgreSQL {asyncio.run(server_version(url))}; gateway rate limiter: {limiter.name}")
        started = time.monotonic()
        show = meetings_data.generate(size, args.seed)
        generated = time.monotonic() - started
        loaded = asyncio.run(meetings_data.load(url, show, [KOTRA]))
        notes.append(
            f"generated in {generated:.1f} s, written in {loaded.seconds:.1f} s: "
            + ", ".join(f"{table} {n:,}" for table, n in loaded.counts.items())
        )
        print(notes[-1], flush=True)
        problems = asyncio.run(integrity(url, show.event_id))
        if problems:
            print(f"the generated show is inconsistent: {problems}", flush=True)
            return 1
        print("generated show checked: consistent (meetings.integrity.problems_of)", flush=True)
        key = stack.key("kotra")
        gateway = Target(
            "gateway", "gateway → meetings", stack.gateway_url, {"X-API-Key": key}, _pid(stack, "gateway")
        )
        identity = organiser_identity(stack, ttl_seconds=24 * 3600)
        direct = Target(
            "direct", "meetings directly", stack.child("meetings").base_url, {IDENTITY_HEADER: identity}
        )
        feeds, what = create_feeds(
            stack.gateway_url, gateway.headers, show, min(args.feeds, len(show.exhibitors))
        )
        notes.append(f"calendar feeds: {what}")
        print(notes[-1], flush=True)
        reads = read_paths(show, feeds, args.seed)
        own_server = not (args.database_url or os.environ.get("DATABASE_URL"))
        postmaster = postmaster_of(url) if own_server and sys.platform == "linux" else None
        meters = Meters(_pid(stack, "meetings"), postmaster)
        ticks = machine_ticks()
        if args.only in ("all", "reads"):
            preflight(reads, [direct, gateway])
            print("reads: every answer 200, the same through the gateway as directly", flush=True)
            if not args.no_profile:
                profiled = [(read.key, read.paths, read.keyed) for read in reads]
                profile = meetings_profile.run(url, profiled, KOTRA)
                print("\n".join(profile), flush=True)
            print("measuring…", flush=True)
            runs = measure_reads(
                reads,
                [direct, gateway],
                seconds=args.read_seconds,
                warmup=args.warmup,
                folder=Path(scratch),
                meters=meters,
                use_wrk=use_wrk,
            )
        if args.only in ("all", "contention"):
            print(f"contention: {args.clients} clients for {args.seconds} s…", flush=True)
            wait_idle(meters.meetings_pid)
            deadlocks_before = asyncio.run(deadlocks(url))
            result = asyncio.run(
                contend(
                    stack.gateway_url,
                    gateway.headers,
                    Workload.of(show),
                    clients=args.clients,
                    seconds=args.seconds,
                    seed=args.seed,
                )
            )
            wait_idle(meters.meetings_pid)
            result.deadlocks = asyncio.run(deadlocks(url)) - deadlocks_before
            problems = asyncio.run(integrity(url, show.event_id))
        usage = machine_usage(ticks, machine_ticks())
    lines = [machine, *notes, ""]
    if runs:
        lines += [*report_reads(runs, reads), ""]
    if profile:
        lines += [*profile, ""]
    if result is not None:
        lines += [*report_contention(result, problems), ""]
    found = failures(runs, result, problems)
    lines += (
        ["RUN FAILED: " + "; ".join(found)]
        if found
        else ["Every read answered 200; no 5xx; no double booking."]
    )
    lines.append(usage)
    print("\n".join(["", *lines]), flush=True)
    save(runs, result, lines, args)
    return 1 if found else 0


def save(
    runs: Sequence[ReadRun], result: Contention | None, lines: list[str], args: argparse.Namespace
) -> None:
    """Keep the run as JSON under bench/results/ (ignored by git)."""
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"meetings-{stamp}.json"
    options = {key: value for key, value in vars(args).items() if key != "database_url"}
    document = {
        "options": options,
        "target_p95_ms": P95_TARGET_MS,
        "reads": [{**asdict(run), "rps": run.rps} for run in runs],
        "contention": result.summary() if result else None,
        "report": lines,
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str))
    print(f"saved {path.relative_to(RESULTS_DIR.parent.parent)}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
