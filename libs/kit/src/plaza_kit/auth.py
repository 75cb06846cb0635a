"""Authorisation inside a service: the verified principal and the scope each operation requires.

Every route declares its rule with `requires(Scope.X)` (or `public()` for health checks). The rule shows in
the service's OpenAPI document as a security requirement with that scope, which the gateway turns into the
partner-facing schemes; `assert_every_route_declares_access` makes an undeclared route fail at start-up.

Object-level rules (whose record is this?) live with the data, in the services, using `Principal`:
`ensure_can_write(principal, owner_organisation_id)` and `hide_unless_visible(...)` (404, not 403, so ids
of other organisations' private records cannot be probed). An operation bound to the record's owner also
says so in its OpenAPI document with `openapi_extra=owner_only()` (`x-plaza-ownership: owner`): the
authorisation-matrix test then expects other organisations to be refused, and fails if they are refused
without the declaration (see docs/security.md).

A few reads are for clients that cannot send a credential at all (calendar apps subscribing to a feed):
`secret_url()` declares that the unguessable secret in the path *is* the credential. Such an operation needs
no identity and documents `security: []` and `x-plaza-access: secret-url` (declare
`openapi_extra=secret_url_operation()` too; start-up checks both are there); the gateway forwards it without
a key (its collection is one of the catalogue's `public_collections`). The service must look the secret up
itself (stored hashed, revocable) and answer 404 for an unknown one.
"""

import uuid
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Security
from fastapi.openapi.models import APIKey, APIKeyIn
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.security import SecurityScopes
from fastapi.security.base import SecurityBase

from plaza_kit.errors import ForbiddenError, NotFoundError, UnauthorizedError
from plaza_kit.identity import IDENTITY_HEADER, IdentityError, IdentityVerifier, Principal
from plaza_kit.scopes import Scope

IDENTITY_SCHEME_NAME = "PlazaIdentity"
PUBLIC_PATHS = frozenset({"/healthz", "/readyz"})
OWNERSHIP_EXTENSION = "x-plaza-ownership"
ACCESS_EXTENSION = "x-plaza-access"
ACCESS_SECRET_URL = "secret-url"  # noqa: S105 (the name of an access rule, not a secret)
REDACTED = "{redacted}"


class _IdentityHeader(SecurityBase):
    """The `X-Plaza-Identity` header, declared as an OpenAPI security scheme."""

    def __init__(self) -> None:
        self.model = APIKey(
            **{"in": APIKeyIn.header},
            name="X-Plaza-Identity",
            description="Identity token minted by the gateway (or a calling service).",
        )
        self.scheme_name = IDENTITY_SCHEME_NAME

    async def __call__(self, request: Request) -> str | None:
        return request.headers.get(IDENTITY_HEADER)


identity_header = _IdentityHeader()


def principal_of(request: Request, token: str | None) -> Principal:
    """Verify `token` with the app's verifier (cached per request)."""
    # The request's state dict itself: `request.state.principal` raises (and catches) AttributeError
    # when unset, which costs a few per cent of a cheap read.
    cached: Principal | None = request.scope.get("state", {}).get("principal")
    if cached is not None:
        return cached
    if not token:
        raise UnauthorizedError(
            "this service only answers requests vouched for by the gateway",
            headers={"WWW-Authenticate": "PlazaIdentity"},
        )
    verifier: IdentityVerifier = request.app.state.identity_verifier
    try:
        principal = verifier.verify(token)
    except IdentityError as error:
        raise UnauthorizedError(str(error), headers={"WWW-Authenticate": "PlazaIdentity"}) from error
    request.state.principal = principal
    return principal


async def _authorise(
    security_scopes: SecurityScopes, request: Request, token: Annotated[str | None, Depends(identity_header)]
) -> Principal:
    principal = principal_of(request, token)
    missing = [scope for scope in security_scopes.scopes if not principal.has_scope(scope)]
    if missing:
        raise ForbiddenError(
            f"this operation requires the scope {' and '.join(missing)}",
            extensions={"required_scopes": security_scopes.scopes},
        )
    return principal


def requires(*scopes: Scope) -> Any:
    """A dependency that returns the caller's Principal after checking it holds every scope in `scopes`."""
    return Security(_authorise, scopes=[str(scope) for scope in scopes])


def owner_only() -> dict[str, Any]:
    """`openapi_extra` of an operation only the record's owner organisation (and admins) may call."""
    return {OWNERSHIP_EXTENSION: "owner"}


class _SecretInPath:
    """The dependency behind `secret_url()`: returns the secret path parameter, hidden from the logs.

    The access line of `RequestContextMiddleware` is written from `scope["path"]` when the response is done;
    the route has matched by now, so the path in the scope is replaced by one with the secret redacted.
    """

    def __init__(self, parameter: str) -> None:
        self.parameter = parameter

    async def __call__(self, request: Request) -> str:
        secret = str(request.path_params.get(self.parameter, ""))
        path: str = request.scope["path"]
        if secret:
            request.scope["path"] = path.replace(secret, REDACTED)
        return secret


def secret_url(parameter: str = "token") -> Any:
    """A dependency declaring that the path parameter `parameter` is the credential; returns its value.

    No identity is required (an identity sent anyway is ignored). Use it only for reads that must work
    without a key, and keep the secret long and random: whoever has the URL has the data.
    """
    return Depends(_SecretInPath(parameter))


def secret_url_operation() -> dict[str, Any]:
    """`openapi_extra` of a `secret_url()` operation: no security requirement, and the access rule named.

    Declared beside the dependency (as `owner_only()` is) because FastAPI documents an operation from its
    route's declaration; `assert_every_route_declares_access` fails at start-up when either is missing.
    """
    return {"security": [], ACCESS_EXTENSION: ACCESS_SECRET_URL}


def ensure_can_write(principal: Principal, owner_organisation_id: uuid.UUID | None, what: str) -> None:
    """Writes to a record are for its owner organisation and for admins."""
    if principal.is_admin or principal.belongs_to(owner_organisation_id):
        return
    raise ForbiddenError(f"only the organisation that owns this {what} may change it")


def hide_unless_visible(visible: bool, what: str, record_id: uuid.UUID) -> None:
    """A private record of another organisation answers exactly like a missing one."""
    if not visible:
        raise NotFoundError(f"no {what} with id {record_id}")


def declared_scopes(route: APIRoute | RouteContext) -> list[str] | None:
    """The scopes a route requires, or None when it declares no rule."""
    for dependency in route.dependant.dependencies:
        if dependency.call is _authorise:
            return list(dependency.own_oauth_scopes or [])
    return None


def declared_secret_parameter(route: APIRoute | RouteContext) -> str | None:
    """The path parameter a `secret_url()` route takes as its credential, or None for other routes."""
    for dependency in route.dependant.dependencies:
        if isinstance(dependency.call, _SecretInPath):
            return dependency.call.parameter
    return None


def assert_every_route_declares_access(app: FastAPI) -> None:
    """Fail loudly when a route has no access rule (public routes are the health checks only).

    A `secret_url()` route must take its secret in its path, declare no scopes, and say so in its
    document (`openapi_extra=secret_url_operation()`), and only such a route may say so.
    Included routers are walked too: with the FastAPI we pin, `app.routes` holds one opaque entry per
    `include_router` (not its routes), so a plain loop over it would check nothing.
    """
    for context in iter_route_contexts(app.router.routes):
        if not isinstance(context.original_route, APIRoute) or context.path in PUBLIC_PATHS:
            continue
        where = f"{sorted(context.methods or ())} {context.path}"
        scopes = declared_scopes(context)
        secret = declared_secret_parameter(context)
        documented = (context.openapi_extra or {}).get(ACCESS_EXTENSION) == ACCESS_SECRET_URL
        if scopes is None and secret is None:
            raise RuntimeError(f"{where} declares no access rule (use requires())")
        if secret is None:
            if documented:
                raise RuntimeError(f"{where} is documented as a secret URL but does not declare secret_url()")
            continue
        if scopes is not None:
            raise RuntimeError(f"{where} declares both requires() and secret_url(): choose one")
        if secret not in context.param_convertors:
            raise RuntimeError(f"{where} declares secret_url({secret!r}) but has no such path parameter")
        if not documented:
            raise RuntimeError(f"{where} declares secret_url(): add openapi_extra=secret_url_operation()")
