"""What the reports' queries return: sums per group and per currency, before any conversion or rounding.

The queries add amounts up exactly in PostgreSQL (`numeric`), one row per group **and currency**, with the
rate of that currency on the report's date joined in (`rate` None: no rate on or before the date). Because a
conversion is linear, converting the exact sum of a currency's amounts gives exactly the sum of the
amounts' exact conversions: `investment.money` does that once per row and rounds once per figure.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from investment.fx.models import RateOn


class CurrencyGroup(NamedTuple):
    """The leads of one group (`key`) valued in one currency (None: leads without a value)."""

    key: tuple[Any, ...]
    currency: str | None
    leads: int
    amount: Decimal | None  # Σ value
    weighted: Decimal | None  # Σ value × probability (per cent, so ÷ 100 is still to do)
    won: int
    won_amount: Decimal | None  # Σ value of the won leads
    rate: RateOn | None  # the currency's rate on the report's date (None for EUR or when there is none)


class SigningGroup(NamedTuple):
    """Won deals of one group signed in one currency with the same frozen rates (source and target)."""

    key: tuple[Any, ...]
    currency: str
    amount: Decimal
    source_rate: Decimal | None  # the signed currency's frozen rate (None: EUR, or not frozen)
    target_rate: Decimal | None  # the report currency's frozen rate (None: EUR, or not frozen)


class StageSpellStats(NamedTuple):
    """A stage of a pipeline in the funnel, from the transition log."""

    pipeline: str
    stage: str
    reached: int  # leads that ever entered the stage
    here: int  # leads whose latest stage it is
    spells: int  # completed spells (the lead entered another stage afterwards)
    median_seconds: float | None  # median length of the completed spells


class Figures(NamedTuple):
    """A line of a report in the report's currency, each amount rounded once."""

    leads: int
    value: Decimal
    weighted: Decimal
    won: int
    won_value: Decimal


class WonFigures(NamedTuple):
    """A line of the won-deals report: at the report date's rates and at each deal's signing rates."""

    deals: int
    value: Decimal
    value_at_signing: Decimal


class Valued(NamedTuple):
    """Lines by key in one currency, the rates used, and the currencies no rate could convert."""

    lines: dict[tuple[Any, ...], Figures]
    rates: list[RateOn]
    missing_rates: list[str]


class CompanyName(NamedTuple):
    """A party as the leads stored it."""

    company_id: uuid.UUID
    name: dict[str, str]
    country: str | None


class ReportBasis(NamedTuple):
    """What every money report was computed in: the currency, the rates' date, and when."""

    currency: str
    on: date
    generated_at: datetime


class PipelineFigures(NamedTuple):
    """The pipeline report: by (pipeline, stage) and by deal type."""

    basis: ReportBasis
    include_closed: bool
    by_stage: Valued
    by_deal_type: Valued


class FunnelFigures(NamedTuple):
    """The funnel: every stage of the pipelines asked for, from the transition log."""

    generated_at: datetime
    stages: list[StageSpellStats]


class WonDeals(NamedTuple):
    """Won deals by (dimension, first, second): `pair` (Korean party's country, Japanese party's), `sector`
    and `hs` (code prefix)."""

    basis: ReportBasis
    hs_digits: int
    lines: dict[tuple[Any, ...], WonFigures]
    rates: list[RateOn]
    missing_rates: list[str]
    missing_signing_rates: list[str]  # currencies a deal's frozen rates lack (its value at signing omitted)


class EventFigures(NamedTuple):
    """Per plaza: the leads that came out of each event."""

    basis: ReportBasis
    events: Valued


class CompanyFigures(NamedTuple):
    """Per company, as either party."""

    basis: ReportBasis
    companies: Valued
    names: dict[uuid.UUID, CompanyName]
