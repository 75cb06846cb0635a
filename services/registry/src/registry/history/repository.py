"""Queries on the change history; no commits here (the request boundary commits)."""

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.history.models import CompanyChange


async def changes_page(
    session: AsyncSession, company_id: uuid.UUID, *, after_id: uuid.UUID | None, limit: int
) -> Sequence[CompanyChange]:
    """Up to `limit` changes of a company after `after_id`, oldest first (keyset, never OFFSET)."""
    query = select(CompanyChange).where(CompanyChange.company_id == company_id).order_by(CompanyChange.id)
    if after_id is not None:
        query = query.where(CompanyChange.id > after_id)
    return (await session.scalars(query.limit(limit))).all()
