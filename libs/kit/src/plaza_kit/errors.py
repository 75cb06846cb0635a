"""Domain errors and their rendering as RFC 9457 problem details.

Services raise a `ServiceError` subclass; one set of handlers (installed by the app factory) renders every
error — ours, FastAPI's validation errors, routing 404/405, database failures and anything unexpected — as
`application/problem+json`. Routes never build `HTTPException`s for business cases.

Hierarchy (status → class): 400 BadRequestError (InvalidCursorError), 401 UnauthorizedError,
403 ForbiddenError, 404 NotFoundError, 409 ConflictError, 412 PreconditionFailedError,
413 PayloadTooLargeError, 422 UnprocessableError, 428 PreconditionRequiredError, 503 UnavailableError
(DatabaseUnavailableError).
"""

import logging
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from plaza_contracts import PROBLEM_MEDIA_TYPE, FieldError, Problem, problem_type
from plaza_kit.context import current_request_id

logger = logging.getLogger("plaza.errors")

_STATUS_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    411: "Length required",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Validation failed",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


def status_title(status: int) -> str:
    """The default title of a status code."""
    return _STATUS_TITLES.get(status, "Error")


def problem_response(
    status: int,
    *,
    slug: str | None = None,
    title: str | None = None,
    detail: str | None = None,
    instance: str | None = None,
    errors: Sequence[FieldError] | None = None,
    extensions: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response; `extensions` adds members such as `existing_id`."""
    problem = Problem(
        type=problem_type(slug) if slug else "about:blank",
        title=title or status_title(status),
        status=status,
        detail=detail,
        instance=instance,
        request_id=current_request_id(),
        errors=list(errors) if errors else None,
    )
    body = {**problem.to_body(), **(extensions or {})}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=dict(headers or {}))


RESERVED_MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "request_id", "errors"})
"""Members of every problem (RFC 9457 and ours); extensions take other names."""


class ServiceError(Exception):
    """Base of every error a service raises on purpose; carries its HTTP status and problem type."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[FieldError] | None = None,
        extensions: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        reserved = RESERVED_MEMBERS & set(extensions or {})
        if reserved:
            # An extension named like a standard member would overwrite it (a 409 saying "status": "open").
            raise ValueError(f"problem extensions may not be named {sorted(reserved)}")
        self.detail = detail
        self.errors = errors
        self.extensions = extensions
        self.headers = headers


class BadRequestError(ServiceError):
    status, slug, title = 400, "bad-request", "Bad request"


class InvalidCursorError(BadRequestError):
    slug, title = "invalid-cursor", "Invalid cursor"


class UnauthorizedError(ServiceError):
    status, slug, title = 401, "unauthorized", "Unauthorized"


class ForbiddenError(ServiceError):
    status, slug, title = 403, "forbidden", "Forbidden"


class NotFoundError(ServiceError):
    status, slug, title = 404, "not-found", "Not found"


class ConflictError(ServiceError):
    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailedError(ServiceError):
    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PayloadTooLargeError(ServiceError):
    status, slug, title = 413, "content-too-large", "Content too large"


class UnprocessableError(ServiceError):
    status, slug, title = 422, "validation-failed", "Validation failed"


class PreconditionRequiredError(ServiceError):
    status, slug, title = 428, "precondition-required", "Precondition required"


class UnavailableError(ServiceError):
    status, slug, title = 503, "unavailable", "Service unavailable"


class DatabaseUnavailableError(UnavailableError):
    """The database cannot serve the request now: down, not answering in time, or every pooled connection
    busy. Nothing was stored; the request can be retried after `Retry-After` seconds."""

    slug, title = "database-unavailable", "Database unavailable"

    def __init__(self, detail: str | None = None, *, cause: str = "") -> None:
        detail = detail or "The database is unavailable; retry shortly."
        super().__init__(detail, headers={"Retry-After": "1"})
        self.cause = cause  # what failed, as an exception type name: all the log line says about it


def field_errors(raw_errors: Sequence[Any]) -> list[FieldError]:
    """Pydantic/FastAPI error dicts as problem `errors[]` entries with JSON Pointers."""
    result = []
    for error in raw_errors:
        location, *path = error.get("loc", ()) or ("body",)
        pointer = "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)
        result.append(
            FieldError(
                pointer=pointer or "/",
                location=str(location),
                code=str(error.get("type")),
                message=str(error.get("msg")),
            )
        )
    return result


def problem_body(error: ServiceError) -> dict[str, Any]:
    """The problem an error would answer, as a JSON object to embed (a batch listing what each item met)."""
    problem = Problem(
        type=problem_type(error.slug), title=error.title, status=error.status, detail=error.detail
    ).to_body()
    problem.pop("request_id", None)
    return {**problem, **(error.extensions or {})}


async def _service_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ServiceError)
    return problem_response(
        error.status,
        slug=error.slug,
        title=error.title,
        detail=error.detail,
        instance=request.url.path,
        errors=error.errors,
        extensions=error.extensions,
        headers=error.headers,
    )


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    raw = list(error.errors())
    if any(item.get("type") == "json_invalid" for item in raw):
        return problem_response(
            400,
            slug="malformed-json",
            title="Malformed JSON",
            detail="The request body is not valid JSON.",
            instance=request.url.path,
        )
    return problem_response(
        422,
        slug="validation-failed",
        title="Validation failed",
        detail="The request has invalid fields; see errors.",
        instance=request.url.path,
        errors=field_errors(raw),
    )


def _allowed_methods(request: Request) -> str:
    """Every method the app answers on the request's path, for `Allow`.

    The 405 names only the methods of the first route whose path matched, but FastAPI makes one route per
    operation, so `GET /v1/companies` and `POST /v1/companies` are two routes: ask them all (included
    routers too, which `iter_route_contexts` walks).
    """
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.router.routes):
        if route.methods and route.matches(request.scope)[0] is not Match.NONE:
            methods |= route.methods
    return ", ".join(sorted(methods))


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    detail: str | None = error.detail if isinstance(error.detail, str) else None
    if detail and detail.lower() == status_title(error.status_code).lower():
        detail = None
    headers = dict(error.headers or {})
    if error.status_code == 405 and (allowed := _allowed_methods(request)):
        headers["Allow"] = allowed
    return problem_response(error.status_code, instance=request.url.path, detail=detail, headers=headers)


async def _integrity_error(request: Request, error: Exception) -> Response:
    constraint = violated_constraint(error) if isinstance(error, IntegrityError) else None
    logger.warning(
        "unmapped integrity error", extra={"error": type(error).__name__, "constraint": constraint}
    )
    return problem_response(
        409,
        slug="conflict",
        title="Conflict",
        instance=request.url.path,
        detail="The change conflicts with stored data.",
    )


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the constraint an `IntegrityError` violated (services map their own names to problems)."""
    driver_error = getattr(error.orig, "__cause__", None) or error.orig
    name = getattr(driver_error, "constraint_name", None)
    return str(name) if name else None


_RETRYABLE = frozenset({"40001", "40P01", "53200", "55P03"})
_STATEMENT_TIMEOUT = "57014"  # query_canceled: statement_timeout, or a cancel by an operator
_TOO_MANY_CONNECTIONS = "53300"


def _sqlstate(error: DBAPIError) -> str:
    return str(getattr(error.orig, "sqlstate", "") or getattr(error.orig, "pgcode", "") or "")


def database_unavailable(error: BaseException) -> DatabaseUnavailableError | None:
    """`error` as a `DatabaseUnavailableError` when it means the database cannot serve right now, else None.

    What reaches a handler when PostgreSQL is down or saturated: the engine's own `DatabaseUnavailableError`
    (refused or timed-out connects, see `plaza_kit.db.make_engine`); SQLAlchemy's pool `TimeoutError` after
    `pool_timeout`; and wrapped driver errors — SQLSTATE class 08 (connection lost), class 57 (shutting
    down, not accepting connections yet, statement timeout), 53300 (too many connections) — or any error
    after which SQLAlchemy invalidated the connection (e.g. asyncpg's "connection is closed").
    """
    if isinstance(error, DatabaseUnavailableError):
        return error
    if isinstance(error, PoolTimeoutError):
        detail = "Every database connection is busy; retry shortly."
        return DatabaseUnavailableError(detail, cause="PoolTimeout")
    if not isinstance(error, DBAPIError):
        return None
    sqlstate = _sqlstate(error)
    cause = type(getattr(error.orig, "__cause__", None) or error.orig).__name__  # the driver's own class
    if sqlstate == _STATEMENT_TIMEOUT:
        return DatabaseUnavailableError("The database did not answer in time; retry shortly.", cause=cause)
    if (
        error.connection_invalidated
        or isinstance(error, OperationalError)
        or sqlstate.startswith(("08", "57"))
        or sqlstate == _TOO_MANY_CONNECTIONS
    ):
        return DatabaseUnavailableError(cause=cause)
    return None


def database_unavailable_response(error: DatabaseUnavailableError, *, instance: str) -> JSONResponse:
    """The 503 problem for `error`, logged as one line: no traceback, the cause is outside this process."""
    logger.warning("database unavailable", extra={"error": error.cause or type(error).__name__})
    return problem_response(
        error.status,
        slug=error.slug,
        title=error.title,
        detail=error.detail,
        instance=instance,
        headers=error.headers,
    )


async def _database_unavailable(request: Request, error: Exception) -> Response:
    unavailable = database_unavailable(error)
    if unavailable is None:
        raise error
    return database_unavailable_response(unavailable, instance=request.url.path)


async def _database_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, DBAPIError)
    sqlstate = _sqlstate(error)
    if sqlstate.startswith("22"):  # data exception: a value the database cannot hold
        return problem_response(
            422,
            slug="validation-failed",
            title="Validation failed",
            instance=request.url.path,
            detail="A value is out of the range that can be stored.",
        )
    if sqlstate in _RETRYABLE:  # deadlock, serialization failure, lock table full: nothing was stored
        logger.warning("database conflict, retryable", extra={"error": type(error).__name__})
        return problem_response(
            503,
            slug="retry",
            title="Try again",
            instance=request.url.path,
            detail="The request collided with concurrent changes and was rolled back; retry it.",
            headers={"Retry-After": "1"},
        )
    unavailable = database_unavailable(error)
    if unavailable is not None:
        return database_unavailable_response(unavailable, instance=request.url.path)
    raise error


def install_problem_handlers(app: FastAPI) -> None:
    """Render every error of `app` as problem+json."""
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(DatabaseUnavailableError, _database_unavailable)
    app.add_exception_handler(PoolTimeoutError, _database_unavailable)
    # Anything else is answered by RequestContextMiddleware, which still knows the request id.
