"""Merging a duplicate into a survivor, in one transaction.

The survivor takes the duplicate's identifiers, contacts, memberships (both as member and as organisation),
sectors, products and child bodies, and fills its own empty fields from the duplicate. The duplicate keeps
its row as a redirect (`status = merged`, `merged_into_id`), and earlier redirects to it now point at the
survivor, so a redirect is always one hop. Both rows are locked in id order, so concurrent merges of
overlapping pairs serialise instead of deadlocking.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Uuid, and_, case, delete, exists, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from plaza_kit.auth import ensure_can_write
from plaza_kit.errors import NotFoundError, UnprocessableError
from plaza_kit.identity import Principal
from registry.companies import repository
from registry.companies.derived import refresh_derived
from registry.companies.models import Company, CompanyIdentifier, CompanyProduct, CompanySector, CompanyStatus
from registry.contacts.models import Contact
from registry.duplicates.models import DistinctPair
from registry.errors import DuplicateIdentifierError, MergedCompanyError
from registry.history.recorder import record_change
from registry.organisations.models import Membership

_FILLABLE = (
    "name_ko", "name_ja", "name_en", "name_ja_kana", "name_latin", "region", "address", "website",
    "size_band", "founded_year", "description_ko", "description_ja", "description_en",
)  # fmt: skip


async def _lock_pair(
    session: AsyncSession, survivor_id: uuid.UUID, merged_id: uuid.UUID
) -> tuple[Company, Company | None]:
    query = (
        select(Company)
        .where(Company.id.in_([survivor_id, merged_id]))
        .order_by(Company.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found = {company.id: company for company in await session.scalars(query)}
    if survivor_id not in found:
        raise NotFoundError(f"no company with id {survivor_id}")
    return found[survivor_id], found.get(merged_id)


async def _ensure_identifiers_compatible(session: AsyncSession, survivor: Company, merged: Company) -> None:
    theirs = aliased(CompanyIdentifier)
    clash = (
        await session.execute(
            select(CompanyIdentifier.scheme, CompanyIdentifier.value, theirs.value)
            .join(theirs, and_(theirs.scheme == CompanyIdentifier.scheme, theirs.company_id == merged.id))
            .where(CompanyIdentifier.company_id == survivor.id)
        )
    ).first()
    if clash is not None:
        raise DuplicateIdentifierError(
            f"the two companies hold different {clash[0]} numbers ({clash[1]} and {clash[2]}); "
            "correct one of them before merging",
            extensions={"identifier": {"scheme": clash[0]}},
        )


async def _move_memberships(session: AsyncSession, survivor_id: uuid.UUID, merged_id: uuid.UUID) -> list[Any]:
    """Memberships follow the survivor unless it already has the same one (or it would join itself).
    Returns the memberships dropped for that reason, for the history."""
    kept = aliased(Membership)
    as_member = exists().where(
        kept.member_id == survivor_id, kept.organisation_id == Membership.organisation_id
    )
    await session.execute(
        update(Membership)
        .where(Membership.member_id == merged_id, Membership.organisation_id != survivor_id, ~as_member)
        .values(member_id=survivor_id)
    )
    as_organisation = exists().where(
        kept.organisation_id == survivor_id, kept.member_id == Membership.member_id
    )
    await session.execute(
        update(Membership)
        .where(Membership.organisation_id == merged_id, Membership.member_id != survivor_id, ~as_organisation)
        .values(organisation_id=survivor_id)
    )
    dropped = await session.execute(
        delete(Membership)
        .where((Membership.member_id == merged_id) | (Membership.organisation_id == merged_id))
        .returning(Membership.organisation_id, Membership.member_id, Membership.role, Membership.joined_on)
    )
    return [
        {
            "organisation_id": str(org),
            "member_id": str(member),
            "role": role,
            "joined_on": str(joined) if joined else None,
        }
        for org, member, role, joined in dropped
    ]


async def _move_owned_rows(session: AsyncSession, survivor_id: uuid.UUID, merged_id: uuid.UUID) -> None:
    """Identifiers, contacts, sectors, products and confirmed-distinct pairs go to the survivor."""
    await session.execute(
        update(CompanyIdentifier)
        .where(CompanyIdentifier.company_id == merged_id)
        .values(company_id=survivor_id)
    )
    await session.execute(
        update(Contact).where(Contact.company_id == merged_id).values(company_id=survivor_id)
    )
    await session.execute(
        insert(CompanySector)
        .from_select(
            ["company_id", "sector_code"],
            select(literal(survivor_id, Uuid), CompanySector.sector_code).where(
                CompanySector.company_id == merged_id
            ),
        )
        .on_conflict_do_nothing()
    )
    await session.execute(delete(CompanySector).where(CompanySector.company_id == merged_id))
    await session.execute(
        update(CompanyProduct)
        .where(CompanyProduct.company_id == merged_id)
        .values(company_id=survivor_id, position=CompanyProduct.position + 1000)
    )
    others = await session.scalars(
        select(
            case((DistinctPair.low_id == merged_id, DistinctPair.high_id), else_=DistinctPair.low_id)
        ).where((DistinctPair.low_id == merged_id) | (DistinctPair.high_id == merged_id))
    )
    pairs = [
        {"low_id": min(survivor_id, other), "high_id": max(survivor_id, other)}
        for other in others
        if other != survivor_id
    ]
    if pairs:
        await session.execute(insert(DistinctPair).values(pairs).on_conflict_do_nothing())


async def _repoint_companies(
    session: AsyncSession, survivor: Company, merged: Company, now: datetime
) -> dict[str, list[str]]:
    """Children of the duplicate move under the survivor (those above the survivor take the duplicate's
    place instead, so no cycle forms); redirects to the duplicate now point at the survivor. Each changed
    record gets a new version, so ETags held by clients go stale."""
    above = await repository.ancestors(session, survivor.id)
    bump = {"version": Company.version + 1, "updated_at": now}
    lifted = await session.scalars(
        update(Company)
        .where(Company.parent_id == merged.id, Company.id.in_(above))
        .values(parent_id=merged.parent_id, **bump)
        .returning(Company.id)
    )
    lifted_ids = [str(company_id) for company_id in lifted]
    moved = await session.scalars(
        update(Company)
        .where(Company.parent_id == merged.id, Company.id != survivor.id)
        .values(parent_id=survivor.id, **bump)
        .returning(Company.id)
    )
    redirected = await session.scalars(
        update(Company)
        .where(Company.merged_into_id == merged.id)
        .values(merged_into_id=survivor.id, **bump)
        .returning(Company.id)
    )
    return {"children": [str(i) for i in moved] + lifted_ids, "redirects": [str(i) for i in redirected]}


async def merge_companies(
    session: AsyncSession, survivor_id: uuid.UUID, merged_id: uuid.UUID, reason: str, principal: Principal
) -> Company:
    """Merge `merged_id` into `survivor_id`; the caller must be allowed to change both."""
    if survivor_id == merged_id:
        raise UnprocessableError("merged_id: a company cannot be merged into itself")
    survivor, merged = await _lock_pair(session, survivor_id, merged_id)
    ensure_can_write(principal, survivor.owner_organisation_id, "company")
    if merged is None:
        raise UnprocessableError(f"merged_id: no company with id {merged_id}")
    for company in (survivor, merged):
        if company.status is CompanyStatus.merged:
            raise MergedCompanyError(
                f"company {company.id} was already merged into {company.merged_into_id}",
                extensions={"merged_into_id": str(company.merged_into_id)},
            )
    ensure_can_write(principal, merged.owner_organisation_id, "company")
    await _ensure_identifiers_compatible(session, survivor, merged)
    filled = {
        field: getattr(merged, field)
        for field in _FILLABLE
        if getattr(survivor, field) is None and getattr(merged, field) is not None
    }
    now = datetime.now(UTC)
    dropped = await _move_memberships(session, survivor.id, merged.id)
    await _move_owned_rows(session, survivor.id, merged.id)
    repointed = await _repoint_companies(session, survivor, merged, now)
    if survivor.parent_id == merged.id:  # the survivor sat below its duplicate: take the duplicate's place
        survivor.parent_id = merged.parent_id if merged.parent_id != survivor.id else None
    for field, value in filled.items():
        setattr(survivor, field, value)
    survivor.updated_at = now
    refresh_derived(survivor)
    merged.status, merged.merged_into_id, merged.updated_at = CompanyStatus.merged, survivor.id, now
    merged.name_keys, merged.search_grams = [], []
    await session.flush()
    await record_change(
        session, company_id=survivor.id, action="merged", principal=principal,
        changes={
            "merged_id": str(merged.id),
            "reason": reason,
            "filled": sorted(filled),
            "dropped_memberships": dropped,
            **repointed,
        },
    )  # fmt: skip
    await record_change(
        session, company_id=merged.id, action="merged_away", principal=principal,
        changes={"merged_into_id": str(survivor.id), "reason": reason},
    )  # fmt: skip
    result = await repository.get(session, survivor.id, for_update=True)
    assert result is not None
    return result
