"""The registry as the other services call it: companies and organisations resolved by id in batches.

    from plaza_kit.client_registry import RegistryDep

    @router.post(...)
    async def register(body: ..., registry: RegistryDep) -> ...:
        refs = await registry.company_refs(body.company_ids)
        if refs.unknown: raise UnprocessableError(...)
        company = refs.resolved()[body.company_id]    # the survivor when the id was merged

One call resolves up to 500 ids (more are sent in several); keep calls batched rather than one per id: see
`./plaza bench client` for what a call costs under concurrency.
"""

import uuid
from collections.abc import Iterable
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from plaza_contracts import (
    MAX_REF_LOOKUP_IDS,
    CompanyRef,
    CompanyRefLookup,
    OrganisationRef,
    OrganisationRefLookup,
    RefLookupRequest,
)
from plaza_kit.client import ServiceClient, UpstreamAnswerError, upstream

REGISTRY = "registry"
COMPANY_REFS_PATH = "/v1/companies/refs"
ORGANISATION_REFS_PATH = "/v1/organisations/refs"

LookupT = TypeVar("LookupT", CompanyRefLookup, OrganisationRefLookup)


class RegistryClient:
    """Typed calls to the registry over the app's `ServiceClient` of it."""

    def __init__(self, http: ServiceClient) -> None:
        self.http = http

    async def company_refs(self, ids: Iterable[uuid.UUID]) -> CompanyRefLookup:
        """Companies (any kind of body) by id: found, merged → survivor, unknown."""
        return await self._lookup(COMPANY_REFS_PATH, CompanyRefLookup, ids)

    async def organisation_refs(self, ids: Iterable[uuid.UUID]) -> OrganisationRefLookup:
        """Partner organisations by id; an id of a body that is not an organisation is unknown."""
        return await self._lookup(ORGANISATION_REFS_PATH, OrganisationRefLookup, ids)

    async def company_ref(self, company_id: uuid.UUID) -> CompanyRef | None:
        """One company (the survivor when it was merged), or None when the registry does not know it."""
        return (await self.company_refs([company_id])).resolve(company_id)

    async def organisation_ref(self, organisation_id: uuid.UUID) -> OrganisationRef | None:
        """One organisation, or None."""
        return (await self.organisation_refs([organisation_id])).resolve(organisation_id)

    async def _lookup(self, path: str, model: type[LookupT], ids: Iterable[uuid.UUID]) -> LookupT:
        asked = list(dict.fromkeys(ids))
        answers: list[LookupT] = []
        for start in range(0, len(asked), MAX_REF_LOOKUP_IDS):
            body = RefLookupRequest(ids=asked[start : start + MAX_REF_LOOKUP_IDS])
            # A lookup changes nothing, so it may be sent again when the connection failed.
            answer = await self.http.fetch(
                "POST", path, model, json=body, idempotent=True, not_found=lambda: self._missing(path)
            )
            answers.append(answer)
        return _combined(model, answers)

    def _missing(self, path: str) -> UpstreamAnswerError:
        # The lookup route itself is missing: an older registry or a wrong URL, not an unknown id.
        return UpstreamAnswerError(
            f"the registry at {self.http.base_url} does not serve {path}", extensions={"dependency": REGISTRY}
        )


def _combined(model: type[LookupT], answers: list[LookupT]) -> LookupT:
    if not answers:
        return model(items=[])
    if len(answers) == 1:
        return answers[0]
    items = {item.id: item for answer in answers for item in answer.items}
    merged = {entry.id: entry for answer in answers for entry in answer.merged}
    unknown = [company_id for answer in answers for company_id in answer.unknown]
    return model(
        items=sorted(items.values(), key=lambda item: item.id),
        merged=sorted(merged.values(), key=lambda entry: entry.id),
        unknown=unknown,
    )


def registry_client(request: Request) -> RegistryClient:
    """The app's registry client (the app must declare `upstreams=("registry",)`)."""
    return RegistryClient(upstream(REGISTRY)(request))


RegistryDep = Annotated[RegistryClient, Depends(registry_client)]
