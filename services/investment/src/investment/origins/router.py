"""HTTP route of leads from meetings: `POST /v1/leads/from-meeting`."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response, status

from investment.leads import presenter
from investment.leads.schemas import LeadRead
from investment.origins import service
from investment.origins.schemas import LeadFromMeeting
from plaza_kit.auth import requires
from plaza_kit.client import ServiceClient, upstream
from plaza_kit.client_registry import RegistryDep
from plaza_kit.concurrency import entity_tag
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/leads", tags=["leads"])
MeetingsDep = Annotated[ServiceClient, Depends(upstream("meetings"))]


@router.post(
    "/from-meeting",
    status_code=status.HTTP_201_CREATED,
    operation_id="leads_from_meeting",
    summary="Open a lead from a meeting's outcome",
    response_model=LeadRead,
    responses={
        200: {"description": "A lead was opened from this meeting before: that lead", "model": LeadRead},
        409: {"description": "Another organisation opened a lead from this meeting"},
        422: {"description": "No such meeting of yours, or its outcome opens no lead"},
        503: {"description": "The meetings service or the registry is unavailable; nothing was written"},
    },
)
async def lead_from_meeting(
    body: LeadFromMeeting,
    session: SessionDep,
    registry: RegistryDep,
    meetings: MeetingsDep,
    principal: Annotated[Principal, requires(Scope.INVESTMENT_WRITE)],
    response: Response,
) -> Any:
    """A meeting outcome (follow-up, or cooperation possible) becomes a lead owned by your organisation:
    the event, the meeting, both companies (as the Korean and the Japanese party, by country) and the
    estimated value come from the meetings service. One meeting makes one lead, also under concurrent
    retries: asking again answers 200 with the lead opened before."""
    view, created = await service.lead_from_meeting(session, registry, meetings, body, principal)
    if not created:
        response.status_code = status.HTTP_200_OK
    read = presenter.to_read(view)
    response.headers["ETag"] = entity_tag(read.version)
    response.headers["Location"] = f"/v1/leads/{read.id}"
    return read
