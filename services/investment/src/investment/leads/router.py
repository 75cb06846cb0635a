"""HTTP routes of leads: `/v1/leads`, `/v1/leads/{lead_id}`, its transitions, history and valuation.

Every route on one lead declares `owner_only()`: a lead is private to its owner organisation and the
organisations it is shared with, and everyone else gets 404.
"""

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status

from investment.leads import presenter, service
from investment.leads.models import LeadView
from investment.leads.schemas import (
    HistoryRead,
    HsCode,
    LeadCreate,
    LeadRead,
    LeadUpdate,
    TransitionCreate,
    ValuationRead,
)
from investment.pipelines.stages import DealType, LeadStatus
from investment.reports import presenter as reports_presenter
from investment.reports.csv_export import csv_response
from plaza_contracts import CurrencyCode, IsoDate, Page
from plaza_kit.auth import owner_only, requires
from plaza_kit.client_registry import RegistryDep
from plaza_kit.concurrency import IfMatchHeader, entity_tag
from plaza_kit.db import SessionDep
from plaza_kit.errors import UnprocessableError
from plaza_kit.idempotency import Created, IdempotentCreateDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.paths import record_id
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/leads", tags=["leads"])
Reader = Annotated[Principal, requires(Scope.INVESTMENT_READ)]
Writer = Annotated[Principal, requires(Scope.INVESTMENT_WRITE)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such lead (or one not shared with your organisation)"}
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "The lead is shared with your organisation for reading only"},
    412: {"description": "`If-Match` names an older version"},
}
ETAG_HEADER = {"ETag": {"description": "The lead's version, for `If-Match`", "schema": {"type": "string"}}}
EXPORT_MAX_LEADS = 100_000  # a CSV export holds at most this many leads (more: narrow the filters)
REGISTRY_DOWN: dict[int | str, dict[str, Any]] = {
    503: {"description": "The registry (which checks the parties) is unavailable; nothing was written"}
}


def _with_etag(response: Response, view: LeadView) -> LeadRead:
    read = presenter.to_read(view)
    response.headers["ETag"] = entity_tag(read.version)
    return read


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="leads_create",
    summary="Create a lead",
    response_model=LeadRead,
    responses={
        422: {"description": "Invalid lead, or a party the registry does not know"},
        **REGISTRY_DOWN,
    },
)
async def create_lead(
    body: LeadCreate,
    session: SessionDep,
    registry: RegistryDep,
    principal: Writer,
    idempotent: IdempotentCreateDep,
) -> Any:
    """Create a lead owned by your organisation, open at the first stage of its deal type's pipeline; the
    parties are checked against the registry. Send an `Idempotency-Key` to make retries safe."""

    async def create() -> Created:
        read = presenter.to_read(await service.create_lead(session, registry, body, principal))
        return Created(read.model_dump(mode="json", by_alias=True), f"/v1/leads/{read.id}")

    return await idempotent(principal, body, create)


@router.get(
    "",
    operation_id="leads_list",
    summary="List leads",
    response_model=Page[LeadRead],
    responses={
        200: {
            "description": "A page of leads (JSON), or every matching lead as CSV with ?format=csv",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        422: {"description": f"Invalid filters, or a CSV export of more than {EXPORT_MAX_LEADS:,} leads"},
    },
)
async def list_leads(
    session: SessionDep,
    page: KeysetDep,
    principal: Reader,
    deal_type: DealType | None = None,
    pipeline: Annotated[str | None, Query(max_length=30)] = None,
    stage: Annotated[str | None, Query(max_length=40)] = None,
    lead_status: Annotated[LeadStatus | None, Query(alias="status")] = None,
    company_id: Annotated[uuid.UUID | None, Query(description="Either party.")] = None,
    event_id: Annotated[uuid.UUID | None, Query(description="Leads from this plaza.")] = None,
    tag: Annotated[str | None, Query(max_length=50)] = None,
    sector: Annotated[str | None, Query(max_length=40)] = None,
    hs_code: Annotated[HsCode | None, Query(description="Leads with an HS code under this one.")] = None,
    owner_organisation_id: uuid.UUID | None = None,
    follow_up_by: Annotated[
        IsoDate | None, Query(description="Next follow-up on or before this date.")
    ] = None,
    list_format: Annotated[
        Literal["json", "csv"] | None,
        Query(alias="format", description="`csv`: every matching lead (no pages) as a CSV download."),
    ] = None,
) -> Any:
    """The leads your organisation owns or that are shared with it, in creation order, filtered. With
    `?format=csv`, all of them (not a page; `limit` and `cursor` are ignored) as CSV for Excel: UTF-8 with a
    BOM, CRLF, Korean and Japanese names kept."""
    filters: dict[str, Any] = {
        "deal_type": deal_type,
        "pipeline": pipeline,
        "stage": stage,
        "status": lead_status,
        "company_id": company_id,
        "event_id": event_id,
        "tag": tag,
        "sector": sector,
        "hs_code": hs_code,
        "owner_organisation_id": owner_organisation_id,
        "follow_up_by": follow_up_by,
    }
    if list_format == "csv":
        every = await service.list_leads(
            session, principal, filters=filters, after_id=None, limit=EXPORT_MAX_LEADS + 1
        )
        if len(every) > EXPORT_MAX_LEADS:
            raise UnprocessableError(f"more than {EXPORT_MAX_LEADS:,} leads match: narrow the filters")
        table = reports_presenter.leads_table([presenter.to_read(view) for view in every])
        return csv_response(table, "leads.csv")
    rows = await service.list_leads(
        session, principal, filters=filters, after_id=page.after_id(filters), limit=page.fetch
    )
    return page.of(rows, filters, presenter.to_read, lambda view: [str(view.lead.id)])


@router.get(
    f"/{record_id('lead_id')}",
    operation_id="leads_get",
    summary="Get a lead",
    responses={**NOT_FOUND, 200: {"headers": ETAG_HEADER, "description": "The lead"}},
    openapi_extra=owner_only(),
)
async def get_lead(
    lead_id: uuid.UUID, session: SessionDep, registry: RegistryDep, response: Response, principal: Reader
) -> LeadRead:
    """One lead, with the moves it may make next and what you may do with it (`access`). A party merged in
    the registry since answers as the company it was merged into."""
    view = await service.lead_view(session, lead_id, principal)
    return _with_etag(response, await service.follow_merges(session, registry, view))


@router.patch(
    f"/{record_id('lead_id')}",
    operation_id="leads_update",
    summary="Update a lead",
    responses={
        **WRITE_ERRORS,
        **REGISTRY_DOWN,
        200: {"headers": ETAG_HEADER, "description": "The updated lead"},
    },
    openapi_extra=owner_only(),
)
async def update_lead(
    lead_id: uuid.UUID,
    body: LeadUpdate,
    session: SessionDep,
    registry: RegistryDep,
    response: Response,
    principal: Writer,
    if_match: IfMatchHeader = None,
) -> LeadRead:
    """Change some fields (JSON merge patch). Send the `ETag` you read as `If-Match`: a change made since is
    a 412, never a lost update. Stage and status move through `leads_transition`."""
    view = await service.update_lead(session, registry, lead_id, body, principal, if_match)
    return _with_etag(response, view)


@router.post(
    "/{lead_id}/transitions",
    operation_id="leads_transition",
    summary="Move a lead to another stage or status",
    responses={
        **WRITE_ERRORS,
        200: {"headers": ETAG_HEADER, "description": "The lead after the move"},
        403: {"description": "Read-only share, or `won` without the scope investment:win"},
        422: {"description": "Not an allowed move (the allowed are listed), or a stage-gated field missing"},
    },
    openapi_extra=owner_only(),
)
async def transition(
    lead_id: uuid.UUID,
    body: TransitionCreate,
    session: SessionDep,
    response: Response,
    principal: Writer,
    if_match: IfMatchHeader = None,
) -> LeadRead:
    """Move the lead one stage on (or back), or change its status (on hold, won, lost, abandoned, reopened).
    Each move is appended to the lead's history."""
    view = await service.transition(session, lead_id, body, principal, if_match)
    return _with_etag(response, view)


@router.get(
    "/{lead_id}/history",
    operation_id="leads_history",
    summary="A lead's transitions and time in stage",
    responses=NOT_FOUND,
    openapi_extra=owner_only(),
)
async def history(lead_id: uuid.UUID, session: SessionDep, principal: Reader) -> HistoryRead:
    """Every stage and status change (from, to, when, by whom, why), oldest first, and the time the lead
    spent in each stage."""
    log, spells = await service.history(session, lead_id, principal)
    return presenter.history_read(log, spells)


@router.get(
    "/{lead_id}/valuation",
    operation_id="leads_valuation",
    summary="A lead's value in a currency",
    responses={**NOT_FOUND, 422: {"description": "No rate of a currency on or before the date"}},
    openapi_extra=owner_only(),
)
async def valuation(
    lead_id: uuid.UUID,
    session: SessionDep,
    principal: Reader,
    on: Annotated[
        IsoDate | None, Query(description="Rates of this date (latest on or before); today.")
    ] = None,
    currency: Annotated[CurrencyCode, Query(description="The currency to report in; USD.")] = "USD",
) -> ValuationRead:
    """The lead's value (signed, else estimated) and weighted value in `currency`, at the rates of `on` and,
    once signed, at the rates of its signing date frozen then."""
    day = on or datetime.now(UTC).date()
    return presenter.valuation_read(await service.valuation(session, lead_id, principal, currency, day))
