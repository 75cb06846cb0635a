"""The event life cycle: which status may follow which."""

from meetings.events.models import EventStatus

TRANSITIONS: dict[EventStatus, tuple[EventStatus, ...]] = {
    EventStatus.DRAFT: (EventStatus.OPEN,),
    EventStatus.OPEN: (EventStatus.CLOSED,),
    EventStatus.CLOSED: (EventStatus.OPEN, EventStatus.FINISHED),  # reopening registration is allowed
    EventStatus.FINISHED: (),
}


def allowed_after(status: str) -> tuple[EventStatus, ...]:
    """The statuses an event in `status` may move to."""
    return TRANSITIONS[EventStatus(status)]


def accepts_registrations(status: str) -> bool:
    """Companies register themselves only while an event is open (organisers at any time before it ends)."""
    return status == EventStatus.OPEN


def accepts_requests(status: str) -> bool:
    """Meeting requests and answers while the event is open or closed to new registrations."""
    return status in (EventStatus.OPEN, EventStatus.CLOSED)


def is_finished(status: str) -> bool:
    """A finished event keeps its record; only feedback and outcomes are still written."""
    return status == EventStatus.FINISHED
