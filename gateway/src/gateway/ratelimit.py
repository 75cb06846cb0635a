"""Per-client token buckets, in process or shared through Redis, and the IETF RateLimit headers.

Each client has a bucket of `burst` tokens refilled at `rate_per_minute / 60` tokens a second; a request
takes one token or is refused with 429. With `GATEWAY_REDIS_URL` set, the bucket lives in Redis and one
atomic Lua script (one round trip) takes the token (or, for clients with very high limits, a short lease of
a few tokens), so every gateway replica enforces the same limit; the
script reads Redis's own clock, so replicas' clocks do not matter. If Redis cannot be reached, each replica
falls back to its own bucket (limits then hold per replica) rather than refusing all traffic.

Headers follow draft-ietf-httpapi-ratelimit-headers (structured fields): `RateLimit-Policy:
"client";q=<burst>;w=<seconds to refill the burst>` and `RateLimit: "client";r=<remaining>;t=<seconds until
the bucket is full again>`; a 429 also carries `Retry-After` (seconds until one token is available).

Requests without a credential to public collections (secret-URL feeds) take tokens from a bucket per
client address instead (`address_key`), under the policy name `"address"`.
"""

import asyncio
import hashlib
import logging
import math
import time
import uuid
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

logger = logging.getLogger("gateway.ratelimit")

POLICY_NAME = "client"
ADDRESS_POLICY_NAME = "address"
# Fixed for good: every replica must derive the same key from the same address.
_ADDRESS_NAMESPACE = uuid.UUID("0199a3c2-6f10-7c1e-9d3a-5a1e0ca1e4d0")


def address_key(address: str) -> uuid.UUID:
    """The bucket key of a client address: a name-based UUID, so it never collides with a client id."""
    return uuid.uuid5(_ADDRESS_NAMESPACE, address)


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A client's limit: `burst` requests at once, refilled at `rate_per_minute`."""

    rate_per_minute: int
    burst: int
    policy: str = POLICY_NAME  # the name in the RateLimit headers

    @property
    def per_second(self) -> float:
        """Tokens added per second."""
        return self.rate_per_minute / 60.0

    @property
    def policy_header(self) -> bytes:
        """The `RateLimit-Policy` value: the burst, over the seconds it takes to refill."""
        window = max(1, math.ceil(self.burst / self.per_second))
        return f'"{self.policy}";q={self.burst};w={window}'.encode()


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of taking a token."""

    allowed: bool
    tokens: float  # left after this request
    limit: RateLimit

    @property
    def remaining(self) -> int:
        """Whole requests still allowed right now."""
        return max(0, math.floor(self.tokens))

    @property
    def reset_seconds(self) -> int:
        """Seconds until the bucket is full again."""
        return max(0, math.ceil((self.limit.burst - self.tokens) / self.limit.per_second))

    @property
    def retry_after(self) -> int:
        """Seconds until the next request would be allowed (at least 1 when refused)."""
        if self.allowed:
            return 0
        return max(1, math.ceil((1.0 - self.tokens) / self.limit.per_second))

    def headers(self) -> list[tuple[bytes, bytes]]:
        """`RateLimit-Policy` and `RateLimit` (and `Retry-After` when refused)."""
        result = [
            (b"ratelimit-policy", self.limit.policy_header),
            (b"ratelimit", f'"{self.limit.policy}";r={self.remaining};t={self.reset_seconds}'.encode()),
        ]
        if not self.allowed:
            result.append((b"retry-after", str(self.retry_after).encode()))
        return result


class LocalBuckets:
    """Token buckets in this process: a dictionary lookup and some arithmetic per request."""

    def __init__(self, max_clients: int = 100_000) -> None:
        self._buckets: dict[uuid.UUID, list[float]] = {}
        self._max_clients = max_clients

    def take(self, client_id: uuid.UUID, limit: RateLimit) -> Decision:
        """Take one token from the client's bucket if there is one."""
        now = time.monotonic()
        bucket = self._buckets.get(client_id)
        if bucket is None:
            if len(self._buckets) >= self._max_clients:
                self._buckets.clear()  # a bound, not an eviction policy: a full bucket is the default
            bucket = self._buckets[client_id] = [float(limit.burst), now]
        tokens = min(float(limit.burst), bucket[0] + (now - bucket[1]) * limit.per_second)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        bucket[0], bucket[1] = tokens, now
        return Decision(allowed, tokens, limit)


# KEYS[1]: the bucket; ARGV: tokens per second, burst, tokens wanted (a lease, at least 1).
# Returns {tokens granted (0 when refused), tokens left in the bucket (string)}.
_TAKE_SCRIPT = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local granted = math.min(wanted, math.floor(tokens))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {granted, tostring(tokens)}
"""

LEASE_SECONDS = 0.25  # how long a replica may keep tokens it took ahead; unused ones are forfeited
LEASE_SHARE_OF_BURST = 20  # a lease is at most 1/20 of the burst, so leases cannot blur a limit much
LEASE_MIN_PER_SECOND = 100.0  # below this rate a round trip per request costs little: no leases


def lease_size(limit: RateLimit) -> int:
    """The most tokens a replica takes from Redis at once for a client with `limit`.

    One token per round trip for ordinary limits (under 100 a second, e.g. the demo clients), more for clients
    allowed thousands of requests a second, whose per-request round trip would otherwise cost the gateway
    more than the rest of the request. Leasing only ever makes the shared limit stricter: tokens are taken
    from the shared bucket before they are spent, and leftovers expire. The lease actually taken follows the
    client's use (see `RateLimiter._next_lease`), so a client well under its limit forfeits little.
    """
    if limit.per_second < LEASE_MIN_PER_SECOND:
        return 1
    return max(1, min(limit.burst // LEASE_SHARE_OF_BURST, math.floor(limit.per_second * LEASE_SECONDS)))


@dataclass(slots=True)
class _Lease:
    tokens: int
    size: int
    bucket_left: float  # what the shared bucket held after the lease was taken
    expires: float


class RateLimiter:
    """Takes tokens from Redis when configured (falling back to local buckets), else locally.

    Requests arriving in the same event-loop turn share one pipelined round trip, with one `EVALSHA` per
    client taking as many tokens as that client has waiting requests; clients with very high limits also
    take a short lease ahead (`lease_size`), so Redis's cost per request stays small. With ordinary limits
    every token still comes from the shared bucket when it is spent.
    """

    def __init__(self, redis: Redis | None, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix + "ratelimit:"
        self._local = LocalBuckets()
        self._sha = hashlib.sha1(_TAKE_SCRIPT.encode()).hexdigest()  # noqa: S324 (Redis names scripts so)
        self._pending: list[tuple[uuid.UUID, RateLimit, asyncio.Future[Decision]]] = []
        self._leases: dict[uuid.UUID, _Lease] = {}
        self._leasing: set[uuid.UUID] = set()  # clients with a lease on its way from Redis
        self._hints: dict[uuid.UUID, int] = {}  # tokens to take per round trip next time, per client
        self._flushes: set[asyncio.Task[None]] = set()  # strong references: the loop keeps only weak ones
        self._warned_at = 0.0

    async def take(self, client_id: uuid.UUID, limit: RateLimit) -> Decision:
        """Take a token for one request of `client_id`."""
        if self._redis is None:
            return self._local.take(client_id, limit)
        leased = self._from_lease(client_id, limit)
        if leased is not None:
            return leased
        future: asyncio.Future[Decision] = asyncio.get_running_loop().create_future()
        self._pending.append((client_id, limit, future))
        if len(self._pending) == 1:
            task = asyncio.get_running_loop().create_task(self._flush(self._redis))
            self._flushes.add(task)
            task.add_done_callback(self._flushes.discard)
        try:
            return await future
        except Exception as error:  # Redis down or misbehaving: limit per replica rather than fail
            now = time.monotonic()
            if now - self._warned_at > 10:
                self._warned_at = now
                logger.warning(
                    "redis unavailable, rate limits are per replica", extra={"error": type(error).__name__}
                )
            return self._local.take(client_id, limit)

    def _from_lease(self, client_id: uuid.UUID, limit: RateLimit) -> Decision | None:
        lease = self._leases.get(client_id)
        if lease is None:
            if lease_size(limit) > 1:  # a busy client back at Redis without a lease: lease more next time
                self._hints[client_id] = min(lease_size(limit), self._hints.get(client_id, 1) * 2)
            return None
        if lease.tokens < 1 or time.monotonic() > lease.expires:
            del self._leases[client_id]
            used = lease.size - lease.tokens + 1  # the request that took the lease counts too
            # Used up early: the client is busier than the lease; expired with leftovers: take what it used.
            self._hints[client_id] = used * 2 if lease.tokens < 1 else used
            return None
        lease.tokens -= 1
        return Decision(True, lease.bucket_left + lease.tokens, limit)

    def _next_lease(self, client_id: uuid.UUID, limit: RateLimit) -> int:
        """Spare tokens to take ahead for `client_id`: grows while leases run out early, shrinks to use."""
        return min(lease_size(limit), self._hints.get(client_id, 1)) - 1

    async def _flush(self, redis: Redis) -> None:
        batch, self._pending = self._pending, []
        waiting: dict[uuid.UUID, tuple[RateLimit, list[asyncio.Future[Decision]]]] = {}
        for client_id, limit, future in batch:
            waiting.setdefault(client_id, (limit, []))[1].append(future)
        marked: set[uuid.UUID] = set()
        try:
            results = await self._run(redis, waiting, marked)
            if any(isinstance(result, NoScriptError) for result in results):
                await redis.script_load(_TAKE_SCRIPT)  # Redis restarted or flushed its scripts
                results = await self._run(redis, waiting, marked)
        except Exception as error:  # every waiter must get an answer, whatever went wrong
            results = [error] * len(waiting)
        finally:
            self._leasing.difference_update(marked)
        for (client_id, (limit, futures)), result in zip(waiting.items(), results, strict=True):
            if isinstance(result, BaseException):
                for future in futures:
                    if not future.done():
                        future.set_exception(result)
                continue
            self._hand_out(client_id, limit, futures, int(result[0]), float(result[1]))

    def _hand_out(
        self,
        client_id: uuid.UUID,
        limit: RateLimit,
        futures: list[asyncio.Future[Decision]],
        granted: int,
        bucket_left: float,
    ) -> None:
        """Granted tokens go to the waiting requests in arrival order; the rest becomes a lease."""
        for index, future in enumerate(futures):
            if future.done():
                continue
            allowed = index < granted
            left = bucket_left + max(0, granted - index - 1)
            future.set_result(Decision(allowed, left, limit))
        spare = granted - len(futures)
        if spare > 0:
            current = self._leases.get(client_id)
            expires = time.monotonic() + LEASE_SECONDS
            if current is not None and current.tokens > 0:  # never drop tokens already taken: add them up
                current.tokens, current.size, current.expires = (
                    current.tokens + spare,
                    current.size + spare,
                    expires,
                )
                current.bucket_left = bucket_left
            else:
                self._leases[client_id] = _Lease(spare, spare, bucket_left, expires)

    async def _run(
        self,
        redis: Redis,
        waiting: dict[uuid.UUID, tuple[RateLimit, list[asyncio.Future[Decision]]]],
        marked: set[uuid.UUID],
    ) -> list[Any]:
        async with redis.pipeline(transaction=False) as pipe:
            for client_id, (limit, futures) in waiting.items():
                # One lease in flight per client: concurrent batches take only what their requests need.
                ahead = 0
                if client_id in marked or client_id not in self._leasing:
                    ahead = self._next_lease(client_id, limit)
                if ahead:
                    self._leasing.add(client_id)
                    marked.add(client_id)
                wanted = len(futures) + ahead
                pipe.evalsha(
                    self._sha, 1, f"{self._prefix}{client_id}", limit.per_second, limit.burst, wanted
                )
            return list(await pipe.execute(raise_on_error=False))
