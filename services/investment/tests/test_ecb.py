"""Reading the ECB's reference-rate files: sample files in both layouts, written here (never downloaded)."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from investment.fx.ecb import EcbFileError, parse

DAILY = (
    "Date, USD, JPY, BGN, CZK, DKK, GBP, HUF, PLN, RON, SEK, CHF, ISK, NOK, TRY, AUD, BRL, CAD, CNY, HKD, "
    "IDR, ILS, INR, KRW, MXN, MYR, NZD, PHP, SGD, THB, ZAR, \n"
    "18 September 2025, 1.1800, 173.80, 1.9558, 24.325, 7.4634, 0.8700, 390.15, 4.2650, 5.0780, 10.9850, "
    "0.9350, 144.20, 11.6455, 48.7500, 1.7800, 6.2700, 1.6300, 8.3900, 9.1800, 19420.00, 3.9500, 103.80, "
    "1640.00, 21.6000, 4.9600, 1.9900, 67.100, 1.5100, 37.800, 20.5000, \n"
)
HISTORICAL = (
    "Date,USD,JPY,CYP,KRW,\n"
    "2025-09-18,1.1800,173.80,N/A,1640.00,\n"
    "2025-09-17,1.1790,173.10,N/A,1635.50,\n"
    "2007-12-31,1.4721,164.93,0.585274,1377.96,\n"
)


def test_the_daily_file() -> None:
    parsed = parse(DAILY.encode())
    by_currency = {rate.currency: rate for rate in parsed.rates}
    assert len(by_currency) == 29
    assert by_currency["KRW"].rate == Decimal("1640.00")
    assert by_currency["JPY"].rate_date == date(2025, 9, 18)
    # The lev left ISO 4217's current list when Bulgaria adopted the euro; plaza_contracts follows the list.
    assert parsed.skipped_currencies == ["BGN"]


def test_the_historical_file_skips_missing_and_withdrawn_currencies() -> None:
    parsed = parse(HISTORICAL.encode())
    assert {(rate.currency, rate.rate_date) for rate in parsed.rates} == {
        ("USD", date(2025, 9, 18)),
        ("JPY", date(2025, 9, 18)),
        ("KRW", date(2025, 9, 18)),
        ("USD", date(2025, 9, 17)),
        ("JPY", date(2025, 9, 17)),
        ("KRW", date(2025, 9, 17)),
        ("USD", date(2007, 12, 31)),
        ("JPY", date(2007, 12, 31)),
        ("KRW", date(2007, 12, 31)),
    }
    assert parsed.skipped_currencies == ["CYP"]  # the Cypriot pound is no longer in ISO 4217


def test_since_keeps_the_recent_dates() -> None:
    parsed = parse(HISTORICAL.encode(), since=date(2025, 9, 18))
    assert {rate.rate_date for rate in parsed.rates} == {date(2025, 9, 18)}


def test_a_zipped_file() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref-hist.csv", HISTORICAL)
    assert len(parse(buffer.getvalue()).rates) == 9


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "header"),
        (b"Currency,USD\n2025-09-18,1.18\n", "header"),
        (b"Date,USD\nyesterday,1.18\n", "line 2"),
        (b"Date,USD\n2025-09-18,abc\n", "not a number"),
        (b"Date,USD\n2025-09-18,-1\n", "positive"),
        (b"Date,USD\n", "no rates"),
        (b"PK\x03\x04broken", "damaged"),
    ],
)
def test_other_files_are_refused(content: bytes, message: str) -> None:
    with pytest.raises(EcbFileError, match=message):
        parse(content)
