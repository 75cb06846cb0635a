"""Investment test fixtures: the real app over the run's PostgreSQL database, as its own role."""

from collections.abc import AsyncIterator

import httpx
import pytest

from investment.app import create_app
from investment.settings import InvestmentSettings
from plaza_dev.testing import Identities, PlazaDatabase


@pytest.fixture(scope="session")
def investment_settings(test_database: PlazaDatabase, identities: Identities) -> InvestmentSettings:
    return InvestmentSettings(database_url=test_database.url("investment"), trusted_keys=identities.jwks_json)


@pytest.fixture
async def client(investment_settings: InvestmentSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(investment_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://investment") as http:
            yield http
