"""Meetings test fixtures: the real app over the run's PostgreSQL database, as its own role."""

from collections.abc import AsyncIterator

import httpx
import pytest

from meetings.app import create_app
from meetings.settings import MeetingsSettings
from plaza_dev.testing import Identities, PlazaDatabase


@pytest.fixture(scope="session")
def meetings_settings(test_database: PlazaDatabase, identities: Identities) -> MeetingsSettings:
    return MeetingsSettings(database_url=test_database.url("meetings"), trusted_keys=identities.jwks_json)


@pytest.fixture
async def client(meetings_settings: MeetingsSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(meetings_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://meetings") as http:
            yield http
