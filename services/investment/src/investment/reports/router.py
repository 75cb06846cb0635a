"""HTTP routes of the reports, under `/v1/reports`.

Each report is JSON, or a CSV download for Excel with `?format=csv` (UTF-8 with a BOM, CRLF; the same
figures). Money reports take `?currency=` (default USD) and `?on=` (the rates' date, default today: each
currency's latest rate on or before it). Every report counts only the leads the caller may see: its
organisation's own and those shared with it (admins: all).
"""

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from investment.pipelines.stages import PIPELINES
from investment.reports import presenter, service
from investment.reports.csv_export import CsvTable, csv_response
from investment.reports.schemas import (
    CompanyReport,
    EventReport,
    FunnelReport,
    PipelineReport,
    ReportFormat,
    WonReport,
)
from plaza_contracts import CurrencyCode, IsoDate
from plaza_kit.auth import requires
from plaza_kit.db import SessionDep
from plaza_kit.errors import NotFoundError
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/reports", tags=["reports"])
Reader = Annotated[Principal, requires(Scope.INVESTMENT_READ)]
FormatQuery = Annotated[
    ReportFormat | None, Query(alias="format", description="`csv` for a CSV download; default JSON.")
]
CurrencyQuery = Annotated[CurrencyCode, Query(description="The report's currency (ISO 4217).")]
OnQuery = Annotated[
    date | None,
    Query(description="The rates' date: each currency's latest rate on or before it (default today, UTC)."),
]
CSV_CONTENT = {"text/csv": {"schema": {"type": "string"}}}
NO_RATE: dict[int | str, dict[str, Any]] = {
    422: {"description": "No rate of the report's currency on or before `on`"}
}
ReportT = TypeVar("ReportT", bound=BaseModel)


def _responses(what: str, money: bool = True) -> dict[int | str, dict[str, Any]]:
    ok: dict[int | str, dict[str, Any]] = {
        200: {"description": f"{what} (JSON, or CSV with ?format=csv)", "content": CSV_CONTENT}
    }
    return {**ok, **NO_RATE} if money else ok


def _today(on: date | None) -> date:
    return on or datetime.now(UTC).date()


def _answer(
    report: ReportT, report_format: ReportFormat | None, as_csv: Callable[[ReportT], CsvTable], name: str
) -> ReportT | Response:
    if report_format == "csv":
        return csv_response(as_csv(report), f"{name}.csv")
    return report


@router.get(
    "/pipeline",
    operation_id="reports_pipeline",
    summary="Report: the pipeline by stage and by deal type",
    response_model=PipelineReport,
    responses=_responses("Count, value and weighted value per stage and per deal type"),
)
async def pipeline_report(
    session: SessionDep,
    principal: Reader,
    currency: CurrencyQuery = "USD",
    on: OnQuery = None,
    include_closed: Annotated[
        bool, Query(description="Count won, lost and abandoned leads too (default: open and on hold).")
    ] = False,
    report_format: FormatQuery = None,
) -> Any:
    """The leads you may see per pipeline stage and per deal type: how many, their value (signed, else
    estimated) and weighted value (× probability) in `currency`, each figure rounded once; each table's total
    is the sum of its lines."""
    day = _today(on)
    figures = await service.pipeline(session, principal, currency, day, include_closed=include_closed)
    report = presenter.pipeline_report(figures)
    return _answer(report, report_format, presenter.pipeline_csv, f"pipeline-{currency}-{day}")


@router.get(
    "/funnel",
    operation_id="reports_funnel",
    summary="Report: conversion stage to stage and median time in stage",
    response_model=FunnelReport,
    responses={
        **_responses("Per stage: leads reached, conversion, median time", False),
        404: {"description": "No such pipeline"},
    },
)
async def funnel_report(
    session: SessionDep,
    principal: Reader,
    pipeline: Annotated[str | None, Query(max_length=30, description="One pipeline (default all).")] = None,
    report_format: FormatQuery = None,
) -> Any:
    """From the transition log of the leads you may see: per stage, how many leads reached it, how many went
    on to the next (the conversion), and the median time a lead spent in it before moving on."""
    if pipeline is not None and pipeline not in {p.code for p in PIPELINES}:
        raise NotFoundError(f"no pipeline {pipeline!r}")
    report = presenter.funnel_report(await service.funnel(session, principal, pipeline), pipeline)
    return _answer(report, report_format, presenter.funnel_csv, f"funnel-{pipeline or 'all'}")


@router.get(
    "/won",
    operation_id="reports_won",
    summary="Report: won deals by country pair, sector and HS code",
    response_model=WonReport,
    responses=_responses("Won deals and their signed value, at the date's and at the signing rates"),
)
async def won_report(
    session: SessionDep,
    principal: Reader,
    currency: CurrencyQuery = "USD",
    on: OnQuery = None,
    hs_digits: Annotated[
        int, Query(ge=2, le=10, multiple_of=2, description="HS codes grouped by this many digits.")
    ] = 4,
    signed_from: Annotated[IsoDate | None, Query(description="Deals signed on or after this date.")] = None,
    signed_to: Annotated[IsoDate | None, Query(description="Deals signed on or before this date.")] = None,
    report_format: FormatQuery = None,
) -> Any:
    """The won deals you may see, by the parties' countries, by sector and by HS code: their signed value in
    `currency` at the rates of `on` and at the rates frozen when each was signed."""
    day = _today(on)
    deals = await service.won_deals(
        session, principal, currency, day, hs_digits=hs_digits, signed_from=signed_from, signed_to=signed_to
    )
    report = presenter.won_report(deals, signed_from, signed_to)
    return _answer(report, report_format, presenter.won_csv, f"won-{currency}-{day}")


@router.get(
    "/events",
    operation_id="reports_events",
    summary="Report: what each plaza produced",
    response_model=EventReport,
    responses=_responses("Per event: leads, value, weighted value, won deals"),
)
async def events_report(
    session: SessionDep,
    principal: Reader,
    currency: CurrencyQuery = "USD",
    on: OnQuery = None,
    report_format: FormatQuery = None,
) -> Any:
    """Per plaza (the event a lead came out of): how many leads you may see came from it, their value and
    weighted value, and the won deals with their signed value, in `currency`."""
    day = _today(on)
    report = presenter.event_report(await service.per_event(session, principal, currency, day))
    return _answer(report, report_format, presenter.event_csv, f"events-{currency}-{day}")


@router.get(
    "/companies",
    operation_id="reports_companies",
    summary="Report: leads per company",
    response_model=CompanyReport,
    responses=_responses("Per company (either party): leads, value, weighted value, won deals"),
)
async def companies_report(
    session: SessionDep,
    principal: Reader,
    currency: CurrencyQuery = "USD",
    on: OnQuery = None,
    company_id: Annotated[uuid.UUID | None, Query(description="One company only.")] = None,
    report_format: FormatQuery = None,
) -> Any:
    """Per company, as the Korean or the Japanese party of the leads you may see: how many, their value and
    weighted value, the won deals and their signed value, in `currency`."""
    day = _today(on)
    figures = await service.per_company(session, principal, currency, day, company_id)
    report = presenter.company_report(figures)
    return _answer(report, report_format, presenter.company_csv, f"companies-{currency}-{day}")
