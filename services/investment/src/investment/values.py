"""Wire pieces shared by the investment packages: money as the API writes it, and rates as strings."""

from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field, WithJsonSchema

from investment.money import formatted
from plaza_contracts import ContractModel


class MoneyRead(ContractModel):
    """An amount in a currency, as a decimal string with exactly the currency's decimal places."""

    amount: str = Field(examples=["1500000000"], description="Decimal string (JPY and KRW: no decimals).")
    currency: str = Field(examples=["KRW"])


def money_read(amount: Decimal | None, currency: str | None) -> MoneyRead | None:
    """A stored or computed amount as the API writes it (None when there is none)."""
    if amount is None or currency is None:
        return None
    return MoneyRead(amount=formatted(amount, currency), currency=currency)


def _decimal_text(value: object) -> object:
    # A JSON number has already lost digits, so a rate travels as a string, like an amount.
    if isinstance(value, int | float):
        raise ValueError('send the rate as a decimal string, e.g. "1462.93"')
    return value


RATE_PATTERN = r"^[0-9]{1,10}(\.[0-9]{1,10})?$"

RateValue = Annotated[
    Decimal,
    BeforeValidator(_decimal_text),
    Field(gt=0, max_digits=20, decimal_places=10),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": RATE_PATTERN,
            "description": "Units of the currency per euro, as a decimal string (up to 10 decimals).",
            "examples": ["1462.93"],
        }
    ),
]


def rate_text(rate: Decimal) -> str:
    """A stored rate without the zeros `Numeric(20, 10)` pads it with: "1462.93", not "1462.9300000000"."""
    return f"{rate.normalize():f}"
