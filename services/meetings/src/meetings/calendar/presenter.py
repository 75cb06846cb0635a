"""Calendar feeds as API shapes, and a feed's meetings as an iCalendar document in the feed's language."""

import uuid

from meetings.bookings.models import MeetingStatus
from meetings.calendar.ics import Feed, FeedEntry, render
from meetings.calendar.labels import label
from meetings.calendar.models import CalendarFeed, CompanyNames, FeedContent, FeedKind, FeedMeeting
from meetings.calendar.schemas import CalendarFeedCreated, CalendarFeedRead
from meetings.texts import best_text


def to_read(feed: CalendarFeed) -> CalendarFeedRead:
    """A feed without its secret."""
    return CalendarFeedRead(
        id=feed.id,
        event_id=feed.event_id,
        kind=FeedKind(feed.kind),
        company_id=feed.company_id,
        registration_id=feed.registration_id,
        language=feed.language,
        created_at=feed.created_at,
    )


def to_created(feed: CalendarFeed, url: str) -> CalendarFeedCreated:
    """A feed just created, with the secret URL that is shown this once."""
    return CalendarFeedCreated(**to_read(feed).model_dump(), url=url)


def _company(companies: dict[uuid.UUID, CompanyNames], company_id: uuid.UUID, language: str) -> str:
    names = companies.get(company_id)
    name = best_text(names.ko, names.ja, names.en, language) if names is not None else ""
    return name or str(company_id)


def _summary(meeting: FeedMeeting, content: FeedContent, language: str) -> str:
    """`Meeting with <the other company>`; for someone at neither side (an interpreter), both companies."""
    own = content.feed.company_id
    a, b = meeting.company_a_id, meeting.company_b_id
    if own in (a, b):
        counterpart = b if a == own else a
        return label("meeting_with", language, counterpart=_company(content.companies, counterpart, language))
    return label(
        "meeting_between",
        language,
        a=_company(content.companies, a, language),
        b=_company(content.companies, b, language),
    )


def _entry(meeting: FeedMeeting, content: FeedContent, language: str, event_title: str) -> FeedEntry:
    cancelled = meeting.status == MeetingStatus.CANCELLED
    summary = _summary(meeting, content, language)
    table = f"{label('table', language)}: {meeting.table_name}" if meeting.table_name else None
    interpreter_name = best_text(
        meeting.interpreter_ko, meeting.interpreter_ja, meeting.interpreter_en, language
    )
    interpreter = f"{label('interpreter', language)}: {interpreter_name}" if interpreter_name else None
    venue = content.event.venue_name
    location = ", ".join(part for part in (table, venue) if part)
    lines = [
        label("cancelled", language) if cancelled else None,
        summary,
        table,
        interpreter,
        f"{event_title} ({venue})",
    ]
    return FeedEntry(
        uid=f"meeting-{meeting.id}@plaza",
        sequence=meeting.sequence,
        status="CANCELLED" if cancelled else "CONFIRMED",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"{label('cancelled', language)}: {summary}" if cancelled else summary,
        location=location,
        description="\n".join(line for line in lines if line),
        updated_at=meeting.updated_at,
    )


def to_ics(content: FeedContent) -> bytes:
    """The feed's meetings as iCalendar, in the event's time zone and the feed's language."""
    language = content.feed.language
    event = content.event
    title = best_text(event.title_ko, event.title_ja, event.title_en, language)
    feed = Feed(
        name=label("feed_name", language, event=title),
        time_zone=event.time_zone,
        language=language,
        entries=[_entry(meeting, content, language, title) for meeting in content.meetings],
    )
    return render(feed)
