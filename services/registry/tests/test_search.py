"""Search in Korean, Japanese and English, by any name, reading or romanisation, ranked, with filters."""

from typing import Any

import httpx

from .factories import create_company


async def search(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/v1/companies", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def names(client: httpx.AsyncClient, **params: Any) -> list[str]:
    return [item["name"]["en"] for item in await search(client, **params)]


async def seed(client: httpx.AsyncClient) -> None:
    await create_company(client, name={"ko": "삼성SDI", "en": "Samsung SDI"}, country="KR", sectors=["cells"])
    await create_company(client, name={"ko": "삼성전기", "en": "Samsung Electro-Mechanics"}, country="KR")
    await create_company(
        client,
        name={"ja": "株式会社東芝", "en": "Toshiba"},
        name_ja_kana="トウシバ",
        country="JP",
        products=[{"name": {"en": "SCiB cell"}, "hs_code": "8507.60"}],
    )
    await create_company(
        client, name={"ja": "東レ株式会社", "en": "Toray"}, country="JP", sectors=["separator"]
    )
    await create_company(
        client, name={"ko": "(주)에코프로비엠", "en": "EcoPro BM"}, country="KR", sectors=["cathode"]
    )
    await create_company(client, name={"ja": "トヨタ自動車株式会社", "en": "Toyota Motor"}, country="JP")


async def test_two_character_korean_and_japanese_queries(client: httpx.AsyncClient) -> None:
    await seed(client)
    assert sorted(await names(client, q="삼성")) == ["Samsung Electro-Mechanics", "Samsung SDI"]
    assert await names(client, q="東芝") == ["Toshiba"]
    assert sorted(await names(client, q="東")) == ["Toray", "Toshiba"]


async def test_longer_queries_in_each_script(client: httpx.AsyncClient) -> None:
    await seed(client)
    assert await names(client, q="에코프로") == ["EcoPro BM"]
    assert await names(client, q="에코프로비엠") == ["EcoPro BM"]
    assert await names(client, q="トヨタ自動車") == ["Toyota Motor"]
    assert await names(client, q="ecopro") == ["EcoPro BM"]
    assert (await names(client, q="samsung sdi"))[:1] == ["Samsung SDI"]


async def test_readings_and_romanisation_find_companies(client: httpx.AsyncClient) -> None:
    await seed(client)
    assert await names(client, q="トウシバ") == ["Toshiba"]  # kana reading
    assert await names(client, q="ekopeuro") == ["EcoPro BM"]  # romanised Hangul
    assert await names(client, q="toyota") == ["Toyota Motor"]  # romanised katakana and English
    assert "Samsung SDI" in await names(client, q="samseong")


async def test_legal_forms_and_width_do_not_matter(client: httpx.AsyncClient) -> None:
    await seed(client)
    assert await names(client, q="㈱東芝") == ["Toshiba"]
    assert await names(client, q="ＥＣＯＰＲＯ") == ["EcoPro BM"]


async def test_an_exact_name_ranks_first(client: httpx.AsyncClient) -> None:
    await create_company(client, name={"en": "Hanbit Battery Materials Trading"}, country="KR")
    await create_company(client, name={"en": "Hanbit"}, country="KR")
    await create_company(client, name={"en": "Hanbit Materials"}, country="KR")
    ranked = await names(client, q="Hanbit")
    assert ranked[0] == "Hanbit"
    assert set(ranked) == {"Hanbit", "Hanbit Materials", "Hanbit Battery Materials Trading"}


async def test_short_latin_queries(client: httpx.AsyncClient) -> None:
    await create_company(client, name={"ko": "SK온", "en": "SK On"}, country="KR")
    await create_company(client, name={"en": "LG Energy Solution"}, country="KR")
    assert await names(client, q="SK") == ["SK On"]
    assert await names(client, q="lg") == ["LG Energy Solution"]


async def test_filters_combine_with_search(client: httpx.AsyncClient) -> None:
    await seed(client)
    assert await names(client, q="삼성", sector="cells") == ["Samsung SDI"]
    assert await names(client, hs_code="8507", country="JP") == ["Toshiba"]
    assert await names(client, hs_code="8507.60") == ["Toshiba"]
    assert await names(client, q="東", kind="university") == []
    assert await names(client, q="東", country="KR") == []


async def test_member_of_filter(client: httpx.AsyncClient) -> None:
    consortium = await create_company(
        client, kind="association", name={"en": "Filter Consortium"}, country="JP"
    )
    member = await create_company(client, name={"en": "Member Maker"}, country="JP")
    await create_company(client, name={"en": "Outsider Maker"}, country="JP")
    added = await client.post(
        f"/v1/organisations/{consortium['id']}/members", json={"member_id": member["id"]}
    )
    assert added.status_code == 201
    assert await names(client, member_of=consortium["id"]) == ["Member Maker"]
    assert await names(client, q="maker", member_of=consortium["id"]) == ["Member Maker"]


async def test_search_results_page_by_relevance_without_repeats(client: httpx.AsyncClient) -> None:
    for index in range(7):
        await create_company(client, name={"en": f"Pagewise Cathode {'x' * index}"}, country="KR")
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"q": "pagewise", "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/companies", params=params)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7
    other = await client.get(
        "/v1/companies",
        params={
            "q": "other",
            "cursor": (await client.get("/v1/companies", params={"q": "pagewise", "limit": 1})).json()[
                "next_cursor"
            ],
        },
    )
    assert other.status_code == 400


async def test_punctuation_alone_finds_nothing(client: httpx.AsyncClient) -> None:
    await seed(client)
    for query in ("|", "%", "_", " - "):
        assert await names(client, q=query) == []
