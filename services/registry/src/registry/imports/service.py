"""Bulk import: each row goes through the same create as a single POST (check digits, duplicates), inside
savepoints, so one bad row costs only itself (valid_only) or the whole import (all_or_nothing, dry runs)."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from plaza_kit.errors import NotFoundError, ServiceError, UnprocessableError, field_errors
from plaza_kit.identity import Principal
from registry.companies import service as companies
from registry.companies.schemas import CompanyCreate
from registry.companies.service import get_organisation_for_write
from registry.errors import DuplicateIdentifierError, PossibleDuplicateError
from registry.imports.rows import csv_rows, validate_row
from registry.imports.schemas import (
    ImportMode,
    ImportReport,
    ImportRequest,
    ImportSummary,
    RowOutcome,
    RowReport,
)
from registry.organisations import service as memberships

_GOOD = {RowOutcome.created, RowOutcome.existing}


def _row_error(index: int, error: ServiceError) -> list[Any]:
    return list(error.errors or []) or field_errors(
        [{"loc": ("body", "rows", index), "type": error.slug, "msg": error.detail}]
    )


async def _import_row(
    session: AsyncSession,
    index: int,
    data: CompanyCreate,
    principal: Principal,
    created_rows: dict[uuid.UUID, int],
) -> RowReport:
    row = index + 1
    try:
        async with session.begin_nested():
            company = await companies.create_company(session, data, principal)
    except DuplicateIdentifierError as error:
        existing_id = (error.extensions or {}).get("existing_id")
        if existing_id is None:  # lost a race to a concurrent writer: report, don't guess
            return RowReport(row=row, outcome=RowOutcome.invalid, errors=_row_error(index, error))
        existing = uuid.UUID(str(existing_id))
        if existing in created_rows:
            return RowReport(
                row=row, outcome=RowOutcome.duplicate_in_file, duplicate_of_row=created_rows[existing]
            )
        return RowReport(row=row, outcome=RowOutcome.existing, company_id=existing)
    except PossibleDuplicateError as error:
        candidates = [uuid.UUID(c["id"]) for c in (error.extensions or {}).get("candidates", [])]
        in_file = [created_rows[c] for c in candidates if c in created_rows]
        if in_file:
            return RowReport(row=row, outcome=RowOutcome.duplicate_in_file, duplicate_of_row=in_file[0])
        return RowReport(row=row, outcome=RowOutcome.possible_duplicate, candidates=candidates)
    except ServiceError as error:
        return RowReport(row=row, outcome=RowOutcome.invalid, errors=_row_error(index, error))
    created_rows[company.id] = row
    return RowReport(row=row, outcome=RowOutcome.created, company_id=company.id)


async def _link_members(
    session: AsyncSession, request: ImportRequest, reports: list[RowReport], principal: Principal
) -> None:
    members = [report.company_id for report in reports if report.outcome in _GOOD and report.company_id]
    if request.member_of is not None and members:
        await memberships.add_members(
            session,
            request.member_of,
            members,
            role=request.role,
            joined_on=request.joined_on,
            principal=principal,
            via="import",
        )


async def run_import(session: AsyncSession, request: ImportRequest, principal: Principal) -> ImportReport:
    """Validate every row, store per the mode, and report each row's outcome."""
    if request.member_of is not None:
        try:
            await get_organisation_for_write(session, request.member_of, principal)
        except NotFoundError as error:
            raise UnprocessableError(f"member_of: no organisation with id {request.member_of}") from error
    raw_rows: list[Any] = csv_rows(request.csv) if request.csv is not None else list(request.rows or [])
    if not raw_rows:
        raise UnprocessableError("the import has no rows")
    transaction = await session.begin_nested()
    created_rows: dict[uuid.UUID, int] = {}
    reports = []
    for index, raw in enumerate(raw_rows):
        data, errors = validate_row(index, raw)
        if data is None:
            reports.append(RowReport(row=index + 1, outcome=RowOutcome.invalid, errors=errors))
        else:
            reports.append(await _import_row(session, index, data, principal, created_rows))
    rejected = sum(report.outcome not in _GOOD for report in reports)
    commit = not request.dry_run and (request.mode is ImportMode.valid_only or rejected == 0)
    if commit:
        await _link_members(session, request, reports, principal)
        await transaction.commit()
    else:
        await transaction.rollback()
        reports = [_not_stored(report) for report in reports]
    return ImportReport(
        mode=request.mode,
        dry_run=request.dry_run,
        committed=commit,
        summary=ImportSummary(
            rows=len(reports),
            created=sum(r.outcome is RowOutcome.created for r in reports)
            + sum(r.outcome is RowOutcome.not_stored for r in reports),
            existing=sum(r.outcome is RowOutcome.existing for r in reports),
            rejected=rejected,
        ),
        rows=reports,
    )


def _not_stored(report: RowReport) -> RowReport:
    """A row that would have been created, in an import that stored nothing."""
    if report.outcome is RowOutcome.created:
        return report.model_copy(update={"outcome": RowOutcome.not_stored, "company_id": None})
    return report
