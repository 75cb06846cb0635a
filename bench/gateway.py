"""`./plaza bench gateway`: what the gateway's proxy hop costs, next to nginx doing the same job.

One run starts the platform (`plaza_dev.Stack`, free ports, one uvicorn worker per process, an embedded
PostgreSQL unless `DATABASE_URL` is set) and nginx as a plain keep-alive reverse proxy in front of the
registry, then loads each path with wrk on loopback:

  (a) the registry directly, (b) nginx → registry, (c) gateway → registry
  [(d) with --httpx-variant: the gateway's proxy rewritten on httpx 0.28, for docs/architecture.md]

at 1 and 32 connections, for two endpoints: a cheap one that the registry answers without its database
(isolates the hop) and a real one (`GET /v1/companies/{id}`: identity check and one PostgreSQL read).
It prints requests/s at 32 connections, p50/p99 latency at 1 and 32, the CPU time per request of the proxy
and of the registry (steady even when other work shares the machine), the ratios (c)/(a) and (c)/(b), and
the two targets: the gateway keeps ≥ 70% of nginx's throughput and adds < 1 ms p50 at one connection.
Results are also written to bench/results/ as JSON. Method and figures: bench/README.md.
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
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.tools import WRK_REPORT_SCRIPT, cpu_seconds, ensure_tools, process_tree, running_nginx, wrk
from plaza_dev.embedded_pg import EmbeddedPostgres, free_port
from plaza_dev.processes import ChildProcess
from plaza_dev.stack import Stack
from plaza_kit.identity import IDENTITY_HEADER, IdentitySigner, Principal, generate_private_key_pem, jwks_of
from plaza_kit.scopes import Scope
from registry.demo import demo_id, load_demo_sync

RESULTS_DIR = Path(__file__).resolve().parent / "results"
THROUGHPUT_TARGET = 0.70  # gateway req/s ÷ nginx req/s at 32 connections
ADDED_P50_TARGET_MS = 1.0  # gateway p50 − direct p50 at one connection
DEMO_COMPANY = "mirae-cell-equipment"


@dataclass(frozen=True)
class Endpoint:
    """A request every target is loaded with."""

    name: str
    path: str
    status: int
    what: str


@dataclass(frozen=True)
class Target:
    """Where the load goes, with the headers that path needs (the gateway's API key will go here)."""

    key: str
    label: str
    base_url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    proxy_pid: int | None = None  # the proxy's process (its CPU time per request is reported)


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
def platform(folder: Path, admin_url: str, trusted_jwks: str) -> Iterator[Stack]:
    """The services and the gateway on free ports over a fresh database (dropped afterwards)."""
    database = f"plaza_bench_{uuid.uuid4().hex[:10]}"
    extra_env = {
        f"{service.upper()}_TRUSTED_KEYS": trusted_jwks for service in ("registry", "meetings", "investment")
    }
    stack = Stack.on_free_ports(admin_url, database, log_dir=folder / "logs", extra_env=extra_env)
    try:
        stack.prepare(load_demo=load_demo_sync)
        stack.start()
        yield stack
    finally:
        stack.stop()
        asyncio.run(_drop_database(admin_url, database))


def bench_identity(ttl_seconds: int) -> tuple[str, str]:
    """(identity token of a partner with registry:read, the JWKS that makes the services trust it)."""
    pem = generate_private_key_pem()
    signer = IdentitySigner(pem, kid="bench-gateway", issuer="plaza-gateway")
    principal = Principal(
        subject="bench", organisation_id=None, scopes=frozenset({Scope.REGISTRY_READ.value})
    )
    token = signer.mint(principal, ttl_seconds=ttl_seconds)
    return token, json.dumps(jwks_of((pem, "bench-gateway", "plaza-gateway")))


# --- measuring --------------------------------------------------------------------------------------------


def _comparable(response: httpx.Response) -> tuple[int, Any]:
    body = response.json()
    if isinstance(body, dict):
        body.pop("request_id", None)
    return response.status_code, body


def preflight(targets: list[Target], endpoints: list[Endpoint]) -> None:
    """Every target answers every endpoint with the expected status and the same body."""
    for endpoint in endpoints:
        answers = {}
        for target in targets:
            response = httpx.get(target.base_url + endpoint.path, headers=dict(target.headers), timeout=5)
            answers[target.key] = _comparable(response)
            if response.status_code != endpoint.status:
                raise RuntimeError(
                    f"{target.label} answered {endpoint.path} with {response.status_code}, expected "
                    f"{endpoint.status}: {response.text[:300]}"
                )
        if len({json.dumps(answer, sort_keys=True) for answer in answers.values()}) != 1:
            raise RuntimeError(f"the targets disagree on {endpoint.path}: {answers}")


def run_wrk(
    target: Target, endpoint: Endpoint, connections: int, seconds: int, script: Path, service_pid: int
) -> Measurement:
    """One measured wrk run of `endpoint` on `target`, with the CPU time the proxy and the service used."""
    proxy = process_tree(target.proxy_pid) if target.proxy_pid else []
    proxy_before, service_before = cpu_seconds(proxy), cpu_seconds([service_pid])
    report = wrk(target.base_url + endpoint.path, target.headers, connections, seconds, script)
    proxy_used, service_used = cpu_seconds(proxy) - proxy_before, cpu_seconds([service_pid]) - service_before
    per_request = 1e6 / max(report["requests"], 1)
    expected_errors = report["requests"] if endpoint.status >= 300 else 0  # wrk counts non-2xx/3xx
    return Measurement(
        target=target.key,
        endpoint=endpoint.name,
        connections=connections,
        requests=report["requests"],
        rps=report["requests"] / (report["duration_us"] / 1e6),
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        socket_errors=report["connect"] + report["read"] + report["write"] + report["timeout"],
        unexpected_status=abs(report["status"] - expected_errors),
        proxy_cpu_us=proxy_used * per_request if proxy else None,
        service_cpu_us=service_used * per_request,
    )


def measure(
    targets: list[Target],
    endpoints: list[Endpoint],
    seconds: int,
    warmup: int,
    script: Path,
    service_pid: int,
    rounds: int = 1,
) -> list[Measurement]:
    """Per round, endpoint and target: a warm-up, then one run at 1 and one at 32 connections.

    Rounds interleave the targets, so a burst of outside load hits all of them rather than one.
    """
    results = []
    cells = [(r, e, t) for r in range(1, rounds + 1) for e in endpoints for t in targets]
    for round_number, endpoint, target in cells:
        print(f"  {round_number}/{rounds} {endpoint.name:8} {target.label:34}", end="", flush=True)
        if warmup:
            wrk(target.base_url + endpoint.path, target.headers, 32, warmup, script)
        for connections in (1, 32):
            measurement = run_wrk(target, endpoint, connections, seconds, script, service_pid)
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
    )


def _median_or_none(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def _us(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def report(results: list[Measurement], targets: list[Target], endpoints: list[Endpoint]) -> list[str]:
    """The table, the ratios and the verdict on the targets, as lines of text."""
    lines = []
    for endpoint in endpoints:
        lines += [
            "",
            f"{endpoint.name}: GET {endpoint.path} → {endpoint.status}  ({endpoint.what})",
            f"  {'':34} {'req/s @32':>10} {'p50 @1':>9} {'p99 @1':>9} {'p50 @32':>9} {'p99 @32':>9}"
            f"  {'CPU µs/req @32: proxy':>21} {'registry':>8}",
        ]
        for target in targets:
            one, many = (_find(results, target.key, endpoint.name, c) for c in (1, 32))
            errors = sum(m.socket_errors + m.unexpected_status for m in (one, many))
            flag = f"  ({errors} errors or unexpected statuses!)" if errors else ""
            lines.append(
                f"  {target.label:34} {many.rps:10,.0f} {one.p50_ms:7.2f}ms {one.p99_ms:7.2f}ms "
                f"{many.p50_ms:7.2f}ms {many.p99_ms:7.2f}ms  {_us(many.proxy_cpu_us):>21} "
                f"{_us(many.service_cpu_us):>8}{flag}"
            )
        direct, nginx, gateway = (
            (_find(results, key, endpoint.name, 32), _find(results, key, endpoint.name, 1))
            for key in ("direct", "nginx", "gateway")
        )
        of_nginx = gateway[0].rps / nginx[0].rps
        added = gateway[1].p50_ms - direct[1].p50_ms
        met_p50 = "met" if added < ADDED_P50_TARGET_MS else "MISSED"
        lines += [
            f"  gateway/direct throughput {gateway[0].rps / direct[0].rps:.2f}, gateway/nginx {of_nginx:.2f} "
            f"(target ≥ {THROUGHPUT_TARGET:.2f}: {'met' if of_nginx >= THROUGHPUT_TARGET else 'MISSED'})",
            f"  added p50 at 1 connection: gateway {added * 1000:+.0f} µs "
            f"(target < {ADDED_P50_TARGET_MS * 1000:.0f} µs: {met_p50}), "
            f"nginx {(nginx[1].p50_ms - direct[1].p50_ms) * 1000:+.0f} µs",
            f"  CPU per request at 32 connections: gateway {_us(gateway[0].proxy_cpu_us)} µs, nginx "
            f"{_us(nginx[0].proxy_cpu_us)} µs; the registry itself {_us(direct[0].service_cpu_us)} µs",
        ]
        for extra in targets[3:]:
            variant_many, variant_one = (_find(results, extra.key, endpoint.name, c) for c in (32, 1))
            lines.append(
                f"  {extra.label}: {variant_many.rps / gateway[0].rps:.2f}× the gateway's throughput, "
                f"added p50 at 1 connection {(variant_one.p50_ms - direct[1].p50_ms) * 1000:+.0f} µs"
            )
    return lines


def machine_line(seconds: int, warmup: int) -> str:
    """What the figures were measured on."""
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f} at start; wrk 1 thread, {seconds} s per run "
        f"after a {warmup} s warm-up; one uvicorn worker per process; nginx 1 worker"
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
        choices=("both", "cheap", "company"),
        default="both",
        help="which endpoints to load (default both)",
    )
    parser.add_argument(
        "--httpx-variant",
        action="store_true",
        help="also measure the httpx-based proxy (bench/httpx_proxy_variant.py)",
    )
    parser.add_argument(
        "--gateway-header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="extra header for the gateway path only (e.g. an API key once the gateway requires one)",
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
            "a demo company: identity token verified (EdDSA) and one PostgreSQL read",
        ),
    ]
    return [endpoint for endpoint in available if choice in ("both", endpoint.name)]


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print the figures; returns the exit code."""
    args = parse_args(argv)
    ensure_tools()
    endpoints = endpoints_for(args.endpoint)
    extra_gateway_headers: dict[str, str] = {}
    for header in args.gateway_header:
        name, _, value = header.partition(":")
        extra_gateway_headers[name.strip()] = value.strip()
    budget = args.rounds * len(endpoints) * (3 + args.httpx_variant) * (args.warmup + 2 * args.seconds)
    token, jwks = bench_identity(ttl_seconds=budget + 600)
    identity = {IDENTITY_HEADER: token}
    print(machine_line(args.seconds, args.warmup), flush=True)
    print(f"Starting the platform (about {budget} s of load follows)…", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="plaza-bench-") as scratch,
        postgres(Path(scratch)) as admin_url,
        platform(Path(scratch), admin_url, jwks) as stack,
        running_nginx(Path(scratch) / "nginx", stack.ports["registry"]) as (nginx_url, nginx_pid),
        contextlib.ExitStack() as variants,
    ):
        targets = [
            Target(
                "direct", "(a) registry directly", f"http://127.0.0.1:{stack.ports['registry']}", identity
            ),
            Target("nginx", "(b) nginx → registry", nginx_url, identity, nginx_pid),
            # Until the gateway authenticates partners it forwards the caller's identity header untouched;
            # then this becomes the API key (--gateway-header) and the gateway mints the identity itself.
            Target(
                "gateway",
                "(c) gateway → registry",
                stack.gateway_url,
                {**identity, **extra_gateway_headers},
                _pid(stack.child("gateway")),
            ),
        ]
        if args.httpx_variant:
            variant = start_httpx_variant(stack, Path(scratch))
            variants.callback(variant.stop)
            targets.append(
                Target(
                    "httpx", "(d) httpx-variant proxy → registry", variant.base_url, identity, _pid(variant)
                )
            )
        script = Path(scratch) / "report.lua"
        script.write_text(WRK_REPORT_SCRIPT)
        preflight(targets, endpoints)
        started = time.monotonic()
        registry_pid = _pid(stack.child("registry"))
        results = measure(targets, endpoints, args.seconds, args.warmup, script, registry_pid, args.rounds)
        elapsed = time.monotonic() - started
    lines = report(results, targets, endpoints)
    print("\n".join(lines), flush=True)
    print(f"\n(load phase {elapsed:.0f} s)", flush=True)
    save(results, lines, args)
    return 0


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


def save(results: list[Measurement], lines: list[str], args: argparse.Namespace) -> None:
    """Keep the run as JSON under bench/results/ (ignored by git)."""
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"gateway-{stamp}.json"
    document = {"options": vars(args), "results": [asdict(m) for m in results], "report": lines}
    path.write_text(json.dumps(document, indent=2))
    print(f"saved {path.relative_to(RESULTS_DIR.parent.parent)}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
