"""Loads the demo plaza idempotently: fixed ids, and nothing at all when the demo event exists already.

The set-up (event, agenda, slots, registrations, tables, interpreters) is inserted as rows; requests and
meetings go through the same service functions as the API (`requests.service`, `bookings.service`), so
the demo's bookings hold their slot claims exactly as partners' bookings do.

`python -m meetings.demo [database-url]` (defaults to `MEETINGS_DATABASE_URL`).
"""

import asyncio
import hashlib
import os
import sys
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from meetings.agenda.models import AgendaSession, SessionAttendance, Slot
from meetings.bookings import service as bookings
from meetings.bookings.models import MeetingStatus
from meetings.bookings.schemas import OutcomeWrite
from meetings.demo_data import COMPANIES, KOREAN_FIRMS, PEOPLE, REQUESTS, SESSIONS, DemoPerson
from meetings.events.models import Event, EventStatus, MeetingRule
from meetings.registrations.models import Registration
from meetings.requests import service as requests
from meetings.requests.schemas import RequestAccept, RequestCreate
from meetings.setup.models import Interpreter, MeetingTable
from plaza_contracts import Money
from plaza_contracts.demo import DEMO_COMPANIES, DEMO_EVENT_ID, DEMO_ORGANISATIONS, meetings_demo_id
from plaza_kit.identity import Principal
from plaza_kit.settings import asyncpg_url

TOKYO = ZoneInfo("Asia/Tokyo")
DAY = (2025, 9, 18)
_CREATED_AT = datetime(2025, 8, 1, tzinfo=UTC)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ORGANISERS = [DEMO_ORGANISATIONS[key] for key in ("kotra", "consulate-nagoya", "aichi-battery-consortium")]
DEMO_PRINCIPAL = Principal(
    subject="plaza-demo",
    organisation_id=DEMO_ORGANISATIONS["kotra"],
    scopes=frozenset({"meetings:read", "meetings:write", "meetings:organise"}),
)


def demo_id(kind: str, key: str, position: int = 0) -> uuid.UUID:
    """The fixed id of a demo record (`plaza_contracts.demo`: the other services' demos name them)."""
    return meetings_demo_id(kind, key, position)


def _company_id(key: str) -> uuid.UUID:
    return DEMO_COMPANIES.get(key) or DEMO_ORGANISATIONS[key]


def _at(hour: int, minute: int) -> datetime:
    return datetime(*DAY, hour, minute, tzinfo=TOKYO).astimezone(UTC)


def _check_in_code(key: str) -> str:
    digest = hashlib.sha256(f"plaza-demo-check-in:{key}".encode()).digest()
    return "".join(_CODE_ALPHABET[byte % len(_CODE_ALPHABET)] for byte in digest[:6])


def _event() -> Event:
    return Event(
        id=DEMO_EVENT_ID,
        title_ko="2025 한일 차세대 배터리 플라자",
        title_ja="2025 日韓次世代バッテリープラザ",
        title_en="2025 Korea–Japan Next-Generation Battery Plaza",
        venue_name="STATION Ai",
        venue_address="2-4-7 Tsurumai, Showa-ku, Nagoya, Aichi 466-0064, Japan",
        time_zone="Asia/Tokyo",
        starts_at=_at(9, 30),
        ends_at=_at(18, 0),
        capacity=150,
        confirmed_count=0,
        languages=["ko", "ja"],
        status=EventStatus.OPEN,
        slot_minutes=30,
        request_expiry_hours=None,  # demo requests stay open, so partners' tests find them as documented
        meeting_rule=MeetingRule.ACROSS_COUNTRIES,
        default_quota=8,
        organiser_ids=ORGANISERS,
        version=1,
        created_at=_CREATED_AT,
        updated_at=_CREATED_AT,
    )


def _registration(position: int, person: DemoPerson) -> Registration:
    ko, ja, en, country = COMPANIES[person.company]
    return Registration(
        id=demo_id("registration", person.key, position),
        event_id=DEMO_EVENT_ID,
        company_id=_company_id(person.company),
        company_name_ko=ko,
        company_name_ja=ja,
        company_name_en=en,
        company_country=country,
        name_ko=person.ko,
        name_ja=person.ja,
        name_en=person.en,
        role=person.role,
        job_title=person.job_title,
        languages=list(person.languages),
        email=f"{person.key}@example.com",
        status="confirmed",
        check_in_code=_check_in_code(person.key),
        version=1,
        created_at=_CREATED_AT,
        updated_at=_CREATED_AT,
    )


def _sessions(people: dict[str, Registration]) -> tuple[list[AgendaSession], list[Slot]]:
    sessions, slots = [], []
    for position, demo in enumerate(SESSIONS):
        speakers = [
            {
                "company_id": str(people[key].company_id),
                "name": {"ko": people[key].name_ko, "ja": people[key].name_ja, "en": people[key].name_en},
                "title": people[key].job_title,
            }
            for key in demo.speakers
        ]
        session = AgendaSession(
            id=demo_id("session", demo.key, position),
            event_id=DEMO_EVENT_ID,
            kind=demo.kind,
            title_ko=demo.ko,
            title_ja=demo.ja,
            title_en=demo.en,
            room=demo.room,
            starts_at=_at(*demo.start),
            ends_at=_at(*demo.end),
            capacity=None,
            attendee_count=0,
            speakers=speakers,
            created_at=_CREATED_AT,
            updated_at=_CREATED_AT,
        )
        sessions.append(session)
        if demo.kind == "b2b_block":
            start = session.starts_at
            index = 0
            while start < session.ends_at:
                slots.append(
                    Slot(
                        id=demo_id("slot", str(index + 1), index),
                        event_id=DEMO_EVENT_ID,
                        session_id=session.id,
                        starts_at=start,
                        ends_at=start + timedelta(minutes=30),
                    )
                )
                start += timedelta(minutes=30)
                index += 1
    return sessions, slots


async def _set_up(session: AsyncSession) -> tuple[dict[str, Registration], list[Slot]]:
    event = _event()
    session.add(event)
    await session.flush()
    people = {person.key: _registration(position, person) for position, person in enumerate(PEOPLE)}
    session.add_all(people.values())
    event.confirmed_count = len(people)
    agenda, slots = _sessions(people)
    session.add_all(agenda)
    await session.flush()
    session.add_all(slots)
    keynote = agenda[0]
    listeners = [people[key] for key in ("mikawa-1", "chita-1", "owari-1", "hanbit-1")]
    session.add_all(SessionAttendance(session_id=keynote.id, registration_id=p.id) for p in listeners)
    keynote.attendee_count = len(listeners)
    tables = {}
    for position, key in enumerate(KOREAN_FIRMS):
        table = MeetingTable(
            id=demo_id("table", key, position),
            event_id=DEMO_EVENT_ID,
            name=f"K{position + 1:02d}",
            company_id=DEMO_COMPANIES[key],
        )
        tables[key] = table
    session.add_all(tables.values())
    await session.flush()
    for position, key in enumerate(("interpreter-1", "interpreter-2", "interpreter-3")):
        session.add(
            Interpreter(
                id=demo_id("interpreter", key, position),
                event_id=DEMO_EVENT_ID,
                registration_id=people[key].id,
                language_pairs=["ko-ja", "ko-en", "ja-en"] if key == "interpreter-2" else ["ko-ja"],
                table_id=tables["hanbit-materials"].id if key == "interpreter-1" else None,
            )
        )
    await session.flush()
    return people, slots


async def _requests_and_meetings(
    session: AsyncSession, people: dict[str, Registration], slots: list[Slot]
) -> None:
    for position, demo in enumerate(REQUESTS):
        requester, requested = people[demo.requester], people[demo.requested]
        request_id = demo_id("request", f"{demo.requester}>{demo.requested}", position)
        body = RequestCreate(
            requester_company_id=requester.company_id,
            requested_company_id=requested.company_id,
            requester_people=[requester.id],
            requested_people=[requested.id],
            purpose=demo.purpose,
            message=demo.message,
            priority=3,
            proposed_slot_id=slots[demo.proposed_slot - 1].id if demo.proposed_slot else None,
        )
        await requests.create_request(session, DEMO_EVENT_ID, body, DEMO_PRINCIPAL, request_id=request_id)
        if demo.outcome == "declined":
            await requests.decline(session, DEMO_EVENT_ID, request_id, DEMO_PRINCIPAL, "Our agenda is full.")
        if demo.outcome != "accepted":
            continue
        if demo.slot is None:  # accepted, to be placed by a schedule run
            await requests.accept(session, DEMO_EVENT_ID, request_id, DEMO_PRINCIPAL, RequestAccept())
            continue
        meeting_id = demo_id("meeting", f"{demo.requester}>{demo.requested}", position)
        answer = RequestAccept(slot_id=slots[demo.slot - 1].id)
        await requests.accept(
            session, DEMO_EVENT_ID, request_id, DEMO_PRINCIPAL, answer, meeting_id=meeting_id
        )
        if demo.held:
            await bookings.mark(session, meeting_id, DEMO_PRINCIPAL, MeetingStatus.HELD)
        if demo.result is not None:
            outcome, amount, currency = demo.result
            value = Money(amount=Decimal(amount), currency=currency) if amount and currency else None
            await bookings.write_outcome(
                session,
                meeting_id,
                DEMO_PRINCIPAL,
                OutcomeWrite(outcome=outcome, purpose=demo.purpose, estimated_value=value),
            )


async def load_demo(database_url: str) -> int:
    """Insert the demo plaza unless it is there; the number of registrations inserted."""
    engine = create_async_engine(asyncpg_url(database_url), poolclass=NullPool)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            if await session.get(Event, DEMO_EVENT_ID) is not None:
                return 0
            people, slots = await _set_up(session)
            await _requests_and_meetings(session, people, slots)
            await session.commit()
            return len(people)
    finally:
        await engine.dispose()


def load_demo_sync(database_url: str) -> None:
    """Blocking wrapper for the run command (the catalogue's `demo_data` entry point)."""
    asyncio.run(load_demo(database_url))


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ["MEETINGS_DATABASE_URL"]
    print(f"demo registrations inserted: {asyncio.run(load_demo(url))}")
