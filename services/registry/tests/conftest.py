"""Registry test fixtures: the real app over the run's PostgreSQL database.

`client` runs each test inside a transaction that is rolled back (requests commit to a savepoint), so tests
see only their own rows. `live_client` commits for real, for tests that need several connections at once.
"""

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from plaza_dev.testing import PlazaDatabase, service_engine
from plaza_kit.app import bind_database
from plaza_kit.db import make_sessionmaker
from registry.app import create_app
from registry.settings import RegistrySettings


@pytest.fixture(scope="session")
async def registry_engine(test_database: PlazaDatabase) -> AsyncIterator[AsyncEngine]:
    async for engine in service_engine(test_database, "registry"):
        yield engine


@pytest.fixture(scope="session")
def registry_settings(test_database: PlazaDatabase) -> RegistrySettings:
    return RegistrySettings(database_url=test_database.url("registry"), max_body_bytes=64 * 1024)


@pytest.fixture
async def client(
    registry_engine: AsyncEngine, registry_settings: RegistrySettings
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(registry_settings)
    async with registry_engine.connect() as connection:
        transaction = await connection.begin()
        bind_database(
            app, registry_engine, make_sessionmaker(connection, join_transaction_mode="create_savepoint")
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as http:
            yield http
        await transaction.rollback()


@pytest.fixture
async def live_client(
    registry_engine: AsyncEngine, registry_settings: RegistrySettings
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(registry_settings)
    bind_database(app, registry_engine, make_sessionmaker(registry_engine))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://registry") as http:
        yield http
