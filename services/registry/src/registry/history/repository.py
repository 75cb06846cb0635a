"""Queries on the change history; no commits here (the request boundary commits)."""

import uuid
from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.companies.models import Company
from registry.history.models import CompanyChange


async def company_exists(session: AsyncSession, company_id: uuid.UUID) -> bool:
    """Whether the registry holds a company (of any status) with this id."""
    return bool(await session.scalar(select(exists().where(Company.id == company_id))))


async def changes_page(
    session: AsyncSession, company_id: uuid.UUID, *, after_id: uuid.UUID | None, limit: int
) -> Sequence[CompanyChange]:
    """Up to `limit` changes of a company after `after_id`, oldest first (keyset, never OFFSET)."""
    query = select(CompanyChange).where(CompanyChange.company_id == company_id).order_by(CompanyChange.id)
    if after_id is not None:
        query = query.where(CompanyChange.id > after_id)
    return (await session.scalars(query.limit(limit))).all()
