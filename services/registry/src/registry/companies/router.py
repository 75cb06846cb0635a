"""HTTP routes of companies, under `/v1/companies`."""

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse

from plaza_contracts import MAX_PAGE_LIMIT, CountryCode, Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.concurrency import IfMatchHeader, entity_tag
from plaza_kit.db import SessionDep
from plaza_kit.idempotency import Created, IdempotentCreateDep
from plaza_kit.identity import Principal
from plaza_kit.lean import LeanReadRoute, lean_answer
from plaza_kit.pagination import DEFAULT_LIMIT, CodecDep, CursorQuery, LimitQuery
from plaza_kit.paths import record_id
from plaza_kit.scopes import Scope
from registry.companies import service
from registry.companies.fields import canonical_hs_code
from registry.companies.filters import CompanyFilters
from registry.companies.models import CompanyKind, CompanyStatus
from registry.companies.presenter import body_bytes, merged, page_bytes, to_read
from registry.companies.schemas import CompanyCreate, CompanyRead, CompanyUpdate, MergedCompany

router = APIRouter(prefix="/v1/companies", tags=["companies"])


def _lean_get(path: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`@router.get(path, **options)` with `LeanReadRoute` as the route class."""

    def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(path, endpoint, methods=["GET"], route_class_override=LeanReadRoute, **options)
        return endpoint

    return register


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
    idempotent: IdempotentCreateDep,
) -> Any:
    """Register a company or other body with its names in Korean, Japanese and/or English.

    Identifiers are checked (check digits) and must be new to the registry; a name that normalises to an
    existing company's (legal-form affixes such as 株式会社, ㈜ or Co., Ltd. ignored) is refused with the
    candidates unless you confirm them in `confirm_distinct_from`. The caller's organisation becomes the
    record's owner. Send an `Idempotency-Key` to make retries safe.
    """

    async def create() -> Created:
        read = to_read(await service.create_company(session, body, principal))
        return Created(read.model_dump(mode="json"), f"/v1/companies/{read.id}")

    return await idempotent(principal, body, create)


JSON = "application/json"


async def _first_pages(request: Request) -> Response | None:
    """A page asked for with `limit` and `cursor` only, both plainly valid; None otherwise."""
    given = request.query_params
    if not given.keys() <= {"limit", "cursor"} or len(given.multi_items()) != len(given):
        return None
    raw_limit, cursor = given.get("limit"), given.get("cursor")
    if raw_limit is not None and not (raw_limit.isascii() and raw_limit.isdigit()):
        return None
    limit = DEFAULT_LIMIT if raw_limit is None else int(raw_limit)
    if not 1 <= limit <= MAX_PAGE_LIMIT or (cursor is not None and len(cursor) > 512):
        return None
    return await _page(request, CompanyFilters(), None, cursor, limit)


async def _page(
    request: Request, filters: CompanyFilters, q: str | None, cursor: str | None, limit: int
) -> Response:
    page = await service.company_page(
        request.app.state.read_pool,
        codec=request.app.state.cursor_codec,
        filters=filters,
        query=q,
        cursor=cursor,
        limit=limit,
    )
    return Response(page_bytes(page), media_type=JSON)


@_lean_get(
    "",
    operation_id="companies_list",
    summary="List and search companies",
    response_model=Page[CompanyRead],
)
@lean_answer(_first_pages)
async def list_companies(
    request: Request,
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
) -> Response:
    """Companies a page at a time: in registration order, or by relevance with `q`; follow `next_cursor`."""
    filters = CompanyFilters(
        status=status_.value,
        country=country,
        kind=kind.value if kind else None,
        sector=sector,
        hs_code=canonical_hs_code(hs_code) if hs_code else None,
        member_of=member_of,
    )
    return await _page(request, filters, q, cursor, limit)


@_lean_get(
    f"/{record_id('company_id')}",
    operation_id="companies_get",
    summary="Get a company",
    response_model=CompanyRead,
    responses={**NOT_FOUND, **MERGED, 200: {"headers": ETAG_HEADER, "description": "The company"}},
)
@lean_answer(lambda request: _canonical_id(request))
async def get_company(
    company_id: uuid.UUID,
    request: Request,
    _: Annotated[Principal, requires(Scope.REGISTRY_READ)],
) -> Response:
    """One company by id. A merged company answers 308 with `Location` naming the company it became."""
    return await _company(request, company_id)


async def _canonical_id(request: Request) -> Response | None:
    """A company asked for by its id in canonical form (lower-case, hyphenated); None otherwise."""
    raw = request.path_params["company_id"]
    try:
        company_id = uuid.UUID(raw)
    except ValueError:
        return None
    return await _company(request, company_id) if str(company_id) == raw else None


async def _company(request: Request, company_id: uuid.UUID) -> Response:
    found = await service.read_company(request.app.state.read_pool, company_id)
    if found.merged_into_id is not None:
        return JSONResponse(
            merged(found).model_dump(mode="json"),
            status_code=status.HTTP_308_PERMANENT_REDIRECT,
            headers={"Location": f"/v1/companies/{found.merged_into_id}"},
        )
    return Response(body_bytes(found), media_type=JSON, headers={"ETag": entity_tag(found.version)})


@router.patch(
    f"/{record_id('company_id')}",
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
