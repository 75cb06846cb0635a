"""The meetings app factory."""

from fastapi import FastAPI

from meetings.bookings.router import router as meetings_router
from meetings.db import idempotency
from meetings.events.router import router as events_router
from meetings.requests.router import router as requests_router
from meetings.settings import MeetingsSettings
from plaza_kit.app import create_service_app

DESCRIPTION = """Events (plazas), their agenda (keynotes, seminars, IR sessions, pitches), registrations
with a waiting list and check-in, and B2B one-to-one meetings: requests, slots, tables, interpreters, booking
with a database-enforced guarantee against double booking, calendar feeds and organisers' reports."""

TAGS = [
    {"name": "events", "description": "Events: venue, time zone, status, B2B rules."},
    {"name": "requests", "description": "Meeting requests between companies: ask, answer, find a slot."},
    {"name": "meetings", "description": "B2B meetings: booking, moves, check-in, feedback, outcomes."},
]


def create_app(settings: MeetingsSettings | None = None) -> FastAPI:
    """Build the meetings app; settings come from `MEETINGS_*` variables unless given."""
    return create_service_app(
        service="meetings",
        settings=settings or MeetingsSettings(),
        title="Plaza meetings",
        description=DESCRIPTION,
        routers=[events_router, requests_router, meetings_router],
        openapi_tags=TAGS,
        idempotency=idempotency,
        upstreams=("registry",),
    )
