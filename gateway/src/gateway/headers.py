"""Response headers the gateway adds to everything it answers: security headers and CORS.

Security: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`, a
Content-Security-Policy (a closed one for API answers, the docs page's own for `/docs`), `Cache-Control:
no-store` on API answers that set no caching of their own, and `Strict-Transport-Security` when
`GATEWAY_HSTS_SECONDS` is set (only behind TLS).

CORS: browsers on an origin in `GATEWAY_CORS_ORIGINS` may call the API; preflights are answered here,
before authentication (they carry no credentials), and a preflight from another origin is refused (403).
No cookies are used, so credentials mode is never allowed.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.docs_page import DOCS_CSP
from plaza_kit.errors import problem_response

API_CSP = b"default-src 'none'; frame-ancestors 'none'"
_REPLACED = frozenset(
    {b"x-content-type-options", b"referrer-policy", b"x-frame-options", b"content-security-policy"}
)
ALLOWED_METHODS = b"GET, POST, PUT, PATCH, DELETE"
ALLOWED_HEADERS = frozenset(
    {
        "x-api-key",
        "authorization",
        "content-type",
        "if-match",
        "if-none-match",
        "idempotency-key",
        "x-request-id",
        "traceparent",
        "accept",
        "accept-language",
    }
)
EXPOSED_HEADERS = b"X-Request-ID, RateLimit, RateLimit-Policy, Retry-After, Location, ETag"


class SecurityHeadersMiddleware:
    """Adds the security headers to every response."""

    def __init__(self, app: ASGIApp, *, hsts_seconds: int = 0) -> None:
        self.app = app
        common = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
        common.append((b"x-frame-options", b"DENY"))
        if hsts_seconds > 0:
            common.append((b"strict-transport-security", f"max-age={hsts_seconds}".encode()))
        self._api = [*common, (b"content-security-policy", API_CSP)]
        self._docs = [*common, (b"content-security-policy", DOCS_CSP.encode())]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        extra = self._docs if path.startswith("/docs") else self._api
        no_store = path.startswith("/v1/")

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() not in _REPLACED]
                if no_store and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers + extra}
            await send(message)

        await self.app(scope, receive, send_secured)


class CorsMiddleware:
    """CORS for an allow-list of origins."""

    def __init__(self, app: ASGIApp, *, origins: frozenset[str], max_age: int = 600) -> None:
        self.app = app
        self.origins = origins
        self.max_age = str(max_age).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = requested_method = requested_headers = None
        for key, value in scope["headers"]:
            if key == b"origin":
                origin = value.decode("latin-1")
            elif key == b"access-control-request-method":
                requested_method = value
            elif key == b"access-control-request-headers":
                requested_headers = value.decode("latin-1")
        if origin is None:
            await self.app(scope, receive, send)
            return
        allowed = origin.rstrip("/") in self.origins
        if scope["method"] == "OPTIONS" and requested_method is not None:
            await self._preflight(scope, receive, send, origin, allowed, requested_headers)
            return
        if not allowed:
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    *message.get("headers", ()),
                    (b"access-control-allow-origin", origin.encode("latin-1")),
                    (b"access-control-expose-headers", EXPOSED_HEADERS),
                    (b"vary", b"Origin"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(
        self, scope: Scope, receive: Receive, send: Send, origin: str, allowed: bool, requested: str | None
    ) -> None:
        asked = {name.strip().lower() for name in (requested or "").split(",") if name.strip()}
        refused = sorted(asked - ALLOWED_HEADERS)
        if not allowed or refused:
            detail = (
                f"the origin {origin} may not call this API"
                if not allowed
                else f"headers not allowed: {refused}"
            )
            response = problem_response(403, slug="cors-refused", detail=detail, instance=scope["path"])
            await response(scope, receive, send)
            return
        headers = [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"access-control-allow-methods", ALLOWED_METHODS),
            (b"access-control-allow-headers", ", ".join(sorted(asked or {"content-type"})).encode()),
            (b"access-control-max-age", self.max_age),
            (b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
            (b"content-length", b"0"),
        ]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
