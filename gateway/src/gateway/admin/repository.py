"""Queries on the gateway's clients, keys and audit trail; no commits here (the request boundary commits).

Conditions are enforced by the statements themselves (unique index on names, conditional UPDATEs for
rotation and revocation), never by check-then-write."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import ApiClient, ApiKey, AuditEvent


async def add(session: AsyncSession, record: ApiClient | ApiKey) -> None:
    """Store a new client or key now (a taken client name raises IntegrityError here)."""
    session.add(record)
    await session.flush()


async def get_client(session: AsyncSession, client_id: uuid.UUID) -> ApiClient | None:
    """The client with this id."""
    return await session.get(ApiClient, client_id)


async def clients_page(
    session: AsyncSession, *, organisation_id: uuid.UUID | None, after: uuid.UUID | None, limit: int
) -> Sequence[ApiClient]:
    """Up to `limit` clients in creation order after `after`, optionally of one organisation."""
    query = select(ApiClient).order_by(ApiClient.id).limit(limit)
    if organisation_id is not None:
        query = query.where(ApiClient.organisation_id == organisation_id)
    if after is not None:
        query = query.where(ApiClient.id > after)
    return (await session.scalars(query)).all()


async def keys_of(session: AsyncSession, client_id: uuid.UUID) -> Sequence[ApiKey]:
    """Every key of a client, oldest first."""
    query = select(ApiKey).where(ApiKey.client_id == client_id).order_by(ApiKey.id)
    return (await session.scalars(query)).all()


async def get_key(session: AsyncSession, client_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey | None:
    """The key with this id if it belongs to the client, as stored now (not as this session cached it)."""
    key = await session.get(ApiKey, key_id, populate_existing=True)
    return key if key is not None and key.client_id == client_id else None


async def mark_rotated(
    session: AsyncSession,
    client_id: uuid.UUID,
    key_id: uuid.UUID,
    *,
    replacement: uuid.UUID,
    now: datetime,
    ends: datetime,
) -> bool:
    """Point a key usable at `now` at its replacement and let it expire at `ends` at the latest; False when
    the key is not usable (revoked, expired, already rotated) or not the client's."""
    rotated = await session.execute(
        update(ApiKey)
        .where(
            ApiKey.id == key_id,
            ApiKey.client_id == client_id,
            ApiKey.revoked_at.is_(None),
            ApiKey.replaced_by.is_(None),
            or_(ApiKey.expires_at.is_(None), ApiKey.expires_at > now),
        )
        .values(replaced_by=replacement, expires_at=func.least(func.coalesce(ApiKey.expires_at, ends), ends))
        .returning(ApiKey.id)
    )
    return rotated.first() is not None


async def revoke(session: AsyncSession, client_id: uuid.UUID, key_id: uuid.UUID) -> None:
    """Revoke the key now unless it is revoked already."""
    await session.execute(
        update(ApiKey)
        .where(and_(ApiKey.id == key_id, ApiKey.client_id == client_id, ApiKey.revoked_at.is_(None)))
        .values(revoked_at=func.now())
    )


async def audit_page(
    session: AsyncSession,
    *,
    client_id: uuid.UUID | None,
    organisation_id: uuid.UUID | None,
    before: uuid.UUID | None,
    limit: int,
) -> Sequence[AuditEvent]:
    """Up to `limit` audited writes, newest first, older than `before`."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if client_id is not None:
        query = query.where(AuditEvent.client_id == client_id)
    if organisation_id is not None:
        query = query.where(AuditEvent.organisation_id == organisation_id)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    return (await session.scalars(query)).all()
