"""The rounding rule of `investment.money`, checked against figures computed by hand.

Rates (units per euro) chosen so the arithmetic can be done on paper: USD 1.25, JPY 160, KRW 1500.
"""

from decimal import Decimal

import pytest

from investment.money import MissingRateError, converted, formatted, rounded, total, weighted

RATES = {"USD": Decimal("1.25"), "JPY": Decimal("160"), "KRW": Decimal("1500")}


def test_cross_rates_go_through_eur() -> None:
    # 1,500,000 KRW = 1,000 EUR = 1,250.00 USD = 160,000 JPY.
    assert converted(Decimal("1500000"), "KRW", "USD", RATES) == Decimal("1250.00")
    assert converted(Decimal("1500000"), "KRW", "JPY", RATES) == Decimal("160000")
    assert converted(Decimal("1500000"), "KRW", "EUR", RATES) == Decimal("1000.00")
    assert converted(Decimal("1000.00"), "EUR", "KRW", RATES) == Decimal("1500000")


def test_the_result_has_the_target_currencys_places() -> None:
    # 100 JPY = 0.625 EUR = 0.78125 USD → 0.78; = 937.5 KRW → 938 (half away from zero).
    assert converted(Decimal("100"), "JPY", "USD", RATES) == Decimal("0.78")
    assert converted(Decimal("100"), "JPY", "KRW", RATES) == Decimal("938")
    assert formatted(Decimal("1250"), "USD") == "1250.00"
    assert formatted(Decimal("160000.0000"), "JPY") == "160000"


def test_ties_round_half_away_from_zero() -> None:
    # 6 KRW = 0.004 EUR = 0.005 USD exactly: a tie, rounded up to 0.01 (banker's rounding would give 0.00).
    assert converted(Decimal("6"), "KRW", "USD", RATES) == Decimal("0.01")
    assert rounded(Decimal("2.5"), "JPY") == Decimal("3")
    assert rounded(Decimal("-2.5"), "JPY") == Decimal("-3")
    assert rounded(Decimal("0.125"), "EUR") == Decimal("0.13")


def test_the_weighted_value_is_rounded_once_from_the_exact_conversion() -> None:
    # 100 JPY at 50 %: exact 0.78125 USD × 0.5 = 0.390625 → 0.39. Rounding first (0.78 × 0.5) also gives
    # 0.39; 70 JPY shows the difference: exact 0.546875 × 0.5 = 0.2734375 → 0.27, while 0.55 × 0.5 = 0.275
    # would round to 0.28.
    assert weighted(Decimal("100"), "JPY", "USD", 50, RATES) == Decimal("0.39")
    assert weighted(Decimal("70"), "JPY", "USD", 50, RATES) == Decimal("0.27")
    assert converted(Decimal("70"), "JPY", "USD", RATES) == Decimal("0.55")
    # 1,500,000,000 KRW at 30 %: 1,250,000.00 USD × 0.3 = 375,000.00 USD.
    assert weighted(Decimal("1500000000"), "KRW", "USD", 30, RATES) == Decimal("375000.00")


def test_a_mixed_currency_total_is_the_sum_of_its_rounded_lines() -> None:
    lines = [
        (Decimal("1500000000"), "KRW"),  # 1,000,000 EUR → 1,250,000.00 USD
        (Decimal("16000000"), "JPY"),  # 100,000 EUR → 125,000.00 USD
        (Decimal("2500.50"), "USD"),  # not converted
        (Decimal("100"), "JPY"),  # 0.78125 → 0.78 USD
        (Decimal("6"), "KRW"),  # 0.005 → 0.01 USD
    ]
    in_usd = [converted(amount, currency, "USD", RATES) for amount, currency in lines]
    assert in_usd == [
        Decimal("1250000.00"),
        Decimal("125000.00"),
        Decimal("2500.50"),
        Decimal("0.78"),
        Decimal("0.01"),
    ]
    assert total(in_usd, "USD") == Decimal("1377501.29")
    # In JPY: 160,000,000 + 16,000,000 + 320,064 (2,500.50 / 1.25 × 160) + 100 + 1 (0.64 → 1) = 176,320,165.
    in_jpy = [converted(amount, currency, "JPY", RATES) for amount, currency in lines]
    assert in_jpy == [
        Decimal("160000000"),
        Decimal("16000000"),
        Decimal("320064"),
        Decimal("100"),
        Decimal("1"),
    ]
    assert total(in_jpy, "JPY") == Decimal("176320165")


def test_a_missing_rate_is_named() -> None:
    with pytest.raises(MissingRateError) as raised:
        converted(Decimal("1"), "GBP", "USD", RATES)
    assert raised.value.currency == "GBP"


def test_no_float_can_sneak_in() -> None:
    # 0.1 + 0.2 is 0.30000000000000004 in binary floating point; in Decimals it is 0.3.
    assert total([Decimal("0.1"), Decimal("0.2")], "USD") == Decimal("0.30")
