"""Turning CSV text or JSON rows into validated company creates, with per-row errors."""

import csv
import io
from typing import Any

from pydantic import ValidationError

from plaza_contracts import FieldError
from plaza_kit.errors import UnprocessableError, field_errors
from registry.companies.schemas import CompanyCreate
from registry.imports.schemas import CSV_COLUMNS, MAX_IMPORT_ROWS

_IDENTIFIER_COLUMNS = ("jp_corporate_number", "kr_brn", "kr_crn", "lei")


def csv_rows(text: str) -> list[dict[str, Any]]:
    """CSV with a header line → one create body per line (empty cells are absent fields)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        return _read(reader)
    except csv.Error as error:
        raise UnprocessableError(f"csv: line {reader.line_num}: {error}") from error


def _read(reader: "csv.DictReader[str]") -> list[dict[str, Any]]:
    unknown = [column for column in reader.fieldnames or [] if column not in CSV_COLUMNS]
    if unknown:
        raise UnprocessableError(f"csv: unknown columns {unknown}; known: {', '.join(CSV_COLUMNS)}")
    rows: list[dict[str, Any]] = []
    for line in reader:
        if len(rows) >= MAX_IMPORT_ROWS:
            raise UnprocessableError(f"csv: at most {MAX_IMPORT_ROWS} rows per import")
        rows.append(
            _body({key: value.strip() for key, value in line.items() if key and value and value.strip()})
        )
    return rows


def _body(cells: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    name = {lang: cells.pop(f"name_{lang}") for lang in ("ko", "ja", "en") if f"name_{lang}" in cells}
    if name:
        body["name"] = name
    identifiers = {scheme: cells.pop(scheme) for scheme in _IDENTIFIER_COLUMNS if scheme in cells}
    if identifiers:
        body["identifiers"] = identifiers
    if "sectors" in cells:
        body["sectors"] = [code.strip() for code in cells.pop("sectors").split(";") if code.strip()]
    return {**cells, **body}


def validate_row(index: int, raw: Any) -> tuple[CompanyCreate | None, list[FieldError]]:
    """The create of row `index` (0-based), or its errors with pointers under /rows/<index>."""
    try:
        return CompanyCreate.model_validate(raw), []
    except ValidationError as error:
        errors = field_errors(
            [{**item, "loc": ("body", "rows", index, *item["loc"])} for item in error.errors()]
        )
        return None, errors
