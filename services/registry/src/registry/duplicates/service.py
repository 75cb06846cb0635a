"""Likely duplicate pairs, and confirming that two companies are different organisations.

A pair is listed when both companies are active, it was not confirmed distinct, and either their names
normalise to the same key (records that predate the check, or loaded in bulk) or a create or rename found
them trigram-similar (`duplicate_candidate`).
"""

import uuid
from itertools import combinations

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from plaza_contracts import CursorCodec, Page
from plaza_kit.errors import UnprocessableError
from plaza_kit.identity import Principal
from plaza_kit.pagination import decode_cursor
from registry.companies.models import Company
from registry.companies.schemas import TextsRead
from registry.companies.service import get_writable
from registry.duplicates.models import DistinctPair
from registry.duplicates.schemas import CandidateRead, DuplicatePair
from registry.history.recorder import record_change

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
Pair = tuple[uuid.UUID, uuid.UUID]


async def _pairs(session: AsyncSession) -> list[tuple[uuid.UUID, uuid.UUID, str | None, float | None]]:
    """(first id, second id, shared key, similarity), each unordered pair once, in id order."""
    distinct = {
        (row[0], row[1]) for row in await session.execute(select(DistinctPair.low_id, DistinctPair.high_id))
    }
    found: dict[Pair, tuple[str | None, float | None]] = {}
    for key, ids in await session.execute(_SHARED_KEYS):
        for pair in combinations(sorted(ids), 2):
            found.setdefault(pair, (key, None))
    for low, high, similarity in await session.execute(_SIMILAR):
        found.setdefault((low, high), (None, float(similarity)))
    return sorted((low, high, *match) for (low, high), match in found.items() if (low, high) not in distinct)


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
    ids = {company_id for first, second, _, _ in page for company_id in (first, second)}
    companies = (
        {c.id: c for c in await session.scalars(select(Company).where(Company.id.in_(ids)))} if ids else {}
    )
    items = [
        DuplicatePair(
            first=_candidate(companies[first]),
            second=_candidate(companies[second]),
            matched_key=key,
            similarity=similarity,
        )
        for first, second, key, similarity in page
    ]
    next_cursor = (
        codec.encode([str(page[-1][0]), str(page[-1][1])], {"duplicates": True})
        if len(pairs) > limit
        else None
    )
    return Page[DuplicatePair](items=items, next_cursor=next_cursor)


async def confirm_distinct(
    session: AsyncSession, company_id: uuid.UUID, other_id: uuid.UUID, principal: Principal
) -> None:
    """Record that two companies are different organisations (the first one's owner decides)."""
    company = await get_writable(session, company_id, principal)
    if other_id == company.id or await session.get(Company, other_id) is None:
        raise UnprocessableError(f"other_id: no other company with id {other_id}")
    low, high = min(company.id, other_id), max(company.id, other_id)
    await session.execute(insert(DistinctPair).values(low_id=low, high_id=high).on_conflict_do_nothing())
    await record_change(
        session, company_id=company.id, action="confirmed_distinct", principal=principal,
        changes={"other_id": str(other_id)},
    )  # fmt: skip
