"""A small plaza for booking tests, committed for real: an open event (made through the API), a B2B block
cut into slots, Korean firms at fixed tables, Japanese companies, interpreters.

The set-up rows are written with the ORM straight into the meetings schema so that booking tests do not
depend on the set-up APIs (which have tests of their own); every booking itself goes through the API.
Each plaza is a new event with new company ids, so tests sharing the database never see each other's rows.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from meetings.agenda.models import AgendaSession, Slot
from meetings.events.models import Event
from meetings.registrations.models import Registration
from meetings.setup.models import Interpreter, MeetingTable

from .helpers import event_body

BLOCK_START = datetime(2025, 9, 18, 4, 0, tzinfo=UTC)  # 13:00 in Nagoya


@dataclass
class Company:
    """A company at the plaza and its registered people."""

    id: uuid.UUID
    country: str
    people: list[uuid.UUID] = field(default_factory=list)
    table_id: uuid.UUID | None = None


@dataclass
class Plaza:
    """What a booking test works with."""

    event_id: uuid.UUID
    slots: list[uuid.UUID]
    korean: list[Company]
    japanese: list[Company]
    interpreters: list[tuple[uuid.UUID, uuid.UUID]]  # (interpreter id, registration id)
    floating_tables: list[uuid.UUID]

    def request_body(self, requester: Company, requested: Company, **extra: Any) -> dict[str, Any]:
        """A request from `requester` (its first person) to `requested`."""
        return {
            "requester_company_id": str(requester.id),
            "requested_company_id": str(requested.id),
            "requester_people": [str(requester.people[0])],
            "purpose": "export_import",
            **extra,
        }


def _person(
    event_id: uuid.UUID, company: Company, languages: list[str], role: str, index: int
) -> Registration:
    now = datetime.now(UTC)
    return Registration(
        id=uuid.uuid4(),
        event_id=event_id,
        company_id=company.id,
        company_name_en=f"Company {str(company.id)[:8]}",
        company_country=company.country,
        name_en=f"Person {index} of {str(company.id)[:8]}",
        role=role,
        languages=languages,
        status="confirmed",
        check_in_code=uuid.uuid4().hex[:8].upper(),
        version=1,
        created_at=now,
        updated_at=now,
    )


async def build_plaza(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    *,
    korean: int = 2,
    japanese: int = 3,
    slots: int = 4,
    interpreters: int = 1,
    floating_tables: int = 0,
    japanese_speak_korean: bool = False,
    **event: Any,
) -> Plaza:
    """A new open plaza: Korean firms speak ko, Japanese ones ja (and ko if asked), interpreters ko–ja."""
    response = await client.post("/v1/events", json=event_body(**event))
    assert response.status_code == 201, response.text
    event_id = uuid.UUID(response.json()["id"])
    opened = await client.post(f"/v1/events/{event_id}/status", json={"status": "open"})
    assert opened.status_code == 200, opened.text
    plaza = Plaza(event_id, [], [], [], [], [])
    async with AsyncSession(engine, expire_on_commit=False) as session:
        block = AgendaSession(
            id=uuid.uuid4(),
            event_id=event_id,
            kind="b2b_block",
            title_en="B2B consultations",
            starts_at=BLOCK_START,
            ends_at=BLOCK_START + timedelta(minutes=30 * slots),
            attendee_count=0,
            speakers=[],
        )
        session.add(block)
        await session.flush()
        for index in range(slots):
            slot = Slot(
                id=uuid.uuid4(),
                event_id=event_id,
                session_id=block.id,
                starts_at=BLOCK_START + timedelta(minutes=30 * index),
                ends_at=BLOCK_START + timedelta(minutes=30 * (index + 1)),
            )
            session.add(slot)
            plaza.slots.append(slot.id)
        for index in range(korean):
            company = Company(uuid.uuid4(), "KR")
            person = _person(event_id, company, ["ko"], "exhibitor", index)
            table = MeetingTable(
                id=uuid.uuid4(), event_id=event_id, name=f"K{index + 1:02d}", company_id=company.id
            )
            session.add_all([person, table])
            company.people.append(person.id)
            company.table_id = table.id
            plaza.korean.append(company)
        for index in range(japanese):
            company = Company(uuid.uuid4(), "JP")
            languages = ["ja", "ko"] if japanese_speak_korean else ["ja"]
            person = _person(event_id, company, languages, "buyer", index)
            session.add(person)
            company.people.append(person.id)
            plaza.japanese.append(company)
        for index in range(floating_tables):
            table = MeetingTable(id=uuid.uuid4(), event_id=event_id, name=f"F{index + 1:02d}")
            session.add(table)
            plaza.floating_tables.append(table.id)
        agency = Company(uuid.uuid4(), "KR")
        for index in range(interpreters):
            person = _person(event_id, agency, ["ko", "ja"], "interpreter", index)
            session.add(person)
            await session.flush()
            interpreter = Interpreter(
                id=uuid.uuid4(), event_id=event_id, registration_id=person.id, language_pairs=["ko-ja"]
            )
            session.add(interpreter)
            plaza.interpreters.append((interpreter.id, person.id))
        people = len(plaza.korean) + len(plaza.japanese) + len(plaza.interpreters)
        await session.execute(update(Event).where(Event.id == event_id).values(confirmed_count=people))
        await session.commit()
    return plaza
