"""Wire shapes of the bulk import (e.g. a consortium's member list of several hundred rows)."""

import enum
import uuid
from datetime import date
from typing import Annotated, Any, Self

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from plaza_contracts import ContractModel, FieldError, InputModel

MAX_IMPORT_ROWS = 2000


class ImportMode(enum.StrEnum):
    """all_or_nothing: store nothing unless every row is good; valid_only: store the good rows."""

    all_or_nothing = "all_or_nothing"
    valid_only = "valid_only"


class RowOutcome(enum.StrEnum):
    """What happened to one row."""

    created = "created"
    existing = "existing"
    invalid = "invalid"
    duplicate_in_file = "duplicate_in_file"
    possible_duplicate = "possible_duplicate"
    not_stored = "not_stored"


CSV_COLUMNS = (
    "kind", "name_ko", "name_ja", "name_en", "name_ja_kana", "name_latin", "country", "region", "address",
    "website", "size_band", "founded_year", "jp_corporate_number", "kr_brn", "kr_crn", "lei", "sectors",
)  # fmt: skip

_EXAMPLE: dict[str, Any] = {
    "mode": "valid_only",
    "dry_run": True,
    "csv": "name_ja,name_en,country,region,jp_corporate_number,sectors\n"
    "豊橋セパレータ工業株式会社,Toyohashi Separator Industries,JP,Aichi,,separator\n",
}


class ImportRequest(InputModel):
    """Rows as JSON objects (the fields of a company create) or as CSV text with a header line."""

    mode: ImportMode = ImportMode.all_or_nothing
    dry_run: bool = Field(default=False, description="Validate and report only; store nothing.")
    member_of: uuid.UUID | None = Field(
        default=None, description="Make every created or matched company a member of this organisation."
    )
    role: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = "member"
    joined_on: date | None = None
    rows: list[dict[str, Any]] | None = Field(default=None, max_length=MAX_IMPORT_ROWS)
    csv: Annotated[str, StringConstraints(max_length=1_000_000)] | None = Field(
        default=None,
        description="CSV (UTF-8, comma-separated, header line) with columns among: "
        + ", ".join(CSV_COLUMNS)
        + "; `sectors` is ';'-separated.",
    )

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.rows is None) == (self.csv is None):
            raise ValueError("send exactly one of rows and csv")
        return self

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [_EXAMPLE],
            # What `_one_source` checks, in the document: exactly one of `rows` and `csv` is not null.
            "oneOf": [
                {"required": ["rows"], "properties": {"rows": {"type": "array", "items": {}}}},
                {"required": ["csv"], "properties": {"csv": {"type": "string"}}},
            ],
        }
    )


class RowReport(ContractModel):
    """The outcome of one row (rows count from 1, the CSV header not included)."""

    row: int
    outcome: RowOutcome
    company_id: uuid.UUID | None = Field(default=None, description="Created or matched company.")
    duplicate_of_row: int | None = None
    candidates: list[uuid.UUID] = Field(
        default_factory=list, description="Existing companies of the same name."
    )
    errors: list[FieldError] = Field(default_factory=list)


class ImportSummary(ContractModel):
    """Counts per outcome."""

    rows: int
    created: int
    existing: int
    rejected: int


class ImportReport(ContractModel):
    """What the import did (or, with `committed: false`, would have done)."""

    mode: ImportMode
    dry_run: bool
    committed: bool = Field(description="Whether anything was stored.")
    summary: ImportSummary
    rows: list[RowReport]
