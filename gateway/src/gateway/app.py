"""The gateway ASGI app: proxied paths go straight to the proxy; the rest to the gateway's own routes.

Proxying bypasses FastAPI routing on purpose: the hot path is a dictionary lookup and one pooled request.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from gateway.catalog import OpenApiCatalog
from gateway.own_api import build_own_api
from gateway.proxy import UpstreamPool, forward
from gateway.routes import owner_of
from gateway.settings import GatewaySettings
from plaza_kit.errors import install_problem_handlers
from plaza_kit.middleware import BodyLimitMiddleware, RequestContextMiddleware


class Gateway:
    """The gateway: request context and body limit around a dispatcher."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.pool = UpstreamPool(settings)
        self.catalog = OpenApiCatalog(self.pool, ttl=settings.openapi_ttl)
        self.api: FastAPI = build_own_api(self.pool, self.catalog)
        self.api.router.lifespan_context = self._lifespan
        install_problem_handlers(self.api)
        self._app = RequestContextMiddleware(
            BodyLimitMiddleware(self._dispatch, max_bytes=settings.max_body_bytes)
        )

    @asynccontextmanager
    async def _lifespan(self, _: FastAPI) -> AsyncIterator[None]:
        await self.pool.open()
        try:
            yield
        finally:
            await self.pool.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.api(scope, receive, send)
        else:
            await self._app(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = owner_of(scope["path"]) if scope["type"] == "http" else None
        if service is not None:
            await forward(self.pool, service, scope, receive, send)
        else:
            await self.api(scope, receive, send)


def create_app(settings: GatewaySettings | None = None) -> Gateway:
    """Build the gateway; settings come from `GATEWAY_*` variables unless given."""
    return Gateway(settings or GatewaySettings())
