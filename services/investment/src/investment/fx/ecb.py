"""The European Central Bank's euro reference-rate files, read into (currency, date, rate) rows (pure).

The ECB publishes two CSV layouts (also zipped: `eurofxref.zip`, `eurofxref-hist.zip`):

- **daily** (`eurofxref.csv`): a header `Date, USD, JPY, …,` and one row `4 December 2025, 1.1650, …,`
  — the date written out in English, spaces after the commas, a trailing comma;
- **historical** (`eurofxref-hist.csv`): a header `Date,USD,JPY,…,` and one row per business day, newest
  first, `2025-12-04,1.1650,…,` with `N/A` where a currency had no rate that day (CYP after 2007, …).

Both carry units of the currency per euro, which is this service's convention. Currencies that ISO 4217
no longer lists (the ECB's history keeps CYP, SIT, …) are skipped and named in the summary.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from plaza_contracts.iso_codes import CURRENCY_CODES

ZIP_MAGIC = b"PK\x03\x04"
MISSING = {"", "N/A", "NA", "-"}


class EcbFileError(ValueError):
    """The file is not an ECB reference-rate file (the message says where it went wrong)."""


class ParsedRate(NamedTuple):
    """One rate read from the file."""

    currency: str
    rate_date: date
    rate: Decimal


class ParsedFile(NamedTuple):
    """The rates of a file and the currency columns that were skipped."""

    rates: list[ParsedRate]
    skipped_currencies: list[str]


def _text(content: bytes) -> str:
    if content.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = [name for name in archive.namelist() if name.lower().endswith(".csv")]
                if len(names) != 1:
                    raise EcbFileError("the zip file must hold exactly one .csv file")
                content = archive.read(names[0])
        except zipfile.BadZipFile as error:
            raise EcbFileError("the zip file is damaged") from error
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise EcbFileError("the file is not UTF-8 text") from error


def _date(value: str, line: int) -> date:
    for layout in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.strptime(value, layout).date()
        except ValueError:
            continue
    raise EcbFileError(f"line {line}: {value!r} is not a date (2025-12-04 or 4 December 2025)")


def _rate(value: str, currency: str, line: int) -> Decimal:
    try:
        rate = Decimal(value)
    except InvalidOperation as error:
        raise EcbFileError(f"line {line}: the {currency} rate {value!r} is not a number") from error
    if not rate.is_finite() or rate <= 0:
        raise EcbFileError(f"line {line}: the {currency} rate {value!r} is not a positive number")
    return rate


def _rows(text: str) -> Iterator[list[str]]:
    for row in csv.reader(io.StringIO(text)):
        cells = [cell.strip() for cell in row]
        if any(cells):
            yield cells


def parse(content: bytes, *, since: date | None = None) -> ParsedFile:
    """The rates in an ECB file (daily or historical layout, CSV or zipped), optionally only from `since`."""
    rows = _rows(_text(content))
    header = next(rows, None)
    if header is None or header[0].lower() != "date":
        raise EcbFileError("line 1: the header must start with 'Date' (an ECB reference-rate file)")
    columns = [(index, name.upper()) for index, name in enumerate(header) if index > 0 and name]
    known = [(index, code) for index, code in columns if code in CURRENCY_CODES and code != "EUR"]
    skipped = sorted({code for _, code in columns if code not in CURRENCY_CODES})
    rates: list[ParsedRate] = []
    for line, cells in enumerate(rows, start=2):
        rate_date = _date(cells[0], line)
        if since is not None and rate_date < since:
            continue
        for index, code in known:
            value = cells[index] if index < len(cells) else ""
            if value.upper() in MISSING:
                continue
            rates.append(ParsedRate(code, rate_date, _rate(value, code, line)))
    if not rates and since is None:
        raise EcbFileError("the file holds no rates")
    return ParsedFile(rates, skipped)
