"""Pure-ASGI middleware shared by the services and the gateway: request ids, access logs, body limits.

Pure ASGI (not `BaseHTTPMiddleware`) so that streaming bodies pass through untouched and the cost per
request stays small.
"""

import logging
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plaza_contracts import uuid7
from plaza_kit.context import request_id_var, trace_id_var
from plaza_kit.errors import PayloadTooLargeError, ServiceError, problem_response

REQUEST_ID_HEADER = "x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")
access_logger = logging.getLogger("plaza.access")


def header_value(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header (lower-case name), decoded as latin-1."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def incoming_trace_id(scope: Scope) -> str | None:
    """The trace id of a well-formed W3C `traceparent`, for log correlation."""
    given = header_value(scope, b"traceparent")
    match = _TRACEPARENT.match(given) if given else None
    return match.group(1) if match else None


def incoming_request_id(scope: Scope) -> str:
    """The caller's `X-Request-ID` when it is well-formed, otherwise a new one."""
    given = header_value(scope, REQUEST_ID_HEADER.encode())
    if given and _VALID_REQUEST_ID.match(given):
        return given
    return uuid7().hex


class RequestContextMiddleware:
    """Accepts or mints `X-Request-ID`, echoes it, binds it to log lines, and writes one access line."""

    def __init__(self, app: ASGIApp, *, quiet_paths: frozenset[str] = frozenset({"/healthz"})) -> None:
        self.app = app
        self.quiet_paths = quiet_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope)
        scope["plaza.request_id"] = request_id
        token = request_id_var.set(request_id)
        trace_token = trace_id_var.set(incoming_trace_id(scope))
        started = time.perf_counter()
        status = 500
        status_sent = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, status_sent
            if message["type"] == "http.response.start":
                status, status_sent = message["status"], True
                headers = [(k, v) for k, v in message.get("headers", []) if k != REQUEST_ID_HEADER.encode()]
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except ServiceError as error:
            # A domain error raised outside any route (e.g. the body limit while a proxy streams).
            if status_sent is False:
                response = problem_response(
                    error.status,
                    slug=error.slug,
                    title=error.title,
                    detail=error.detail,
                    instance=scope["path"],
                    headers=error.headers,
                )
                await response(scope, receive, send_with_id)
        except Exception as error:
            # The last line of defence: whatever escaped the app's handlers becomes a 500 problem that
            # still carries the request id; the trace goes to the log, never to the client.
            access_logger.error("unhandled error", exc_info=error)
            if status_sent is False:
                response = problem_response(
                    500,
                    slug="internal-error",
                    instance=scope["path"],
                    detail="An unexpected error occurred; quote the request id.",
                )
                await response(scope, receive, send_with_id)
        finally:
            if scope["path"] not in self.quiet_paths:
                access_logger.info(
                    "request",
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            request_id_var.reset(token)
            trace_id_var.reset(trace_token)


class BodyLimitMiddleware:
    """Refuses request bodies over `max_bytes` with 413, by `Content-Length` or while streaming."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = header_value(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise PayloadTooLargeError(f"The request body exceeds {self.max_bytes} bytes.")
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # whatever the app answers to a truncated body is replaced by the 413 below
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except PayloadTooLargeError:
            if not exceeded:
                raise
        if exceeded and not started:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            413,
            slug="content-too-large",
            instance=scope["path"],
            detail=f"The request body exceeds {self.max_bytes} bytes.",
        )
        await response(scope, receive, send)
