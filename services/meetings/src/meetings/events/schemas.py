"""Wire shapes of events."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from meetings.events.models import EventStatus, MeetingRule
from meetings.texts import Language, LocalTime, Texts
from plaza_contracts import ContractModel, InputModel, LocalizedText, TimeZoneName, UtcDateTime
from plaza_contracts.demo import DEMO_ORGANISATIONS

VenueName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]

_EXAMPLE: dict[str, Any] = {
    "title": {
        "ko": "2025 한일 차세대 배터리 플라자",
        "ja": "2025 日韓次世代バッテリープラザ",
        "en": "2025 Korea–Japan Next-Generation Battery Plaza",
    },
    "venue": {"name": "STATION Ai", "address": "2-4-7 Tsurumai, Showa-ku, Nagoya, Aichi, Japan"},
    "time_zone": "Asia/Tokyo",
    "starts_at": "2025-09-18T09:30:00+09:00",
    "ends_at": "2025-09-18T18:00:00+09:00",
    "organiser_ids": [str(DEMO_ORGANISATIONS["consulate-nagoya"])],
    "capacity": 150,
    "languages": ["ko", "ja"],
    "b2b": {"slot_minutes": 30, "request_expiry_hours": 72, "meeting_rule": "across_countries"},
}


class Venue(InputModel):
    """Where the event takes place."""

    name: VenueName
    address: Address | None = None


class VenueRead(ContractModel):
    """Where the event takes place."""

    name: str
    address: str | None


class B2BSettings(InputModel):
    """How B2B meetings work at the event."""

    slot_minutes: int = Field(default=30, ge=5, le=240, description="Length of every B2B slot.")
    request_expiry_hours: int | None = Field(
        default=72, ge=1, le=24 * 90, description="Unanswered requests expire after this; null: never."
    )
    meeting_rule: MeetingRule = Field(
        default=MeetingRule.ANY,
        description="`across_countries`: only companies of different countries meet (Korean ↔ Japanese).",
    )
    default_quota: int | None = Field(
        default=None, ge=1, le=1000, description="Most meetings per company (overridable per company)."
    )


class B2BSettingsRead(ContractModel):
    """How B2B meetings work at the event."""

    slot_minutes: int
    request_expiry_hours: int | None
    meeting_rule: MeetingRule
    default_quota: int | None


def _in_order(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise ValueError("ends_at must be after starts_at")


class EventCreate(InputModel):
    """A new event, created as a draft; the caller's organisation is always one of its organisers."""

    title: LocalizedText
    venue: Venue
    time_zone: TimeZoneName
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    organiser_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=20, description="Other organising organisations (registry ids)."
    )
    capacity: int | None = Field(default=None, ge=1, le=100_000, description="Most confirmed registrations.")
    languages: list[Language] = Field(default_factory=list, max_length=3, description="Working languages.")
    b2b: B2BSettings = Field(default_factory=B2BSettings)

    @model_validator(mode="after")
    def _times_in_order(self) -> Self:
        _in_order(self.starts_at, self.ends_at)
        return self

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})


class B2BSettingsPatch(InputModel):
    """B2B settings to change."""

    slot_minutes: int | None = Field(default=None, ge=5, le=240)
    request_expiry_hours: int | None = Field(default=None, ge=1, le=24 * 90)
    meeting_rule: MeetingRule | None = None
    default_quota: int | None = Field(default=None, ge=1, le=1000)


class EventUpdate(InputModel):
    """A JSON merge patch of an event (status changes go through `events_change_status`)."""

    title: LocalizedText | None = None
    venue: Venue | None = None
    time_zone: TimeZoneName | None = None
    starts_at: UtcDateTime | None = None
    ends_at: UtcDateTime | None = None
    organiser_ids: list[uuid.UUID] | None = Field(default=None, max_length=20)
    capacity: int | None = Field(default=None, ge=1, le=100_000)
    languages: list[Language] | None = Field(default=None, max_length=3)
    b2b: B2BSettingsPatch | None = None

    @model_validator(mode="after")
    def _times_in_order(self) -> Self:
        _in_order(self.starts_at, self.ends_at)
        return self

    model_config = ConfigDict(json_schema_extra={"examples": [{"capacity": 160}]})


class StatusChange(InputModel):
    """Move the event to another status (allowed: draft → open → closed → finished, closed → open)."""

    status: EventStatus

    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "open"}]})


class EventRead(ContractModel):
    """An event; its times are given with the offset of its time zone."""

    id: uuid.UUID
    title: Texts
    venue: VenueRead
    time_zone: str = Field(examples=["Asia/Tokyo"])
    starts_at: LocalTime
    ends_at: LocalTime
    status: EventStatus
    allowed_next: list[EventStatus] = Field(description="The statuses the event may move to next.")
    organiser_ids: list[uuid.UUID]
    capacity: int | None
    confirmed_registrations: int
    languages: list[str]
    b2b: B2BSettingsRead
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime
