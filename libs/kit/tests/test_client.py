"""The kit's service client against small HTTP servers of the test's own (real sockets, no mocks).

Each server plays one upstream behaviour: answering, closing the connection without an answer (a failed
connection), never answering (slow), or answering 5xx. The registry itself is exercised in
`services/registry/tests/test_refs.py`.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest
from pydantic import BaseModel, SecretStr
from pydantic_settings import SettingsConfigDict

from plaza_dev.embedded_pg import free_port
from plaza_kit.client import (
    ServiceClient,
    ServiceIdentity,
    Timeouts,
    UpstreamAnswerError,
    open_upstreams,
)
from plaza_kit.context import request_id_var, trace_id_var
from plaza_kit.errors import NotFoundError, UnavailableError
from plaza_kit.identity import (
    IdentitySigner,
    IdentityVerifier,
    Principal,
    generate_private_key_pem,
    jwks_of,
)
from plaza_kit.settings import ServiceSettings

CALLER_PEM = generate_private_key_pem()


class CallerSettings(ServiceSettings):
    """Settings of a calling service (any service; `meetings` here)."""

    model_config = SettingsConfigDict(env_prefix="MEETINGS_", extra="ignore")


class Thing(BaseModel):
    name: str


@dataclass
class Seen:
    """What a test server received."""

    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    closing: asyncio.Event = field(default_factory=asyncio.Event)
    received: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def count(self) -> int:
        return len(self.requests)


Behaviour = Callable[[asyncio.StreamWriter, Seen], Awaitable[None]]


def answer(status: int, body: object, headers: dict[str, str] | None = None) -> Behaviour:
    async def respond(writer: asyncio.StreamWriter, _: Seen) -> None:
        payload = json.dumps(body).encode()
        extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        writer.write(
            f"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {len(payload)}\r\n"
            f"{extra}\r\n".encode()
            + payload
        )
        await writer.drain()

    return respond


async def hang_up(writer: asyncio.StreamWriter, _: Seen) -> None:
    writer.close()  # the request was read, no answer: the client sees the connection fail


async def never_answer(writer: asyncio.StreamWriter, seen: Seen) -> None:
    await seen.closing.wait()  # until the test is over


@asynccontextmanager
async def upstream_server(behaviour: Behaviour) -> AsyncIterator[tuple[str, Seen]]:
    """An HTTP/1.1 server on a free port that records each request, then behaves as told."""
    seen = Seen()
    handlers: set[asyncio.Task[None]] = set()
    writers: set[asyncio.StreamWriter] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        writers.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                pairs = [line.split(": ", 1) for line in lines[1:] if ": " in line]
                headers = {name.lower(): value for name, value in pairs}
                await reader.readexactly(int(headers.get("content-length", "0")))
                seen.requests.append((method, path, headers))
                seen.received.set()
                await behaviour(writer, seen)
                if writer.is_closing():
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        seen.closing.set()
        server.close()
        for writer in writers:
            writer.close()
        if handlers:
            await asyncio.wait(handlers, timeout=5)


def make_client(base_url: str, *, read: float = 2.0, pool_size: int = 16) -> ServiceClient:
    signer = IdentitySigner(CALLER_PEM, kid="meetings-1", issuer="plaza-meetings")
    principal = Principal(subject="meetings", organisation_id=None, scopes=frozenset(), kind="service")
    return ServiceClient(
        "registry",
        base_url,
        identity=ServiceIdentity(signer, principal),
        timeouts=Timeouts(connect=1.0, read=read, pool=0.2),
        pool_size=pool_size,
    )


@asynccontextmanager
async def client_for(behaviour: Behaviour, *, read: float = 2.0) -> AsyncIterator[tuple[ServiceClient, Seen]]:
    async with upstream_server(behaviour) as (url, seen):
        client = make_client(url, read=read)
        try:
            yield client, seen
        finally:
            await client.aclose()


def assert_unavailable(error: UnavailableError, reason: str) -> None:
    assert error.status == 503
    assert error.headers is not None
    assert error.headers["Retry-After"].isdigit()
    assert error.extensions == {"dependency": "registry"}
    assert error.detail is not None
    assert error.detail.startswith("the registry is unavailable")
    assert reason in error.detail


async def test_a_call_carries_the_services_identity_request_id_and_trace() -> None:
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    request_token, trace_token = request_id_var.set("req-42"), trace_id_var.set(trace)
    try:
        async with client_for(answer(200, {"name": "ok"})) as (client, seen):
            thing = await client.fetch("GET", "/things/1", Thing)
            await client.fetch("GET", "/things/2", Thing)
    finally:
        request_id_var.reset(request_token)
        trace_id_var.reset(trace_token)
    assert thing == Thing(name="ok")
    (_, path, headers), (_, _, second) = seen.requests
    assert path == "/things/1"
    assert headers["x-request-id"] == "req-42"
    version, trace_id, span_id, flags = headers["traceparent"].split("-")
    assert (version, trace_id, flags) == ("00", trace, "01")
    assert span_id != second["traceparent"].split("-")[2]  # a new span per call
    verifier = IdentityVerifier(jwks_of((CALLER_PEM, "meetings-1", "plaza-meetings")))
    principal = verifier.verify(headers["x-plaza-identity"])
    assert (principal.subject, principal.kind, principal.organisation_id) == ("meetings", "service", None)
    assert second["x-plaza-identity"] == headers["x-plaza-identity"]  # minted once, reused until half-life


async def test_a_call_outside_a_request_starts_its_own_trace() -> None:
    async with client_for(answer(200, {"name": "ok"})) as (client, seen):
        await client.fetch("GET", "/things/1", Thing)
    (_, _, headers) = seen.requests[0]
    assert "x-request-id" not in headers
    assert len(headers["traceparent"].split("-")[1]) == 32


async def test_404_is_the_callers_domain_answer() -> None:
    async with client_for(answer(404, {"title": "Not found"})) as (client, _):
        assert await client.fetch("GET", "/things/1", Thing) is None
        with pytest.raises(NotFoundError, match="no such thing"):
            await client.fetch("GET", "/things/1", Thing, not_found=lambda: NotFoundError("no such thing"))


async def test_retries_only_idempotent_calls_once_after_a_failed_connection() -> None:
    async with client_for(hang_up) as (client, seen):
        with pytest.raises(UnavailableError) as get_error:
            await client.request("GET", "/things")
        assert seen.count == 2
        with pytest.raises(UnavailableError):
            await client.request("POST", "/things", json={"name": "new"})
        assert seen.count == 3  # a POST is sent once
        with pytest.raises(UnavailableError):
            await client.request("POST", "/things/lookup", json={"ids": []}, idempotent=True)
        assert seen.count == 5  # unless the caller marks it idempotent
        with pytest.raises(UnavailableError):
            await client.request("GET", "/things", idempotent=False)
        assert seen.count == 6
    assert_unavailable(get_error.value, "the connection failed")


async def test_an_answer_is_never_retried() -> None:
    async with client_for(answer(500, {"title": "Internal error"})) as (client, seen):
        with pytest.raises(UnavailableError) as error:
            await client.request("GET", "/things")
    assert seen.count == 1
    assert_unavailable(error.value, "it answered 500")


async def test_a_503_passes_on_its_retry_after() -> None:
    async with client_for(answer(503, {}, {"retry-after": "7"})) as (client, _):
        with pytest.raises(UnavailableError) as error:
            await client.request("GET", "/things")
    assert error.value.headers == {"Retry-After": "7"}


async def test_a_slow_upstream_is_a_503_after_the_read_timeout_without_a_retry() -> None:
    async with client_for(never_answer, read=0.3) as (client, seen):
        async with asyncio.timeout(10):  # a hang would fail here, not block the suite
            with pytest.raises(UnavailableError) as error:
                await client.request("GET", "/things")
    assert seen.count == 1
    assert_unavailable(error.value, "no answer within")


async def test_calls_beyond_the_pool_wait_for_a_slot_up_to_the_pool_timeout() -> None:
    async with upstream_server(never_answer) as (url, seen):
        client = make_client(url, read=30.0, pool_size=1)
        try:
            first = asyncio.create_task(client.request("GET", "/slow"))
            await seen.received.wait()
            with pytest.raises(UnavailableError) as error:
                await client.request("GET", "/waiting")
            first.cancel()
            with pytest.raises(asyncio.CancelledError):
                await first
        finally:
            await client.aclose()
    assert seen.count == 1  # the second call never reached the upstream
    assert_unavailable(error.value, "no connection free within 0.2 s")


async def test_a_refused_connection_is_a_503_naming_the_dependency() -> None:
    client = make_client(f"http://127.0.0.1:{free_port()}")
    try:
        with pytest.raises(UnavailableError) as error:
            await client.request("GET", "/things")
    finally:
        await client.aclose()
    assert_unavailable(error.value, "the connection failed")


async def test_an_upstream_refusing_the_identity_is_a_503() -> None:
    async with client_for(answer(401, {"title": "Unauthorized"})) as (client, _):
        with pytest.raises(UnavailableError) as error:
            await client.request("GET", "/things")
    assert_unavailable(error.value, "refused this service's identity (401)")


async def test_an_answer_that_breaks_the_contract_is_a_502() -> None:
    async with client_for(answer(200, {"title": "not a thing"})) as (client, _):
        with pytest.raises(UpstreamAnswerError) as broken:
            await client.fetch("GET", "/things/1", Thing)
    async with client_for(answer(409, {"title": "Conflict"})) as (client, _):
        with pytest.raises(UpstreamAnswerError) as unexpected:
            await client.fetch("GET", "/things/1", Thing)
    assert broken.value.status == unexpected.value.status == 502
    assert unexpected.value.detail == "the registry answered 409 to GET /things/1"


def test_upstream_urls_come_from_the_callers_variables_else_the_catalogue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = CallerSettings(database_url="postgresql://x@127.0.0.1/x")
    assert settings.upstream_url("registry") == "http://127.0.0.1:8001"
    monkeypatch.setenv("MEETINGS_REGISTRY_URL", "http://registry.internal:9001")
    settings = CallerSettings(database_url="postgresql://x@127.0.0.1/x")
    assert settings.upstream_url("registry") == "http://registry.internal:9001"


async def test_upstreams_need_the_callers_signing_key() -> None:
    settings = CallerSettings(database_url="postgresql://x@127.0.0.1/x")
    with pytest.raises(RuntimeError, match="MEETINGS_SIGNING_KEY is required"):
        open_upstreams("meetings", settings, ["registry"])
    with pytest.raises(KeyError, match="no component 'nowhere'"):
        open_upstreams(
            "meetings",
            CallerSettings(database_url="postgresql://x@127.0.0.1/x", signing_key=SecretStr(CALLER_PEM)),
            ["nowhere"],
        )


async def test_open_upstreams_signs_as_the_service_with_the_upstreams_read_scope() -> None:
    settings = CallerSettings(
        database_url="postgresql://x@127.0.0.1/x", signing_key=SecretStr(CALLER_PEM), upstream_pool_size=4
    )
    async with upstream_server(answer(200, {"name": "ok"})) as (url, seen):
        settings.upstream_urls["registry"] = url
        upstreams = open_upstreams("meetings", settings, ["registry"])
        try:
            await upstreams["registry"].fetch("GET", "/things/1", Thing)
        finally:
            await upstreams.aclose()
    token = seen.requests[0][2]["x-plaza-identity"]
    principal = IdentityVerifier(jwks_of((CALLER_PEM, "meetings-1", "plaza-meetings"))).verify(token)
    assert principal.scopes == frozenset({"registry:read"})
    assert principal.kind == "service"
    assert seen.requests[0][2]["user-agent"] == "plaza-meetings"
