"""HTTP routes of the organisers' reports, under `/v1/events/{event_id}/reports`.

Each report is JSON, or CSV for Excel with `?format=csv` or `Accept: text/csv` (UTF-8 with a BOM, CRLF,
served as an attachment). Only the event's organisers read them, with `meetings:organise`.
"""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from meetings.reports import presenter, service
from meetings.reports.csv_export import CsvTable, csv_response, wants_csv
from meetings.reports.schemas import (
    MeetingsReport,
    OutcomesReport,
    ReportFormat,
    RequestsReport,
    SlotUsageReport,
)
from plaza_kit.auth import owner_only, requires
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/events/{event_id}/reports", tags=["reports"])

Organiser = Annotated[Principal, requires(Scope.MEETINGS_ORGANISE)]
FormatQuery = Annotated[
    ReportFormat | None,
    Query(alias="format", description="`csv` for a CSV download (else `Accept: text/csv`); default JSON."),
]
CSV_CONTENT = {"text/csv": {"schema": {"type": "string"}}}
REPORT_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Not an organiser of the event"},
    404: {"description": "No such event (or a draft of others)"},
}

ReportT = TypeVar("ReportT", bound=BaseModel)


def _answer(
    request: Request,
    response: Response,
    report_format: ReportFormat | None,
    report: ReportT,
    as_csv: Callable[[ReportT], CsvTable],
    filename: str,
) -> ReportT | Response:
    response.headers["Vary"] = "Accept"
    if wants_csv(report_format, request.headers.get("accept")):
        return csv_response(as_csv(report), filename)
    return report


def _responses(what: str) -> dict[int | str, dict[str, Any]]:
    return {
        **REPORT_ERRORS,
        200: {"description": f"{what} (JSON, or CSV on request)", "content": CSV_CONTENT},
    }


@router.get(
    "/requests",
    operation_id="reports_requests",
    summary="Report: meeting requests per company",
    response_model=RequestsReport,
    responses=_responses("Requests sent, received, accepted, declined, pending and expired per company"),
    openapi_extra=owner_only(),
)
async def requests_report(
    event_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Organiser,
    report_format: FormatQuery = None,
) -> Any:
    """Per company: requests sent and received, accepted each way, and declined, withdrawn, pending and
    expired ones (sent or received); with the event's totals (each request once)."""
    event, rows = await service.requests_report(session, event_id, principal)
    report = presenter.requests_report(event, rows, datetime.now(UTC))
    return _answer(
        request, response, report_format, report, presenter.requests_csv, f"requests-{event_id}.csv"
    )


@router.get(
    "/meetings",
    operation_id="reports_meetings",
    summary="Report: meetings per company",
    response_model=MeetingsReport,
    responses=_responses("Meetings scheduled, held, no-show and cancelled per company"),
    openapi_extra=owner_only(),
)
async def meetings_report(
    event_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Organiser,
    report_format: FormatQuery = None,
) -> Any:
    """Per company: meetings scheduled (not cancelled), upcoming, checked in, held, no-show and cancelled;
    with the event's totals (each meeting once)."""
    event, rows = await service.meetings_report(session, event_id, principal)
    report = presenter.meetings_report(event, rows, datetime.now(UTC))
    return _answer(
        request, response, report_format, report, presenter.meetings_csv, f"meetings-{event_id}.csv"
    )


@router.get(
    "/slot-usage",
    operation_id="reports_slot_usage",
    summary="Report: table and interpreter use per slot",
    response_model=SlotUsageReport,
    responses=_responses("Meetings, tables and interpreters per slot"),
    openapi_extra=owner_only(),
)
async def slot_usage_report(
    event_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Organiser,
    report_format: FormatQuery = None,
) -> Any:
    """Per slot of the grid: live meetings, tables in use of all tables, interpreters in use, held
    otherwise (breaks, sessions) and in all."""
    event, rows = await service.slot_usage_report(session, event_id, principal)
    report = presenter.slot_usage_report(event, rows, datetime.now(UTC))
    return _answer(
        request, response, report_format, report, presenter.slot_usage_csv, f"slot-usage-{event_id}.csv"
    )


@router.get(
    "/outcomes",
    operation_id="reports_outcomes",
    summary="Report: meeting outcomes by purpose",
    response_model=OutcomesReport,
    responses=_responses("Outcomes per purpose and estimated values per currency"),
    openapi_extra=owner_only(),
)
async def outcomes_report(
    event_id: uuid.UUID,
    request: Request,
    response: Response,
    session: SessionDep,
    principal: Organiser,
    report_format: FormatQuery = None,
) -> Any:
    """Per purpose: meetings with a recorded outcome, how many per outcome (no interest, follow-up,
    cooperation possible) and the sums of their estimated values per currency; with the totals."""
    event, groups = await service.outcomes_report(session, event_id, principal)
    report = presenter.outcomes_report(event, groups, datetime.now(UTC))
    return _answer(
        request, response, report_format, report, presenter.outcomes_csv, f"outcomes-{event_id}.csv"
    )
