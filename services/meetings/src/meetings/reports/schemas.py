"""Wire shapes of the organisers' reports (each is also served as CSV, see `csv_export`)."""

import uuid
from decimal import Decimal
from typing import Literal

from pydantic import Field

from meetings.texts import LocalTime, Texts
from plaza_contracts import ContractModel, UtcDateTime

ReportFormat = Literal["json", "csv"]


class CompanyRequests(ContractModel):
    """Meeting requests of one company at the event."""

    company_id: uuid.UUID
    company_name: Texts = Field(description="As copied from the registry when its people registered.")
    country: str | None = Field(examples=["KR"])
    sent: int = Field(description="Requests the company sent.")
    received: int = Field(description="Requests the company received.")
    accepted_sent: int = Field(description="Requests it sent that were accepted.")
    accepted_received: int = Field(description="Requests it received and accepted.")
    declined: int = Field(description="Declined requests it sent or received.")
    withdrawn: int = Field(description="Withdrawn requests it sent or received.")
    pending: int = Field(description="Open requests it sent or received (not yet answered, not expired).")
    expired: int = Field(description="Requests it sent or received that expired unanswered.")


class RequestTotals(ContractModel):
    """The event's requests, each counted once."""

    requests: int
    accepted: int
    declined: int
    withdrawn: int
    pending: int
    expired: int


class RequestsReport(ContractModel):
    """Meeting requests per company."""

    event_id: uuid.UUID
    generated_at: UtcDateTime
    companies: list[CompanyRequests] = Field(description="Every company with a request, in name order.")
    totals: RequestTotals


class MeetingCounts(ContractModel):
    """Meetings by status."""

    scheduled: int = Field(description="Booked and not cancelled (upcoming, checked in, held or no-show).")
    upcoming: int = Field(description="Booked, not yet checked in.")
    checked_in: int
    held: int
    no_show: int
    cancelled: int


class CompanyMeetings(MeetingCounts):
    """Meetings of one company at the event."""

    company_id: uuid.UUID
    company_name: Texts = Field(description="As copied from the registry when its people registered.")
    country: str | None = Field(examples=["JP"])


class MeetingsReport(ContractModel):
    """Meetings per company."""

    event_id: uuid.UUID
    generated_at: UtcDateTime
    companies: list[CompanyMeetings] = Field(description="Every company with a meeting, in name order.")
    totals: MeetingCounts = Field(description="The event's meetings, each counted once.")


class SlotUse(ContractModel):
    """What one slot uses of the tables and interpreters."""

    slot_id: uuid.UUID
    starts_at: LocalTime
    ends_at: LocalTime
    meetings: int = Field(description="Live (not cancelled) meetings in the slot.")
    tables_in_use: int
    tables_total: int
    interpreters_in_use: int = Field(description="Interpreters booked for a meeting in the slot.")
    interpreters_unavailable: int = Field(
        description="Interpreters held otherwise in the slot: a break, a session, a pending request."
    )
    interpreters_total: int


class SlotUsageReport(ContractModel):
    """Table and interpreter use per slot of the grid."""

    event_id: uuid.UUID
    generated_at: UtcDateTime
    time_zone: str = Field(examples=["Asia/Tokyo"])
    slots: list[SlotUse] = Field(description="Every slot, in time order.")


class EstimatedValue(ContractModel):
    """A sum of estimated values in one currency (amounts are decimal strings)."""

    currency: str = Field(examples=["JPY"])
    amount: Decimal = Field(examples=["150000000"])


class OutcomeCounts(ContractModel):
    """Meetings per recorded outcome."""

    no_interest: int = 0
    follow_up: int = 0
    cooperation_possible: int = 0


class OutcomeSummary(ContractModel):
    """Recorded outcomes and the sums of their estimated values."""

    meetings: int = Field(default=0, description="Meetings with a recorded outcome.")
    outcomes: OutcomeCounts = Field(default_factory=OutcomeCounts)
    estimated_values: list[EstimatedValue] = Field(
        default_factory=list,
        description="Per currency, in currency order (outcomes without a value left out).",
    )


class PurposeOutcomes(OutcomeSummary):
    """Outcomes of the meetings of one purpose."""

    purpose: Literal["export_import", "joint_development", "equity_investment", "other"]


class OutcomesReport(ContractModel):
    """Outcomes of the meetings by purpose."""

    event_id: uuid.UUID
    generated_at: UtcDateTime
    purposes: list[PurposeOutcomes] = Field(description="Every purpose, in a fixed order.")
    totals: OutcomeSummary
