"""Organisations (partner bodies, consortia, associations) and their memberships."""

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from plaza_contracts import CursorCodec, Page, uuid7
from plaza_kit.errors import ConflictError, NotFoundError, UnprocessableError
from plaza_kit.identity import Principal
from plaza_kit.pagination import decode_cursor_id
from registry.companies.models import Company
from registry.companies.schemas import TextsRead
from registry.companies.service import get_organisation_for_write, get_writable
from registry.history.recorder import record_change
from registry.organisations.models import Membership
from registry.organisations.schemas import BodyRef, MembershipCreate, MembershipRead


def _ref(company: Company) -> BodyRef:
    return BodyRef(
        id=company.id,
        name=TextsRead(ko=company.name_ko, ja=company.name_ja, en=company.name_en),
        country=company.country,
    )


def _read(membership: Membership, organisation: Company, member: Company) -> MembershipRead:
    return MembershipRead(
        id=membership.id,
        organisation=_ref(organisation),
        member=_ref(member),
        role=membership.role,
        joined_on=membership.joined_on,
        left_on=membership.left_on,
        created_at=membership.created_at,
    )


async def add_member(
    session: AsyncSession, organisation_id: uuid.UUID, data: MembershipCreate, principal: Principal
) -> MembershipRead:
    """Add a member; only the organisation's owner (or an admin) may. The same member twice is a 409."""
    organisation = await get_organisation_for_write(session, organisation_id, principal)
    member = await session.get(Company, data.member_id)
    if member is None or member.merged_into_id is not None:
        raise UnprocessableError(f"member_id: no active company with id {data.member_id}")
    if member.id == organisation.id:
        raise UnprocessableError("member_id: an organisation cannot be its own member")
    membership_id = await session.scalar(
        insert(Membership)
        .values(
            id=uuid7(),
            organisation_id=organisation.id,
            member_id=member.id,
            role=data.role,
            joined_on=data.joined_on,
            left_on=data.left_on,
        )
        .on_conflict_do_nothing()
        .returning(Membership.id)
    )
    if membership_id is None:
        raise ConflictError(f"company {member.id} is already a member of {organisation.id}")
    membership = await session.get(Membership, membership_id)
    assert membership is not None
    await record_change(
        session, company_id=member.id, action="membership_added", principal=principal,
        changes={"organisation_id": str(organisation.id), "role": data.role},
    )  # fmt: skip
    return _read(membership, organisation, member)


async def remove_member(
    session: AsyncSession, organisation_id: uuid.UUID, membership_id: uuid.UUID, principal: Principal
) -> None:
    """End a membership by removing it (the history of the member keeps it)."""
    await get_writable(session, organisation_id, principal)
    membership = await session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != organisation_id:
        raise NotFoundError(f"no membership {membership_id} in organisation {organisation_id}")
    await session.delete(membership)
    await record_change(
        session, company_id=membership.member_id, action="membership_removed", principal=principal,
        changes={"organisation_id": str(organisation_id), "role": membership.role},
    )  # fmt: skip


async def list_memberships(
    session: AsyncSession,
    *,
    codec: CursorCodec,
    organisation_id: uuid.UUID | None = None,
    member_id: uuid.UUID | None = None,
    cursor: str | None,
    limit: int,
) -> Page[MembershipRead]:
    """Members of an organisation, or memberships of a company, in the order they were added."""
    anchor = organisation_id or member_id
    if anchor is None or await session.get(Company, anchor) is None:
        raise NotFoundError(f"no company with id {anchor}")
    filters = {"organisation_id": str(organisation_id), "member_id": str(member_id)}
    after_id = decode_cursor_id(codec, cursor, filters)
    organisation, member = aliased(Company), aliased(Company)
    query = (
        select(Membership, organisation, member)
        .join(organisation, organisation.id == Membership.organisation_id)
        .join(member, member.id == Membership.member_id)
        .order_by(Membership.id)
        .limit(limit + 1)
    )
    if organisation_id is not None:
        query = query.where(Membership.organisation_id == organisation_id)
    if member_id is not None:
        query = query.where(Membership.member_id == member_id)
    if after_id is not None:
        query = query.where(Membership.id > after_id)
    rows: Sequence[tuple[Membership, Company, Company]] = [
        (row[0], row[1], row[2]) for row in await session.execute(query)
    ]
    items = [_read(*row) for row in rows[:limit]]
    next_cursor = codec.encode([str(items[-1].id)], filters) if len(rows) > limit else None
    return Page[MembershipRead](items=items, next_cursor=next_cursor)
