"""Queries on contacts; no commits here (the request boundary commits)."""

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.contacts.models import Contact


async def of_company(session: AsyncSession, company_id: uuid.UUID) -> Sequence[Contact]:
    """The contacts of a company, in the order they were added."""
    return (
        await session.scalars(select(Contact).where(Contact.company_id == company_id).order_by(Contact.id))
    ).all()


async def get(session: AsyncSession, company_id: uuid.UUID, contact_id: uuid.UUID) -> Contact | None:
    """The contact with this id, if it belongs to this company."""
    query = select(Contact).where(Contact.id == contact_id, Contact.company_id == company_id)
    return (await session.scalars(query)).first()
