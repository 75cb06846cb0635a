"""Liveness and readiness of the registry."""

import httpx

from plaza_kit.migrations import head_revision


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.json() == {"status": "ok", "service": "registry", "revision": None}


async def test_readyz_reports_the_migration_head(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["revision"] == head_revision("registry")
