"""Requests and booking over the real database: available slots, accept into a slot with a table and an
interpreter, holds, moves, cancellations, quotas, expiry, and the 409 of a taken resource."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from meetings.integrity import assert_consistent

from .plaza import Plaza, build_plaza


@pytest.fixture
async def plaza(live_client: httpx.AsyncClient, meetings_engine: AsyncEngine) -> Plaza:
    return await build_plaza(live_client, meetings_engine)


async def _request(
    client: httpx.AsyncClient, plaza: Plaza, body: dict[str, Any], **headers: str
) -> dict[str, Any]:
    response = await client.post(f"/v1/events/{plaza.event_id}/requests", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _accept(
    client: httpx.AsyncClient, plaza: Plaza, request_id: str, slot: uuid.UUID | None, **extra: Any
) -> httpx.Response:
    body = {"slot_id": str(slot)} if slot else {}
    return await client.post(
        f"/v1/events/{plaza.event_id}/requests/{request_id}/accept", json={**body, **extra}
    )


async def test_accepting_into_a_slot_books_the_table_and_an_interpreter(
    live_client: httpx.AsyncClient, plaza: Plaza, as_org: Any
) -> None:
    korean, japanese = plaza.korean[0], plaza.japanese[0]
    request = await _request(live_client, plaza, plaza.request_body(japanese, korean), **as_org(japanese.id))
    assert request["status"] == "requested"
    assert request["on_behalf"] is False
    slots = (
        await live_client.get(f"/v1/events/{plaza.event_id}/requests/{request['id']}/available-slots")
    ).json()
    assert slots["needs_interpreter"] is True  # ko and ja: no common language
    assert [item["slot_id"] for item in slots["items"]] == [str(slot) for slot in plaza.slots]
    assert slots["items"][0]["table"]["id"] == str(korean.table_id)  # the Korean firm's fixed table
    assert slots["items"][0]["starts_at"] == "2025-09-18T13:00:00+09:00"
    accepted = await live_client.post(
        f"/v1/events/{plaza.event_id}/requests/{request['id']}/accept",
        json={"slot_id": str(plaza.slots[1])},
        headers=as_org(korean.id),
    )
    assert accepted.status_code == 200, accepted.text
    meeting = accepted.json()["meeting"]
    assert accepted.json()["request"]["status"] == "accepted"
    assert meeting["slot_id"] == str(plaza.slots[1])
    assert meeting["table"]["id"] == str(korean.table_id)
    assert meeting["interpreter"]["id"] == str(plaza.interpreters[0][0])
    assert meeting["starts_at"] == "2025-09-18T13:30:00+09:00"
    assert meeting["sequence"] == 0
    read = await live_client.get(f"/v1/meetings/{meeting['id']}", headers=as_org(japanese.id))
    assert read.status_code == 200
    stranger = await live_client.get(f"/v1/meetings/{meeting['id']}", headers=as_org(plaza.japanese[1].id))
    assert stranger.status_code == 404


async def test_a_taken_slot_is_a_409_naming_the_resource_and_offering_free_slots(
    live_client: httpx.AsyncClient, plaza: Plaza
) -> None:
    korean = plaza.korean[0]
    first = await _request(live_client, plaza, plaza.request_body(plaza.japanese[0], korean))
    second = await _request(live_client, plaza, plaza.request_body(plaza.japanese[1], korean))
    assert (await _accept(live_client, plaza, first["id"], plaza.slots[0])).status_code == 200
    lost = await _accept(live_client, plaza, second["id"], plaza.slots[0])
    assert lost.status_code == 409
    problem = lost.json()
    assert problem["type"].endswith("/slot-taken")
    taken = {(item["resource"]["role"], item["resource"]["id"]) for item in problem["taken"]}
    assert ("company", str(korean.id)) in taken
    assert [slot["slot_id"] for slot in problem["next_free_slots"]] == [str(s) for s in plaza.slots[1:4]]
    still_open = await live_client.get(f"/v1/events/{plaza.event_id}/requests/{second['id']}")
    assert still_open.json()["status"] == "requested"  # nothing changed


async def test_a_held_proposed_slot_counts_until_the_request_is_answered(
    live_client: httpx.AsyncClient, plaza: Plaza
) -> None:
    korean = plaza.korean[0]
    holding = await _request(
        live_client,
        plaza,
        plaza.request_body(plaza.japanese[0], korean, proposed_slot_id=str(plaza.slots[2])),
    )
    other = await _request(live_client, plaza, plaza.request_body(plaza.japanese[1], korean))
    free = (
        await live_client.get(f"/v1/events/{plaza.event_id}/requests/{other['id']}/available-slots")
    ).json()
    assert str(plaza.slots[2]) not in {item["slot_id"] for item in free["items"]}
    refused = await _accept(live_client, plaza, other["id"], plaza.slots[2])
    assert refused.status_code == 409
    assert {item["held_by"]["kind"] for item in refused.json()["taken"]} == {"request"}
    declined = await live_client.post(
        f"/v1/events/{plaza.event_id}/requests/{holding['id']}/decline", json={}
    )
    assert declined.json()["status"] == "declined"
    assert (await _accept(live_client, plaza, other["id"], plaza.slots[2])).status_code == 200


async def test_accepting_a_holding_request_books_its_proposed_slot(
    live_client: httpx.AsyncClient, plaza: Plaza
) -> None:
    request = await _request(
        live_client,
        plaza,
        plaza.request_body(plaza.japanese[0], plaza.korean[0], proposed_slot_id=str(plaza.slots[3])),
    )
    accepted = await _accept(live_client, plaza, request["id"], None)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["meeting"]["slot_id"] == str(plaza.slots[3])


async def test_one_open_request_per_pair_and_the_meeting_rule(
    live_client: httpx.AsyncClient, plaza: Plaza
) -> None:
    body = plaza.request_body(plaza.japanese[0], plaza.korean[0])
    await _request(live_client, plaza, body)
    again = await live_client.post(f"/v1/events/{plaza.event_id}/requests", json=body)
    assert again.status_code == 409
    assert again.json()["open_request_id"]
    reverse = plaza.request_body(plaza.korean[0], plaza.japanese[0])
    assert (await live_client.post(f"/v1/events/{plaza.event_id}/requests", json=reverse)).status_code == 409
    same_country = plaza.request_body(plaza.korean[1], plaza.korean[0])
    refused = await live_client.post(f"/v1/events/{plaza.event_id}/requests", json=same_country)
    assert refused.status_code == 422
    assert refused.json()["meeting_rule"] == "across_countries"


async def test_people_must_be_registered_for_their_company(
    live_client: httpx.AsyncClient, plaza: Plaza
) -> None:
    body = plaza.request_body(plaza.japanese[0], plaza.korean[0])
    body["requester_people"] = [str(plaza.korean[0].people[0])]
    refused = await live_client.post(f"/v1/events/{plaza.event_id}/requests", json=body)
    assert refused.status_code == 422
    assert "not registered for company" in refused.json()["detail"]


async def test_a_company_may_only_request_for_itself(
    live_client: httpx.AsyncClient, plaza: Plaza, as_org: Any
) -> None:
    body = plaza.request_body(plaza.japanese[0], plaza.korean[0])
    refused = await live_client.post(
        f"/v1/events/{plaza.event_id}/requests", json=body, headers=as_org(plaza.japanese[1].id)
    )
    assert refused.status_code == 403
    made = await _request(live_client, plaza, body)  # the organiser, on the requester's behalf
    assert made["on_behalf"] is True
    hidden = await live_client.get(
        f"/v1/events/{plaza.event_id}/requests/{made['id']}", headers=as_org(plaza.japanese[1].id)
    )
    assert hidden.status_code == 404
    listed = await live_client.get(
        f"/v1/events/{plaza.event_id}/requests", headers=as_org(plaza.japanese[1].id)
    )
    assert listed.json()["items"] == []


async def test_no_interpreter_free_is_a_409(live_client: httpx.AsyncClient, plaza: Plaza) -> None:
    first = await _request(live_client, plaza, plaza.request_body(plaza.japanese[0], plaza.korean[0]))
    second = await _request(live_client, plaza, plaza.request_body(plaza.japanese[1], plaza.korean[1]))
    assert (await _accept(live_client, plaza, first["id"], plaza.slots[0])).status_code == 200
    short = await _accept(live_client, plaza, second["id"], plaza.slots[0])
    assert short.status_code == 409
    assert short.json()["type"].endswith("/resource-shortage")
    assert short.json()["missing"] == "interpreter"
    assert short.json()["next_free_slots"][0]["slot_id"] == str(plaza.slots[1])


async def test_companies_sharing_a_language_need_no_interpreter(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine
) -> None:
    plaza = await build_plaza(live_client, meetings_engine, interpreters=0, japanese_speak_korean=True)
    request = await _request(live_client, plaza, plaza.request_body(plaza.japanese[0], plaza.korean[0]))
    accepted = await _accept(live_client, plaza, request["id"], plaza.slots[0])
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["meeting"]["interpreter"] is None


async def test_reschedule_keeps_the_id_and_bumps_the_sequence(
    live_client: httpx.AsyncClient, plaza: Plaza
) -> None:
    request = await _request(live_client, plaza, plaza.request_body(plaza.japanese[0], plaza.korean[0]))
    meeting = (await _accept(live_client, plaza, request["id"], plaza.slots[0])).json()["meeting"]
    moved = await live_client.post(
        f"/v1/meetings/{meeting['id']}/reschedule", json={"slot_id": str(plaza.slots[2])}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["id"] == meeting["id"]
    assert moved.json()["slot_id"] == str(plaza.slots[2])
    assert moved.json()["sequence"] == 1
    # The old slot is free again: another meeting of the same firm goes there.
    other = await _request(live_client, plaza, plaza.request_body(plaza.japanese[1], plaza.korean[0]))
    assert (await _accept(live_client, plaza, other["id"], plaza.slots[0])).status_code == 200
    # A move onto a taken slot changes nothing.
    clash = await live_client.post(
        f"/v1/meetings/{meeting['id']}/reschedule", json={"slot_id": str(plaza.slots[0])}
    )
    assert clash.status_code == 409
    kept = await live_client.get(f"/v1/meetings/{meeting['id']}")
    assert kept.json()["slot_id"] == str(plaza.slots[2])
    assert kept.json()["sequence"] == 1


async def test_cancel_frees_the_slot_and_the_life_cycle_is_enforced(
    live_client: httpx.AsyncClient, plaza: Plaza, as_org: Any
) -> None:
    korean, japanese = plaza.korean[0], plaza.japanese[0]
    request = await _request(live_client, plaza, plaza.request_body(japanese, korean))
    meeting = (await _accept(live_client, plaza, request["id"], plaza.slots[0])).json()["meeting"]
    refused = await live_client.post(f"/v1/meetings/{meeting['id']}/held", headers=as_org(japanese.id))
    assert refused.status_code == 403  # the parties cannot mark their own meetings held
    assert (await live_client.post(f"/v1/meetings/{meeting['id']}/check-in")).json()["status"] == "checked_in"
    assert (await live_client.post(f"/v1/meetings/{meeting['id']}/held")).json()["status"] == "held"
    back = await live_client.post(f"/v1/meetings/{meeting['id']}/no-show")
    assert back.status_code == 422
    assert (await live_client.post(f"/v1/meetings/{meeting['id']}/cancel", json={})).status_code == 409
    second = await _request(live_client, plaza, plaza.request_body(plaza.japanese[1], korean))
    other = (await _accept(live_client, plaza, second["id"], plaza.slots[1])).json()["meeting"]
    cancelled = await live_client.post(
        f"/v1/meetings/{other['id']}/cancel", json={"reason": "flight"}, headers=as_org(korean.id)
    )
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["sequence"] == 1
    third = await _request(live_client, plaza, plaza.request_body(plaza.japanese[2], korean))
    assert (await _accept(live_client, plaza, third["id"], plaza.slots[1])).status_code == 200


async def test_feedback_notes_are_private_to_their_side(
    live_client: httpx.AsyncClient, plaza: Plaza, as_org: Any
) -> None:
    korean, japanese = plaza.korean[0], plaza.japanese[0]
    request = await _request(live_client, plaza, plaza.request_body(japanese, korean))
    meeting = (await _accept(live_client, plaza, request["id"], plaza.slots[0])).json()["meeting"]
    path = f"/v1/meetings/{meeting['id']}"
    mine = await live_client.put(
        f"{path}/feedback", json={"rating": 4, "notes": "good fit"}, headers=as_org(korean.id)
    )
    assert mine.status_code == 200, mine.text
    seen_by_other = (await live_client.get(path, headers=as_org(japanese.id))).json()["feedback"]
    assert seen_by_other == [{**seen_by_other[0], "rating": 4, "notes": None}]
    seen_by_organiser = (await live_client.get(path)).json()["feedback"]
    assert seen_by_organiser[0]["notes"] == "good fit"
    bad = await live_client.put(f"{path}/feedback", json={"rating": 6}, headers=as_org(korean.id))
    assert bad.status_code == 422
    outcome = await live_client.put(
        f"{path}/outcome",
        json={"outcome": "cooperation_possible", "purpose": "joint_development",
              "estimated_value": {"amount": "150000000", "currency": "JPY"}},
        headers=as_org(japanese.id),
    )  # fmt: skip
    assert outcome.status_code == 200, outcome.text
    assert outcome.json()["outcome"]["estimated_value"] == {"amount": "150000000", "currency": "JPY"}
    cents = await live_client.put(
        f"{path}/outcome",
        json={
            "outcome": "follow_up",
            "purpose": "other",
            "estimated_value": {"amount": "1.5", "currency": "JPY"},
        },
    )
    assert cents.status_code == 422  # JPY has no minor unit


async def test_a_quota_caps_a_companys_meetings(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine
) -> None:
    plaza = await build_plaza(
        live_client,
        meetings_engine,
        b2b={"slot_minutes": 30, "meeting_rule": "across_countries", "default_quota": 1},
    )
    korean = plaza.korean[0]
    first = await _request(live_client, plaza, plaza.request_body(plaza.japanese[0], korean))
    second = await _request(live_client, plaza, plaza.request_body(plaza.japanese[1], korean))
    assert (await _accept(live_client, plaza, first["id"], plaza.slots[0])).status_code == 200
    capped = await _accept(live_client, plaza, second["id"], plaza.slots[1])
    assert capped.status_code == 409
    assert capped.json()["type"].endswith("/quota-exceeded")
    assert capped.json()["company_id"] == str(korean.id)


async def test_an_expired_request_cannot_be_accepted_and_releases_its_slot(
    live_client: httpx.AsyncClient, plaza: Plaza, meetings_engine: AsyncEngine
) -> None:
    korean = plaza.korean[0]
    holding = await _request(
        live_client,
        plaza,
        plaza.request_body(plaza.japanese[0], korean, proposed_slot_id=str(plaza.slots[0])),
    )
    assert holding["expires_at"] is not None
    async with meetings_engine.begin() as connection:  # time passes: the expiry is now in the past
        await connection.execute(
            text("UPDATE meetings.meeting_request SET expires_at = :past WHERE id = :id"),
            {"past": datetime.now(UTC) - timedelta(minutes=1), "id": uuid.UUID(holding["id"])},
        )
    read = await live_client.get(f"/v1/events/{plaza.event_id}/requests/{holding['id']}")
    assert read.json()["status"] == "expired"  # no cron job ran
    late = await _accept(live_client, plaza, holding["id"], None)
    assert late.status_code == 409
    assert (late.json()["status"], late.json()["request_status"]) == (409, "expired")
    other = await _request(live_client, plaza, plaza.request_body(plaza.japanese[1], korean))
    assert (await _accept(live_client, plaza, other["id"], plaza.slots[0])).status_code == 200


async def test_organisers_book_directly_and_list_meetings_in_time_order(
    live_client: httpx.AsyncClient, plaza: Plaza, as_org: Any
) -> None:
    korean = plaza.korean[0]
    made = []
    for index, slot in ((0, 3), (1, 1), (2, 2)):
        body = {
            "event_id": str(plaza.event_id),
            "company_a_id": str(plaza.japanese[index].id),
            "company_b_id": str(korean.id),
            "slot_id": str(plaza.slots[slot]),
            "purpose": "export_import",
        }
        response = await live_client.post("/v1/meetings", json=body)
        assert response.status_code == 201, response.text
        assert response.headers["location"] == f"/v1/meetings/{response.json()['id']}"
        made.append(response.json())
    mine = await live_client.get(
        "/v1/meetings", params={"event_id": str(plaza.event_id), "limit": 2}, headers=as_org(korean.id)
    )
    first_page = mine.json()
    assert [item["slot_id"] for item in first_page["items"]] == [str(plaza.slots[1]), str(plaza.slots[2])]
    rest = await live_client.get(
        "/v1/meetings",
        params={"event_id": str(plaza.event_id), "limit": 2, "cursor": first_page["next_cursor"]},
        headers=as_org(korean.id),
    )
    assert [item["slot_id"] for item in rest.json()["items"]] == [str(plaza.slots[3])]
    person = plaza.japanese[0].people[0]
    theirs = await live_client.get("/v1/meetings", params={"registration_id": str(person)})
    assert [item["id"] for item in theirs.json()["items"]] == [made[0]["id"]]
    nobody = await live_client.get(
        "/v1/meetings", params={"event_id": str(plaza.event_id)}, headers=as_org(uuid.uuid4())
    )
    assert nobody.json()["items"] == []


async def _expire(engine: AsyncEngine, request_id: str) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE meetings.meeting_request SET expires_at = :past WHERE id = :id"),
            {"past": datetime.now(UTC) - timedelta(minutes=1), "id": uuid.UUID(request_id)},
        )


async def test_an_expired_hold_never_blocks_a_slot_even_unswept(
    live_client: httpx.AsyncClient, plaza: Plaza, meetings_engine: AsyncEngine
) -> None:
    korean = plaza.korean[0]
    holding = await _request(
        live_client,
        plaza,
        plaza.request_body(plaza.japanese[0], korean, proposed_slot_id=str(plaza.slots[0])),
    )
    await _expire(meetings_engine, holding["id"])
    other = await _request(live_client, plaza, plaza.request_body(plaza.japanese[1], korean))
    free = (
        await live_client.get(f"/v1/events/{plaza.event_id}/requests/{other['id']}/available-slots")
    ).json()
    assert free["items"][0]["slot_id"] == str(plaza.slots[0])
    body = {"event_id": str(plaza.event_id), "company_a_id": str(plaza.japanese[2].id),
            "company_b_id": str(korean.id), "slot_id": str(plaza.slots[0])}  # fmt: skip
    booked = await live_client.post("/v1/meetings", json=body)  # a path that sweeps nothing
    assert booked.status_code == 201, booked.text
    assert (await live_client.get(f"/v1/events/{plaza.event_id}/requests/{holding['id']}")).json()[
        "status"
    ] == "expired"


async def test_an_unknown_proposed_slot_is_422(live_client: httpx.AsyncClient, plaza: Plaza) -> None:
    body = plaza.request_body(plaza.japanese[0], plaza.korean[0], proposed_slot_id=str(uuid.uuid4()))
    refused = await live_client.post(f"/v1/events/{plaza.event_id}/requests", json=body)
    assert refused.status_code == 422
    assert "proposed_slot_id" in refused.json()["detail"]


async def test_a_company_that_loses_a_slot_does_not_learn_whose_meeting_holds_it(
    live_client: httpx.AsyncClient, plaza: Plaza, as_org: Any
) -> None:
    korean = plaza.korean[0]
    first = await _request(live_client, plaza, plaza.request_body(plaza.japanese[0], korean))
    second = await _request(live_client, plaza, plaza.request_body(plaza.japanese[1], korean))
    assert (await _accept(live_client, plaza, first["id"], plaza.slots[0])).status_code == 200
    lost = await live_client.post(
        f"/v1/events/{plaza.event_id}/requests/{second['id']}/accept",
        json={"slot_id": str(plaza.slots[0])},
        headers=as_org(korean.id),
    )
    assert lost.status_code == 409
    assert {item["held_by"]["kind"] for item in lost.json()["taken"]} == {"busy"}


async def test_an_organiser_may_put_a_meeting_at_a_floating_table(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine
) -> None:
    plaza = await build_plaza(live_client, meetings_engine, floating_tables=1)
    request = await _request(live_client, plaza, plaza.request_body(plaza.japanese[0], plaza.korean[0]))
    floating = str(plaza.floating_tables[0])
    accepted = await _accept(live_client, plaza, request["id"], plaza.slots[0], table_id=floating)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["meeting"]["table"]["id"] == floating
    assert accepted.json()["meeting"]["interpreter"] is not None  # the rules still hold


async def test_lowering_the_default_quota_below_what_is_booked_is_409(
    live_client: httpx.AsyncClient, plaza: Plaza
) -> None:
    for index in (0, 1):
        request = await _request(
            live_client, plaza, plaza.request_body(plaza.japanese[index], plaza.korean[0])
        )
        assert (await _accept(live_client, plaza, request["id"], plaza.slots[index])).status_code == 200
    lowered = await live_client.patch(f"/v1/events/{plaza.event_id}", json={"b2b": {"default_quota": 1}})
    assert lowered.status_code == 409
    assert lowered.json()["company_id"] == str(plaza.korean[0].id)
    assert (await live_client.get(f"/v1/events/{plaza.event_id}")).json()["b2b"]["default_quota"] is None


async def test_a_cancelled_registration_leaves_its_meetings_and_requests(
    live_client: httpx.AsyncClient, plaza: Plaza, meetings_engine: AsyncEngine
) -> None:
    korean, buyer, other = plaza.korean[0], plaza.japanese[0], plaza.japanese[1]
    booked = await _request(live_client, plaza, plaza.request_body(buyer, korean))
    meeting = (await _accept(live_client, plaza, booked["id"], plaza.slots[0])).json()["meeting"]
    holding = await _request(
        live_client, plaza, plaza.request_body(buyer, plaza.korean[1], proposed_slot_id=str(plaza.slots[1]))
    )
    interpreted = await _request(live_client, plaza, plaza.request_body(other, korean))
    with_interpreter = (await _accept(live_client, plaza, interpreted["id"], plaza.slots[2])).json()[
        "meeting"
    ]
    cancelled = await live_client.post(
        f"/v1/events/{plaza.event_id}/registrations/{buyer.people[0]}/cancel", json={}
    )
    assert cancelled.status_code == 200, cancelled.text
    gone = (await live_client.get(f"/v1/meetings/{meeting['id']}")).json()
    assert (gone["status"], gone["sequence"]) == ("cancelled", 1)  # its only buyer left
    withdrawn = (await live_client.get(f"/v1/events/{plaza.event_id}/requests/{holding['id']}")).json()
    assert withdrawn["status"] == "withdrawn"
    interpreter_person = plaza.interpreters[0][1]
    await live_client.post(f"/v1/events/{plaza.event_id}/registrations/{interpreter_person}/cancel", json={})
    kept = (await live_client.get(f"/v1/meetings/{with_interpreter['id']}")).json()
    assert (kept["status"], kept["interpreter"]) == ("scheduled", None)
    await assert_consistent(meetings_engine, plaza.event_id)
