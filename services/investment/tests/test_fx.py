"""FX rates over the API: kept by administrators, imported from ECB files, used at the latest earlier date."""

import io
import zipfile

import httpx

from .conftest import Headers
from .helpers import OWNER, put_rate
from .test_ecb import DAILY, HISTORICAL


async def test_an_admin_writes_and_replaces_a_rate(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    body = {"currency": "KRW", "date": "2025-09-18", "rate": "1640.00", "source": "manual"}
    first = await client.post("/v1/fx-rates", json=body, headers=admin)
    assert first.status_code == 201, first.text
    assert first.json()["rate"] == "1640"
    again = await client.post("/v1/fx-rates", json={**body, "rate": "1641.5"}, headers=admin)
    assert again.status_code == 200
    listed = (await client.get("/v1/fx-rates", params={"currency": "KRW"})).json()["items"]
    assert [(item["date"], item["rate"]) for item in listed] == [("2025-09-18", "1641.5")]


async def test_only_admins_write_rates(client: httpx.AsyncClient) -> None:
    body = {"currency": "KRW", "date": "2025-09-18", "rate": "1640.00"}
    response = await client.post("/v1/fx-rates", json=body)
    assert response.status_code == 403


async def test_rates_are_validated(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    for bad in (
        {"currency": "EUR", "date": "2025-09-18", "rate": "1"},
        {"currency": "XXY", "date": "2025-09-18", "rate": "1"},
        {"currency": "USD", "date": "2025-09-18", "rate": "0"},
        {"currency": "USD", "date": "2025-09-18", "rate": 1.18},
    ):
        response = await client.post("/v1/fx-rates", json=bad, headers=admin)
        assert response.status_code == 422, bad


async def test_conversion_uses_the_latest_rates_on_or_before_the_date(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await put_rate(client, admin, "USD", "2025-09-01", "1.25")
    await put_rate(client, admin, "KRW", "2025-09-01", "1500")
    await put_rate(client, admin, "KRW", "2025-09-20", "1600")
    params = {"amount": "1500000", "currency": "KRW", "to": "USD", "on": "2025-09-19"}  # a day between
    converted = (await client.get("/v1/fx-rates/convert", params=params)).json()
    assert converted["converted"] == {"amount": "1250.00", "currency": "USD"}
    assert {rate["currency"]: rate["date"] for rate in converted["rates"]} == {
        "KRW": "2025-09-01",
        "USD": "2025-09-01",
    }
    later = (await client.get("/v1/fx-rates/convert", params={**params, "on": "2025-09-20"})).json()
    assert later["converted"]["amount"] == "1171.88"  # 1,500,000 / 1600 × 1.25 = 1171.875 → 1171.88


async def test_conversion_without_a_rate_is_422(client: httpx.AsyncClient) -> None:
    params = {"amount": "100", "currency": "GBP", "to": "USD", "on": "1999-01-04"}
    response = await client.get("/v1/fx-rates/convert", params=params)
    assert response.status_code == 422
    assert "no FX rate" in response.json()["detail"]
    too_precise = {"amount": "100.5", "currency": "JPY", "to": "JPY", "on": "2025-01-01"}
    assert (await client.get("/v1/fx-rates/convert", params=too_precise)).status_code == 422


async def test_the_daily_ecb_file_is_imported(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    response = await client.post(
        "/v1/fx-rates/imports/ecb", content=DAILY.encode(), headers={**admin, "Content-Type": "text/csv"}
    )
    assert response.status_code == 200, response.text
    summary = response.json()
    assert summary["rates"] == 29
    assert summary["first_date"] == summary["last_date"] == "2025-09-18"
    assert summary["skipped_currencies"] == ["BGN"]
    rates = (await client.get("/v1/fx-rates", params={"currency": "JPY"})).json()["items"]
    assert rates[0]["rate"] == "173.8"
    assert rates[0]["source"] == "ECB"


async def test_the_historical_ecb_file_is_imported_zipped(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref-hist.csv", HISTORICAL)
    headers = {**admin, "Content-Type": "application/zip"}
    response = await client.post("/v1/fx-rates/imports/ecb", content=buffer.getvalue(), headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["dates"] == 3
    params = {"amount": "1000000", "currency": "KRW", "to": "JPY", "on": "2008-06-30"}
    converted = (await client.get("/v1/fx-rates/convert", params=params)).json()
    assert converted["converted"]["amount"] == "119691"  # 1,000,000 / 1377.96 × 164.93 = 119,691.43…


async def test_a_broken_file_is_422(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    response = await client.post("/v1/fx-rates/imports/ecb", content=b"hello", headers=admin)
    assert response.status_code == 422
    assert "ECB" in response.json()["detail"]


async def test_rates_page_newest_first(
    client: httpx.AsyncClient, admin: dict[str, str], as_org: Headers
) -> None:
    for day in ("2025-01-02", "2025-01-03", "2025-01-06"):
        await put_rate(client, admin, "USD", day, "1.03")
    first = (await client.get("/v1/fx-rates", params={"currency": "USD", "limit": 2})).json()
    assert [item["date"] for item in first["items"]] == ["2025-01-06", "2025-01-03"]
    second = (
        await client.get(
            "/v1/fx-rates",
            params={"currency": "USD", "limit": 2, "cursor": first["next_cursor"]},
            headers=as_org(OWNER),
        )
    ).json()
    assert [item["date"] for item in second["items"]] == ["2025-01-02"]
    assert second["next_cursor"] is None
