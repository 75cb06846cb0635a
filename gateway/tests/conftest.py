"""Gateway test fixtures: an engine as the gateway's own role over the run's database."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from plaza_dev.testing import PlazaDatabase, service_engine


@pytest.fixture(scope="session")
async def gateway_engine(test_database: PlazaDatabase) -> AsyncIterator[AsyncEngine]:
    async for engine in service_engine(test_database, "gateway"):
        yield engine
