"""Wire shapes of duplicate listings and merges."""

import uuid
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from plaza_contracts import CompanyRef, ContractModel, InputModel


class DuplicatePair(ContractModel):
    """Two active companies that are probably the same organisation."""

    first: CompanyRef
    second: CompanyRef
    matched_key: str | None = Field(
        default=None, description="The normalised name both share (legal-form affixes stripped), if any."
    )
    similarity: float | None = Field(
        default=None, description="Trigram similarity (0–1) of their names, when they are similar, not equal."
    )


class DistinctRequest(InputModel):
    """Another company that is a different organisation from the one in the path."""

    other_id: uuid.UUID

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"other_id": "01995a1e-ec00-7000-8000-0000000000ff"}]}
    )


class MergeRequest(InputModel):
    """Merge `merged_id` into the company of the path, which survives."""

    merged_id: uuid.UUID = Field(description="The duplicate that is absorbed and then redirects.")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)] = Field(
        description="Why the two records are the same organisation (kept in the history)."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "merged_id": "01995a1e-ec00-7000-8000-0000000000ff",
                    "reason": "Same corporate number; registered twice by two partners.",
                }
            ]
        }
    )
