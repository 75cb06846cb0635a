"""Wire shapes of leads from meetings: what a caller sends, and the parts of the meetings service's
answers this service reads (its contract, as far as leads need it; unknown fields are ignored)."""

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from investment.pipelines.stages import DealType
from plaza_contracts import InputModel


class LeadFromMeeting(InputModel):
    """Open a lead from a meeting's outcome: the event, the meeting, both companies and the estimated value
    come from the meetings service; the deal type follows the outcome's purpose unless given."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"meeting_id": "01995a1e-ec00-7000-8000-000000000001"}]}
    )

    meeting_id: uuid.UUID
    deal_type: DealType | None = Field(
        default=None,
        description="Default from the outcome's purpose: export_import → export, joint_development → "
        "joint_development, equity_investment → equity_investment, other → other.",
    )
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)] | None = (
        None
    )
    owner_person: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] | None
    ) = None
    next_follow_up_date: date | None = None


class _Upstream(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class MoneyShape(_Upstream):
    amount: str
    currency: str


class OutcomeShape(_Upstream):
    outcome: Literal["no_interest", "follow_up", "cooperation_possible"]
    purpose: str
    estimated_value: MoneyShape | None = None
    summary: str | None = None


class SideShape(_Upstream):
    company_id: uuid.UUID


class MeetingShape(_Upstream):
    """`GET /v1/meetings/{id}` of the meetings service, the fields a lead uses."""

    id: uuid.UUID
    event_id: uuid.UUID
    a: SideShape
    b: SideShape
    purpose: str
    outcome: OutcomeShape | None = None


class EventShape(_Upstream):
    """`GET /v1/events/{id}` of the meetings service, the fields a lead uses."""

    id: uuid.UUID
    organiser_ids: list[uuid.UUID] = Field(default_factory=list)
