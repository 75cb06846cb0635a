"""Where a read's time goes, for `./plaza bench meetings`: its SQL statements and the Python around them.

For each read the meetings app runs in this process (`meetings.app.create_app`, over the bench's database,
trusting a key made here), called through `httpx.ASGITransport`, no HTTP server or gateway in between:

* **statements**: every statement one request sends (recorded on the engine), each run again under
  `EXPLAIN (ANALYZE, BUFFERS)` with its parameters: how many, the rows they return, their execution time;
* **Python**: CPU time per request over `requests` requests (`time.process_time`, the database's own work
  not included), and under cProfile the functions with the most own time, grouped by where they live
  (asyncpg and its protocol, SQLAlchemy ORM/Core, FastAPI/Starlette/pydantic, the service's own code).

py-spy is not available on the development machine; cProfile adds overhead of its own, so the shares are
what to read, not the absolute times.
"""

import asyncio
import cProfile
import json
import pstats
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
from sqlalchemy import event

from gateway.demo import PARTNER_SCOPES
from meetings.app import create_app
from meetings.settings import MeetingsSettings
from plaza_dev.keys import GATEWAY_ISSUER
from plaza_kit.identity import IDENTITY_HEADER, IdentitySigner, Principal, generate_private_key_pem, jwks_of

KEY_ID = "bench-meetings-profile"


@dataclass(frozen=True)
class Statement:
    """One statement a request sent, as EXPLAIN ANALYZE found it."""

    sql: str
    rows: int
    execution_ms: float
    plan_top: str


@dataclass
class Profile:
    """One read, in process."""

    read: str
    path: str
    statements: list[Statement] = field(default_factory=list)
    python_cpu_ms: float = 0.0  # CPU per request of this process (the app), without the database's
    wall_ms: float = 0.0  # per request, one at a time
    shares: list[tuple[str, float]] = field(default_factory=list)  # where cProfile saw own time, by area
    hottest: list[tuple[str, float]] = field(default_factory=list)  # the functions with most own time

    @property
    def sql_ms(self) -> float:
        """Execution time of all the request's statements (EXPLAIN ANALYZE)."""
        return sum(statement.execution_ms for statement in self.statements)


AREAS = (
    ("asyncpg/protocol", ("asyncpg", "selector_events.py")),  # Cython protocol time lands in the reader
    ("SQLAlchemy ORM", ("sqlalchemy/orm",)),
    ("SQLAlchemy Core/engine", ("sqlalchemy",)),
    ("FastAPI/Starlette/pydantic", ("fastapi", "starlette", "pydantic")),
    ("plaza_kit", ("plaza_kit",)),
    ("meetings (service code)", ("services/meetings",)),
    ("icalendar", ("icalendar",)),
    ("C built-ins (str, dict, len, …)", ("~",)),
    ("asyncio/other", ("",)),
)


def area_of(filename: str) -> str:
    """Which area a profiled function's file belongs to."""
    for area, marks in AREAS:
        if any(mark == filename if mark == "~" else mark in filename for mark in marks):
            return area
    return AREAS[-1][0]


def shares_of(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Own time by area, as shares of the total, largest first."""
    own: Counter[str] = Counter()
    entries: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (filename, _, _), (_, _, tottime, _, _) in entries.items():
        own[area_of(filename)] += tottime
    total = sum(own.values()) or 1.0
    return [(area, seconds / total) for area, seconds in own.most_common()]


def hottest_of(stats: pstats.Stats, count: int = 5) -> list[tuple[str, float]]:
    """The functions with the most own time: (file:function, share of the total)."""
    entries: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(value[2] for value in entries.values()) or 1.0
    ranked = sorted(entries.items(), key=lambda item: -item[1][2])[:count]
    return [
        (f"{filename.rsplit('/', 1)[-1]}:{name}", value[2] / total) for (filename, _, name), value in ranked
    ]


def _settings(database_url: str, public_key_pem: str) -> MeetingsSettings:
    return MeetingsSettings(
        database_url=database_url,
        trusted_keys=json.dumps(jwks_of((public_key_pem, KEY_ID, GATEWAY_ISSUER))),
        signing_key=generate_private_key_pem(),
        signing_key_id="bench-meetings",
        upstream_urls={"registry": "http://127.0.0.1:9"},  # never called by these reads
        log_level="WARNING",
    )


async def _explain(url: str, recorded: Sequence[tuple[str, Any]]) -> list[Statement]:
    connection = await asyncpg.connect(url)
    found = []
    try:
        for sql, parameters in recorded:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            arguments = tuple(parameters or ())
            plan = [
                str(row[0]) for row in await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *arguments)
            ]
            rows = len(await connection.fetch(sql, *arguments))
            execution = next(
                (float(line.split(":")[1].split()[0]) for line in plan if line.startswith("Execution Time")),
                0.0,
            )
            found.append(Statement(" ".join(sql.split())[:160], rows, execution, plan[0].strip()[:120]))
    finally:
        await connection.close()
    return found


async def profile_reads(
    database_url: str,
    reads: Sequence[tuple[str, Sequence[str], bool]],
    organisation_id: Any,
    requests: int = 30,
) -> list[Profile]:
    """Profile each read (`(key, paths, keyed)`: paths rotated, keyed reads with the organiser's identity)."""
    private = generate_private_key_pem()
    signer = IdentitySigner(private, kid=KEY_ID, issuer=GATEWAY_ISSUER)
    token = signer.mint(
        Principal(subject="bench-profile", organisation_id=organisation_id, scopes=frozenset(PARTNER_SCOPES)),
        ttl_seconds=3600,
    )
    app = create_app(_settings(database_url, private))
    recorded: list[tuple[str, Any]] = []
    profiles = []
    async with app.router.lifespan_context(app):
        engine = app.state.engine

        def record(
            _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
        ) -> None:
            recorded.append((statement, parameters))

        event.listen(engine.sync_engine, "before_cursor_execute", record)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://meetings") as client:
            for key, paths, keyed in reads:
                headers = {IDENTITY_HEADER: token} if keyed else {}
                profile = Profile(key, paths[0])
                for path in paths[:3]:  # warm: statements prepared, caches filled
                    (await client.get(path, headers=headers)).raise_for_status()
                recorded.clear()
                (await client.get(paths[0], headers=headers)).raise_for_status()
                statements = list(recorded)
                cpu, wall = time.process_time(), time.perf_counter()
                for n in range(requests):
                    await client.get(paths[n % len(paths)], headers=headers)
                profile.python_cpu_ms = (time.process_time() - cpu) * 1000 / requests
                profile.wall_ms = (time.perf_counter() - wall) * 1000 / requests
                profiler = cProfile.Profile(time.process_time)  # CPU, not waits on the database
                profiler.enable()
                for n in range(requests):
                    await client.get(paths[n % len(paths)], headers=headers)
                profiler.disable()
                stats = pstats.Stats(profiler)
                profile.shares, profile.hottest = shares_of(stats), hottest_of(stats)
                profile.statements = await _explain(database_url, statements)
                profiles.append(profile)
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    return profiles


def report(profiles: Sequence[Profile]) -> list[str]:
    """The profiles as lines of text."""
    lines = ["where the time goes (in process, one request at a time; EXPLAIN ANALYZE of its statements):"]
    for profile in profiles:
        rows = sum(statement.rows for statement in profile.statements)
        lines.append(
            f"  {profile.read}: {profile.wall_ms:.1f} ms a request, {profile.python_cpu_ms:.1f} ms of it "
            f"Python CPU; {len(profile.statements)} statements returning {rows:,} rows in "
            f"{profile.sql_ms:.1f} ms of SQL"
        )
        for statement in sorted(profile.statements, key=lambda s: (-s.rows, -s.execution_ms))[:4]:
            lines.append(
                f"    {statement.rows:6,} rows {statement.execution_ms:6.2f} ms  {statement.sql[:90]}"
            )
        lines.append(
            "    Python own time: " + ", ".join(f"{area} {share:.0%}" for area, share in profile.shares[:5])
        )
        lines.append("    hottest: " + ", ".join(f"{name} {share:.0%}" for name, share in profile.hottest))
    return lines


def run(
    database_url: str, reads: Sequence[tuple[str, Sequence[str], bool]], organisation_id: Any
) -> list[str]:
    """Profile the reads and return the report's lines."""
    return report(asyncio.run(profile_reads(database_url, reads, organisation_id)))
