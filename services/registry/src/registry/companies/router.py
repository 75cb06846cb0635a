"""HTTP routes of companies, under `/v1/companies`."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from plaza_contracts import CountryCode, Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import DEFAULT_LIMIT, CodecDep, CursorQuery, LimitQuery
from plaza_kit.scopes import Scope
from registry.companies import service
from registry.companies.schemas import CompanyCreate, CompanyRead, CompanyUpdate

router = APIRouter(prefix="/v1/companies", tags=["companies"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No company with this id"}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "Not the owner organisation"},
}


@router.post(
    "", status_code=status.HTTP_201_CREATED, operation_id="companies_create", summary="Create a company"
)
async def create_company(
    body: CompanyCreate,
    session: SessionDep,
    response: Response,
    principal: Annotated[Principal, requires(Scope.REGISTRY_WRITE)],
) -> CompanyRead:
    """Register a company or other body with its names in Korean, Japanese and/or English.

    The caller's organisation becomes the record's owner: only it (and admins) may change it later.
    """
    company = await service.create_company(session, body, owner_organisation_id=principal.organisation_id)
    response.headers["Location"] = f"/v1/companies/{company.id}"
    return service.to_read(company)


@router.get("", operation_id="companies_list", summary="List companies")
async def list_companies(
    session: SessionDep,
    codec: CodecDep,
    _: Annotated[Principal, requires(Scope.REGISTRY_READ)],
    country: Annotated[CountryCode | None, Query(description="Only companies of this country.")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[CompanyRead]:
    """Companies in registration order, a page at a time; follow `next_cursor` for the next page."""
    return await service.list_companies(session, codec=codec, country=country, cursor=cursor, limit=limit)


@router.get("/{company_id}", operation_id="companies_get", summary="Get a company", responses=NOT_FOUND)
async def get_company(
    company_id: uuid.UUID, session: SessionDep, _: Annotated[Principal, requires(Scope.REGISTRY_READ)]
) -> CompanyRead:
    """One company by id."""
    return service.to_read(await service.get_company(session, company_id))


@router.patch(
    "/{company_id}",
    operation_id="companies_update",
    summary="Update a company",
    responses=WRITE_ERRORS,
    openapi_extra=owner_only(),
)
async def update_company(
    company_id: uuid.UUID,
    body: CompanyUpdate,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.REGISTRY_WRITE)],
) -> CompanyRead:
    """Change some fields of a company (JSON merge patch: absent fields stay, `null` removes a language).

    Only the owner organisation and admins may change a company (403 otherwise).
    """
    return service.to_read(await service.update_company(session, company_id, body, principal))
