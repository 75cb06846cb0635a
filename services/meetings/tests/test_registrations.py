"""Registrations over the real database and a real registry: company checks, the registry down (nothing
written), capacity and the waiting list (also under concurrent cancellations), who sees personal data,
check-in at the door."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from meetings.app import create_app
from meetings.registrations.service import CODE_ALPHABET, CODE_LENGTH
from meetings.settings import MeetingsSettings
from plaza_kit.app import bind_database
from plaza_kit.db import make_sessionmaker
from plaza_kit.scopes import Scope

from .helpers import STRANGER, Companies, create_event

DEAD_REGISTRY = "http://127.0.0.1:9"  # the discard port: nothing listens there


def person(company_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    """A registration body for a person of `company_id`."""
    body: dict[str, Any] = {
        "company_id": str(company_id),
        "name": {"ko": "김민준", "en": f"Minjun Kim {uuid.uuid4().hex[:6]}"},
        "role": "exhibitor",
        "job_title": "Head of Overseas Sales",
        "languages": ["ko", "en"],
        "email": "minjun.kim@example.com",
    }
    body.update(overrides)
    return body


async def register(
    client: httpx.AsyncClient, event_id: str, company_id: uuid.UUID, **headers: str
) -> dict[str, Any]:
    """A registration made by the client (the organiser unless other headers are given)."""
    response = await client.post(
        f"/v1/events/{event_id}/registrations", json=person(company_id), headers=headers or None
    )
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


@pytest.fixture
async def dead_registry_client(
    meetings_engine: AsyncEngine, meetings_settings: MeetingsSettings, organiser_headers: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    """The meetings app (committing for real) whose registry is down."""
    settings = meetings_settings.model_copy(update={"upstream_urls": {"registry": DEAD_REGISTRY}})
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        bind_database(app, meetings_engine, make_sessionmaker(meetings_engine))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://meetings", headers=organiser_headers
        ) as http:
            yield http


async def test_a_company_registers_its_own_person(
    client: httpx.AsyncClient, companies: Companies, as_org: Any
) -> None:
    company = companies.create("KR", name=f"Registrations Test Materials {uuid.uuid4().hex[:8]}")
    event = await create_event(client)
    response = await client.post(
        f"/v1/events/{event['id']}/registrations", json=person(company), headers=as_org(company)
    )
    assert response.status_code == 201, response.text
    made = response.json()
    assert response.headers["location"] == f"/v1/events/{event['id']}/registrations/{made['id']}"
    assert made["company"]["id"] == str(company)
    assert made["company"]["name"]["en"].startswith(
        "Registrations Test Materials"
    )  # copied from the registry
    assert made["company"]["country"] == "KR"
    assert made["status"] == "confirmed"
    assert made["waitlist_rank"] is None
    assert made["email"] == "minjun.kim@example.com"
    code = made["check_in_code"]
    assert len(code) == CODE_LENGTH
    assert set(code) <= set(CODE_ALPHABET)
    assert not set(code) & set("0O1I")
    read = (await client.get(f"/v1/events/{event['id']}")).json()
    assert read["confirmed_registrations"] == 1


async def test_an_unknown_company_is_422(client: httpx.AsyncClient) -> None:
    event = await create_event(client)
    response = await client.post(f"/v1/events/{event['id']}/registrations", json=person(uuid.uuid4()))
    assert response.status_code == 422
    assert "registry knows no company" in response.json()["detail"]


async def test_registry_down_is_503_and_nothing_is_written(
    live_client: httpx.AsyncClient, dead_registry_client: httpx.AsyncClient, companies: Companies
) -> None:
    company = companies.create("JP")
    event = await create_event(live_client)
    url = f"/v1/events/{event['id']}/registrations"
    key = {"Idempotency-Key": f"registry-down-{uuid.uuid4()}"}
    body = person(company)
    down = await dead_registry_client.post(url, json=body, headers=key)
    assert down.status_code == 503, down.text
    assert down.headers["content-type"] == "application/problem+json"
    assert "registry" in down.json()["detail"]
    assert (await live_client.get(url)).json()["items"] == []
    assert (await live_client.get(f"/v1/events/{event['id']}")).json()["confirmed_registrations"] == 0
    retried = await live_client.post(url, json=body, headers=key)  # the key was not kept either
    assert retried.status_code == 201, retried.text
    assert (await live_client.get(f"/v1/events/{event['id']}")).json()["confirmed_registrations"] == 1


async def test_a_retry_with_the_same_key_registers_once(
    client: httpx.AsyncClient, companies: Companies
) -> None:
    company = companies.create("KR")
    event = await create_event(client)
    url = f"/v1/events/{event['id']}/registrations"
    body, key = person(company), {"Idempotency-Key": "register-once"}
    first = await client.post(url, json=body, headers=key)
    again = await client.post(url, json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert len((await client.get(url)).json()["items"]) == 1


async def test_who_may_register_whom(client: httpx.AsyncClient, companies: Companies, as_org: Any) -> None:
    company, other = companies.create("KR"), companies.create("JP")
    draft = await create_event(client, open_it=False)
    event = await create_event(client)
    url = f"/v1/events/{event['id']}/registrations"
    not_theirs = await client.post(url, json=person(other), headers=as_org(company))
    assert not_theirs.status_code == 403
    assert "own company" in not_theirs.json()["detail"]
    hidden = await client.post(
        f"/v1/events/{draft['id']}/registrations", json=person(company), headers=as_org(company)
    )
    assert hidden.status_code == 404
    by_organiser_on_draft = await client.post(f"/v1/events/{draft['id']}/registrations", json=person(company))
    assert by_organiser_on_draft.status_code == 201
    closed = await client.post(f"/v1/events/{event['id']}/status", json={"status": "closed"})
    assert closed.status_code == 200
    too_late = await client.post(url, json=person(company), headers=as_org(company))
    assert too_late.status_code == 409
    assert (await client.post(url, json=person(company))).status_code == 201  # organisers still may
    await client.post(f"/v1/events/{event['id']}/status", json={"status": "finished"})
    assert (await client.post(url, json=person(company))).status_code == 409


async def test_capacity_and_the_waiting_list_in_order(
    client: httpx.AsyncClient, companies: Companies
) -> None:
    company = companies.create("KR")
    event = await create_event(client, capacity=2)
    base = f"/v1/events/{event['id']}/registrations"
    people = [await register(client, event["id"], company) for _ in range(5)]
    assert [p["status"] for p in people] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
        "waitlisted",
    ]
    ranks = [p["waitlist_rank"] for p in people[2:]]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == 3
    waitlisted = (await client.get(base, params={"status": "waitlisted"})).json()["items"]
    assert [p["id"] for p in waitlisted] == [p["id"] for p in people[2:]]

    cancelled = await client.post(f"{base}/{people[0]['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    promoted = (await client.get(f"{base}/{people[2]['id']}")).json()
    assert promoted["status"] == "confirmed"
    assert promoted["waitlist_rank"] is None
    assert (await client.get(f"/v1/events/{event['id']}")).json()["confirmed_registrations"] == 2

    await client.post(f"{base}/{people[3]['id']}/cancel")  # a waitlisted person leaves: nobody promoted
    assert (await client.get(f"{base}/{people[4]['id']}")).json()["status"] == "waitlisted"
    again = await client.post(f"{base}/{people[0]['id']}/cancel")  # cancelling twice changes nothing
    assert again.status_code == 200
    assert (await client.get(f"/v1/events/{event['id']}")).json()["confirmed_registrations"] == 2
    await client.post(f"{base}/{people[1]['id']}/cancel")
    assert (await client.get(f"{base}/{people[4]['id']}")).json()["status"] == "confirmed"
    late = await register(client, event["id"], company)
    assert late["status"] == "waitlisted"  # people[2] and people[4] hold the two places now


async def test_concurrent_cancellations_promote_each_place_once_in_order(
    live_client: httpx.AsyncClient, companies: Companies
) -> None:
    company = companies.create("KR")
    event = await create_event(live_client, capacity=3)
    base = f"/v1/events/{event['id']}/registrations"
    people = [await register(live_client, event["id"], company) for _ in range(8)]
    confirmed, waitlisted = people[:3], people[3:]
    assert all(p["status"] == "confirmed" for p in confirmed)
    assert all(p["status"] == "waitlisted" for p in waitlisted)

    answers = await asyncio.gather(*(live_client.post(f"{base}/{p['id']}/cancel") for p in confirmed))
    assert [answer.status_code for answer in answers] == [200, 200, 200], [a.text for a in answers]

    after = {p["id"]: p for p in (await live_client.get(base, params={"limit": 100})).json()["items"]}
    by_rank = sorted(waitlisted, key=lambda p: p["waitlist_rank"])
    assert [after[p["id"]]["status"] for p in by_rank] == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert all(after[p["id"]]["status"] == "cancelled" for p in confirmed)
    assert (await live_client.get(f"/v1/events/{event['id']}")).json()["confirmed_registrations"] == 3


async def test_concurrent_registrations_fill_the_capacity_exactly(
    live_client: httpx.AsyncClient, companies: Companies
) -> None:
    company = companies.create("JP")
    event = await create_event(live_client, capacity=3)
    url = f"/v1/events/{event['id']}/registrations"
    answers = await asyncio.gather(*(live_client.post(url, json=person(company)) for _ in range(10)))
    assert [answer.status_code for answer in answers] == [201] * 10
    made = [answer.json() for answer in answers]
    assert sum(p["status"] == "confirmed" for p in made) == 3
    ranks = [p["waitlist_rank"] for p in made if p["status"] == "waitlisted"]
    assert len(ranks) == 7
    assert len(set(ranks)) == 7
    assert len({p["check_in_code"] for p in made}) == 10
    assert (await live_client.get(f"/v1/events/{event['id']}")).json()["confirmed_registrations"] == 3


async def test_personal_data_is_for_organisers_and_the_own_company(
    client: httpx.AsyncClient, companies: Companies, as_org: Any
) -> None:
    company, stranger = companies.create("KR"), companies.create("JP")
    event = await create_event(client, capacity=1)
    base = f"/v1/events/{event['id']}/registrations"
    confirmed = await register(client, event["id"], company)
    waitlisted = await register(client, event["id"], company)
    assert waitlisted["status"] == "waitlisted"
    one = f"{base}/{confirmed['id']}"

    organiser_view = (await client.get(one)).json()
    own_view = (await client.get(one, headers=as_org(company))).json()
    stranger_view = (await client.get(one, headers=as_org(stranger))).json()
    assert organiser_view["email"] == own_view["email"] == "minjun.kim@example.com"
    assert organiser_view["check_in_code"] == own_view["check_in_code"] == confirmed["check_in_code"]
    assert stranger_view["email"] is None
    assert stranger_view["check_in_code"] is None
    assert stranger_view["name"] == organiser_view["name"]  # the participant directory

    hidden = await client.get(f"{base}/{waitlisted['id']}", headers=as_org(stranger))
    assert hidden.status_code == 404
    assert (await client.get(f"{base}/{waitlisted['id']}", headers=as_org(company))).status_code == 200

    def ids(page: dict[str, Any]) -> set[str]:
        return {item["id"] for item in page["items"]}

    assert ids((await client.get(base)).json()) == {confirmed["id"], waitlisted["id"]}
    assert ids((await client.get(base, headers=as_org(company))).json()) == {
        confirmed["id"],
        waitlisted["id"],
    }
    listed = (await client.get(base, headers=as_org(stranger))).json()
    assert ids(listed) == {confirmed["id"]}
    assert listed["items"][0]["email"] is None
    outsider = as_org(STRANGER, Scope.MEETINGS_READ)
    assert ids((await client.get(base, headers=outsider)).json()) == {confirmed["id"]}
    filtered = await client.get(base, params={"company_id": str(stranger)})
    assert filtered.json()["items"] == []


async def test_list_pages_and_filters(client: httpx.AsyncClient, companies: Companies) -> None:
    korean, japanese = companies.create("KR"), companies.create("JP")
    event = await create_event(client)
    base = f"/v1/events/{event['id']}/registrations"
    made = [await register(client, event["id"], company) for company in (korean, japanese, korean)]
    first = (await client.get(base, params={"limit": 2})).json()
    assert [item["id"] for item in first["items"]] == [made[0]["id"], made[1]["id"]]
    second = (await client.get(base, params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert [item["id"] for item in second["items"]] == [made[2]["id"]]
    assert second["next_cursor"] is None
    own = (await client.get(base, params={"company_id": str(korean)})).json()["items"]
    assert [item["id"] for item in own] == [made[0]["id"], made[2]["id"]]
    assert (await client.get(base, params={"role": "buyer"})).json()["items"] == []
    bad = await client.get(base, params={"cursor": first["next_cursor"], "role": "buyer"})
    assert bad.status_code == 400


async def test_a_person_is_changed_by_their_company_or_the_organisers(
    client: httpx.AsyncClient, companies: Companies, as_org: Any
) -> None:
    company, stranger = companies.create("KR"), companies.create("JP")
    event = await create_event(client)
    made = await register(client, event["id"], company)
    url = f"/v1/events/{event['id']}/registrations/{made['id']}"
    changed = await client.patch(
        url,
        json={
            "job_title": "CEO",
            "email": "ceo@example.com",
            "name": {"ja": "キム・ミンジュン"},
            "role": "buyer",
        },
        headers=as_org(company),
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["job_title"] == "CEO"
    assert body["email"] == "ceo@example.com"
    assert body["name"] == {"ko": "김민준", "ja": "キム・ミンジュン", "en": made["name"]["en"]}
    assert body["role"] == "buyer"
    assert body["version"] == made["version"] + 1
    assert (await client.patch(url, json={"job_title": "x"}, headers=as_org(stranger))).status_code == 403
    assert (await client.patch(url, json={"name": None})).status_code == 422
    emptied = await client.patch(url, json={"name": {"ko": None, "ja": None, "en": None}})
    assert emptied.status_code == 422
    removed = await client.patch(url, json={"email": None})
    assert removed.status_code == 200
    assert removed.json()["email"] is None
    await client.post(f"{url}/cancel")
    assert (await client.patch(url, json={"job_title": "y"})).status_code == 409


async def test_check_in_at_the_door(client: httpx.AsyncClient, companies: Companies, as_org: Any) -> None:
    company = companies.create("KR")
    event = await create_event(client, capacity=1)
    made = await register(client, event["id"], company)
    waitlisted = await register(client, event["id"], company)
    url = f"/v1/events/{event['id']}/registrations/{made['id']}/check-in"
    code = made["check_in_code"]

    wrong = await client.post(url, json={"code": "ABCDEFGH" if code != "ABCDEFGH" else "HGFEDCBA"})
    assert wrong.status_code == 422
    by_company = await client.post(url, json={"code": code}, headers=as_org(company))
    assert by_company.status_code == 403  # the scope is missing
    by_company = await client.post(
        url, json={"code": code}, headers=as_org(company, Scope.MEETINGS_READ, Scope.MEETINGS_ORGANISE)
    )
    assert by_company.status_code == 403  # not an organiser

    typed = f"{code[:4].lower()}-{code[4:]}"  # as typed at the door
    checked = await client.post(url, json={"code": typed})
    assert checked.status_code == 200, checked.text
    arrived = checked.json()["checked_in_at"]
    assert arrived.endswith("+09:00")
    again = await client.post(url, json={"code": code})
    assert again.status_code == 200
    assert again.json()["checked_in_at"] == arrived

    base = f"/v1/events/{event['id']}/registrations"
    found = (await client.get(base, params={"check_in_code": code.lower()})).json()["items"]
    assert [item["id"] for item in found] == [made["id"]]  # the door looks the person up by their code
    assert (await client.get(base, params={"check_in_code": "ZZZZ2222"})).json()["items"] == []
    own = (await client.get(base, params={"check_in_code": code}, headers=as_org(company))).json()["items"]
    assert [item["id"] for item in own] == [made["id"]]
    stranger = as_org(companies.create("JP"))
    probed = await client.get(base, params={"check_in_code": code}, headers=stranger)
    assert probed.json()["items"] == []  # codes of others cannot be probed

    not_confirmed = await client.post(
        f"/v1/events/{event['id']}/registrations/{waitlisted['id']}/check-in",
        json={"code": waitlisted["check_in_code"]},
    )
    assert not_confirmed.status_code == 409
