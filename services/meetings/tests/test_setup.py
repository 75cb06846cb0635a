"""The B2B set-up over the real database: tables, interpreters, blocked slots (claims), quotas, access.

Slots and registrations are written with the ORM in the test's own transaction (the set-up API does not make
them); everything under test goes through the API.
"""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from meetings.agenda.models import AgendaSession, Slot
from meetings.bookings.models import CompanyQuota, Meeting, SlotClaim
from meetings.registrations.models import Registration
from plaza_kit.scopes import Scope

from .helpers import STRANGER, Companies, create_event

BLOCK_START = datetime(2025, 9, 18, 4, 0, tzinfo=UTC)  # 13:00 in Nagoya


@pytest.fixture
async def db(client: httpx.AsyncClient) -> AsyncIterator[AsyncSession]:
    """A session on the test's connection and transaction: what it commits, the next request sees."""
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    sessionmaker: async_sessionmaker[AsyncSession] = transport.app.state.sessionmaker  # type: ignore[attr-defined]
    async with sessionmaker() as session:
        yield session


async def add_slots(db: AsyncSession, event_id: str, count: int = 3) -> list[str]:
    """A B2B block at the event cut into `count` 30-minute slots; their ids."""
    block = AgendaSession(
        id=uuid.uuid4(),
        event_id=uuid.UUID(event_id),
        kind="b2b_block",
        title_en="B2B consultations",
        starts_at=BLOCK_START,
        ends_at=BLOCK_START + timedelta(minutes=30 * count),
        attendee_count=0,
        speakers=[],
    )
    db.add(block)
    await db.flush()
    slots = [
        Slot(
            id=uuid.uuid4(),
            event_id=block.event_id,
            session_id=block.id,
            starts_at=BLOCK_START + timedelta(minutes=30 * index),
            ends_at=BLOCK_START + timedelta(minutes=30 * (index + 1)),
        )
        for index in range(count)
    ]
    db.add_all(slots)
    await db.commit()
    return [str(slot.id) for slot in slots]


async def add_person(
    db: AsyncSession,
    event_id: str,
    company_id: uuid.UUID,
    *,
    name: str = "Kim Minjun",
    languages: tuple[str, ...] = ("ko", "ja"),
    role: str = "delegate",
) -> str:
    """A confirmed registration of a person of `company_id` at the event; its id."""
    now = datetime.now(UTC)
    person = Registration(
        id=uuid.uuid4(),
        event_id=uuid.UUID(event_id),
        company_id=company_id,
        company_name_ko="한빛소재",
        company_name_en="Hanbit Materials",
        company_country="KR",
        name_ko="김민준",
        name_en=name,
        role=role,
        languages=list(languages),
        status="confirmed",
        check_in_code=uuid.uuid4().hex[:8].upper(),
        version=1,
        created_at=now,
        updated_at=now,
    )
    db.add(person)
    await db.commit()
    return str(person.id)


async def add_meeting(
    db: AsyncSession,
    event_id: str,
    slot_id: str,
    *,
    table_id: str | None = None,
    interpreter_id: str | None = None,
    status: str = "scheduled",
) -> uuid.UUID:
    """A meeting row between two new companies (no claims: the set-up only looks at the row)."""
    people = [uuid.uuid4(), uuid.uuid4()]
    meeting = Meeting(
        id=uuid.uuid4(),
        event_id=uuid.UUID(event_id),
        slot_id=uuid.UUID(slot_id),
        table_id=uuid.UUID(table_id) if table_id else None,
        interpreter_id=uuid.UUID(interpreter_id) if interpreter_id else None,
        company_a_id=uuid.uuid4(),
        company_b_id=uuid.uuid4(),
        people_a=people[:1],
        people_b=people[1:],
        people=people,
        purpose="export_import",
        priority=3,
        status=status,
        sequence=0,
        locked=False,
        booked_by="test",
        version=1,
    )
    db.add(meeting)
    await db.commit()
    return meeting.id


async def claims(db: AsyncSession, event_id: str) -> set[tuple[str, str, str]]:
    """(slot, kind, resource) of every claim at the event."""
    rows = await db.execute(
        select(SlotClaim.slot_id, SlotClaim.resource_kind, SlotClaim.resource_id).where(
            SlotClaim.event_id == uuid.UUID(event_id)
        )
    )
    return {(str(slot), kind, str(resource)) for slot, kind, resource in rows}


def stranger(as_org: Any) -> dict[str, str]:
    """An organisation with every meetings scope that organises nothing."""
    return as_org(STRANGER, Scope.MEETINGS_READ, Scope.MEETINGS_WRITE, Scope.MEETINGS_ORGANISE)  # type: ignore[no-any-return]


# --- tables ---------------------------------------------------------------------------------------------


async def test_tables_fixed_and_floating(client: httpx.AsyncClient, companies: Companies) -> None:
    event = await create_event(client)
    base = f"/v1/events/{event['id']}/tables"
    hanbit = companies.create("KR")
    fixed = await client.post(base, json={"name": "A1", "company_id": str(hanbit)})
    assert fixed.status_code == 201, fixed.text
    assert fixed.headers["location"] == f"{base}/{fixed.json()['id']}"
    assert fixed.json() | {"id": None, "created_at": None} == {
        "id": None,
        "event_id": event["id"],
        "name": "A1",
        "company_id": str(hanbit),
        "fixed": True,
        "created_at": None,
    }
    floating = await client.post(base, json={"name": "Floating 1"})
    assert floating.status_code == 201, floating.text
    assert floating.json()["fixed"] is False
    listed = (await client.get(base)).json()["items"]
    assert [table["name"] for table in listed] == ["A1", "Floating 1"]
    one = await client.get(f"{base}/{floating.json()['id']}")
    assert one.json() == floating.json()
    assert (await client.get(f"{base}/{uuid.uuid4()}")).status_code == 404


async def test_table_duplicates_are_409_and_unknown_companies_422(
    client: httpx.AsyncClient, companies: Companies
) -> None:
    event = await create_event(client)
    base = f"/v1/events/{event['id']}/tables"
    hanbit = companies.create("KR")
    assert (await client.post(base, json={"name": "A1", "company_id": str(hanbit)})).status_code == 201
    same_name = await client.post(base, json={"name": "A1"})
    assert same_name.status_code == 409
    assert "a table named 'A1'" in same_name.json()["detail"]
    second_fixed = await client.post(base, json={"name": "A2", "company_id": str(hanbit)})
    assert second_fixed.status_code == 409
    assert f"company {hanbit} has a fixed table" in second_fixed.json()["detail"]
    unknown = await client.post(base, json={"name": "A3", "company_id": str(uuid.uuid4())})
    assert unknown.status_code == 422
    assert "registry knows no company" in unknown.json()["detail"]
    # Another event may use the same name and the same company.
    other = await create_event(client)
    again = await client.post(
        f"/v1/events/{other['id']}/tables", json={"name": "A1", "company_id": str(hanbit)}
    )
    assert again.status_code == 201, again.text
    listed = (await client.get(base)).json()["items"]
    assert [table["name"] for table in listed] == ["A1"]  # nothing of the refused ones was kept


async def test_patching_a_table(client: httpx.AsyncClient, companies: Companies, db: AsyncSession) -> None:
    event = await create_event(client)
    base = f"/v1/events/{event['id']}/tables"
    first = (await client.post(base, json={"name": "A1"})).json()
    (await client.post(base, json={"name": "A2"})).json()
    renamed = await client.patch(f"{base}/{first['id']}", json={"name": "B1"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "B1"
    taken = await client.patch(f"{base}/{first['id']}", json={"name": "A2"})
    assert taken.status_code == 409
    assert (await client.patch(f"{base}/{first['id']}", json={"name": None})).status_code == 422
    seon = companies.create("KR")
    fixed = await client.patch(f"{base}/{first['id']}", json={"company_id": str(seon)})
    assert fixed.json()["company_id"] == str(seon)
    slots = await add_slots(db, event["id"], 1)
    await add_meeting(db, event["id"], slots[0], table_id=first["id"])
    moved = await client.patch(f"{base}/{first['id']}", json={"company_id": None})
    assert moved.status_code == 409
    assert "has 1 meetings booked" in moved.json()["detail"]
    assert (await client.get(f"{base}/{first['id']}")).json()["company_id"] == str(seon)


async def test_a_table_of_a_live_meeting_cannot_be_deleted(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    event = await create_event(client)
    base = f"/v1/events/{event['id']}/tables"
    used = (await client.post(base, json={"name": "A1"})).json()
    history = (await client.post(base, json={"name": "A2"})).json()
    free = (await client.post(base, json={"name": "A3"})).json()
    slots = await add_slots(db, event["id"], 2)
    await add_meeting(db, event["id"], slots[0], table_id=used["id"])
    cancelled = await add_meeting(db, event["id"], slots[1], table_id=history["id"], status="cancelled")
    refused = await client.delete(f"{base}/{used['id']}")
    assert refused.status_code == 409
    assert refused.json()["meetings"] == 1
    assert "used by 1 live meetings" in refused.json()["detail"]
    assert (await client.get(f"{base}/{used['id']}")).status_code == 200
    assert (
        await client.delete(f"{base}/{history['id']}")
    ).status_code == 204  # a cancelled meeting forgets it
    kept = await db.scalar(select(Meeting.table_id).where(Meeting.id == cancelled))
    assert kept is None
    assert (await client.delete(f"{base}/{free['id']}")).status_code == 204
    assert (await client.delete(f"{base}/{free['id']}")).status_code == 404
    assert [table["name"] for table in (await client.get(base)).json()["items"]] == ["A1"]


# --- interpreters ---------------------------------------------------------------------------------------


async def test_interpreters(client: httpx.AsyncClient, db: AsyncSession) -> None:
    event = await create_event(client)
    base = f"/v1/events/{event['id']}/interpreters"
    agency = uuid.uuid4()
    person = await add_person(db, event["id"], agency, name="Sato Yuki", languages=("ko", "ja", "en"))
    table = (await client.post(f"/v1/events/{event['id']}/tables", json={"name": "A1"})).json()
    made = await client.post(
        base, json={"registration_id": person, "language_pairs": ["ko-ja", "ko-en"], "table_id": table["id"]}
    )
    assert made.status_code == 201, made.text
    interpreter = made.json()
    assert interpreter["registration_id"] == person
    assert interpreter["company_id"] == str(agency)
    assert interpreter["name"] == {"ko": "김민준", "ja": None, "en": "Sato Yuki"}
    assert interpreter["languages"] == ["ko", "ja", "en"]
    assert interpreter["language_pairs"] == ["ko-ja", "ko-en"]
    assert interpreter["table_id"] == table["id"]
    role = await db.scalar(
        select(Registration.role)
        .where(Registration.id == uuid.UUID(person))
        .execution_options(populate_existing=True)
    )
    assert role == "interpreter"
    again = await client.post(base, json={"registration_id": person, "language_pairs": ["ja-en"]})
    assert again.status_code == 409
    assert "is an interpreter already" in again.json()["detail"]
    pooled = await client.patch(
        f"{base}/{interpreter['id']}", json={"table_id": None, "language_pairs": ["ja-en"]}
    )
    assert pooled.status_code == 200, pooled.text
    assert (pooled.json()["table_id"], pooled.json()["language_pairs"]) == (None, ["ja-en"])
    assert (await client.get(base)).json()["items"] == [pooled.json()]
    assert (await client.get(f"{base}/{interpreter['id']}")).json() == pooled.json()
    assert (await client.delete(f"{base}/{interpreter['id']}")).status_code == 204
    assert (await client.get(f"{base}/{interpreter['id']}")).status_code == 404


async def test_interpreter_input_is_checked(client: httpx.AsyncClient, db: AsyncSession) -> None:
    event = await create_event(client)
    other = await create_event(client)
    base = f"/v1/events/{event['id']}/interpreters"
    person = await add_person(db, event["id"], uuid.uuid4())
    elsewhere = await add_person(db, other["id"], uuid.uuid4())
    other_table = (await client.post(f"/v1/events/{other['id']}/tables", json={"name": "X"})).json()
    cases: list[dict[str, Any]] = [
        {"registration_id": person, "language_pairs": []},
        {"registration_id": person, "language_pairs": ["ko-zh"]},
        {"registration_id": elsewhere, "language_pairs": ["ko-ja"]},
        {"registration_id": person, "language_pairs": ["ko-ja"], "table_id": other_table["id"]},
        {"registration_id": str(uuid.uuid4()), "language_pairs": ["ko-ja"]},
    ]
    for body in cases:
        response = await client.post(base, json=body)
        assert response.status_code == 422, (body, response.text)
    assert (await client.get(base)).json()["items"] == []


async def test_an_interpreter_of_a_live_meeting_stays(client: httpx.AsyncClient, db: AsyncSession) -> None:
    event = await create_event(client)
    base = f"/v1/events/{event['id']}/interpreters"
    person = await add_person(db, event["id"], uuid.uuid4())
    interpreter = (
        await client.post(base, json={"registration_id": person, "language_pairs": ["ko-ja"]})
    ).json()
    slots = await add_slots(db, event["id"], 1)
    await add_meeting(db, event["id"], slots[0], interpreter_id=interpreter["id"])
    refused = await client.delete(f"{base}/{interpreter['id']}")
    assert refused.status_code == 409
    assert "booked for 1 live meetings" in refused.json()["detail"]


# --- blocked slots --------------------------------------------------------------------------------------


async def test_a_blocked_slot_claims_the_person(client: httpx.AsyncClient, db: AsyncSession) -> None:
    event = await create_event(client)
    base = f"/v1/events/{event['id']}/blocked-slots"
    company = uuid.uuid4()
    person = await add_person(db, event["id"], company)
    slots = await add_slots(db, event["id"], 3)
    made = await client.post(
        base, json={"slot_id": slots[0], "registration_id": person, "reason": "Lunch break"}
    )
    assert made.status_code == 201, made.text
    blocked = made.json()
    assert made.headers["location"] == f"{base}/{blocked['id']}"
    assert blocked | {"id": None, "created_at": None} == {
        "id": None,
        "event_id": event["id"],
        "slot_id": slots[0],
        "starts_at": "2025-09-18T13:00:00+09:00",
        "ends_at": "2025-09-18T13:30:00+09:00",
        "subject": "person",
        "registration_id": person,
        "company_id": str(company),
        "reason": "Lunch break",
        "created_at": None,
    }
    assert await claims(db, event["id"]) == {(slots[0], "person", person)}

    twice = await client.post(base, json={"slot_id": slots[0], "registration_id": person})
    assert twice.status_code == 409
    problem = twice.json()
    assert problem["type"].endswith("slot-taken")
    assert person in problem["detail"]
    assert problem["taken"] == [
        {
            "slot_id": slots[0],
            "resource": {"kind": "person", "id": person, "role": "person"},
            "held_by": {"kind": "blocked_slot", "id": blocked["id"]},
        }
    ]

    # Several at once are all or nothing: slot 0 is taken, so slot 1 is not blocked either.
    several = await client.post(base, json={"slot_ids": [slots[1], slots[0]], "registration_id": person})
    assert several.status_code == 409
    assert [item["slot_id"] for item in several.json()["taken"]] == [slots[0]]
    assert await claims(db, event["id"]) == {(slots[0], "person", person)}
    assert [item["slot_id"] for item in (await client.get(base)).json()["items"]] == [slots[0]]

    rest = await client.post(base, json={"slot_ids": [slots[2], slots[1]], "registration_id": person})
    assert rest.status_code == 201, rest.text
    assert [item["slot_id"] for item in rest.json()["items"]] == [slots[1], slots[2]]  # in slot order
    assert len(await claims(db, event["id"])) == 3

    # Unblocking frees the slot: the claim goes with the block.
    assert (await client.delete(f"{base}/{blocked['id']}")).status_code == 204
    assert (slots[0], "person", person) not in await claims(db, event["id"])
    assert (await client.delete(f"{base}/{blocked['id']}")).status_code == 404
    again = await client.post(base, json={"slot_id": slots[0], "registration_id": person})
    assert again.status_code == 201, again.text


async def test_a_company_block_claims_the_company(
    client: httpx.AsyncClient, companies: Companies, db: AsyncSession
) -> None:
    event = await create_event(client)
    base = f"/v1/events/{event['id']}/blocked-slots"
    mikawa = companies.create("JP")
    slots = await add_slots(db, event["id"], 2)
    made = await client.post(
        base, json={"slot_ids": slots, "company_id": str(mikawa), "reason": "Factory tour"}
    )
    assert made.status_code == 201, made.text
    assert {item["subject"] for item in made.json()["items"]} == {"company"}
    assert await claims(db, event["id"]) == {(slot, "company", str(mikawa)) for slot in slots}
    twice = await client.post(base, json={"slot_id": slots[1], "company_id": str(mikawa)})
    assert twice.status_code == 409
    assert twice.json()["taken"][0]["resource"] == {"kind": "company", "id": str(mikawa), "role": "company"}
    unknown = await client.post(base, json={"slot_id": slots[0], "company_id": str(uuid.uuid4())})
    assert unknown.status_code == 422


async def test_blocked_slot_input_is_checked(client: httpx.AsyncClient, db: AsyncSession) -> None:
    event = await create_event(client)
    other = await create_event(client)
    base = f"/v1/events/{event['id']}/blocked-slots"
    person = await add_person(db, event["id"], uuid.uuid4())
    slots = await add_slots(db, event["id"], 1)
    other_slots = await add_slots(db, other["id"], 1)
    company = str(uuid.uuid4())
    cases: list[dict[str, Any]] = [
        {"registration_id": person},  # no slot
        {"slot_id": slots[0], "slot_ids": slots, "registration_id": person},  # both
        {"slot_id": slots[0]},  # nobody
        {"slot_id": slots[0], "registration_id": person, "company_id": company},  # two subjects
        {"slot_id": other_slots[0], "registration_id": person},  # another event's slot
        {"slot_id": slots[0], "registration_id": str(uuid.uuid4())},  # not registered here
        {"slot_ids": [], "registration_id": person},
    ]
    for body in cases:
        response = await client.post(base, json=body)
        assert response.status_code == 422, (body, response.text)
    assert await claims(db, event["id"]) == set()


# --- quotas ---------------------------------------------------------------------------------------------


async def test_quotas(client: httpx.AsyncClient, companies: Companies, db: AsyncSession) -> None:
    event = await create_event(client, b2b={"slot_minutes": 30, "default_quota": 8})
    hanbit, seon = companies.create("KR"), companies.create("KR")
    own = await client.put(f"/v1/events/{event['id']}/quotas/{hanbit}", json={"max_meetings": 5})
    assert own.status_code == 200, own.text
    assert own.json() == {
        "company_id": str(hanbit),
        "max_meetings": 5,
        "booked": 0,
        "remaining": 5,
        "overridden": True,
    }
    back = await client.put(f"/v1/events/{event['id']}/quotas/{hanbit}", json={"max_meetings": None})
    assert back.json() | {"booked": 0} == {
        "company_id": str(hanbit),
        "max_meetings": 8,
        "booked": 0,
        "remaining": 8,
        "overridden": False,
    }
    # A company with three meetings booked (the booking code counts them in `booked`).
    db.add(
        CompanyQuota(event_id=uuid.UUID(event["id"]), company_id=seon, quota=8, overridden=False, booked=3)
    )
    await db.commit()
    below = await client.put(f"/v1/events/{event['id']}/quotas/{seon}", json={"max_meetings": 2})
    assert below.status_code == 409
    assert "already has 3 meetings" in below.json()["detail"]
    assert below.json()["booked"] == 3
    exact = await client.put(f"/v1/events/{event['id']}/quotas/{seon}", json={"max_meetings": 3})
    assert exact.json()["remaining"] == 0
    listed = (await client.get(f"/v1/events/{event['id']}/quotas")).json()["items"]
    assert sorted((item["company_id"], item["max_meetings"], item["booked"]) for item in listed) == sorted(
        [(str(hanbit), 8, 0), (str(seon), 3, 3)]
    )
    assert (
        await client.put(f"/v1/events/{event['id']}/quotas/{uuid.uuid4()}", json={"max_meetings": 1})
    ).status_code == 422
    assert (await client.put(f"/v1/events/{event['id']}/quotas/{seon}", json={})).status_code == 422
    assert (
        await client.put(f"/v1/events/{event['id']}/quotas/{seon}", json={"max_meetings": -1})
    ).status_code == 422


# --- access ---------------------------------------------------------------------------------------------


async def test_only_organisers_change_the_set_up(
    client: httpx.AsyncClient, companies: Companies, db: AsyncSession, as_org: Any
) -> None:
    event = await create_event(client)
    base = f"/v1/events/{event['id']}"
    hanbit = companies.create("KR")
    person = await add_person(db, event["id"], hanbit)
    slots = await add_slots(db, event["id"], 1)
    table = (await client.post(f"{base}/tables", json={"name": "A1"})).json()
    other = stranger(as_org)
    writes = [
        ("POST", f"{base}/tables", {"name": "A9"}),
        ("PATCH", f"{base}/tables/{table['id']}", {"name": "Z"}),
        ("DELETE", f"{base}/tables/{table['id']}", None),
        ("POST", f"{base}/interpreters", {"registration_id": person, "language_pairs": ["ko-ja"]}),
        ("POST", f"{base}/blocked-slots", {"slot_id": slots[0], "registration_id": person}),
        ("PUT", f"{base}/quotas/{hanbit}", {"max_meetings": 1}),
    ]
    for method, path, body in writes:
        response = await client.request(method, path, json=body, headers=other)
        assert response.status_code == 403, (method, path, response.text)
    # The company itself reads the set-up but cannot change it (no organise scope, not an organiser).
    own = as_org(hanbit)
    assert (await client.get(f"{base}/tables", headers=own)).status_code == 200
    assert (await client.post(f"{base}/tables", json={"name": "A9"}, headers=own)).status_code == 403
    assert [item["name"] for item in (await client.get(f"{base}/tables")).json()["items"]] == ["A1"]


async def test_a_persons_blocked_slots_are_for_organisers_and_their_company(
    client: httpx.AsyncClient, companies: Companies, db: AsyncSession, as_org: Any
) -> None:
    event = await create_event(client)
    base = f"/v1/events/{event['id']}/blocked-slots"
    company = uuid.uuid4()
    person = await add_person(db, event["id"], company)
    mikawa = companies.create("JP")
    slots = await add_slots(db, event["id"], 2)
    assert (await client.post(base, json={"slot_id": slots[0], "registration_id": person})).status_code == 201
    assert (await client.post(base, json={"slot_id": slots[1], "company_id": str(mikawa)})).status_code == 201
    other = stranger(as_org)
    hidden = await client.get(base, params={"registration_id": person}, headers=other)
    assert hidden.status_code == 404
    seen_by_stranger = (await client.get(base, headers=other)).json()["items"]
    assert [item["subject"] for item in seen_by_stranger] == ["company"]
    own = (await client.get(base, params={"registration_id": person}, headers=as_org(company))).json()[
        "items"
    ]
    assert [item["registration_id"] for item in own] == [person]
    assert len((await client.get(base)).json()["items"]) == 2  # the organiser sees both
    by_company = (await client.get(base, params={"company_id": str(company)})).json()["items"]
    assert [item["registration_id"] for item in by_company] == [person]
