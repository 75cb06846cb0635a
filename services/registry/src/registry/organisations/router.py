"""HTTP routes of organisations and memberships: `/v1/organisations/...` and a company's memberships."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Response, status
from pydantic import ConfigDict, Field

from plaza_contracts import Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.db import SessionDep
from plaza_kit.errors import UnprocessableError
from plaza_kit.idempotency import Created, IdempotentCreateDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope
from registry.companies import service as companies
from registry.companies.filters import CompanyFilters
from registry.companies.models import ORGANISATION_KINDS, CompanyKind
from registry.companies.presenter import to_read as company_read
from registry.companies.schemas import CompanyCreate, CompanyRead
from registry.organisations import service
from registry.organisations.models import MembershipWithSides
from registry.organisations.presenter import to_read
from registry.organisations.schemas import MembershipCreate, MembershipRead

router = APIRouter(tags=["organisations"])


def _position(listed: MembershipWithSides) -> list[str]:
    return [str(listed.membership.id)]


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such organisation or membership"}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "Not the owner organisation"},
}


class OrganisationCreate(CompanyCreate):
    """A new partner organisation, consortium or association (a registry entry of an organisation kind)."""

    kind: CompanyKind = Field(default=CompanyKind.association, description="government_body or association.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "association",
                    "name": {"ja": "とうかい水素モビリティ協議会", "en": "Tokai Hydrogen Mobility Council"},
                    "country": "JP",
                    "region": "Aichi",
                }
            ]
        }
    )


@router.get("/v1/organisations", operation_id="organisations_list", summary="List organisations")
async def list_organisations(
    session: SessionDep,
    page: KeysetDep,
    _: Annotated[Principal, requires(Scope.REGISTRY_READ)],
    kind: CompanyKind | None = None,
) -> Page[CompanyRead]:
    """Partner organisations, consortia and associations (government bodies and associations)."""
    wanted = [kind] if kind is not None else list(ORGANISATION_KINDS)
    kinds = [k.value for k in wanted if k in ORGANISATION_KINDS]  # another kind lists nothing
    filters = CompanyFilters(kinds=tuple(kinds))
    return await companies.list_companies(
        session, codec=page.codec, filters=filters, query=None, cursor=page.cursor, limit=page.limit
    )


@router.post(
    "/v1/organisations",
    status_code=status.HTTP_201_CREATED,
    operation_id="organisations_create",
    summary="Register an organisation",
    response_model=CompanyRead,
    responses={409: {"description": "Duplicate identifier or name (see companies_create)"}},
)
async def create_organisation(
    body: OrganisationCreate,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.REGISTRY_WRITE)],
    idempotent: IdempotentCreateDep,
) -> Any:
    """Register a partner organisation, consortium or association; the caller's organisation owns it.
    Same checks as a company create; send an `Idempotency-Key` to make retries safe."""
    if body.kind not in ORGANISATION_KINDS:
        raise UnprocessableError("kind: an organisation is a government_body or an association")

    async def create() -> Created:
        read = company_read(await companies.create_company(session, body, principal))
        return Created(read.model_dump(mode="json"), f"/v1/companies/{read.id}")

    return await idempotent(principal, body, create)


@router.get(
    "/v1/organisations/{organisation_id}/members",
    operation_id="organisations_members_list",
    summary="List an organisation's members",
    responses=NOT_FOUND,
)
async def list_members(
    organisation_id: uuid.UUID,
    session: SessionDep,
    page: KeysetDep,
    _: Annotated[Principal, requires(Scope.REGISTRY_READ)],
) -> Page[MembershipRead]:
    """The members of a consortium or other organisation, with roles and join dates."""
    filters = {"organisation_id": str(organisation_id), "member_id": str(None)}
    after_id = page.after_id(filters)
    rows = await service.memberships(
        session, organisation_id=organisation_id, after_id=after_id, limit=page.fetch
    )
    return page.of(rows, filters, to_read, _position)


@router.post(
    "/v1/organisations/{organisation_id}/members",
    status_code=status.HTTP_201_CREATED,
    operation_id="organisations_members_add",
    summary="Add a member",
    responses={**WRITE_ERRORS, 409: {"description": "Already a member"}},
    openapi_extra=owner_only(),
)
async def add_member(
    organisation_id: uuid.UUID,
    body: MembershipCreate,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.REGISTRY_WRITE)],
) -> MembershipRead:
    """Make a registry company a member of this organisation (the organisation's owner or admins only)."""
    return to_read(await service.add_member(session, organisation_id, body, principal))


@router.delete(
    "/v1/organisations/{organisation_id}/members/{membership_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="organisations_members_remove",
    summary="Remove a member",
    responses=WRITE_ERRORS,
    openapi_extra=owner_only(),
)
async def remove_member(
    organisation_id: uuid.UUID,
    membership_id: uuid.UUID,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.REGISTRY_WRITE)],
) -> Response:
    """End a membership (the member's history keeps a record of it)."""
    await service.remove_member(session, organisation_id, membership_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/v1/companies/{company_id}/memberships",
    operation_id="companies_memberships",
    summary="List a company's memberships",
    responses={404: {"description": "No company with this id"}},
)
async def list_company_memberships(
    company_id: uuid.UUID,
    session: SessionDep,
    page: KeysetDep,
    _: Annotated[Principal, requires(Scope.REGISTRY_READ)],
) -> Page[MembershipRead]:
    """The organisations (consortia, associations) this company belongs to."""
    filters = {"organisation_id": str(None), "member_id": str(company_id)}
    rows = await service.memberships(
        session, member_id=company_id, after_id=page.after_id(filters), limit=page.fetch
    )
    return page.of(rows, filters, to_read, _position)
