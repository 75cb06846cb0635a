"""Duplicate control on create: the same identifier is refused; a name that normalises to an existing one is
refused unless the client confirms the candidates are different organisations.

Identifier uniqueness is a database constraint (this check only gives the friendlier answer); names are
checked under transaction-scoped advisory locks on their keys, so two concurrent creates of one name cannot
both pass.
"""

import uuid
from collections.abc import Collection, Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from registry.companies import repository
from registry.companies.models import Company
from registry.duplicates import repository as pairs
from registry.duplicates.presenter import candidate
from registry.errors import DuplicateIdentifierError, PossibleDuplicateError


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
    session: AsyncSession,
    keys: Sequence[str],
    confirmed_distinct: Collection[uuid.UUID],
    *,
    company_id: uuid.UUID | None = None,
) -> list[uuid.UUID]:
    """Refuse a name shared with unconfirmed candidates; returns the confirmed candidates' ids."""
    await repository.lock_keys(session, keys)
    excluded = [*confirmed_distinct, *([company_id] if company_id else [])]
    unconfirmed = await repository.name_candidates(session, keys, excluding=excluded)
    if unconfirmed:
        raise PossibleDuplicateError(
            "a company with the same normalised name is already registered; if yours is a different "
            "organisation, send their ids in confirm_distinct_from",
            extensions={
                "candidates": [candidate(company).model_dump(mode="json") for company in unconfirmed]
            },
        )
    return await repository.confirmed_among(session, keys, list(confirmed_distinct))


async def remember_distinct(
    session: AsyncSession, company_id: uuid.UUID, others: Sequence[uuid.UUID]
) -> None:
    """Record that `company_id` is a different organisation from each of `others`."""
    await pairs.remember_distinct(
        session, {(min(company_id, other), max(company_id, other)) for other in others}
    )


SIMILARITY_FLOOR = 0.6


async def record_similar(session: AsyncSession, company: Company) -> None:
    """Queue companies with similar (not identical) names for review as likely duplicates."""
    similar = await repository.similar_companies(
        session, company.id, company.search_document, floor=SIMILARITY_FLOOR
    )
    await pairs.queue_similar(
        session, {(min(company.id, other), max(company.id, other)): score for other, score in similar}
    )


async def store_identifiers(
    session: AsyncSession, company: Company, changes: Mapping[str, str | None]
) -> None:
    """Set (value) or remove (None) identifiers of a flushed company.

    Inserted with ON CONFLICT DO NOTHING, so a value another transaction registered first (the unique
    constraint waits for it to commit) is detected without aborting this transaction, and the 409 can
    still name the company that holds it.
    """
    if not changes:
        return
    wanted = {scheme: value for scheme, value in changes.items() if value is not None}
    stored = await pairs.replace_identifiers(session, company.id, list(changes), wanted)
    refused = {scheme: wanted[scheme] for scheme in set(wanted) - stored}
    await ensure_identifiers_free(session, refused, company_id=company.id)
    if refused:
        raise DuplicateIdentifierError(f"identifiers already registered: {sorted(refused)}")
    await pairs.reload_identifiers(session, company)
