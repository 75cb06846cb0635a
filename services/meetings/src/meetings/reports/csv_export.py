"""CSV for the reports, written so that Excel opens it right: UTF-8 with a byte-order mark (without one,
Excel reads Korean and Japanese as mojibake), CRLF line ends, and RFC 4180 quoting of fields that hold
commas, quotes or line breaks.

Text that Excel would take for a formula (`=`, `+`, `-`, `@`, tab, CR at the start) is prefixed with `'`:
a company name like `=HYPERLINK(...)` must be shown, never run (CSV injection). Numbers are written as they
are.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from fastapi import Response

BOM = "\ufeff"
MEDIA_TYPE = "text/csv; charset=utf-8"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ACCEPT_RANGE = re.compile(r"^\s*([^;\s]+)\s*(?:;(.*))?$")

Cell = str | int | Decimal | datetime | bool | None


class CsvTable(NamedTuple):
    """A header and rows of cells."""

    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int | Decimal):
        return str(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """The table as UTF-8 bytes with a BOM and CRLF line ends, quoted where a field needs it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_cell(name) for name in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def csv_response(table: CsvTable, filename: str) -> Response:
    """A download of `table` named `filename` (ASCII: ids and dates only)."""
    return Response(
        content=csv_bytes(table.header, table.rows),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Vary": "Accept"},
    )


def _quality(parameters: str | None) -> float:
    for parameter in (parameters or "").split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def _preference(accept: str, media_type: str) -> tuple[float, int]:
    """(quality, specificity) of the most specific range in `accept` that covers `media_type`."""
    kind = media_type.split("/")[0]
    best = (0.0, -1)
    for item in accept.split(","):
        match = _ACCEPT_RANGE.match(item)
        if not match:
            continue
        media_range = match.group(1).lower()
        specificity = {media_type: 2, f"{kind}/*": 1, "*/*": 0}.get(media_range)
        if specificity is not None and specificity > best[1]:
            best = (_quality(match.group(2)), specificity)
    return best


def wants_csv(report_format: str | None, accept: str | None) -> bool:
    """CSV when `?format=csv`, or when `Accept` prefers `text/csv` to JSON (JSON on a tie of quality
    and specificity, and without either)."""
    if report_format is not None:
        return report_format == "csv"
    if not accept:
        return False
    as_csv = _preference(accept, "text/csv")
    as_json = _preference(accept, "application/json")
    return as_csv[0] > 0 and as_csv > as_json
