"""The API shape of meeting requests."""

import uuid

from meetings.requests.models import Purpose, RequestView, effective_status
from meetings.requests.schemas import PartyRead, RequestRead
from meetings.texts import Texts


def _party(view: RequestView, company_id: uuid.UUID, people: list[uuid.UUID]) -> PartyRead:
    ko, ja, en, country = view.names.get(company_id, (None, None, None, ""))
    return PartyRead(
        company_id=company_id, name=Texts(ko=ko, ja=ja, en=en), country=country or None, people=people
    )


def to_read(view: RequestView) -> RequestRead:
    """A request with its effective status at the time of reading."""
    request = view.request
    return RequestRead(
        id=request.id,
        event_id=request.event_id,
        requester=_party(view, request.requester_company_id, list(request.requester_people)),
        requested=_party(view, request.requested_company_id, list(request.requested_people)),
        purpose=Purpose(request.purpose),
        message=request.message,
        priority=request.priority,
        proposed_slot_id=request.proposed_slot_id,
        status=effective_status(request, view.now),
        expires_at=request.expires_at,
        on_behalf=request.created_by_organisation_id != request.requester_company_id,
        answered_at=request.answered_at,
        answer_note=request.answer_note,
        meeting_id=view.meeting_id,
        version=request.version,
        created_at=request.created_at,
    )
