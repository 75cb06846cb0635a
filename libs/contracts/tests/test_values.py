"""Value types: localized text, codes, money, instants, time zones, ids."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from plaza_contracts import (
    CountryCode,
    CurrencyCode,
    LocalizedText,
    Money,
    TimeZoneName,
    UtcDateTime,
    deterministic_uuid7,
    uuid7,
    uuid7_time_ms,
)


class Sample(BaseModel):
    country: CountryCode | None = None
    currency: CurrencyCode | None = None
    at: UtcDateTime | None = None
    zone: TimeZoneName | None = None


def test_localized_text_needs_one_language() -> None:
    with pytest.raises(ValidationError):
        LocalizedText()
    with pytest.raises(ValidationError):
        LocalizedText(en="   ")
    assert LocalizedText(ja=" 東芝 ").ja == "東芝"
    assert LocalizedText(ko="삼성", en="Samsung").best(("ja", "ko")) == "삼성"


def test_localized_text_refuses_other_languages() -> None:
    with pytest.raises(ValidationError):
        LocalizedText.model_validate({"en": "x", "zh": "y"})


def test_codes() -> None:
    assert Sample(country="kr", currency="jpy").model_dump(exclude_none=True) == {
        "country": "KR",
        "currency": "JPY",
    }
    for bad in ({"country": "XX"}, {"country": "KOR"}, {"currency": "ABC"}):
        with pytest.raises(ValidationError):
            Sample.model_validate(bad)


def test_instants_are_stored_in_utc_and_need_an_offset() -> None:
    nagoya = timezone(timedelta(hours=9))
    sample = Sample(at=datetime(2025, 9, 18, 10, 0, tzinfo=nagoya))
    assert sample.model_dump(mode="json")["at"] == "2025-09-18T01:00:00Z"
    with pytest.raises(ValidationError):
        Sample(at=datetime(2025, 9, 18, 10, 0))


def test_time_zones() -> None:
    assert Sample(zone="Asia/Tokyo").zone == "Asia/Tokyo"
    with pytest.raises(ValidationError):
        Sample(zone="Asia/Nagoya")


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("1500000000", "KRW"), ("12.34", "USD"), ("1.1000", "USD"), ("100.000", "JPY"), ("0.125", "KWD")],
)
def test_money_accepts_amounts_within_minor_units(amount: str, currency: str) -> None:
    money = Money(amount=Decimal(amount), currency=currency)
    assert money.model_dump(mode="json")["amount"] == amount


@pytest.mark.parametrize(("amount", "currency"), [("100.5", "JPY"), ("1.005", "USD"), ("10.1", "KRW")])
def test_money_refuses_sub_minor_amounts(amount: str, currency: str) -> None:
    with pytest.raises(ValidationError):
        Money(amount=Decimal(amount), currency=currency)


def test_uuid7_is_time_ordered_and_versioned() -> None:
    ids = [uuid7() for _ in range(200)]
    assert all(value.version == 7 for value in ids)
    times = [uuid7_time_ms(value) for value in ids]
    assert times == sorted(times)
    assert (
        deterministic_uuid7(1_000, "a") == deterministic_uuid7(1_000, "a") != deterministic_uuid7(1_000, "b")
    )
    assert uuid7_time_ms(deterministic_uuid7(1_758_153_600_000, "x")) == 1_758_153_600_000
