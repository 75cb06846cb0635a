"""Wire shape of a company's change history."""

import uuid
from typing import Any

from pydantic import Field

from plaza_contracts import ContractModel, UtcDateTime


class CompanyChangeRead(ContractModel):
    """One recorded change: who made it, when, and what changed."""

    id: uuid.UUID
    company_id: uuid.UUID
    action: str = Field(
        description="created, updated, merged (this record absorbed another), merged_away (this record was "
        "merged into another), contact_added, contact_updated, contact_removed, imported.",
        examples=["updated"],
    )
    actor: str = Field(description="The client (or service) that made the change.")
    actor_organisation_id: uuid.UUID | None
    request_id: str | None = Field(description="The X-Request-ID of the request that made the change.")
    changes: dict[str, Any] = Field(
        description="field → [before, after] for updates; the whole record for creates; the other record "
        "and the reason for merges. Contact details are never recorded, only contact ids.",
    )
    occurred_at: UtcDateTime
