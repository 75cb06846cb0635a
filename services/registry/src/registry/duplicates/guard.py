"""Duplicate control on create: the same identifier is refused; a name that normalises to an existing one is
refused unless the client confirms the candidates are different organisations.

Identifier uniqueness is a database constraint (this check only gives the friendlier answer); names are
checked under transaction-scoped advisory locks on their keys, so two concurrent creates of one name cannot
both pass.
"""

import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from registry.companies import repository
from registry.companies.models import Company
from registry.duplicates.models import DistinctPair
from registry.errors import DuplicateIdentifierError, PossibleDuplicateError


def candidate_body(company: Company) -> dict[str, Any]:
    """How a candidate is shown in a 409 or a duplicates listing."""
    return {
        "id": str(company.id),
        "name": {"ko": company.name_ko, "ja": company.name_ja, "en": company.name_en},
        "country": company.country,
    }


async def ensure_identifiers_free(
    session: AsyncSession, identifiers: Mapping[str, str], *, company_id: uuid.UUID | None = None
) -> None:
    """Refuse identifiers another company already holds."""
    owners = await repository.identifier_owners(session, list(identifiers.items()))
    for scheme, owner in sorted(owners.items()):
        if owner != company_id:
            raise DuplicateIdentifierError(
                f"{scheme} {identifiers[scheme]} is already registered to company {owner}",
                extensions={
                    "existing_id": str(owner),
                    "identifier": {"scheme": scheme, "value": identifiers[scheme]},
                },
            )


async def ensure_name_is_new(
    session: AsyncSession, keys: Sequence[str], confirmed_distinct: Collection[uuid.UUID]
) -> list[uuid.UUID]:
    """Refuse a name shared with unconfirmed candidates; returns the confirmed candidates' ids."""
    await repository.lock_keys(session, keys)
    candidates = await repository.name_candidates(session, keys)
    unconfirmed = [company for company in candidates if company.id not in confirmed_distinct]
    if unconfirmed:
        raise PossibleDuplicateError(
            "a company with the same normalised name is already registered; if yours is a different "
            "organisation, send their ids in confirm_distinct_from",
            extensions={"candidates": [candidate_body(company) for company in unconfirmed]},
        )
    return [company.id for company in candidates]


async def remember_distinct(
    session: AsyncSession, company_id: uuid.UUID, others: Sequence[uuid.UUID]
) -> None:
    """Record that `company_id` is a different organisation from each of `others`."""
    rows = [{"low_id": min(company_id, other), "high_id": max(company_id, other)} for other in others]
    if rows:
        await session.execute(insert(DistinctPair).values(rows).on_conflict_do_nothing())
