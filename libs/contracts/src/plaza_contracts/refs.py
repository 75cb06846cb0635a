"""References from one service's records to another service's: ids plus the few fields a consumer shows.

Services never join across schemas; a meeting or a lead stores the id and resolves it over HTTP when it
needs more. These are the shapes those calls return.
"""

from uuid import UUID

from pydantic import Field

from plaza_contracts.base import ContractModel
from plaza_contracts.values import CountryCode, LocalizedText


class CompanyRef(ContractModel):
    """A company (or university, institute, other body) in the registry."""

    id: UUID = Field(description="Registry id of the company.")
    name: LocalizedText
    country: CountryCode


class OrganisationRef(ContractModel):
    """A partner organisation (KOTRA, a consulate, a consortium) in the registry."""

    id: UUID = Field(description="Registry id of the organisation.")
    name: LocalizedText


class EventRef(ContractModel):
    """An event (a plaza) in the meetings service."""

    id: UUID = Field(description="Meetings id of the event.")
    title: LocalizedText


class MeetingRef(ContractModel):
    """A B2B one-to-one meeting in the meetings service."""

    id: UUID = Field(description="Meetings id of the meeting.")
    event_id: UUID
