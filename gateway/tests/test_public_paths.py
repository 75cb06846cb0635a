"""Public collections (secret-URL feeds): forwarded with no credential, limited per address, logged redacted.

The gateway runs in process (ASGI) in front of a small echo server standing in for the meetings service; its
database is never reached (the URL points nowhere), which also shows that a public read needs no key lookup.
"""

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web
from starlette.types import Message

from gateway.app import Gateway
from gateway.openapi_merge import merge_documents
from gateway.ratelimit import address_key
from gateway.routes import (
    COLLECTION_OWNERS,
    PUBLIC_COLLECTIONS,
    catalogue_public_collections,
    is_public,
    owner_of,
    redacted,
)
from gateway.settings import GatewaySettings
from plaza_kit.catalogue import Component
from plaza_kit.identity import generate_private_key_pem

TOKEN = "pLz-Secret_Token-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
FEED = f"/v1/calendar/{TOKEN}.ics"
NOWHERE = "postgresql://nobody@127.0.0.1:1/none"


async def _echo(request: web.Request) -> web.Response:
    """The request as the service received it: its path and headers."""
    received = {"path": request.raw_path, "headers": {k.lower(): v for k, v in request.headers.items()}}
    return web.json_response(received, headers={"Cache-Control": "private, max-age=300"})


@pytest.fixture(scope="module")
async def upstream() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", _echo)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def _gateway(upstream: str, **overrides: Any) -> Gateway:
    settings = GatewaySettings(
        database_url=NOWHERE,
        signing_key=generate_private_key_pem(),
        upstream_urls={"meetings": upstream},
        **overrides,
    )
    gateway = Gateway(settings)
    await gateway.pool.open()
    return gateway


@pytest.fixture
async def gateway(upstream: str) -> AsyncIterator[Gateway]:
    gateway = await _gateway(upstream)
    try:
        yield gateway
    finally:
        await gateway.pool.close()


def _client(gateway: Gateway, address: str = "203.0.113.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=gateway, client=(address, 51000))
    return httpx.AsyncClient(transport=transport, base_url="http://plaza.test")


async def test_a_feed_is_forwarded_without_a_credential_or_identity(gateway: Gateway) -> None:
    async with _client(gateway) as http:
        response = await http.get(FEED)
    assert response.status_code == 200, response.text
    received = response.json()
    assert received["path"] == FEED
    assert "x-plaza-identity" not in received["headers"]
    assert response.headers["ratelimit-policy"].startswith('"address";q=30;')
    assert response.headers["ratelimit"].startswith('"address";r=29;')
    assert response.headers["cache-control"] == "private, max-age=300"  # the service's caching is kept


async def test_a_key_sent_anyway_is_ignored_and_never_forwarded(gateway: Gateway) -> None:
    headers = {
        "X-API-Key": "plz_not-a-real-key",
        "Authorization": "Bearer not-a-token",
        "X-Plaza-Identity": "forged",
        "Cookie": "session=1",
    }
    async with _client(gateway) as http:
        response = await http.get(FEED, headers=headers)
    assert response.status_code == 200, response.text  # no key lookup: the database is not even there
    forwarded = response.json()["headers"]
    for name in ("x-api-key", "authorization", "x-plaza-identity", "cookie"):
        assert name not in forwarded


async def test_head_is_forwarded_too(gateway: Gateway) -> None:
    async with _client(gateway) as http:
        response = await http.head(FEED)
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_other_methods_are_refused_with_405(gateway: Gateway, method: str) -> None:
    async with _client(gateway) as http:
        response = await http.request(method, FEED, headers={"X-API-Key": "plz_anything"})
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["allow"] == "GET, HEAD"
    assert TOKEN not in response.text


async def _raw_get(app: Gateway, path: str) -> tuple[int, list[tuple[bytes, bytes]]]:
    """GET `path` exactly as given (HTTP clients resolve dot segments themselves; a raw client may not)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"plaza.test")],
        "client": ("203.0.113.9", 51000),
        "server": ("plaza.test", 80),
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    return start["status"], start["headers"]


@pytest.mark.parametrize(
    "path", ["/v1/calendar/../../healthz", "/v1/calendar/../events/1", "/v1/calendar/./x/../.."]
)
async def test_dot_segments_never_leave_the_public_collection(gateway: Gateway, path: str) -> None:
    status, headers = await _raw_get(gateway, path)
    assert status == 404
    assert (b"content-type", b"application/problem+json") in headers


async def test_each_address_has_its_own_bucket_and_429_says_when_to_retry(upstream: str) -> None:
    gateway = await _gateway(upstream, public_rate_per_minute=1, public_burst=2)
    try:
        async with _client(gateway, "198.51.100.1") as first, _client(gateway, "198.51.100.2") as second:
            assert [(await first.get(FEED)).status_code for _ in range(2)] == [200, 200]
            refused = await first.get(FEED)
            assert (await second.get(FEED)).status_code == 200
    finally:
        await gateway.pool.close()
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["instance"] == "/v1/calendar/{redacted}"


async def test_the_secret_never_reaches_the_gateways_logs(
    gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with _client(gateway) as http:
        assert (await http.get(FEED)).status_code == 200
        assert (await http.delete(FEED)).status_code == 405
    access = [record for record in caplog.records if record.name == "plaza.access"]
    assert [record.__dict__["path"] for record in access] == ["/v1/calendar/{redacted}"] * 2
    for record in caplog.records:
        if record.name.startswith(("httpx", "httpcore")):
            continue  # the test's own HTTP client, not the gateway
        assert TOKEN not in record.getMessage()
        assert all(TOKEN not in str(value) for value in record.__dict__.values())


async def test_keyed_paths_still_need_a_credential(gateway: Gateway) -> None:
    async with _client(gateway) as http:
        for path in ("/v1/events", "/v1/calendar", "/v1/calendarx/abc"):
            response = await http.get(path)
            assert response.status_code == 401, path


async def test_an_unreachable_service_is_a_503_with_the_secret_redacted() -> None:
    gateway = await _gateway("http://127.0.0.1:1")
    try:
        async with _client(gateway) as http:
            response = await http.get(FEED)
    finally:
        await gateway.pool.close()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert TOKEN not in response.text


def test_the_public_collections_are_the_catalogues() -> None:
    assert catalogue_public_collections() == PUBLIC_COLLECTIONS
    assert COLLECTION_OWNERS.keys() >= PUBLIC_COLLECTIONS
    assert owner_of(FEED) == "meetings"


def test_a_public_collection_must_be_one_of_the_components_collections() -> None:
    with pytest.raises(ValueError, match="public_collections"):
        Component(name="x", title="X", default_port=1, collections=("a",), public_collections=("b",))


@pytest.mark.parametrize(
    ("path", "public", "shown"),
    [
        (FEED, True, "/v1/calendar/{redacted}"),
        ("/v1/calendar/a/b/c", True, "/v1/calendar/{redacted}"),
        ("/v1/calendar/", True, "/v1/calendar/"),  # nothing to hide
        ("/v1/calendar", False, "/v1/calendar"),
        ("/v1/calendars/x", False, "/v1/calendars/x"),
        ("/v1/events/1", False, "/v1/events/1"),
    ],
)
def test_public_paths_and_what_logs_show_of_them(path: str, public: bool, shown: str) -> None:
    assert is_public(path) is public
    if public:
        assert redacted(path) == shown


def test_address_keys_are_stable_and_distinct() -> None:
    assert address_key("203.0.113.7") == address_key("203.0.113.7")
    assert address_key("203.0.113.7") != address_key("203.0.113.8")


def test_a_secret_url_operation_is_public_in_the_merged_document() -> None:
    service = {
        "openapi": "3.1.0",
        "paths": {
            "/v1/calendar/{token}.ics": {
                "get": {
                    "operationId": "calendar_feed",
                    "security": [],
                    "x-plaza-access": "secret-url",
                    "responses": {"200": {"description": "OK"}},
                }
            }
        },
        "components": {"schemas": {}},
    }
    merged = merge_documents({"paths": {}}, {"meetings": service}, title="t", description="d", version="1")
    operation = merged["paths"]["/v1/calendar/{token}.ics"]["get"]
    assert operation["security"] == []
    assert operation["x-plaza-access"] == "secret-url"
    assert "x-required-scopes" not in operation  # the authorisation matrix leaves it alone
