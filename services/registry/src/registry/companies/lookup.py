"""Batch lookup for the other services: many ids in one call, with unknown and merged ids reported."""

import uuid
from typing import Annotated

from fastapi import APIRouter
from pydantic import ConfigDict, Field

from plaza_contracts import ContractModel, InputModel
from plaza_kit.auth import requires
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope
from registry.companies import repository
from registry.companies.presenter import to_read
from registry.companies.schemas import CompanyRead

MAX_LOOKUP_IDS = 500
router = APIRouter(prefix="/v1/companies", tags=["companies"])


class LookupRequest(InputModel):
    """The ids to resolve."""

    ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_LOOKUP_IDS)

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"ids": ["01995a1e-ec00-7000-8000-0000000000ff"]}]}
    )


class MergedId(ContractModel):
    """An asked id that was merged, and the company it now resolves to."""

    id: uuid.UUID
    merged_into_id: uuid.UUID


class LookupResult(ContractModel):
    """Found companies (survivors of merged ids included), merged ids, and ids the registry does not know."""

    items: list[CompanyRead]
    merged: list[MergedId]
    unknown: list[uuid.UUID]


@router.post("/lookup", operation_id="companies_lookup", summary="Resolve many companies")
async def lookup(
    body: LookupRequest, session: SessionDep, _: Annotated[Principal, requires(Scope.REGISTRY_READ)]
) -> LookupResult:
    """Resolve up to 500 ids in one call (for the meetings and investment services and partner systems).
    A merged id is listed in `merged` and its survivor in `items`; ids never registered are in `unknown`."""
    asked = list(dict.fromkeys(body.ids))
    found = {company.id: company for company in await repository.get_many(session, asked)}
    merged = [MergedId(id=c.id, merged_into_id=c.merged_into_id) for c in found.values() if c.merged_into_id]
    survivors = {m.merged_into_id for m in merged} - found.keys()
    found.update({company.id: company for company in await repository.get_many(session, list(survivors))})
    items = [to_read(company) for company in found.values() if company.merged_into_id is None]
    return LookupResult(
        items=sorted(items, key=lambda item: item.id),
        merged=sorted(merged, key=lambda item: item.id),
        unknown=[company_id for company_id in asked if company_id not in found],
    )
