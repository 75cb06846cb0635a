"""Queries on the company tables; no commits here (the request boundary commits)."""

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Float,
    Select,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from registry.companies.models import Company, CompanyIdentifier, CompanyProduct, CompanySector
from registry.organisations.models import Membership

WITH_DETAILS = (
    selectinload(Company.identifier_rows),
    selectinload(Company.sector_rows),
    selectinload(Company.product_rows),
)


async def get(session: AsyncSession, company_id: uuid.UUID, *, for_update: bool = False) -> Company | None:
    """The company with this id and its identifiers, sectors and products, if any."""
    query = select(Company).where(Company.id == company_id).options(*WITH_DETAILS)
    if for_update:
        query = query.with_for_update(of=Company).execution_options(populate_existing=True)
    return (await session.scalars(query)).first()


async def get_many(session: AsyncSession, ids: Sequence[uuid.UUID]) -> Sequence[Company]:
    """The companies among `ids` that exist, with their details."""
    if not ids:
        return []
    query = select(Company).where(Company.id.in_(ids)).options(*WITH_DETAILS)
    return (await session.scalars(query)).all()


@dataclass(frozen=True)
class CompanyFilters:
    """Filters of the companies collection."""

    status: str = "active"
    country: str | None = None
    kind: str | None = None
    sector: str | None = None
    hs_code: str | None = None
    member_of: uuid.UUID | None = None
    kinds: tuple[str, ...] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The filters as the cursor fingerprint sees them."""
        return {
            key: value if value is None or isinstance(value, tuple) else str(value)
            for key, value in self.__dict__.items()
        }


def _filtered(query: Select[Any], filters: CompanyFilters) -> Select[Any]:
    query = query.where(Company.status == filters.status)
    if filters.country is not None:
        query = query.where(Company.country == filters.country)
    if filters.kind is not None:
        query = query.where(Company.kind == filters.kind)
    if filters.kinds is not None:
        query = query.where(Company.kind.in_(filters.kinds))
    if filters.sector is not None:
        query = query.where(
            exists().where(
                CompanySector.company_id == Company.id, CompanySector.sector_code == filters.sector
            )
        )
    if filters.hs_code is not None:
        query = query.where(
            exists().where(
                CompanyProduct.company_id == Company.id,
                # A range, not LIKE 'prefix%': it uses the btree index under generic plans too (':' > '9').
                CompanyProduct.hs_code >= filters.hs_code,
                CompanyProduct.hs_code < filters.hs_code + ":",
            )
        )
    if filters.member_of is not None:
        query = query.where(
            exists().where(
                Membership.member_id == Company.id, Membership.organisation_id == filters.member_of
            )
        )
    return query


async def list_page(
    session: AsyncSession, *, filters: CompanyFilters, after_id: uuid.UUID | None, limit: int
) -> Sequence[Company]:
    """Up to `limit` companies after `after_id` in id (creation) order (keyset, never OFFSET)."""
    query = _filtered(select(Company), filters).order_by(Company.id).limit(limit).options(*WITH_DETAILS)
    if after_id is not None:
        query = query.where(Company.id > after_id)
    return (await session.scalars(query)).all()


@dataclass(frozen=True)
class SearchQuery:
    """A search: the folded text, its duplicate key, and grams when it is a 1–2 character query."""

    text: str
    key: str | None
    grams: list[str] | None


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _match_and_rank(search: SearchQuery) -> tuple[Any, Any]:
    """The WHERE condition and the relevance (higher first) of a search.

    Groups: an exact normalised name (3), a name containing the query (2), a similar name (1). Within the
    first two, shorter names come first; only the third group needs `word_similarity`, whose cost per
    matching row would otherwise dominate common queries at 100,000 companies.
    """
    exact = Company.name_keys.contains([search.key]) if search.key else literal(False)
    shortness = 1.0 / (1 + func.length(Company.search_document))
    if search.grams is not None:
        return Company.search_grams.contains(search.grams), case((exact, 3.0), else_=2.0) + shortness
    contains = Company.search_document.like(_like_pattern(search.text))
    similar = Company.search_document.bool_op("%>")(search.text)
    closeness = cast(func.word_similarity(search.text, Company.search_document), Float)
    rank = case((exact, 3.0 + shortness), (contains, 2.0 + shortness), else_=1.0 + closeness)
    return or_(contains, similar), rank


async def search_page(
    session: AsyncSession,
    *,
    search: SearchQuery,
    filters: CompanyFilters,
    after: tuple[float, uuid.UUID] | None,
    limit: int,
) -> Sequence[tuple[Company, float]]:
    """Up to `limit` (company, relevance) pairs, most relevant first, after the keyset position `after`.

    One query, no self-join: PostgreSQL 15/16 would otherwise plan a hash join over the whole table.
    """
    match, rank = _match_and_rank(search)
    query = (
        _filtered(select(Company, rank.label("rank")), filters)
        .where(match)
        .order_by(rank.desc(), Company.id)
        .limit(limit)
        .options(*WITH_DETAILS)
    )
    if after is not None:
        query = query.where(tuple_(-rank, Company.id) > tuple_(-after[0], after[1]))
    rows = (await session.execute(query)).all()
    return [(row[0], float(row[1])) for row in rows]


async def identifier_owners(session: AsyncSession, pairs: Sequence[tuple[str, str]]) -> dict[str, uuid.UUID]:
    """scheme → the company already holding the given value of that scheme."""
    if not pairs:
        return {}
    query = select(CompanyIdentifier.scheme, CompanyIdentifier.company_id).where(
        or_(*(and_(CompanyIdentifier.scheme == s, CompanyIdentifier.value == v) for s, v in pairs))
    )
    return {scheme: company_id for scheme, company_id in (await session.execute(query)).all()}


async def name_candidates(
    session: AsyncSession,
    keys: Sequence[str],
    *,
    excluding: Sequence[uuid.UUID] = (),
    limit: int = 20,
) -> Sequence[Company]:
    """Active companies sharing a duplicate key with `keys`, other than `excluding`."""
    if not keys:
        return []
    query = (
        select(Company)
        .where(Company.status == "active", Company.name_keys.overlap(list(keys)))
        .order_by(Company.id)
        .limit(limit)
    )
    if excluding:
        query = query.where(Company.id.not_in(list(excluding)))
    return (await session.scalars(query)).all()


async def similar_companies(
    session: AsyncSession, company_id: uuid.UUID, document: str, *, floor: float, limit: int = 10
) -> list[tuple[uuid.UUID, float]]:
    """Active companies whose search document is trigram-similar to `document` (at least `floor`)."""
    if not document:
        return []
    score = cast(func.similarity(Company.search_document, document), Float)
    query = (
        select(Company.id, score)
        .where(
            Company.status == "active",
            Company.id != company_id,
            Company.search_document.bool_op("%")(document),
            score >= floor,
        )
        .order_by(score.desc(), Company.id)
        .limit(limit)
    )
    return [(row[0], float(row[1])) for row in await session.execute(query)]


async def confirmed_among(
    session: AsyncSession, keys: Sequence[str], confirmed: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """The confirmed ids that really are name candidates (the pairs worth remembering as distinct)."""
    if not keys or not confirmed:
        return []
    query = select(Company.id).where(
        Company.id.in_(list(confirmed)), Company.status == "active", Company.name_keys.overlap(list(keys))
    )
    return list((await session.scalars(query)).all())


async def lock_keys(session: AsyncSession, keys: Collection[str]) -> None:
    """Serialise writers of the same names until the transaction ends (advisory locks), taken in one
    statement in a global order so that two transactions locking overlapping sets cannot deadlock."""
    if not keys:
        return
    await session.execute(
        text(
            "SELECT pg_advisory_xact_lock(hashtextextended('registry:' || key, 0)) "
            "FROM unnest(CAST(:keys AS text[])) AS key ORDER BY hashtextextended('registry:' || key, 0)"
        ),
        {"keys": sorted(set(keys))},
    )


async def ancestors(session: AsyncSession, company_id: uuid.UUID) -> set[uuid.UUID]:
    """Every body above `company_id` through `parent_id` (a recursive query; stops on cycles)."""
    query = text(
        "WITH RECURSIVE up(id) AS ("
        " SELECT parent_id FROM registry.company WHERE id = :id AND parent_id IS NOT NULL"
        " UNION SELECT c.parent_id FROM registry.company c JOIN up ON c.id = up.id"
        " WHERE c.parent_id IS NOT NULL"
        ") SELECT id FROM up"
    )
    return set((await session.scalars(query, {"id": company_id})).all())
