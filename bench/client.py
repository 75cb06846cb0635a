"""`./plaza bench client`: what one service calling another costs, through the kit's httpx client vs aiohttp.

One run starts PostgreSQL (embedded PostgreSQL 18, or a scratch database on the server at `DATABASE_URL` /
`--database-url`, dropped afterwards), migrates it, loads generated companies (`bench/registry_data.py`),
and starts the registry as a real process (`python -m registry`: uvicorn, one worker) that trusts the key
of a calling service (`meetings`). This process then plays that service: it sends batch lookups
(`POST /v1/companies/refs`, `--ids` ids each) with N calls in flight (1, 8, 32, 64 by default) through

  kit        `plaza_kit.client` as a service gets it (`open_upstreams`: one httpx.AsyncClient with a pool of
             `upstream_pool_size` connections and as many calls in flight, identity, request id,
             traceparent, timeouts, the typed registry client)
  kit-N      the same with a pool of N connections (`--pools`, default 4 and 64)
  ungated    the kit's client without its in-flight limit: calls beyond the pool wait in httpcore's queue,
             as with a plain httpx.AsyncClient
  nosniffio  the kit while `import sniffio` fails as it does where sniffio is not installed (anyio 4.16
             dropped it; httpcore imports it on every lock): what pinning it in plaza-kit saves
  aiohttp    one aiohttp.ClientSession doing the same calls the same way (same headers, same cached token,
             same parsing of the answer into `CompanyRefLookup`), the gateway's client library

for `--seconds` each after a warm-up, the variants taking turns for `--rounds` rounds, on uvloop (as the
services run). It prints per variant and concurrency: calls/s, p50/p99 latency, the CPU time per call of the
caller (this process) and of the registry, and the kit ÷ aiohttp ratios. Method and figures: bench/README.md.
"""

import argparse
import asyncio
import contextlib
import importlib
import importlib.abc
import importlib.machinery
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import uvloop
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from bench import registry_data
from bench.gateway import _drop_database, postgres
from bench.tools import cpu_seconds
from plaza_contracts import CompanyRefLookup, RefLookupRequest
from plaza_dev.embedded_pg import free_port
from plaza_dev.processes import ChildProcess
from plaza_kit.bootstrap import bootstrap, service_url
from plaza_kit.client import (
    ServiceClient,
    ServiceIdentity,
    Timeouts,
    open_upstreams,
    outgoing_traceparent,
    service_signer,
)
from plaza_kit.client_registry import COMPANY_REFS_PATH, RegistryClient
from plaza_kit.context import current_request_id, request_id_var, trace_id_var
from plaza_kit.identity import IDENTITY_HEADER, Principal, generate_private_key_pem, jwks_of
from plaza_kit.middleware import REQUEST_ID_HEADER
from plaza_kit.migrations import upgrade
from plaza_kit.settings import ServiceSettings

RESULTS_DIR = Path(__file__).resolve().parent / "results"
CALLER = "meetings"
CALLER_KID = "meetings-bench"
DEFAULT_CONCURRENCY = (1, 8, 32, 64)
DEFAULT_POOLS = (4, 64)
FAILURES: list[str] = []  # what the failed calls raised, for the report


class CallerSettings(ServiceSettings):
    """The calling service's settings (the meetings service's prefix)."""

    model_config = SettingsConfigDict(env_prefix="MEETINGS_", extra="ignore")


# --- the two callers ------------------------------------------------------------------------------------


Call = Callable[[list[uuid.UUID]], Awaitable[CompanyRefLookup]]


class AiohttpCaller:
    """The same call over one aiohttp session: headers, token and parsing as the kit does them."""

    def __init__(self, base_url: str, identity: ServiceIdentity, pool_size: int) -> None:
        self.url = base_url + COMPANY_REFS_PATH
        self.identity = identity
        connector = aiohttp.TCPConnector(limit=pool_size, limit_per_host=pool_size, keepalive_timeout=3)
        self.session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=1, sock_read=5
            ),  # as the kit (its pool wait: 60 s)
            cookie_jar=aiohttp.DummyCookieJar(),
        )

    async def __call__(self, ids: list[uuid.UUID]) -> CompanyRefLookup:
        headers = {
            IDENTITY_HEADER: self.identity.token(),
            "traceparent": outgoing_traceparent(),
            "content-type": "application/json",
        }
        request_id = current_request_id()
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        body = RefLookupRequest(ids=ids).model_dump_json().encode()
        async with self.session.post(self.url, data=body, headers=headers) as response:
            content = await response.read()
            if response.status != 200:
                raise RuntimeError(f"the registry answered {response.status}: {content[:200]!r}")
        return CompanyRefLookup.model_validate_json(content)

    async def aclose(self) -> None:
        await self.session.close()


@dataclass
class Variant:
    """One way of calling: its name, the call, how to close it, and what to switch around its runs."""

    name: str
    call: Call
    close: Callable[[], Awaitable[None]]
    switch: Callable[[bool], None] = lambda on: None


class MissingModule(importlib.abc.MetaPathFinder):
    """While on, `import sniffio` fails as it does where sniffio is not installed (anyio 4.16 dropped it):
    after a search of every `sys.path` entry. httpcore 1.0.9 imports it on every lock and event it makes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.on = False
        module = importlib.import_module(name)
        home = str(Path(module.__file__ or "").parent.parent)
        self.elsewhere = [entry for entry in sys.path if entry != home]

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if self.on and fullname == self.name:
            importlib.machinery.PathFinder.find_spec(
                fullname, self.elsewhere
            )  # the search that finds nothing
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None

    def switch(self, on: bool) -> None:
        self.on = on
        sys.modules.pop(self.name, None)
        if not on:
            importlib.import_module(self.name)


def caller_settings(registry_url: str, pem: str, pool_size: int | None) -> CallerSettings:
    extra: dict[str, Any] = {"upstream_pool_size": pool_size} if pool_size else {}
    return CallerSettings(
        database_url="postgresql://unused@127.0.0.1/unused",
        signing_key=SecretStr(pem),
        signing_key_id=CALLER_KID,
        upstream_urls={"registry": registry_url},
        upstream_pool_timeout=60.0,  # the bench queues on purpose: waiting is measured, not refused
        **extra,
    )


def kit_client(registry_url: str, pem: str, pool: int | None, *, gated: bool = True) -> ServiceClient:
    """The registry's client as `open_upstreams` builds it; `gated=False` lets every call into httpcore's
    pool queue (plain httpx), the way the kit was before the semaphore."""
    settings = caller_settings(registry_url, pem, pool)
    if gated:
        return open_upstreams(CALLER, settings, ["registry"])["registry"]
    principal = Principal(
        subject=CALLER, organisation_id=None, scopes=frozenset({"registry:read"}), kind="service"
    )
    return ServiceClient(
        "registry",
        registry_url,
        identity=ServiceIdentity(service_signer(CALLER, settings), principal),
        timeouts=Timeouts.of(settings),
        pool_size=settings.upstream_pool_size,
        max_in_flight=100_000,
        user_agent=f"plaza-{CALLER}",
    )


def variants(registry_url: str, pem: str, pools: Sequence[int], aiohttp_pool: int) -> list[Variant]:
    """The kit as configured by default, at other pool sizes, ungated, without sniffio; and aiohttp."""
    found: list[Variant] = []

    def add(name: str, client: ServiceClient, switch: Callable[[bool], None] | None = None) -> None:
        variant = Variant(name, RegistryClient(client).company_refs, client.aclose)
        if switch is not None:
            variant.switch = switch
        found.append(variant)

    add("kit", kit_client(registry_url, pem, None))
    for pool in pools:
        add(f"kit-{pool}", kit_client(registry_url, pem, pool))
    add("ungated", kit_client(registry_url, pem, None, gated=False))
    missing = MissingModule("sniffio")
    sys.meta_path.insert(0, missing)
    add("nosniffio", kit_client(registry_url, pem, None), missing.switch)
    signer = service_signer(CALLER, caller_settings(registry_url, pem, None))
    principal = Principal(
        subject=CALLER, organisation_id=None, scopes=frozenset({"registry:read"}), kind="service"
    )
    aio = AiohttpCaller(registry_url, ServiceIdentity(signer, principal), aiohttp_pool)
    found.append(Variant("aiohttp", aio, aio.aclose))
    return found


# --- measuring ------------------------------------------------------------------------------------------


@dataclass
class Run:
    """One variant at one concurrency for one round."""

    variant: str
    concurrency: int
    calls: int
    errors: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)
    caller_cpu_s: float
    registry_cpu_s: float

    @property
    def rate(self) -> float:
        return self.calls / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    @property
    def caller_us(self) -> float:
        return self.caller_cpu_s * 1e6 / max(self.calls, 1)

    @property
    def registry_us(self) -> float:
        return self.registry_cpu_s * 1e6 / max(self.calls, 1)


async def load(
    call: Call, pick: Callable[[], list[uuid.UUID]], concurrency: int, seconds: float
) -> tuple[int, int, list[float]]:
    """`concurrency` workers calling back to back for `seconds`: (calls, errors, latencies in ms)."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = 0

    async def worker(index: int) -> None:
        nonlocal errors
        request_id_var.set(f"bench-{index}")  # as while serving a request: propagated
        trace_id_var.set(os.urandom(16).hex())
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                answer = await call(pick())
                if not answer.items:
                    errors += 1
            except Exception as error:  # a failed call is counted, and fails the run
                errors += 1
                FAILURES.append(f"{type(error).__name__}: {error}"[:300])
            latencies.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(worker(index) for index in range(concurrency)))
    return len(latencies), errors, latencies


async def measure(
    variant: Variant,
    pick: Callable[[], list[uuid.UUID]],
    concurrency: int,
    seconds: float,
    warmup: float,
    registry_pid: int,
) -> Run:
    variant.switch(True)
    try:
        await load(variant.call, pick, concurrency, warmup)
        cpu_before, registry_before = time.process_time(), cpu_seconds([registry_pid])
        started = time.perf_counter()
        calls, errors, latencies = await load(variant.call, pick, concurrency, seconds)
        elapsed = time.perf_counter() - started
        caller_cpu = time.process_time() - cpu_before
        registry_cpu = cpu_seconds([registry_pid]) - registry_before
    finally:
        variant.switch(False)
    return Run(
        variant=variant.name,
        concurrency=concurrency,
        calls=calls,
        errors=errors,
        seconds=elapsed,
        latencies_ms=latencies,
        caller_cpu_s=caller_cpu,
        registry_cpu_s=registry_cpu,
    )


# --- the platform ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def registry_process(folder: Path, admin_url: str, companies: int, trusted: str) -> Iterator[ChildProcess]:
    """A fresh database with `companies` generated companies, and the registry alone serving it."""
    database = f"plaza_bench_client_{uuid.uuid4().hex[:10]}"
    url = service_url(admin_url, database, "registry")
    try:
        asyncio.run(bootstrap(admin_url, database))
        upgrade("registry", url)
        asyncio.run(registry_data.load(url, 0, companies))
        (folder / "logs").mkdir(exist_ok=True)
        port = free_port()
        env = {
            "REGISTRY_DATABASE_URL": url,
            "REGISTRY_PORT": str(port),
            "REGISTRY_TRUSTED_KEYS": trusted,
            "REGISTRY_LOG_LEVEL": "WARNING",  # no access line: the caller is measured, not the log
        }
        child = ChildProcess(
            "registry", "registry", port, env, log_path=str(folder / "logs" / "registry.log")
        )
        child.start()
        try:
            child.wait_ready(60)
            yield child
        finally:
            child.stop()
    finally:
        asyncio.run(_drop_database(admin_url, database))


# --- report ---------------------------------------------------------------------------------------------


def median_of(runs: Sequence[Run], value: Callable[[Run], float]) -> float:
    return statistics.median(value(run) for run in runs)


def report(runs: Sequence[Run], names: Sequence[str], levels: Sequence[int]) -> list[str]:
    lines = [
        "",
        f"{'in flight':>9}  {'variant':<9} {'calls/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'caller µs/call':>14} {'registry µs/call':>16}",
    ]
    for level in levels:
        for name in names:
            chosen = [run for run in runs if run.variant == name and run.concurrency == level]
            if not chosen:
                continue
            lines.append(
                f"{level:>9}  {name:<9} {median_of(chosen, lambda r: r.rate):>8.0f} "
                f"{median_of(chosen, lambda r: r.percentile(0.5)):>8.1f} "
                f"{median_of(chosen, lambda r: r.percentile(0.99)):>8.1f} "
                f"{median_of(chosen, lambda r: r.caller_us):>14.0f} "
                f"{median_of(chosen, lambda r: r.registry_us):>16.0f}"
            )
    lines += ["", "kit variants ÷ aiohttp (medians): calls/s, caller CPU per call, p99"]
    for level in levels:
        base = [run for run in runs if run.variant == "aiohttp" and run.concurrency == level]
        for name in names:
            chosen = [run for run in runs if run.variant == name and run.concurrency == level]
            if name == "aiohttp" or not chosen or not base:
                continue
            rate = median_of(chosen, lambda r: r.rate) / median_of(base, lambda r: r.rate)
            cpu = median_of(chosen, lambda r: r.caller_us) / median_of(base, lambda r: r.caller_us)
            p99 = median_of(chosen, lambda r: r.percentile(0.99)) / median_of(
                base, lambda r: r.percentile(0.99)
            )
            lines.append(f"{level:>9}  {name:<9} calls/s ×{rate:.2f}   CPU ×{cpu:.2f}   p99 ×{p99:.2f}")
    return lines


# --- main -----------------------------------------------------------------------------------------------


def parse_levels(text: str) -> list[int]:
    levels = sorted({int(part) for part in text.split(",") if part.strip()})
    if not levels or levels[0] < 1:
        raise argparse.ArgumentTypeError("positive numbers, e.g. 1,8,32,64")
    return levels


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./plaza bench client", description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=parse_levels, default=list(DEFAULT_CONCURRENCY))
    parser.add_argument(
        "--pools",
        type=lambda text: parse_levels(text) if text else [],
        default=list(DEFAULT_POOLS),
        help="extra kit pool sizes to measure beside the default one (empty: none)",
    )
    parser.add_argument(
        "--aiohttp-pool",
        type=int,
        default=CallerSettings.model_fields["upstream_pool_size"].default,
        help="aiohttp connector limit (default: the kit's pool, so both keep as many calls in flight)",
    )
    parser.add_argument(
        "--only",
        type=lambda text: [name.strip() for name in text.split(",") if name.strip()],
        default=[],
        help="measure only these variants, e.g. kit,kit-4,aiohttp",
    )
    parser.add_argument("--seconds", type=float, default=4.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds per run")
    parser.add_argument("--rounds", type=int, default=2, help="rounds; the variants take turns in each")
    parser.add_argument("--ids", type=int, default=20, help="ids per lookup")
    parser.add_argument("--companies", type=int, default=5_000, help="generated companies in the registry")
    parser.add_argument("--database-url", default=None, help="superuser URL of a PostgreSQL server to use")
    return parser.parse_args(argv)


async def bench(args: argparse.Namespace, base_url: str, pem: str, registry_pid: int) -> list[Run]:
    rng = random.Random(1)
    known = [registry_data.company_id(index) for index in range(args.companies)]

    def pick() -> list[uuid.UUID]:
        ids = rng.sample(known, args.ids - 1)
        return [*ids, uuid.UUID(int=rng.getrandbits(128))]  # one unknown id per call

    callers = variants(base_url, pem, args.pools, args.aiohttp_pool)
    if args.only:
        unused = [variant for variant in callers if variant.name not in args.only]
        callers = [variant for variant in callers if variant.name in args.only]
        for variant in unused:
            await variant.close()
    runs: list[Run] = []
    try:
        for round_number in range(args.rounds):
            for level in args.concurrency:
                order = callers if round_number % 2 == 0 else list(reversed(callers))
                for variant in order:
                    run = await measure(variant, pick, level, args.seconds, args.warmup, registry_pid)
                    runs.append(run)
                    print(
                        f"  round {round_number + 1} · {level:>2} in flight · {variant.name:<8} "
                        f"{run.rate:7.0f} calls/s  caller {run.caller_us:6.0f} µs/call"
                        + (f"  ERRORS {run.errors}" if run.errors else ""),
                        flush=True,
                    )
    finally:
        for variant in callers:
            await variant.close()
    return runs


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load_average = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load average {load_average:.2f} at start; caller on uvloop", flush=True)
    pem = generate_private_key_pem()
    trusted = json.dumps(jwks_of((pem, CALLER_KID, f"plaza-{CALLER}")))
    database_url = args.database_url or os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="plaza-bench-client-") as scratch:
        folder = Path(scratch)
        with contextlib.ExitStack() as stack:
            admin_url = database_url or stack.enter_context(postgres(folder))
            print(f"loading {args.companies:,} companies…", flush=True)
            registry = stack.enter_context(registry_process(folder, admin_url, args.companies, trusted))
            assert registry.process is not None
            print(f"registry at {registry.base_url}; {args.ids} ids per lookup", flush=True)
            with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                runs = runner.run(bench(args, registry.base_url, pem, registry.process.pid))
    names = list(dict.fromkeys(run.variant for run in runs))
    lines = report(runs, names, args.concurrency)
    failed = sum(run.errors for run in runs)
    if failed:
        lines.append(f"\nRUN FAILED: {failed} calls failed or came back empty; the figures do not count")
        lines += [f"  {text}" for text in sorted(set(FAILURES))[:5]]
    print("\n".join(lines), flush=True)
    save(runs, lines, args, load_average)
    return 1 if failed else 0


def save(runs: Sequence[Run], lines: list[str], args: argparse.Namespace, load_average: float) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    document = {
        "args": {key: value for key, value in vars(args).items() if key != "database_url"},
        "load_average": load_average,
        "report": lines,
        "runs": [
            {
                **asdict(run),
                "latencies_ms": None,
                "p50_ms": run.percentile(0.5),
                "p99_ms": run.percentile(0.99),
            }
            for run in runs
        ],
    }
    (RESULTS_DIR / f"client-{stamp}.json").write_text(json.dumps(document, indent=1))


if __name__ == "__main__":
    sys.exit(main())
