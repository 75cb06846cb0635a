"""Base classes for wire models.

Contracts read tolerantly and write strictly: models that describe what a service *returns* ignore unknown
fields (a provider may add one without breaking its consumers), while models that describe what a client
*sends* forbid them (a typo in a field name is an error, not a silently ignored value).
"""

from pydantic import BaseModel, ConfigDict


class ContractModel(BaseModel):
    """A shape a service returns or publishes; unknown fields are ignored when read."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class InputModel(BaseModel):
    """A shape a client sends; unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
