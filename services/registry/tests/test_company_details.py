"""A company's full record: details, identifiers (check digits), sectors, products; bad input is a 422."""

import httpx
import pytest

from .factories import create_company

TOYOTA = "1180301018771"


async def test_a_full_record_round_trips(client: httpx.AsyncClient) -> None:
    created = await create_company(
        client,
        kind="company",
        name={"ja": "三河セル工業株式会社", "en": "Mikawa Cell Industries"},
        name_ja_kana="ミカワセルコウギョウ",
        name_latin="Mikawa Seru Kogyo",
        country="JP",
        region="Aichi",
        address="1-1 Example-cho, Toyota, Aichi",
        website="https://mikawa-cell.example.jp",
        size_band="medium",
        founded_year=1987,
        description={"en": "Pouch cells for e-bikes."},
        identifiers={"jp_corporate_number": TOYOTA},
        sectors=["cells", "packaging_materials"],
        products=[{"name": {"en": "Pouch cell"}, "hs_code": "850760"}],
    )
    assert created["identifiers"] == {
        "jp_corporate_number": TOYOTA,
        "kr_brn": None,
        "kr_crn": None,
        "lei": None,
    }
    assert created["sectors"] == ["cells", "packaging_materials"]
    assert created["products"] == [
        {"name": {"ko": None, "ja": None, "en": "Pouch cell"}, "hs_code": "8507.60"}
    ]
    assert created["description"] == {"ko": None, "ja": None, "en": "Pouch cells for e-bikes."}
    assert created["status"] == "active"
    fetched = await client.get(f"/v1/companies/{created['id']}")
    assert fetched.json() == created
    assert fetched.headers["etag"] == '"1"'


@pytest.mark.parametrize(
    ("identifiers", "canonical"),
    [
        ({"kr_brn": "124-81-00998"}, {"kr_brn": "1248100998"}),
        ({"kr_crn": "130111-0006246"}, {"kr_crn": "1301110006246"}),
        ({"jp_corporate_number": "１１８０３０１０１８７７１"}, {"jp_corporate_number": TOYOTA}),
        ({"lei": "506700ge1g29325qx363"}, {"lei": "506700GE1G29325QX363"}),
    ],
)
async def test_identifiers_are_stored_canonical(
    client: httpx.AsyncClient, identifiers: dict[str, str], canonical: dict[str, str]
) -> None:
    created = await create_company(client, identifiers=identifiers)
    assert {k: v for k, v in created["identifiers"].items() if v} == canonical


@pytest.mark.parametrize(
    ("scheme", "value"),
    [("kr_brn", "124-81-00997"), ("jp_corporate_number", "2180301018771"), ("lei", "506700GE1G29325QX364")],
)
async def test_a_wrong_check_digit_is_a_422_naming_the_identifier(
    client: httpx.AsyncClient, scheme: str, value: str
) -> None:
    response = await client.post(
        "/v1/companies", json={"name": {"en": "Bad Id"}, "country": "KR", "identifiers": {scheme: value}}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["pointer"] == f"/identifiers/{scheme}"
    assert scheme in error["message"]
    assert "check digit" in error["message"]


async def test_unknown_sector_and_bad_hs_code_are_422(client: httpx.AsyncClient) -> None:
    unknown = await client.post(
        "/v1/companies", json={"name": {"en": "X"}, "country": "KR", "sectors": ["cathode", "nope"]}
    )
    assert unknown.status_code == 422
    assert [e["pointer"] for e in unknown.json()["errors"]] == ["/sectors/1"]
    bad_hs = await client.post(
        "/v1/companies",
        json={"name": {"en": "X"}, "country": "KR", "products": [{"name": {"en": "p"}, "hs_code": "85"}]},
    )
    assert bad_hs.status_code == 422
    assert bad_hs.json()["errors"][0]["pointer"] == "/products/0/hs_code"


async def test_the_sector_taxonomy_is_served_in_three_languages(client: httpx.AsyncClient) -> None:
    sectors = (await client.get("/v1/sectors")).json()["items"]
    codes = [sector["code"] for sector in sectors]
    assert codes[:3] == ["cathode", "anode", "electrolyte"]
    assert {"bms", "recycling", "solid_state", "hydrogen_fuel_cells", "packaging_materials"} <= set(codes)
    cathode = sectors[0]["label"]
    assert cathode == {"ko": "양극재", "ja": "正極材", "en": "Cathode materials"}


async def test_only_admins_extend_the_taxonomy(client: httpx.AsyncClient, identities: object) -> None:
    from plaza_dev.testing import Identities
    from plaza_kit.scopes import Scope

    assert isinstance(identities, Identities)
    body = {
        "code": "fuel_cell_stacks",
        "label": {"ko": "연료전지 스택", "ja": "燃料電池スタック", "en": "Fuel-cell stacks"},
    }
    assert (await client.post("/v1/sectors", json=body)).status_code == 403
    admin = identities.headers(Scope.ADMIN)
    assert (await client.post("/v1/sectors", json=body, headers=admin)).status_code == 201
    assert (await client.post("/v1/sectors", json=body, headers=admin)).status_code == 409
    created = await create_company(client, sectors=["fuel_cell_stacks"])
    assert created["sectors"] == ["fuel_cell_stacks"]


async def test_patch_replaces_lists_and_removes_identifiers(client: httpx.AsyncClient) -> None:
    created = await create_company(client, identifiers={"kr_brn": "1248100998"}, sectors=["anode"])
    patched = await client.patch(
        f"/v1/companies/{created['id']}",
        json={
            "identifiers": {"kr_brn": None, "kr_crn": "1301110006246"},
            "sectors": ["cathode", "recycling"],
        },
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["identifiers"]["kr_brn"] is None
    assert body["identifiers"]["kr_crn"] == "1301110006246"
    assert body["sectors"] == ["cathode", "recycling"]
    assert body["version"] == 2


async def test_archiving_hides_a_company_from_the_default_listing(client: httpx.AsyncClient) -> None:
    created = await create_company(client, country="MN")
    await client.patch(f"/v1/companies/{created['id']}", json={"status": "archived"})
    assert (await client.get("/v1/companies", params={"country": "MN"})).json()["items"] == []
    archived = (await client.get("/v1/companies", params={"country": "MN", "status": "archived"})).json()
    assert [item["id"] for item in archived["items"]] == [created["id"]]
    refused = await client.patch(f"/v1/companies/{created['id']}", json={"status": "merged"})
    assert refused.status_code == 422


async def test_parents_cannot_form_a_cycle(client: httpx.AsyncClient) -> None:
    kotra = await create_company(client, kind="government_body", name={"en": "Agency"})
    office = await create_company(
        client, kind="government_body", name={"en": "Agency Japan Office"}, parent_id=kotra["id"]
    )
    assert office["parent_id"] == kotra["id"]
    cycle = await client.patch(f"/v1/companies/{kotra['id']}", json={"parent_id": office["id"]})
    assert cycle.status_code == 422
    itself = await client.patch(f"/v1/companies/{kotra['id']}", json={"parent_id": kotra["id"]})
    assert itself.status_code == 422
