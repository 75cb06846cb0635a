"""Wire shapes of meeting requests."""

import uuid
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints

from meetings.bookings.schemas import PlacementRead
from meetings.requests.models import Purpose, RequestStatus
from meetings.texts import Texts
from plaza_contracts import ContractModel, InputModel, UtcDateTime
from plaza_contracts.demo import DEMO_COMPANIES

Message = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
People = Annotated[list[uuid.UUID], Field(max_length=10)]

_EXAMPLE: dict[str, Any] = {
    "requester_company_id": str(DEMO_COMPANIES["mikawa-battery-materials"]),
    "requested_company_id": str(DEMO_COMPANIES["hanbit-materials"]),
    "requester_people": ["01995a1e-ec00-7000-8000-000000000201"],
    "purpose": "joint_development",
    "message": "We would like to discuss high-nickel cathode materials for our next cell line.",
    "priority": 4,
}


class RequestCreate(InputModel):
    """A request from one company to meet another at the event, naming who attends for the requester."""

    requester_company_id: uuid.UUID
    requested_company_id: uuid.UUID
    requester_people: People = Field(min_length=1, description="Registrations attending for the requester.")
    requested_people: People = Field(
        default_factory=list, description="Registrations asked for on the other side (optional)."
    )
    purpose: Purpose
    message: Message | None = None
    priority: int = Field(default=3, ge=1, le=5, description="1 (low) to 5 (must meet).")
    proposed_slot_id: uuid.UUID | None = Field(
        default=None, description="A slot to hold while the request is open (the slot counts as busy)."
    )

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})


class RequestAccept(InputModel):
    """Accept a request; with a slot (or when the request holds one) the meeting is booked at once."""

    slot_id: uuid.UUID | None = Field(default=None, description="Book in this slot (see available-slots).")
    requested_people: People | None = Field(default=None, description="Who attends for the requested side.")
    table_id: uuid.UUID | None = Field(
        default=None, description="Organisers: this table rather than the best."
    )
    interpreter_id: uuid.UUID | None = Field(default=None, description="Organisers: this interpreter.")

    model_config = ConfigDict(json_schema_extra={"examples": [{}]})


class RequestAnswer(InputModel):
    """Decline or withdraw a request, with an optional note."""

    note: Note | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{"note": "Our agenda is full that day."}]})


class PartyRead(ContractModel):
    """One company of a request or a meeting, with the names it registered under."""

    company_id: uuid.UUID
    name: Texts
    country: str | None
    people: list[uuid.UUID]


class RequestRead(ContractModel):
    """A meeting request. `status` is `expired` as soon as `expires_at` passes, whatever was stored."""

    id: uuid.UUID
    event_id: uuid.UUID
    requester: PartyRead
    requested: PartyRead
    purpose: Purpose
    message: str | None
    priority: int
    proposed_slot_id: uuid.UUID | None
    status: RequestStatus
    expires_at: UtcDateTime | None
    on_behalf: bool = Field(description="Created by an organiser for the requester.")
    answered_at: UtcDateTime | None
    answer_note: str | None
    meeting_id: uuid.UUID | None = Field(description="The meeting booked from this request, if any.")
    version: int
    created_at: UtcDateTime


class AvailableSlots(ContractModel):
    """Slots where both sides' people, a table and (when needed) an interpreter are free."""

    needs_interpreter: bool
    items: list[PlacementRead]
