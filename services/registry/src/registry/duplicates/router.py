"""HTTP routes of duplicate control: likely pairs and merges."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Response, status

from plaza_contracts import Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.concurrency import entity_tag
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope
from registry.companies.presenter import to_read
from registry.companies.schemas import CompanyRead
from registry.duplicates import service
from registry.duplicates.merge import merge_companies
from registry.duplicates.presenter import pair_position, pair_read
from registry.duplicates.schemas import DistinctRequest, DuplicatePair, MergeRequest

router = APIRouter(prefix="/v1/companies", tags=["duplicates"])
_FILTERS = {"duplicates": True}

MERGE_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Not the owner organisation of both companies"},
    404: {"description": "No company with this id"},
    409: {"description": "One of them was already merged, or they hold different identifiers of one scheme"},
}


@router.get("/duplicates", operation_id="companies_duplicates", summary="List likely duplicates")
async def list_duplicates(
    session: SessionDep,
    page: KeysetDep,
    _: Annotated[Principal, requires(Scope.REGISTRY_READ)],
) -> Page[DuplicatePair]:
    """Pairs of active companies that are probably one organisation: names that normalise to the same key
    (NFKC, case, legal-form affixes such as 株式会社, ㈜ or Co., Ltd. ignored) or similar names found when
    one was created or renamed. Pairs confirmed to be different organisations are left out."""
    position = page.position(_FILTERS)
    after = (str(position[0]), str(position[1]) if len(position) > 1 else "") if position else None
    rows = await service.likely_pairs(session, after=after, limit=page.fetch)
    return page.of(rows, _FILTERS, pair_read, pair_position)


@router.post(
    "/{company_id}/merge",
    operation_id="companies_merge",
    summary="Merge a duplicate into this company",
    responses=MERGE_ERRORS,
    openapi_extra=owner_only(),
)
async def merge(
    company_id: uuid.UUID,
    body: MergeRequest,
    session: SessionDep,
    response: Response,
    principal: Annotated[Principal, requires(Scope.REGISTRY_WRITE)],
) -> CompanyRead:
    """Merge `merged_id` into this company: identifiers, contacts, memberships, sectors and products move
    here; the merged id then answers 308 pointing here. The history of both records says who merged what
    and why. You must own both records (or be an admin)."""
    read = to_read(await merge_companies(session, company_id, body.merged_id, body.reason, principal))
    response.headers["ETag"] = entity_tag(read.version)
    return read


@router.post(
    "/{company_id}/distinct",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="companies_confirm_distinct",
    summary="Confirm two companies are different",
    responses={403: MERGE_ERRORS[403], 404: MERGE_ERRORS[404]},
    openapi_extra=owner_only(),
)
async def confirm_distinct(
    company_id: uuid.UUID,
    body: DistinctRequest,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.REGISTRY_WRITE)],
) -> Response:
    """Dismiss a likely duplicate: the two are different organisations and stop being listed together."""
    await service.confirm_distinct(session, company_id, body.other_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
