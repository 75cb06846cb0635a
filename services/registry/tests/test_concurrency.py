"""ETags and If-Match (no lost updates), Idempotency-Key (no second company), over real connections."""

import asyncio
import uuid

import httpx

from .factories import create_company, unique


async def test_etag_and_if_match(client: httpx.AsyncClient) -> None:
    created = await client.post("/v1/companies", json={"name": {"en": unique("Etag Co")}, "country": "KR"})
    assert created.headers["etag"] == '"1"'
    url = f"/v1/companies/{created.json()['id']}"
    first = await client.patch(url, json={"region": "Seoul"}, headers={"If-Match": '"1"'})
    assert first.status_code == 200
    assert first.headers["etag"] == '"2"'
    stale = await client.patch(url, json={"region": "Busan"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == '"2"'
    assert (await client.get(url)).json()["region"] == "Seoul"
    assert (await client.patch(url, json={"region": "Busan"}, headers={"If-Match": "*"})).status_code == 200


async def test_concurrent_patches_with_the_same_etag_let_exactly_one_win(
    live_client: httpx.AsyncClient,
) -> None:
    created = await create_company(live_client, name={"en": unique("Race Co")})
    url = f"/v1/companies/{created['id']}"
    regions = [f"Region {index}" for index in range(8)]
    responses = await asyncio.gather(
        *(live_client.patch(url, json={"region": region}, headers={"If-Match": '"1"'}) for region in regions)
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [412] * 7
    winner = next(response.json()["region"] for response in responses if response.status_code == 200)
    final = (await live_client.get(url)).json()
    assert final["region"] == winner
    assert final["version"] == 2


async def test_concurrent_patches_of_different_fields_all_apply(live_client: httpx.AsyncClient) -> None:
    created = await create_company(live_client, name={"en": unique("Merge Co")})
    url = f"/v1/companies/{created['id']}"
    changes = [
        {"region": "Aichi"},
        {"address": "Nagoya"},
        {"website": "https://example.jp"},
        {"founded_year": 2001},
    ]
    responses = await asyncio.gather(*(live_client.patch(url, json=change) for change in changes))
    assert [response.status_code for response in responses] == [200] * 4
    final = (await live_client.get(url)).json()
    assert (final["region"], final["address"], final["website"], final["founded_year"]) == (
        "Aichi", "Nagoya", "https://example.jp", 2001,
    )  # fmt: skip
    assert final["version"] == 5
    history = (await live_client.get(f"{url}/history")).json()["items"]
    assert [entry["action"] for entry in history] == ["created"] + ["updated"] * 4


async def test_a_retried_create_returns_the_first_result(client: httpx.AsyncClient) -> None:
    body = {"name": {"en": unique("Idem Co")}, "country": "KR"}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await client.post("/v1/companies", json=body, headers=key)
    again = await client.post("/v1/companies", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    different = await client.post("/v1/companies", json={**body, "country": "JP"}, headers=key)
    assert different.status_code == 422


async def test_concurrent_retries_create_one_company(live_client: httpx.AsyncClient) -> None:
    name = unique("Concurrent Idem")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    responses = await asyncio.gather(
        *(
            live_client.post("/v1/companies", json={"name": {"en": name}, "country": "KR"}, headers=key)
            for _ in range(6)
        )
    )
    assert {response.status_code for response in responses} == {201}
    assert len({response.json()["id"] for response in responses}) == 1
    found = (await live_client.get("/v1/companies", params={"q": name})).json()["items"]
    assert len(found) == 1


async def test_concurrent_creates_of_one_name_make_one_company(live_client: httpx.AsyncClient) -> None:
    name = unique("Same Name Race")
    responses = await asyncio.gather(
        *(live_client.post("/v1/companies", json={"name": {"en": name}, "country": "KR"}) for _ in range(6))
    )
    assert sorted(response.status_code for response in responses) == [201] + [409] * 5


async def test_concurrent_creates_with_one_identifier_make_one_company(
    live_client: httpx.AsyncClient,
) -> None:
    lei = "5493001KJTIIGC8Y1R12"
    responses = await asyncio.gather(
        *(
            live_client.post(
                "/v1/companies",
                json={"name": {"en": unique("Lei Race")}, "country": "US", "identifiers": {"lei": lei}},
            )
            for _ in range(6)
        )
    )
    assert sorted(response.status_code for response in responses) == [201] + [409] * 5
