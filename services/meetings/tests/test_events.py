"""Events over the real database: create, read with local offsets, life cycle, visibility, patches."""

import uuid
from typing import Any

import httpx

from .helpers import STRANGER, Companies, create_event, event_body


async def test_an_event_is_created_as_a_draft_organised_by_the_caller(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/events", json=event_body())
    assert response.status_code == 201, response.text
    event = response.json()
    assert response.headers["location"] == f"/v1/events/{event['id']}"
    assert event["status"] == "draft"
    assert event["allowed_next"] == ["open"]
    assert event["starts_at"] == "2025-09-18T09:30:00+09:00"  # stored in UTC, read in the event's zone
    assert event["b2b"]["meeting_rule"] == "across_countries"
    assert len(event["organiser_ids"]) == 1


async def test_other_organisers_are_checked_against_the_registry(
    client: httpx.AsyncClient, companies: Companies
) -> None:
    consulate = companies.create("KR", kind="government_body")
    made = await client.post("/v1/events", json=event_body(organiser_ids=[str(consulate)]))
    assert made.status_code == 201, made.text
    assert str(consulate) in made.json()["organiser_ids"]
    unknown = await client.post("/v1/events", json=event_body(organiser_ids=[str(uuid.uuid4())]))
    assert unknown.status_code == 422
    assert "registry knows no organisation" in unknown.json()["detail"]


async def test_only_allowed_transitions(client: httpx.AsyncClient) -> None:
    event = await create_event(client, open_it=False)
    skipped = await client.post(f"/v1/events/{event['id']}/status", json={"status": "finished"})
    assert skipped.status_code == 422
    assert skipped.json()["allowed"] == ["open"]
    for status in ("open", "closed", "open", "closed", "finished"):
        moved = await client.post(f"/v1/events/{event['id']}/status", json={"status": status})
        assert moved.status_code == 200, moved.text
    final = await client.post(f"/v1/events/{event['id']}/status", json={"status": "open"})
    assert final.status_code == 422


async def test_drafts_are_hidden_from_other_organisations(client: httpx.AsyncClient, as_org: Any) -> None:
    draft = await create_event(client, open_it=False)
    opened = await create_event(client)
    stranger = as_org(STRANGER)
    assert (await client.get(f"/v1/events/{draft['id']}", headers=stranger)).status_code == 404
    assert (await client.get(f"/v1/events/{opened['id']}", headers=stranger)).status_code == 200
    listed = (await client.get("/v1/events", headers=stranger, params={"limit": 100})).json()["items"]
    ids = {event["id"] for event in listed}
    assert opened["id"] in ids
    assert draft["id"] not in ids
    refused = await client.patch(f"/v1/events/{opened['id']}", json={"capacity": 10}, headers=stranger)
    assert refused.status_code == 403


async def test_a_patch_with_a_stale_etag_is_412(client: httpx.AsyncClient) -> None:
    event = await create_event(client)
    read = await client.get(f"/v1/events/{event['id']}")
    etag = read.headers["etag"]
    changed = await client.patch(
        f"/v1/events/{event['id']}", json={"capacity": 160}, headers={"If-Match": etag}
    )
    assert changed.status_code == 200
    assert changed.json()["capacity"] == 160
    stale = await client.patch(
        f"/v1/events/{event['id']}", json={"capacity": 170}, headers={"If-Match": etag}
    )
    assert stale.status_code == 412


async def test_bad_input_is_a_422_problem(client: httpx.AsyncClient) -> None:
    backwards = event_body(starts_at="2025-09-18T18:00:00+09:00", ends_at="2025-09-18T09:00:00+09:00")
    assert (await client.post("/v1/events", json=backwards)).status_code == 422
    zone = await client.post("/v1/events", json=event_body(time_zone="Mars/Olympus"))
    assert zone.status_code == 422
    assert zone.headers["content-type"].startswith("application/problem+json")


async def test_raising_the_capacity_promotes_the_waiting_list_in_order(
    client: httpx.AsyncClient, companies: Companies
) -> None:
    event = await create_event(client, capacity=1)
    company = companies.create("JP")
    people = []
    for name in ("First", "Second", "Third"):
        body = {"company_id": str(company), "name": {"en": name}}
        response = await client.post(f"/v1/events/{event['id']}/registrations", json=body)
        assert response.status_code == 201, response.text
        people.append(response.json())
    assert [person["status"] for person in people] == ["confirmed", "waitlisted", "waitlisted"]
    raised = await client.patch(f"/v1/events/{event['id']}", json={"capacity": 2})
    assert raised.json()["confirmed_registrations"] == 2
    second = await client.get(f"/v1/events/{event['id']}/registrations/{people[1]['id']}")
    third = await client.get(f"/v1/events/{event['id']}/registrations/{people[2]['id']}")
    assert (second.json()["status"], third.json()["status"]) == ("confirmed", "waitlisted")
