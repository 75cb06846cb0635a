"""Queries on memberships; no commits here (the request boundary commits)."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from registry.companies.models import Company
from registry.organisations.models import Membership, MembershipWithSides


async def get_company(session: AsyncSession, company_id: uuid.UUID) -> Company | None:
    """The company row with this id (without its details)."""
    return await session.get(Company, company_id)


async def get(session: AsyncSession, membership_id: uuid.UUID) -> Membership | None:
    """The membership with this id."""
    return await session.get(Membership, membership_id)


async def insert_new(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> Sequence[Membership]:
    """Store the memberships that do not exist yet (one per organisation and member: the unique constraint
    decides, ON CONFLICT DO NOTHING); returns the ones stored."""
    if not rows:
        return []
    statement = insert(Membership).values(list(rows)).on_conflict_do_nothing().returning(Membership)
    return (await session.scalars(statement, execution_options={"populate_existing": True})).all()


async def page(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID | None,
    member_id: uuid.UUID | None,
    after_id: uuid.UUID | None,
    limit: int,
) -> Sequence[MembershipWithSides]:
    """Up to `limit` memberships of an organisation or of a member after `after_id`, in the order added."""
    organisation, member = aliased(Company), aliased(Company)
    query = (
        select(Membership, organisation, member)
        .join(organisation, organisation.id == Membership.organisation_id)
        .join(member, member.id == Membership.member_id)
        .order_by(Membership.id)
        .limit(limit)
    )
    if organisation_id is not None:
        query = query.where(Membership.organisation_id == organisation_id)
    if member_id is not None:
        query = query.where(Membership.member_id == member_id)
    if after_id is not None:
        query = query.where(Membership.id > after_id)
    return [MembershipWithSides(*row) for row in await session.execute(query)]
