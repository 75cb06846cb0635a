"""Credential resolution over the real gateway tables: caching, expiry, revocation, single flight."""

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.credentials import Credentials
from gateway.keys import new_key
from gateway.models import ApiKey
from gateway.provision import ClientSpec, ensure_client
from gateway.tokens import AccessTokens
from plaza_dev.testing import Identities
from plaza_kit.identity import IdentityVerifier, generate_private_key_pem

ORGANISATION = uuid.UUID("01995a1e-ec00-7000-8000-0000000000d1")


@pytest.fixture
def queries(gateway_engine: AsyncEngine) -> Iterator[list[str]]:
    """Statements the engine runs during the test."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(gateway_engine.sync_engine, "before_cursor_execute", record)
    yield seen
    event.remove(gateway_engine.sync_engine, "before_cursor_execute", record)


def _credentials(engine: AsyncEngine, identities: Identities) -> Credentials:
    return Credentials(
        engine,
        identities.signer,
        AccessTokens(generate_private_key_pem(), kid="test", ttl_seconds=60),
        cache_ttl=30,
        identity_ttl=60,
    )


async def _client(engine: AsyncEngine, *scopes: str) -> tuple[uuid.UUID, str]:
    key = new_key()
    spec = ClientSpec(f"creds-{uuid.uuid4().hex[:10]}", scopes or ("registry:read",), ORGANISATION)
    async with engine.begin() as connection:
        created = await ensure_client(connection, spec, key)
    return created.client_id, key


async def test_a_key_is_looked_up_once_then_served_from_memory(
    gateway_engine: AsyncEngine, identities: Identities, queries: list[str]
) -> None:
    credentials = _credentials(gateway_engine, identities)
    client_id, key = await _client(gateway_engine, "registry:read", "registry:write")
    queries.clear()
    first = await credentials.from_api_key(key)
    second = await credentials.from_api_key(key)
    assert first is second
    assert first is not None
    assert first.client_id == client_id
    assert first.principal.organisation_id == ORGANISATION
    assert first.principal.scopes == {"registry:read", "registry:write"}
    assert len(queries) == 1


async def test_unknown_keys_are_remembered_and_malformed_ones_never_queried(
    gateway_engine: AsyncEngine, identities: Identities, queries: list[str]
) -> None:
    credentials = _credentials(gateway_engine, identities)
    unknown = new_key()
    assert await credentials.from_api_key(unknown) is None
    assert await credentials.from_api_key(unknown) is None
    assert await credentials.from_api_key("not-a-key") is None
    assert len(queries) == 1


async def test_concurrent_misses_share_one_query(
    gateway_engine: AsyncEngine, identities: Identities, queries: list[str]
) -> None:
    credentials = _credentials(gateway_engine, identities)
    _, key = await _client(gateway_engine)
    queries.clear()
    grants = await asyncio.gather(*(credentials.from_api_key(key) for _ in range(20)))
    assert all(grant is not None for grant in grants)
    assert len(queries) == 1


async def test_expiry_is_checked_on_every_request_and_revocation_after_eviction(
    gateway_engine: AsyncEngine, identities: Identities
) -> None:
    credentials = _credentials(gateway_engine, identities)
    _, key = await _client(gateway_engine)
    grant = await credentials.from_api_key(key)
    assert grant is not None
    async with gateway_engine.begin() as connection:
        soon = datetime.now(UTC) + timedelta(seconds=0.3)
        await connection.execute(update(ApiKey).where(ApiKey.id == grant.key_id).values(expires_at=soon))
    credentials.forget_key(grant.key_id)
    assert await credentials.from_api_key(key) is not None
    await asyncio.sleep(0.35)
    assert await credentials.from_api_key(key) is None  # the cached grant knows its end

    _, other = await _client(gateway_engine)
    other_grant = await credentials.from_api_key(other)
    assert other_grant is not None
    async with gateway_engine.begin() as connection:
        await connection.execute(
            update(ApiKey).where(ApiKey.id == other_grant.key_id).values(revoked_at=datetime.now(UTC))
        )
    assert await credentials.from_api_key(other) is not None  # cached until told
    credentials.forget_key(other_grant.key_id)
    assert await credentials.from_api_key(other) is None


async def test_a_lookup_overtaken_by_an_eviction_is_not_kept(
    gateway_engine: AsyncEngine, identities: Identities, queries: list[str]
) -> None:
    credentials = _credentials(gateway_engine, identities)
    _, key = await _client(gateway_engine)
    original = credentials._load

    async def load_then_evict(condition: object) -> Any:
        record = await original(condition)
        credentials.forget_all()  # a revocation arrives while the stale row is in flight
        return record

    credentials._load = load_then_evict  # type: ignore[method-assign]
    queries.clear()
    assert await credentials.from_api_key(key) is not None
    credentials._load = original  # type: ignore[method-assign]
    assert await credentials.from_api_key(key) is not None
    assert len(queries) == 2  # the first result was used once, not cached


async def test_the_identity_token_is_minted_once_per_grant_and_verifies(
    gateway_engine: AsyncEngine, identities: Identities
) -> None:
    credentials = _credentials(gateway_engine, identities)
    client_id, key = await _client(gateway_engine, "registry:read")
    grant = await credentials.from_api_key(key)
    assert grant is not None
    token = credentials.identity_for(grant)
    assert credentials.identity_for(grant) is token
    principal = IdentityVerifier(identities.jwks).verify(token)
    assert principal.subject == str(client_id)
    assert principal.organisation_id == ORGANISATION
    assert principal.scopes == {"registry:read"}
    grant.identity_refresh_at = 0.0  # half its lifetime has passed: the next request gets a new one
    assert credentials.identity_for(grant) is not token


async def test_a_bearer_token_is_narrowed_to_its_scopes_and_dies_with_its_key(
    gateway_engine: AsyncEngine, identities: Identities
) -> None:
    credentials = _credentials(gateway_engine, identities)
    client_id, key = await _client(gateway_engine, "registry:read", "registry:write")
    grant = await credentials.from_api_key(key)
    assert grant is not None
    token = credentials.access_tokens.issue(
        client_id=client_id,
        key_id=grant.key_id,
        organisation_id=ORGANISATION,
        scopes=frozenset({"registry:read"}),
    )
    bearer = await credentials.from_bearer(token)
    assert bearer is not None
    assert bearer.principal.scopes == {"registry:read"}
    async with gateway_engine.begin() as connection:
        await connection.execute(
            update(ApiKey).where(ApiKey.id == grant.key_id).values(revoked_at=datetime.now(UTC))
        )
    credentials.forget_key(grant.key_id)
    assert await credentials.from_bearer(token) is None
    assert await credentials.from_bearer(token + "x") is None
