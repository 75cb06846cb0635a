"""Readiness fails when the database is not at the revision the code expects."""

import httpx
from fastapi import FastAPI

from plaza_dev.testing import PlazaDatabase
from plaza_kit.app import bind_database
from plaza_kit.db import make_engine, make_sessionmaker
from plaza_kit.errors import install_problem_handlers
from plaza_kit.health import health_router
from plaza_kit.migrations import head_revision
from plaza_kit.settings import ServiceSettings


async def readiness(database: PlazaDatabase, head: str | None) -> httpx.Response:
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(health_router("registry", schema="registry", head=head))
    engine = make_engine(ServiceSettings(database_url=database.url("registry")), application_name="test")
    bind_database(app, engine, make_sessionmaker(engine))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://r") as client:
            return await client.get("/readyz")
    finally:
        await engine.dispose()


async def test_ready_at_head(test_database: PlazaDatabase) -> None:
    response = await readiness(test_database, head_revision("registry"))
    assert response.status_code == 200


async def test_not_ready_when_migrations_lag(test_database: PlazaDatabase) -> None:
    response = await readiness(test_database, "ffffffffffff")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "ffffffffffff" in response.json()["detail"]


async def test_not_ready_when_the_database_is_unreachable(test_database: PlazaDatabase) -> None:
    unreachable = PlazaDatabase(admin_url="postgresql://postgres@127.0.0.1:9/postgres", name="none")
    response = await readiness(unreachable, head_revision("registry"))
    assert response.status_code == 503
