"""Likely duplicate pairs, and confirming that two companies are different organisations.

A pair is listed when both companies are active, it was not confirmed distinct, and either their names
normalise to the same key (records that predate the check, or loaded in bulk) or a create or rename found
them trigram-similar (`duplicate_candidate`).
"""

import uuid
from itertools import combinations

from sqlalchemy.ext.asyncio import AsyncSession

from plaza_kit.errors import UnprocessableError
from plaza_kit.identity import Principal
from registry.companies import repository as companies
from registry.companies.service import get_writable
from registry.duplicates import repository
from registry.duplicates.models import LikelyPair
from registry.duplicates.repository import Pair
from registry.history.recorder import record_change


async def _pairs(session: AsyncSession) -> list[tuple[uuid.UUID, uuid.UUID, str | None, float | None]]:
    """(first id, second id, shared key, similarity), each unordered pair once, in id order."""
    distinct = await repository.distinct_pairs(session)
    found: dict[Pair, tuple[str | None, float | None]] = {}
    for key, ids in await repository.shared_keys(session):
        for pair in combinations(sorted(ids), 2):
            found.setdefault(pair, (key, None))
    for low, high, similarity in await repository.similar_pairs(session):
        found.setdefault((low, high), (None, similarity))
    return sorted((low, high, *match) for (low, high), match in found.items() if (low, high) not in distinct)


async def likely_pairs(
    session: AsyncSession, *, after: tuple[str, str] | None, limit: int
) -> list[LikelyPair]:
    """Up to `limit` likely duplicate pairs after the pair `after` (its ids as text), ordered by their ids."""
    pairs = await _pairs(session)
    if after is not None:
        pairs = [pair for pair in pairs if (str(pair[0]), str(pair[1])) > after]
    page = pairs[:limit]
    companies = await repository.companies_by_id(
        session, {i for first, second, _, _ in page for i in (first, second)}
    )
    return [
        LikelyPair(companies[first], companies[second], key, similarity)
        for first, second, key, similarity in page
    ]


async def confirm_distinct(
    session: AsyncSession, company_id: uuid.UUID, other_id: uuid.UUID, principal: Principal
) -> None:
    """Record that two companies are different organisations (the first one's owner decides)."""
    company = await get_writable(session, company_id, principal)
    if other_id == company.id or not await companies.company_exists(session, other_id):
        raise UnprocessableError(f"other_id: no other company with id {other_id}")
    await repository.remember_distinct(session, {(min(company.id, other_id), max(company.id, other_id))})
    await record_change(
        session, company_id=company.id, action="confirmed_distinct", principal=principal,
        changes={"other_id": str(other_id)},
    )  # fmt: skip
