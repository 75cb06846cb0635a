"""Money arithmetic of the investment service: exact Decimals, EUR-based cross rates, one rounding rule.

**The rounding rule** (also in the service README):

1. An amount is stored exactly as sent. The contract (`plaza_contracts.Money`) refuses more decimal places
   than the currency has (`minor_units`: none for KRW and JPY, two for USD and EUR), so nothing is rounded
   on the way in.
2. Rates are EUR-based: a rate is how many units of the currency one euro buys (`EUR` itself is 1, never
   stored). `amount` in A is worth `amount × rate(B) ÷ rate(A)` in B: the cross rate goes through EUR.
3. A figure shown in currency B (a converted value, a weighted value) is computed exactly — with 40
   significant digits, far more than any amount and rate have — and rounded **once**, at the end, to B's
   minor unit, **half away from zero** (`ROUND_HALF_UP`: 0.005 USD → 0.01, 2.5 JPY → 3). A weighted value
   is `amount × rate(B) ÷ rate(A) × probability ÷ 100` rounded once; it is not the rounded converted value
   times the probability.
4. A total is the sum of its lines' rounded figures, so a report's lines always add up to its total, as
   they will in a spreadsheet. Amounts already in B are not converted (the factor is exactly 1).

Only `decimal.Decimal` is used: no float ever touches an amount or a rate.
"""

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Context, Decimal

from plaza_contracts import minor_units

BASE_CURRENCY = "EUR"
PRECISION = Context(prec=40)  # exact enough for 20-digit amounts times 20-digit rates
HUNDRED = Decimal(100)


class MissingRateError(Exception):
    """No rate of `currency` is known (on or before the date asked for)."""

    def __init__(self, currency: str) -> None:
        super().__init__(currency)
        self.currency = currency


def quantum(currency: str) -> Decimal:
    """The currency's smallest unit: 1 for KRW and JPY, 0.01 for USD and EUR."""
    return Decimal(1).scaleb(-minor_units(currency))


def rounded(value: Decimal, currency: str) -> Decimal:
    """`value` rounded to the currency's minor unit, half away from zero (rule 3)."""
    return value.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def formatted(value: Decimal, currency: str) -> str:
    """The amount as the API writes it: exactly the currency's decimal places (`"1500000"`, `"12.50"`)."""
    return f"{rounded(value, currency):f}"


def rate_of(rates: Mapping[str, Decimal], currency: str) -> Decimal:
    """Units of `currency` per euro (1 for the euro itself)."""
    if currency == BASE_CURRENCY:
        return Decimal(1)
    rate = rates.get(currency)
    if rate is None:
        raise MissingRateError(currency)
    return rate


def exact_conversion(amount: Decimal, source: str, target: str, rates: Mapping[str, Decimal]) -> Decimal:
    """`amount` of `source` in `target` through EUR, unrounded (rule 2)."""
    if source == target:
        return amount
    return PRECISION.divide(PRECISION.multiply(amount, rate_of(rates, target)), rate_of(rates, source))


def converted(amount: Decimal, source: str, target: str, rates: Mapping[str, Decimal]) -> Decimal:
    """`amount` of `source` in `target`, rounded once to `target`'s minor unit."""
    return rounded(exact_conversion(amount, source, target, rates), target)


def weighted(
    amount: Decimal, source: str, target: str, probability: int, rates: Mapping[str, Decimal]
) -> Decimal:
    """`amount × probability %` in `target`, from the exact conversion, rounded once (rule 3)."""
    exact = exact_conversion(amount, source, target, rates)
    return rounded(PRECISION.divide(PRECISION.multiply(exact, Decimal(probability)), HUNDRED), target)


def total(figures: Iterable[Decimal], currency: str) -> Decimal:
    """The sum of figures already rounded to `currency` (rule 4), written with its decimal places."""
    return rounded(sum(figures, Decimal(0)), currency)
