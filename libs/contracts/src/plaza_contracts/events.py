"""The envelope of domain events that services publish (CloudEvents 1.0 attribute names).

A consumer reads `type` and `data`; `subject` is the id of the record the event is about. Event types are
named `<service>.<entity>.<past-tense verb>` (e.g. `registry.company.created`) and only ever gain fields.
"""

from typing import Generic, Literal, TypeVar
from uuid import UUID

from pydantic import Field

from plaza_contracts.base import ContractModel
from plaza_contracts.ids import uuid7
from plaza_contracts.values import UtcDateTime

DataT = TypeVar("DataT")


class EventEnvelope(ContractModel, Generic[DataT]):
    """One domain event."""

    specversion: Literal["1.0"] = "1.0"
    id: UUID = Field(
        default_factory=uuid7, description="Unique id of this event; consumers deduplicate on it."
    )
    source: str = Field(description="The publishing service, e.g. `/registry`.", examples=["/registry"])
    type: str = Field(description="`<service>.<entity>.<verb>`.", examples=["registry.company.created"])
    subject: str | None = Field(default=None, description="Id of the record the event is about.")
    time: UtcDateTime = Field(description="When it happened.")
    request_id: str | None = Field(default=None, description="The request that caused it, for tracing.")
    data: DataT
