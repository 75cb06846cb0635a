"""Wire shapes of leads, their transitions, history and valuation."""

import re
import uuid
from datetime import date
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from investment.fx.schemas import RateUsedRead
from investment.leads.models import Access
from investment.pipelines.stages import DealType, LeadStatus
from investment.values import MoneyRead
from plaza_contracts import NOT_NULL, ContractModel, InputModel, Money, UtcDateTime
from plaza_contracts.demo import DEMO_COMPANIES, DEMO_EVENT_ID

HS_CODE_PATTERN = r"^[0-9]{2}([0-9]{2}([.]?[0-9]{2}([0-9]{2}([0-9]{2})?)?)?)?$"


def _hs_compact(value: object) -> object:
    # "8507.60" is how people write a subheading; stored as "850760". Only what the documented pattern
    # allows is compacted ("0.5" stays invalid, as the document says).
    if isinstance(value, str) and re.fullmatch(HS_CODE_PATTERN, value):
        return value.replace(".", "")
    return value


def _hs_chapter(value: str) -> str:
    chapter = int(value[:2])
    if not 1 <= chapter <= 97 or chapter == 77:  # chapter 77 is reserved; 98 and 99 are national
        raise ValueError(f"{value!r}: HS chapters are 01 to 97 (77 is reserved)")
    return value


HsCode = Annotated[
    str,
    BeforeValidator(_hs_compact),
    StringConstraints(pattern=r"^([0-9]{2}){1,5}$"),
    AfterValidator(_hs_chapter),
    Field(
        description="Harmonized System code: chapter (2 digits), heading (4), subheading (6, e.g. 8507.60 or "
        "850760) or a national tariff line (8 or 10); stored without the dot.",
        examples=["850760"],
        json_schema_extra={"pattern": HS_CODE_PATTERN},
    ),
]
SectorCode = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$"),
    Field(description="A registry sector code (lower-case snake case).", examples=["battery_materials"]),
]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Probability = Annotated[int, Field(ge=0, le=100, description="Per cent.")]


class PlazaOrigin(InputModel):
    """The lead came out of a plaza: its event and, when known, the B2B meeting."""

    kind: Literal["plaza"]
    event_id: uuid.UUID = Field(description="Meetings id of the event.")
    meeting_id: uuid.UUID | None = Field(default=None, description="Meetings id of the B2B meeting.")


class OtherOrigin(InputModel):
    """The lead came from elsewhere (a referral, a trade fair, an inbound enquiry)."""

    kind: Literal["other"]
    source: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


Origin = (
    PlazaOrigin | OtherOrigin
)  # told apart by `kind` (a discriminator cannot follow InputModel's before-validator)


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _distinct_or_none(values: list[str] | None) -> list[str] | None:
    return None if values is None else _distinct(values)


_EXAMPLE: dict[str, Any] = {
    "deal_type": "export",
    "title": "양극재 공급 / 正極材の供給",
    "description": "High-nickel cathode material for a Japanese cell maker's 2026 line.",
    "korean_party_id": str(DEMO_COMPANIES["hanbit-materials"]),
    "japanese_party_id": str(DEMO_COMPANIES["mikawa-battery-materials"]),
    "origin": {"kind": "plaza", "event_id": str(DEMO_EVENT_ID)},
    "hs_codes": ["8507.60"],
    "sectors": ["battery_materials"],
    "estimated_value": {"amount": "1500000000", "currency": "KRW"},
    "expected_close_date": "2026-03-31",
    "owner_person": "Kim Minjun",
    "next_follow_up_date": "2025-10-01",
    "tags": ["cathode", "2026"],
}


class LeadCreate(InputModel):
    """A new lead; it starts open, at the first stage of its deal type's pipeline, owned by your
    organisation. The parties are registry companies (at least one of the two)."""

    deal_type: DealType
    title: Title = Field(description="In any language.")
    description: Description | None = None
    korean_party_id: uuid.UUID | None = Field(default=None, description="Registry id of the Korean party.")
    japanese_party_id: uuid.UUID | None = Field(
        default=None, description="Registry id of the Japanese party."
    )
    origin: Origin
    hs_codes: Annotated[list[HsCode], AfterValidator(_distinct)] = Field(default_factory=list, max_length=20)
    sectors: Annotated[list[SectorCode], AfterValidator(_distinct)] = Field(
        default_factory=list, max_length=20
    )
    estimated_value: Money | None = Field(default=None, description="Decimal amount and ISO 4217 currency.")
    probability: Probability | None = Field(
        default=None, description="Per cent; leave out to use the stage's default probability."
    )
    expected_close_date: date | None = None
    owner_person: PersonName | None = Field(default=None, description="Who follows the lead up.")
    next_follow_up_date: date | None = None
    tags: Annotated[list[Tag], AfterValidator(_distinct)] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _parties(self) -> Self:
        if self.korean_party_id is None and self.japanese_party_id is None:
            raise ValueError("a lead needs korean_party_id, japanese_party_id or both")
        if self.korean_party_id is not None and self.korean_party_id == self.japanese_party_id:
            raise ValueError("the Korean and the Japanese party must be different companies")
        if self.estimated_value is not None and self.estimated_value.amount < 0:
            raise ValueError("estimated_value cannot be negative")
        return self

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})


class LeadUpdate(InputModel):
    """A JSON merge patch of a lead (the deal type is fixed; stage and status move by transitions)."""

    title: Annotated[Title | None, NOT_NULL] = None
    description: Description | None = None
    korean_party_id: uuid.UUID | None = None
    japanese_party_id: uuid.UUID | None = None
    origin: Annotated[Origin | None, NOT_NULL] = None
    hs_codes: Annotated[list[HsCode] | None, NOT_NULL, AfterValidator(_distinct_or_none)] = Field(
        default=None, max_length=20
    )
    sectors: Annotated[list[SectorCode] | None, NOT_NULL, AfterValidator(_distinct_or_none)] = Field(
        default=None, max_length=20
    )
    estimated_value: Money | None = None
    probability: Probability | None = Field(default=None, description="null: back to the stage's default.")
    expected_close_date: date | None = None
    owner_person: PersonName | None = None
    next_follow_up_date: date | None = None
    tags: Annotated[list[Tag] | None, NOT_NULL, AfterValidator(_distinct_or_none)] = Field(
        default=None, max_length=20
    )

    @model_validator(mode="after")
    def _not_negative(self) -> Self:
        if self.estimated_value is not None and self.estimated_value.amount < 0:
            raise ValueError("estimated_value cannot be negative")
        return self

    model_config = ConfigDict(json_schema_extra={"examples": [{"probability": 35, "tags": ["cathode"]}]})


class TransitionCreate(InputModel):
    """Move a lead to another stage **or** another status (exactly one of the two).

    Entering the first signed stage needs `signing_date` and `signed_value`; `lost` needs `lost_reason`;
    `won` needs a signed stage and the `investment:win` scope. A move that is not allowed is a 422 listing
    the allowed ones."""

    stage: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    status: LeadStatus | None = None
    reason: Reason | None = Field(default=None, description="Why, for the history.")
    signing_date: date | None = None
    signed_value: Money | None = None
    lost_reason: Reason | None = None
    lost_to: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)] | None = (
        Field(default=None, description="Who won the deal instead (a competitor's name).")
    )

    @model_validator(mode="after")
    def _one_move(self) -> Self:
        if (self.stage is None) == (self.status is None):
            raise ValueError("send either stage or status")
        if self.signed_value is not None and self.signed_value.amount < 0:
            raise ValueError("signed_value cannot be negative")
        return self

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [{"required": ["stage"]}, {"required": ["status"]}],
            "examples": [{"stage": "contacted", "reason": "Met at the plaza; samples requested"}],
        }
    )


class PartyRead(ContractModel):
    """A party as the registry named it when the lead was written."""

    id: uuid.UUID
    name: dict[str, str] = Field(description="ko/ja/en names.", examples=[{"en": "Hanbit Materials"}])
    country: str


class OriginRead(ContractModel):
    """Where the lead came from."""

    kind: Literal["plaza", "other"]
    event_id: uuid.UUID | None
    meeting_id: uuid.UUID | None
    source: str | None


class SigningRead(ContractModel):
    """When the lead was signed and for how much (its rates of that date are frozen)."""

    date: date
    value: MoneyRead


class LeadRead(ContractModel):
    """A lead."""

    id: uuid.UUID
    deal_type: DealType
    pipeline: str
    stage: str
    status: LeadStatus
    allowed_stages: list[str] = Field(description="The stages the lead may move to next.")
    allowed_statuses: list[LeadStatus] = Field(description="The statuses it may move to next.")
    stage_entered_at: UtcDateTime
    title: str
    description: str | None
    korean_party: PartyRead | None
    japanese_party: PartyRead | None
    origin: OriginRead
    hs_codes: list[str]
    sectors: list[str]
    estimated_value: MoneyRead | None
    probability: int | None = Field(description="The lead's own probability (null: the stage's default).")
    effective_probability: int = Field(description="What the weighted value uses (100 won, 0 lost).")
    weighted_value: MoneyRead | None = Field(description="Value (signed, else estimated) × probability.")
    expected_close_date: date | None
    owner_organisation_id: uuid.UUID
    owner_person: str | None
    next_follow_up_date: date | None
    tags: list[str]
    signing: SigningRead | None
    lost_reason: str | None
    lost_to: str | None
    access: Literal["owner", "edit", "read"] = Field(description="What you may do with it.")
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime


class TransitionRead(ContractModel):
    """One entry of the append-only transition log."""

    id: uuid.UUID
    kind: Literal["created", "stage", "status"]
    from_value: str | None = Field(alias="from", serialization_alias="from")
    to_value: str = Field(alias="to", serialization_alias="to")
    at: UtcDateTime
    by: str = Field(description="The client that made the move.")
    by_organisation_id: uuid.UUID | None
    reason: str | None


class StageSpellRead(ContractModel):
    """A time the lead spent in a stage."""

    stage: str
    entered_at: UtcDateTime
    left_at: UtcDateTime | None = Field(description="null: the lead is still there.")
    seconds: int = Field(description="Time in the stage (until now while it is still there).")


class HistoryRead(ContractModel):
    """The transition log of a lead, oldest first, and the time it spent in each stage."""

    transitions: list[TransitionRead]
    time_in_stage: list[StageSpellRead]


class FiguresRead(ContractModel):
    """A lead's value and weighted value in a currency, at some rates."""

    value: MoneyRead
    weighted_value: MoneyRead
    rates: list[RateUsedRead]


class SigningFiguresRead(FiguresRead):
    """At the rates of the signing date, frozen when the lead was signed."""

    signing_date: date


class ValuationRead(ContractModel):
    """What a lead is worth in a currency: at the rates of a chosen date, and at its signing rates."""

    lead_id: uuid.UUID
    currency: str
    value: MoneyRead | None = Field(description="In the lead's own currency: signed value, else estimated.")
    probability: int
    on: date
    at_date: FiguresRead | None = Field(description="At the latest rates on or before `on`.")
    at_signing: SigningFiguresRead | None = Field(description="null until the lead is signed.")


ACCESS_NAMES: dict[Access, Literal["owner", "edit", "read"]] = {
    Access.OWNER: "owner",
    Access.EDIT: "edit",
    Access.READ: "read",
}
