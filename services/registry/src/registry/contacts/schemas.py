"""Wire shapes of contact persons (personal data: only clients holding `contacts:read` see them)."""

import uuid
from typing import Annotated, Any, Literal, Self

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from plaza_contracts import NOT_NULL, ContractModel, InputModel, UtcDateTime
from registry.companies.schemas import TextsRead

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ()\-]{6,30}$")]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
Language = Literal["ko", "ja", "en", "zh"]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

_EXAMPLE: dict[str, Any] = {
    "name": {"ko": "김민준", "en": "Minjun Kim"},
    "title": "Head of Overseas Sales",
    "email": "minjun.kim@example.com",
    "phone": "+82 2 1234 5678",
    "languages": ["ko", "en"],
}


class PersonNames(InputModel):
    """A person's name in Korean, Japanese and/or English (at least one)."""

    ko: PersonName | None = None
    ja: PersonName | None = None
    en: PersonName | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> Self:
        if not (self.ko or self.ja or self.en):
            raise ValueError("at least one of ko, ja, en is required")
        return self


class ContactCreate(InputModel):
    """A person at a company."""

    name: PersonNames
    title: Title | None = None
    email: Email | None = None
    phone: Phone | None = None
    languages: list[Language] = Field(default_factory=list, max_length=4, description="Languages spoken.")

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})


class NamePatch(InputModel):
    """Languages to change; `null` removes one."""

    ko: PersonName | None = None
    ja: PersonName | None = None
    en: PersonName | None = None


class ContactUpdate(InputModel):
    """A JSON merge patch of a contact."""

    name: Annotated[NamePatch | None, NOT_NULL] = None
    title: Title | None = None
    email: Email | None = None
    phone: Phone | None = None
    languages: Annotated[list[Language] | None, NOT_NULL] = Field(default=None, max_length=4)

    model_config = ConfigDict(json_schema_extra={"examples": [{"title": "Director, Japan Business"}]})


class ContactRead(ContractModel):
    """A person at a company."""

    id: uuid.UUID
    company_id: uuid.UUID
    name: TextsRead
    title: str | None
    email: str | None
    phone: str | None
    languages: list[str]
    created_at: UtcDateTime
    updated_at: UtcDateTime
