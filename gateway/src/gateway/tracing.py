"""W3C Trace Context: continue the caller's trace (or start one) and hand the services our span."""

import os
import re

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_ZERO_TRACE, _ZERO_SPAN = "0" * 32, "0" * 16


def next_traceparent(incoming: str | None) -> str:
    """The `traceparent` to send upstream: same trace id and flags, a new parent id for the gateway hop."""
    span = os.urandom(8).hex()
    if incoming:
        match = _TRACEPARENT.match(incoming.strip().lower())
        if match and match.group(1) != _ZERO_TRACE and match.group(2) != _ZERO_SPAN:
            return f"00-{match.group(1)}-{span}-{match.group(3)}"
    return f"00-{os.urandom(16).hex()}-{span}-01"
