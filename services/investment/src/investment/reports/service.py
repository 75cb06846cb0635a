"""Report use cases: ask the repository for exact sums per group and currency, convert them with the one
rounding rule of `investment.money`, and hand domain tuples to the presenter.

**Money.** A report line's figure (a stage's total value, an event's weighted value, …) is the exact sum of
its leads' exact conversions into the report's currency, rounded **once** to that currency's minor unit,
half away from zero; a report's total is the sum of its rounded lines (rule 4), so the lines add up in a
spreadsheet. PostgreSQL sums each currency's amounts exactly (`numeric`); since a conversion is linear,
converting that sum with `money.exact_conversion` (40 significant digits) is the sum of the exact
conversions. A weighted sum is Σ value × probability, divided by 100 after the conversion.

**Rates.** The rate of a currency on the report's date (`on`, default today) is its latest on or before it.
No rate of the report's currency: 422 (as for a valuation). Leads valued in a currency with no rate are still
counted, but their value is left out of the figures and the currency is listed in `missing_rates`.

**Visibility.** Every report counts only the leads the caller may see: its organisation's own and those
shared with it (admins: all), the rule of the lead list.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from investment.fx import service as fx
from investment.fx.models import RateOn
from investment.money import BASE_CURRENCY, HUNDRED, PRECISION, MissingRateError, exact_conversion, rounded
from investment.reports import repository
from investment.reports.models import (
    CompanyFigures,
    CurrencyGroup,
    EventFigures,
    Figures,
    FunnelFigures,
    PipelineFigures,
    ReportBasis,
    SigningGroup,
    Valued,
    WonDeals,
    WonFigures,
)
from investment.reports.repository import Viewer
from plaza_kit.identity import Principal

ZERO = Decimal(0)


def viewer_of(principal: Principal) -> Viewer:
    """The leads the principal's reports count."""
    return Viewer(principal.organisation_id, everything=principal.is_admin)


async def _basis(session: AsyncSession, currency: str, on: date) -> tuple[ReportBasis, RateOn | None]:
    """The report's currency and date, and the currency's rate then (None for EUR); 422 without one."""
    target = None
    if currency != BASE_CURRENCY:
        target = (await fx.rates_on(session, on, [currency])).get(currency)
        if target is None:
            raise fx.missing_rate(MissingRateError(currency), on)
    return ReportBasis(currency, on, datetime.now(UTC)), target


class _Exact:
    """Exact (unrounded) sums of one line, in the report's currency."""

    def __init__(self) -> None:
        self.leads = 0
        self.won = 0
        self.value = ZERO
        self.weighted = ZERO
        self.won_value = ZERO

    def rounded(self, currency: str) -> Figures:
        return Figures(
            self.leads,
            rounded(self.value, currency),
            rounded(self.weighted, currency),
            self.won,
            rounded(self.won_value, currency),
        )


def _converter(target: str, target_rate: RateOn | None) -> Any:
    def convert(amount: Decimal, source: str, source_rate: Decimal | None) -> Decimal | None:
        """`amount` of `source` in the target currency, exactly; None when `source` has no rate."""
        if source == target:
            return amount
        rates: dict[str, Decimal] = {}
        if source_rate is not None:
            rates[source] = source_rate
        if target_rate is not None:
            rates[target] = target_rate.rate
        if source != BASE_CURRENCY and source not in rates:
            return None
        return exact_conversion(amount, source, target, rates)

    return convert


def value_groups(
    groups: Iterable[CurrencyGroup], currency: str, target_rate: RateOn | None, key: Any = None
) -> Valued:
    """Lines per group key (`key(group)` picks it, default the group's key) in `currency`, rounded once."""
    convert = _converter(currency, target_rate)
    exact: dict[tuple[Any, ...], _Exact] = defaultdict(_Exact)
    used: dict[str, RateOn] = {target_rate.currency: target_rate} if target_rate is not None else {}
    missing: set[str] = set()
    for group in groups:
        line = exact[key(group) if key is not None else group.key]
        line.leads += group.leads
        line.won += group.won
        if group.currency is None or group.amount is None:
            continue
        rate = group.rate.rate if group.rate is not None else None
        value = convert(group.amount, group.currency, rate)
        if value is None:
            missing.add(group.currency)
            continue
        if group.rate is not None and group.currency != currency:
            used[group.currency] = group.rate
        line.value += value
        weighted = convert(group.weighted or ZERO, group.currency, rate) or ZERO
        line.weighted += PRECISION.divide(weighted, HUNDRED)
        if group.won_amount is not None:
            line.won_value += convert(group.won_amount, group.currency, rate) or ZERO
    lines = {k: line.rounded(currency) for k, line in exact.items()}
    return Valued(lines, [used[code] for code in sorted(used)], sorted(missing))


async def pipeline(
    session: AsyncSession, principal: Principal, currency: str, on: date, *, include_closed: bool
) -> PipelineFigures:
    """Visible leads by pipeline and stage, and by deal type: count, value and weighted value."""
    basis, target = await _basis(session, currency, on)
    groups = await repository.pipeline_groups(
        session, viewer_of(principal), on, include_closed=include_closed
    )
    by_stage = [group for group in groups if group.key[2] is None]
    by_deal_type = [group for group in groups if group.key[2] is not None]
    return PipelineFigures(
        basis,
        include_closed,
        value_groups(by_stage, currency, target, key=lambda group: group.key[:2]),
        value_groups(by_deal_type, currency, target, key=lambda group: group.key[2:]),
    )


async def funnel(session: AsyncSession, principal: Principal, pipeline_code: str | None) -> FunnelFigures:
    """Per stage of each pipeline: leads that reached it, and the median completed spell in it."""
    stages = await repository.funnel_stages(session, viewer_of(principal), pipeline_code)
    return FunnelFigures(datetime.now(UTC), stages)


def _signing_values(groups: Iterable[SigningGroup], currency: str) -> tuple[dict[Any, Decimal], set[str]]:
    exact: dict[Any, Decimal] = defaultdict(lambda: ZERO)
    missing: set[str] = set()
    for group in groups:
        rates = {
            code: rate
            for code, rate in ((group.currency, group.source_rate), (currency, group.target_rate))
            if rate is not None
        }
        needed = {group.currency, currency} - {BASE_CURRENCY}
        if group.currency != currency and not needed <= set(rates):
            missing |= needed - set(rates)
            continue
        exact[group.key] += exact_conversion(group.amount, group.currency, currency, rates)
    return exact, missing


async def won_deals(
    session: AsyncSession,
    principal: Principal,
    currency: str,
    on: date,
    *,
    hs_digits: int,
    signed_from: date | None,
    signed_to: date | None,
) -> WonDeals:
    """Won deals by country pair, sector and HS code: their signed values at the date's rates and at the
    rates frozen when each was signed."""
    basis, target = await _basis(session, currency, on)
    at_date, at_signing = await repository.won_groups(
        session,
        viewer_of(principal),
        currency,
        on,
        hs_digits=hs_digits,
        signed_from=signed_from,
        signed_to=signed_to,
    )
    valued = value_groups(at_date, currency, target)
    frozen, missing_frozen = _signing_values(at_signing, currency)
    lines = {
        key: WonFigures(figures.leads, figures.value, rounded(frozen.get(key, ZERO), currency))
        for key, figures in valued.lines.items()
    }
    return WonDeals(basis, hs_digits, lines, valued.rates, valued.missing_rates, sorted(missing_frozen))


async def per_event(session: AsyncSession, principal: Principal, currency: str, on: date) -> EventFigures:
    """Per plaza: leads from it, their value and weighted value, the won ones and their value."""
    basis, target = await _basis(session, currency, on)
    groups = await repository.event_groups(session, viewer_of(principal), on)
    return EventFigures(basis, value_groups(groups, currency, target))


async def per_company(
    session: AsyncSession, principal: Principal, currency: str, on: date, company_id: uuid.UUID | None
) -> CompanyFigures:
    """Per company, as either party: its leads, their value and weighted value, the won ones."""
    basis, target = await _basis(session, currency, on)
    rows = await repository.company_groups(session, viewer_of(principal), on, company_id)
    valued = value_groups([group for group, _ in rows], currency, target)
    return CompanyFigures(basis, valued, {name.company_id: name for _, name in rows})
