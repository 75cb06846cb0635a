"""Wire shapes of calendar feeds."""

import uuid
from typing import Self

from pydantic import ConfigDict, Field, model_validator

from meetings.calendar.models import FeedKind
from meetings.texts import Language
from plaza_contracts import ContractModel, InputModel, UtcDateTime
from plaza_contracts.demo import DEMO_COMPANIES


class CalendarFeedCreate(InputModel):
    """A feed of one company's meetings at the event (`company_id`) or one person's (`registration_id`)."""

    company_id: uuid.UUID | None = Field(default=None, description="The company (registry id).")
    registration_id: uuid.UUID | None = Field(default=None, description="The person's registration.")
    language: Language | None = Field(
        default=None,
        description="Language of the feed's texts; default: the person's first language (for a company, "
        "its first registered person's), else English.",
    )

    @model_validator(mode="after")
    def _one_subject(self) -> Self:
        if (self.company_id is None) == (self.registration_id is None):
            raise ValueError("give exactly one of company_id and registration_id")
        return self

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"company_id": str(DEMO_COMPANIES["hanbit-materials"]), "language": "ko"}],
            # What `_one_subject` checks: exactly one of the two is given.
            "oneOf": [{"required": ["company_id"]}, {"required": ["registration_id"]}],
        }
    )


class CalendarFeedRead(ContractModel):
    """A calendar feed, without its secret URL (shown once, when the feed is created)."""

    id: uuid.UUID
    event_id: uuid.UUID
    kind: FeedKind
    company_id: uuid.UUID = Field(description="The company, or the person's company.")
    registration_id: uuid.UUID | None = Field(description="The person (for a person's feed).")
    language: str = Field(examples=["ko"])
    created_at: UtcDateTime


class CalendarFeedCreated(CalendarFeedRead):
    """A new feed and its secret URL: subscribe to it in a calendar app. It is shown only now (only a hash
    is stored); whoever has it can read the feed, so share it like a password and revoke it when leaked."""

    url: str = Field(examples=["https://api.plaza.example/v1/calendar/plzcal_9Yk3qV0mE1tQ.ics"])
