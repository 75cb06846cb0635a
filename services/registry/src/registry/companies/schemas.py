"""Wire shapes of the companies API."""

import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from plaza_contracts import ContractModel, CountryCode, InputModel, LocalizedText, UtcDateTime
from registry.companies.models import CompanyKind

NameText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class CompanyCreate(InputModel):
    """A new company or other body."""

    kind: CompanyKind = Field(default=CompanyKind.company, description="What kind of body this is.")
    name: LocalizedText = Field(description="Legal name in Korean, Japanese and/or English (at least one).")
    country: CountryCode

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"kind": "company", "name": {"ko": "한빛소재", "en": "Hanbit Materials"}, "country": "KR"}
            ]
        }
    )


class LocalizedTextPatch(InputModel):
    """Languages to change: a value sets it, `null` removes it, an absent key leaves it as it is."""

    ko: NameText | None = None
    ja: NameText | None = None
    en: NameText | None = None


class CompanyUpdate(InputModel):
    """A JSON merge patch (RFC 7396) of a company: only the fields present change."""

    kind: CompanyKind | None = None
    name: LocalizedTextPatch | None = None
    country: CountryCode | None = None

    @model_validator(mode="after")
    def _no_nulls_for_required(self) -> Self:
        for field in ("kind", "name", "country"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self

    model_config = ConfigDict(json_schema_extra={"examples": [{"name": {"ja": "ハンビット素材"}}]})


class CompanyRead(ContractModel):
    """A company as the registry holds it."""

    id: uuid.UUID
    kind: CompanyKind
    name: LocalizedText
    country: CountryCode
    version: int = Field(description="Incremented on every change; the ETag is derived from it.")
    created_at: UtcDateTime
    updated_at: UtcDateTime


def company_read(
    *,
    id: uuid.UUID,
    kind: CompanyKind,
    name_ko: str | None,
    name_ja: str | None,
    name_en: str | None,
    country: str,
    version: int,
    created_at: datetime,
    updated_at: datetime,
) -> CompanyRead:
    """Build the API shape from stored columns."""
    return CompanyRead(
        id=id,
        kind=kind,
        name=LocalizedText(ko=name_ko, ja=name_ja, en=name_en),
        country=country,
        version=version,
        created_at=created_at,
        updated_at=updated_at,
    )
