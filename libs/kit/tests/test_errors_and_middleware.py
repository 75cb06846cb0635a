"""Problem rendering, request context and body limits, on a minimal app using the kit's pieces."""

import io
import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from plaza_kit.errors import ConflictError, install_problem_handlers
from plaza_kit.logs import JsonFormatter
from plaza_kit.middleware import BodyLimitMiddleware, RequestContextMiddleware


class Echo(BaseModel):
    text: str


def build_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal state: password=hunter2")

    @app.get("/conflict")
    async def conflict() -> None:
        raise ConflictError("already there", extensions={"existing_id": "abc"})

    @app.post("/echo")
    async def echo(body: Echo) -> Echo:
        return body

    app.add_middleware(BodyLimitMiddleware, max_bytes=1000)
    app.add_middleware(RequestContextMiddleware)
    return app


@pytest.fixture
async def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=build_app(), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://kit")


async def test_an_unhandled_error_is_a_500_problem_without_internals(client: httpx.AsyncClient) -> None:
    response = await client.get("/boom", headers={"X-Request-ID": "req-1"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == "req-1"
    body = response.json()
    assert body["request_id"] == "req-1"
    assert body["type"] == "/problems/internal-error"
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text


async def test_domain_errors_carry_their_extensions(client: httpx.AsyncClient) -> None:
    response = await client.get("/conflict")
    assert response.status_code == 409
    assert response.json() == {
        "type": "/problems/conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "already there",
        "instance": "/conflict",
        "request_id": response.headers["x-request-id"],
        "existing_id": "abc",
    }


async def test_body_limit_by_declared_length_and_while_streaming(client: httpx.AsyncClient) -> None:
    declared = await client.post("/echo", json={"text": "x" * 2000})
    assert declared.status_code == 413

    async def stream() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"x" * 400

    streamed = await client.post("/echo", content=stream(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert streamed.json()["type"] == "/problems/content-too-large"
    small = await client.post("/echo", json={"text": "ok"})
    assert small.json() == {"text": "ok"}


def test_log_lines_keep_only_whitelisted_fields() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("kit-test"))
    logger = logging.getLogger("kit-test")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("created", extra={"status": 201, "email": "kim@example.kr", "api_key": "plz_secret"})
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert line["status"] == 201
    assert line["service"] == "kit-test"
    assert "kim@example.kr" not in stream.getvalue()
    assert "plz_secret" not in stream.getvalue()


def test_problem_extensions_cannot_overwrite_standard_members() -> None:
    from plaza_kit.errors import ConflictError

    with pytest.raises(ValueError, match="status"):
        ConflictError("taken", extensions={"status": "accepted"})
    assert ConflictError("taken", extensions={"request_status": "accepted"}).extensions == {
        "request_status": "accepted"
    }
