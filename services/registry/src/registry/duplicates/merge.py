"""Merging a duplicate into a survivor, in one transaction.

The survivor takes the duplicate's identifiers, contacts, memberships (both as member and as organisation),
sectors, products and child bodies, and fills its own empty fields from the duplicate. The duplicate keeps
its row as a redirect (`status = merged`, `merged_into_id`), and earlier redirects to it now point at the
survivor, so a redirect is always one hop. Both rows are locked in id order, so concurrent merges of
overlapping pairs serialise instead of deadlocking.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from plaza_kit.auth import ensure_can_write
from plaza_kit.errors import NotFoundError, UnprocessableError
from plaza_kit.identity import Principal
from registry.companies import repository as companies
from registry.companies.derived import refresh_derived
from registry.companies.models import Company, CompanyStatus
from registry.duplicates import repository
from registry.errors import DuplicateIdentifierError, MergedCompanyError
from registry.history.recorder import record_change

_FILLABLE = (
    "name_ko", "name_ja", "name_en", "name_ja_kana", "name_latin", "region", "address", "website",
    "size_band", "founded_year", "description_ko", "description_ja", "description_en",
)  # fmt: skip


async def _lock_pair(
    session: AsyncSession, survivor_id: uuid.UUID, merged_id: uuid.UUID
) -> tuple[Company, Company | None]:
    found = await repository.lock_pair(session, survivor_id, merged_id)
    if survivor_id not in found:
        raise NotFoundError(f"no company with id {survivor_id}")
    return found[survivor_id], found.get(merged_id)


async def _ensure_identifiers_compatible(session: AsyncSession, survivor: Company, merged: Company) -> None:
    clash = await repository.identifier_clash(session, survivor.id, merged.id)
    if clash is not None:
        raise DuplicateIdentifierError(
            f"the two companies hold different {clash[0]} numbers ({clash[1]} and {clash[2]}); "
            "correct one of them before merging",
            extensions={"identifier": {"scheme": clash[0]}},
        )


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
    dropped = await repository.move_memberships(session, survivor.id, merged.id)
    await repository.move_owned_rows(session, survivor.id, merged.id)
    above = await companies.ancestors(session, survivor.id)
    repointed = await repository.repoint_companies(session, survivor, merged, above, now)
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
    result = await companies.get(session, survivor.id, for_update=True)
    assert result is not None
    return result
