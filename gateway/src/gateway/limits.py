"""Request-body guards of the gateway: JSON nesting depth, and how long a client may take to send.

The depth check never parses: it counts brackets outside strings, and skips even that when the body has
fewer brackets in all than the limit (a C-speed `bytes.count`), so ordinary bodies cost microseconds and a
1 MiB body of brackets a few milliseconds. Services never see a body nested deeper than the limit, so a
deeply nested document cannot exhaust a parser's recursion anywhere behind the gateway.
"""

import asyncio
import re

from starlette.types import Message, Receive, Scope

from gateway.proxy import read_body

# A JSON string (escapes included, unrolled for speed) or one bracket.
_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_OPENING = frozenset(b"[{")


def json_too_deep(body: bytes, limit: int) -> bool:
    """Whether `body` nests arrays/objects deeper than `limit` (malformed JSON is left to the parser)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for token in _TOKENS.finditer(body):
        first = token.group()[0]
        if first in _OPENING:
            depth += 1
            if depth > limit:
                return True
        elif first != 0x22:  # a closing bracket (strings start with a quote)
            depth -= 1
    return False


def is_json(scope: Scope) -> bool:
    """Whether the request declares a JSON body (`application/json` or any `+json` type)."""
    for key, value in scope["headers"]:
        if key == b"content-type":
            media: bytes = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return False


async def read_within(receive: Receive, seconds: float) -> bytes:
    """The whole body, or TimeoutError when the client sends it too slowly."""
    async with asyncio.timeout(seconds):
        return await read_body(receive)


def replay(body: bytes) -> Receive:
    """A `receive` that hands an app the body already read."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
