"""The app factory every service uses: same middleware, errors, health, database and docs conventions."""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from plaza_contracts import CursorCodec
from plaza_kit.auth import assert_every_route_declares_access
from plaza_kit.client import Upstream, open_upstreams
from plaza_kit.db import make_engine, make_sessionmaker
from plaza_kit.errors import install_problem_handlers
from plaza_kit.health import health_router
from plaza_kit.idempotency import IdempotencyStore
from plaza_kit.identity import IdentityVerifier
from plaza_kit.middleware import BodyLimitMiddleware, RequestContextMiddleware
from plaza_kit.migrations import head_revision
from plaza_kit.openapi import install_problem_openapi
from plaza_kit.settings import ServiceSettings


def bind_database(app: FastAPI, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Attach the engine (health checks) and the sessionmaker (request sessions) to `app`."""
    app.state.engine = engine
    app.state.sessionmaker = sessionmaker


def create_service_app(
    *,
    service: str,
    settings: ServiceSettings,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    openapi_tags: list[dict[str, Any]] | None = None,
    idempotency: IdempotencyStore | None = None,
    upstreams: Sequence[str | Upstream] = (),
    lifespans: Sequence[Callable[[FastAPI], AbstractAsyncContextManager[None]]] = (),
) -> FastAPI:
    """A FastAPI app for `service` (its package name, which is also its database schema); `idempotency` is
    the store of its `Idempotency-Key` table, used by `IdempotentCreateDep`; `upstreams` are the services
    it calls, one pooled client each for the app's lifetime (`plaza_kit.client`); `lifespans` are the
    service's own background parts (entered in order once the database is bound, left in reverse)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings, application_name=f"plaza-{service}")
        bind_database(app, engine, make_sessionmaker(engine))
        clients = open_upstreams(service, settings, upstreams) if upstreams else None
        app.state.upstreams = clients
        try:
            async with AsyncExitStack() as stack:
                for part in lifespans:
                    await stack.enter_async_context(part(app))
                yield
        finally:
            if clients is not None:
                await clients.aclose()
            await engine.dispose()

    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        openapi_tags=openapi_tags,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.cursor_codec = CursorCodec(settings.cursor_secret.get_secret_value())
    app.state.identity_verifier = IdentityVerifier(settings.trusted_keys)
    app.state.idempotency = idempotency
    install_problem_handlers(app)
    install_problem_openapi(app)
    app.include_router(health_router(service, schema=service, head=head_revision(service)))
    for router in routers:
        app.include_router(router)
    assert_every_route_declares_access(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware)
    return app
