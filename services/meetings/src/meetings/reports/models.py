"""Rows of the organisers' reports, as the report queries return them (no tables of their own)."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple


class CompanyRequestCounts(NamedTuple):
    """Meeting requests of one company (`company_id` None: the event's totals, counting each request once)."""

    company_id: uuid.UUID | None
    name_ko: str | None
    name_ja: str | None
    name_en: str | None
    country: str | None
    sent: int
    received: int
    accepted_sent: int
    accepted_received: int
    declined: int
    withdrawn: int
    pending: int
    expired: int


class CompanyMeetingCounts(NamedTuple):
    """Meetings of one company by status (`company_id` None: the event's totals, each meeting once)."""

    company_id: uuid.UUID | None
    name_ko: str | None
    name_ja: str | None
    name_en: str | None
    country: str | None
    scheduled: int
    upcoming: int
    checked_in: int
    held: int
    no_show: int
    cancelled: int


class SlotUsage(NamedTuple):
    """What one slot of the grid uses of the tables and interpreters."""

    slot_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    meetings: int
    tables_in_use: int
    tables_total: int
    interpreters_in_use: int
    interpreters_unavailable: int
    interpreters_total: int


class OutcomeGroup(NamedTuple):
    """One group of `GROUPING SETS` over the outcomes: `grouping` says which of purpose, outcome and
    currency the row is *not* grouped by (bits 4, 2, 1, as PostgreSQL's `GROUPING(purpose, outcome,
    currency)` gives them)."""

    grouping: int
    purpose: str | None
    outcome: str | None
    currency: str | None
    meetings: int
    amount: Decimal | None
