"""Report use cases: the event's organisers read them; each is one aggregate query."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from meetings.events.models import Event
from meetings.events.service import organised_event
from meetings.reports import repository
from meetings.reports.models import CompanyMeetingCounts, CompanyRequestCounts, OutcomeGroup, SlotUsage
from plaza_kit.identity import Principal


async def requests_report(
    session: AsyncSession, event_id: uuid.UUID, principal: Principal
) -> tuple[Event, list[CompanyRequestCounts]]:
    """Requests per company, and the totals row."""
    event = await organised_event(session, event_id, principal)
    return event, await repository.requests_by_company(session, event.id)


async def meetings_report(
    session: AsyncSession, event_id: uuid.UUID, principal: Principal
) -> tuple[Event, list[CompanyMeetingCounts]]:
    """Meetings per company, and the totals row."""
    event = await organised_event(session, event_id, principal)
    return event, await repository.meetings_by_company(session, event.id)


async def slot_usage_report(
    session: AsyncSession, event_id: uuid.UUID, principal: Principal
) -> tuple[Event, list[SlotUsage]]:
    """Table and interpreter use per slot."""
    event = await organised_event(session, event_id, principal)
    return event, await repository.slot_usage(session, event.id)


async def outcomes_report(
    session: AsyncSession, event_id: uuid.UUID, principal: Principal
) -> tuple[Event, list[OutcomeGroup]]:
    """Outcomes by purpose, outcome and currency."""
    event = await organised_event(session, event_id, principal)
    return event, await repository.outcomes_by_purpose(session, event.id)
