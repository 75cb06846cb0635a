"""A lead's link to its parties survives a registry merge: read after the merge, the lead answers with the
survivor (id, name, country) and a new version; a registry that is down leaves the stored party."""

import uuid

import httpx

from plaza_dev.testing import Identities
from plaza_kit.scopes import Scope

from .helpers import Registry, create_lead, lead_body


async def test_a_merged_party_answers_as_its_survivor(
    client: httpx.AsyncClient, registry: Registry, identities: Identities
) -> None:
    korean = registry.company("KR", name=f"Merge Test Old {uuid.uuid4().hex[:6]}")
    survivor = registry.company("KR", name=f"Merge Test Survivor {uuid.uuid4().hex[:6]}")
    japanese = registry.company("JP")
    lead = await create_lead(client, lead_body(korean, japanese))
    assert lead["korean_party"]["id"] == str(korean)

    admin = identities.headers(Scope.ADMIN)
    async with httpx.AsyncClient(base_url=registry.url, headers=admin, timeout=10) as registry_api:
        merged = await registry_api.post(
            f"/v1/companies/{survivor}/merge",
            json={"merged_id": str(korean), "reason": "the same company registered twice"},
        )
    assert merged.status_code == 200, merged.text

    read = await client.get(f"/v1/leads/{lead['id']}")
    assert read.status_code == 200, read.text
    after = read.json()
    assert after["korean_party"]["id"] == str(survivor)
    assert after["korean_party"]["name"]["en"].startswith("Merge Test Survivor")
    assert after["japanese_party"]["id"] == str(japanese)
    assert after["version"] == lead["version"] + 1
    again = (await client.get(f"/v1/leads/{lead['id']}")).json()
    assert again["version"] == after["version"]  # re-pointed once
    listed = (await client.get("/v1/leads", params={"company_id": str(survivor)})).json()["items"]
    assert [item["id"] for item in listed] == [lead["id"]]
