"""The gateway ASGI app: authenticate, rate-limit, then proxy (or answer its own routes).

Proxying bypasses FastAPI routing on purpose: the hot path for a proxied request is a header scan, a
dictionary lookup for the credential, one token-bucket step, and one pooled request upstream carrying a
cached identity token. Everything under `/v1/` needs a credential except the OAuth token endpoint and the
public collections (secret-URL calendar feeds): those are told apart by one `startswith` before anything
else, and take their own chain (`_dispatch_public`): GET/HEAD only, no credential or identity forwarded,
a rate limit per client address, never audited, and the path logged with its secret redacted.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from redis.asyncio import BlockingConnectionPool, Redis
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.audit import WRITE_METHODS, AuditLog
from gateway.catalog import OpenApiCatalog
from gateway.credentials import Credentials, Grant
from gateway.db import SCHEMA
from gateway.headers import CorsMiddleware, SecurityHeadersMiddleware
from gateway.limits import is_json, json_too_deep, read_within, replay
from gateway.oauth import TOKEN_PATH
from gateway.own_api import build_own_api, platform_document
from gateway.proxy import UpstreamPool, forward, has_body
from gateway.ratelimit import ADDRESS_POLICY_NAME, Decision, RateLimit, RateLimiter, address_key
from gateway.revocation import Revocations
from gateway.routes import API_PREFIX, PUBLIC_PREFIXES, owner_of, redacted
from gateway.settings import GatewaySettings
from gateway.tokens import AccessTokens
from plaza_contracts import CursorCodec
from plaza_kit.app import bind_database
from plaza_kit.db import make_engine, make_sessionmaker
from plaza_kit.errors import (
    DatabaseUnavailableError,
    database_unavailable,
    database_unavailable_response,
    install_problem_handlers,
    problem_response,
)
from plaza_kit.identity import IdentitySigner, IdentityVerifier
from plaza_kit.middleware import BodyLimitMiddleware, RequestContextMiddleware
from plaza_kit.migrations import current_revision, head_revision

ISSUER = "plaza-gateway"
PUBLIC_METHODS = frozenset({"GET", "HEAD"})


class Gateway:
    """The gateway: request context, body limit, authentication, rate limits, audit, dispatch."""

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self._head = head_revision("gateway")
        self.pool = UpstreamPool(settings)
        self.catalog = OpenApiCatalog(self.pool, ttl=settings.openapi_ttl)
        self.engine = make_engine(settings, application_name="plaza-gateway")
        self.redis: Redis | None = None
        if settings.redis_url:
            self.redis = Redis(
                connection_pool=BlockingConnectionPool.from_url(
                    settings.redis_url, max_connections=64, timeout=2
                )
            )
        pem = settings.signing_key.get_secret_value()
        self.credentials = Credentials(
            self.engine,
            IdentitySigner(pem, kid=settings.signing_key_id, issuer=ISSUER),
            AccessTokens(pem, kid=settings.signing_key_id, ttl_seconds=settings.access_token_ttl),
            cache_ttl=settings.key_cache_ttl,
            identity_ttl=settings.identity_ttl,
        )
        self.revocations = Revocations(self.redis, settings.redis_prefix, self.credentials)
        self.limiter = RateLimiter(self.redis, settings.redis_prefix)
        self.public_limit = RateLimit(
            settings.public_rate_per_minute, settings.public_burst, policy=ADDRESS_POLICY_NAME
        )
        self.audit = AuditLog(self.engine, self.merged_document)
        self.api: FastAPI = build_own_api(self.pool, self.merged_document, self.database_readiness)
        self.api.router.lifespan_context = self._lifespan
        self.api.state.settings = settings
        self.api.state.credentials = self.credentials
        self.api.state.revocations = self.revocations
        self.api.state.cursor_codec = CursorCodec(settings.cursor_secret.get_secret_value())
        # The admin routes read the principal the dispatcher put in the request state; an identity header
        # sent by a caller is never trusted here (no keys: every such token is refused).
        self.api.state.identity_verifier = IdentityVerifier({"keys": []})
        bind_database(self.api, self.engine, make_sessionmaker(self.engine))
        install_problem_handlers(self.api)
        self._app = self._middleware(self._dispatch)
        self._public_app = self._middleware(self._dispatch_public)

    def _middleware(self, app: ASGIApp) -> ASGIApp:
        settings = self.settings
        return SecurityHeadersMiddleware(
            CorsMiddleware(
                RequestContextMiddleware(BodyLimitMiddleware(app, max_bytes=settings.max_body_bytes)),
                origins=settings.allowed_origins(),
            ),
            hsts_seconds=settings.hsts_seconds,
        )

    @asynccontextmanager
    async def _lifespan(self, _: FastAPI) -> AsyncIterator[None]:
        await self.pool.open()
        await self.revocations.start()
        await self.audit.start()
        try:
            yield
        finally:
            await self.audit.stop()
            await self.revocations.stop()
            if self.redis is not None:
                await self.redis.aclose()
            await self.engine.dispose()
            await self.pool.close()

    async def database_readiness(self) -> str:
        """`ok` when the gateway's database answers and its schema is at the expected migration."""
        try:
            async with self.engine.connect() as connection:
                revision = await current_revision(connection, SCHEMA)
        except (OSError, SQLAlchemyError, DatabaseUnavailableError):
            return "database unreachable"
        return "ok" if revision == self._head else f"database at migration {revision}, expected {self._head}"

    async def merged_document(self) -> dict[str, Any]:
        """The platform's OpenAPI document: the gateway's own operations and every service's."""
        documents, missing = await self.catalog.documents()
        return platform_document(self.api, documents, missing)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if scope["path"].startswith(PUBLIC_PREFIXES):
                await self._public_app(_with_secret_redacted(scope), receive, send)
            else:
                await self._app(scope, receive, send)
        else:
            await self.api(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        if not path.startswith(API_PREFIX) or path == TOKEN_PATH:
            await self.api(scope, receive, send)
            return
        try:
            grant, problem = await self._authenticate(scope)
        except Exception as error:
            # A key or token not in the cache needs the database: down, slow or saturated, that is a 503
            # (one log line); a cached one goes on without it.
            unavailable = database_unavailable(error)
            if unavailable is None:
                raise
            await database_unavailable_response(unavailable, instance=path)(scope, receive, send)
            return
        if grant is None:
            await _unauthorized(problem, scope, receive, send)
            return
        decision = await self.limiter.take(grant.client_id, grant.limit)
        limit_headers = decision.headers()
        if not decision.allowed:
            await _rate_limited(decision, limit_headers, scope, receive, send)
            return
        body = None
        if is_json(scope) and has_body(scope)[0]:
            body, problem_sent = await self._checked_json(scope, receive, send)
            if problem_sent:
                return
        if scope["method"] in WRITE_METHODS:
            send = self.audit.watch(scope, grant, send)
        service = owner_of(path)
        if service is not None:
            identity = self.credentials.identity_for(grant)
            await forward(
                self.pool,
                service,
                scope,
                receive,
                send,
                identity=identity,
                extra_headers=limit_headers,
                body=body,
            )
            return
        scope.setdefault("state", {})["principal"] = grant.principal
        await self.api(
            scope, replay(body) if body is not None else receive, _with_headers(send, limit_headers)
        )

    async def _dispatch_public(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A read of a public collection: the secret in its path is the credential, checked by the service.

        Any key or token the caller sent is ignored (and, like any credential, never forwarded); the service
        gets no identity. `scope["path"]` is already redacted; the proxy forwards `raw_path`.
        """
        path: str = scope["path"]
        if scope["method"] not in PUBLIC_METHODS:
            response = problem_response(
                405,
                slug="method-not-allowed",
                detail="Public paths are read-only: use GET or HEAD.",
                instance=path,
                headers={"Allow": "GET, HEAD"},
            )
            await response(scope, receive, send)
            return
        if _has_dot_segments(scope["raw_path"]):
            # The proxy would resolve them (`/v1/calendar/../../healthz` is `/healthz`): never leave the
            # public collection without a credential.
            response = problem_response(404, slug="not-found", detail="No such path.", instance=path)
            await response(scope, receive, send)
            return
        client = scope.get("client")
        decision = await self.limiter.take(address_key(client[0] if client else "unknown"), self.public_limit)
        limit_headers = decision.headers()
        if not decision.allowed:
            await _rate_limited(decision, limit_headers, scope, receive, send)
            return
        service = owner_of(path)
        assert service is not None, "every public collection is owned by a service (gateway.routes)"
        await forward(self.pool, service, scope, receive, send, identity=None, extra_headers=limit_headers)

    async def _checked_json(self, scope: Scope, receive: Receive, send: Send) -> tuple[bytes, bool]:
        """Read a JSON body and refuse it (answering the problem) when too slow or nested too deep."""
        try:
            body = await read_within(receive, self.settings.body_timeout)
        except TimeoutError:
            detail = f"The request body did not arrive within {self.settings.body_timeout:g} s."
            response = problem_response(
                408, slug="request-timeout", title="Request timeout", detail=detail, instance=scope["path"]
            )
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return b"", True
        if json_too_deep(body, self.settings.max_json_depth):
            detail = f"The JSON body nests deeper than {self.settings.max_json_depth} levels."
            response = problem_response(
                400, slug="json-too-deep", title="JSON too deep", detail=detail, instance=scope["path"]
            )
            await response(scope, receive, send)
            return b"", True
        return body, False

    async def _authenticate(self, scope: Scope) -> tuple[Grant | None, str]:
        api_key = authorization = None
        for key, value in scope["headers"]:
            if key == b"x-api-key":
                api_key = value.decode("latin-1").strip()
            elif key == b"authorization":
                authorization = value.decode("latin-1").strip()
        if api_key is not None:
            grant = await self.credentials.from_api_key(api_key)
            return grant, "The API key is not valid (unknown, revoked or expired)."
        if authorization is not None:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                grant = await self.credentials.from_bearer(token.strip())
                return grant, "The access token is not valid (malformed, expired or revoked)."
            return None, "Use `Authorization: Bearer <access token>` or `X-API-Key`."
        return None, "Authenticate with an API key (`X-API-Key`) or an OAuth access token (Bearer)."


def _with_secret_redacted(scope: Scope) -> Scope:
    """The scope of a public request as the middleware sees it: `path` without the secret (it is what the
    access log and problem `instance`s show); `raw_path`, which the proxy forwards, keeps it."""
    path: str = scope["path"]
    return {**scope, "path": redacted(path), "raw_path": scope.get("raw_path") or path.encode()}


def _has_dot_segments(raw_path: bytes) -> bool:
    return any(segment in (b".", b"..") for segment in raw_path.split(b"/"))


async def _rate_limited(
    decision: Decision, limit_headers: list[tuple[bytes, bytes]], scope: Scope, receive: Receive, send: Send
) -> None:
    response = problem_response(
        429,
        slug="rate-limited",
        detail=f"Rate limit exceeded; retry after {decision.retry_after} s.",
        instance=scope["path"],
    )
    response.raw_headers.extend(limit_headers)
    await response(scope, receive, send)


async def _unauthorized(detail: str, scope: Scope, receive: Receive, send: Send) -> None:
    response = problem_response(
        401,
        slug="unauthorized",
        detail=detail,
        instance=scope["path"],
        headers={"WWW-Authenticate": 'Bearer realm="plaza", ApiKey realm="plaza"'},
    )
    await response(scope, receive, send)


def _with_headers(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", ()), *extra]}
        await send(message)

    return sending


def create_app(settings: GatewaySettings | None = None) -> Gateway:
    """Build the gateway; settings come from `GATEWAY_*` variables unless given."""
    return Gateway(settings or GatewaySettings())
