"""THROWAWAY COMPARISON, not production code: the gateway with its proxy hop rewritten on httpx 0.28.

Everything else is the real gateway (same middleware, routing table, header rules and error mapping); only
the upstream client differs, so `./plaza bench gateway --httpx-variant` shows what the choice of aiohttp
(see docs/architecture.md, "Why aiohttp for the proxy hop") is worth. Run by the bench as
`python -m bench.httpx_proxy_variant` with the gateway's `GATEWAY_*` variables.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import uvicorn
from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from gateway.app import Gateway
from gateway.proxy import _RESPONSE_DROP, _fail, _forward_headers, has_body, read_body
from gateway.routes import owner_of
from gateway.settings import GatewaySettings
from plaza_kit.identity import IDENTITY_HEADER
from plaza_kit.logs import logging_config
from plaza_kit.middleware import header_value


class HttpxGateway(Gateway):
    """The gateway, forwarding with one pooled `httpx.AsyncClient` per service instead of aiohttp."""

    def __init__(self, settings: GatewaySettings) -> None:
        super().__init__(settings)
        self.clients: dict[str, httpx.AsyncClient] = {}

    @asynccontextmanager
    async def _lifespan(self, app: FastAPI) -> AsyncIterator[None]:
        async with super()._lifespan(app):  # the aiohttp pool still serves /readyz and the OpenAPI catalog
            limits = httpx.Limits(
                max_connections=self.settings.pool_size, max_keepalive_connections=self.settings.pool_size
            )
            timeout = httpx.Timeout(
                connect=self.settings.connect_timeout, read=self.settings.read_timeout, write=None, pool=None
            )
            for name, base in self.settings.upstreams().items():
                self.clients[name] = httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout)
            try:
                yield
            finally:
                for client in self.clients.values():
                    await client.aclose()

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = owner_of(scope["path"]) if scope["type"] == "http" else None
        if service is None:
            await self.api(scope, receive, send)
            return
        client = self.clients[service]
        path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
        if scope.get("query_string"):
            path += "?" + scope["query_string"].decode("latin-1")
        # The variant reads whole bodies; it exists to compare client libraries, not streaming.
        content = await read_body(receive) if has_body(scope)[0] else None
        # It also skips the gateway's authentication: the caller's identity header is passed through.
        identity = header_value(scope, IDENTITY_HEADER.encode())
        request = client.build_request(
            scope["method"],
            path,
            headers=_forward_headers(scope, scope.get("plaza.request_id", ""), identity),
            content=content,
        )
        try:
            upstream = await client.send(request, stream=True)
        except httpx.TimeoutException as error:
            await _fail(
                scope, receive, send, 504, service, error, f"The {service} service did not answer in time."
            )
            return
        except (httpx.ConnectError, httpx.RemoteProtocolError) as error:
            await _fail(scope, receive, send, 503, service, error, f"The {service} service is unavailable.")
            return
        try:
            headers = [(k.lower(), v) for k, v in upstream.headers.raw if k.lower() not in _RESPONSE_DROP]
            await send({"type": "http.response.start", "status": upstream.status_code, "headers": headers})
            async for chunk in upstream.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            await upstream.aclose()


def create_app() -> HttpxGateway:
    """The variant app (uvicorn factory)."""
    return HttpxGateway(GatewaySettings())


if __name__ == "__main__":
    settings = GatewaySettings()
    uvicorn.run(
        "bench.httpx_proxy_variant:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        log_config=logging_config("gateway", settings.log_level),
        access_log=False,
        server_header=False,
    )
