"""A database that cannot serve a request is a 503 `database-unavailable` problem, never a 500 or a hang.

A service app from `create_service_app` with one route that reads and one that runs a slow statement, over
the run's real PostgreSQL — or over no server at all (a closed port, or a socket that never answers). Each
case must answer 503 problem+json with `Retry-After`, log one line without a traceback, and keep working
once the database can serve again.
"""

import logging
import socket
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy import text

from plaza_dev.embedded_pg import free_port
from plaza_dev.testing import Identities, PlazaDatabase
from plaza_kit.app import create_service_app
from plaza_kit.auth import requires
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope
from plaza_kit.settings import ServiceSettings

router = APIRouter()
Reader = Annotated[Principal, requires(Scope.REGISTRY_READ)]


@router.get("/probe")
async def probe(session: SessionDep, _: Reader) -> dict[str, int]:
    return {"answer": (await session.execute(text("SELECT 1"))).scalar_one()}


@router.get("/slow")
async def slow(session: SessionDep, _: Reader) -> dict[str, int]:
    await session.execute(text("SELECT pg_sleep(5)"))
    return {"answer": 1}


@router.get("/broken")
async def broken(session: SessionDep, _: Reader) -> dict[str, int]:
    await session.execute(text("SELECT * FROM no_such_table"))
    return {"answer": 1}


@asynccontextmanager
async def running(
    settings: ServiceSettings, identities: Identities
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app with its lifespan (engine and pool) running, and a client holding a registry:read identity."""
    app = create_service_app(
        service="registry", settings=settings, title="probe", description="probe", routers=[router]
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        headers = identities.headers(Scope.REGISTRY_READ)
        async with httpx.AsyncClient(transport=transport, base_url="http://kit", headers=headers) as client:
            yield app, client


def settings_for(url: str, identities: Identities, **overrides: Any) -> ServiceSettings:
    return ServiceSettings(database_url=url, trusted_keys=identities.jwks_json, **overrides)


def assert_database_unavailable(response: httpx.Response, detail: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    body = response.json()
    assert body["type"] == "/problems/database-unavailable"
    assert body["title"] == "Database unavailable"
    assert detail in body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]


def assert_logged_one_line(caplog: pytest.LogCaptureFixture, cause: str) -> None:
    """Exactly one warning (`database unavailable`, naming the cause), and no traceback anywhere."""
    assert [record for record in caplog.records if record.exc_info] == []
    warnings = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [(record.getMessage(), getattr(record, "error", None)) for record in warnings] == [
        ("database unavailable", cause)
    ]


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and never says a word (a hung or firewalled server)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield int(listener.getsockname()[1])


async def test_the_probe_reads_when_the_database_answers(
    test_database: PlazaDatabase, identities: Identities
) -> None:
    async with running(settings_for(test_database.url("registry"), identities), identities) as (_, client):
        response = await client.get("/probe")
    assert response.status_code == 200
    assert response.json() == {"answer": 1}


async def test_a_refused_connection_is_a_503(identities: Identities, logs: pytest.LogCaptureFixture) -> None:
    url = f"postgresql://plaza_registry@127.0.0.1:{free_port()}/plaza"
    async with running(settings_for(url, identities), identities) as (_, client):
        logs.clear()
        response = await client.get("/probe")
    assert_database_unavailable(response, "The database is unavailable")
    assert_logged_one_line(logs, "ConnectionRefusedError")


async def test_a_server_that_does_not_answer_is_a_503_after_the_connect_timeout(
    identities: Identities, silent_server: int, logs: pytest.LogCaptureFixture
) -> None:
    url = f"postgresql://plaza_registry@127.0.0.1:{silent_server}/plaza"
    async with running(settings_for(url, identities, db_connect_timeout=0.5), identities) as (_, client):
        logs.clear()
        started = time.monotonic()
        response = await client.get("/probe")
        waited = time.monotonic() - started
    assert_database_unavailable(response, "did not answer in time")
    assert_logged_one_line(logs, "ConnectTimeout")
    assert waited < 10  # a bound against a hang (asyncpg alone would wait 60 s), not a speed target


async def test_a_statement_timeout_is_a_503(
    test_database: PlazaDatabase, identities: Identities, logs: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(test_database.url("registry"), identities, db_statement_timeout_ms=200)
    async with running(settings, identities) as (_, client):
        logs.clear()
        response = await client.get("/slow")
        assert_database_unavailable(response, "did not answer in time")
        assert_logged_one_line(logs, "QueryCanceledError")
        assert (await client.get("/probe")).status_code == 200  # the connection went back to the pool whole


async def test_an_exhausted_pool_is_a_503_not_a_hang(
    test_database: PlazaDatabase, identities: Identities, logs: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(
        test_database.url("registry"), identities, db_pool_size=1, db_max_overflow=0, db_pool_timeout=0.5
    )
    async with running(settings, identities) as (app, client):
        async with app.state.engine.connect() as held:  # the pool's only connection, busy elsewhere
            await held.execute(text("SELECT 1"))
            logs.clear()
            started = time.monotonic()
            response = await client.get("/probe")
            waited = time.monotonic() - started
        assert_database_unavailable(response, "Every database connection is busy")
        assert_logged_one_line(logs, "PoolTimeout")
        assert waited < 10
        assert (await client.get("/probe")).status_code == 200  # released: served again


async def test_other_database_errors_stay_500s(
    test_database: PlazaDatabase, identities: Identities, logs: pytest.LogCaptureFixture
) -> None:
    """A bug (here: a missing table) is not dressed up as an outage: it is a 500, with its trace logged."""
    async with running(settings_for(test_database.url("registry"), identities), identities) as (_, client):
        response = await client.get("/broken")
    assert response.status_code == 500
    assert response.json()["type"] == "/problems/internal-error"
    assert "retry-after" not in response.headers
    assert [record.getMessage() for record in logs.records if record.exc_info] == ["unhandled error"]
