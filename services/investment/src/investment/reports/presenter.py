"""Report figures → the reports' API shapes, as JSON models and as CSV tables (the same figures in both).

Amounts are written with exactly the report currency's decimal places; a CSV amount column holds the bare
decimal (Excel reads it as a number) next to a `currency` column.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from investment.fx.presenter import rate_used
from investment.leads.schemas import LeadRead, PartyRead
from investment.money import total
from investment.pipelines.stages import PIPELINES, DealType, pipeline_named
from investment.reports.csv_export import Cell, CsvTable
from investment.reports.models import (
    CompanyFigures,
    EventFigures,
    Figures,
    FunnelFigures,
    PipelineFigures,
    ReportBasis,
    Valued,
    WonDeals,
    WonFigures,
)
from investment.reports.schemas import (
    CompanyLine,
    CompanyReport,
    CountryPairLine,
    DealTypeLine,
    EventLine,
    EventReport,
    FunnelPipeline,
    FunnelReport,
    FunnelStage,
    HsCodeLine,
    LeadsAndWins,
    PipelineReport,
    SectorLine,
    StageLine,
    ValueFigures,
    WonFiguresRead,
    WonReport,
)
from investment.values import MoneyRead, money_read

ZERO = Decimal(0)
NO_FIGURES = Figures(0, ZERO, ZERO, 0, ZERO)


def _money(amount: Decimal, currency: str) -> MoneyRead:
    read = money_read(amount, currency)
    assert read is not None
    return read


def _basis(basis: ReportBasis, valued: Sequence[Valued]) -> dict[str, Any]:
    rates = {rate.currency: rate for part in valued for rate in part.rates}
    missing = sorted({code for part in valued for code in part.missing_rates})
    return {
        "currency": basis.currency,
        "on": basis.on,
        "generated_at": basis.generated_at,
        "rates": [rate_used(rates[code]) for code in sorted(rates)],
        "missing_rates": missing,
    }


def _value_fields(figures: Figures, currency: str) -> dict[str, Any]:
    return {
        "leads": figures.leads,
        "value": _money(figures.value, currency),
        "weighted_value": _money(figures.weighted, currency),
    }


def _wins_fields(figures: Figures, currency: str) -> dict[str, Any]:
    return {
        **_value_fields(figures, currency),
        "won": figures.won,
        "won_value": _money(figures.won_value, currency),
    }


def _sum(lines: Sequence[Figures], currency: str) -> Figures:
    """A total line: the sum of the rounded lines (rule 4)."""
    return Figures(
        sum(line.leads for line in lines),
        total((line.value for line in lines), currency),
        total((line.weighted for line in lines), currency),
        sum(line.won for line in lines),
        total((line.won_value for line in lines), currency),
    )


# --- pipeline -------------------------------------------------------------------------------------------


def _stage_rows(figures: PipelineFigures) -> list[tuple[str, str, str, Figures]]:
    lines = figures.by_stage.lines
    return [
        (p.code, s.code, s.name, lines.get((p.code, s.code), NO_FIGURES)) for p in PIPELINES for s in p.stages
    ]


def _deal_type_rows(figures: PipelineFigures) -> list[tuple[DealType, Figures]]:
    lines = figures.by_deal_type.lines
    return [(deal_type, lines.get((str(deal_type),), NO_FIGURES)) for deal_type in DealType]


def pipeline_report(figures: PipelineFigures) -> PipelineReport:
    """The pipeline report: every stage of every pipeline and every deal type, zeros included."""
    currency = figures.basis.currency
    stages, deal_types = _stage_rows(figures), _deal_type_rows(figures)
    return PipelineReport(
        **_basis(figures.basis, [figures.by_stage, figures.by_deal_type]),
        include_closed=figures.include_closed,
        by_stage=[
            StageLine(pipeline=p, stage=s, stage_name=name, **_value_fields(line, currency))
            for p, s, name, line in stages
        ],
        by_deal_type=[DealTypeLine(deal_type=d, **_value_fields(line, currency)) for d, line in deal_types],
        total=ValueFigures(**_value_fields(_sum([row[3] for row in stages], currency), currency)),
        total_by_deal_type=ValueFigures(
            **_value_fields(_sum([row[1] for row in deal_types], currency), currency)
        ),
    )


def pipeline_csv(report: PipelineReport) -> CsvTable:
    """One row per stage, per deal type and per total (`breakdown` tells them apart)."""
    header = ["breakdown", "pipeline", "stage", "stage_name", "deal_type", "leads", "value", "weighted_value"]
    rows: list[list[Cell]] = []
    for stage in report.by_stage:
        rows.append(["stage", stage.pipeline, stage.stage, stage.stage_name, None, *_value_cells(stage)])
    rows.append(["total", None, None, None, None, *_value_cells(report.total)])
    for line in report.by_deal_type:
        rows.append(["deal_type", None, None, None, str(line.deal_type), *_value_cells(line)])
    rows.append(["total_by_deal_type", None, None, None, None, *_value_cells(report.total_by_deal_type)])
    return _with_currency(header, rows, report.currency)


def _value_cells(line: ValueFigures) -> list[Cell]:
    return [line.leads, Decimal(line.value.amount), Decimal(line.weighted_value.amount)]


def _wins_cells(line: LeadsAndWins) -> list[Cell]:
    return [*_value_cells(line), line.won, Decimal(line.won_value.amount)]


def _with_currency(header: list[str], rows: list[list[Cell]], currency: str) -> CsvTable:
    return CsvTable([*header, "currency"], [[*row, currency] for row in rows])


# --- funnel ---------------------------------------------------------------------------------------------


def funnel_report(figures: FunnelFigures, pipeline_code: str | None) -> FunnelReport:
    """Every stage of the pipelines asked for, in order, with its conversion to the next."""
    found = {(row.pipeline, row.stage): row for row in figures.stages}
    pipelines = [pipeline_named(pipeline_code)] if pipeline_code else list(PIPELINES)
    answer = []
    for pipeline in pipelines:
        stages = []
        for index, stage in enumerate(pipeline.stages):
            row = found.get((pipeline.code, stage.code))
            reached = row.reached if row else 0
            following = pipeline.stages[index + 1] if index + 1 < len(pipeline.stages) else None
            reached_next = None
            if following is not None:
                next_row = found.get((pipeline.code, following.code))
                reached_next = next_row.reached if next_row else 0
            median = row.median_seconds if row else None
            stages.append(
                FunnelStage(
                    stage=stage.code,
                    stage_name=stage.name,
                    reached=reached,
                    current=row.here if row else 0,
                    reached_next=reached_next,
                    conversion_to_next=(
                        round(reached_next / reached, 4) if reached_next is not None and reached else None
                    ),
                    completed_spells=row.spells if row else 0,
                    median_seconds=round(median) if median is not None else None,
                )
            )
        answer.append(FunnelPipeline(pipeline=pipeline.code, stages=stages))
    return FunnelReport(generated_at=figures.generated_at, pipelines=answer)


def funnel_csv(report: FunnelReport) -> CsvTable:
    """One row per stage; the median also in days (two decimals) for the spreadsheet."""
    header = ["pipeline", "stage", "stage_name", "reached", "current", "reached_next", "conversion_to_next"]
    header += ["completed_spells", "median_seconds", "median_days"]
    rows: list[list[Cell]] = []
    for pipeline in report.pipelines:
        for s in pipeline.stages:
            days = (Decimal(s.median_seconds) / 86400).quantize(Decimal("0.01")) if s.median_seconds else None
            row: list[Cell] = [pipeline.pipeline, s.stage, s.stage_name, s.reached, s.current]
            row += [s.reached_next, s.conversion_to_next, s.completed_spells, s.median_seconds, days]
            rows.append(row)
    return CsvTable(header, rows)


# --- won deals ------------------------------------------------------------------------------------------


def _won_fields(figures: WonFigures, currency: str) -> dict[str, Any]:
    return {
        "deals": figures.deals,
        "value": _money(figures.value, currency),
        "value_at_signing": _money(figures.value_at_signing, currency),
    }


def _by_value(item: tuple[tuple[Any, ...], WonFigures]) -> tuple[Decimal, str]:
    return (-item[1].value, str(item[0]))


def won_report(deals: WonDeals, signed_from: Any, signed_to: Any) -> WonReport:
    """The won-deals report, each table largest value first (HS codes in code order)."""
    currency = deals.basis.currency
    pairs = sorted(((k, v) for k, v in deals.lines.items() if k[0] == "pair"), key=_by_value)
    sectors = sorted(((k, v) for k, v in deals.lines.items() if k[0] == "sector"), key=_by_value)
    codes = sorted(((k, v) for k, v in deals.lines.items() if k[0] == "hs"), key=lambda kv: str(kv[0][1]))
    pair_lines = [line for _, line in pairs]
    grand = WonFigures(
        sum(line.deals for line in pair_lines),
        total((line.value for line in pair_lines), currency),
        total((line.value_at_signing for line in pair_lines), currency),
    )
    basis = Valued({}, deals.rates, deals.missing_rates)
    return WonReport(
        **_basis(deals.basis, [basis]),
        hs_digits=deals.hs_digits,
        signed_from=signed_from,
        signed_to=signed_to,
        missing_signing_rates=deals.missing_signing_rates,
        total=WonFiguresRead(**_won_fields(grand, currency)),
        by_country_pair=[
            CountryPairLine(
                korean_party_country=key[1], japanese_party_country=key[2], **_won_fields(line, currency)
            )
            for key, line in pairs
        ],
        by_sector=[SectorLine(sector=key[1], **_won_fields(line, currency)) for key, line in sectors],
        by_hs_code=[HsCodeLine(hs_code=key[1], **_won_fields(line, currency)) for key, line in codes],
    )


def won_csv(report: WonReport) -> CsvTable:
    """One row per country pair, sector and HS code, and the total (`breakdown` tells them apart)."""
    header = ["breakdown", "korean_party_country", "japanese_party_country", "sector", "hs_code", "deals"]
    header += ["value", "value_at_signing"]

    def cells(line: WonFiguresRead) -> list[Cell]:
        return [line.deals, Decimal(line.value.amount), Decimal(line.value_at_signing.amount)]

    rows: list[list[Cell]] = []
    for pair in report.by_country_pair:
        rows.append(["country_pair", pair.korean_party_country, pair.japanese_party_country, None, None])
        rows[-1] += cells(pair)
    rows.append(["total", None, None, None, None, *cells(report.total)])
    rows += [["sector", None, None, line.sector, None, *cells(line)] for line in report.by_sector]
    rows += [["hs_code", None, None, None, line.hs_code, *cells(line)] for line in report.by_hs_code]
    return _with_currency(header, rows, report.currency)


# --- per event, per company -------------------------------------------------------------------------------


def _largest_first(lines: dict[tuple[Any, ...], Figures]) -> list[tuple[tuple[Any, ...], Figures]]:
    return sorted(lines.items(), key=lambda item: (-item[1].value, -item[1].leads, str(item[0])))


def event_report(figures: EventFigures) -> EventReport:
    """Per plaza, largest value first, and the total (the sum of the lines)."""
    currency = figures.basis.currency
    ordered = _largest_first(figures.events.lines)
    return EventReport(
        **_basis(figures.basis, [figures.events]),
        events=[EventLine(event_id=key[0], **_wins_fields(line, currency)) for key, line in ordered],
        total=LeadsAndWins(**_wins_fields(_sum([line for _, line in ordered], currency), currency)),
    )


def event_csv(report: EventReport) -> CsvTable:
    """One row per event, then the total."""
    header = ["event_id", "leads", "value", "weighted_value", "won", "won_value"]
    rows: list[list[Cell]] = [[str(line.event_id), *_wins_cells(line)] for line in report.events]
    rows.append(["total", *_wins_cells(report.total)])
    return _with_currency(header, rows, report.currency)


def company_report(figures: CompanyFigures) -> CompanyReport:
    """Per company, largest value first."""
    currency = figures.basis.currency
    lines = []
    for key, line in _largest_first(figures.companies.lines):
        name = figures.names.get(key[0])
        lines.append(
            CompanyLine(
                company_id=key[0],
                name=name.name if name else {},
                country=name.country if name else None,
                **_wins_fields(line, currency),
            )
        )
    return CompanyReport(**_basis(figures.basis, [figures.companies]), companies=lines)


def company_csv(report: CompanyReport) -> CsvTable:
    """One row per company, its names in Korean, Japanese and English."""
    header = ["company_id", "name_ko", "name_ja", "name_en", "country", "leads", "value", "weighted_value"]
    header += ["won", "won_value"]
    rows: list[list[Cell]] = [
        [str(c.company_id), c.name.get("ko"), c.name.get("ja"), c.name.get("en"), c.country, *_wins_cells(c)]
        for c in report.companies
    ]
    return _with_currency(header, rows, report.currency)


# --- the lead list ----------------------------------------------------------------------------------------

LEAD_COLUMNS = [
    "id",
    "title",
    "deal_type",
    "pipeline",
    "stage",
    "status",
    "korean_party_id",
    "korean_party_name",
    "japanese_party_id",
    "japanese_party_name",
    "origin",
    "event_id",
    "meeting_id",
    "source",
    "hs_codes",
    "sectors",
    "estimated_value",
    "estimated_currency",
    "probability",
    "weighted_value",
    "signing_date",
    "signed_value",
    "signed_currency",
    "expected_close_date",
    "next_follow_up_date",
    "owner_organisation_id",
    "owner_person",
    "tags",
    "lost_reason",
    "created_at",
    "updated_at",
]


def _party_cells(party: PartyRead | None, language: str) -> list[Cell]:
    if party is None:
        return [None, None]
    name = party.name.get(language) or party.name.get("en") or next(iter(party.name.values()), None)
    return [str(party.id), name]


def _amount(money: MoneyRead | None) -> Decimal | None:
    return Decimal(money.amount) if money is not None else None


def leads_table(leads: Sequence[LeadRead]) -> CsvTable:
    """The lead list as a table: parties by their Korean and Japanese names, lists joined by spaces."""
    rows: list[list[Cell]] = []
    for lead in leads:
        signing = lead.signing
        rows.append(
            [
                str(lead.id),
                lead.title,
                str(lead.deal_type),
                lead.pipeline,
                lead.stage,
                str(lead.status),
                *_party_cells(lead.korean_party, "ko"),
                *_party_cells(lead.japanese_party, "ja"),
                lead.origin.kind,
                str(lead.origin.event_id) if lead.origin.event_id else None,
                str(lead.origin.meeting_id) if lead.origin.meeting_id else None,
                lead.origin.source,
                " ".join(lead.hs_codes),
                " ".join(lead.sectors),
                _amount(lead.estimated_value),
                lead.estimated_value.currency if lead.estimated_value else None,
                lead.effective_probability,
                _amount(lead.weighted_value),
                signing.date if signing else None,
                _amount(signing.value) if signing else None,
                signing.value.currency if signing else None,
                lead.expected_close_date,
                lead.next_follow_up_date,
                str(lead.owner_organisation_id),
                lead.owner_person,
                " ".join(lead.tags),
                lead.lost_reason,
                lead.created_at,
                lead.updated_at,
            ]
        )
    return CsvTable(LEAD_COLUMNS, rows)
