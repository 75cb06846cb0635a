"""The report queries: one aggregate statement per report, grouped in PostgreSQL. No writes.

Company names come from the registrations (the names copied from the registry when each person
registered), so a report never calls the registry. A request whose `expires_at` has passed counts as
expired whatever its stored status still says (expiry needs no sweep to be correct).
"""

import uuid

from sqlalchemy import (
    Integer,
    Select,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    null,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from meetings.agenda.models import Slot
from meetings.bookings.models import Meeting, MeetingOutcome, MeetingStatus, ResourceKind, SlotClaim
from meetings.registrations.models import Registration, RegistrationStatus
from meetings.reports.models import CompanyMeetingCounts, CompanyRequestCounts, OutcomeGroup, SlotUsage
from meetings.requests.models import MeetingRequest, RequestStatus
from meetings.setup.models import Interpreter, MeetingTable


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count().filter(condition)


def _company_names(event_id: uuid.UUID) -> Select[uuid.UUID, str | None, str | None, str | None, str]:
    """One row per company registered at the event: the names and country of its earliest registration
    that is not cancelled (a cancelled one only when nothing else is left)."""
    return (
        select(
            Registration.company_id,
            Registration.company_name_ko,
            Registration.company_name_ja,
            Registration.company_name_en,
            Registration.company_country,
        )
        .where(Registration.event_id == event_id)
        .ext(distinct_on(Registration.company_id))
        .order_by(
            Registration.company_id,
            Registration.status == RegistrationStatus.CANCELLED,
            Registration.created_at,
        )
    )


def _request_state() -> ColumnElement[str]:
    """The request's status as a reader sees it now: an open request past `expires_at` is expired."""
    past_expiry = and_(
        MeetingRequest.status == RequestStatus.REQUESTED,
        MeetingRequest.expires_at.is_not(None),
        MeetingRequest.expires_at <= func.now(),
    )
    return case((past_expiry, literal(str(RequestStatus.EXPIRED))), else_=MeetingRequest.status)


async def requests_by_company(session: AsyncSession, event_id: uuid.UUID) -> list[CompanyRequestCounts]:
    """Per company: requests sent, received, accepted (each way), declined, withdrawn, pending and expired
    (the last four over both ways); then one totals row (`company_id` None) counting each request once.
    Companies in name order."""
    state = _request_state()
    sides = union_all(
        select(
            MeetingRequest.requester_company_id.label("company_id"),
            true().label("sent"),
            state.label("state"),
        ).where(MeetingRequest.event_id == event_id),
        select(
            MeetingRequest.requested_company_id.label("company_id"),
            false().label("sent"),
            state.label("state"),
        ).where(MeetingRequest.event_id == event_id),
    ).cte("sides")
    names = _company_names(event_id).cte("names")

    def counts(sent: ColumnElement[bool] | None, status: ColumnElement[str]) -> list[ColumnElement[int]]:
        outgoing = sent if sent is not None else true()
        incoming = ~sent if sent is not None else true()
        return [
            _count_if(outgoing).label("sent"),
            _count_if(incoming).label("received"),
            _count_if(and_(outgoing, status == RequestStatus.ACCEPTED)).label("accepted_sent"),
            _count_if(and_(incoming, status == RequestStatus.ACCEPTED)).label("accepted_received"),
            _count_if(status == RequestStatus.DECLINED).label("declined"),
            _count_if(status == RequestStatus.WITHDRAWN).label("withdrawn"),
            _count_if(status == RequestStatus.REQUESTED).label("pending"),
            _count_if(status == RequestStatus.EXPIRED).label("expired"),
        ]

    per_company = (
        select(
            sides.c.company_id,
            names.c.company_name_ko,
            names.c.company_name_ja,
            names.c.company_name_en,
            names.c.company_country,
            *counts(sides.c.sent, sides.c.state),
        )
        .select_from(sides.outerjoin(names, names.c.company_id == sides.c.company_id))
        .group_by(sides.c.company_id, *names.c)
    )
    totals = select(  # every request once: its requester's side
        cast(null(), MeetingRequest.requester_company_id.type),
        null(),
        null(),
        null(),
        null(),
        *counts(None, sides.c.state),
    ).where(sides.c.sent)
    report = union_all(per_company, totals).subquery("report")
    ordered = select(report).order_by(
        report.c.company_id.is_(None),
        func.coalesce(report.c.company_name_en, report.c.company_name_ko, report.c.company_name_ja),
        report.c.company_id,
    )
    return [CompanyRequestCounts(*row) for row in await session.execute(ordered)]


async def meetings_by_company(session: AsyncSession, event_id: uuid.UUID) -> list[CompanyMeetingCounts]:
    """Per company: meetings scheduled (booked and not cancelled), upcoming, checked in, held, no-show and
    cancelled; then one totals row (`company_id` None) counting each meeting once. Companies in name order."""
    sides = union_all(
        select(
            Meeting.company_a_id.label("company_id"), Meeting.status.label("status"), true().label("first")
        ).where(Meeting.event_id == event_id),
        select(
            Meeting.company_b_id.label("company_id"), Meeting.status.label("status"), false().label("first")
        ).where(Meeting.event_id == event_id),
    ).cte("sides")
    names = _company_names(event_id).cte("names")

    def counts(status: ColumnElement[str]) -> list[ColumnElement[int]]:
        return [
            _count_if(status != MeetingStatus.CANCELLED).label("scheduled"),
            _count_if(status == MeetingStatus.SCHEDULED).label("upcoming"),
            _count_if(status == MeetingStatus.CHECKED_IN).label("checked_in"),
            _count_if(status == MeetingStatus.HELD).label("held"),
            _count_if(status == MeetingStatus.NO_SHOW).label("no_show"),
            _count_if(status == MeetingStatus.CANCELLED).label("cancelled"),
        ]

    per_company = (
        select(
            sides.c.company_id,
            names.c.company_name_ko,
            names.c.company_name_ja,
            names.c.company_name_en,
            names.c.company_country,
            *counts(sides.c.status),
        )
        .select_from(sides.outerjoin(names, names.c.company_id == sides.c.company_id))
        .group_by(sides.c.company_id, *names.c)
    )
    totals = select(  # every meeting once: its first company's side
        cast(null(), Meeting.company_a_id.type), null(), null(), null(), null(), *counts(sides.c.status)
    ).where(sides.c.first)
    report = union_all(per_company, totals).subquery("report")
    ordered = select(report).order_by(
        report.c.company_id.is_(None),
        func.coalesce(report.c.company_name_en, report.c.company_name_ko, report.c.company_name_ja),
        report.c.company_id,
    )
    return [CompanyMeetingCounts(*row) for row in await session.execute(ordered)]


async def slot_usage(session: AsyncSession, event_id: uuid.UUID) -> list[SlotUsage]:
    """Per slot of the grid, in time order: live meetings, tables and interpreters they use, interpreters
    held otherwise (a break, a session, a pending request), and the event's totals of tables and
    interpreters."""
    live = and_(Meeting.slot_id == Slot.id, Meeting.status != MeetingStatus.CANCELLED)
    tables_total = (
        select(func.count())
        .select_from(MeetingTable)
        .where(MeetingTable.event_id == event_id)
        .scalar_subquery()
    )
    interpreters_total = (
        select(func.count())
        .select_from(Interpreter)
        .where(Interpreter.event_id == event_id)
        .scalar_subquery()
    )
    interpreters_unavailable = (
        select(func.count(func.distinct(Interpreter.id)))
        .select_from(Interpreter)
        .join(
            SlotClaim,
            and_(
                SlotClaim.slot_id == Slot.id,
                SlotClaim.resource_kind == str(ResourceKind.PERSON),
                SlotClaim.resource_id == Interpreter.registration_id,
                SlotClaim.meeting_id.is_(None),
            ),
        )
        .where(Interpreter.event_id == event_id)
        .correlate(Slot)
        .scalar_subquery()
    )
    query = (
        select(
            Slot.id,
            Slot.starts_at,
            Slot.ends_at,
            func.count(Meeting.id),
            func.count(func.distinct(Meeting.table_id)),
            tables_total,
            func.count(func.distinct(Meeting.interpreter_id)),
            interpreters_unavailable,
            interpreters_total,
        )
        .select_from(Slot)
        .outerjoin(Meeting, live)
        .where(Slot.event_id == event_id)
        .group_by(Slot.id)
        .order_by(Slot.starts_at)
    )
    return [SlotUsage(*row) for row in await session.execute(query)]


async def outcomes_by_purpose(session: AsyncSession, event_id: uuid.UUID) -> list[OutcomeGroup]:
    """Outcomes of the event's meetings in one `GROUPING SETS` statement: meetings per (purpose, outcome),
    estimated values per (purpose, currency), meetings per purpose, per outcome, values per currency, and
    all meetings. Groups of values without a currency (no estimate given) are left out."""
    grouped = func.grouping(MeetingOutcome.purpose, MeetingOutcome.outcome, MeetingOutcome.value_currency)
    query = (
        select(
            cast(grouped, Integer),
            MeetingOutcome.purpose,
            MeetingOutcome.outcome,
            MeetingOutcome.value_currency,
            func.count(),
            func.sum(MeetingOutcome.value_amount),
        )
        .join(Meeting, Meeting.id == MeetingOutcome.meeting_id)
        .where(Meeting.event_id == event_id)
        .group_by(
            func.grouping_sets(
                tuple_(MeetingOutcome.purpose, MeetingOutcome.outcome),
                tuple_(MeetingOutcome.purpose, MeetingOutcome.value_currency),
                tuple_(MeetingOutcome.purpose),
                tuple_(MeetingOutcome.outcome),
                tuple_(MeetingOutcome.value_currency),
                tuple_(),
            )
        )
        .having(
            or_(func.grouping(MeetingOutcome.value_currency) == 1, MeetingOutcome.value_currency.is_not(None))
        )
        .order_by(grouped, MeetingOutcome.purpose, MeetingOutcome.outcome, MeetingOutcome.value_currency)
    )
    return [OutcomeGroup(*row) for row in await session.execute(query)]
