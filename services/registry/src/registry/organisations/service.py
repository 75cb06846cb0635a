"""Organisations (partner bodies, consortia, associations) and their memberships."""

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from plaza_contracts import uuid7
from plaza_kit.errors import ConflictError, NotFoundError, UnprocessableError
from plaza_kit.identity import Principal
from registry.companies import repository as companies
from registry.companies.service import get_organisation_for_write, get_writable
from registry.history.recorder import record_change
from registry.organisations import repository
from registry.organisations.models import MembershipWithSides
from registry.organisations.schemas import MembershipCreate


async def add_member(
    session: AsyncSession, organisation_id: uuid.UUID, data: MembershipCreate, principal: Principal
) -> MembershipWithSides:
    """Add a member; only the organisation's owner (or an admin) may. The same member twice is a 409."""
    organisation = await get_organisation_for_write(session, organisation_id, principal)
    member = await repository.get_company(session, data.member_id)
    if member is None or member.merged_into_id is not None:
        raise UnprocessableError(f"member_id: no active company with id {data.member_id}")
    if member.id == organisation.id:
        raise UnprocessableError("member_id: an organisation cannot be its own member")
    row = {
        "id": uuid7(),
        "organisation_id": organisation.id,
        "member_id": member.id,
        "role": data.role,
        "joined_on": data.joined_on,
        "left_on": data.left_on,
    }
    stored = await repository.insert_new(session, [row])
    if not stored:
        raise ConflictError(f"company {member.id} is already a member of {organisation.id}")
    await record_change(
        session, company_id=member.id, action="membership_added", principal=principal,
        changes={"organisation_id": str(organisation.id), "role": data.role},
    )  # fmt: skip
    return MembershipWithSides(stored[0], organisation, member)


async def add_members(
    session: AsyncSession,
    organisation_id: uuid.UUID,
    member_ids: Sequence[uuid.UUID],
    *,
    role: str,
    joined_on: date | None,
    principal: Principal,
    via: str,
) -> list[uuid.UUID]:
    """Make each of `member_ids` a member (those already members stay as they are); returns the new ones.
    The caller has checked that `principal` may change the organisation."""
    rows = [
        {
            "id": uuid7(),
            "organisation_id": organisation_id,
            "member_id": member,
            "role": role,
            "joined_on": joined_on,
        }
        for member in dict.fromkeys(member_ids)
        if member != organisation_id
    ]
    added = [membership.member_id for membership in await repository.insert_new(session, rows)]
    for member_id in added:
        await record_change(
            session, company_id=member_id, action="membership_added", principal=principal,
            changes={"organisation_id": str(organisation_id), "role": role, "via": via},
        )  # fmt: skip
    return added


async def remove_member(
    session: AsyncSession, organisation_id: uuid.UUID, membership_id: uuid.UUID, principal: Principal
) -> None:
    """End a membership by removing it (the history of the member keeps it)."""
    await get_writable(session, organisation_id, principal)
    membership = await repository.get(session, membership_id)
    if membership is None or membership.organisation_id != organisation_id:
        raise NotFoundError(f"no membership {membership_id} in organisation {organisation_id}")
    await session.delete(membership)
    await record_change(
        session, company_id=membership.member_id, action="membership_removed", principal=principal,
        changes={"organisation_id": str(organisation_id), "role": membership.role},
    )  # fmt: skip


async def memberships(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID | None = None,
    member_id: uuid.UUID | None = None,
    after_id: uuid.UUID | None,
    limit: int,
) -> Sequence[MembershipWithSides]:
    """Up to `limit` members of an organisation, or memberships of a company, in the order they were added;
    404 when the organisation or company is unknown."""
    anchor = organisation_id or member_id
    if anchor is None or not await companies.company_exists(session, anchor):
        raise NotFoundError(f"no company with id {anchor}")
    return await repository.page(
        session, organisation_id=organisation_id, member_id=member_id, after_id=after_id, limit=limit
    )
