"""Bulk import: per-row report, duplicates within the file and against the registry, both modes."""

import httpx
import pytest

from plaza_kit.errors import UnprocessableError
from registry.imports.rows import csv_rows

from .factories import create_company

CSV = """name_ja,name_en,country,region,jp_corporate_number,sectors
豊川電極株式会社,Toyokawa Electrode,JP,Aichi,,anode
㈱豊川電極,,JP,Aichi,,anode
,Okazaki Cell Works,JP,Aichi,1180301018772,cells
,Toyota Match,JP,Aichi,1180301018771,
,Anjo Binder,JP,Aichi,,cathode;nope
"""


async def test_valid_only_stores_good_rows_and_reports_each(client: httpx.AsyncClient) -> None:
    toyota = await create_company(
        client,
        name={"en": "Toyota Motor"},
        country="JP",
        identifiers={"jp_corporate_number": "1180301018771"},
    )
    consortium = await create_company(
        client, kind="association", name={"en": "Import Consortium"}, country="JP"
    )
    response = await client.post(
        "/v1/companies/import",
        json={"mode": "valid_only", "csv": CSV, "member_of": consortium["id"], "role": "member"},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    outcomes = [(row["row"], row["outcome"]) for row in report["rows"]]
    assert outcomes == [
        (1, "created"),
        (2, "duplicate_in_file"),
        (3, "invalid"),
        (4, "existing"),
        (5, "invalid"),
    ]
    assert report["rows"][1]["duplicate_of_row"] == 1
    assert "check digit" in report["rows"][2]["errors"][0]["message"]
    assert report["rows"][2]["errors"][0]["pointer"] == "/rows/2/identifiers/jp_corporate_number"
    assert report["rows"][3]["company_id"] == toyota["id"]
    assert report["committed"] is True
    assert report["summary"] == {"rows": 5, "created": 1, "existing": 1, "rejected": 3}
    members = (await client.get(f"/v1/organisations/{consortium['id']}/members")).json()["items"]
    assert {m["member"]["id"] for m in members} == {report["rows"][0]["company_id"], toyota["id"]}


async def test_all_or_nothing_stores_nothing_when_a_row_is_bad(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/companies/import", json={"mode": "all_or_nothing", "csv": CSV})
    report = response.json()
    assert report["committed"] is False
    assert report["rows"][0]["outcome"] == "not_stored"
    assert (await client.get("/v1/companies", params={"q": "Toyokawa"})).json()["items"] == []


async def test_json_rows_and_dry_run(client: httpx.AsyncClient) -> None:
    rows = [
        {"name": {"ko": "대구양극재"}, "country": "KR"},
        {"name": {"ko": "광주음극재"}, "country": "KR", "extra": 1},
    ]
    dry = (
        await client.post("/v1/companies/import", json={"mode": "valid_only", "dry_run": True, "rows": rows})
    ).json()
    assert [row["outcome"] for row in dry["rows"]] == ["not_stored", "invalid"]
    assert dry["committed"] is False
    assert (await client.get("/v1/companies", params={"q": "대구양극재"})).json()["items"] == []
    done = (await client.post("/v1/companies/import", json={"mode": "valid_only", "rows": rows})).json()
    assert [row["outcome"] for row in done["rows"]] == ["created", "invalid"]
    assert len((await client.get("/v1/companies", params={"q": "대구양극재"})).json()["items"]) == 1


async def test_import_input_problems_are_422(client: httpx.AsyncClient) -> None:
    both = await client.post("/v1/companies/import", json={"rows": [], "csv": "name_en\n"})
    assert both.status_code == 422
    unknown_column = await client.post("/v1/companies/import", json={"csv": "name_en,secret\nA,b\n"})
    assert unknown_column.status_code == 422
    empty = await client.post("/v1/companies/import", json={"rows": []})
    assert empty.status_code == 422


def test_an_oversized_csv_cell_is_a_422() -> None:
    """Python's csv module refuses cells over 128 KiB; that is the client's input, not a server error."""
    with pytest.raises(UnprocessableError, match="line"):
        csv_rows("name_en,country\n" + "x" * 140_000 + ",KR\n")
