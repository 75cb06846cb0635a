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
"""

import uuid
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Security
from fastapi.openapi.models import APIKey, APIKeyIn
from fastapi.routing import APIRoute
from fastapi.security import SecurityScopes
from fastapi.security.base import SecurityBase

from plaza_kit.errors import ForbiddenError, NotFoundError, UnauthorizedError
from plaza_kit.identity import IDENTITY_HEADER, IdentityError, IdentityVerifier, Principal
from plaza_kit.scopes import Scope

IDENTITY_SCHEME_NAME = "PlazaIdentity"
PUBLIC_PATHS = frozenset({"/healthz", "/readyz"})
OWNERSHIP_EXTENSION = "x-plaza-ownership"


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


def ensure_can_write(principal: Principal, owner_organisation_id: uuid.UUID | None, what: str) -> None:
    """Writes to a record are for its owner organisation and for admins."""
    if principal.is_admin or principal.belongs_to(owner_organisation_id):
        return
    raise ForbiddenError(f"only the organisation that owns this {what} may change it")


def hide_unless_visible(visible: bool, what: str, record_id: uuid.UUID) -> None:
    """A private record of another organisation answers exactly like a missing one."""
    if not visible:
        raise NotFoundError(f"no {what} with id {record_id}")


def declared_scopes(route: APIRoute) -> list[str] | None:
    """The scopes a route requires, or None when it declares no rule."""
    for dependency in route.dependant.dependencies:
        if dependency.call is _authorise:
            return list(dependency.own_oauth_scopes or [])
    return None


def assert_every_route_declares_access(app: FastAPI) -> None:
    """Fail loudly when a route has no access rule (public routes are the health checks only)."""
    for route in app.routes:
        if isinstance(route, APIRoute) and route.path not in PUBLIC_PATHS and declared_scopes(route) is None:
            raise RuntimeError(
                f"{sorted(route.methods or ())} {route.path} declares no access rule (use requires())"
            )
