"""FX-rate use cases: write one rate, import an ECB file, find the rates of a date, convert an amount.

The rate of a currency "on" a date is its latest rate on or before that date (the ECB publishes on
business days only, so a weekend or holiday uses the last business day before it).
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from investment.fx import ecb, repository
from investment.fx.models import FxRate, ImportSummary, RateOn
from investment.fx.schemas import FxRateWrite
from investment.money import BASE_CURRENCY, MissingRateError, converted
from plaza_contracts import Money
from plaza_kit.errors import UnprocessableError

ECB_SOURCE = "ECB"


async def put_rate(session: AsyncSession, data: FxRateWrite) -> tuple[FxRate, bool]:
    """Write one rate (replacing the currency's rate of that date); the row and whether it is new."""
    if data.currency == BASE_CURRENCY:
        raise UnprocessableError("currency: rates are per euro, so EUR is always 1 and is not stored")
    row = {"currency": data.currency, "rate_date": data.date, "rate": data.rate, "source": data.source}
    inserted = await repository.upsert(session, [row])
    stored = await repository.get(session, data.currency, data.date)
    assert stored is not None
    return stored, inserted == 1


async def import_ecb(session: AsyncSession, content: bytes, since: date | None) -> ImportSummary:
    """Write every rate of an ECB reference-rate file (daily or historical, CSV or zip), source `ECB`."""
    try:
        parsed = ecb.parse(content, since=since)
    except ecb.EcbFileError as error:
        raise UnprocessableError(f"not an ECB reference-rate file: {error}") from error
    rows = [
        {"currency": rate.currency, "rate_date": rate.rate_date, "rate": rate.rate, "source": ECB_SOURCE}
        for rate in parsed.rates
    ]
    await repository.upsert(session, rows)
    dates = sorted({rate.rate_date for rate in parsed.rates})
    return ImportSummary(
        rates=len(rows),
        dates=len(dates),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        currencies=sorted({rate.currency for rate in parsed.rates}),
        skipped_currencies=parsed.skipped_currencies,
    )


async def list_rates(
    session: AsyncSession,
    *,
    currency: str | None,
    from_date: date | None,
    to_date: date | None,
    after: tuple[date, str] | None,
    limit: int,
) -> Sequence[FxRate]:
    """A page of stored rates, newest first."""
    return await repository.page(
        session, currency=currency, from_date=from_date, to_date=to_date, after=after, limit=limit
    )


async def rates_on(
    session: AsyncSession, on: date, currencies: Sequence[str] | None = None
) -> dict[str, RateOn]:
    """Currency → its rate on `on` (latest on or before), for `currencies` or every stored currency."""
    wanted = None if currencies is None else sorted({c for c in currencies if c != BASE_CURRENCY})
    if wanted == []:
        return {}
    return {rate.currency: rate for rate in await repository.rates_on(session, on, wanted)}


def missing_rate(error: MissingRateError, on: date | None) -> UnprocessableError:
    """The 422 of a conversion that has no rate to use."""
    when = f" on or before {on.isoformat()}" if on is not None else ""
    return UnprocessableError(
        f"no FX rate of {error.currency}{when}; add one (POST /v1/fx-rates) or import the ECB's file",
        extensions={"currency": error.currency},
    )


async def convert(
    session: AsyncSession, amount: str, currency: str, target: str, on: date
) -> tuple[Money, Decimal, list[RateOn]]:
    """`amount` of `currency` in `target` at the rates of `on`: the amount, the result, the rates used."""
    try:
        money = Money.model_validate({"amount": amount, "currency": currency})
    except ValidationError as error:
        message = "; ".join(str(item["msg"]) for item in error.errors())
        raise UnprocessableError(f"amount: {message}") from None
    used = await rates_on(session, on, [money.currency, target])
    table = {code: rate.rate for code, rate in used.items()}
    try:
        result = converted(money.amount, money.currency, target, table)
    except MissingRateError as error:
        raise missing_rate(error, on) from None
    return money, result, [used[code] for code in sorted(used)]
