"""Admin use cases over the gateway's tables. Conditions are enforced by the statements themselves
(unique index on names, conditional UPDATEs for rotation and revocation), never by check-then-write."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.admin.schemas import ClientCreate, ClientRead, ClientUpdate, IssuedKey, KeyRead, KeyStatus
from gateway.keys import display_prefix, key_hash, new_key
from gateway.models import ApiClient, ApiKey
from plaza_kit.db import constraint_name
from plaza_kit.errors import ConflictError, NotFoundError


def client_read(client: ApiClient) -> ClientRead:
    """The API shape of a client."""
    return ClientRead(
        id=client.id,
        name=client.name,
        organisation_id=client.organisation_id,
        scopes=sorted(client.scopes),
        rate_per_minute=client.rate_per_minute,
        burst=client.burst,
        created_at=client.created_at,
        updated_at=client.updated_at,
    )


def _status(key: ApiKey, now: datetime) -> KeyStatus:
    if key.revoked_at is not None:
        return "revoked"
    if key.expires_at is None:
        return "active"
    return "expiring" if key.expires_at > now else "expired"


def key_read(key: ApiKey) -> KeyRead:
    """The API shape of a key (never the key itself)."""
    return KeyRead(
        id=key.id,
        client_id=key.client_id,
        prefix=key.prefix,
        status=_status(key, datetime.now(UTC)),
        created_at=key.created_at,
        expires_at=key.expires_at,
        revoked_at=key.revoked_at,
        replaced_by=key.replaced_by,
    )


async def create_client(
    session: AsyncSession, data: ClientCreate, *, default_rate: int, default_burst: int
) -> ApiClient:
    """Store a new client; a taken name is a 409."""
    now = datetime.now(UTC)
    client = ApiClient(
        name=data.name,
        organisation_id=data.organisation_id,
        scopes=sorted({str(scope) for scope in data.scopes}),
        rate_per_minute=data.rate_per_minute or default_rate,
        burst=data.burst or default_burst,
        created_at=now,
        updated_at=now,
    )
    session.add(client)
    try:
        await session.flush()
    except IntegrityError as error:
        if constraint_name(error) == "ix_api_client_name":
            raise ConflictError(f"a client named {data.name!r} exists") from error
        raise
    return client


async def get_client(session: AsyncSession, client_id: uuid.UUID) -> ApiClient:
    """The client with this id; 404 otherwise."""
    client = await session.get(ApiClient, client_id)
    if client is None:
        raise NotFoundError(f"no client with id {client_id}")
    return client


async def list_clients(
    session: AsyncSession, *, organisation_id: uuid.UUID | None, after: uuid.UUID | None, limit: int
) -> Sequence[ApiClient]:
    """Clients in creation order after `after`, optionally of one organisation."""
    query = select(ApiClient).order_by(ApiClient.id).limit(limit)
    if organisation_id is not None:
        query = query.where(ApiClient.organisation_id == organisation_id)
    if after is not None:
        query = query.where(ApiClient.id > after)
    return (await session.scalars(query)).all()


async def update_client(session: AsyncSession, client_id: uuid.UUID, patch: ClientUpdate) -> ApiClient:
    """Change scopes or limits."""
    client = await get_client(session, client_id)
    if patch.scopes is not None:
        client.scopes = sorted({str(scope) for scope in patch.scopes})
    if patch.rate_per_minute is not None:
        client.rate_per_minute = patch.rate_per_minute
    if patch.burst is not None:
        client.burst = patch.burst
    if session.is_modified(client):
        client.updated_at = datetime.now(UTC)
        await session.flush()
    return client


async def issue_key(
    session: AsyncSession, client_id: uuid.UUID, *, expires_at: datetime | None = None
) -> IssuedKey:
    """A new key for the client (the only time the key is seen)."""
    await get_client(session, client_id)
    secret = new_key()
    key = ApiKey(
        client_id=client_id,
        prefix=display_prefix(secret),
        secret_hash=key_hash(secret),
        created_at=datetime.now(UTC),
        expires_at=expires_at,
    )
    session.add(key)
    await session.flush()
    return IssuedKey(**key_read(key).model_dump(), key=secret)


async def list_keys(session: AsyncSession, client_id: uuid.UUID) -> Sequence[ApiKey]:
    """Every key of a client, oldest first."""
    await get_client(session, client_id)
    query = select(ApiKey).where(ApiKey.client_id == client_id).order_by(ApiKey.id)
    return (await session.scalars(query)).all()


async def _key_or_404(session: AsyncSession, client_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    key = await session.get(ApiKey, key_id, populate_existing=True)
    if key is None or key.client_id != client_id:
        raise NotFoundError(f"no key {key_id} for client {client_id}")
    return key


async def rotate_key(
    session: AsyncSession, client_id: uuid.UUID, key_id: uuid.UUID, *, grace_seconds: int
) -> IssuedKey:
    """Issue a replacement and let the old key expire after the grace period (both valid meanwhile)."""
    issued = await issue_key(session, client_id)
    now = datetime.now(UTC)
    ends = now + timedelta(seconds=grace_seconds)
    rotated = await session.execute(
        update(ApiKey)
        .where(
            ApiKey.id == key_id,
            ApiKey.client_id == client_id,
            ApiKey.revoked_at.is_(None),
            ApiKey.replaced_by.is_(None),
            or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > now),
        )
        .values(replaced_by=issued.id, expires_at=func.least(func.coalesce(ApiKey.expires_at, ends), ends))
        .returning(ApiKey.id)
    )
    if rotated.first() is None:
        key = await _key_or_404(session, client_id, key_id)
        raise ConflictError(
            f"the key is {_status(key, now)}" + (" (already rotated)" if key.replaced_by else ""),
            extensions={"replaced_by": str(key.replaced_by)} if key.replaced_by else None,
        )
    return issued


async def revoke_key(session: AsyncSession, client_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    """Revoke a key now (idempotent: revoking a revoked key changes nothing)."""
    await session.execute(
        update(ApiKey)
        .where(and_(ApiKey.id == key_id, ApiKey.client_id == client_id, ApiKey.revoked_at.is_(None)))
        .values(revoked_at=func.now())
    )
    return await _key_or_404(session, client_id, key_id)
