"""Who is calling: API keys and OAuth access tokens resolved to a `Grant`, with caches for the hot path.

A key is looked up by its SHA-256 once and then served from memory for `key_cache_ttl` seconds; unknown
keys are remembered briefly too, so a flood of bad keys does not become a flood of queries. Concurrent
misses for the same key share one query. Revoking a key (or changing a client) evicts its entries at once
in this process and, through `gateway.revocation`, in every replica sharing Redis; without Redis, other
replicas notice within the cache TTL. Key expiry (the end of a rotation's grace period) is checked on every
request, not only when the cache refreshes. A lookup that fails (the database is down or busy) is never
cached: its error reaches the caller, answered as a 503 (`plaza_kit.errors.database_unavailable`), and the
next request asks again; keys already cached keep working through the outage.

The identity token forwarded to services is minted once per grant and reused for half its lifetime.
"""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar, cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.keys import key_hash, looks_like_key
from gateway.models import ApiClient, ApiKey
from gateway.ratelimit import RateLimit
from gateway.tokens import AccessTokens
from plaza_kit.identity import IdentitySigner, Principal

_NEGATIVE_TTL = 5.0
_MAX_ENTRIES = 50_000
_T = TypeVar("_T")
_K = TypeVar("_K")
_V = TypeVar("_V")


@dataclass(slots=True, eq=False)
class Grant:
    """An authenticated caller: which key, which client, what it may do, until when."""

    key_id: uuid.UUID
    client_id: uuid.UUID
    principal: Principal
    limit: RateLimit
    valid_until: float  # Unix time; the key's expiry or the access token's, whichever is first
    identity: str = ""
    identity_refresh_at: float = 0.0


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """A key and its client as stored (only usable keys are turned into records)."""

    key_id: uuid.UUID
    client_id: uuid.UUID
    organisation_id: uuid.UUID | None
    scopes: frozenset[str]
    limit: RateLimit
    expires_at: float

    def grant(self, scopes: frozenset[str] | None = None, valid_until: float = float("inf")) -> Grant:
        """A grant for this key, narrowed to `scopes` (an access token's) when given."""
        held = self.scopes if scopes is None else self.scopes & scopes
        principal = Principal(subject=str(self.client_id), organisation_id=self.organisation_id, scopes=held)
        return Grant(
            key_id=self.key_id,
            client_id=self.client_id,
            principal=principal,
            limit=self.limit,
            valid_until=min(self.expires_at, valid_until),
        )


def _epoch(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else float("inf")


class Credentials:
    """Resolves credentials to grants; mints the identity tokens forwarded to services."""

    def __init__(
        self,
        engine: AsyncEngine,
        signer: IdentitySigner,
        access_tokens: AccessTokens,
        *,
        cache_ttl: float,
        identity_ttl: int,
    ) -> None:
        self._engine = engine
        self._signer = signer
        self.access_tokens = access_tokens
        self._cache_ttl = cache_ttl
        self._identity_ttl = identity_ttl
        self._by_hash: dict[bytes, tuple[Grant | None, float]] = {}
        self._by_token: dict[str, tuple[Grant | None, float]] = {}
        self._records: dict[uuid.UUID, tuple[KeyRecord | None, float]] = {}
        self._inflight: dict[object, asyncio.Future[object]] = {}
        # Bumped by every eviction: a lookup that started before one must not cache what it read.
        self._generation = 0

    # --- the hot path -------------------------------------------------------------------------------

    async def from_api_key(self, key: str) -> Grant | None:
        """The grant of a usable API key, or None."""
        if not looks_like_key(key):
            return None
        digest = key_hash(key)
        now = time.time()
        cached = self._by_hash.get(digest)
        if cached is None or cached[1] <= now:
            generation = self._generation
            record = await self._single_flight(
                (generation, digest), lambda: self._load(ApiKey.secret_hash == digest)
            )
            grant = record.grant() if record is not None else None
            cached = self._remember(self._by_hash, digest, grant, now, generation)
        grant = cached[0]
        return grant if grant is not None and now < grant.valid_until else None

    async def from_bearer(self, token: str) -> Grant | None:
        """The grant of a valid access token whose key is still usable, or None."""
        now = time.time()
        cached = self._by_token.get(token)
        if cached is None or cached[1] <= now:
            generation = self._generation
            grant = None
            claims = self.access_tokens.verify(token)
            if claims is not None:
                record = await self.record(claims.key_id)
                if record is not None and record.client_id == claims.client_id:
                    grant = record.grant(claims.scopes, claims.expires_at)
            cached = self._remember(self._by_token, token, grant, now, generation)
        grant = cached[0]
        return grant if grant is not None and now < grant.valid_until else None

    def identity_for(self, grant: Grant) -> str:
        """The identity token to forward for `grant`, re-minted once half its lifetime has passed."""
        now = time.time()
        if now >= grant.identity_refresh_at:
            grant.identity = self._signer.mint(grant.principal, ttl_seconds=self._identity_ttl)
            grant.identity_refresh_at = now + self._identity_ttl / 2
        return grant.identity

    # --- lookups ------------------------------------------------------------------------------------

    async def record(self, key_id: uuid.UUID) -> KeyRecord | None:
        """The usable key with this id (cached like keys), or None."""
        now = time.time()
        cached = self._records.get(key_id)
        if cached is None or cached[1] <= now:
            generation = self._generation
            record = await self._single_flight((generation, key_id), lambda: self._load(ApiKey.id == key_id))
            cached = self._remember(self._records, key_id, record, now, generation)
        return cached[0]

    async def _single_flight(self, token: object, load: Callable[[], Awaitable[_T]]) -> _T:
        pending = self._inflight.get(token)
        if pending is not None:
            return cast(_T, await asyncio.shield(pending))
        future: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        self._inflight[token] = future
        try:
            result = await load()
            future.set_result(result)
            return result
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: waiters re-raise it, nobody else needs to
            raise
        finally:
            del self._inflight[token]

    async def _load(self, condition: object) -> KeyRecord | None:
        query = (
            select(
                ApiKey.id,
                ApiKey.client_id,
                ApiKey.expires_at,
                ApiKey.revoked_at,
                ApiClient.organisation_id,
                ApiClient.scopes,
                ApiClient.rate_per_minute,
                ApiClient.burst,
            )
            .join(ApiClient, ApiClient.id == ApiKey.client_id)
            .where(condition)  # type: ignore[arg-type]
        )
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        if row is None or row.revoked_at is not None:
            return None
        expires_at = _epoch(row.expires_at)
        if expires_at <= time.time():
            return None
        return KeyRecord(
            key_id=row.id,
            client_id=row.client_id,
            organisation_id=row.organisation_id,
            scopes=frozenset(row.scopes),
            limit=RateLimit(row.rate_per_minute, row.burst),
            expires_at=expires_at,
        )

    def _remember(
        self,
        cache: dict[_K, tuple[_V | None, float]],
        key: _K,
        value: _V | None,
        now: float,
        generation: int,
    ) -> tuple[_V | None, float]:
        entry = (value, now + (self._cache_ttl if value is not None else _NEGATIVE_TTL))
        if generation != self._generation:
            return entry  # an eviction happened while this was loading: use it once, do not keep it
        if len(cache) >= _MAX_ENTRIES:
            cache.clear()  # a bound against floods, not an eviction policy: entries are cheap to reload
        cache[key] = entry
        return entry

    # --- invalidation -------------------------------------------------------------------------------

    def forget_key(self, key_id: uuid.UUID) -> None:
        """Drop everything cached about one key (revoked or rotated)."""
        self._forget(lambda grant_key, _client: grant_key == key_id)

    def forget_client(self, client_id: uuid.UUID) -> None:
        """Drop everything cached about one client (scopes or limits changed)."""
        self._forget(lambda _key, grant_client: grant_client == client_id)

    def forget_all(self) -> None:
        """Drop every cached credential (e.g. after missing revocation messages)."""
        self._generation += 1
        self._by_hash.clear()
        self._by_token.clear()
        self._records.clear()

    @staticmethod
    def _drop(
        cache: dict[_K, tuple[Grant | None, float]], matches: Callable[[uuid.UUID, uuid.UUID], bool]
    ) -> None:
        stale = [k for k, (grant, _) in cache.items() if grant and matches(grant.key_id, grant.client_id)]
        for k in stale:
            del cache[k]

    def _forget(self, matches: Callable[[uuid.UUID, uuid.UUID], bool]) -> None:
        self._generation += 1
        self._drop(self._by_hash, matches)
        self._drop(self._by_token, matches)
        stale_ids = [k for k, (rec, _) in self._records.items() if rec and matches(rec.key_id, rec.client_id)]
        for key_id in stale_ids:
            del self._records[key_id]
