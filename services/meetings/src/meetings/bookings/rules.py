"""Rules of meetings that need no database: who may meet whom, and the meeting life cycle."""

from meetings.bookings.models import MeetingStatus
from meetings.events.models import MeetingRule

MEETING_TRANSITIONS: dict[MeetingStatus, tuple[MeetingStatus, ...]] = {
    MeetingStatus.SCHEDULED: (MeetingStatus.CHECKED_IN, MeetingStatus.HELD, MeetingStatus.NO_SHOW),
    MeetingStatus.CHECKED_IN: (MeetingStatus.HELD, MeetingStatus.NO_SHOW),
    MeetingStatus.HELD: (),
    MeetingStatus.NO_SHOW: (MeetingStatus.HELD,),  # a no-show recorded by mistake can be corrected
    MeetingStatus.CANCELLED: (),
}
CANCELLABLE = (MeetingStatus.SCHEDULED, MeetingStatus.CHECKED_IN)
MOVABLE = (MeetingStatus.SCHEDULED,)


def may_meet(rule: str, country_a: str, country_b: str) -> bool:
    """Whether companies of these countries may meet under the event's rule."""
    if rule == MeetingRule.ACROSS_COUNTRIES:
        return country_a != country_b
    return True
