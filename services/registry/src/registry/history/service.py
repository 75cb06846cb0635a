"""Reading a company's change history (writing it is `registry.history.recorder`, inside each change)."""

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from plaza_kit.errors import NotFoundError
from registry.companies import repository as companies
from registry.history import repository
from registry.history.models import CompanyChange


async def changes(
    session: AsyncSession, company_id: uuid.UUID, *, after_id: uuid.UUID | None, limit: int
) -> Sequence[CompanyChange]:
    """Up to `limit` changes of an existing company, oldest first; 404 for an unknown company."""
    if not await companies.company_exists(session, company_id):
        raise NotFoundError(f"no company with id {company_id}")
    return await repository.changes_page(session, company_id, after_id=after_id, limit=limit)
