"""Every ORM model of the meetings service, imported in one place for Alembic."""

from meetings.agenda.models import AgendaSession, SessionAttendance, Slot
from meetings.bookings.models import CompanyQuota, Meeting, MeetingFeedback, MeetingOutcome, SlotClaim
from meetings.calendar.models import CalendarFeed
from meetings.db import idempotency
from meetings.events.models import Event
from meetings.registrations.models import Registration
from meetings.requests.models import MeetingRequest
from meetings.schedule_runs.models import ScheduleRun
from meetings.setup.models import BlockedSlot, Interpreter, MeetingTable

__all__ = [
    "AgendaSession",
    "BlockedSlot",
    "CalendarFeed",
    "CompanyQuota",
    "Event",
    "Interpreter",
    "Meeting",
    "MeetingFeedback",
    "MeetingOutcome",
    "MeetingRequest",
    "MeetingTable",
    "Registration",
    "ScheduleRun",
    "SessionAttendance",
    "Slot",
    "SlotClaim",
    "idempotency",
]
