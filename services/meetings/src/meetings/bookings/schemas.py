"""Wire shapes of meetings."""

import uuid
from typing import Annotated, Any, Self

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from meetings.bookings.models import MeetingStatus, Outcome
from meetings.requests.models import Purpose
from meetings.texts import LocalTime, Texts
from plaza_contracts import ContractModel, InputModel, Money, UtcDateTime
from plaza_contracts.demo import DEMO_COMPANIES

Notes = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=8000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
People = Annotated[list[uuid.UUID], Field(max_length=10)]


class TableRef(ContractModel):
    """A table."""

    id: uuid.UUID
    name: str


class InterpreterRef(ContractModel):
    """An interpreter."""

    id: uuid.UUID
    name: str


class PlacementRead(ContractModel):
    """A slot with the table and interpreter a meeting gets there."""

    slot_id: uuid.UUID
    starts_at: LocalTime
    ends_at: LocalTime
    table: TableRef | None
    interpreter: InterpreterRef | None


_BOOK_EXAMPLE: dict[str, Any] = {
    "event_id": "01995a1e-ec00-7000-8000-000000000301",
    "company_a_id": str(DEMO_COMPANIES["chita-energy"]),
    "company_b_id": str(DEMO_COMPANIES["seon-chemical"]),
    "people_a": [],
    "people_b": [],
    "slot_id": "01995a1e-ec00-7000-8000-000000000401",
    "purpose": "export_import",
}


class MeetingBook(InputModel):
    """Book a meeting as an organiser: from an accepted or open request (`request_id`), or directly between
    two registered companies."""

    request_id: uuid.UUID | None = Field(default=None, description="Book this request (accepting it).")
    event_id: uuid.UUID | None = Field(default=None, description="Direct booking: the event.")
    company_a_id: uuid.UUID | None = None
    company_b_id: uuid.UUID | None = None
    people_a: People = Field(default_factory=list, description="Registrations for A (empty: A's people).")
    people_b: People = Field(default_factory=list, description="Registrations for B (empty: B's people).")
    purpose: Purpose = Purpose.OTHER
    priority: int = Field(default=3, ge=1, le=5)
    slot_id: uuid.UUID
    table_id: uuid.UUID | None = None
    interpreter_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _request_or_companies(self) -> Self:
        direct = (self.event_id, self.company_a_id, self.company_b_id)
        if self.request_id is None and None in direct:
            raise ValueError("give request_id, or event_id with company_a_id and company_b_id")
        if self.request_id is not None and any(value is not None for value in direct):
            raise ValueError("give request_id or the companies, not both")
        return self

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [_BOOK_EXAMPLE],
            # What `_request_or_companies` checks: a request, or an event with both companies.
            "oneOf": [
                {"required": ["request_id"]},
                {"required": ["event_id", "company_a_id", "company_b_id"]},
            ],
        }
    )


class MeetingMove(InputModel):
    """Move a meeting to another slot (and optionally a given table or interpreter)."""

    slot_id: uuid.UUID
    table_id: uuid.UUID | None = None
    interpreter_id: uuid.UUID | None = None

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"slot_id": "01995a1e-ec00-7000-8000-000000000402"}]}
    )


class MeetingCancel(InputModel):
    """Cancel a meeting."""

    reason: Reason | None = None

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "The buyer's flight was cancelled."}]}
    )


class FeedbackWrite(InputModel):
    """One side's rating and notes; organisers say for which company they write (`company_id`)."""

    company_id: uuid.UUID | None = Field(default=None, description="Organisers: the side written for.")
    rating: int | None = Field(default=None, ge=1, le=5)
    notes: Notes | None = None

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"rating": 5, "notes": "Samples to be sent in October."}]}
    )


class OutcomeWrite(InputModel):
    """What came of the meeting (the investment service opens leads from these)."""

    outcome: Outcome
    purpose: Purpose
    estimated_value: Money | None = None
    summary: Notes | None = None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "outcome": "cooperation_possible",
                    "purpose": "export_import",
                    "estimated_value": {"amount": "250000000", "currency": "JPY"},
                    "summary": "Trial order of separator film for the 2026 line.",
                }
            ]
        }
    )


class FeedbackRead(ContractModel):
    """One side's rating and notes (notes: that side and the organisers only)."""

    company_id: uuid.UUID
    rating: int | None
    notes: str | None
    updated_at: UtcDateTime


class MoneyRead(ContractModel):
    """An amount in a currency, as a decimal string."""

    amount: str
    currency: str


class OutcomeRead(ContractModel):
    """What came of a meeting."""

    outcome: Outcome
    purpose: Purpose
    estimated_value: MoneyRead | None
    summary: str | None
    recorded_at: UtcDateTime


class SideRead(ContractModel):
    """A company in a meeting, and its people there."""

    company_id: uuid.UUID
    name: Texts
    people: list[uuid.UUID]


class MeetingRead(ContractModel):
    """A B2B meeting; times in the event's zone. `sequence` is what calendars see as SEQUENCE."""

    id: uuid.UUID
    event_id: uuid.UUID
    request_id: uuid.UUID | None
    a: SideRead = Field(description="The requesting company.")
    b: SideRead = Field(description="The requested company.")
    slot_id: uuid.UUID
    starts_at: LocalTime
    ends_at: LocalTime
    table: TableRef | None
    interpreter: InterpreterRef | None
    purpose: Purpose
    priority: int
    status: MeetingStatus
    sequence: int
    locked: bool = Field(description="Locked meetings stay where they are when a schedule run re-plans.")
    cancel_reason: str | None
    feedback: list[FeedbackRead] = Field(description="The sides' feedback you may see.")
    outcome: OutcomeRead | None
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime
