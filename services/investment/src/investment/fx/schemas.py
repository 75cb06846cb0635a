"""Wire shapes of FX rates."""

from datetime import date
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from investment.values import MoneyRead, RateValue
from plaza_contracts import ContractModel, CurrencyCode, InputModel, UtcDateTime

SourceText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class FxRateWrite(InputModel):
    """A rate of a currency on a date (units per euro); writing a currency and date again replaces it."""

    currency: CurrencyCode = Field(description="ISO 4217 code; not EUR, which is always 1.")
    date: date
    rate: RateValue
    source: SourceText = Field(default="manual", description="Where the rate comes from (ECB, manual, …).")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"currency": "KRW", "date": "2025-09-18", "rate": "1632.41"}]}
    )


class FxRateRead(ContractModel):
    """A stored rate."""

    currency: str
    date: date
    rate: str = Field(description="Units of the currency per euro.", examples=["1632.41"])
    source: str
    updated_at: UtcDateTime


class FxImportRead(ContractModel):
    """What an ECB file import wrote."""

    rates: int = Field(description="Rates written (new or replaced).")
    dates: int
    first_date: date | None
    last_date: date | None
    currencies: list[str]
    skipped_currencies: list[str] = Field(description="Columns of currencies ISO 4217 no longer lists.")


class RateUsedRead(ContractModel):
    """A rate a conversion used: the latest on or before the date asked for."""

    currency: str
    rate: str
    date: date
    source: str


class ConversionRead(ContractModel):
    """An amount converted through EUR at the rates of a date (rounded once, half away from zero)."""

    amount: MoneyRead
    converted: MoneyRead
    on: date
    rates: list[RateUsedRead]
