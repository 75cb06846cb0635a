"""The API shape of stored events."""

from meetings.events.models import Event, EventStatus, MeetingRule
from meetings.events.rules import allowed_after
from meetings.events.schemas import B2BSettingsRead, EventRead, VenueRead
from meetings.texts import local, texts


def to_read(event: Event) -> EventRead:
    """An event with its times in its own zone."""
    return EventRead(
        id=event.id,
        title=texts(event.title_ko, event.title_ja, event.title_en),
        venue=VenueRead(name=event.venue_name, address=event.venue_address),
        time_zone=event.time_zone,
        starts_at=local(event.starts_at, event.time_zone),
        ends_at=local(event.ends_at, event.time_zone),
        status=EventStatus(event.status),
        allowed_next=list(allowed_after(event.status)),
        organiser_ids=list(event.organiser_ids),
        capacity=event.capacity,
        confirmed_registrations=event.confirmed_count,
        languages=list(event.languages),
        b2b=B2BSettingsRead(
            slot_minutes=event.slot_minutes,
            request_expiry_hours=event.request_expiry_hours,
            meeting_rule=MeetingRule(event.meeting_rule),
            default_quota=event.default_quota,
        ),
        version=event.version,
        created_at=event.created_at,
        updated_at=event.updated_at,
    )
