"""Registry test fixtures: the real app over the run's PostgreSQL database.

`client` runs each test inside a transaction that is rolled back (requests commit to a savepoint), so tests
see only their own rows. `live_client` commits for real, for tests that need several connections at once.
"""

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from plaza_dev.testing import Identities, PlazaDatabase, service_engine
from plaza_kit.app import bind_database
from plaza_kit.db import make_sessionmaker
from plaza_kit.scopes import Scope
from registry.app import create_app
from registry.settings import RegistrySettings


@pytest.fixture(scope="session")
async def registry_engine(test_database: PlazaDatabase) -> AsyncIterator[AsyncEngine]:
    async for engine in service_engine(test_database, "registry"):
        yield engine


# The organisation the default test client acts for, and another one.
OWN_ORGANISATION = uuid.UUID("01995a1e-ec00-7000-8000-00000000000a")
OTHER_ORGANISATION = uuid.UUID("01995a1e-ec00-7000-8000-00000000000b")


@pytest.fixture(scope="session")
def registry_settings(test_database: PlazaDatabase, identities: Identities) -> RegistrySettings:
    return RegistrySettings(
        database_url=test_database.url("registry"),
        max_body_bytes=64 * 1024,
        trusted_keys=identities.jwks_json,
    )


@pytest.fixture
def partner_headers(identities: Identities) -> dict[str, str]:
    """A partner client of OWN_ORGANISATION with registry read and write."""
    return identities.headers(Scope.REGISTRY_READ, Scope.REGISTRY_WRITE, organisation_id=OWN_ORGANISATION)


@pytest.fixture
async def client(
    registry_engine: AsyncEngine, registry_settings: RegistrySettings, partner_headers: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(registry_settings)
    async with registry_engine.connect() as connection:
        transaction = await connection.begin()
        bind_database(
            app, registry_engine, make_sessionmaker(connection, join_transaction_mode="create_savepoint")
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://registry", headers=partner_headers
        ) as http:
            yield http
        await transaction.rollback()


@pytest.fixture
async def live_client(
    registry_engine: AsyncEngine, registry_settings: RegistrySettings, partner_headers: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(registry_settings)
    bind_database(app, registry_engine, make_sessionmaker(registry_engine))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://registry", headers=partner_headers
    ) as http:
        yield http
