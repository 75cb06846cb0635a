"""Resolving many ids at once: the rules of the batch lookups (`/lookup`, `/refs`).

Each asked id is answered once, in one of three ways: found as it is; merged, and answered by its survivor
(merges keep redirects one hop, so the survivor is never merged itself); or unknown. The organisations
lookup also counts a body that is not an organisation as unknown.
"""

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from plaza_contracts import CompanyRefLookup, MergedRef, OrganisationRefLookup
from registry.companies import repository
from registry.companies.models import ORGANISATION_KINDS, Company
from registry.refs.presenter import company_ref, organisation_ref

logger = logging.getLogger("registry.refs")


@dataclass(frozen=True)
class Resolution:
    """What a batch of ids resolved to."""

    found: dict[uuid.UUID, Company]  # id → record, for asked ids found as they are and for survivors
    merged: list[MergedRef]  # asked ids that were merged, in id order
    unknown: list[uuid.UUID]  # in the order they were asked

    def records(self) -> list[Company]:
        """The found records (survivors included), each once, in id order."""
        return [self.found[record_id] for record_id in sorted(self.found)]


def _always(_: Company) -> bool:
    return True


async def resolve(
    session: AsyncSession,
    ids: Iterable[uuid.UUID],
    *,
    details: bool = False,
    accept: Callable[[Company], bool] = _always,
) -> Resolution:
    """Resolve `ids` in one query; `details` loads identifiers, sectors and products (for the full
    `CompanyRead`); a record `accept` refuses counts as unknown."""
    asked = list(dict.fromkeys(ids))
    rows = {row.id: row for row in await repository.get_many_with_survivors(session, asked, details=details)}
    found: dict[uuid.UUID, Company] = {}
    merged: list[MergedRef] = []
    unknown: list[uuid.UUID] = []
    for asked_id in asked:
        record = rows.get(asked_id)
        if record is not None and record.merged_into_id is not None:
            survivor = rows.get(record.merged_into_id)
            if survivor is None or survivor.merged_into_id is not None:
                logger.warning("a merge redirect of more than one hop", extra={"company_id": str(asked_id)})
                survivor = None
            if survivor is not None and accept(survivor):
                merged.append(MergedRef(id=asked_id, merged_into_id=survivor.id))
                found[survivor.id] = survivor
                continue
            record = None
        if record is None or not accept(record):
            unknown.append(asked_id)
            continue
        found[record.id] = record
    return Resolution(found=found, merged=sorted(merged, key=lambda entry: entry.id), unknown=unknown)


def is_organisation(company: Company) -> bool:
    """Whether a body is a partner organisation (a government body or an association)."""
    return company.kind in ORGANISATION_KINDS


async def company_refs(session: AsyncSession, ids: Iterable[uuid.UUID]) -> CompanyRefLookup:
    """`CompanyRef`s of any kind of body, by id."""
    resolution = await resolve(session, ids)
    return CompanyRefLookup(
        items=[company_ref(record) for record in resolution.records()],
        merged=resolution.merged,
        unknown=resolution.unknown,
    )


async def organisation_refs(session: AsyncSession, ids: Iterable[uuid.UUID]) -> OrganisationRefLookup:
    """`OrganisationRef`s, by id; other bodies are unknown here."""
    resolution = await resolve(session, ids, accept=is_organisation)
    return OrganisationRefLookup(
        items=[organisation_ref(record) for record in resolution.records()],
        merged=resolution.merged,
        unknown=resolution.unknown,
    )
