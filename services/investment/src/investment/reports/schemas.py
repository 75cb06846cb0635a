"""Wire shapes of the reports (each is also served as CSV with `?format=csv`, the same figures)."""

import uuid
from datetime import date
from typing import Literal

from pydantic import Field

from investment.fx.schemas import RateUsedRead
from investment.pipelines.stages import DealType
from investment.values import MoneyRead
from plaza_contracts import ContractModel, UtcDateTime

ReportFormat = Literal["json", "csv"]


class ReportBasisFields(ContractModel):
    """What a money report was computed in."""

    currency: str = Field(examples=["USD"], description="Every amount of the report is in this currency.")
    on: date = Field(description="The rates' date: each currency's latest rate on or before it.")
    generated_at: UtcDateTime
    rates: list[RateUsedRead] = Field(description="The rates the figures were converted with.")
    missing_rates: list[str] = Field(
        description="Currencies with no rate on or before `on`: their leads are counted, but their values "
        "are left out of the figures."
    )


class ValueFigures(ContractModel):
    """Count, value and weighted value of some leads."""

    leads: int
    value: MoneyRead = Field(description="Σ value (signed once signed, else estimated), rounded once.")
    weighted_value: MoneyRead = Field(description="Σ value × probability, rounded once.")


class StageLine(ValueFigures):
    """The leads at one stage of a pipeline."""

    pipeline: str = Field(examples=["trade"])
    stage: str = Field(examples=["negotiating"])
    stage_name: str = Field(examples=["Negotiating"])


class DealTypeLine(ValueFigures):
    """The leads of one deal type."""

    deal_type: DealType


class PipelineReport(ReportBasisFields):
    """Leads by pipeline and stage (every stage, zeros included) and by deal type; each table's total is the
    sum of its rounded lines."""

    include_closed: bool = Field(description="false: open and on-hold leads only; true: every lead.")
    by_stage: list[StageLine]
    by_deal_type: list[DealTypeLine]
    total: ValueFigures = Field(description="The sum of the by-stage lines.")
    total_by_deal_type: ValueFigures = Field(description="The sum of the by-deal-type lines.")


class FunnelStage(ContractModel):
    """One stage of the funnel, from the transition log."""

    stage: str
    stage_name: str
    reached: int = Field(description="Leads that ever entered this stage.")
    current: int = Field(description="Leads whose latest stage this is (whatever their status).")
    reached_next: int | None = Field(description="Leads that went on to the next stage (none for the last).")
    conversion_to_next: float | None = Field(
        description="reached_next ÷ reached (4 decimals); null for the last stage or when none reached it.",
        examples=[0.625],
    )
    completed_spells: int = Field(description="Times a lead left this stage for another.")
    median_seconds: int | None = Field(
        description="Median length of the completed spells in this stage, in seconds (a spell on hold counts "
        "as time in its stage); null when none was completed."
    )


class FunnelPipeline(ContractModel):
    """A pipeline's stages in order."""

    pipeline: str
    stages: list[FunnelStage]


class FunnelReport(ContractModel):
    """Conversion stage to stage and median time in stage, per pipeline."""

    generated_at: UtcDateTime
    pipelines: list[FunnelPipeline]


class WonFiguresRead(ContractModel):
    """Won deals and their signed value."""

    deals: int
    value: MoneyRead = Field(description="Σ signed value at the rates of `on`, rounded once.")
    value_at_signing: MoneyRead = Field(
        description="Σ signed value, each at the rates frozen on its signing date, rounded once."
    )


class CountryPairLine(WonFiguresRead):
    """Won deals between parties of two countries (as the registry had them when the lead was written)."""

    korean_party_country: str | None = Field(examples=["KR"])
    japanese_party_country: str | None = Field(examples=["JP"])


class SectorLine(WonFiguresRead):
    """Won deals in a registry sector (null: deals without a sector)."""

    sector: str | None = Field(examples=["battery_materials"])


class HsCodeLine(WonFiguresRead):
    """Won deals under an HS code prefix (null: deals without an HS code)."""

    hs_code: str | None = Field(examples=["8507"])


class WonReport(ReportBasisFields):
    """Won deals by country pair, by sector and by HS code. A deal in several sectors or codes counts in
    each, so those tables can add up to more than `total` (the sum of the country-pair lines)."""

    hs_digits: int = Field(description="HS codes are grouped by this many leading digits.")
    signed_from: date | None
    signed_to: date | None
    missing_signing_rates: list[str] = Field(
        description="Currencies a won deal's frozen rates lack: its value at signing is left out."
    )
    total: WonFiguresRead
    by_country_pair: list[CountryPairLine]
    by_sector: list[SectorLine]
    by_hs_code: list[HsCodeLine]


class LeadsAndWins(ValueFigures):
    """Leads, their value and weighted value, and the won ones."""

    won: int
    won_value: MoneyRead = Field(description="Σ signed value of the won leads, rounded once.")


class EventLine(LeadsAndWins):
    """What one plaza produced."""

    event_id: uuid.UUID = Field(description="Meetings id of the event.")


class EventReport(ReportBasisFields):
    """Per plaza (the leads' origin event), largest value first; the total is the sum of the lines."""

    events: list[EventLine]
    total: LeadsAndWins


class CompanyLine(LeadsAndWins):
    """A company's leads, as the Korean or the Japanese party."""

    company_id: uuid.UUID
    name: dict[str, str] = Field(description="As its most recently changed lead stored it.")
    country: str | None


class CompanyReport(ReportBasisFields):
    """Per company (either party), largest value first. A lead counts for both its parties, so the lines
    add up to more than the leads there are."""

    companies: list[CompanyLine]
