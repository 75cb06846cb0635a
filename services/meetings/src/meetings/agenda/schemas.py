"""Wire shapes of the agenda: sessions, their speakers and attendees, and the B2B slot grid."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from meetings.agenda.models import SessionKind
from meetings.registrations.models import RegistrationRole
from meetings.registrations.schemas import PersonNames, refuse_nulls
from meetings.texts import LocalTime, Texts
from plaza_contracts import NOT_NULL, ContractModel, InputModel, UtcDateTime
from plaza_contracts.demo import DEMO_COMPANIES

TitleText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Room = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
SpeakerTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
MAX_SPEAKERS = 20

_EXAMPLE: dict[str, Any] = {
    "kind": "presentation",
    "title": {
        "ko": "SK온의 차세대 배터리 전략",
        "ja": "SK Onの次世代バッテリー戦略",
        "en": "SK On's next-generation battery strategy",
    },
    "room": "Main Hall",
    "starts_at": "2025-09-18T10:40:00+09:00",
    "ends_at": "2025-09-18T11:20:00+09:00",
    "capacity": 150,
    "speakers": [
        {
            "company_id": str(DEMO_COMPANIES["sk-on"]),
            "name": {"ko": "박지훈", "en": "Jihoon Park"},
            "title": "Vice President, Global Strategy",
        }
    ],
}


class SessionTitle(InputModel):
    """A session's title in Korean, Japanese and/or English (at least one)."""

    ko: TitleText | None = None
    ja: TitleText | None = None
    en: TitleText | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> Self:
        if not (self.ko or self.ja or self.en):
            raise ValueError("at least one of ko, ja, en is required")
        return self


class Speaker(InputModel):
    """A person speaking at a session, optionally of a registry company (checked against the registry)."""

    company_id: uuid.UUID | None = Field(default=None, description="Registry id of the speaker's company.")
    name: PersonNames
    title: SpeakerTitle | None = Field(default=None, description="The speaker's position or affiliation.")


def _in_order(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise ValueError("ends_at must be after starts_at")


class SessionCreate(InputModel):
    """A session of the agenda. A `b2b_block` is cut into the event's slot grid (its length must be a whole
    number of slots); sessions in one room never overlap, nor do two B2B blocks."""

    kind: SessionKind
    title: SessionTitle
    room: Room | None = Field(default=None, description="Where it takes place (null: not in a room).")
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    capacity: int | None = Field(default=None, ge=1, le=100_000, description="Most attendees (null: any).")
    speakers: list[Speaker] = Field(default_factory=list, max_length=MAX_SPEAKERS)

    @model_validator(mode="after")
    def _times_in_order(self) -> Self:
        _in_order(self.starts_at, self.ends_at)
        return self

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})


class SessionUpdate(InputModel):
    """A JSON merge patch of a session; a B2B block's slot grid is cut again when its times change."""

    kind: Annotated[SessionKind | None, NOT_NULL] = None
    title: Annotated[SessionTitle | None, NOT_NULL] = None
    room: Room | None = None
    starts_at: Annotated[UtcDateTime | None, NOT_NULL] = None
    ends_at: Annotated[UtcDateTime | None, NOT_NULL] = None
    capacity: int | None = Field(default=None, ge=1, le=100_000)
    speakers: Annotated[list[Speaker] | None, NOT_NULL] = Field(default=None, max_length=MAX_SPEAKERS)

    @model_validator(mode="after")
    def _valid(self) -> Self:
        refuse_nulls(self, ("kind", "title", "starts_at", "ends_at", "speakers"))
        _in_order(self.starts_at, self.ends_at)
        return self

    model_config = ConfigDict(json_schema_extra={"examples": [{"room": "Hall B"}]})


class SpeakerRead(ContractModel):
    """A person speaking at a session."""

    company_id: uuid.UUID | None
    name: Texts
    title: str | None


class SessionRead(ContractModel):
    """A session of the agenda, its times with the event's offset."""

    id: uuid.UUID
    event_id: uuid.UUID
    kind: SessionKind
    title: Texts
    room: str | None
    starts_at: LocalTime
    ends_at: LocalTime
    capacity: int | None
    attendee_count: int
    speakers: list[SpeakerRead]
    created_at: UtcDateTime
    updated_at: UtcDateTime


class SlotRead(ContractModel):
    """One B2B slot of the event's grid."""

    id: uuid.UUID
    session_id: uuid.UUID = Field(description="The B2B block the slot was cut from.")
    ordinal: int = Field(description="1-based position in the event's grid.", examples=[1])
    starts_at: LocalTime
    ends_at: LocalTime


class SlotGrid(ContractModel):
    """The event's B2B slots in time order."""

    items: list[SlotRead]


class AttendanceCreate(InputModel):
    """A registered person who will attend the session (busy for every B2B slot it overlaps)."""

    registration_id: uuid.UUID = Field(description="A confirmed registration at the event.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"registration_id": "01995a1e-ec00-7000-8000-0000000000a1"}]}
    )


class AttendeeRead(ContractModel):
    """A person attending a session."""

    session_id: uuid.UUID
    registration_id: uuid.UUID
    company_id: uuid.UUID
    name: Texts
    role: RegistrationRole
    created_at: UtcDateTime
