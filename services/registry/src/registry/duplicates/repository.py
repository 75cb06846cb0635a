"""Queries of duplicate control and merges; no commits here (the request boundary commits)."""

import uuid
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Uuid, and_, case, delete, exists, literal, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from registry.companies.models import Company, CompanyIdentifier, CompanyProduct, CompanySector
from registry.contacts.models import Contact
from registry.duplicates.models import DistinctPair, DuplicateCandidate
from registry.organisations.models import Membership

Pair = tuple[uuid.UUID, uuid.UUID]

_SHARED_KEYS = text(
    "SELECT key, array_agg(id ORDER BY id) AS ids "
    "FROM registry.company, unnest(name_keys) AS key "
    "WHERE status = 'active' GROUP BY key HAVING count(*) > 1"
)
_SIMILAR = text(
    "SELECT d.low_id, d.high_id, d.similarity FROM registry.duplicate_candidate d "
    "JOIN registry.company a ON a.id = d.low_id AND a.status = 'active' "
    "JOIN registry.company b ON b.id = d.high_id AND b.status = 'active'"
)


# --- likely pairs ---------------------------------------------------------------------------------------


async def distinct_pairs(session: AsyncSession) -> set[Pair]:
    """Every pair confirmed to be two different organisations, (lower id, higher id)."""
    return {
        (row[0], row[1]) for row in await session.execute(select(DistinctPair.low_id, DistinctPair.high_id))
    }


async def shared_keys(session: AsyncSession) -> list[tuple[str, list[uuid.UUID]]]:
    """Each duplicate key held by more than one active company, with their ids in order."""
    return [(key, list(ids)) for key, ids in await session.execute(_SHARED_KEYS)]


async def similar_pairs(session: AsyncSession) -> list[tuple[uuid.UUID, uuid.UUID, float]]:
    """Queued similar-name pairs whose companies are both still active."""
    return [(low, high, float(similarity)) for low, high, similarity in await session.execute(_SIMILAR)]


async def companies_by_id(session: AsyncSession, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Company]:
    """The company rows among `ids` (without details)."""
    if not ids:
        return {}
    return {
        company.id: company for company in await session.scalars(select(Company).where(Company.id.in_(ids)))
    }


async def remember_distinct(session: AsyncSession, pairs: Collection[Pair]) -> None:
    """Store (lower id, higher id) pairs as different organisations; known pairs stay as they are."""
    if pairs:
        rows = [{"low_id": low, "high_id": high} for low, high in pairs]
        await session.execute(insert(DistinctPair).values(rows).on_conflict_do_nothing())


async def queue_similar(session: AsyncSession, pairs: Mapping[Pair, float]) -> None:
    """Queue pairs with their similarity for review (a pair queued again gets the new similarity)."""
    if not pairs:
        return
    rows = [{"low_id": low, "high_id": high, "similarity": score} for (low, high), score in pairs.items()]
    statement = insert(DuplicateCandidate).values(rows)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["low_id", "high_id"], set_={"similarity": statement.excluded.similarity}
        )
    )


# --- identifiers ----------------------------------------------------------------------------------------


async def replace_identifiers(
    session: AsyncSession, company_id: uuid.UUID, schemes: Collection[str], wanted: Mapping[str, str]
) -> set[str]:
    """Remove the company's identifiers of `schemes`, then store `wanted` (scheme → value) with ON CONFLICT
    DO NOTHING, so a value another transaction registered first is detected without aborting this one.
    Returns the schemes stored."""
    await session.execute(
        delete(CompanyIdentifier).where(
            CompanyIdentifier.company_id == company_id, CompanyIdentifier.scheme.in_(list(schemes))
        )
    )
    if not wanted:
        return set()
    stored = await session.scalars(
        insert(CompanyIdentifier)
        .values([{"company_id": company_id, "scheme": s, "value": v} for s, v in sorted(wanted.items())])
        .on_conflict_do_nothing()
        .returning(CompanyIdentifier.scheme)
    )
    return set(stored)


async def reload_identifiers(session: AsyncSession, company: Company) -> None:
    """Load the company's identifiers again after they changed."""
    await session.refresh(company, ["identifier_rows"])


async def identifier_clash(
    session: AsyncSession, survivor_id: uuid.UUID, merged_id: uuid.UUID
) -> tuple[str, str, str] | None:
    """(scheme, survivor's value, merged's value) of a scheme both hold, if any."""
    theirs = aliased(CompanyIdentifier)
    row = (
        await session.execute(
            select(CompanyIdentifier.scheme, CompanyIdentifier.value, theirs.value)
            .join(theirs, and_(theirs.scheme == CompanyIdentifier.scheme, theirs.company_id == merged_id))
            .where(CompanyIdentifier.company_id == survivor_id)
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])


# --- merges ---------------------------------------------------------------------------------------------


async def lock_pair(
    session: AsyncSession, survivor_id: uuid.UUID, merged_id: uuid.UUID
) -> dict[uuid.UUID, Company]:
    """Both rows locked in id order (concurrent merges of overlapping pairs serialise, never deadlock)."""
    query = (
        select(Company)
        .where(Company.id.in_([survivor_id, merged_id]))
        .order_by(Company.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {company.id: company for company in await session.scalars(query)}


async def move_memberships(session: AsyncSession, survivor_id: uuid.UUID, merged_id: uuid.UUID) -> list[Any]:
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


async def move_owned_rows(session: AsyncSession, survivor_id: uuid.UUID, merged_id: uuid.UUID) -> None:
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
    pairs = {(min(survivor_id, other), max(survivor_id, other)) for other in others if other != survivor_id}
    await remember_distinct(session, pairs)


async def repoint_companies(
    session: AsyncSession,
    survivor: Company,
    merged: Company,
    above_survivor: Collection[uuid.UUID],
    now: datetime,
) -> dict[str, list[str]]:
    """Children of the duplicate move under the survivor (those above the survivor take the duplicate's
    place instead, so no cycle forms); redirects to the duplicate now point at the survivor. Each changed
    record gets a new version, so ETags held by clients go stale."""
    bump = {"version": Company.version + 1, "updated_at": now}
    lifted = await session.scalars(
        update(Company)
        .where(Company.parent_id == merged.id, Company.id.in_(list(above_survivor)))
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
