"""A calendar feed rendered as RFC 5545 iCalendar: pure (no I/O, no clock), so equal input gives equal bytes.

Calendar apps poll a feed; equal bytes mean an equal ETag and a cheap 304. That is why DTSTAMP is the
entry's last change (`updated_at`), not the time of rendering: RFC 5545 lets a published object's DTSTAMP be
when its information was last revised, and a feed regenerated every poll would otherwise never be equal.

Each event's times are written in the feed's zone (`DTSTART;TZID=Asia/Tokyo:…`) with a VTIMEZONE generated
from the zoneinfo database for the years the entries cover, so a calendar app shows a 10:00 Tokyo meeting
at 10:00 in Seoul and at 03:00 in Berlin (summer time) without guessing. `icalendar` builds the components,
the VTIMEZONE and the folding (at 75 octets, never inside a UTF-8 character); TEXT values are escaped here
(`_Text`), because icalendar 7.3 turns a backslash before a capital N into a line break.
"""

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone, vText

Status = Literal["CONFIRMED", "CANCELLED"]
STATUSES: frozenset[str] = frozenset({"CONFIRMED", "CANCELLED"})
PRODID = "-//Plaza//Meetings calendar feed//EN"
REFRESH = timedelta(hours=1)  # how often calendar apps are asked to poll (RFC 7986 REFRESH-INTERVAL)
MEDIA_TYPE = "text/calendar; charset=utf-8"

# RFC 5545 TEXT excludes control characters but HTAB; line breaks are escaped, so they are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One meeting as a calendar event.

    `uid` stays the same for the meeting's life (e.g. `meeting-<id>@plaza`); `sequence` grows with every
    change that matters to an attendee (a reschedule, a cancellation).
    """

    uid: str
    sequence: int
    status: Status
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str
    updated_at: datetime
    url: str | None = None

    def __post_init__(self) -> None:
        for name in ("starts_at", "ends_at", "updated_at"):
            if getattr(self, name).utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware")
        if self.ends_at < self.starts_at:
            raise ValueError("ends_at is before starts_at")
        if self.sequence < 0:
            raise ValueError("sequence is never negative")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {sorted(STATUSES)}")
        if not self.uid:
            raise ValueError("uid is required")


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed: its name (shown by calendar apps), the IANA zone its times are written in, its language."""

    name: str
    time_zone: str
    language: str
    entries: Sequence[FeedEntry]

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {self.time_zone!r}") from error


class _Text(vText):
    """A TEXT value escaped by RFC 5545 3.3.11: backslash first, then `;`, `,` and line breaks."""

    def to_ical(self) -> bytes:
        value = _CONTROL.sub("", str(self).replace("\r\n", "\n").replace("\r", "\n"))
        escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
        return escaped.encode("utf-8")


@functools.lru_cache(maxsize=128)
def _timezone(time_zone: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of `time_zone` for whole years (cached: generating one walks the zone's transitions).

    The component is shared between feeds and never changed after it is made.
    """
    return Timezone.from_tzid(
        time_zone, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
    )


def _event(entry: FeedEntry, zone: ZoneInfo, language: str) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("status", entry.status)
    event.add("dtstamp", entry.updated_at.astimezone(UTC))
    event.add("last-modified", entry.updated_at.astimezone(UTC))
    event.add("dtstart", entry.starts_at.astimezone(zone))
    event.add("dtend", entry.ends_at.astimezone(zone))
    texts = (("summary", entry.summary), ("location", entry.location), ("description", entry.description))
    for name, text in texts:
        if text:
            event.add(name, _Text(text), parameters={"LANGUAGE": language})
    if entry.url:
        event.add("url", entry.url)
    return event


def render(feed: Feed) -> bytes:
    """The feed as an iCalendar object (UTF-8, CRLF line ends, lines folded at 75 octets)."""
    zone = ZoneInfo(feed.time_zone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _Text(feed.name))
    calendar.add("x-wr-timezone", feed.time_zone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # the older name of the same hint, read by Outlook
    entries = sorted(feed.entries, key=lambda entry: (entry.starts_at, entry.uid))
    if entries:
        first = min(entry.starts_at.astimezone(zone) for entry in entries).year
        last = max(entry.ends_at.astimezone(zone) for entry in entries).year
        calendar.add_component(_timezone(feed.time_zone, first, last))
    for entry in entries:
        calendar.add_component(_event(entry, zone, feed.language))
    ical: bytes = calendar.to_ical()
    return ical
