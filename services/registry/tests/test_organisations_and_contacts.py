"""Organisations with their members; contacts only for clients holding the contacts scope."""

import httpx

from plaza_dev.testing import Identities
from plaza_kit.scopes import Scope

from .conftest import OTHER_ORGANISATION, OWN_ORGANISATION
from .factories import create_company


async def test_a_consortium_lists_its_members_and_a_company_its_memberships(
    client: httpx.AsyncClient,
) -> None:
    created = await client.post(
        "/v1/organisations",
        json={"name": {"en": "Chubu Battery Council"}, "country": "JP", "kind": "association"},
    )
    assert created.status_code == 201, created.text
    consortium = created.json()
    company = await create_company(client, name={"ja": "株式会社中部セル"}, country="JP")
    added = await client.post(
        f"/v1/organisations/{consortium['id']}/members",
        json={"member_id": company["id"], "role": "board", "joined_on": "2024-05-01"},
    )
    assert added.status_code == 201, added.text
    membership = added.json()
    assert membership["organisation"]["id"] == consortium["id"]
    assert membership["member"]["name"]["ja"] == "株式会社中部セル"
    assert (membership["role"], membership["joined_on"]) == ("board", "2024-05-01")
    again = await client.post(
        f"/v1/organisations/{consortium['id']}/members", json={"member_id": company["id"]}
    )
    assert again.status_code == 409
    members = (await client.get(f"/v1/organisations/{consortium['id']}/members")).json()["items"]
    assert [m["id"] for m in members] == [membership["id"]]
    memberships = (await client.get(f"/v1/companies/{company['id']}/memberships")).json()["items"]
    assert [m["organisation"]["id"] for m in memberships] == [consortium["id"]]
    listed = (await client.get("/v1/organisations", params={"limit": 100})).json()["items"]
    assert consortium["id"] in [o["id"] for o in listed]
    assert company["id"] not in [o["id"] for o in listed]
    removed = await client.delete(f"/v1/organisations/{consortium['id']}/members/{membership['id']}")
    assert removed.status_code == 204
    assert (await client.get(f"/v1/organisations/{consortium['id']}/members")).json()["items"] == []


async def test_only_the_organisations_owner_manages_members(
    client: httpx.AsyncClient, identities: Identities
) -> None:
    consortium = await create_company(
        client, kind="association", name={"en": "Owned Consortium"}, country="JP"
    )
    company = await create_company(client)
    other = identities.headers(Scope.REGISTRY_READ, Scope.REGISTRY_WRITE, organisation_id=OTHER_ORGANISATION)
    refused = await client.post(
        f"/v1/organisations/{consortium['id']}/members", json={"member_id": company["id"]}, headers=other
    )
    assert refused.status_code == 403
    unknown = await client.post(
        f"/v1/organisations/{consortium['id']}/members",
        json={"member_id": "01995a1e-ec00-7000-8000-0000000000dd"},
    )
    assert unknown.status_code == 422
    not_an_org = await client.post(
        "/v1/organisations", json={"name": {"en": "Plain"}, "country": "JP", "kind": "company"}
    )
    assert not_an_org.status_code == 422


async def test_contacts_need_the_contacts_scope_and_stay_out_of_history(
    client: httpx.AsyncClient, identities: Identities
) -> None:
    company = await create_company(client)
    with_contacts = identities.headers(
        Scope.REGISTRY_READ, Scope.REGISTRY_WRITE, Scope.CONTACTS_READ, organisation_id=OWN_ORGANISATION
    )
    person = {
        "name": {"ko": "이서연", "en": "Seoyeon Lee"},
        "email": "seoyeon@example.kr",
        "phone": "+82 10 1234 5678",
    }
    url = f"/v1/companies/{company['id']}/contacts"
    assert (await client.post(url, json=person)).status_code == 403  # registry:write alone is not enough
    created = await client.post(url, json={**person, "languages": ["ko", "en"]}, headers=with_contacts)
    assert created.status_code == 201, created.text
    contact = created.json()
    assert contact["email"] == "seoyeon@example.kr"
    assert (await client.get(url)).status_code == 403
    assert (await client.get(url, headers=with_contacts)).json()["items"] == [contact]
    patched = await client.patch(f"{url}/{contact['id']}", json={"title": "CTO"}, headers=with_contacts)
    assert patched.json()["title"] == "CTO"
    company_body = (await client.get(f"/v1/companies/{company['id']}")).json()
    assert "contacts" not in company_body
    history = (await client.get(f"/v1/companies/{company['id']}/history")).text
    assert "seoyeon" not in history.lower()
    assert "5678" not in history
    bad = await client.post(url, json={"name": {"en": "X"}, "email": "not-an-email"}, headers=with_contacts)
    assert bad.status_code == 422
    deleted = await client.delete(f"{url}/{contact['id']}", headers=with_contacts)
    assert deleted.status_code == 204
    assert (await client.get(f"{url}/{contact['id']}", headers=with_contacts)).status_code == 404


async def test_history_records_who_changed_what(client: httpx.AsyncClient) -> None:
    company = await create_company(client, name={"en": "History Co"}, region="Seoul")
    await client.patch(f"/v1/companies/{company['id']}", json={"region": "Busan", "name": {"ko": "히스토리"}})
    await client.patch(f"/v1/companies/{company['id']}", json={"region": "Busan"})  # no change: no entry
    entries = (await client.get(f"/v1/companies/{company['id']}/history")).json()["items"]
    assert [entry["action"] for entry in entries] == ["created", "updated"]
    assert entries[0]["changes"]["name"] == {"ko": None, "ja": None, "en": "History Co"}
    assert entries[1]["changes"] == {
        "region": ["Seoul", "Busan"],
        "name": [
            {"ko": None, "ja": None, "en": "History Co"},
            {"ko": "히스토리", "ja": None, "en": "History Co"},
        ],
    }
    assert entries[1]["actor_organisation_id"] == str(OWN_ORGANISATION)
    assert entries[1]["request_id"]


async def test_only_organisations_have_members(client: httpx.AsyncClient) -> None:
    plain = await create_company(client, name={"en": "Plain Maker"})
    other = await create_company(client, name={"en": "Other Maker"})
    refused = await client.post(f"/v1/organisations/{plain['id']}/members", json={"member_id": other["id"]})
    assert refused.status_code == 422


async def test_a_retried_contact_create_adds_one_person(
    client: httpx.AsyncClient, identities: Identities
) -> None:
    company = await create_company(client)
    headers = {
        **identities.headers(Scope.REGISTRY_WRITE, Scope.CONTACTS_READ, organisation_id=OWN_ORGANISATION),
        "Idempotency-Key": "contact-retry-1",
    }
    url = f"/v1/companies/{company['id']}/contacts"
    first = await client.post(url, json={"name": {"ja": "佐藤花子"}}, headers=headers)
    again = await client.post(url, json={"name": {"ja": "佐藤花子"}}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert len((await client.get(url, headers=headers)).json()["items"]) == 1
    long_name = await client.post(
        url, json={"name": {"en": "x" * 201}}, headers={**headers, "Idempotency-Key": "k2"}
    )
    assert long_name.status_code == 422
    assert long_name.json()["errors"][0]["pointer"] == "/name/en"
