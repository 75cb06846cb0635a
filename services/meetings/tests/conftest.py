"""Meetings test fixtures: the real app over the run's PostgreSQL database, as its own role, calling a real
registry over HTTP (`plaza_dev.testing.serving`) with its own signed service identity.

`client` runs each test inside a transaction that is rolled back (requests commit to a savepoint), so tests
see only their own rows; `live_client` commits for real, for tests that need several connections at once
(races). Registry companies are created through the registry's own API (`companies` fixture).
"""

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from meetings.app import create_app
from meetings.settings import MeetingsSettings
from plaza_dev.testing import Identities, PlazaDatabase, component_app, service_engine, serving
from plaza_kit.app import bind_database
from plaza_kit.db import make_sessionmaker
from plaza_kit.identity import generate_private_key_pem, jwks_of
from plaza_kit.scopes import Scope

from .helpers import ORGANISER, Companies

MEETINGS_KEY = generate_private_key_pem()
MEETINGS_KEY_ID = "meetings-test"


@pytest.fixture(scope="session")
def registry_url(test_database: PlazaDatabase, identities: Identities) -> Iterator[str]:
    """A real registry on a free port, trusting the test gateway and this service's key."""
    trusted = {
        "keys": identities.jwks["keys"] + jwks_of((MEETINGS_KEY, MEETINGS_KEY_ID, "plaza-meetings"))["keys"]
    }
    app = component_app(
        "registry", database_url=test_database.url("registry"), trusted_keys=json.dumps(trusted)
    )
    with serving(app) as url:
        yield url


@pytest.fixture(scope="session")
def companies(registry_url: str, identities: Identities) -> Companies:
    """Makes registry companies and organisations through the registry's API."""
    return Companies(registry_url, identities)


@pytest.fixture(scope="session")
def meetings_settings(
    test_database: PlazaDatabase, identities: Identities, registry_url: str
) -> MeetingsSettings:
    return MeetingsSettings(
        database_url=test_database.url("meetings"),
        trusted_keys=identities.jwks_json,
        signing_key=MEETINGS_KEY,
        signing_key_id=MEETINGS_KEY_ID,
        upstream_urls={"registry": registry_url},
        upstream_read_timeout=5,
    )


@pytest.fixture(scope="session")
async def meetings_engine(test_database: PlazaDatabase) -> AsyncIterator[AsyncEngine]:
    async for engine in service_engine(test_database, "meetings"):
        yield engine


@pytest.fixture
def organiser_headers(identities: Identities) -> dict[str, str]:
    """A client of the organising organisation with every meetings scope."""
    return identities.headers(
        Scope.MEETINGS_READ, Scope.MEETINGS_WRITE, Scope.MEETINGS_ORGANISE, organisation_id=ORGANISER
    )


@pytest.fixture
def as_org(identities: Identities) -> Any:
    """Headers of a client acting for any organisation or company: `as_org(company_id, *scopes)`."""

    def headers(organisation_id: uuid.UUID, *scopes: str) -> dict[str, str]:
        wanted = scopes or (Scope.MEETINGS_READ, Scope.MEETINGS_WRITE)
        return identities.headers(*wanted, organisation_id=organisation_id)

    return headers


@pytest.fixture
async def client(
    meetings_engine: AsyncEngine, meetings_settings: MeetingsSettings, organiser_headers: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(meetings_settings)
    async with app.router.lifespan_context(app), meetings_engine.connect() as connection:
        transaction = await connection.begin()
        bind_database(
            app, meetings_engine, make_sessionmaker(connection, join_transaction_mode="create_savepoint")
        )
        await app.state.read_pool.close()  # lean reads borrow the test's connection (plaza_kit.read_pool)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://meetings", headers=organiser_headers
        ) as http:
            yield http
        await transaction.rollback()


@asynccontextmanager
async def committing_client(
    engine: AsyncEngine, settings: MeetingsSettings, headers: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app (started, stopped after) whose requests commit for real."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        bind_database(app, engine, make_sessionmaker(engine))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://meetings", headers=headers
        ) as http:
            yield http


@pytest.fixture
async def live_client(
    meetings_engine: AsyncEngine, meetings_settings: MeetingsSettings, organiser_headers: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    async with committing_client(meetings_engine, meetings_settings, organiser_headers) as http:
        yield http
