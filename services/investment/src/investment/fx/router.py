"""HTTP routes of FX rates: `/v1/fx-rates` (kept by administrators, read by every investment client)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status

from investment.fx import presenter, service
from investment.fx.models import FxRate
from investment.fx.schemas import ConversionRead, FxImportRead, FxRateRead, FxRateWrite
from plaza_contracts import CurrencyCode, IsoDate, Page
from plaza_kit.auth import requires
from plaza_kit.db import SessionDep
from plaza_kit.errors import InvalidCursorError
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/fx-rates", tags=["fx-rates"])
Reader = Annotated[Principal, requires(Scope.INVESTMENT_READ)]
Keeper = Annotated[Principal, requires(Scope.ADMIN)]  # rates are shared by everyone's reports
IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "An ECB reference-rate file: eurofxref.csv (daily) or eurofxref-hist.csv "
        "(historical), or either zipped as the ECB publishes it.",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/zip": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def _position(rate: FxRate) -> list[str]:
    return [rate.rate_date.isoformat(), rate.currency]


def _after(position: list[Any] | None) -> tuple[date, str] | None:
    if not position:
        return None
    try:
        return date.fromisoformat(str(position[0])), str(position[1])
    except (ValueError, IndexError) as error:
        raise InvalidCursorError("the cursor is malformed") from error


@router.post(
    "",
    operation_id="fx_rates_put",
    summary="Write an FX rate",
    status_code=status.HTTP_201_CREATED,
    response_model=FxRateRead,
    responses={200: {"description": "The rate of that currency and date was replaced", "model": FxRateRead}},
)
async def put_rate(body: FxRateWrite, session: SessionDep, response: Response, principal: Keeper) -> Any:
    """Write the rate of a currency on a date, in units per euro (201; 200 when it replaced a stored one)."""
    rate, created = await service.put_rate(session, body)
    if not created:
        response.status_code = status.HTTP_200_OK
    return presenter.to_read(rate)


@router.post(
    "/imports/ecb",
    operation_id="fx_rates_import_ecb",
    summary="Import an ECB reference-rate file",
    responses={422: {"description": "Not an ECB reference-rate file (the detail says where)"}},
    openapi_extra=IMPORT_BODY,
)
async def import_ecb(
    request: Request,
    session: SessionDep,
    principal: Keeper,
    since: Annotated[IsoDate | None, Query(description="Import only the dates from this one on.")] = None,
) -> FxImportRead:
    """Import the European Central Bank's euro reference rates (daily or historical layout, CSV or zip);
    every rate is written with source `ECB`, replacing what was stored for its currency and date. The full
    historical CSV is larger than the default body limit: send the zip, or `since`-filter a smaller file."""
    summary = await service.import_ecb(session, await request.body(), since)
    return presenter.import_read(summary)


@router.get("", operation_id="fx_rates_list", summary="List FX rates")
async def list_rates(
    session: SessionDep,
    page: KeysetDep,
    principal: Reader,
    currency: CurrencyCode | None = None,
    from_date: Annotated[IsoDate | None, Query(alias="from")] = None,
    to_date: Annotated[IsoDate | None, Query(alias="to")] = None,
) -> Page[FxRateRead]:
    """Stored rates, newest date first; filter by currency and dates (inclusive)."""
    filters = {"currency": currency, "from": from_date, "to": to_date}
    rows = await service.list_rates(
        session,
        currency=currency,
        from_date=from_date,
        to_date=to_date,
        after=_after(page.position(filters)),
        limit=page.fetch,
    )
    return page.of(rows, filters, presenter.to_read, _position)


@router.get(
    "/convert",
    operation_id="fx_rates_convert",
    summary="Convert an amount",
    responses={422: {"description": "An invalid amount, or no rate of a currency on or before the date"}},
)
async def convert(
    session: SessionDep,
    principal: Reader,
    amount: Annotated[str, Query(max_length=30, description="Decimal string, e.g. 1500000.")],
    currency: CurrencyCode,
    to: CurrencyCode,
    on: Annotated[IsoDate, Query(description="Use the latest rates on or before this date.")],
) -> ConversionRead:
    """What `amount` of `currency` is worth in `to` at the rates of `on`, through EUR, rounded once to
    `to`'s minor unit, half away from zero (the service README's rounding rule)."""
    money, result, used = await service.convert(session, amount, currency, to, on)
    return presenter.conversion(money, result, to, on, used)
