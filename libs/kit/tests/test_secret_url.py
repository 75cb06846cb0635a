"""`secret_url()`: an access rule without identity, documented as such, its secret kept out of the logs."""

import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import iter_route_contexts

from plaza_kit.auth import (
    ACCESS_EXTENSION,
    assert_every_route_declares_access,
    declared_secret_parameter,
    requires,
    secret_url,
    secret_url_operation,
)
from plaza_kit.errors import install_problem_handlers
from plaza_kit.middleware import RequestContextMiddleware
from plaza_kit.openapi import install_problem_openapi
from plaza_kit.scopes import Scope

TOKEN = "s3cr3t-Token_0123456789abcdef"


def build_app(router: APIRouter) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    install_problem_openapi(app)
    app.include_router(router)
    assert_every_route_declares_access(app)
    app.add_middleware(RequestContextMiddleware)
    return app


def feed_router() -> APIRouter:
    router = APIRouter(prefix="/v1/calendar")

    @router.get("/{token}.ics", operation_id="calendar_feed", openapi_extra=secret_url_operation())
    async def feed(token: str, secret: Annotated[str, secret_url()]) -> dict[str, str]:
        return {"token": token, "secret": secret}

    return router


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(feed_router()))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def test_no_identity_is_needed_and_the_secret_is_handed_over(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/v1/calendar/{TOKEN}.ics")
    assert response.status_code == 200, response.text
    assert response.json() == {"token": TOKEN, "secret": TOKEN}


async def test_the_access_log_shows_the_path_without_the_secret(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="plaza.access")
    assert (await client.get(f"/v1/calendar/{TOKEN}.ics")).status_code == 200
    paths = [record.__dict__["path"] for record in caplog.records if record.name == "plaza.access"]
    assert paths == ["/v1/calendar/{redacted}.ics"]


def test_the_operation_is_documented_public_by_secret() -> None:
    document: dict[str, Any] = build_app(feed_router()).openapi()
    operation = document["paths"]["/v1/calendar/{token}.ics"]["get"]
    assert operation["security"] == []
    assert operation[ACCESS_EXTENSION] == "secret-url"
    assert "401" not in operation["responses"]  # no credential, so none to refuse


def test_the_rule_is_detected_behind_included_routers() -> None:
    app = build_app(feed_router())
    found = [
        declared_secret_parameter(context)
        for context in iter_route_contexts(app.router.routes)
        if context.path == "/v1/calendar/{token}.ics"
    ]
    assert found == ["token"]


def test_a_route_with_both_rules_fails_at_start_up() -> None:
    router = APIRouter()

    @router.get("/v1/calendar/{token}", openapi_extra=secret_url_operation())
    async def feed(
        secret: Annotated[str, secret_url()], principal: Annotated[Any, requires(Scope.MEETINGS_READ)]
    ) -> None:
        return None

    with pytest.raises(RuntimeError, match="both"):
        build_app(router)


def test_a_secret_that_is_not_in_the_path_fails_at_start_up() -> None:
    router = APIRouter()

    @router.get("/v1/calendar/{token}", openapi_extra=secret_url_operation())
    async def feed(secret: Annotated[str, secret_url("key")]) -> None:
        return None

    with pytest.raises(RuntimeError, match="no such path parameter"):
        build_app(router)


def test_the_dependency_and_the_document_go_together() -> None:
    undocumented = APIRouter()

    @undocumented.get("/v1/calendar/{token}")
    async def feed(secret: Annotated[str, secret_url()]) -> None:
        return None

    with pytest.raises(RuntimeError, match="secret_url_operation"):
        build_app(undocumented)

    undeclared = APIRouter()

    @undeclared.get("/v1/calendar/{token}", openapi_extra=secret_url_operation())
    async def other(token: str, principal: Annotated[Any, requires(Scope.MEETINGS_READ)]) -> None:
        return None

    with pytest.raises(RuntimeError, match="does not declare secret_url"):
        build_app(undeclared)


def test_a_route_without_any_rule_still_fails_at_start_up() -> None:
    router = APIRouter()

    @router.get("/v1/calendar/{token}")
    async def feed(token: str) -> None:
        return None

    with pytest.raises(RuntimeError, match="declares no access rule"):
        build_app(router)
