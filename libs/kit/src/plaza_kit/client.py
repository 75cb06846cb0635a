"""Calling another service: one pooled `httpx.AsyncClient` per upstream, owned by the app's lifespan.

A service that needs another (meetings → registry) declares it: `create_service_app(..., upstreams=
("registry",))`. The lifespan opens one `ServiceClient` per upstream and closes it on shutdown; routes get it
with `Depends(upstream("registry"))` (or a typed client such as `plaza_kit.client_registry.RegistryDep`).

What every call does, so callers do not have to:

- **Identity.** Each request carries a short-lived token (`X-Plaza-Identity`) signed with the calling
  service's own key (`<SERVICE>_SIGNING_KEY`, issuer `plaza-<service>`, principal kind `service`), re-minted
  when half its lifetime has passed. The callee trusts that key through its `trusted_keys` JWKS.
- **Correlation.** `X-Request-ID` of the request being served is passed on, and its trace is continued in a
  W3C `traceparent` with a new span id (a new trace when the caller sent none).
- **Timeouts and the pool.** At most `upstream_pool_size` calls in flight per upstream (more wait for a
  slot up to the pool timeout); connect and read timeouts from the settings, plus a deadline per attempt,
  so a slow upstream costs at most a few seconds, never a hang.
- **Retries.** Only for idempotent calls (GET, HEAD, OPTIONS, and calls the caller marks `idempotent`, such
  as a batch lookup sent as POST), once, and only when the connection failed (refused, reset, or a pooled
  keep-alive connection the upstream had closed); never after a timeout or an answer.
- **Errors.** A refused, failing (5xx), slow or identity-refusing (401/403) upstream is an `UnavailableError`:
  a 503 problem with `Retry-After`, `detail` "the registry is unavailable …" and the extension
  `dependency: registry`. An answer that breaks the contract (an unexpected 4xx, a body that does not
  validate) is an `UpstreamAnswerError` (502). A 404 is the caller's domain answer: `fetch` returns None,
  or raises the error the caller passes as `not_found`.

Why httpx here although the gateway's hop uses aiohttp: see docs/architecture.md, "Calling another service"
(measured by `./plaza bench client`).
"""

import asyncio
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, overload

import httpx
from fastapi import Request
from pydantic import BaseModel, ValidationError

from plaza_kit.catalogue import component
from plaza_kit.context import current_request_id, current_trace_id
from plaza_kit.errors import ServiceError, UnavailableError
from plaza_kit.identity import IDENTITY_HEADER, IdentitySigner, Principal
from plaza_kit.middleware import REQUEST_ID_HEADER
from plaza_kit.settings import ServiceSettings

logger = logging.getLogger("plaza.client")

ModelT = TypeVar("ModelT", bound=BaseModel)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods retried without being marked; anything else only when the caller says it is idempotent."""

# The connection failed before any answer: safe to send again when the call is idempotent. Timeouts are
# not here (the upstream may be working on it; a retry would double the wait).
_CONNECTION_ERRORS = (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
_RETRY_AFTER_SECONDS = 1
# Below uvicorn's keep-alive timeout (5 s), so we drop an idle connection before the server does and
# rarely send on one it is closing.
_KEEPALIVE_EXPIRY_SECONDS = 3.0


class UpstreamAnswerError(ServiceError):
    """An upstream answered something this service cannot use: a status it did not expect or a body that
    breaks the contract. A bug on one side, not an outage: 502, not retried."""

    status, slug, title = 502, "bad-upstream-answer", "Bad answer from a dependency"


@dataclass(frozen=True)
class Upstream:
    """A service this one calls, and the scopes its identity token asks for there."""

    name: str
    scopes: tuple[str, ...] = ()

    @classmethod
    def of(cls, spec: "str | Upstream") -> "Upstream":
        """`"registry"` means the registry with `registry:read`."""
        if isinstance(spec, Upstream):
            return spec
        return cls(name=spec, scopes=(f"{spec}:read",))


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a pooled connection, to connect, and for the upstream's next bytes."""

    connect: float = 1.0
    read: float = 5.0
    pool: float = 1.0

    @property
    def deadline(self) -> float:
        """The longest one attempt may take once it has a connection slot (a trickling answer is cut off
        too)."""
        return self.connect + self.read

    @classmethod
    def of(cls, settings: ServiceSettings) -> "Timeouts":
        """The timeouts a service's settings ask for."""
        return cls(
            connect=settings.upstream_connect_timeout,
            read=settings.upstream_read_timeout,
            pool=settings.upstream_pool_timeout,
        )


class ServiceIdentity:
    """The calling service's identity token for one upstream, minted once and renewed at half-life."""

    def __init__(self, signer: IdentitySigner, principal: Principal, *, ttl_seconds: int = 60) -> None:
        self._signer = signer
        self._principal = principal
        self._ttl = ttl_seconds
        self._token = ""
        self._renew_at = 0.0

    def token(self) -> str:
        """A token valid for at least half its lifetime."""
        now = time.monotonic()
        if now >= self._renew_at:
            self._token = self._signer.mint(self._principal, ttl_seconds=self._ttl)
            self._renew_at = now + self._ttl / 2
        return self._token


def outgoing_traceparent() -> str:
    """The `traceparent` of a call made while serving a request: its trace id, a new span id."""
    trace_id = current_trace_id() or os.urandom(16).hex()
    return f"00-{trace_id}-{os.urandom(8).hex()}-01"


class ServiceClient:
    """Calls to one upstream service over one pooled keep-alive `httpx.AsyncClient`."""

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        identity: ServiceIdentity,
        timeouts: Timeouts = Timeouts(),
        pool_size: int = 8,
        max_in_flight: int | None = None,
        user_agent: str = "plaza",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.timeouts = timeouts
        self._identity = identity
        # Calls beyond the pool wait here, in a semaphore (constant time), not in httpcore's queue: its pool
        # re-scans every queued request against every connection twice per request (encode/httpx#3215),
        # which cost 10× aiohttp's CPU per call at 32 in flight (`./plaza bench client`).
        self._slots = asyncio.Semaphore(max_in_flight or pool_size)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(
                connect=timeouts.connect, read=timeouts.read, write=timeouts.read, pool=timeouts.pool
            ),
            limits=httpx.Limits(
                max_connections=pool_size,
                max_keepalive_connections=pool_size,
                keepalive_expiry=_KEEPALIVE_EXPIRY_SECONDS,
            ),
            headers={"user-agent": user_agent},
            trust_env=False,  # never route internal calls through an HTTP(S)_PROXY from the environment
            follow_redirects=False,
            transport=transport,
        )

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._http.aclose()

    @property
    def is_closed(self) -> bool:
        """Whether the client was closed (its app shut down)."""
        return self._http.is_closed

    def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = {IDENTITY_HEADER: self._identity.token(), "traceparent": outgoing_traceparent()}
        request_id = current_request_id()
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        if extra:
            headers.update(extra)
        return headers

    def unavailable(self, reason: str, *, retry_after: int = _RETRY_AFTER_SECONDS) -> UnavailableError:
        """The 503 this service answers when the upstream cannot serve it."""
        return UnavailableError(
            f"the {self.name} is unavailable: {reason}",
            extensions={"dependency": self.name},
            headers={"Retry-After": str(retry_after)},
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send one call and return the answer when the upstream could answer it (2xx, 3xx, 4xx except
        401/403); raise `UnavailableError` otherwise. `idempotent` defaults to the method's nature.

        A pydantic model as `json` is sent as its JSON dump.
        """
        method = method.upper()
        retryable = idempotent if idempotent is not None else method in IDEMPOTENT_METHODS
        content: bytes | None = None
        body_headers: dict[str, str] = {}
        if isinstance(json, BaseModel):
            content, json = json.model_dump_json().encode(), None
            body_headers["content-type"] = "application/json"
        call = {"content": content, "json": json, "params": params, "headers": body_headers}
        started = time.perf_counter()
        await self._take_slot(method, path, started)
        try:
            call["headers"] = {**body_headers, **self._headers(headers)}
            return await self._send(method, path, started, retryable, call)
        finally:
            self._slots.release()

    async def _take_slot(self, method: str, path: str, started: float) -> None:
        if not self._slots.locked():
            await self._slots.acquire()
            return
        try:
            async with asyncio.timeout(self.timeouts.pool):
                await self._slots.acquire()
        except TimeoutError as error:
            reason = f"no connection free within {self.timeouts.pool:.1f} s"
            raise self._failed(method, path, started, reason, error) from error

    async def _send(
        self, method: str, path: str, started: float, retryable: bool, call: dict[str, Any]
    ) -> httpx.Response:
        attempts = 2 if retryable else 1
        for attempt in range(1, attempts + 1):
            try:
                async with asyncio.timeout(self.timeouts.deadline):
                    response = await self._http.request(method, path, **call)
            except _CONNECTION_ERRORS as error:
                if attempt < attempts:
                    logger.info(
                        "retrying after a connection error",
                        extra={"dependency": self.name, "method": method, "error": type(error).__name__},
                    )
                    continue
                raise self._failed(method, path, started, "the connection failed", error) from error
            except (httpx.TimeoutException, TimeoutError) as error:
                reason = f"no answer within {self._waited(started):.1f} s"
                raise self._failed(method, path, started, reason, error) from error
            except httpx.TransportError as error:
                raise self._failed(method, path, started, "the call failed", error) from error
            return self._answered(method, path, started, response)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _answered(self, method: str, path: str, started: float, response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if status >= 500:
            given = response.headers.get("retry-after", "")
            retry_after = int(given) if given.isdigit() else _RETRY_AFTER_SECONDS
            self._log(method, path, started, f"status {status}")
            error = self.unavailable(f"it answered {status}", retry_after=min(retry_after, 60))
            raise error
        if status in (401, 403):
            # The upstream does not trust our identity (or our scopes): a platform misconfiguration our
            # caller cannot fix; it is an outage of the dependency from their point of view.
            logger.error(
                "an upstream refused this service's identity",
                extra={"dependency": self.name, "method": method, "path": path, "status": status},
            )
            raise self.unavailable(f"it refused this service's identity ({status})")
        return response

    def _failed(
        self, method: str, path: str, started: float, reason: str, error: Exception
    ) -> UnavailableError:
        self._log(method, path, started, type(error).__name__)
        return self.unavailable(reason)

    def _log(self, method: str, path: str, started: float, error: str) -> None:
        logger.warning(
            "upstream unavailable",
            extra={
                "dependency": self.name,
                "method": method,
                "path": path,
                "error": error,
                "duration_ms": round(self._waited(started) * 1000, 1),
            },
        )

    @staticmethod
    def _waited(started: float) -> float:
        return time.perf_counter() - started

    @overload
    async def fetch(
        self,
        method: str,
        path: str,
        model: type[ModelT],
        *,
        not_found: Callable[[], Exception],
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        idempotent: bool | None = None,
    ) -> ModelT: ...

    @overload
    async def fetch(
        self,
        method: str,
        path: str,
        model: type[ModelT],
        *,
        not_found: None = None,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        idempotent: bool | None = None,
    ) -> ModelT | None: ...

    async def fetch(
        self,
        method: str,
        path: str,
        model: type[ModelT],
        *,
        not_found: Callable[[], Exception] | None = None,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        idempotent: bool | None = None,
    ) -> ModelT | None:
        """The answer as `model`; a 404 is None, or the error `not_found()` makes (e.g. a NotFoundError
        or an UnprocessableError naming the caller's field)."""
        response = await self.request(method, path, json=json, params=params, idempotent=idempotent)
        if response.status_code == 404:
            if not_found is not None:
                raise not_found()
            return None
        if not 200 <= response.status_code < 300:
            raise UpstreamAnswerError(
                f"the {self.name} answered {response.status_code} to {method} {path}",
                extensions={"dependency": self.name},
            )
        try:
            return model.model_validate_json(response.content)
        except ValidationError as error:
            logger.error(
                "an upstream answer broke its contract",
                extra={"dependency": self.name, "path": path, "errors": error.error_count()},
            )
            raise UpstreamAnswerError(
                f"the {self.name} answered {method} {path} with a body that does not match its contract",
                extensions={"dependency": self.name},
            ) from error


class Upstreams:
    """The app's clients, one per upstream service (on `app.state.upstreams`)."""

    def __init__(self, clients: Mapping[str, ServiceClient]) -> None:
        self._clients = dict(clients)

    def __getitem__(self, name: str) -> ServiceClient:
        try:
            return self._clients[name]
        except KeyError:
            raise KeyError(f"{name!r} is not an upstream of this app; declare it in upstreams=") from None

    def __contains__(self, name: object) -> bool:
        return name in self._clients

    async def aclose(self) -> None:
        """Close every client."""
        await asyncio.gather(*(client.aclose() for client in self._clients.values()))


def service_signer(service: str, settings: ServiceSettings) -> IdentitySigner:
    """The signer of `service`'s own identity (issuer `plaza-<service>`), from its settings."""
    if settings.signing_key is None:
        prefix = str(settings.model_config.get("env_prefix", "")).upper()
        raise RuntimeError(f"{prefix}SIGNING_KEY is required: {service} calls other services")
    return IdentitySigner(
        settings.signing_key.get_secret_value(),
        kid=settings.signing_key_id or f"{service}-1",
        issuer=f"plaza-{service}",
    )


def open_upstreams(service: str, settings: ServiceSettings, upstreams: Sequence[str | Upstream]) -> Upstreams:
    """One client per upstream of `service`, as its settings describe them."""
    signer = service_signer(service, settings)
    clients = {}
    for spec in map(Upstream.of, upstreams):
        component(spec.name)  # a name outside the catalogue is a programming error: fail at start-up
        principal = Principal(
            subject=service, organisation_id=None, scopes=frozenset(spec.scopes), kind="service"
        )
        clients[spec.name] = ServiceClient(
            spec.name,
            settings.upstream_url(spec.name),
            identity=ServiceIdentity(signer, principal),
            timeouts=Timeouts.of(settings),
            pool_size=settings.upstream_pool_size,
            user_agent=f"plaza-{service}",
        )
    return Upstreams(clients)


def upstream(name: str) -> Callable[[Request], ServiceClient]:
    """A dependency giving a route the app's client of upstream `name`: `Depends(upstream("registry"))`."""

    def dependency(request: Request) -> ServiceClient:
        upstreams: Upstreams | None = getattr(request.app.state, "upstreams", None)
        if upstreams is None:
            raise RuntimeError(
                "no upstream clients: declare create_service_app(upstreams=...) and run its lifespan"
            )
        return upstreams[name]

    return dependency
