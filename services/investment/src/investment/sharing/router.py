"""HTTP routes of sharing: `/v1/leads/{lead_id}/shares` (owner-only changes; others get 404)."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Response, status

from investment.sharing import presenter, service
from investment.sharing.schemas import ShareList, ShareRead, ShareWrite
from plaza_kit.auth import owner_only, requires
from plaza_kit.client_registry import RegistryDep
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/leads/{lead_id}/shares", tags=["sharing"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such lead (or one not shared with your organisation)"}
}
OWNER_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "Only the lead's owner organisation shares and revokes"},
}


@router.get(
    "",
    operation_id="leads_shares_list",
    summary="List a lead's shares",
    responses=NOT_FOUND,
    openapi_extra=owner_only(),
)
async def list_shares(
    lead_id: uuid.UUID, session: SessionDep, principal: Annotated[Principal, requires(Scope.INVESTMENT_READ)]
) -> ShareList:
    """The organisations the lead is shared with, and how."""
    lead, shares = await service.shares(session, lead_id, principal)
    return presenter.share_list(lead, shares)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="leads_shares_put",
    summary="Share a lead with an organisation",
    response_model=ShareRead,
    responses={
        **OWNER_ERRORS,
        200: {"description": "The share existed; its access is now the one sent", "model": ShareRead},
        422: {"description": "An organisation the registry does not know, or the owner itself"},
        503: {"description": "The registry is unavailable; nothing was written"},
    },
    openapi_extra=owner_only(),
)
async def share(
    lead_id: uuid.UUID,
    body: ShareWrite,
    session: SessionDep,
    registry: RegistryDep,
    response: Response,
    principal: Annotated[Principal, requires(Scope.INVESTMENT_WRITE)],
) -> Any:
    """Share the lead with a partner organisation for reading or editing (201; 200 when it changed the
    access of an existing share)."""
    made, created = await service.share(session, registry, lead_id, body, principal)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/v1/leads/{lead_id}/shares/{made.organisation_id}"
    return presenter.to_read(made)


@router.delete(
    "/{organisation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="leads_shares_revoke",
    summary="Stop sharing a lead with an organisation",
    responses=OWNER_ERRORS,
    openapi_extra=owner_only(),
)
async def revoke(
    lead_id: uuid.UUID,
    organisation_id: uuid.UUID,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.INVESTMENT_WRITE)],
) -> Response:
    """Revoke a share: the organisation no longer sees the lead (404 from now on)."""
    await service.revoke(session, lead_id, organisation_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
