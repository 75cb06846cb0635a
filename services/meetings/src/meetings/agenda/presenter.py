"""The API shape of the agenda: sessions, the slot grid and attendees, times in the event's zone."""

import uuid
from collections.abc import Sequence
from typing import Any

from meetings.agenda.models import AgendaSession, SessionAttendance, SessionKind, Slot
from meetings.agenda.schemas import AttendeeRead, SessionRead, SlotGrid, SlotRead, SpeakerRead
from meetings.events.models import Event
from meetings.registrations.models import Registration, RegistrationRole
from meetings.texts import Texts, local, texts


def _speaker(stored: dict[str, Any]) -> SpeakerRead:
    company_id = stored.get("company_id")
    name = stored.get("name") or {}
    return SpeakerRead(
        company_id=uuid.UUID(str(company_id)) if company_id else None,
        name=Texts(ko=name.get("ko"), ja=name.get("ja"), en=name.get("en")),
        title=stored.get("title"),
    )


def to_read(row: AgendaSession, event: Event) -> SessionRead:
    """A session with its times in the event's zone."""
    return SessionRead(
        id=row.id,
        event_id=row.event_id,
        kind=SessionKind(row.kind),
        title=texts(row.title_ko, row.title_ja, row.title_en),
        room=row.room,
        starts_at=local(row.starts_at, event.time_zone),
        ends_at=local(row.ends_at, event.time_zone),
        capacity=row.capacity,
        attendee_count=row.attendee_count,
        speakers=[_speaker(speaker) for speaker in row.speakers or []],
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def to_grid(slots: Sequence[Slot], event: Event) -> SlotGrid:
    """The slot grid in time order, each slot numbered from 1."""
    return SlotGrid(
        items=[
            SlotRead(
                id=slot.id,
                session_id=slot.session_id,
                ordinal=number,
                starts_at=local(slot.starts_at, event.time_zone),
                ends_at=local(slot.ends_at, event.time_zone),
            )
            for number, slot in enumerate(slots, start=1)
        ]
    )


def to_attendee(attendance: SessionAttendance, registration: Registration) -> AttendeeRead:
    """A person attending a session."""
    return AttendeeRead(
        session_id=attendance.session_id,
        registration_id=attendance.registration_id,
        company_id=registration.company_id,
        name=texts(registration.name_ko, registration.name_ja, registration.name_en),
        role=RegistrationRole(registration.role),
        created_at=attendance.created_at,
    )
