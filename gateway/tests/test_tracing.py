"""W3C traceparent continuation."""

import re

from gateway.tracing import next_traceparent

SHAPE = re.compile(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


def test_the_callers_trace_continues_with_a_new_span() -> None:
    incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    outgoing = next_traceparent(incoming)
    assert SHAPE.match(outgoing)
    assert outgoing.split("-")[1] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert outgoing.split("-")[2] != "00f067aa0ba902b7"
    assert outgoing.endswith("-01")


def test_a_missing_or_invalid_traceparent_starts_a_trace() -> None:
    for incoming in (None, "", "garbage", "00-" + "0" * 32 + "-00f067aa0ba902b7-01"):
        outgoing = next_traceparent(incoming)
        assert SHAPE.match(outgoing)
        assert outgoing.split("-")[1] != "0" * 32
