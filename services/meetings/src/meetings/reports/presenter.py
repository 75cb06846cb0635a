"""Report rows → the reports' API shapes, as JSON models and as CSV tables (the same figures in both)."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from meetings.events.models import Event
from meetings.reports.csv_export import Cell, CsvTable
from meetings.reports.models import CompanyMeetingCounts, CompanyRequestCounts, OutcomeGroup, SlotUsage
from meetings.reports.schemas import (
    CompanyMeetings,
    CompanyRequests,
    EstimatedValue,
    MeetingCounts,
    MeetingsReport,
    OutcomeCounts,
    OutcomesReport,
    OutcomeSummary,
    PurposeOutcomes,
    RequestsReport,
    RequestTotals,
    SlotUsageReport,
    SlotUse,
)
from meetings.requests.models import Purpose
from meetings.texts import local, texts

NAME_COLUMNS = ["company_id", "company_name_ko", "company_name_ja", "company_name_en", "country"]
TOTAL = "total"

# --- requests -------------------------------------------------------------------------------------------


def requests_report(
    event: Event, rows: Sequence[CompanyRequestCounts], generated_at: datetime
) -> RequestsReport:
    """The requests report; the query's last row (no company) holds the totals."""
    companies = [row for row in rows if row.company_id is not None]
    total = next(row for row in rows if row.company_id is None)
    return RequestsReport(
        event_id=event.id,
        generated_at=generated_at,
        companies=[
            CompanyRequests(
                company_id=row.company_id,
                company_name=texts(row.name_ko, row.name_ja, row.name_en),
                country=row.country,
                sent=row.sent,
                received=row.received,
                accepted_sent=row.accepted_sent,
                accepted_received=row.accepted_received,
                declined=row.declined,
                withdrawn=row.withdrawn,
                pending=row.pending,
                expired=row.expired,
            )
            for row in companies
        ],
        totals=RequestTotals(
            requests=total.sent,
            accepted=total.accepted_sent,
            declined=total.declined,
            withdrawn=total.withdrawn,
            pending=total.pending,
            expired=total.expired,
        ),
    )


REQUEST_COUNTS = [
    "sent",
    "received",
    "accepted_sent",
    "accepted_received",
    "declined",
    "withdrawn",
    "pending",
    "expired",
]


def requests_csv(report: RequestsReport) -> CsvTable:
    """One line per company and a `total` line (where sent = received = all requests)."""
    rows: list[list[Cell]] = [
        [str(row.company_id), row.company_name.ko, row.company_name.ja, row.company_name.en, row.country]
        + [getattr(row, name) for name in REQUEST_COUNTS]
        for row in report.companies
    ]
    totals = report.totals
    counts = [totals.requests, totals.requests, totals.accepted, totals.accepted]
    counts += [totals.declined, totals.withdrawn, totals.pending, totals.expired]
    rows.append([TOTAL, None, None, None, None, *counts])
    return CsvTable(NAME_COLUMNS + REQUEST_COUNTS, rows)


# --- meetings -------------------------------------------------------------------------------------------

MEETING_COUNTS = list(MeetingCounts.model_fields)


def _meeting_counts(row: CompanyMeetingCounts) -> dict[str, Any]:
    return {name: getattr(row, name) for name in MEETING_COUNTS}


def meetings_report(
    event: Event, rows: Sequence[CompanyMeetingCounts], generated_at: datetime
) -> MeetingsReport:
    """The meetings report; the query's last row (no company) holds the totals."""
    total = next(row for row in rows if row.company_id is None)
    return MeetingsReport(
        event_id=event.id,
        generated_at=generated_at,
        companies=[
            CompanyMeetings(
                company_id=row.company_id,
                company_name=texts(row.name_ko, row.name_ja, row.name_en),
                country=row.country,
                **_meeting_counts(row),
            )
            for row in rows
            if row.company_id is not None
        ],
        totals=MeetingCounts(**_meeting_counts(total)),
    )


def meetings_csv(report: MeetingsReport) -> CsvTable:
    """One line per company and a `total` line (each meeting once)."""
    rows: list[list[Cell]] = [
        [str(row.company_id), row.company_name.ko, row.company_name.ja, row.company_name.en, row.country]
        + [getattr(row, name) for name in MEETING_COUNTS]
        for row in report.companies
    ]
    rows.append([TOTAL, None, None, None, None] + [getattr(report.totals, name) for name in MEETING_COUNTS])
    return CsvTable(NAME_COLUMNS + MEETING_COUNTS, rows)


# --- slot usage -----------------------------------------------------------------------------------------

SLOT_COLUMNS = list(SlotUse.model_fields)


def slot_usage_report(event: Event, rows: Sequence[SlotUsage], generated_at: datetime) -> SlotUsageReport:
    """Use per slot, its times in the event's zone."""
    return SlotUsageReport(
        event_id=event.id,
        generated_at=generated_at,
        time_zone=event.time_zone,
        slots=[
            SlotUse(
                slot_id=row.slot_id,
                starts_at=local(row.starts_at, event.time_zone),
                ends_at=local(row.ends_at, event.time_zone),
                meetings=row.meetings,
                tables_in_use=row.tables_in_use,
                tables_total=row.tables_total,
                interpreters_in_use=row.interpreters_in_use,
                interpreters_unavailable=row.interpreters_unavailable,
                interpreters_total=row.interpreters_total,
            )
            for row in rows
        ],
    )


def slot_usage_csv(report: SlotUsageReport) -> CsvTable:
    """One line per slot; times with the event's offset."""
    rows: list[list[Cell]] = [
        [str(slot.slot_id)] + [getattr(slot, name) for name in SLOT_COLUMNS[1:]] for slot in report.slots
    ]
    return CsvTable(SLOT_COLUMNS, rows)


# --- outcomes -------------------------------------------------------------------------------------------

# GROUPING(purpose, outcome, currency) of each grouping set (see `repository.outcomes_by_purpose`).
BY_PURPOSE_OUTCOME, BY_PURPOSE_CURRENCY, BY_PURPOSE = 0b001, 0b010, 0b011
BY_OUTCOME, BY_CURRENCY, OVERALL = 0b101, 0b110, 0b111


def _plain(amount: Decimal) -> Decimal:
    """`150000000.0000` as `150000000`, `12.5000` as `12.5` (never in exponent notation)."""
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount.normalize()


def _place(summary: dict[str, Any], group: OutcomeGroup, counts: int, values: int, meetings: int) -> None:
    if group.grouping == counts and group.outcome is not None:
        summary["outcomes"][group.outcome] = group.meetings
    elif group.grouping == values and group.currency is not None and group.amount is not None:
        summary["estimated_values"].append(
            EstimatedValue(currency=group.currency, amount=_plain(group.amount))
        )
    elif group.grouping == meetings:
        summary["meetings"] = group.meetings


def _empty() -> dict[str, Any]:
    return {"meetings": 0, "outcomes": {}, "estimated_values": []}


def outcomes_report(event: Event, groups: Sequence[OutcomeGroup], generated_at: datetime) -> OutcomesReport:
    """Every purpose (zeros where nothing was recorded) and the totals, placed from the grouping sets."""
    purposes = {str(purpose): _empty() for purpose in Purpose}
    totals = _empty()
    for group in groups:
        if group.purpose is not None and group.grouping in (
            BY_PURPOSE_OUTCOME,
            BY_PURPOSE_CURRENCY,
            BY_PURPOSE,
        ):
            _place(purposes[group.purpose], group, BY_PURPOSE_OUTCOME, BY_PURPOSE_CURRENCY, BY_PURPOSE)
        else:
            _place(totals, group, BY_OUTCOME, BY_CURRENCY, OVERALL)

    def summary(found: dict[str, Any]) -> dict[str, Any]:
        return {**found, "outcomes": OutcomeCounts(**found["outcomes"])}

    return OutcomesReport(
        event_id=event.id,
        generated_at=generated_at,
        purposes=[PurposeOutcomes(purpose=purpose, **summary(found)) for purpose, found in purposes.items()],
        totals=OutcomeSummary(**summary(totals)),
    )


OUTCOME_COLUMNS = list(OutcomeCounts.model_fields)


def outcomes_csv(report: OutcomesReport) -> CsvTable:
    """One line per purpose and a `total` line: meetings per outcome, then one column of estimated values
    per currency that occurs."""
    currencies = [value.currency for value in report.totals.estimated_values]

    def line(label: str, summary: OutcomeSummary) -> list[Cell]:
        amounts = {value.currency: value.amount for value in summary.estimated_values}
        counts: list[int] = [getattr(summary.outcomes, name) for name in OUTCOME_COLUMNS]
        return [label, summary.meetings, *counts, *(amounts.get(currency) for currency in currencies)]

    rows = [line(purpose.purpose, purpose) for purpose in report.purposes]
    rows.append(line(TOTAL, report.totals))
    header = ["purpose", "meetings", *OUTCOME_COLUMNS, *(f"estimated_value_{code}" for code in currencies)]
    return CsvTable(header, rows)
