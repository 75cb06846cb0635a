"""405s name every method of the path, and fixed paths beside a record id are not taken for one."""

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from plaza_kit.errors import install_problem_handlers
from plaza_kit.middleware import RequestContextMiddleware
from plaza_kit.paths import record_id


def build_app() -> FastAPI:
    """Routes shaped like the registry's: a collection, its fixed `/import`, and `/{item_id}`."""
    app = FastAPI()
    install_problem_handlers(app)
    fixed = APIRouter(prefix="/v1/items")
    items = APIRouter(prefix="/v1/items")

    @fixed.post("/import")
    async def import_items() -> str:
        return "imported"

    @items.get("")
    async def list_items() -> list[str]:
        return []

    @items.post("")
    async def create_item() -> str:
        return "created"

    @items.get(f"/{record_id('item_id')}")
    async def get_item(item_id: uuid.UUID) -> str:
        return str(item_id)

    @items.patch(f"/{record_id('item_id')}")
    async def update_item(item_id: uuid.UUID) -> str:
        return str(item_id)

    app.include_router(fixed)
    app.include_router(items)
    app.add_middleware(RequestContextMiddleware)
    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/v1/items", "GET, POST"),
        ("OPTIONS", "/v1/items", "GET, POST"),
        ("PUT", f"/v1/items/{uuid.UUID(int=1)}", "GET, PATCH"),
        ("GET", "/v1/items/import", "POST"),
        ("PATCH", "/v1/items/import", "POST"),
    ],
)
async def test_a_405_allows_every_method_of_the_path(
    client: httpx.AsyncClient, method: str, path: str, allow: str
) -> None:
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_record_id_still_routes_and_a_malformed_one_is_a_422(client: httpx.AsyncClient) -> None:
    item = uuid.UUID(int=7)
    assert (await client.get(f"/v1/items/{item}")).json() == str(item)
    assert (await client.post("/v1/items/import")).json() == "imported"
    malformed = await client.get("/v1/items/0123-not-a-uuid")
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["pointer"] == "/item_id"
    assert (await client.post("/v1/items/from-elsewhere")).status_code == 404  # hyphenated words: fixed paths


def test_the_document_keeps_the_plain_path() -> None:
    paths = build_app().openapi()["paths"]
    assert set(paths) == {"/v1/items", "/v1/items/import", "/v1/items/{item_id}"}
    [parameter] = paths["/v1/items/{item_id}"]["get"]["parameters"]
    assert (parameter["name"], parameter["in"]) == ("item_id", "path")
