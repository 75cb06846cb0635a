"""Admin use cases over the gateway's clients and keys: the rules; the statements are in `repository`."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.admin import repository
from gateway.admin.schemas import ClientCreate, ClientUpdate
from gateway.keys import display_prefix, key_hash, new_key
from gateway.models import ApiClient, ApiKey, AuditEvent, NewKey
from plaza_kit.db import constraint_name
from plaza_kit.errors import ConflictError, NotFoundError


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
    try:
        await repository.add(session, client)
    except IntegrityError as error:
        if constraint_name(error) == "ix_api_client_name":
            raise ConflictError(f"a client named {data.name!r} exists") from error
        raise
    return client


async def get_client(session: AsyncSession, client_id: uuid.UUID) -> ApiClient:
    """The client with this id; 404 otherwise."""
    client = await repository.get_client(session, client_id)
    if client is None:
        raise NotFoundError(f"no client with id {client_id}")
    return client


async def list_clients(
    session: AsyncSession, *, organisation_id: uuid.UUID | None, after: uuid.UUID | None, limit: int
) -> Sequence[ApiClient]:
    """Clients in creation order after `after`, optionally of one organisation."""
    return await repository.clients_page(session, organisation_id=organisation_id, after=after, limit=limit)


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
) -> NewKey:
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
    await repository.add(session, key)
    return NewKey(key, secret)


async def list_keys(session: AsyncSession, client_id: uuid.UUID) -> Sequence[ApiKey]:
    """Every key of a client, oldest first."""
    await get_client(session, client_id)
    return await repository.keys_of(session, client_id)


async def _key_or_404(session: AsyncSession, client_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    key = await repository.get_key(session, client_id, key_id)
    if key is None:
        raise NotFoundError(f"no key {key_id} for client {client_id}")
    return key


async def rotate_key(
    session: AsyncSession, client_id: uuid.UUID, key_id: uuid.UUID, *, grace_seconds: int
) -> NewKey:
    """Issue a replacement and let the old key expire after the grace period (both valid meanwhile)."""
    issued = await issue_key(session, client_id)
    now = datetime.now(UTC)
    ends = now + timedelta(seconds=grace_seconds)
    if not await repository.mark_rotated(
        session, client_id, key_id, replacement=issued.key.id, now=now, ends=ends
    ):
        key = await _key_or_404(session, client_id, key_id)
        raise ConflictError(
            f"the key is {key.status_at(now)}" + (" (already rotated)" if key.replaced_by else ""),
            extensions={"replaced_by": str(key.replaced_by)} if key.replaced_by else None,
        )
    return issued


async def revoke_key(session: AsyncSession, client_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    """Revoke a key now (idempotent: revoking a revoked key changes nothing)."""
    await repository.revoke(session, client_id, key_id)
    return await _key_or_404(session, client_id, key_id)


async def audit_trail(
    session: AsyncSession,
    *,
    client_id: uuid.UUID | None,
    organisation_id: uuid.UUID | None,
    before: uuid.UUID | None,
    limit: int,
) -> Sequence[AuditEvent]:
    """Audited writes, newest first, older than `before`."""
    return await repository.audit_page(
        session, client_id=client_id, organisation_id=organisation_id, before=before, limit=limit
    )
