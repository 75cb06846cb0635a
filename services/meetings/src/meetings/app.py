"""The meetings app factory."""

from fastapi import FastAPI

from meetings.agenda.router import router as agenda_router
from meetings.bookings.router import router as meetings_router
from meetings.calendar.router import routers as calendar_routers
from meetings.db import idempotency
from meetings.events.router import router as events_router
from meetings.registrations.router import router as registrations_router
from meetings.reports.router import router as reports_router
from meetings.requests.router import router as requests_router
from meetings.schedule_runs.router import router as schedule_runs_router
from meetings.schedule_runs.runner import supervising
from meetings.settings import MeetingsSettings
from meetings.setup.router import router as setup_router
from plaza_kit.app import create_service_app
from plaza_kit.catalogue import component
from plaza_kit.read_pool import install as install_read_pool

DESCRIPTION = """Events (plazas), their agenda (keynotes, seminars, IR sessions, pitches), registrations
with a waiting list and check-in, and B2B one-to-one meetings: requests, slots, tables, interpreters, booking
with a database-enforced guarantee against double booking, calendar feeds and organisers' reports."""

TAGS = [
    {"name": "events", "description": "Events: venue, time zone, status, B2B rules."},
    {"name": "agenda", "description": "Sessions, their attendees, and the B2B slot grid of B2B blocks."},
    {"name": "registrations", "description": "People at an event: waiting list, personal data, check-in."},
    {"name": "requests", "description": "Meeting requests between companies: ask, answer, find a slot."},
    {"name": "meetings", "description": "B2B meetings: booking, moves, check-in, feedback, outcomes."},
    {"name": "setup", "description": "B2B set-up: tables, interpreters, blocked slots, company quotas."},
    {"name": "reports", "description": "Organisers' reports, as JSON or CSV for Excel (UTF-8 with BOM)."},
    {"name": "calendar", "description": "Calendar feeds: secret iCalendar URLs for calendar apps."},
    {
        "name": "scheduling",
        "description": "Schedule all: an exact solver places the accepted requests; follow, read, publish.",
    },
]


def create_app(settings: MeetingsSettings | None = None) -> FastAPI:
    """Build the meetings app; settings come from `MEETINGS_*` variables unless given."""
    settings = settings or MeetingsSettings()
    app = create_service_app(
        service="meetings",
        settings=settings,
        title="Plaza meetings",
        description=DESCRIPTION,
        routers=[
            events_router,
            agenda_router,
            registrations_router,
            requests_router,
            meetings_router,
            setup_router,
            reports_router,
            schedule_runs_router,
            *calendar_routers,
        ],
        openapi_tags=TAGS,
        idempotency=idempotency,
        upstreams=component("meetings").upstreams,
        lifespans=(supervising,),
    )
    install_read_pool(app, settings, application_name="plaza-meetings-reads")  # the lean reads' connections
    return app
