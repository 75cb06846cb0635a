"""The agenda over the real database: sessions within the event, rooms and B2B blocks that never overlap,
the slot grid in the event's zone, attendance within capacity that makes a person busy for B2B slots."""

import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from meetings.bookings import repository as bookings
from meetings.bookings.models import Claim, Holder, ResourceKind
from plaza_kit.db import make_sessionmaker
from plaza_kit.scopes import Scope

from .helpers import STRANGER, Companies, create_event
from .test_registrations import register


def at(clock: str) -> str:
    """A time of the plaza's day in Nagoya."""
    return f"2025-09-18T{clock}:00+09:00"


def session_body(
    kind: str = "seminar", start: str = "10:00", end: str = "11:00", **overrides: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": kind,
        "title": {"en": f"{kind} {uuid.uuid4().hex[:6]}", "ko": "세미나"},
        "room": None,
        "starts_at": at(start),
        "ends_at": at(end),
    }
    body.update(overrides)
    return body


async def add(client: httpx.AsyncClient, event_id: str, **body: Any) -> dict[str, Any]:
    response = await client.post(f"/v1/events/{event_id}/sessions", json=session_body(**body))
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


async def attend(
    client: httpx.AsyncClient, event_id: str, session_id: str, registration_id: str, **headers: str
) -> httpx.Response:
    return await client.post(
        f"/v1/events/{event_id}/sessions/{session_id}/attendees",
        json={"registration_id": registration_id},
        headers=headers or None,
    )


async def slots(client: httpx.AsyncClient, event_id: str) -> list[dict[str, Any]]:
    grid: list[dict[str, Any]] = (await client.get(f"/v1/events/{event_id}/slots")).json()["items"]
    return grid


async def test_a_b2b_block_is_cut_into_the_slot_grid(client: httpx.AsyncClient) -> None:
    event = await create_event(client)
    block = await add(client, event["id"], kind="b2b_block", start="10:00", end="12:00", room="B2B Hall")
    assert block["starts_at"] == at("10:00")
    grid = await slots(client, event["id"])
    assert [(slot["starts_at"], slot["ends_at"]) for slot in grid] == [
        (at("10:00"), at("10:30")),
        (at("10:30"), at("11:00")),
        (at("11:00"), at("11:30")),
        (at("11:30"), at("12:00")),
    ]
    assert [slot["ordinal"] for slot in grid] == [1, 2, 3, 4]
    assert {slot["session_id"] for slot in grid} == {block["id"]}
    later = await add(client, event["id"], kind="b2b_block", start="14:00", end="15:00")
    grid = await slots(client, event["id"])
    assert [slot["ordinal"] for slot in grid] == [1, 2, 3, 4, 5, 6]
    assert [slot["session_id"] for slot in grid][4:] == [later["id"], later["id"]]


async def test_times_must_fit_the_event_and_the_slot_length(client: httpx.AsyncClient) -> None:
    event = await create_event(client)
    url = f"/v1/events/{event['id']}/sessions"
    ragged = await client.post(url, json=session_body("b2b_block", "10:00", "11:45"))
    assert ragged.status_code == 422
    assert "whole number of 30-minute slots" in ragged.json()["detail"]
    early = await client.post(url, json=session_body("keynote", "09:00", "10:00"))
    assert early.status_code == 422
    assert "within the event" in early.json()["detail"]
    late = await client.post(url, json=session_body("pitch", "17:30", "18:30"))
    assert late.status_code == 422
    backwards = await client.post(url, json=session_body("pitch", "12:00", "11:00"))
    assert backwards.status_code == 422
    assert await slots(client, event["id"]) == []


async def test_a_room_holds_one_session_at_a_time(client: httpx.AsyncClient) -> None:
    event = await create_event(client)
    url = f"/v1/events/{event['id']}/sessions"
    await add(client, event["id"], kind="keynote", start="10:00", end="11:00", room="Main Hall")
    taken = await client.post(url, json=session_body("seminar", "10:30", "11:30", room="Main Hall"))
    assert taken.status_code == 409
    assert "room Main Hall is taken" in taken.json()["detail"]
    assert (
        await client.post(url, json=session_body("seminar", "11:00", "12:00", room="Main Hall"))
    ).status_code == 201
    assert (
        await client.post(url, json=session_body("seminar", "10:30", "11:30", room="Room B"))
    ).status_code == 201
    assert (await client.post(url, json=session_body("networking", "10:30", "11:30"))).status_code == 201
    agenda = (await client.get(url)).json()["items"]
    assert len(agenda) == 4


async def test_two_b2b_blocks_never_overlap(client: httpx.AsyncClient) -> None:
    event = await create_event(client)
    url = f"/v1/events/{event['id']}/sessions"
    await add(client, event["id"], kind="b2b_block", start="13:00", end="15:00", room="Hall A")
    overlapping = await client.post(url, json=session_body("b2b_block", "14:00", "16:00", room="Hall B"))
    assert overlapping.status_code == 409
    assert "overlaps another B2B block" in overlapping.json()["detail"]
    assert len(await slots(client, event["id"])) == 4
    assert len((await client.get(url)).json()["items"]) == 1


async def test_speakers_companies_are_checked_against_the_registry(
    client: httpx.AsyncClient, companies: Companies
) -> None:
    event = await create_event(client)
    url = f"/v1/events/{event['id']}/sessions"
    company = companies.create("KR")
    speaker = {"company_id": str(company), "name": {"en": "Jihoon Park"}, "title": "VP"}
    made = await client.post(
        url, json=session_body("presentation", speakers=[speaker, {"name": {"ko": "이재호"}}])
    )
    assert made.status_code == 201, made.text
    assert made.json()["speakers"] == [
        {"company_id": str(company), "name": {"ko": None, "ja": None, "en": "Jihoon Park"}, "title": "VP"},
        {"company_id": None, "name": {"ko": "이재호", "ja": None, "en": None}, "title": None},
    ]
    unknown = {"company_id": str(uuid.uuid4()), "name": {"en": "Nobody"}}
    refused = await client.post(url, json=session_body("presentation", "12:00", "13:00", speakers=[unknown]))
    assert refused.status_code == 422
    assert "registry knows no company" in refused.json()["detail"]


async def test_the_agenda_is_in_start_order_in_the_event_zone(client: httpx.AsyncClient, as_org: Any) -> None:
    event = await create_event(client)
    url = f"/v1/events/{event['id']}/sessions"
    made = [
        await add(client, event["id"], kind="pitch", start="15:00", end="15:30"),
        await add(client, event["id"], kind="keynote", start="09:30", end="10:00", room="Main Hall"),
        await add(client, event["id"], kind="ir_session", start="11:00", end="12:00", room="Main Hall"),
    ]
    reader = as_org(STRANGER, Scope.MEETINGS_READ)
    first = (await client.get(url, params={"limit": 2}, headers=reader)).json()
    assert [item["id"] for item in first["items"]] == [made[1]["id"], made[2]["id"]]
    assert first["items"][0]["starts_at"] == at("09:30")
    rest = (await client.get(url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=reader)).json()
    assert [item["id"] for item in rest["items"]] == [made[0]["id"]]
    assert rest["next_cursor"] is None
    pitches = (await client.get(url, params={"kind": "pitch"})).json()["items"]
    assert [item["id"] for item in pitches] == [made[0]["id"]]
    one = await client.get(f"{url}/{made[2]['id']}", headers=reader)
    assert one.status_code == 200
    assert one.json()["ends_at"] == at("12:00")
    assert (await client.get(f"{url}/{uuid.uuid4()}")).status_code == 404
    refused = await client.post(url, json=session_body(), headers=as_org(STRANGER, Scope.MEETINGS_ORGANISE))
    assert refused.status_code == 403
    draft = await create_event(client, open_it=False)
    assert (await client.get(f"/v1/events/{draft['id']}/sessions", headers=reader)).status_code == 404


async def test_attending_makes_a_person_busy_in_the_slots_the_session_overlaps(
    client: httpx.AsyncClient, companies: Companies, as_org: Any
) -> None:
    company = companies.create("KR")
    event = await create_event(client)
    person = await register(client, event["id"], company)
    await add(client, event["id"], kind="b2b_block", start="13:00", end="15:00")
    seminar = await add(client, event["id"], kind="seminar", start="13:30", end="14:30", room="Room B")
    clashing = await add(client, event["id"], kind="seminar", start="14:00", end="15:00", room="Room C")
    apart = await add(client, event["id"], kind="seminar", start="16:00", end="17:00", room="Room C")

    joined = await attend(client, event["id"], seminar["id"], person["id"], **as_org(company))
    assert joined.status_code == 201, joined.text
    assert joined.json()["registration_id"] == person["id"]
    again = await attend(client, event["id"], seminar["id"], person["id"])
    assert again.status_code == 200  # attending twice is one attendance
    read = (await client.get(f"/v1/events/{event['id']}/sessions/{seminar['id']}")).json()
    assert read["attendee_count"] == 1

    busy = await attend(client, event["id"], clashing["id"], person["id"])
    assert busy.status_code == 409
    problem = busy.json()
    assert problem["type"].endswith("slot-taken")
    grid = await slots(client, event["id"])
    assert [item["slot_id"] for item in problem["taken"]] == [grid[2]["id"]]  # 14:00–14:30
    assert problem["taken"][0]["held_by"] == {"kind": "session", "id": seminar["id"]}
    assert (await attend(client, event["id"], apart["id"], person["id"])).status_code == 201

    left = await client.delete(f"/v1/events/{event['id']}/sessions/{seminar['id']}/attendees/{person['id']}")
    assert left.status_code == 204
    assert (await attend(client, event["id"], clashing["id"], person["id"])).status_code == 201


async def test_an_attendance_claim_stops_a_meeting_claim_in_the_database(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine, companies: Companies
) -> None:
    company = companies.create("JP")
    event = await create_event(live_client)
    person = await register(live_client, event["id"], company)
    await add(live_client, event["id"], kind="b2b_block", start="13:00", end="14:00")
    seminar = await add(live_client, event["id"], kind="seminar", start="13:00", end="13:30", room="Room B")
    assert (await attend(live_client, event["id"], seminar["id"], person["id"])).status_code == 201
    grid = await slots(live_client, event["id"])
    event_id, person_id = uuid.UUID(event["id"]), uuid.UUID(person["id"])
    sessions = make_sessionmaker(meetings_engine)
    async with sessions() as session:
        claimed = await bookings.claimed(session, event_id, ResourceKind.PERSON, [person_id])
        assert claimed == {(uuid.UUID(grid[0]["id"]), person_id)}
        meeting_claim = Claim(uuid.UUID(grid[0]["id"]), ResourceKind.PERSON, person_id)
        taken = await bookings.try_claim(session, event_id, [meeting_claim], Holder(meeting_id=uuid.uuid4()))
        assert [item.holder for item in taken] == [
            Holder(session_id=uuid.UUID(seminar["id"]), attendee_id=person_id)
        ]
        await session.rollback()
    cancelled = await live_client.post(f"/v1/events/{event['id']}/registrations/{person['id']}/cancel")
    assert cancelled.status_code == 200
    async with sessions() as session:  # cancelling released the claims with the attendance
        assert await bookings.claimed(session, event_id, ResourceKind.PERSON, [person_id]) == set()
    read = (await live_client.get(f"/v1/events/{event['id']}/sessions/{seminar['id']}")).json()
    assert read["attendee_count"] == 0


async def test_a_full_session_is_409(client: httpx.AsyncClient, companies: Companies) -> None:
    company = companies.create("KR")
    event = await create_event(client)
    first, second = [await register(client, event["id"], company) for _ in range(2)]
    seminar = await add(client, event["id"], kind="seminar", capacity=1)
    assert (await attend(client, event["id"], seminar["id"], first["id"])).status_code == 201
    full = await attend(client, event["id"], seminar["id"], second["id"])
    assert full.status_code == 409
    assert "session full" in full.json()["detail"]
    url = f"/v1/events/{event['id']}/sessions/{seminar['id']}"
    assert (await client.get(url)).json()["attendee_count"] == 1
    grown = await client.patch(url, json={"capacity": 2})
    assert grown.status_code == 200
    assert (await attend(client, event["id"], seminar["id"], second["id"])).status_code == 201
    shrunk = await client.patch(url, json={"capacity": 1})
    assert shrunk.status_code == 409


async def test_who_may_attend_and_see_attendees(
    client: httpx.AsyncClient, companies: Companies, as_org: Any
) -> None:
    company, other = companies.create("KR"), companies.create("JP")
    event = await create_event(client, capacity=1)
    confirmed = await register(client, event["id"], company)
    waitlisted = await register(client, event["id"], company)
    seminar = await add(client, event["id"], kind="seminar")
    block = await add(client, event["id"], kind="b2b_block", start="13:00", end="14:00")

    not_theirs = await attend(client, event["id"], seminar["id"], confirmed["id"], **as_org(other))
    assert not_theirs.status_code == 403
    hidden = await attend(client, event["id"], seminar["id"], waitlisted["id"], **as_org(other))
    assert hidden.status_code == 403
    unknown_to_company = await attend(client, event["id"], seminar["id"], str(uuid.uuid4()), **as_org(other))
    assert unknown_to_company.status_code == 403  # as for another company's person: nothing is probed
    unknown = await attend(client, event["id"], seminar["id"], str(uuid.uuid4()))
    assert unknown.status_code == 422
    not_confirmed = await attend(client, event["id"], seminar["id"], waitlisted["id"], **as_org(company))
    assert not_confirmed.status_code == 409
    assert (await attend(client, event["id"], block["id"], confirmed["id"])).status_code == 422
    assert (
        await attend(client, event["id"], seminar["id"], confirmed["id"], **as_org(company))
    ).status_code == 201

    url = f"/v1/events/{event['id']}/sessions/{seminar['id']}/attendees"
    assert [item["registration_id"] for item in (await client.get(url)).json()["items"]] == [confirmed["id"]]
    own = (await client.get(url, headers=as_org(company))).json()["items"]
    assert [item["registration_id"] for item in own] == [confirmed["id"]]
    assert (await client.get(url, headers=as_org(other))).json()["items"] == []
    gone = await client.delete(f"{url}/{confirmed['id']}", headers=as_org(other))
    assert gone.status_code == 404
    assert (await client.delete(f"{url}/{confirmed['id']}", headers=as_org(company))).status_code == 204
    assert (await client.delete(f"{url}/{confirmed['id']}")).status_code == 204  # idempotent
    assert (await client.delete(f"{url}/{uuid.uuid4()}")).status_code == 404
    assert (await client.get(f"/v1/events/{event['id']}/sessions/{seminar['id']}")).json()[
        "attendee_count"
    ] == 0


async def test_a_new_b2b_block_is_claimed_for_people_attending_overlapping_sessions(
    client: httpx.AsyncClient, companies: Companies
) -> None:
    company = companies.create("KR")
    event = await create_event(client)
    person = await register(client, event["id"], company)
    seminar = await add(client, event["id"], kind="seminar", start="16:00", end="17:00", room="Room B")
    assert (await attend(client, event["id"], seminar["id"], person["id"])).status_code == 201
    await add(client, event["id"], kind="b2b_block", start="16:00", end="17:00")
    other = await add(client, event["id"], kind="pitch", start="16:30", end="17:30", room="Room C")
    busy = await attend(client, event["id"], other["id"], person["id"])
    assert busy.status_code == 409
    assert busy.json()["taken"][0]["held_by"] == {"kind": "session", "id": seminar["id"]}


async def test_moving_and_deleting_b2b_blocks(client: httpx.AsyncClient, companies: Companies) -> None:
    company = companies.create("KR")
    event = await create_event(client)
    person = await register(client, event["id"], company)
    seminar = await add(client, event["id"], kind="seminar", start="15:00", end="16:00", room="Room B")
    assert (await attend(client, event["id"], seminar["id"], person["id"])).status_code == 201
    block = await add(client, event["id"], kind="b2b_block", start="10:00", end="11:00", room="B2B Hall")
    url = f"/v1/events/{event['id']}/sessions/{block['id']}"
    ragged = await client.patch(url, json={"ends_at": at("11:10")})
    assert ragged.status_code == 422

    moved = await client.patch(url, json={"starts_at": at("14:30"), "ends_at": at("16:00")})
    assert moved.status_code == 200, moved.text
    grid = await slots(client, event["id"])
    assert [slot["starts_at"] for slot in grid] == [at("14:30"), at("15:00"), at("15:30")]
    other = await add(client, event["id"], kind="pitch", start="15:30", end="16:00", room="Room C")
    busy = await attend(client, event["id"], other["id"], person["id"])  # the moved block was claimed again
    assert busy.status_code == 409

    renamed = await client.patch(url, json={"room": "Hall C", "title": {"en": "B2B meetings"}})
    assert renamed.status_code == 200
    assert [slot["id"] for slot in await slots(client, event["id"])] == [slot["id"] for slot in grid]

    moved_seminar = await client.patch(
        f"/v1/events/{event['id']}/sessions/{seminar['id']}",
        json={"starts_at": at("16:00"), "ends_at": at("17:00")},
    )
    assert moved_seminar.status_code == 200  # its attendance is claimed anew: outside the grid now
    assert (await attend(client, event["id"], other["id"], person["id"])).status_code == 201

    deleted = await client.delete(url)
    assert deleted.status_code == 204
    assert await slots(client, event["id"]) == []
    assert (await client.get(url)).status_code == 404
    assert (await client.delete(url)).status_code == 404
