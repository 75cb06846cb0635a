"""The JSON depth guard: exact at the limit, blind to brackets inside strings, fast on huge bodies."""

import json

import pytest

from gateway.limits import json_too_deep


def _nested(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


@pytest.mark.parametrize(
    ("depth", "too_deep"), [(0, False), (1, False), (32, False), (33, True), (5000, True)]
)
def test_depth_is_counted_exactly(depth: int, too_deep: bool) -> None:
    assert json_too_deep(_nested(depth), 32) is too_deep


def test_brackets_inside_strings_do_not_count() -> None:
    body = json.dumps({"text": "[[[[{{{{" * 100, "quote": 'he said \\"[[[\\" ' + "{" * 50}).encode()
    assert not json_too_deep(body, 2)
    assert json_too_deep(json.dumps({"a": {"b": {"c": ["[" * 10]}}}).encode(), 3)


def test_objects_and_arrays_both_nest() -> None:
    body = json.dumps({"a": [{"b": [{"c": [1]}]}]}).encode()
    assert not json_too_deep(body, 6)
    assert json_too_deep(body, 5)


def test_a_megabyte_of_brackets_is_judged() -> None:
    # Correctness only: a wall-clock bound here failed under load (speed belongs in `./plaza bench`). The
    # scan is one regex pass and stops at the first bracket past the limit.
    flat = b"[" + b"[1]," * 262_000 + b"[1]]"  # ~1 MiB, many brackets, depth 2
    deep = b"[" * 1_048_576
    assert not json_too_deep(flat, 32)
    assert json_too_deep(deep, 32)
    assert json_too_deep(b"[" * 33 + b"not json at all", 32)  # decided before the parser would look
