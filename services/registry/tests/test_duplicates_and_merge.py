"""Duplicate control: identifiers are unique, similar names need confirmation, merges leave redirects."""

from typing import Any

import httpx
import pytest

from plaza_dev.testing import Identities
from plaza_kit.scopes import Scope

from .conftest import OTHER_ORGANISATION, OWN_ORGANISATION
from .factories import create_company


async def test_the_same_identifier_is_a_409_naming_the_existing_company(client: httpx.AsyncClient) -> None:
    first = await create_company(client, identifiers={"kr_brn": "124-81-00998"})
    response = await client.post(
        "/v1/companies",
        json={"name": {"en": "Another"}, "country": "KR", "identifiers": {"kr_brn": "1248100998"}},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["type"] == "/problems/duplicate-identifier"
    assert body["existing_id"] == first["id"]
    assert body["identifier"] == {"scheme": "kr_brn", "value": "1248100998"}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"ja": "株式会社デンソー"}, {"ja": "㈱デンソー"}),
        ({"ja": "デンソー株式会社"}, {"ja": "(株)ﾃﾞﾝｿｰ"}),
        ({"ko": "(주)에코프로비엠"}, {"ko": "에코프로비엠"}),
        ({"ko": "주식회사 에코프로비엠"}, {"ko": "㈜에코프로비엠"}),
        ({"en": "EcoPro BM Co., Ltd."}, {"en": "ECOPRO BM"}),
    ],
)
async def test_a_name_that_normalises_to_an_existing_one_is_a_409_with_candidates(
    client: httpx.AsyncClient, first: dict[str, str], second: dict[str, str]
) -> None:
    existing = await create_company(client, name=first)
    response = await client.post("/v1/companies", json={"name": second, "country": "KR"})
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["type"] == "/problems/possible-duplicate"
    assert [candidate["id"] for candidate in body["candidates"]] == [existing["id"]]
    confirmed = await client.post(
        "/v1/companies", json={"name": second, "country": "KR", "confirm_distinct_from": [existing["id"]]}
    )
    assert confirmed.status_code == 201


async def test_different_names_are_not_duplicates(client: httpx.AsyncClient) -> None:
    await create_company(client, name={"ja": "株式会社デンソー"})
    await create_company(client, name={"ja": "株式会社デンソーテン"})


async def test_a_rename_gets_the_same_duplicate_control(client: httpx.AsyncClient) -> None:
    first = await create_company(client, name={"en": "Hanbit Review Materials"})
    second = await create_company(client, name={"en": "Daon Review Energy"})
    rename = {"name": {"en": "Hanbit Review Materials Co., Ltd."}}
    refused = await client.patch(f"/v1/companies/{second['id']}", json=rename)
    assert refused.status_code == 409
    assert [c["id"] for c in refused.json()["candidates"]] == [first["id"]]
    confirmed = await client.patch(
        f"/v1/companies/{second['id']}", json={**rename, "confirm_distinct_from": [first["id"]]}
    )
    assert confirmed.status_code == 200
    itself = await client.patch(
        f"/v1/companies/{first['id']}", json={"name": {"en": "HANBIT REVIEW MATERIALS"}}
    )
    assert itself.status_code == 200  # its own name is no duplicate of itself


async def test_every_candidate_must_be_confirmed(client: httpx.AsyncClient) -> None:
    ids = [(await create_company(client, name={"en": "Crowded Name"}, confirm_distinct_from=[]))["id"]]
    for _ in range(21):
        created = await client.post(
            "/v1/companies",
            json={"name": {"en": "Crowded Name"}, "country": "KR", "confirm_distinct_from": ids},
        )
        assert created.status_code == 201
        ids.append(created.json()["id"])
    partly = await client.post(
        "/v1/companies",
        json={"name": {"en": "Crowded Name"}, "country": "KR", "confirm_distinct_from": ids[:20]},
    )
    assert partly.status_code == 409
    assert {c["id"] for c in partly.json()["candidates"]} == set(ids[20:])


async def test_similar_names_are_listed_as_likely_duplicates_until_dismissed(
    client: httpx.AsyncClient,
) -> None:
    a = await create_company(client, name={"en": "Kobayashi Anode Materials"})
    b = await create_company(client, name={"en": "Kobayashi Anode Material"})  # similar, not equal: let in
    c = await create_company(client, name={"en": "Totally Different Separator"})

    async def pairs() -> list[dict[str, Any]]:
        return list((await client.get("/v1/companies/duplicates", params={"limit": 100})).json()["items"])

    listed = [p for p in await pairs() if {p["first"]["id"], p["second"]["id"]} == {a["id"], b["id"]}]
    assert len(listed) == 1
    assert listed[0]["similarity"] > 0.6
    assert listed[0]["matched_key"] is None
    assert all(c["id"] not in {p["first"]["id"], p["second"]["id"]} for p in await pairs())
    dismissed = await client.post(f"/v1/companies/{a['id']}/distinct", json={"other_id": b["id"]})
    assert dismissed.status_code == 204
    assert all({p["first"]["id"], p["second"]["id"]} != {a["id"], b["id"]} for p in await pairs())
    unknown = await client.post(f"/v1/companies/{a['id']}/distinct", json={"other_id": a["id"]})
    assert unknown.status_code == 422


async def test_confirmed_pairs_stay_out_of_the_listing(client: httpx.AsyncClient) -> None:
    a = await create_company(client, name={"en": "Twin Name Battery"})
    b = await create_company(client, name={"en": "Twin Name Battery Inc."}, confirm_distinct_from=[a["id"]])
    pairs = (await client.get("/v1/companies/duplicates", params={"limit": 100})).json()["items"]
    assert all({p["first"]["id"], p["second"]["id"]} != {a["id"], b["id"]} for p in pairs)


async def test_merge_moves_everything_and_leaves_a_redirect(
    client: httpx.AsyncClient, identities: Identities
) -> None:
    contacts = identities.headers(
        Scope.REGISTRY_READ, Scope.REGISTRY_WRITE, Scope.CONTACTS_READ, organisation_id=OWN_ORGANISATION
    )
    consortium = await create_company(
        client, kind="association", name={"en": "Test Consortium"}, country="JP"
    )
    survivor = await create_company(
        client, name={"ja": "株式会社サンプル電池"}, country="JP", sectors=["cells"]
    )
    duplicate = await create_company(
        client,
        name={"en": "Sample Battery"},
        name_ja_kana="サンプルデンチ",
        country="JP",
        identifiers={"jp_corporate_number": "1180301018771"},
        sectors=["anode"],
    )
    contact = await client.post(
        f"/v1/companies/{duplicate['id']}/contacts", json={"name": {"en": "Aiko Sato"}}, headers=contacts
    )
    assert contact.status_code == 201
    joined = await client.post(
        f"/v1/organisations/{consortium['id']}/members", json={"member_id": duplicate["id"]}
    )
    assert joined.status_code == 201

    merged = await client.post(
        f"/v1/companies/{survivor['id']}/merge",
        json={"merged_id": duplicate["id"], "reason": "Same corporate number"},
    )
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert body["identifiers"]["jp_corporate_number"] == "1180301018771"
    assert body["sectors"] == ["anode", "cells"]
    assert body["name"] == {"ko": None, "ja": "株式会社サンプル電池", "en": "Sample Battery"}
    assert body["name_ja_kana"] == "サンプルデンチ"

    redirect = await client.get(f"/v1/companies/{duplicate['id']}")
    assert redirect.status_code == 308
    assert redirect.headers["location"] == f"/v1/companies/{survivor['id']}"
    assert redirect.json() == {"id": duplicate["id"], "status": "merged", "merged_into_id": survivor["id"]}
    moved = (await client.get(f"/v1/companies/{survivor['id']}/contacts", headers=contacts)).json()["items"]
    assert [c["id"] for c in moved] == [contact.json()["id"]]
    members_response = await client.get(f"/v1/organisations/{consortium['id']}/members")
    assert members_response.status_code == 200, members_response.text
    members = members_response.json()["items"]
    assert [m["member"]["id"] for m in members] == [survivor["id"]]

    history = (await client.get(f"/v1/companies/{survivor['id']}/history")).json()["items"]
    merge_entry = history[-1]
    assert merge_entry["action"] == "merged"
    assert merge_entry["changes"]["merged_id"] == duplicate["id"]
    assert merge_entry["changes"]["reason"] == "Same corporate number"
    assert merge_entry["actor_organisation_id"] == str(OWN_ORGANISATION)
    away = (await client.get(f"/v1/companies/{duplicate['id']}/history")).json()["items"][-1]
    assert away["action"] == "merged_away"

    again = await client.post(
        f"/v1/companies/{survivor['id']}/merge", json={"merged_id": duplicate["id"], "reason": "again"}
    )
    assert again.status_code == 409
    patch_merged = await client.patch(f"/v1/companies/{duplicate['id']}", json={"region": "Aichi"})
    assert patch_merged.status_code == 409
    assert patch_merged.json()["merged_into_id"] == survivor["id"]


async def test_merge_refuses_conflicting_identifiers_and_other_owners(
    client: httpx.AsyncClient, identities: Identities
) -> None:
    a = await create_company(client, identifiers={"kr_brn": "1248100998"})
    b = await create_company(client, identifiers={"kr_brn": "2208162517"})
    clash = await client.post(f"/v1/companies/{a['id']}/merge", json={"merged_id": b["id"], "reason": "test"})
    assert clash.status_code == 409
    other = identities.headers(Scope.REGISTRY_WRITE, Scope.REGISTRY_READ, organisation_id=OTHER_ORGANISATION)
    theirs = await create_company(client, headers=other)
    refused = await client.post(
        f"/v1/companies/{a['id']}/merge", json={"merged_id": theirs["id"], "reason": "test"}
    )
    assert refused.status_code == 403
    missing = await client.post(
        f"/v1/companies/{a['id']}/merge",
        json={"merged_id": "01995a1e-ec00-7000-8000-0000000000ff", "reason": "test"},
    )
    assert missing.status_code == 422


async def test_a_merge_chain_redirects_in_one_hop(client: httpx.AsyncClient) -> None:
    first, second, third = [await create_company(client) for _ in range(3)]
    await client.post(f"/v1/companies/{second['id']}/merge", json={"merged_id": first["id"], "reason": "dup"})
    await client.post(f"/v1/companies/{third['id']}/merge", json={"merged_id": second["id"], "reason": "dup"})
    assert (await client.get(f"/v1/companies/{first['id']}")).headers[
        "location"
    ] == f"/v1/companies/{third['id']}"


async def test_batch_lookup_reports_found_merged_and_unknown(client: httpx.AsyncClient) -> None:
    a, b, c = [await create_company(client) for _ in range(3)]
    await client.post(f"/v1/companies/{c['id']}/merge", json={"merged_id": b["id"], "reason": "dup"})
    unknown = "01995a1e-ec00-7000-8000-0000000000ee"
    result = (
        await client.post("/v1/companies/lookup", json={"ids": [a["id"], b["id"], unknown, a["id"]]})
    ).json()
    assert sorted(item["id"] for item in result["items"]) == sorted([a["id"], c["id"]])
    assert result["merged"] == [{"id": b["id"], "merged_into_id": c["id"]}]
    assert result["unknown"] == [unknown]
    too_many = await client.post("/v1/companies/lookup", json={"ids": [a["id"]] * 501})
    assert too_many.status_code == 422


async def test_merge_keeps_the_hierarchy_acyclic_and_bumps_versions(client: httpx.AsyncClient) -> None:
    merged = await create_company(client, kind="government_body", name={"en": "Hierarchy Top"})
    middle = await create_company(
        client, kind="government_body", name={"en": "Hierarchy Middle"}, parent_id=merged["id"]
    )
    survivor = await create_company(
        client, kind="government_body", name={"en": "Hierarchy Bottom"}, parent_id=middle["id"]
    )
    result = await client.post(
        f"/v1/companies/{survivor['id']}/merge", json={"merged_id": merged["id"], "reason": "same"}
    )
    assert result.status_code == 200, result.text
    middle_now = (await client.get(f"/v1/companies/{middle['id']}")).json()
    assert (
        middle_now["parent_id"] is None
    )  # took the merged record's place instead of going under the survivor
    assert middle_now["version"] == middle["version"] + 1
    assert result.json()["parent_id"] == middle["id"]
