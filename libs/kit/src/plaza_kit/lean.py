"""Lean reads: answering the common read request without FastAPI's per-request dependency solving.

For hot read paths (a company, a page of companies; next, an event's agenda and calendar feeds). A route
declared with `route_class_override=LeanReadRoute` whose endpoint carries a lean answer (`@lean_answer(f)`)
checks the caller's identity with the route's own `requires()` rule and then lets `f(request)` answer; `f`
returns None for anything it does not handle plainly (a malformed id, filters, a search), which FastAPI then
answers as declared, with its validation and problems. The declaration, and so the OpenAPI document and the
authorisation matrix, are untouched.
"""

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from fastapi.security import SecurityScopes

from plaza_kit.auth import declared_scopes
from plaza_kit.identity import IDENTITY_HEADER

LeanAnswer = Callable[[Request], Awaitable[Response | None]]


class LeanReadRoute(APIRoute):
    """A read route that answers the common request without FastAPI's per-request dependency solving.

    FastAPI solves a route's dependencies on every request (the identity check alone is two nested ones,
    each re-cast and re-resolved); in a profile of a company read that was a quarter of the registry's
    CPU outside the identity check itself. When the endpoint carries a `lean` answer (`lean_answer`) and
    the request's inputs need no validation beyond what it checks (a canonical id; a page asked for with
    `limit` and `cursor` only), the identity is checked by the route's own `requires()` dependency and
    the lean answer is sent. Anything else (a malformed id, filters, a search) goes through FastAPI as
    declared, with its validation and problems. The declaration is untouched, so is the OpenAPI document.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        full = super().get_route_handler()
        lean: LeanAnswer | None = getattr(self.endpoint, "lean", None)
        scopes = declared_scopes(self)
        authorise = next(
            (d.call for d in self.dependant.dependencies if d.call and d.own_oauth_scopes == scopes), None
        )
        if lean is None or authorise is None or scopes is None:
            return full
        security = SecurityScopes(scopes=scopes)

        async def handler(request: Request) -> Response:
            await authorise(
                security_scopes=security, request=request, token=request.headers.get(IDENTITY_HEADER)
            )
            answer = await lean(request)
            return answer if answer is not None else await full(request)

        return handler


def lean_answer(lean: LeanAnswer) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give an endpoint its lean answer (see `LeanReadRoute`): None means "let FastAPI answer"."""

    def mark(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        endpoint.lean = lean  # type: ignore[attr-defined]
        return endpoint

    return mark
