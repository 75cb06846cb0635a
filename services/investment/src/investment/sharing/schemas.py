"""Wire shapes of shares."""

import uuid

from pydantic import ConfigDict, Field

from investment.leads.models import ShareAccess
from plaza_contracts import ContractModel, InputModel, UtcDateTime
from plaza_contracts.demo import DEMO_ORGANISATIONS


class ShareWrite(InputModel):
    """Share the lead with a partner organisation (sharing again changes the access)."""

    organisation_id: uuid.UUID = Field(description="Registry id of the partner organisation.")
    access: ShareAccess = Field(description="`read`: see it; `edit`: also change it and move it on.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"organisation_id": str(DEMO_ORGANISATIONS["consulate-nagoya"]), "access": "read"}]
        }
    )


class ShareRead(ContractModel):
    """An organisation the lead is shared with."""

    organisation_id: uuid.UUID
    access: ShareAccess
    granted_at: UtcDateTime
    granted_by: str = Field(description="The client that shared it.")


class ShareList(ContractModel):
    """The organisations a lead is shared with (the owner is not listed)."""

    owner_organisation_id: uuid.UUID
    items: list[ShareRead]
