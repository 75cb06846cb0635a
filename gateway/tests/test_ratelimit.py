"""Token buckets: the arithmetic, the headers, and one bucket shared by two limiters through Redis."""

import asyncio
import time
import uuid
from typing import Any

import pytest
from redis.asyncio import Redis

from gateway.ratelimit import Decision, LocalBuckets, RateLimit, RateLimiter, lease_size
from plaza_dev.testing import redis_url_for_tests


def test_a_burst_is_allowed_then_refused_with_retry_after() -> None:
    buckets, client, limit = LocalBuckets(), uuid.uuid4(), RateLimit(rate_per_minute=60, burst=3)
    decisions = [buckets.take(client, limit) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    refused = decisions[-1]
    assert refused.retry_after == 1
    assert dict(refused.headers()) == {
        b"ratelimit-policy": b'"client";q=3;w=3',
        b"ratelimit": b'"client";r=0;t=3',
        b"retry-after": b"1",
    }


def test_clients_have_separate_buckets() -> None:
    buckets, limit = LocalBuckets(), RateLimit(rate_per_minute=60, burst=1)
    first, second = uuid.uuid4(), uuid.uuid4()
    assert buckets.take(first, limit).allowed
    assert not buckets.take(first, limit).allowed
    assert buckets.take(second, limit).allowed


def test_the_headers_of_an_allowed_request_have_no_retry_after() -> None:
    decision = Decision(allowed=True, tokens=41.5, limit=RateLimit(rate_per_minute=600, burst=100))
    assert decision.headers() == [
        (b"ratelimit-policy", b'"client";q=100;w=10'),
        (b"ratelimit", b'"client";r=41;t=6'),
    ]


@pytest.fixture
async def redis() -> Redis:
    url = redis_url_for_tests()
    if url is None:
        pytest.skip("no Redis at TEST_REDIS_URL")
    return Redis.from_url(url)


async def test_two_limiters_sharing_redis_enforce_one_limit(redis: Redis) -> None:
    prefix = f"plaza:test:{uuid.uuid4().hex}:"
    first, second = RateLimiter(redis, prefix), RateLimiter(redis, prefix)
    client, limit = uuid.uuid4(), RateLimit(rate_per_minute=1, burst=4)
    try:
        outcomes = [await (first if i % 2 else second).take(client, limit) for i in range(6)]
        assert [d.allowed for d in outcomes] == [True, True, True, True, False, False]
        assert outcomes[3].remaining == 0
        assert outcomes[4].retry_after == 60
        ttl = await redis.pttl(f"{prefix}ratelimit:{client}")
        assert 0 < ttl <= 4 * 60_000 + 1000  # an idle bucket disappears once it would be full again
    finally:
        await redis.delete(f"{prefix}ratelimit:{client}")
        await redis.aclose()


async def test_without_redis_the_limiter_falls_back_to_local_buckets() -> None:
    unreachable = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    limiter = RateLimiter(unreachable, "plaza:test:")
    client, limit = uuid.uuid4(), RateLimit(rate_per_minute=60, burst=1)
    try:
        assert (await limiter.take(client, limit)).allowed
        assert not (await limiter.take(client, limit)).allowed
    finally:
        await unreachable.aclose()


def test_leases_only_for_very_high_limits() -> None:
    assert lease_size(RateLimit(rate_per_minute=1200, burst=200)) == 1  # the demo partners: no lease
    assert lease_size(RateLimit(rate_per_minute=5_999, burst=10_000)) == 1
    assert lease_size(RateLimit(rate_per_minute=600, burst=100)) == 1
    assert lease_size(RateLimit(rate_per_minute=240_000, burst=2_000)) == 100  # 1/20 of the burst
    assert lease_size(RateLimit(rate_per_minute=60_000, burst=100_000)) == 250  # a quarter second of rate


async def test_leases_cut_round_trips_and_never_loosen_the_shared_limit(
    redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = f"plaza:test:{uuid.uuid4().hex}:"
    first, second = RateLimiter(redis, prefix), RateLimiter(redis, prefix)
    round_trips = 0
    for limiter in (first, second):
        original = limiter._run

        async def counted(*args: Any, _original: Any = original) -> list[Any]:
            nonlocal round_trips
            round_trips += 1
            return list(await _original(*args))

        monkeypatch.setattr(limiter, "_run", counted)
    client, limit = uuid.uuid4(), RateLimit(rate_per_minute=24_000, burst=2_000)  # 400/s, lease 100
    started = time.monotonic()
    try:
        outcomes = [await (first if i % 7 else second).take(client, limit) for i in range(1_500)]
        assert all(decision.allowed for decision in outcomes)
        assert round_trips < 1_500 / 10  # one round trip per request without leases
        outcomes += [await (first if i % 7 else second).take(client, limit) for i in range(2_500)]
        refill = (time.monotonic() - started) * limit.per_second
        allowed = sum(decision.allowed for decision in outcomes)
        assert allowed <= limit.burst + refill + 1  # leftovers of a lease only ever make the limit stricter
        assert not all(decision.allowed for decision in outcomes)
    finally:
        await redis.delete(f"{prefix}ratelimit:{client}")


async def test_a_client_well_under_its_limit_forfeits_little(
    redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Leases follow use: a slow client does not take a quarter second's worth of its limit each time."""
    monkeypatch.setattr("gateway.ratelimit.LEASE_SECONDS", 0.005)
    prefix = f"plaza:test:{uuid.uuid4().hex}:"
    limiter = RateLimiter(redis, prefix)
    client, limit = uuid.uuid4(), RateLimit(rate_per_minute=6_000_000, burst=1_000_000)  # lease up to 25,000
    key = f"{prefix}ratelimit:{client}"
    try:
        for _ in range(40):
            for _ in range(5):  # a small burst, then a pause longer than a lease lives
                assert (await limiter.take(client, limit)).allowed
            await asyncio.sleep(0.01)
        taken = limit.burst - float(await redis.hget(key, "tokens") or 0)
        refilled_at_most = 100_000 * 1.0  # 100,000 a second over well under a second
        assert taken <= 200 * 4 + refilled_at_most  # 200 requests: a few tokens each at worst, not 25,000
    finally:
        await redis.delete(key)


async def test_concurrent_requests_of_a_busy_client_waste_no_tokens(redis: Redis) -> None:
    """Batches in flight at once must not each lease and then drop one another's tokens."""
    prefix = f"plaza:test:{uuid.uuid4().hex}:"
    limiter = RateLimiter(redis, prefix)
    client, limit = uuid.uuid4(), RateLimit(rate_per_minute=60_000, burst=100_000)  # lease up to 250
    key = f"{prefix}ratelimit:{client}"
    try:
        for _ in range(20):  # waves of 32 concurrent requests, like 32 connections
            decisions = await asyncio.gather(*(limiter.take(client, limit) for _ in range(32)))
            assert all(decision.allowed for decision in decisions)
        taken = limit.burst - float(await redis.hget(key, "tokens") or 0)
        assert taken <= 640 + 2 * 250 + 1_000 * 1.0  # the requests, at most a couple of leases, refill
    finally:
        await redis.delete(key)
