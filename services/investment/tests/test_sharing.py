"""Sharing: the owner shares a lead for reading or editing and revokes it; everyone else gets 404."""

import uuid

import httpx

from .conftest import Headers
from .helpers import STRANGER, Registry, create_lead, lead_body, move

Parties = tuple[uuid.UUID, uuid.UUID]


async def test_read_and_edit_shares(
    client: httpx.AsyncClient, parties: Parties, registry: Registry, as_org: Headers
) -> None:
    reader_org, editor_org = registry.organisation(), registry.organisation()
    lead = await create_lead(client, lead_body(*parties))
    url = f"/v1/leads/{lead['id']}"
    reader, editor, stranger = as_org(reader_org), as_org(editor_org), as_org(STRANGER)
    assert (await client.get(url, headers=reader)).status_code == 404
    shared = await client.post(f"{url}/shares", json={"organisation_id": str(reader_org), "access": "read"})
    assert shared.status_code == 201, shared.text
    assert shared.json()["access"] == "read"
    await client.post(f"{url}/shares", json={"organisation_id": str(editor_org), "access": "edit"})

    seen = await client.get(url, headers=reader)
    assert seen.status_code == 200
    assert seen.json()["access"] == "read"
    assert [item["id"] for item in (await client.get("/v1/leads", headers=reader)).json()["items"]] == [
        lead["id"]
    ]
    assert (await client.patch(url, json={"owner_person": "x"}, headers=reader)).status_code == 403
    refused = await client.post(f"{url}/transitions", json={"stage": "contacted"}, headers=reader)
    assert refused.status_code == 403
    assert (await client.get(f"{url}/history", headers=reader)).status_code == 200

    assert (await client.get(url, headers=editor)).json()["access"] == "edit"
    edited = await client.patch(url, json={"owner_person": "Sato Yui"}, headers=editor)
    assert edited.status_code == 200
    assert (
        await client.post(f"{url}/transitions", json={"stage": "contacted"}, headers=editor)
    ).status_code == 200
    # Only the owner shares and revokes.
    again = await client.post(
        f"{url}/shares", json={"organisation_id": str(STRANGER), "access": "read"}, headers=editor
    )
    assert again.status_code == 403
    assert (await client.delete(f"{url}/shares/{reader_org}", headers=editor)).status_code == 403
    listed = (await client.get(f"{url}/shares", headers=reader)).json()
    assert {item["organisation_id"]: item["access"] for item in listed["items"]} == {
        str(reader_org): "read",
        str(editor_org): "edit",
    }
    assert (await client.get(url, headers=stranger)).status_code == 404
    assert (await client.get(f"{url}/shares", headers=stranger)).status_code == 404

    upgraded = await client.post(f"{url}/shares", json={"organisation_id": str(reader_org), "access": "edit"})
    assert upgraded.status_code == 200
    assert (await client.get(url, headers=reader)).json()["access"] == "edit"
    assert (await client.delete(f"{url}/shares/{reader_org}")).status_code == 204
    assert (await client.get(url, headers=reader)).status_code == 404
    assert (await client.delete(f"{url}/shares/{reader_org}")).status_code == 404
    assert (await client.get("/v1/leads", headers=reader)).json()["items"] == []


async def test_shares_are_checked(client: httpx.AsyncClient, parties: Parties, as_org: Headers) -> None:
    lead = await create_lead(client, lead_body(*parties))
    url = f"/v1/leads/{lead['id']}/shares"
    unknown = await client.post(url, json={"organisation_id": str(uuid.uuid4()), "access": "read"})
    assert unknown.status_code == 422
    assert "registry knows no organisation" in unknown.json()["detail"]
    owner_itself = await client.post(
        url, json={"organisation_id": lead["owner_organisation_id"], "access": "read"}
    )
    assert owner_itself.status_code == 422
    assert (
        await client.post(url, json={"organisation_id": str(STRANGER), "access": "admin"})
    ).status_code == 422
    stranger = await client.post(
        url, json={"organisation_id": str(STRANGER), "access": "read"}, headers=as_org(STRANGER)
    )
    assert stranger.status_code == 404


async def test_an_edit_share_adds_to_the_timeline(
    client: httpx.AsyncClient, parties: Parties, registry: Registry, as_org: Headers
) -> None:
    partner = registry.organisation()
    lead = await create_lead(client, lead_body(*parties))
    url = f"/v1/leads/{lead['id']}"
    await client.post(f"{url}/shares", json={"organisation_id": str(partner), "access": "read"})
    note = {"kind": "note", "subject": "メモ"}
    assert (await client.post(f"{url}/activities", json=note, headers=as_org(partner))).status_code == 403
    await client.post(f"{url}/shares", json={"organisation_id": str(partner), "access": "edit"})
    made = await client.post(f"{url}/activities", json=note, headers=as_org(partner))
    assert made.status_code == 201
    assert made.json()["created_by_organisation_id"] == str(partner)
    assert (await move(client, lead["id"], stage="contacted")).status_code == 200
