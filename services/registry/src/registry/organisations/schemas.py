"""Wire shapes of organisations and memberships."""

import uuid
from datetime import date
from typing import Annotated, Self

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from plaza_contracts import CompanyRef, ContractModel, InputModel, UtcDateTime
from registry.demo import demo_id

Role = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class MembershipCreate(InputModel):
    """Make a registry company a member of this organisation."""

    member_id: uuid.UUID = Field(description="The member company's registry id.")
    role: Role = Field(default="member", description="e.g. member, board, secretariat, observer.")
    joined_on: date | None = None
    left_on: date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise ValueError("left_on is before joined_on")
        return self

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"member_id": str(demo_id("sk-on")), "role": "member", "joined_on": "2024-05-01"}]
        }
    )


class MembershipRead(ContractModel):
    """A membership, with both sides named."""

    id: uuid.UUID
    organisation: CompanyRef
    member: CompanyRef
    role: str
    joined_on: date | None
    left_on: date | None
    created_at: UtcDateTime
