"""End to end: per-client token buckets, 429 with IETF RateLimit headers, one limit across replicas."""

from collections.abc import Callable

import httpx
import pytest

from plaza_dev.processes import ChildProcess
from plaza_dev.stack import Stack

from .conftest import MadeClient

pytestmark = pytest.mark.e2e
READ = "registry:read"


def _get(base_url: str, key: str) -> httpx.Response:
    return httpx.get(f"{base_url}/v1/companies?limit=1", headers={"X-API-Key": key})


def _ratelimit(answer: httpx.Response) -> tuple[int, int]:
    """(r, t) of a `RateLimit: "client";r=<remaining>;t=<seconds>` header."""
    fields = dict(part.split("=") for part in answer.headers["ratelimit"].split(";")[1:])
    return int(fields["r"]), int(fields["t"])


def test_a_burst_is_limited_for_one_client_only(stack: Stack, make_client: Callable[..., MadeClient]) -> None:
    noisy = make_client(READ, rate_per_minute=1, burst=5)
    quiet = make_client(READ, rate_per_minute=1, burst=5)
    answers = [_get(stack.gateway_url, noisy.key) for _ in range(6)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 200, 429]
    # Tokens refill while the requests run (1 a minute here), so times may be a second or two shorter
    # on a busy machine.
    for answer, remaining in zip(answers[:5], (4, 3, 2, 1, 0), strict=True):
        r, t = _ratelimit(answer)
        assert r == remaining
        assert 60 * (5 - remaining) - 3 <= t <= 60 * (5 - remaining)
    refused = answers[-1]
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["status"] == 429
    assert 57 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["ratelimit-policy"] == '"client";q=5;w=300'
    assert _ratelimit(refused)[0] == 0
    assert _get(stack.gateway_url, quiet.key).status_code == 200


def test_the_limit_holds_across_two_gateway_processes(
    stack: Stack, make_client: Callable[..., MadeClient], replica: ChildProcess
) -> None:
    client = make_client(READ, rate_per_minute=1, burst=6)
    statuses = [_get(base, client.key).status_code for base in [stack.gateway_url, replica.base_url] * 4]
    assert statuses == [200, 200, 200, 200, 200, 200, 429, 429]
