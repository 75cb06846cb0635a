"""Wire shapes of registrations: people of registry companies at an event (e-mail and check-in code are
personal data: only the event's organisers and the person's own company see them)."""

import uuid
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from meetings.registrations.models import RegistrationRole, RegistrationStatus
from meetings.texts import LocalTime, Texts
from plaza_contracts import NOT_NULL, ContractModel, InputModel, UtcDateTime
from plaza_contracts.demo import DEMO_COMPANIES

PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
JobTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
SpokenLanguage = Literal["ko", "ja", "en", "zh"]
CheckInCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=4, max_length=20, pattern=r"^[A-Za-z0-9 \-]+$")
]

_EXAMPLE: dict[str, Any] = {
    "company_id": str(DEMO_COMPANIES["hanbit-materials"]),
    "name": {"ko": "김민준", "en": "Minjun Kim"},
    "role": "exhibitor",
    "job_title": "Head of Overseas Sales",
    "languages": ["ko", "en"],
    "email": "minjun.kim@example.com",
}


def refuse_nulls(model: BaseModel, names: tuple[str, ...]) -> None:
    """Merge patches: these fields may be left out (no change) but not sent as `null` (nothing to remove)."""
    for name in names:
        if name in model.model_fields_set and getattr(model, name) is None:
            raise ValueError(f"{name} cannot be null")


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


class RegistrationCreate(InputModel):
    """A person of a registry company coming to the event."""

    company_id: uuid.UUID = Field(description="Registry id of the person's company (checked, copied).")
    name: PersonNames
    role: RegistrationRole = Field(default=RegistrationRole.DELEGATE, description="Why the person comes.")
    job_title: JobTitle | None = None
    languages: list[SpokenLanguage] = Field(default_factory=list, max_length=4, description="Spoken.")
    email: Email | None = Field(default=None, description="Personal data: organisers and the company only.")

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})


class NamesPatch(InputModel):
    """Name languages to change; `null` removes one (one must remain)."""

    ko: PersonName | None = None
    ja: PersonName | None = None
    en: PersonName | None = None


class RegistrationUpdate(InputModel):
    """A JSON merge patch of a registration (its company and status do not change here)."""

    name: Annotated[NamesPatch | None, NOT_NULL] = None
    role: Annotated[RegistrationRole | None, NOT_NULL] = None
    job_title: JobTitle | None = None
    languages: Annotated[list[SpokenLanguage] | None, NOT_NULL] = Field(default=None, max_length=4)
    email: Email | None = None

    @model_validator(mode="after")
    def _required_stay(self) -> Self:
        refuse_nulls(self, ("name", "role", "languages"))
        return self

    model_config = ConfigDict(json_schema_extra={"examples": [{"job_title": "Director, Japan Business"}]})


class CheckIn(InputModel):
    """The code the person shows at the door."""

    code: CheckInCode = Field(description="The registration's check-in code (case and dashes ignored).")

    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "K7PX3MNA"}]})


class RegisteredCompany(ContractModel):
    """The person's company, as the registry named it at registration."""

    id: uuid.UUID = Field(description="Registry id (the surviving company when the id given was merged).")
    name: Texts
    country: str = Field(examples=["KR"])


class RegistrationRead(ContractModel):
    """A person at the event. `email`, `check_in_code` and `checked_in_at` are null unless you organise the
    event or the person is of your company."""

    id: uuid.UUID
    event_id: uuid.UUID
    company: RegisteredCompany
    name: Texts
    role: RegistrationRole
    job_title: str | None
    languages: list[str]
    status: RegistrationStatus
    waitlist_rank: int | None = Field(
        description="Place in the waiting list (lower is promoted first) while waitlisted; else null."
    )
    email: str | None
    check_in_code: str | None = Field(description="The code to show at the door.", examples=["K7PX3MNA"])
    checked_in_at: LocalTime | None
    cancelled_at: UtcDateTime | None
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime
