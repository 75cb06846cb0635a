"""The companies slice over HTTP (in-process) and a real PostgreSQL."""

import uuid

import httpx
import pytest

KR_COMPANY = {"name": {"ko": "한빛소재", "en": "Hanbit Materials"}, "country": "KR"}


async def create(client: httpx.AsyncClient, body: dict[str, object] | None = None) -> dict[str, object]:
    response = await client.post("/v1/companies", json=body or KR_COMPANY)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_create_then_get_returns_the_stored_company(client: httpx.AsyncClient) -> None:
    created = await create(client)
    response = await client.get(f"/v1/companies/{created['id']}")
    assert response.status_code == 200
    body = response.json()
    assert body == created
    assert body["name"] == {"ko": "한빛소재", "ja": None, "en": "Hanbit Materials"}
    assert body["kind"] == "company"
    assert body["version"] == 1
    assert body["created_at"].endswith("Z")


async def test_create_answers_location_header(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/companies", json=KR_COMPANY)
    assert response.headers["location"] == f"/v1/companies/{response.json()['id']}"


async def test_country_code_is_normalised_to_upper_case(client: httpx.AsyncClient) -> None:
    created = await create(client, {"name": {"ja": "三河電池材料株式会社"}, "country": "jp"})
    assert created["country"] == "JP"


async def test_list_pages_through_every_company_once_in_creation_order(client: httpx.AsyncClient) -> None:
    ids = [(await create(client, {"name": {"en": f"Company {i}"}, "country": "SG"}))["id"] for i in range(7)]
    seen: list[object] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"country": "SG", "limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/v1/companies", params=params)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids


async def test_list_filters_by_country(client: httpx.AsyncClient) -> None:
    await create(client, {"name": {"en": "Only in NZ"}, "country": "NZ"})
    await create(client, {"name": {"en": "Only in FJ"}, "country": "FJ"})
    page = (await client.get("/v1/companies", params={"country": "NZ"})).json()
    assert [item["name"]["en"] for item in page["items"]] == ["Only in NZ"]
    assert page["next_cursor"] is None


async def test_a_cursor_from_another_query_is_refused(client: httpx.AsyncClient) -> None:
    for i in range(3):
        await create(client, {"name": {"en": f"PE {i}"}, "country": "PE"})
    cursor = (await client.get("/v1/companies", params={"country": "PE", "limit": 1})).json()["next_cursor"]
    response = await client.get("/v1/companies", params={"country": "CL", "cursor": cursor})
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/invalid-cursor"


@pytest.mark.parametrize("cursor", ["abc", "a.b", "eyJrIjpbXX0.AAAA", "%%%"])
async def test_a_forged_or_malformed_cursor_is_a_400_problem(client: httpx.AsyncClient, cursor: str) -> None:
    response = await client.get("/v1/companies", params={"cursor": cursor})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


async def test_limit_is_capped(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/companies", params={"limit": 101})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/limit"


async def test_patch_merges_names_and_bumps_version(client: httpx.AsyncClient) -> None:
    created = await create(client)
    response = await client.patch(
        f"/v1/companies/{created['id']}", json={"name": {"ja": "ハンビット素材", "en": None}}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == {"ko": "한빛소재", "ja": "ハンビット素材", "en": None}
    assert body["version"] == 2
    assert body["updated_at"] >= created["updated_at"]


async def test_patch_cannot_remove_every_name(client: httpx.AsyncClient) -> None:
    created = await create(client, {"name": {"en": "Solo"}, "country": "KR"})
    response = await client.patch(f"/v1/companies/{created['id']}", json={"name": {"en": None}})
    assert response.status_code == 422
    stored = (await client.get(f"/v1/companies/{created['id']}")).json()
    assert stored["name"]["en"] == "Solo"


async def test_patch_refuses_null_for_required_fields(client: httpx.AsyncClient) -> None:
    created = await create(client)
    response = await client.patch(f"/v1/companies/{created['id']}", json={"country": None})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"name": {"en": "X"}, "country": 42}, "/country"),
        ({"name": {"en": "X"}, "country": "ZZ"}, "/country"),
        ({"name": {}, "country": "KR"}, "/name"),
        ({"name": {"en": "X"}, "country": "KR", "website": "x"}, "/website"),
        ({"name": {"en": "X"}, "country": "KR", "kind": "pirate"}, "/kind"),
        ({"name": "X", "country": "KR"}, "/name"),
    ],
)
async def test_bad_input_is_a_422_problem_naming_the_field(
    client: httpx.AsyncClient, body: dict[str, object], pointer: str
) -> None:
    response = await client.post("/v1/companies", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert pointer in [error["pointer"] for error in problem["errors"]]


async def test_malformed_json_is_a_400_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/companies", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/malformed-json"


async def test_an_oversized_body_is_a_413_problem_and_stores_nothing(client: httpx.AsyncClient) -> None:
    before = (await client.get("/v1/companies", params={"country": "KR", "limit": 100})).json()["items"]
    big = {"name": {"en": "x" * 100_000}, "country": "KR"}
    response = await client.post("/v1/companies", json=big)
    assert response.status_code == 413
    assert response.json()["type"] == "/problems/content-too-large"
    after = (await client.get("/v1/companies", params={"country": "KR", "limit": 100})).json()["items"]
    assert after == before


async def test_unknown_and_malformed_ids(client: httpx.AsyncClient) -> None:
    missing = await client.get(f"/v1/companies/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert missing.json()["type"] == "/problems/not-found"
    malformed = await client.get("/v1/companies/0123-not-a-uuid")
    assert malformed.status_code == 422
    # Lowercase words (with hyphens) are the API's fixed paths, never ids: no such path.
    assert (await client.get("/v1/companies/not-a-uuid")).status_code == 404
    unknown_patch = await client.patch(f"/v1/companies/{uuid.uuid4()}", json={"country": "KR"})
    assert unknown_patch.status_code == 404


async def test_request_id_is_echoed_or_minted(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/v1/companies", headers={"X-Request-ID": "partner-ci-123"})
    assert echoed.headers["x-request-id"] == "partner-ci-123"
    minted = await client.get("/v1/companies", headers={"X-Request-ID": "bad id with spaces"})
    assert minted.headers["x-request-id"] != "bad id with spaces"
    assert len(minted.headers["x-request-id"]) == 32


async def test_unknown_route_and_method_are_problems(client: httpx.AsyncClient) -> None:
    missing = await client.get("/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    wrong_method = await client.delete("/v1/companies")
    assert wrong_method.status_code == 405
    assert "allow" in wrong_method.headers
