"""Pytest plugin shared by every test suite: a real PostgreSQL, a fresh database per run, migrated.

`TEST_DATABASE_URL` (a superuser URL) selects a server; without it an embedded PostgreSQL 18 is started in a
temporary folder for the run and removed afterwards. Either way the run gets its own database
(`plaza_test_<random>`), dropped at the end, so runs never see each other's data.
"""

import asyncio
import contextlib
import json
import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import asyncpg
import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from plaza_contracts import uuid7
from plaza_dev.embedded_pg import EmbeddedPostgres, free_port
from plaza_dev.stack import Stack
from plaza_kit.bootstrap import bootstrap, service_url, with_database
from plaza_kit.catalogue import COMPONENTS, component, resolve
from plaza_kit.identity import (
    IDENTITY_HEADER,
    IdentitySigner,
    Principal,
    generate_private_key_pem,
    jwks_of,
)
from plaza_kit.migrations import upgrade
from plaza_kit.settings import asyncpg_url

TEST_ORIGIN = "https://partner.example"  # the browser origin the end-to-end stack allows (CORS)


@dataclass(frozen=True)
class PlazaDatabase:
    """The run's database and how each role reaches it."""

    admin_url: str  # superuser, on the server's maintenance database
    name: str

    def url(self, service: str) -> str:
        """URL of `service`'s own role."""
        return service_url(self.admin_url, self.name, service)

    @property
    def superuser_url(self) -> str:
        """Superuser URL on the test database."""
        return with_database(self.admin_url, self.name)


@contextlib.contextmanager
def private_folder(prefix: str) -> Iterator[Path]:
    # Not pytest's numbered temp folders: another pytest run on the machine prunes those while this run
    # still uses them (a database whose data folder disappears under it panics).
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A superuser URL: TEST_DATABASE_URL, or an embedded server started for this run."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    with private_folder("plaza-test-pg-") as folder:
        server = EmbeddedPostgres(folder / "data", durable=False)
        url = server.start()
        try:
            yield url
        finally:
            server.stop()


@pytest.fixture(scope="session")
def test_database(postgres_admin_url: str) -> Iterator[PlazaDatabase]:
    """A fresh database with every schema, role and migration in place; dropped after the run."""
    database = PlazaDatabase(admin_url=postgres_admin_url, name=f"plaza_test_{uuid7().hex[-12:]}")
    asyncio.run(bootstrap(postgres_admin_url, database.name))
    for entry in COMPONENTS:
        upgrade(entry.name, database.url(entry.name))
    try:
        yield database
    finally:
        asyncio.run(_drop(postgres_admin_url, database.name))


async def _drop(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def service_engine(database: PlazaDatabase, service: str) -> AsyncIterator[AsyncEngine]:
    """An engine connecting as `service`'s role (for per-service conftest fixtures)."""
    engine = create_async_engine(asyncpg_url(database.url(service)), pool_size=5, max_overflow=10)
    try:
        yield engine
    finally:
        await engine.dispose()


@dataclass(frozen=True)
class Identities:
    """Mints identity tokens as the gateway would, with a key generated for the test run."""

    signer: IdentitySigner
    jwks: dict[str, Any]

    @property
    def jwks_json(self) -> str:
        """The JWKS as a settings value."""
        return json.dumps(self.jwks)

    def token(
        self,
        *scopes: str,
        organisation_id: uuid.UUID | None = None,
        subject: str = "test-client",
        kind: Literal["client", "service"] = "client",
        ttl_seconds: int = 60,
    ) -> str:
        """A signed token for a principal with `scopes`."""
        principal = Principal(
            subject=subject, organisation_id=organisation_id, scopes=frozenset(scopes), kind=kind
        )
        return self.signer.mint(principal, ttl_seconds=ttl_seconds)

    def headers(self, *scopes: str, organisation_id: uuid.UUID | None = None) -> dict[str, str]:
        """Request headers carrying such a token."""
        return {IDENTITY_HEADER: self.token(*scopes, organisation_id=organisation_id)}


@pytest.fixture(scope="session")
def identities() -> Identities:
    """A signing key for this run, and the JWKS that services under test trust."""
    pem = generate_private_key_pem()
    return Identities(
        signer=IdentitySigner(pem, kid="test-gateway", issuer="plaza-gateway"),
        jwks=jwks_of((pem, "test-gateway", "plaza-gateway")),
    )


def redis_url_for_tests() -> str | None:
    """`TEST_REDIS_URL` (default redis://127.0.0.1:6379/0) when a Redis answers there, else None."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    address = url.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = address.partition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port or 6379)), timeout=0.5).close()
    except OSError:
        return None
    return url


@pytest.fixture(scope="session")
def stack(postgres_admin_url: str) -> Iterator[Stack]:
    """The whole platform as processes on free ports over its own database, with demo data and clients.

    Shared by every end-to-end test of the run: tests that change clients, keys or limits create their own
    clients through the admin API (`stack.key("admin")`). Redis is used when one answers (see
    `redis_url_for_tests`), under a prefix of this run's own. Process logs are in `stack.log_dir`.
    """
    name = f"plaza_e2e_{uuid7().hex[-12:]}"
    with private_folder("plaza-test-logs-") as logs:
        yield from running_stack(postgres_admin_url, name, logs)


def running_stack(postgres_admin_url: str, name: str, logs: Path) -> Iterator[Stack]:
    platform = Stack.on_free_ports(
        postgres_admin_url,
        name,
        log_dir=logs,
        redis_url=redis_url_for_tests(),
        redis_prefix=f"plaza:test:{uuid7().hex}:",
        extra_env={"GATEWAY_CORS_ORIGINS": TEST_ORIGIN, "GATEWAY_BODY_TIMEOUT": "2"},
    )
    try:
        platform.prepare(load_demo=True)
        platform.start()
        yield platform
    finally:
        platform.stop()
        asyncio.run(_drop(postgres_admin_url, name))


@contextlib.contextmanager
def serving(app: Any, *, start_timeout: float = 20.0) -> Iterator[str]:
    """Serve an ASGI app over real HTTP on a free loopback port (a thread of its own, with its own event
    loop and lifespan); yields its base URL. Service tests use it for the services theirs calls."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", access_log=False)
    )
    thread = threading.Thread(target=server.run, name=f"serving-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the app on port {port} did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def component_app(name: str, **settings: Any) -> Any:
    """The ASGI app of catalogue component `name`, built from its own settings class with `settings`."""
    entry = component(name)
    settings_class = resolve(entry.settings_class)
    return resolve(entry.app_factory)(settings_class(**settings))
