"""Pytest plugin shared by every test suite: a real PostgreSQL, a fresh database per run, migrated.

`TEST_DATABASE_URL` (a superuser URL) selects a server; without it an embedded PostgreSQL 18 is started in a
temporary folder for the run and removed afterwards. Either way the run gets its own database
(`plaza_test_<random>`), dropped at the end, so runs never see each other's data.
"""

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from plaza_contracts import uuid7
from plaza_dev.embedded_pg import EmbeddedPostgres
from plaza_kit.bootstrap import bootstrap, service_url, with_database
from plaza_kit.identity import (
    IDENTITY_HEADER,
    IdentitySigner,
    Principal,
    generate_private_key_pem,
    jwks_of,
)
from plaza_kit.migrations import upgrade
from plaza_kit.settings import asyncpg_url

SERVICES = ("registry", "meetings", "investment")


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


@pytest.fixture(scope="session")
def postgres_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A superuser URL: TEST_DATABASE_URL, or an embedded server started for this run."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    server = EmbeddedPostgres(Path(tmp_path_factory.mktemp("pg")) / "data", durable=False)
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
    for service in SERVICES:
        upgrade(service, database.url(service))
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
