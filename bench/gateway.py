"""`./plaza bench gateway`: what the gateway's hop costs, with security on, next to nginx doing the same job.

One run starts the platform (`plaza_dev.Stack`, free ports, one uvicorn worker per process, an embedded
PostgreSQL unless `DATABASE_URL` is set) and nginx as a plain keep-alive reverse proxy in front of the
registry, then loads each path with wrk on loopback:

  (a) the registry directly, (b) nginx → registry, (c) gateway → registry
  [(d) with --httpx-variant: the gateway's proxy rewritten on httpx 0.28, for docs/architecture.md]

at 1 and 32 connections, for three endpoints: a cheap one that the registry answers without its database
(isolates the hop), a company read (`GET /v1/companies/{id}`: identity check and one PostgreSQL read) and
a page of 20 companies (`GET /v1/companies?limit=20`).

For the two reads it also loads (f) the *floor* (`bench/floor.py`): a bare ASGI app with the same identity
check, the same single statement on asyncpg and the same bytes, and reports the registry's CPU per request
against the floor's (target: at most 2×). With `--before REF` it loads (e) the registry as committed at
REF beside today's (same database, same load), so one run prints before, after and the floor.

The gateway path is a partner's: a bench client created through the admin API (with the demo admin key),
with a rate limit so high that it never refuses yet is applied to every request, sends its API key
(`X-API-Key`); the gateway authenticates it, takes a token from its bucket (in Redis when one answers at
127.0.0.1:6379, else in-process; `--limiter`) and mints the identity token it forwards. The direct and
nginx paths bypass the gateway by design and send an identity token minted beforehand for the same client.

It prints requests/s at 32 connections, p50/p99 latency at 1 and 32, what the gateway adds to p50/p99
versus the direct call, the CPU time per request of the proxy and of the registry (steady even when other
work shares the machine), the ratios (c)/(a) and (c)/(b), and the verdicts on two targets: before
security, the gateway keeps ≥ 70% of nginx's throughput and adds < 1 ms p50 at one connection; with
security on, it keeps ≥ 60% of nginx's throughput. A run in which any response had another status than
expected (a 429 above all) is reported as failed. Results are also written to bench/results/ as JSON.
Method and figures: bench/README.md.
"""

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.tools import (
    WRK_REPORT_SCRIPT,
    AccessLog,
    checkout_sources,
    cpu_seconds,
    ensure_tools,
    machine_ticks,
    machine_usage,
    process_tree,
    redis_answers,
    redis_bucket,
    redis_cpu_seconds,
    redis_forget,
    running_nginx,
    unexpected,
    wrk,
)
from gateway.ratelimit import RateLimit
from plaza_dev.embedded_pg import EmbeddedPostgres, free_port
from plaza_dev.keys import GATEWAY_ISSUER
from plaza_dev.processes import ChildProcess
from plaza_dev.stack import Stack
from plaza_kit.identity import IDENTITY_HEADER, IdentitySigner, Principal
from plaza_kit.scopes import Scope
from registry.demo import demo_id

RESULTS_DIR = Path(__file__).resolve().parent / "results"
THROUGHPUT_TARGET = 0.70  # before security: gateway req/s ÷ nginx req/s at 32 connections
ADDED_P50_TARGET_MS = 1.0  # before security: gateway p50 − direct p50 at one connection
SECURE_THROUGHPUT_TARGET = 0.60  # security on (API key, rate limit, minted identity): gateway ÷ nginx
FLOOR_CPU_TARGET = 2.0  # the registry's CPU per read ÷ the floor's (bench/floor.py), at 32 connections
READ_ENDPOINTS = frozenset({"company", "page"})  # what the floor and the registry before answer
PAGE_SIZE = 20  # bench/floor.py answers this page
ENDPOINT_CHOICES = {
    "all": ("cheap", "company", "page"),
    "both": ("cheap", "company"),  # the two endpoints of the bench before the page was added
    "reads": ("company", "page"),
    "cheap": ("cheap",),
    "company": ("company",),
    "page": ("page",),
}
PATHS = ("direct", "nginx", "gateway", "floor", "before", "httpx")
DEMO_COMPANY = "mirae-cell-equipment"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# The bench client's limit: the admin API's maxima (~16,700 requests/s sustained, 100,000 at once), far
# above what one gateway worker serves, so the bucket never runs dry but is still consulted every request.
BENCH_LIMIT = RateLimit(rate_per_minute=1_000_000, burst=100_000)
BENCH_SCOPES = frozenset({Scope.REGISTRY_READ.value})
FALLBACK_WARNING = "redis unavailable"  # what gateway.ratelimit logs when it falls back to its own buckets


@dataclass(frozen=True)
class Endpoint:
    """A request every target is loaded with."""

    name: str
    path: str
    status: int
    what: str

    @property
    def logged_path(self) -> str:
        """The path as access lines record it (without the query)."""
        return self.path.partition("?")[0]


@dataclass(frozen=True)
class Target:
    """Where the load goes, with the headers that path needs (the gateway's: the bench client's API key)."""

    key: str
    label: str
    base_url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    proxy_pid: int | None = None  # the proxy's process (its CPU time per request is reported)
    answers_with: Mapping[str, str] = field(default_factory=dict)  # response headers it must send
    redis_url: str | None = None  # the Redis its rate limiter uses (its CPU time per request is reported)
    service_pid: int | None = None  # the process that answers, when not the registry (the floor, before)
    endpoints: frozenset[str] | None = None  # the endpoints it answers (None: all)

    def serves(self, endpoint: Endpoint) -> bool:
        """Whether this target is loaded with `endpoint`."""
        return self.endpoints is None or endpoint.name in self.endpoints


@dataclass
class Measurement:
    """One wrk run."""

    target: str
    endpoint: str
    connections: int
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    unexpected_status: int
    proxy_cpu_us: float | None = None  # CPU the proxy spent per request
    service_cpu_us: float | None = None  # CPU the registry spent per request
    rate_limited: int = 0  # 429 answers seen in the access logs during the run (must stay 0)
    redis_cpu_us: float | None = None  # CPU the limiter's Redis spent per request


@dataclass(frozen=True)
class Limiter:
    """Which rate limiter the gateway runs: Redis (`url`) or in-process buckets (`url` None)."""

    url: str | None
    why: str

    @property
    def name(self) -> str:
        """`redis` or `in-process`."""
        return "redis" if self.url else "in-process"


# --- the platform -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def postgres(folder: Path) -> Iterator[str]:
    """A superuser URL: `DATABASE_URL`, or an embedded server in `folder` for the run."""
    given = os.environ.get("DATABASE_URL")
    if given:
        yield given
        return
    server = EmbeddedPostgres(folder / "pgdata", durable=False)
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


async def _drop_database(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@contextlib.contextmanager
def platform(folder: Path, admin_url: str, limiter: Limiter, redis_prefix: str) -> Iterator[Stack]:
    """The services and the gateway on free ports over a fresh database (dropped afterwards).

    The gateway's rate limits and revocations live in Redis under `redis_prefix` when `limiter` says so
    (the keys are deleted afterwards); the services trust the gateway's signing key, as in production.
    """
    database = f"plaza_bench_{uuid.uuid4().hex[:10]}"
    stack = Stack.on_free_ports(
        admin_url, database, log_dir=folder / "logs", redis_url=limiter.url, redis_prefix=redis_prefix
    )
    try:
        stack.prepare(load_demo=True)
        stack.start()
        yield stack
    finally:
        stack.stop()
        asyncio.run(_drop_database(admin_url, database))
        if limiter.url:
            with contextlib.suppress(Exception):
                redis_forget(limiter.url, redis_prefix)


def choose_limiter(choice: str, redis_url: str) -> Limiter:
    """Redis when asked or when it answers (`auto`), in-process buckets when asked or when it does not."""
    if choice == "local":
        return Limiter(None, "forced with --limiter local")
    if redis_answers(redis_url):
        return Limiter(redis_url, "answering" if choice == "auto" else "forced with --limiter redis")
    if choice == "redis":
        raise SystemExit(f"--limiter redis: no Redis answers at {redis_url}")
    return Limiter(None, f"no Redis answering at {redis_url}")


def create_bench_client(gateway_url: str, admin_key: str) -> tuple[uuid.UUID, str]:
    """A partner client for the bench, created as an operator would (admin API); (its id, a new key)."""
    admin = {"X-API-Key": admin_key}
    created = httpx.post(
        f"{gateway_url}/v1/admin/clients",
        headers=admin,
        json={
            "name": f"bench-{uuid.uuid4().hex[:10]}",
            "organisation_id": None,
            "scopes": sorted(BENCH_SCOPES),
            "rate_per_minute": BENCH_LIMIT.rate_per_minute,
            "burst": BENCH_LIMIT.burst,
        },
        timeout=10,
    )
    if created.status_code != 201:
        raise RuntimeError(f"creating the bench client answered {created.status_code}: {created.text[:300]}")
    client_id = uuid.UUID(created.json()["id"])
    issued = httpx.post(
        f"{gateway_url}/v1/admin/clients/{client_id}/keys", headers=admin, json={}, timeout=10
    )
    if issued.status_code != 201:
        raise RuntimeError(f"issuing the bench key answered {issued.status_code}: {issued.text[:300]}")
    _wait_until_audited(gateway_url, admin, issued.headers.get("x-request-id", ""))
    return client_id, str(issued.json()["key"])


def _wait_until_audited(
    gateway_url: str, admin: dict[str, str], request_id: str, timeout: float = 10
) -> None:
    """The audit writer records these two writes within a second and, to name their operations, fetches
    the services' OpenAPI documents: wait for it, so that fetch never lands inside a measured run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        trail = httpx.get(f"{gateway_url}/v1/admin/audit", headers=admin, params={"limit": 5}, timeout=10)
        if any(item.get("request_id") == request_id for item in trail.json().get("items", [])):
            return
        time.sleep(0.2)


def bench_identity(stack: Stack, client_id: uuid.UUID, ttl_seconds: int) -> str:
    """The identity token the gateway would forward for the bench client, minted once for the bypass paths.

    Signed with the stack's gateway key, which the services trust; same subject, organisation and scopes
    as the gateway's own, so every path is answered the same.
    """
    signer = IdentitySigner(stack.signing.pem, kid=stack.signing.kid, issuer=GATEWAY_ISSUER)
    principal = Principal(subject=str(client_id), organisation_id=None, scopes=BENCH_SCOPES)
    return signer.mint(principal, ttl_seconds=ttl_seconds)


def confirm_limiter(limiter: Limiter, redis_prefix: str, client_id: uuid.UUID) -> None:
    """With Redis, the gateway really keeps the bench client's bucket there (it falls back silently)."""
    if limiter.url and not redis_bucket(limiter.url, f"{redis_prefix}ratelimit:{client_id}"):
        raise RuntimeError(
            f"the gateway was given Redis ({limiter.url}) but the bench client's bucket is not there: "
            "it is limiting in-process"
        )


# --- measuring --------------------------------------------------------------------------------------------


def _comparable(response: httpx.Response) -> tuple[int, Any]:
    body = response.json()
    if isinstance(body, dict):
        body.pop("request_id", None)
    return response.status_code, body


def preflight(targets: list[Target], endpoints: list[Endpoint]) -> None:
    """Every target answers every endpoint with the expected status and the same body.

    A target may also have to send given response headers (the gateway: the bench client's rate-limit
    policy, which shows that the request was authenticated as that client and went through the limiter).
    """
    for endpoint in endpoints:
        answers = {}
        for target in (target for target in targets if target.serves(endpoint)):
            response = httpx.get(target.base_url + endpoint.path, headers=dict(target.headers), timeout=5)
            answers[target.key] = _comparable(response)
            if response.status_code != endpoint.status:
                raise RuntimeError(
                    f"{target.label} answered {endpoint.path} with {response.status_code}, expected "
                    f"{endpoint.status}: {response.text[:300]}"
                )
            for name, value in target.answers_with.items():
                if response.headers.get(name) != value:
                    raise RuntimeError(
                        f"{target.label} answered {endpoint.path} with {name}: "
                        f"{response.headers.get(name)!r}, expected {value!r}"
                    )
        if len({json.dumps(answer, sort_keys=True) for answer in answers.values()}) != 1:
            raise RuntimeError(f"the targets disagree on {endpoint.path}: {answers}")


class StatusCheck:
    """The statuses the registry and the proxies logged, against what each endpoint must answer.

    wrk counts 4xx/5xx answers but cannot tell a 429 from the cheap route's expected 404; the access lines
    of every process that answers can.
    """

    def __init__(self, logs: list[AccessLog], endpoints: list[Endpoint]) -> None:
        self.logs = logs
        self.expected = {endpoint.logged_path: endpoint.status for endpoint in endpoints}
        self.seen: Counter[tuple[str, str, int]] = Counter()  # (log, path, status) of unexpected answers

    def start(self) -> None:
        """Ignore what was logged before the load."""
        for log in self.logs:
            log.skip()

    def take(self) -> tuple[int, int]:
        """(unexpected statuses, 429s) logged since the last call, by the log that saw the most."""
        wrong_most = limited_most = 0
        for log in self.logs:
            statuses = log.statuses()
            wrong, limited = unexpected(statuses, self.expected)
            wrong_most, limited_most = max(wrong_most, wrong), max(limited_most, limited)
            for (path, status), count in statuses.items():
                if self.expected.get(path) != status:
                    self.seen[(log.path.stem, path, status)] += count
        return wrong_most, limited_most

    def summary(self) -> list[str]:
        """What the unexpected answers were, as lines."""
        return [
            f"{count} × {status} on {path} in the {log} log"
            for (log, path, status), count in self.seen.items()
        ]


def run_wrk(
    target: Target,
    endpoint: Endpoint,
    connections: int,
    seconds: int,
    script: Path,
    service_pid: int,
    check: StatusCheck | None = None,
) -> Measurement:
    """One measured wrk run of `endpoint` on `target`, with the CPU time the proxy and the service used."""
    proxy = process_tree(target.proxy_pid) if target.proxy_pid else []
    service_pid = target.service_pid or service_pid
    proxy_before, service_before = cpu_seconds(proxy), cpu_seconds([service_pid])
    redis_before = redis_cpu_seconds(target.redis_url) if target.redis_url else 0.0
    report = wrk(target.base_url + endpoint.path, target.headers, connections, seconds, script)
    proxy_used, service_used = cpu_seconds(proxy) - proxy_before, cpu_seconds([service_pid]) - service_before
    redis_used = redis_cpu_seconds(target.redis_url) - redis_before if target.redis_url else None
    per_request = 1e6 / max(report["requests"], 1)
    expected_errors = report["requests"] if endpoint.status >= 400 else 0  # wrk counts statuses > 399
    wrong_by_wrk = abs(report["status"] - expected_errors)
    wrong_by_logs, rate_limited = check.take() if check else (0, 0)
    return Measurement(
        target=target.key,
        endpoint=endpoint.name,
        connections=connections,
        requests=report["requests"],
        rps=report["requests"] / (report["duration_us"] / 1e6),
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        socket_errors=report["connect"] + report["read"] + report["write"] + report["timeout"],
        unexpected_status=max(wrong_by_wrk, wrong_by_logs),
        proxy_cpu_us=proxy_used * per_request if proxy else None,
        service_cpu_us=service_used * per_request,
        rate_limited=rate_limited,
        redis_cpu_us=redis_used * per_request if redis_used is not None else None,
    )


def measure(
    targets: list[Target],
    endpoints: list[Endpoint],
    seconds: int,
    warmup: int,
    script: Path,
    service_pid: int,
    rounds: int = 1,
    check: StatusCheck | None = None,
) -> list[Measurement]:
    """Per round, endpoint and target: a warm-up, then one run at 1 and one at 32 connections.

    Rounds interleave the targets, so a burst of outside load hits all of them rather than one. The
    statuses logged during a warm-up count with the run that follows it.
    """
    results = []
    if check:
        check.start()
    cells = [(r, e, t) for r in range(1, rounds + 1) for e in endpoints for t in targets if t.serves(e)]
    for round_number, endpoint, target in cells:
        print(f"  {round_number}/{rounds} {endpoint.name:8} {target.label:34}", end="", flush=True)
        if warmup:
            wrk(target.base_url + endpoint.path, target.headers, 32, warmup, script)
        for connections in (1, 32):
            measurement = run_wrk(target, endpoint, connections, seconds, script, service_pid, check)
            results.append(measurement)
            print(f" c={connections}: {measurement.rps:7,.0f} req/s", end="", flush=True)
        print(flush=True)
    return results


# --- report -----------------------------------------------------------------------------------------------


def _find(results: list[Measurement], target: str, endpoint: str, connections: int) -> Measurement:
    """The measurement of one cell; over several rounds, the median of each figure."""
    runs = [m for m in results if (m.target, m.endpoint, m.connections) == (target, endpoint, connections)]
    return Measurement(
        target=target,
        endpoint=endpoint,
        connections=connections,
        requests=sum(m.requests for m in runs),
        rps=statistics.median(m.rps for m in runs),
        p50_ms=statistics.median(m.p50_ms for m in runs),
        p99_ms=statistics.median(m.p99_ms for m in runs),
        socket_errors=sum(m.socket_errors for m in runs),
        unexpected_status=sum(m.unexpected_status for m in runs),
        proxy_cpu_us=_median_or_none([m.proxy_cpu_us for m in runs]),
        service_cpu_us=_median_or_none([m.service_cpu_us for m in runs]),
        rate_limited=sum(m.rate_limited for m in runs),
        redis_cpu_us=_median_or_none([m.redis_cpu_us for m in runs]),
    )


def _median_or_none(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def _us(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def _added(label: str, path: tuple[Measurement, Measurement], direct: tuple[Measurement, Measurement]) -> str:
    """What a path adds to p50/p99 at 1 and 32 connections over the direct call, in µs."""
    (many, one), (direct_many, direct_one) = path, direct
    figures = [
        f"p50 @1 {(one.p50_ms - direct_one.p50_ms) * 1000:+,.0f}",
        f"p99 @1 {(one.p99_ms - direct_one.p99_ms) * 1000:+,.0f}",
        f"p50 @32 {(many.p50_ms - direct_many.p50_ms) * 1000:+,.0f}",
        f"p99 @32 {(many.p99_ms - direct_many.p99_ms) * 1000:+,.0f}",
    ]
    return f"  added vs direct, {label}: {', '.join(figures)} µs"


def _path_cpu(m: Measurement) -> float | None:
    """CPU per request of the processes on the path (proxy, Redis, registry); None if unknown."""
    if m.service_cpu_us is None:
        return None
    return m.service_cpu_us + (m.proxy_cpu_us or 0.0) + (m.redis_cpu_us or 0.0)


def _cpu_lines(direct: Measurement, nginx: Measurement, gateway: Measurement) -> list[str]:
    """CPU per request at 32 connections: each proxy's, the registry's, and each whole path's."""
    redis = f" (+ Redis {_us(gateway.redis_cpu_us)} µs)" if gateway.redis_cpu_us is not None else ""
    lines = [
        f"  CPU per request at 32 connections: gateway {_us(gateway.proxy_cpu_us)} µs{redis}, "
        f"nginx {_us(nginx.proxy_cpu_us)} µs; the registry itself {_us(direct.service_cpu_us)} µs"
    ]
    totals = [_path_cpu(m) for m in (direct, nginx, gateway)]
    if all(total is not None for total in totals) and nginx.proxy_cpu_us and gateway.proxy_cpu_us:
        of_direct, of_nginx, of_gateway = (total or 0.0 for total in totals)
        lines.append(
            f"  CPU per request of the whole path: direct {of_direct:,.0f}, nginx {of_nginx:,.0f}, gateway "
            f"{of_gateway:,.0f} µs (when the machine's CPU is the limit, gateway/nginx → "
            f"{of_nginx / of_gateway:.2f})"
        )
    return lines


def report(results: list[Measurement], targets: list[Target], endpoints: list[Endpoint]) -> list[str]:
    """The table, the ratios and the verdict on the targets, as lines of text."""
    lines = []
    for endpoint in endpoints:
        serving = [target for target in targets if target.serves(endpoint)]
        lines += [
            "",
            f"{endpoint.name}: GET {endpoint.path} → {endpoint.status}  ({endpoint.what})",
            f"  {'':34} {'req/s @32':>10} {'p50 @1':>9} {'p99 @1':>9} {'p50 @32':>9} {'p99 @32':>9}"
            f"  {'CPU µs/req @32: proxy':>21} {'service':>8}",
        ]
        for target in serving:
            one, many = (_find(results, target.key, endpoint.name, c) for c in (1, 32))
            errors = sum(m.socket_errors + m.unexpected_status for m in (one, many))
            limited = one.rate_limited + many.rate_limited
            flag = f"  ({errors} errors or unexpected statuses!)" if errors else ""
            flag += f"  ({limited} × 429!)" if limited else ""
            lines.append(
                f"  {target.label:34} {many.rps:10,.0f} {one.p50_ms:7.2f}ms {one.p99_ms:7.2f}ms "
                f"{many.p50_ms:7.2f}ms {many.p99_ms:7.2f}ms  {_us(many.proxy_cpu_us):>21} "
                f"{_us(many.service_cpu_us):>8}{flag}"
            )
        keys = {target.key: target for target in serving}
        if {"direct", "nginx", "gateway"} <= keys.keys():
            lines += _gateway_lines(results, endpoint, [keys[key] for key in keys if key == "httpx"])
        if "floor" in keys and "direct" in keys:
            lines += _floor_lines(results, endpoint, keys.get("before"))
    return lines


def _gateway_lines(results: list[Measurement], endpoint: Endpoint, variants: list[Target]) -> list[str]:
    """The gateway's ratios against the direct call and nginx, and the verdicts on its targets."""
    direct, nginx, gateway = (
        (_find(results, key, endpoint.name, 32), _find(results, key, endpoint.name, 1))
        for key in ("direct", "nginx", "gateway")
    )
    of_nginx = gateway[0].rps / nginx[0].rps
    added = gateway[1].p50_ms - direct[1].p50_ms
    met_p50 = _verdict(added < ADDED_P50_TARGET_MS)
    lines = [
        f"  gateway/direct throughput {gateway[0].rps / direct[0].rps:.2f}, gateway/nginx {of_nginx:.2f} "
        f"(target ≥ {THROUGHPUT_TARGET:.2f}: {_verdict(of_nginx >= THROUGHPUT_TARGET)})",
        f"  added p50 at 1 connection: gateway {added * 1000:+.0f} µs "
        f"(target < {ADDED_P50_TARGET_MS * 1000:.0f} µs: {met_p50}), "
        f"nginx {(nginx[1].p50_ms - direct[1].p50_ms) * 1000:+.0f} µs",
        _added("gateway", gateway, direct),
        _added("nginx", nginx, direct),
        *_cpu_lines(direct[0], nginx[0], gateway[0]),
    ]
    for extra in variants:
        variant_many, variant_one = (_find(results, extra.key, endpoint.name, c) for c in (32, 1))
        lines.append(
            f"  {extra.label}: {variant_many.rps / gateway[0].rps:.2f}× the gateway's throughput, "
            f"added p50 at 1 connection {(variant_one.p50_ms - direct[1].p50_ms) * 1000:+.0f} µs"
        )
    before = of_nginx >= THROUGHPUT_TARGET and added < ADDED_P50_TARGET_MS
    return [
        *lines,
        f"  target before security (≥ {THROUGHPUT_TARGET:.2f} of nginx's throughput and "
        f"< {ADDED_P50_TARGET_MS * 1000:.0f} µs added p50 @1): {_verdict(before)}",
        f"  target with security on (≥ {SECURE_THROUGHPUT_TARGET:.2f} of nginx's throughput): "
        f"{_verdict(of_nginx >= SECURE_THROUGHPUT_TARGET)} ({of_nginx:.2f})",
    ]


def _floor_lines(results: list[Measurement], endpoint: Endpoint, before: Target | None) -> list[str]:
    """The registry's CPU per read against the floor's (and the registry before, when it ran)."""
    floor = _find(results, "floor", endpoint.name, 32).service_cpu_us
    registry = _find(results, "direct", endpoint.name, 32).service_cpu_us
    if not floor or registry is None:
        return ["  floor: no CPU figure"]
    ratio = registry / floor
    lines = [
        f"  CPU per request at 32 connections: floor {floor:,.0f} µs, registry {registry:,.0f} µs = "
        f"{ratio:.2f}× the floor (target ≤ {FLOOR_CPU_TARGET:.0f}×: {_verdict(ratio <= FLOOR_CPU_TARGET)})"
    ]
    if before is not None:
        earlier = _find(results, before.key, endpoint.name, 32).service_cpu_us
        if earlier:
            lines.append(
                f"  {before.label}: {earlier:,.0f} µs = {earlier / floor:.2f}× the floor; "
                f"the registry now spends {registry / earlier:.2f}× its CPU per request"
            )
    return lines


def problems(results: list[Measurement], labels: Mapping[str, str]) -> list[str]:
    """Why the run's figures cannot be trusted (empty when every response was the expected one)."""
    found = []
    for m in results:
        what = []
        if m.rate_limited:
            what.append(f"{m.rate_limited} × 429 (rate limited)")
        if m.unexpected_status:
            what.append(f"{m.unexpected_status} unexpected statuses")
        if m.socket_errors:
            what.append(f"{m.socket_errors} socket errors")
        if what:
            found.append(
                f"{labels.get(m.target, m.target)}, {m.endpoint}, {m.connections} conn.: {', '.join(what)}"
            )
    return found


def machine_line(seconds: int, warmup: int) -> str:
    """What the figures were measured on."""
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f} at start; wrk 1 thread, {seconds} s per run "
        f"after a {warmup} s warm-up; one uvicorn worker per process; nginx 1 worker"
    )


def security_line(limiter: Limiter, fell_back: bool = False) -> str:
    """How the gateway path was secured."""
    if limiter.url:
        where = f"Redis at {limiter.url} ({limiter.why})"
        if fell_back:
            where += ", but the gateway FELL BACK to in-process buckets during the load (see its log)"
    else:
        where = f"in-process token buckets ({limiter.why})"
    return (
        f"gateway path: API key of a bench client (X-API-Key; {', '.join(sorted(BENCH_SCOPES))}; "
        f"{BENCH_LIMIT.rate_per_minute:,}/min, burst {BENCH_LIMIT.burst:,}), rate limiter: {where}; "
        "direct and nginx paths: an identity token minted beforehand"
    )


# --- main -------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="./plaza bench gateway", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of each measured wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat everything; report medians (default 1)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up before each target (default 1)")
    parser.add_argument(
        "--endpoint",
        choices=tuple(ENDPOINT_CHOICES),
        default="all",
        help="which endpoints to load: all (default), both (cheap and company), reads (company and page), "
        "or one",
    )
    parser.add_argument(
        "--paths",
        default="direct,nginx,gateway,floor,before",
        help="comma-separated paths to load among direct, nginx, gateway, floor, before (default: all of "
        "them; before only with --before, the floor only for the reads); the gateway's ratios need "
        "direct, nginx and gateway, the floor's need direct and floor",
    )
    parser.add_argument(
        "--before",
        metavar="REF",
        help="also run the registry as committed at this git revision (e.g. the commit before a change) on "
        "the same database, as path (e): before and after in one run",
    )
    parser.add_argument(
        "--limiter",
        choices=("auto", "redis", "local"),
        default="auto",
        help="the gateway's rate limiter: Redis if it answers at --redis-url (auto, the default), Redis or "
        "fail (redis), in-process buckets (local)",
    )
    parser.add_argument(
        "--redis-url", default=DEFAULT_REDIS_URL, help=f"Redis for the limiter (default {DEFAULT_REDIS_URL})"
    )
    parser.add_argument(
        "--httpx-variant",
        action="store_true",
        help="also measure the httpx-based proxy (bench/httpx_proxy_variant.py; it skips authentication)",
    )
    parser.add_argument(
        "--gateway-header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="extra header for the gateway path only, sent besides the bench client's API key",
    )
    return parser.parse_args(argv)


def endpoints_for(choice: str) -> list[Endpoint]:
    """The endpoints selected on the command line."""
    company = demo_id(DEMO_COMPANY)
    available = [
        Endpoint(
            "cheap",
            f"/v1/companies/{company}/bench-no-such-route",
            404,
            "the registry's router answers 404 problem+json: no database, no identity check: the hop alone",
        ),
        Endpoint(
            "company",
            f"/v1/companies/{company}",
            200,
            "a demo company: identity token verified (EdDSA); the company with its identifiers, sectors "
            "and products read from PostgreSQL",
        ),
        Endpoint(
            "page",
            f"/v1/companies?limit={PAGE_SIZE}",
            200,
            f"the first page of {PAGE_SIZE} active demo companies with their identifiers, sectors and "
            "products, and a signed next cursor",
        ),
    ]
    chosen = ENDPOINT_CHOICES[choice]
    return [endpoint for endpoint in available if endpoint.name in chosen]


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print the figures; returns the exit code (1 when a response was not as expected)."""
    args = parse_args(argv)
    ensure_tools()
    endpoints = endpoints_for(args.endpoint)
    extra_gateway_headers: dict[str, str] = {}
    for header in args.gateway_header:
        name, _, value = header.partition(":")
        extra_gateway_headers[name.strip()] = value.strip()
    limiter = choose_limiter(args.limiter, args.redis_url)
    redis_prefix = f"plaza:bench:{uuid.uuid4().hex[:10]}:"
    paths = chosen_paths(args.paths, before=args.before, httpx_variant=args.httpx_variant)
    cells = sum(
        1
        for endpoint in endpoints
        for path in paths
        if path in ("direct", "nginx", "gateway", "httpx") or endpoint.name in READ_ENDPOINTS
    )
    budget = args.rounds * cells * (args.warmup + 2 * args.seconds)
    print(machine_line(args.seconds, args.warmup), flush=True)
    print(security_line(limiter), flush=True)
    print(f"Starting the platform (about {budget} s of load follows)…", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="plaza-bench-") as scratch,
        postgres(Path(scratch)) as admin_url,
        platform(Path(scratch), admin_url, limiter, redis_prefix) as stack,
        running_nginx(Path(scratch) / "nginx", stack.ports["registry"]) as (nginx_url, nginx_pid),
        contextlib.ExitStack() as variants,
    ):
        client_id, api_key = create_bench_client(stack.gateway_url, stack.key("admin"))
        # Long enough for the whole load, however slow the machine: the bypass paths cannot re-mint it.
        identity = {IDENTITY_HEADER: bench_identity(stack, client_id, ttl_seconds=3 * budget + 600)}
        logs = Path(scratch) / "logs"
        targets = [
            Target(
                "direct", "(a) registry directly", f"http://127.0.0.1:{stack.ports['registry']}", identity
            ),
            Target("nginx", "(b) nginx → registry", nginx_url, identity, nginx_pid),
            Target(
                "gateway",
                "(c) gateway → registry",
                stack.gateway_url,
                {"X-API-Key": api_key, **extra_gateway_headers},
                _pid(stack.child("gateway")),
                answers_with={"ratelimit-policy": BENCH_LIMIT.policy_header.decode()},
                redis_url=limiter.url,
            ),
        ]
        targets = [target for target in targets if target.key in paths]
        access_logs = [AccessLog(logs / "registry.log"), AccessLog(logs / "gateway.log")]
        if args.before and "before" in paths:
            before = start_registry_before(stack, Path(scratch), args.before)
            variants.callback(before.stop)
            targets.append(
                Target(
                    "before",
                    f"(e) registry at {args.before[:12]}",
                    before.base_url,
                    identity,
                    service_pid=_pid(before),
                    endpoints=READ_ENDPOINTS,
                )
            )
            access_logs.append(AccessLog(logs / "registry-before.log"))
        if "floor" in paths and any(endpoint.name in READ_ENDPOINTS for endpoint in endpoints):
            floor = start_floor(stack, Path(scratch))
            variants.callback(floor.stop)
            targets.append(
                Target(
                    "floor",
                    "(f) floor: bare ASGI + asyncpg",
                    floor.base_url,
                    identity,
                    service_pid=_pid(floor),
                    endpoints=READ_ENDPOINTS,
                )
            )
        if args.httpx_variant:
            variant = start_httpx_variant(stack, Path(scratch))
            variants.callback(variant.stop)
            targets.append(
                Target(
                    "httpx",
                    "(d) httpx-variant (no auth)",
                    variant.base_url,
                    identity,
                    _pid(variant),
                )
            )
            access_logs.append(AccessLog(logs / "httpx-variant.log"))
        script = Path(scratch) / "report.lua"
        script.write_text(WRK_REPORT_SCRIPT)
        preflight(targets, endpoints)
        if "gateway" in paths:
            confirm_limiter(limiter, redis_prefix, client_id)
        started, ticks = time.monotonic(), machine_ticks()
        registry_pid = _pid(stack.child("registry"))
        check = StatusCheck(access_logs, endpoints)
        results = measure(
            targets, endpoints, args.seconds, args.warmup, script, registry_pid, args.rounds, check
        )
        elapsed, usage = time.monotonic() - started, machine_usage(ticks, machine_ticks())
        time.sleep(0.2)  # the last access lines
        late_wrong, late_limited = check.take()
        fell_back = FALLBACK_WARNING in (logs / "gateway.log").read_text(errors="replace")
    if results:  # answered after the last run ended: counted with it
        results[-1].unexpected_status += late_wrong
        results[-1].rate_limited += late_limited
    found = problems(results, {target.key: target.label for target in targets})
    if fell_back:
        found.append("the gateway's rate limiter fell back from Redis to in-process buckets")
    lines = [security_line(limiter, fell_back), *report(results, targets, endpoints)]
    if found:
        lines += [
            "",
            "RUN FAILED: the figures above do not count, because:",
        ]
        lines += [f"  {problem}" for problem in [*found, *check.summary()]]
    else:
        lines += ["", "Every response had the expected status (no 429, no errors) on every path."]
    print("\n".join(["", *lines]), flush=True)
    lines.append(f"(load phase {elapsed:.0f} s; {usage})")
    print(f"\n{lines[-1]}", flush=True)
    save(results, lines, args, limiter, client_id)
    return 1 if found else 0


def chosen_paths(choice: str, *, before: str | None, httpx_variant: bool) -> list[str]:
    """The paths to load: those named in `--paths`, (e) only with `--before`, (d) with `--httpx-variant`."""
    named = [path.strip() for path in choice.split(",") if path.strip()]
    unknown = set(named) - set(PATHS)
    if unknown:
        raise SystemExit(f"--paths: no such paths {sorted(unknown)} (choose among {', '.join(PATHS[:-1])})")
    chosen = [path for path in named if path != "before" or before]
    return [*chosen, "httpx"] if httpx_variant else chosen


def start_floor(stack: Stack, scratch: Path) -> ChildProcess:
    """The floor (`bench/floor.py`) on a free port, configured like the registry."""
    port = free_port()
    env = {**stack.service_env("registry"), "REGISTRY_PORT": str(port)}
    child = ChildProcess(
        "floor", "bench.floor", port, env, ready_path="/healthz", log_path=str(scratch / "logs" / "floor.log")
    )
    child.start()
    child.wait_ready(30)
    return child


def start_registry_before(stack: Stack, scratch: Path, revision: str) -> ChildProcess:
    """The registry as committed at `revision` (its sources and the libraries it imports, from git), on a
    free port over the same database: the "before" of a change, measured in the same run."""
    sources = checkout_sources(revision, scratch / "before")
    port = free_port()
    env = {
        **stack.service_env("registry"),
        "REGISTRY_PORT": str(port),
        "PYTHONPATH": os.pathsep.join(str(folder) for folder in sources),
    }
    child = ChildProcess(
        "registry-before",
        "registry",
        port,
        env,
        ready_path="/healthz",
        log_path=str(scratch / "logs" / "registry-before.log"),
    )
    child.start()
    child.wait_ready(60)
    return child


def _pid(child: ChildProcess) -> int:
    assert child.process is not None
    return child.process.pid


def start_httpx_variant(stack: Stack, scratch: Path) -> ChildProcess:
    """The throwaway httpx-based proxy, on a free port in front of the same services."""
    env = {**stack.gateway_env(), "GATEWAY_PORT": str(free_port())}
    child = ChildProcess(
        "httpx-variant",
        "bench.httpx_proxy_variant",
        int(env["GATEWAY_PORT"]),
        env,
        ready_path="/healthz",
        log_path=str(scratch / "logs" / "httpx-variant.log"),
    )
    child.start()
    child.wait_ready(30)
    return child


def save(
    results: list[Measurement],
    lines: list[str],
    args: argparse.Namespace,
    limiter: Limiter,
    client_id: uuid.UUID,
) -> None:
    """Keep the run as JSON under bench/results/ (ignored by git)."""
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"gateway-{stamp}.json"
    document = {
        "options": vars(args),
        "limiter": {"kind": limiter.name, "url": limiter.url, "why": limiter.why},
        "bench_client": str(client_id),
        "results": [asdict(m) for m in results],
        "report": lines,
    }
    path.write_text(json.dumps(document, indent=2))
    print(f"saved {path.relative_to(RESULTS_DIR.parent.parent)}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
