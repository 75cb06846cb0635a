"""Investment test fixtures: the real app over the run's PostgreSQL database, as its own role, calling a
real registry over HTTP (`plaza_dev.testing.serving`) with its own signed service identity.

`client` runs each test inside a transaction that is rolled back (requests commit to a savepoint), so tests
see only their own rows; `live_client` commits for real, for tests that need several connections at once
(races); `dead_registry_client` commits for real with its registry down. Registry companies and
organisations are made through the registry's own API (`registry` fixture).
"""

import json
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from investment.app import create_app
from investment.settings import InvestmentSettings
from plaza_dev.testing import Identities, PlazaDatabase, component_app, service_engine, serving
from plaza_kit.app import bind_database
from plaza_kit.db import make_sessionmaker
from plaza_kit.identity import generate_private_key_pem, jwks_of
from plaza_kit.scopes import Scope

from .helpers import ALL_SCOPES, OWNER, Registry

INVESTMENT_KEY = generate_private_key_pem()
INVESTMENT_KEY_ID = "investment-test"
DEAD_REGISTRY = "http://127.0.0.1:9"  # discard port: nothing listens, connections are refused

Headers = Callable[..., dict[str, str]]


@pytest.fixture(scope="session")
def registry_url(test_database: PlazaDatabase, identities: Identities) -> Iterator[str]:
    """A real registry on a free port, trusting the test gateway and this service's key."""
    trusted = {
        "keys": identities.jwks["keys"]
        + jwks_of((INVESTMENT_KEY, INVESTMENT_KEY_ID, "plaza-investment"))["keys"]
    }
    app = component_app(
        "registry", database_url=test_database.url("registry"), trusted_keys=json.dumps(trusted)
    )
    with serving(app) as url:
        yield url


@pytest.fixture(scope="session")
def registry(registry_url: str, identities: Identities) -> Registry:
    """Makes registry companies and organisations through the registry's API."""
    return Registry(registry_url, identities)


@pytest.fixture(scope="session")
def investment_settings(
    test_database: PlazaDatabase, identities: Identities, registry_url: str
) -> InvestmentSettings:
    return InvestmentSettings(
        database_url=test_database.url("investment"),
        trusted_keys=identities.jwks_json,
        signing_key=INVESTMENT_KEY,
        signing_key_id=INVESTMENT_KEY_ID,
        upstream_urls={"registry": registry_url},
        upstream_read_timeout=5,
    )


@pytest.fixture(scope="session")
async def investment_engine(test_database: PlazaDatabase) -> AsyncIterator[AsyncEngine]:
    async for engine in service_engine(test_database, "investment"):
        yield engine


@pytest.fixture
def as_org(identities: Identities) -> Headers:
    """Headers of a client of an organisation: `as_org(organisation_id, *scopes)` (default: read, write
    and win)."""

    def headers(organisation_id: uuid.UUID | None, *scopes: str) -> dict[str, str]:
        return identities.headers(*(scopes or ALL_SCOPES), organisation_id=organisation_id)

    return headers


@pytest.fixture
def admin(identities: Identities) -> dict[str, str]:
    """A platform administrator (keeps the FX rates)."""
    return identities.headers(Scope.ADMIN)


@pytest.fixture
async def client(
    investment_engine: AsyncEngine, investment_settings: InvestmentSettings, as_org: Headers
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(investment_settings)
    async with app.router.lifespan_context(app), investment_engine.connect() as connection:
        transaction = await connection.begin()
        bind_database(
            app, investment_engine, make_sessionmaker(connection, join_transaction_mode="create_savepoint")
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://investment", headers=as_org(OWNER)
        ) as http:
            yield http
        await transaction.rollback()


@asynccontextmanager
async def committing_client(
    engine: AsyncEngine, settings: InvestmentSettings, headers: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app (started, stopped after) whose requests commit for real."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        bind_database(app, engine, make_sessionmaker(engine))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://investment", headers=headers
        ) as http:
            yield http


@pytest.fixture
async def live_client(
    investment_engine: AsyncEngine, investment_settings: InvestmentSettings, as_org: Headers
) -> AsyncIterator[httpx.AsyncClient]:
    async with committing_client(investment_engine, investment_settings, as_org(OWNER)) as http:
        yield http


@pytest.fixture
async def dead_registry_client(
    investment_engine: AsyncEngine, investment_settings: InvestmentSettings, as_org: Headers
) -> AsyncIterator[httpx.AsyncClient]:
    """The investment app (committing for real) whose registry is down."""
    settings = investment_settings.model_copy(update={"upstream_urls": {"registry": DEAD_REGISTRY}})
    async with committing_client(investment_engine, settings, as_org(OWNER)) as http:
        yield http


@pytest.fixture(scope="session")
def parties(registry: Registry) -> tuple[uuid.UUID, uuid.UUID]:
    """A Korean and a Japanese registry company, shared by the tests that only need some parties."""
    return registry.company("KR"), registry.company("JP")
