"""Common value types: localized text, countries, currencies and money, instants, time zones."""

import zoneinfo
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from plaza_contracts.base import InputModel, refuse_non_iso_date
from plaza_contracts.iso_codes import COUNTRY_CODES, CURRENCY_CODES, CURRENCY_MINOR_UNITS

LANGUAGES: tuple[str, ...] = ("ko", "ja", "en")

TextValue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class LocalizedText(InputModel):
    """A text in Korean, Japanese and/or English; at least one language is required."""

    ko: TextValue | None = Field(default=None, description="Korean.", examples=["에코프로비엠"])
    ja: TextValue | None = Field(default=None, description="Japanese.", examples=["エコプロBM"])
    en: TextValue | None = Field(default=None, description="English.", examples=["EcoPro BM"])

    @model_validator(mode="after")
    def _at_least_one(self) -> Self:
        if not (self.ko or self.ja or self.en):
            raise ValueError("at least one of ko, ja, en is required")
        return self

    def best(self, preferred: tuple[str, ...] = ("en", "ko", "ja")) -> str:
        """The text in the first preferred language that has one."""
        for language in preferred:
            value: str | None = getattr(self, language)
            if value:
                return value
        raise AssertionError("LocalizedText always has at least one language")


def _country(value: str) -> str:
    code = value.upper()
    if code not in COUNTRY_CODES:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def _currency(value: str) -> str:
    code = value.upper()
    if code not in CURRENCY_CODES:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return code


CountryCode = Annotated[
    str,
    StringConstraints(min_length=2, max_length=2),
    AfterValidator(_country),
    Field(description="ISO 3166-1 alpha-2 country code.", examples=["KR", "JP"]),
]
CurrencyCode = Annotated[
    str,
    StringConstraints(min_length=3, max_length=3),
    AfterValidator(_currency),
    Field(description="ISO 4217 currency code.", examples=["KRW", "JPY", "USD"]),
]


def minor_units(currency: str) -> int:
    """Decimal places of a currency's minor unit (JPY and KRW have none)."""
    return CURRENCY_MINOR_UNITS.get(currency, 2)


def _decimal_string(value: object) -> object:
    # A JSON number has already lost digits (0.1 is not 1/10 in binary), so only strings are exact.
    if isinstance(value, int | float):
        raise ValueError('send the amount as a decimal string, e.g. "1500000000"')
    return value


DECIMAL_AMOUNT_PATTERN = r"^[+-]?[0-9]{1,16}(\.[0-9]{1,4})?$"


class Money(InputModel):
    """An exact amount in a currency; amounts travel as decimal strings so no precision is lost."""

    amount: Annotated[
        Decimal,
        BeforeValidator(_decimal_string),
        Field(max_digits=20, decimal_places=4),
        WithJsonSchema(
            {
                "type": "string",
                "pattern": DECIMAL_AMOUNT_PATTERN,
                "description": "Decimal amount as a string (at most 16 digits before the point and 4 after; "
                "no more decimals than the currency has: none for JPY and KRW, two for USD and EUR).",
                "examples": ["1500000000"],
            }
        ),
    ]
    currency: CurrencyCode

    @model_validator(mode="after")
    def _fits_currency(self) -> Self:
        exponent = self.amount.normalize().as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if places > minor_units(self.currency):
            raise ValueError(f"{self.currency} has {minor_units(self.currency)} decimal places")
        return self


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _rfc3339_text(value: object) -> object:
    # pydantic would read a number as Unix time; the document promises an RFC 3339 string.
    if isinstance(value, int | float):
        raise ValueError("send an RFC 3339 timestamp with an offset, e.g. 2025-09-18T10:00:00+09:00")
    return value


UtcDateTime = Annotated[
    AwareDatetime,
    BeforeValidator(_rfc3339_text),
    AfterValidator(_to_utc),
    PlainSerializer(lambda v: v.isoformat().replace("+00:00", "Z"), return_type=str, when_used="json"),
    Field(
        description="RFC 3339 timestamp with an offset; stored and returned in UTC.",
        examples=["2025-09-18T01:00:00Z"],
    ),
]


@lru_cache(maxsize=1)
def _time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _time_zone(value: str) -> str:
    if value not in _time_zone_names():
        raise ValueError(f"{value!r} is not an IANA time zone name")
    return value


TimeZoneName = Annotated[
    str,
    AfterValidator(_time_zone),
    Field(description="IANA time zone name.", examples=["Asia/Tokyo", "Asia/Seoul"]),
]


IsoDate = Annotated[
    date,
    BeforeValidator(refuse_non_iso_date),
    Field(description="A calendar date, YYYY-MM-DD.", examples=["2025-09-18"]),
]
"""A date sent in a query parameter (`InputModel` bodies refuse non-ISO dates by themselves)."""
