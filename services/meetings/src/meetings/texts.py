"""Shared wire pieces of the meetings service: texts in ko/ja/en and times in an event's zone."""

from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, Field, PlainSerializer

from plaza_contracts import ContractModel

Language = Literal["ko", "ja", "en"]

LocalTime = Annotated[
    AwareDatetime,
    PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json"),
    Field(
        description="RFC 3339 time with the event's UTC offset (the same instant as in UTC, read locally).",
        examples=["2025-09-18T10:00:00+09:00"],
    ),
]


class Texts(ContractModel):
    """A text in Korean, Japanese and/or English, as stored."""

    ko: str | None = None
    ja: str | None = None
    en: str | None = None


def texts(ko: str | None, ja: str | None, en: str | None) -> Texts:
    """The stored ko/ja/en columns as `Texts`."""
    return Texts(ko=ko, ja=ja, en=en)


def best_text(ko: str | None, ja: str | None, en: str | None, language: str) -> str:
    """The text in `language`, else in English, Korean, Japanese (whichever exists first)."""
    by_language = {"ko": ko, "ja": ja, "en": en}
    for candidate in (language, "en", "ko", "ja"):
        if by_language.get(candidate):
            return str(by_language[candidate])
    return ""


def local(moment: datetime, time_zone: str) -> datetime:
    """`moment` in `time_zone` (what the presenters return to people)."""
    return moment.astimezone(ZoneInfo(time_zone))
