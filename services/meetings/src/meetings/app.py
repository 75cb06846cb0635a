"""The meetings app factory."""

from fastapi import FastAPI

from meetings.settings import MeetingsSettings
from plaza_kit.app import create_service_app

DESCRIPTION = (
    """Events, their agenda (seminars, IR sessions, pitches), registrations and B2B one-to-one meetings."""
)


def create_app(settings: MeetingsSettings | None = None) -> FastAPI:
    """Build the meetings app; settings come from `MEETINGS_*` variables unless given."""
    return create_service_app(
        service="meetings",
        settings=settings or MeetingsSettings(),
        title="Plaza meetings",
        description=DESCRIPTION,
        routers=[],
    )
