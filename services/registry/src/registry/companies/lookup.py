"""Batch lookup of full company records: many ids in one call, with unknown and merged ids reported.

The other services usually need only a reference (`POST /v1/companies/refs`, `registry.refs`); this
answers the whole `CompanyRead` of each.
"""

import uuid
from typing import Annotated

from fastapi import APIRouter
from pydantic import ConfigDict, Field

from plaza_contracts import MAX_REF_LOOKUP_IDS, ContractModel, InputModel, MergedRef
from plaza_kit.auth import requires
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope
from registry.companies.presenter import to_read
from registry.companies.schemas import CompanyRead
from registry.refs.service import resolve

MAX_LOOKUP_IDS = MAX_REF_LOOKUP_IDS
router = APIRouter(prefix="/v1/companies", tags=["companies"])


class LookupRequest(InputModel):
    """The ids to resolve."""

    ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_LOOKUP_IDS)

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"ids": ["01995a1e-ec00-7000-8000-0000000000ff"]}]}
    )


class LookupResult(ContractModel):
    """Found companies (survivors of merged ids included), merged ids, and ids the registry does not know."""

    items: list[CompanyRead]
    merged: list[MergedRef]
    unknown: list[uuid.UUID]


@router.post("/lookup", operation_id="companies_lookup", summary="Resolve many companies")
async def lookup(
    body: LookupRequest, session: SessionDep, _: Annotated[Principal, requires(Scope.REGISTRY_READ)]
) -> LookupResult:
    """Resolve up to 500 ids in one call, with every detail of each company (for references only, see
    `companies_refs`). A merged id is listed in `merged` and its survivor in `items`; ids never registered
    are in `unknown`."""
    resolution = await resolve(session, body.ids, details=True)
    return LookupResult(
        items=[to_read(company) for company in resolution.records()],
        merged=resolution.merged,
        unknown=resolution.unknown,
    )
