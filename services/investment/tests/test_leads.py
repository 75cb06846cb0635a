"""Leads over the API: create (registry-checked, idempotent), validate, list, read, change under If-Match."""

import asyncio
import uuid
from typing import Any

import httpx

from .conftest import Headers
from .helpers import OWNER, STRANGER, Registry, create_lead, lead_body

Parties = tuple[uuid.UUID, uuid.UUID]


async def test_a_lead_is_created_at_the_first_stage(client: httpx.AsyncClient, registry: Registry) -> None:
    korean = registry.company("KR", name=f"Saebyeol Lead Materials {uuid.uuid4().hex[:6]}")
    japanese = registry.company("JP")
    response = await client.post("/v1/leads", json=lead_body(korean, japanese, probability=35))
    assert response.status_code == 201, response.text
    lead = response.json()
    assert response.headers["location"] == f"/v1/leads/{lead['id']}"
    assert response.headers["etag"] == '"1"'
    assert lead["pipeline"] == "trade"
    assert (lead["stage"], lead["status"]) == ("identified", "open")
    assert lead["allowed_stages"] == ["contacted"]
    assert lead["allowed_statuses"] == ["on_hold", "won", "lost", "abandoned"]
    assert lead["korean_party"]["id"] == str(korean)
    assert lead["korean_party"]["name"]["en"].startswith("Saebyeol Lead Materials")
    assert lead["korean_party"]["country"] == "KR"
    assert lead["japanese_party"]["country"] == "JP"
    assert lead["hs_codes"] == ["850760"]
    assert lead["estimated_value"] == {"amount": "1500000000", "currency": "KRW"}
    assert lead["probability"] == 35
    assert lead["effective_probability"] == 35
    assert lead["weighted_value"] == {"amount": "525000000", "currency": "KRW"}
    assert lead["owner_organisation_id"] == str(OWNER)
    assert lead["access"] == "owner"
    assert lead["origin"]["kind"] == "plaza"


async def test_the_stage_default_probability_applies(client: httpx.AsyncClient, parties: Parties) -> None:
    lead = await create_lead(
        client, lead_body(*parties, estimated_value={"amount": "1000.01", "currency": "USD"})
    )
    assert lead["probability"] is None
    assert lead["effective_probability"] == 10
    assert lead["weighted_value"] == {"amount": "100.00", "currency": "USD"}  # 100.001 → 100.00


async def test_each_deal_type_takes_its_pipeline(client: httpx.AsyncClient, parties: Parties) -> None:
    expected = {
        "export": "trade",
        "import": "trade",
        "other": "trade",
        "joint_development": "joint_development",
        "licensing": "joint_development",
        "equity_investment": "equity",
        "greenfield_investment": "equity",
    }
    for deal_type, pipeline in expected.items():
        lead = await create_lead(client, lead_body(*parties, deal_type=deal_type))
        assert (lead["pipeline"], lead["stage"]) == (pipeline, "identified"), deal_type


async def test_an_unknown_party_is_422(client: httpx.AsyncClient, parties: Parties) -> None:
    unknown = uuid.uuid4()
    response = await client.post("/v1/leads", json=lead_body(parties[0], unknown))
    assert response.status_code == 422
    assert response.json()["detail"] == f"japanese_party_id: the registry knows no company {unknown}"


async def test_registry_down_is_503_and_nothing_is_written(
    live_client: httpx.AsyncClient, dead_registry_client: httpx.AsyncClient, registry: Registry
) -> None:
    korean, japanese = registry.company("KR"), registry.company("JP")
    body = lead_body(korean, japanese, tags=[f"down-{uuid.uuid4().hex[:8]}"])
    key = {"Idempotency-Key": f"registry-down-{uuid.uuid4()}"}
    down = await dead_registry_client.post("/v1/leads", json=body, headers=key)
    assert down.status_code == 503, down.text
    assert down.headers["content-type"] == "application/problem+json"
    assert "registry" in down.json()["detail"]
    listed = await live_client.get("/v1/leads", params={"tag": body["tags"][0]})
    assert listed.json()["items"] == []
    retried = await live_client.post("/v1/leads", json=body, headers=key)  # the key was not kept either
    assert retried.status_code == 201, retried.text


async def test_a_retry_with_the_same_key_creates_once(client: httpx.AsyncClient, parties: Parties) -> None:
    body = lead_body(*parties, tags=["retry"])
    key = {"Idempotency-Key": f"lead-{uuid.uuid4()}"}
    first = await client.post("/v1/leads", json=body, headers=key)
    second = await client.post("/v1/leads", json=body, headers=key)
    assert first.status_code == second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert first.json()["id"] == second.json()["id"]
    other = await client.post("/v1/leads", json={**body, "title": "Another"}, headers=key)
    assert other.status_code == 422


async def test_invalid_leads_are_422(client: httpx.AsyncClient, parties: Parties) -> None:
    korean, japanese = parties
    bad: list[dict[str, Any]] = [
        lead_body(None, None),
        lead_body(korean, korean),
        lead_body(
            korean, japanese, estimated_value={"amount": "1500.5", "currency": "KRW"}
        ),  # KRW: no decimals
        lead_body(korean, japanese, estimated_value={"amount": "10.005", "currency": "USD"}),
        lead_body(korean, japanese, estimated_value={"amount": 1500, "currency": "JPY"}),  # a JSON number
        lead_body(korean, japanese, estimated_value={"amount": "-1", "currency": "JPY"}),
        lead_body(korean, japanese, estimated_value={"amount": "1", "currency": "ABC"}),
        lead_body(korean, japanese, hs_codes=["85076"]),  # odd length
        lead_body(korean, japanese, hs_codes=["9901"]),  # chapter 99 is national
        lead_body(korean, japanese, hs_codes=["77"]),  # reserved chapter
        lead_body(korean, japanese, sectors=["Battery Materials"]),
        lead_body(korean, japanese, probability=101),
        lead_body(korean, japanese, deal_type="merger"),
        lead_body(korean, japanese, origin={"kind": "plaza"}),
        lead_body(korean, japanese, origin={"kind": "other", "source": "x", "event_id": str(uuid.uuid4())}),
    ]
    for body in bad:
        response = await client.post("/v1/leads", json=body)
        assert response.status_code == 422, body


async def test_amounts_keep_their_currency_places(client: httpx.AsyncClient, parties: Parties) -> None:
    usd = await create_lead(
        client, lead_body(*parties, estimated_value={"amount": "2500.5", "currency": "USD"})
    )
    assert usd["estimated_value"] == {"amount": "2500.50", "currency": "USD"}
    jpy = await create_lead(
        client, lead_body(*parties, estimated_value={"amount": "250000000.00", "currency": "JPY"})
    )
    assert jpy["estimated_value"] == {"amount": "250000000", "currency": "JPY"}


async def test_another_origin(client: httpx.AsyncClient, parties: Parties) -> None:
    lead = await create_lead(
        client, lead_body(*parties, origin={"kind": "other", "source": "KOTRA Osaka referral"})
    )
    assert lead["origin"] == {
        "kind": "other",
        "event_id": None,
        "meeting_id": None,
        "source": "KOTRA Osaka referral",
    }


async def test_a_client_without_an_organisation_cannot_own_a_lead(
    client: httpx.AsyncClient, parties: Parties, as_org: Headers
) -> None:
    response = await client.post("/v1/leads", json=lead_body(*parties), headers=as_org(None))
    assert response.status_code == 422


async def test_others_get_404(client: httpx.AsyncClient, parties: Parties, as_org: Headers) -> None:
    lead = await create_lead(client, lead_body(*parties))
    stranger = as_org(STRANGER)
    assert (await client.get(f"/v1/leads/{lead['id']}", headers=stranger)).status_code == 404
    patched = await client.patch(f"/v1/leads/{lead['id']}", json={"title": "x"}, headers=stranger)
    assert patched.status_code == 404
    listed = (await client.get("/v1/leads", headers=stranger)).json()["items"]
    assert lead["id"] not in [item["id"] for item in listed]
    assert (await client.get(f"/v1/leads/{uuid.uuid4()}")).status_code == 404


async def test_the_list_filters_and_pages(client: httpx.AsyncClient, registry: Registry) -> None:
    korean, japanese, other = registry.company("KR"), registry.company("JP"), registry.company("JP")
    event = str(uuid.uuid4())
    made = [
        await create_lead(client, lead_body(korean, japanese, tags=["page"], hs_codes=["850760"])),
        await create_lead(
            client,
            lead_body(
                korean,
                other,
                tags=["page"],
                deal_type="equity_investment",
                hs_codes=["2841"],
                origin={"kind": "plaza", "event_id": event},
            ),
        ),
        await create_lead(
            client, lead_body(korean, japanese, tags=["page"], next_follow_up_date="2025-10-01")
        ),
    ]
    ids = [lead["id"] for lead in made]

    async def listed(**params: Any) -> list[str]:
        items = (await client.get("/v1/leads", params={"tag": "page", **params})).json()["items"]
        return [item["id"] for item in items]

    assert await listed() == ids
    assert await listed(pipeline="equity") == [ids[1]]
    assert await listed(deal_type="export") == [ids[0], ids[2]]
    assert await listed(company_id=str(other)) == [ids[1]]
    assert await listed(event_id=event) == [ids[1]]
    assert await listed(hs_code="8507") == [ids[0], ids[2]]
    assert await listed(hs_code="85") == [ids[0], ids[2]]
    assert await listed(follow_up_by="2025-12-31") == [ids[2]]
    assert await listed(status="won") == []
    first = (await client.get("/v1/leads", params={"tag": "page", "limit": 2})).json()
    assert [item["id"] for item in first["items"]] == ids[:2]
    rest = (
        await client.get("/v1/leads", params={"tag": "page", "limit": 2, "cursor": first["next_cursor"]})
    ).json()
    assert [item["id"] for item in rest["items"]] == ids[2:]
    assert rest["next_cursor"] is None
    wrong = await client.get("/v1/leads", params={"tag": "other", "cursor": first["next_cursor"]})
    assert wrong.status_code == 400  # a cursor belongs to its query


async def test_patch_with_if_match(client: httpx.AsyncClient, parties: Parties, registry: Registry) -> None:
    lead = await create_lead(client, lead_body(*parties))
    url = f"/v1/leads/{lead['id']}"
    replacement = registry.company("JP")
    changed = await client.patch(
        url,
        json={
            "probability": 50,
            "japanese_party_id": str(replacement),
            "estimated_value": {"amount": "99.99", "currency": "USD"},
            "tags": ["a", "a", "b"],
            "description": "説明",
        },
        headers={"If-Match": '"1"'},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert changed.headers["etag"] == '"2"'
    assert body["japanese_party"]["id"] == str(replacement)
    assert body["estimated_value"] == {"amount": "99.99", "currency": "USD"}
    assert body["weighted_value"] == {"amount": "50.00", "currency": "USD"}  # 49.995 → 50.00
    assert body["tags"] == ["a", "b"]
    stale = await client.patch(url, json={"probability": 60}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == '"2"'
    cleared = await client.patch(url, json={"probability": None, "estimated_value": None})
    assert cleared.json()["probability"] is None
    assert cleared.json()["weighted_value"] is None
    assert (await client.patch(url, json={"title": None})).status_code == 422
    assert (
        await client.patch(url, json={"korean_party_id": None, "japanese_party_id": None})
    ).status_code == 422
    unknown = await client.patch(url, json={"korean_party_id": str(uuid.uuid4())})
    assert unknown.status_code == 422


async def test_concurrent_patches_with_one_version_never_lose_an_update(
    live_client: httpx.AsyncClient, parties: Parties
) -> None:
    lead = await create_lead(live_client, lead_body(*parties))
    url = f"/v1/leads/{lead['id']}"
    answers = await asyncio.gather(
        *(
            live_client.patch(url, json={"owner_person": f"P{n}"}, headers={"If-Match": '"1"'})
            for n in range(6)
        )
    )
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200, 412, 412, 412, 412, 412]
    winner = next(answer.json()["owner_person"] for answer in answers if answer.status_code == 200)
    stored = (await live_client.get(url)).json()
    assert (stored["owner_person"], stored["version"]) == (winner, 2)
