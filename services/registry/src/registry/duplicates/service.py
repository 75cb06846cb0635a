"""Listing likely duplicate pairs: active companies sharing a normalised name, not confirmed distinct."""

import uuid
from itertools import combinations

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from plaza_contracts import CursorCodec, Page
from plaza_kit.pagination import decode_cursor
from registry.companies.models import Company
from registry.companies.schemas import TextsRead
from registry.duplicates.models import DistinctPair
from registry.duplicates.schemas import CandidateRead, DuplicatePair

_SHARED_KEYS = text(
    "SELECT key, array_agg(id ORDER BY id) AS ids "
    "FROM registry.company, unnest(name_keys) AS key "
    "WHERE status = 'active' GROUP BY key HAVING count(*) > 1"
)


async def _pairs(session: AsyncSession) -> list[tuple[uuid.UUID, uuid.UUID, str]]:
    """(first id, second id, shared key), each unordered pair once, in id order."""
    distinct = {
        (row[0], row[1]) for row in await session.execute(select(DistinctPair.low_id, DistinctPair.high_id))
    }
    found: dict[tuple[uuid.UUID, uuid.UUID], str] = {}
    for key, ids in await session.execute(_SHARED_KEYS):
        for first, second in combinations(sorted(ids), 2):
            if (first, second) not in distinct:
                found.setdefault((first, second), key)
    return sorted((first, second, key) for (first, second), key in found.items())


def _candidate(company: Company) -> CandidateRead:
    return CandidateRead(
        id=company.id,
        name=TextsRead(ko=company.name_ko, ja=company.name_ja, en=company.name_en),
        country=company.country,
    )


async def list_duplicates(
    session: AsyncSession, *, codec: CursorCodec, cursor: str | None, limit: int
) -> Page[DuplicatePair]:
    """A page of likely duplicate pairs, ordered by the pair's ids."""
    position = decode_cursor(codec, cursor, {"duplicates": True})
    pairs = await _pairs(session)
    if position:
        after = (str(position[0]), str(position[1]) if len(position) > 1 else "")
        pairs = [pair for pair in pairs if (str(pair[0]), str(pair[1])) > after]
    page = pairs[:limit]
    ids = {company_id for first, second, _ in page for company_id in (first, second)}
    companies = (
        {c.id: c for c in await session.scalars(select(Company).where(Company.id.in_(ids)))} if ids else {}
    )
    items = [
        DuplicatePair(
            first=_candidate(companies[first]), second=_candidate(companies[second]), matched_key=key
        )
        for first, second, key in page
    ]
    next_cursor = (
        codec.encode([str(page[-1][0]), str(page[-1][1])], {"duplicates": True})
        if len(pairs) > limit
        else None
    )
    return Page[DuplicatePair](items=items, next_cursor=next_cursor)
