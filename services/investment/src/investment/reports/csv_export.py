"""CSV downloads that Excel opens right, Korean and Japanese included.

Excel guesses a CSV file's encoding from its first bytes: without a UTF-8 byte-order mark it reads the file
in the machine's legacy code page, and 한국어 or 日本語 turn into mojibake. So the file starts with the BOM,
lines end with CRLF (what Excel writes and expects), and a field is quoted (RFC 4180) only when it holds a
comma, a quote or a line break. Text that Excel would run as a formula (it starts with `=`, `+`, `-`, `@`, a
tab or a CR) gets a leading apostrophe, so a lead titled `=HYPERLINK(…)` is shown, never evaluated; numbers
and amounts are written as they are, so they stay numbers.

Generic (nothing here knows leads): a candidate for `plaza_kit` once a second service needs the same.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from fastapi import Response

BOM = "\ufeff"
MEDIA_TYPE = "text/csv; charset=utf-8"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | Decimal | date | datetime | bool | None


class CsvTable(NamedTuple):
    """A header row and the data rows, cell by cell."""

    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def cell_text(value: Cell) -> str:
    """One cell as CSV text: empty for None, ISO 8601 for dates, text defused against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return f"{value:f}" if isinstance(value, Decimal) else str(value)
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def csv_bytes(table: CsvTable) -> bytes:
    """The table as UTF-8 with a BOM and CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([cell_text(name) for name in table.header])
    rows: Iterable[Sequence[Cell]] = table.rows
    writer.writerows([cell_text(value) for value in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def csv_response(table: CsvTable, filename: str) -> Response:
    """A download of the table as `filename` (ASCII: report names, currencies and dates only)."""
    return Response(
        content=csv_bytes(table),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
