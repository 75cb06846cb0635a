"""The proxy hop: one pooled aiohttp session per service, streaming both ways, bounded by timeouts.

Why aiohttp and not httpx: httpx 0.28's connection pool serialises badly under concurrency
(encode/httpx#3215); see docs/architecture.md for the measurements that decided it.
"""

import logging
from collections.abc import AsyncIterator

import aiohttp
from starlette.types import Receive, Scope, Send
from yarl import URL

from gateway.settings import GatewaySettings
from gateway.tracing import next_traceparent
from plaza_kit.errors import PayloadTooLargeError, problem_response
from plaza_kit.identity import IDENTITY_HEADER
from plaza_kit.middleware import REQUEST_ID_HEADER

logger = logging.getLogger("gateway.proxy")

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "traceparent",
        REQUEST_ID_HEADER,
        "x-forwarded-for",
        "x-forwarded-proto",
        "x-forwarded-host",
        # Credentials end at the gateway: services get the identity token the gateway mints, never the
        # caller's key or token, and never an identity header the caller made up.
        IDENTITY_HEADER,
        "x-api-key",
        "authorization",
        "cookie",
    }
)
_RESPONSE_DROP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"transfer-encoding",
        b"upgrade",
        b"server",
        b"date",
        REQUEST_ID_HEADER.encode(),
    }
)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_CHUNK = 64 * 1024


class UpstreamPool:
    """The HTTP sessions to every service, created inside the running event loop."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.bases = {name: URL(url) for name, url in settings.upstreams().items()}
        self.sessions: dict[str, aiohttp.ClientSession] = {}

    async def open(self) -> None:
        """Open one keep-alive pool per service."""
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=self.settings.connect_timeout,
            sock_connect=self.settings.connect_timeout,
            sock_read=self.settings.read_timeout,
        )
        for name in self.bases:
            connector = aiohttp.TCPConnector(
                limit=self.settings.pool_size,
                limit_per_host=self.settings.pool_size,
                ttl_dns_cache=300,
                keepalive_timeout=30,
            )
            self.sessions[name] = aiohttp.ClientSession(
                connector=connector,
                timeout=timeout,
                auto_decompress=False,
                skip_auto_headers={"User-Agent"},
                cookie_jar=aiohttp.DummyCookieJar(),
            )

    async def close(self) -> None:
        """Close every pool."""
        for session in self.sessions.values():
            await session.close()
        self.sessions.clear()

    def url(self, service: str, path_and_query: str) -> URL:
        """The absolute URL of `path_and_query` on `service`."""
        return self.bases[service].join(URL(path_and_query, encoded=True))


def _forward_headers(scope: Scope, request_id: str, identity: str | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    incoming_trace = None
    forwarded_for = None
    for raw_key, raw_value in scope["headers"]:
        key = raw_key.decode("latin-1")
        if key == "traceparent":
            incoming_trace = raw_value.decode("latin-1")
        elif key == "x-forwarded-for":
            forwarded_for = raw_value.decode("latin-1")
        if key in HOP_BY_HOP:
            continue
        value = raw_value.decode("latin-1")
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    client = scope.get("client")
    client_host = client[0] if client else "unknown"
    headers["x-forwarded-for"] = f"{forwarded_for}, {client_host}" if forwarded_for else client_host
    headers["x-forwarded-proto"] = scope.get("scheme", "http")
    host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), None)
    if host:
        headers["x-forwarded-host"] = host
    headers[REQUEST_ID_HEADER] = request_id
    headers["traceparent"] = next_traceparent(incoming_trace)
    if identity:
        headers[IDENTITY_HEADER] = identity
    return headers


async def read_body(receive: Receive) -> bytes:
    """The whole request body (bounded by the body-limit middleware)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class _StreamedBody:
    """A chunked request body relayed as it arrives; remembers if the body limit stopped it mid-way."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self.limit_error: PayloadTooLargeError | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            try:
                message = await self._receive()
            except PayloadTooLargeError as error:
                self.limit_error = error
                raise
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            if body:
                yield body
            if not message.get("more_body", False):
                return


def has_body(scope: Scope) -> tuple[bool, bool]:
    """(has a body, its length is declared)."""
    for key, value in scope["headers"]:
        if key == b"content-length":
            return value != b"0", True
        if key == b"transfer-encoding":
            return True, False
    return False, False


async def forward(
    pool: UpstreamPool,
    service: str,
    scope: Scope,
    receive: Receive,
    send: Send,
    *,
    identity: str | None = None,
    extra_headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes | None = None,
) -> None:
    """Send the request to `service` and stream its answer back; failures become 502/503/504 problems.

    `identity` is the token forwarded in `X-Plaza-Identity`; `extra_headers` are added to the answer;
    `body` is the request body when the caller has already read it.
    """
    method: str = scope["method"]
    raw_path = scope.get("raw_path") or scope["path"].encode()
    path_and_query = raw_path.decode("latin-1")
    if scope.get("query_string"):
        path_and_query += "?" + scope["query_string"].decode("latin-1")
    url = pool.url(service, path_and_query)
    headers = _forward_headers(scope, scope.get("plaza.request_id", ""), identity)
    data: bytes | AsyncIterator[bytes] | None = body
    streamed: _StreamedBody | None = None
    if body is None:
        present, declared = has_body(scope)
        if present and declared:
            data = await read_body(receive)
        elif present:
            streamed = _StreamedBody(receive)
            data = streamed.__aiter__()
    session = pool.sessions[service]
    attempts = 2 if method in IDEMPOTENT_METHODS and streamed is None else 1
    for attempt in range(attempts):
        try:
            async with session.request(
                method, url, headers=headers, data=data, allow_redirects=False
            ) as upstream:
                await _relay(upstream, send, method, extra_headers)
                return
        except (aiohttp.ClientConnectorError, aiohttp.ServerDisconnectedError) as error:
            if attempt + 1 < attempts:
                continue  # a pooled connection the service had closed: safe to retry an idempotent request
            await _fail(
                scope,
                receive,
                send,
                503,
                service,
                error,
                f"The {service} service is unavailable; retry shortly.",
                retry_after="1",
            )
        except (TimeoutError, aiohttp.ServerTimeoutError) as error:
            await _fail(
                scope, receive, send, 504, service, error, f"The {service} service did not answer in time."
            )
        except aiohttp.ClientError as error:
            if streamed is not None and streamed.limit_error is not None:
                raise streamed.limit_error from error
            await _fail(
                scope, receive, send, 502, service, error, f"The {service} service gave an invalid answer."
            )
        return


class MidStreamError(Exception):
    """The service failed after its status line was relayed: the only honest move is to cut the stream."""


async def _relay(
    upstream: aiohttp.ClientResponse, send: Send, method: str, extra_headers: list[tuple[bytes, bytes]] | None
) -> None:
    headers = [
        (key.lower(), value) for key, value in upstream.raw_headers if key.lower() not in _RESPONSE_DROP
    ]
    if extra_headers:
        headers.extend(extra_headers)
    await send({"type": "http.response.start", "status": upstream.status, "headers": headers})
    if method == "HEAD":
        await send({"type": "http.response.body", "body": b""})
        return
    try:
        async for chunk in upstream.content.iter_chunked(_CHUNK):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    except (aiohttp.ClientError, TimeoutError) as error:
        raise MidStreamError(str(error)) from error
    await send({"type": "http.response.body", "body": b""})


async def _fail(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    service: str,
    error: Exception,
    detail: str,
    retry_after: str | None = None,
) -> None:
    logger.warning(
        "upstream failure", extra={"upstream": service, "status": status, "error": type(error).__name__}
    )
    headers = {"Retry-After": retry_after} if retry_after else None
    slug = {502: "bad-gateway", 503: "upstream-unavailable", 504: "upstream-timeout"}[status]
    response = problem_response(status, slug=slug, detail=detail, instance=scope["path"], headers=headers)
    await response(scope, receive, send)
