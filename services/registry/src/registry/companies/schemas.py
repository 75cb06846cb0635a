"""Wire shapes of the companies API: create, merge-patch, read, and the 308 answer for merged ids."""

import uuid
from typing import Annotated, Any, Self

from pydantic import (
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from plaza_contracts import NOT_NULL, ContractModel, CountryCode, InputModel, LocalizedText, UtcDateTime
from registry.companies.fields import (
    AddressText,
    FoundedYear,
    HsCode,
    JpCorporateNumber,
    KanaReading,
    KrBusinessRegistrationNumber,
    KrCorporateRegistrationNumber,
    LegalEntityIdentifier,
    LongText,
    RegionText,
    ShortText,
    Website,
)
from registry.companies.models import CompanyKind, CompanyStatus, SizeBand

SectorCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,39}$", examples=["cathode"])]


class Identifiers(InputModel):
    """Official identifiers; each is checked (length, check digit) and stored in canonical form."""

    jp_corporate_number: JpCorporateNumber | None = None
    kr_brn: KrBusinessRegistrationNumber | None = None
    kr_crn: KrCorporateRegistrationNumber | None = None
    lei: LegalEntityIdentifier | None = None


class LocalizedLongText(InputModel):
    """A longer text in Korean, Japanese and/or English; a `null` or absent language has no text."""

    ko: LongText | None = None
    ja: LongText | None = None
    en: LongText | None = None


class ProductIn(InputModel):
    """A product with its HS code."""

    name: LocalizedText
    hs_code: HsCode


class CompanyFields(InputModel):
    """Fields a client sets on a company, all optional (shared by create and patch)."""

    name_ja_kana: KanaReading | None = None
    name_latin: ShortText | None = Field(
        default=None, description="Romanised name (e.g. Hepburn or Revised Romanization).", examples=["Denso"]
    )
    region: RegionText | None = Field(
        default=None, description="Region, prefecture or province.", examples=["Aichi"]
    )
    address: AddressText | None = None
    website: Website | None = None
    size_band: SizeBand | None = Field(
        default=None,
        description="Headcount: micro 1–9, small 10–49, medium 50–249, large 250–999, very_large 1000+.",
    )
    founded_year: FoundedYear | None = None
    parent_id: uuid.UUID | None = Field(
        default=None, description="The body this one belongs to (e.g. a regional office of KOTRA)."
    )


_CREATE_EXAMPLE: dict[str, Any] = {
    "kind": "company",
    "name": {"ko": "한빛소재", "en": "Hanbit Materials"},
    "country": "KR",
    "region": "Chungcheongbuk-do",
    "sectors": ["cathode"],
    "products": [{"name": {"en": "NCM cathode active material"}, "hs_code": "2841.90"}],
}


class CompanyCreate(CompanyFields):
    """A new company or other body."""

    kind: CompanyKind = Field(default=CompanyKind.company, description="What kind of body this is.")
    name: LocalizedText = Field(description="Legal name in Korean, Japanese and/or English (at least one).")
    country: CountryCode
    description: LocalizedLongText | None = None
    identifiers: Identifiers = Field(default_factory=Identifiers)
    sectors: list[SectorCode] = Field(default_factory=list, max_length=30, description="Sector codes.")
    products: list[ProductIn] = Field(default_factory=list, max_length=100)
    confirm_distinct_from: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=50,
        description="Ids of existing companies with a similar name (the `candidates` of a 409) that you have "
        "checked and confirm are different organisations.",
    )

    model_config = ConfigDict(json_schema_extra={"examples": [_CREATE_EXAMPLE]})


class LocalizedTextPatch(InputModel):
    """Languages to change: a value sets it, `null` removes it, an absent key leaves it as it is."""

    ko: ShortText | None = None
    ja: ShortText | None = None
    en: ShortText | None = None


class LocalizedLongTextPatch(LocalizedLongText):
    """Languages to change in a longer text (same rules as names)."""


class IdentifiersPatch(Identifiers):
    """Identifiers to change: a value sets it, `null` removes it, an absent key leaves it."""


class CompanyUpdate(CompanyFields):
    """A JSON merge patch (RFC 7396) of a company: only the fields present change; lists are replaced."""

    kind: Annotated[CompanyKind | None, NOT_NULL] = None
    name: Annotated[LocalizedTextPatch | None, NOT_NULL] = None
    country: Annotated[CountryCode | None, NOT_NULL] = None
    status: Annotated[
        CompanyStatus | None,
        NOT_NULL,
        # `merged` is refused below: a company is merged by the merge operation.
        WithJsonSchema(
            {"type": "string", "enum": [CompanyStatus.active.value, CompanyStatus.archived.value]}
        ),
    ] = Field(default=None, description="`active` or `archived`.")
    description: LocalizedLongTextPatch | None = None
    identifiers: Annotated[IdentifiersPatch | None, NOT_NULL] = None
    sectors: Annotated[list[SectorCode] | None, NOT_NULL] = Field(default=None, max_length=30)
    products: Annotated[list[ProductIn] | None, NOT_NULL] = Field(default=None, max_length=100)
    confirm_distinct_from: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=50,
        description="When a new name matches other companies (409 `candidates`): their ids, confirmed to be "
        "different organisations.",
    )

    @model_validator(mode="after")
    def _not_merged_by_status(self) -> Self:
        if self.status is CompanyStatus.merged:
            raise ValueError("a company is merged with the merge operation, not by setting its status")
        return self

    model_config = ConfigDict(json_schema_extra={"examples": [{"name": {"ja": "ハンビット素材"}}]})


class TextsRead(ContractModel):
    """A text in up to three languages; `null` where a language has none."""

    ko: str | None = None
    ja: str | None = None
    en: str | None = None


class IdentifiersRead(ContractModel):
    """Identifiers in canonical form (digits only; LEI upper-case); `null` where none is recorded."""

    jp_corporate_number: str | None = None
    kr_brn: str | None = None
    kr_crn: str | None = None
    lei: str | None = None


class ProductRead(ContractModel):
    """A product with its HS code, dotted (e.g. 8507.60)."""

    name: TextsRead
    hs_code: str


class CompanyRead(ContractModel):
    """A company as the registry holds it. The response's `ETag` header is `"<version>"`."""

    id: uuid.UUID
    kind: CompanyKind
    status: CompanyStatus
    name: TextsRead
    name_ja_kana: str | None
    name_latin: str | None
    country: CountryCode
    region: str | None
    address: str | None
    website: str | None
    size_band: SizeBand | None
    founded_year: int | None
    description: TextsRead | None
    identifiers: IdentifiersRead
    sectors: list[str]
    products: list[ProductRead]
    parent_id: uuid.UUID | None
    merged_into_id: uuid.UUID | None = Field(description="Set when this record was merged into another.")
    owner_organisation_id: uuid.UUID | None = Field(
        description="The partner organisation that registered the record and may change it."
    )
    version: int = Field(description="Incremented on every change; the ETag is derived from it.")
    created_at: UtcDateTime
    updated_at: UtcDateTime


class MergedCompany(ContractModel):
    """The answer for a company that was merged into another: follow `Location` (or `merged_into_id`)."""

    id: uuid.UUID
    status: CompanyStatus = CompanyStatus.merged
    merged_into_id: uuid.UUID
