"""The API shape of FX rates and conversions."""

from datetime import date
from decimal import Decimal

from investment.fx.models import FxRate, ImportSummary, RateOn
from investment.fx.schemas import ConversionRead, FxImportRead, FxRateRead, RateUsedRead
from investment.values import money_read, rate_text
from plaza_contracts import Money


def to_read(rate: FxRate) -> FxRateRead:
    """A stored rate."""
    return FxRateRead(
        currency=rate.currency,
        date=rate.rate_date,
        rate=rate_text(rate.rate),
        source=rate.source,
        updated_at=rate.updated_at,
    )


def rate_used(rate: RateOn) -> RateUsedRead:
    """A rate a figure was computed with."""
    return RateUsedRead(
        currency=rate.currency, rate=rate_text(rate.rate), date=rate.rate_date, source=rate.source
    )


def import_read(summary: ImportSummary) -> FxImportRead:
    """What an import wrote."""
    return FxImportRead(**summary._asdict())


def conversion(money: Money, result: Decimal, target: str, on: date, used: list[RateOn]) -> ConversionRead:
    """An amount and what it is worth in `target`."""
    amount = money_read(money.amount, money.currency)
    value = money_read(result, target)
    assert amount is not None
    assert value is not None
    return ConversionRead(amount=amount, converted=value, on=on, rates=[rate_used(rate) for rate in used])
