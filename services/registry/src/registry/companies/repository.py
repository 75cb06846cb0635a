"""Queries on the company table; no commits here (the request boundary commits)."""

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.companies.models import Company


async def get(session: AsyncSession, company_id: uuid.UUID) -> Company | None:
    """The company with this id, if any."""
    return await session.get(Company, company_id)


async def list_page(
    session: AsyncSession, *, country: str | None, after_id: uuid.UUID | None, limit: int
) -> Sequence[Company]:
    """Up to `limit` companies after `after_id` in id order (keyset, never OFFSET)."""
    query = select(Company).order_by(Company.id).limit(limit)
    if country is not None:
        query = query.where(Company.country == country)
    if after_id is not None:
        query = query.where(Company.id > after_id)
    return (await session.scalars(query)).all()
