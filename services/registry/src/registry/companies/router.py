"""HTTP routes of companies, under `/v1/companies`."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import JSONResponse

from plaza_contracts import CountryCode, Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.concurrency import IfMatchHeader, entity_tag
from plaza_kit.db import SessionDep
from plaza_kit.idempotency import IdempotencyKeyHeader, idempotent_create
from plaza_kit.identity import Principal
from plaza_kit.pagination import DEFAULT_LIMIT, CodecDep, CursorQuery, LimitQuery
from plaza_kit.scopes import Scope
from registry.companies import service
from registry.companies.fields import canonical_hs_code
from registry.companies.models import CompanyKind, CompanyStatus
from registry.companies.presenter import to_read
from registry.companies.repository import CompanyFilters
from registry.companies.schemas import CompanyCreate, CompanyRead, CompanyUpdate, MergedCompany
from registry.db import idempotency

router = APIRouter(prefix="/v1/companies", tags=["companies"])

ETAG_HEADER = {
    "ETag": {"description": 'The version of the record, e.g. `"3"`.', "schema": {"type": "string"}}
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No company with this id"}}
MERGED: dict[int | str, dict[str, Any]] = {
    308: {
        "model": MergedCompany,
        "description": "The company was merged into another; `Location` names the survivor.",
        "headers": {"Location": {"description": "The surviving company.", "schema": {"type": "string"}}},
    }
}
CREATE_ERRORS: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "An identifier is already registered (`existing_id`), or the name matches existing "
        "companies (`candidates`): confirm with `confirm_distinct_from`"
    },
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "Not the owner organisation"},
    409: {"description": "The company was merged into another, or an identifier is taken"},
    412: {"description": "`If-Match` names an older version"},
}


def _with_etag(response: Response, read: CompanyRead) -> CompanyRead:
    response.headers["ETag"] = entity_tag(read.version)
    return read


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="companies_create",
    summary="Create a company",
    response_model=CompanyRead,
    responses={**CREATE_ERRORS, 201: {"headers": ETAG_HEADER, "description": "Created"}},
)
async def create_company(
    body: CompanyCreate,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.REGISTRY_WRITE)],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Any:
    """Register a company or other body with its names in Korean, Japanese and/or English.

    Identifiers are checked (check digits) and must be new to the registry; a name that normalises to an
    existing company's (legal-form affixes such as 株式会社, ㈜ or Co., Ltd. ignored) is refused with the
    candidates unless you confirm them in `confirm_distinct_from`. The caller's organisation becomes the
    record's owner. Send an `Idempotency-Key` to make retries safe.
    """

    async def create() -> tuple[Any, str]:
        read = to_read(await service.create_company(session, body, principal))
        return read.model_dump(mode="json"), f"/v1/companies/{read.id}"

    return await idempotent_create(
        idempotency,
        session,
        principal=principal.subject,
        key=idempotency_key,
        path="/v1/companies",
        body=body.model_dump(mode="json"),
        create=create,
    )


@router.get("", operation_id="companies_list", summary="List and search companies")
async def list_companies(
    session: SessionDep,
    codec: CodecDep,
    _: Annotated[Principal, requires(Scope.REGISTRY_READ)],
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Search any name, kana reading or romanisation, in any script (1–2 character Korean "
            "or Japanese queries included); results come most relevant first.",
            examples=["에코프로"],
        ),
    ] = None,
    country: Annotated[CountryCode | None, Query(description="Only companies of this country.")] = None,
    kind: Annotated[CompanyKind | None, Query(description="Only bodies of this kind.")] = None,
    sector: Annotated[
        str | None, Query(max_length=40, description="Only companies in this sector (code).")
    ] = None,
    hs_code: Annotated[
        str | None,
        Query(
            pattern=r"^[0-9]{4}(\.?[0-9]{2}){0,3}$",
            description="Only companies with a product under this HS code (prefix, e.g. 8507 or 8507.60).",
        ),
    ] = None,
    member_of: Annotated[uuid.UUID | None, Query(description="Only members of this organisation.")] = None,
    status_: Annotated[
        CompanyStatus, Query(alias="status", description="Record status.")
    ] = CompanyStatus.active,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[CompanyRead]:
    """Companies a page at a time: in registration order, or by relevance with `q`; follow `next_cursor`."""
    filters = CompanyFilters(
        status=status_.value,
        country=country,
        kind=kind.value if kind else None,
        sector=sector,
        hs_code=canonical_hs_code(hs_code) if hs_code else None,
        member_of=member_of,
    )
    return await service.list_companies(
        session, codec=codec, filters=filters, query=q, cursor=cursor, limit=limit
    )


@router.get(
    "/{company_id}",
    operation_id="companies_get",
    summary="Get a company",
    response_model=CompanyRead,
    responses={**NOT_FOUND, **MERGED, 200: {"headers": ETAG_HEADER, "description": "The company"}},
)
async def get_company(
    company_id: uuid.UUID,
    session: SessionDep,
    response: Response,
    _: Annotated[Principal, requires(Scope.REGISTRY_READ)],
) -> Any:
    """One company by id. A merged company answers 308 with `Location` naming the company it became."""
    company = await service.get_company(session, company_id)
    if company.merged_into_id is not None:
        body = MergedCompany(id=company.id, merged_into_id=company.merged_into_id)
        return JSONResponse(
            body.model_dump(mode="json"),
            status_code=status.HTTP_308_PERMANENT_REDIRECT,
            headers={"Location": f"/v1/companies/{company.merged_into_id}"},
        )
    return _with_etag(response, to_read(company))


@router.patch(
    "/{company_id}",
    operation_id="companies_update",
    summary="Update a company",
    responses={**WRITE_ERRORS, 200: {"headers": ETAG_HEADER, "description": "The updated company"}},
    openapi_extra=owner_only(),
)
async def update_company(
    company_id: uuid.UUID,
    body: CompanyUpdate,
    session: SessionDep,
    response: Response,
    principal: Annotated[Principal, requires(Scope.REGISTRY_WRITE)],
    if_match: IfMatchHeader = None,
) -> CompanyRead:
    """Change some fields of a company (JSON merge patch: absent fields stay, `null` removes a value,
    lists are replaced). Send the `ETag` you read as `If-Match`: a stale one is refused with 412.

    Only the owner organisation and admins may change a company (403 otherwise).
    """
    company = await service.update_company(session, company_id, body, principal, if_match=if_match)
    return _with_etag(response, to_read(company))
