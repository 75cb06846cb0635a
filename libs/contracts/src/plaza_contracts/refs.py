"""References from one service's records to another service's: ids plus the few fields a consumer shows.

Services never join across schemas; a meeting or a lead stores the id and resolves it over HTTP when it
needs more. These are the shapes those calls return.
"""

from typing import Generic, TypeVar
from uuid import UUID

from pydantic import ConfigDict, Field

from plaza_contracts.base import ContractModel, InputModel
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


MAX_REF_LOOKUP_IDS = 500
"""Most ids one batch lookup resolves."""

RefT = TypeVar("RefT", CompanyRef, OrganisationRef)


class RefLookupRequest(InputModel):
    """Ids to resolve in one call (duplicates are answered once)."""

    ids: list[UUID] = Field(min_length=1, max_length=MAX_REF_LOOKUP_IDS)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"ids": ["01995a1e-ec00-7000-8000-000000000101", "01995a1e-ec00-7000-8000-0000000000ff"]}
            ]
        }
    )


class MergedRef(ContractModel):
    """An asked id that was merged into another record, which answers for it from now on."""

    id: UUID = Field(description="The id that was asked for.")
    merged_into_id: UUID = Field(description="The surviving record, listed in `items`.")


class RefLookup(ContractModel, Generic[RefT]):
    """The answer of a batch lookup, in which every asked id is answered exactly once.

    An id found as it is has its record in `items`; a merged id is in `merged` and its survivor in `items`
    (merges keep redirects one hop, so the survivor is never merged itself); an id the registry does not
    know, or that is not of the kind asked for, is in `unknown`. `resolved()` reads it the way a consumer
    wants it: asked id → the reference to show.
    """

    items: list[RefT] = Field(
        description="Found records, survivors of merged ids included, each once, by id."
    )
    merged: list[MergedRef] = Field(default_factory=list, description="Asked ids that were merged.")
    unknown: list[UUID] = Field(default_factory=list, description="Asked ids the registry does not know.")

    def resolved(self) -> dict[UUID, RefT]:
        """Asked id → the reference that answers for it (the survivor for a merged id)."""
        by_id = {item.id: item for item in self.items}
        found: dict[UUID, RefT] = dict(by_id)
        for merged in self.merged:
            survivor = by_id.get(merged.merged_into_id)
            if survivor is not None:
                found[merged.id] = survivor
        return found

    def resolve(self, asked_id: UUID) -> RefT | None:
        """The reference that answers for `asked_id`, or None when it is unknown."""
        return self.resolved().get(asked_id)


class CompanyRefLookup(RefLookup[CompanyRef]):
    """Companies (and other bodies) resolved by id."""


class OrganisationRefLookup(RefLookup[OrganisationRef]):
    """Partner organisations resolved by id."""
