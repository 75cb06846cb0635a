"""The one-statement read path: `GET /v1/companies/{id}` and pages of `GET /v1/companies` answer the bytes
the `CompanyRead` models would (PostgreSQL builds them: `repository.COMPANY_BODY`), without ORM work, on a
pool of their own that answers 503 when the database is down."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from plaza_contracts import Page
from plaza_dev.embedded_pg import free_port
from plaza_dev.testing import PlazaDatabase
from plaza_kit.app import bind_database
from plaza_kit.db import make_sessionmaker
from plaza_kit.errors import UnavailableError
from plaza_kit.read_pool import ReadPool
from registry.app import create_app
from registry.companies import repository
from registry.companies.models import Company
from registry.companies.presenter import to_read
from registry.companies.schemas import CompanyRead
from registry.settings import RegistrySettings

from .factories import create_company, unique

JP_NUMBER = "1180301018771"
# Quotes, a backslash, control characters, an emoji, U+2028 and CJK: every escape the two encoders make.
AWKWARD = 'Say "쌍따옴표" \\ back\tslash\nline\x01\x1f 🔋 \u2028 電池'


@dataclass
class Reader:
    """An API client inside a rolled-back transaction, and sessions on the same connection (the models)."""

    http: httpx.AsyncClient
    sessions: async_sessionmaker[AsyncSession]
    engine: AsyncEngine

    async def model_bytes(self, company_id: str) -> bytes:
        """What `presenter.to_read` of the stored company serialises to."""
        async with self.sessions() as session:
            company = await repository.get(session, uuid.UUID(company_id))
            assert company is not None
            return to_read(company).model_dump_json().encode()

    async def page_bytes(self, page: dict[str, Any]) -> bytes:
        """What a `Page[CompanyRead]` of the same companies and cursor serialises to."""
        async with self.sessions() as session:
            items = []
            for item in page["items"]:
                company = await repository.get(session, uuid.UUID(item["id"]))
                assert company is not None
                items.append(to_read(company))
            return Page[CompanyRead](items=items, next_cursor=page["next_cursor"]).model_dump_json().encode()


@pytest.fixture
async def reader(
    registry_engine: AsyncEngine, registry_settings: RegistrySettings, partner_headers: dict[str, str]
) -> AsyncIterator[Reader]:
    app = create_app(registry_settings)
    async with registry_engine.connect() as connection:
        transaction = await connection.begin()
        sessions = make_sessionmaker(connection, join_transaction_mode="create_savepoint")
        bind_database(app, registry_engine, sessions)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://registry", headers=partner_headers
        ) as http:
            yield Reader(http, sessions, registry_engine)
        await transaction.rollback()


async def _varied_companies(reader: Reader) -> list[dict[str, Any]]:
    http = reader.http
    parent = await create_company(http, kind="association", name={"en": unique("Parent body")}, country="JP")
    full = await create_company(
        http,
        kind="startup",
        name={"ko": unique("빠른읽기전지"), "ja": "速読電池株式会社", "en": unique("Fast Read Cells")},
        name_ja_kana="ソクドクデンチ",
        name_latin="Sokudoku Denchi",
        country="JP",
        region="Aichi",
        address=AWKWARD,
        website="https://fast-read.example.jp/a?b=c&d=%20",
        size_band="small",
        founded_year=2019,
        description={"ja": AWKWARD, "en": "Pouch cells."},
        identifiers={"jp_corporate_number": JP_NUMBER, "lei": "506700GE1G29325QX363"},
        sectors=["separator", "cells", "anode"],
        products=[
            {"name": {"en": "Pouch cell", "ko": "파우치 셀"}, "hs_code": "8507.60"},
            {"name": {"ja": AWKWARD}, "hs_code": "8507"},
            {"name": {"en": "Separator film"}, "hs_code": "3920.99.00.10"},
        ],
        parent_id=parent["id"],
    )
    bare = await create_company(http, name={"en": unique("Bare Co.")})
    korean = await create_company(
        http,
        name={"ko": unique("한빛소재")},
        description={"ko": "양극재"},
        identifiers={"kr_brn": "124-81-00998"},
        sectors=["cathode"],
    )
    patched = await http.patch(f"/v1/companies/{bare['id']}", json={"region": "Seoul", "sectors": ["bms"]})
    assert patched.status_code == 200, patched.text
    async with reader.sessions() as session:  # whole seconds and a single microsecond
        whole = update(Company).where(Company.id == uuid.UUID(korean["id"]))
        start = datetime(2025, 9, 18, tzinfo=UTC)
        await session.execute(whole.values(created_at=start, updated_at=start.replace(hour=9, second=1)))
        tiny = update(Company).where(Company.id == uuid.UUID(parent["id"]))
        await session.execute(tiny.values(created_at=start.replace(microsecond=1)))
        await session.commit()
    return [parent, full, bare, korean]


async def test_a_company_read_is_the_models_bytes(reader: Reader) -> None:
    companies = await _varied_companies(reader)
    for company in companies:
        response = await reader.http.get(f"/v1/companies/{company['id']}")
        assert response.status_code == 200
        assert response.content == await reader.model_bytes(company["id"])
        assert response.headers["content-type"] == "application/json"
        assert response.headers["etag"] == f'"{response.json()["version"]}"'
    bare = (await reader.http.get(f"/v1/companies/{companies[2]['id']}")).json()
    assert (bare["version"], bare["description"], bare["products"]) == (2, None, [])
    korean = (await reader.http.get(f"/v1/companies/{companies[3]['id']}")).json()
    assert (korean["created_at"], korean["updated_at"]) == ("2025-09-18T00:00:00Z", "2025-09-18T09:00:01Z")
    parent = (await reader.http.get(f"/v1/companies/{companies[0]['id']}")).json()
    assert parent["created_at"] == "2025-09-18T00:00:00.000001Z"


async def test_a_merged_company_redirects_with_the_same_body(reader: Reader) -> None:
    survivor = await create_company(reader.http, name={"en": unique("Survivor")}, country="JP")
    duplicate = await create_company(
        reader.http,
        name={"en": unique("Duplicate")},
        country="JP",
        identifiers={"jp_corporate_number": JP_NUMBER},
    )
    merged = await reader.http.post(
        f"/v1/companies/{survivor['id']}/merge", json={"merged_id": duplicate["id"], "reason": "same"}
    )
    assert merged.status_code == 200, merged.text
    redirect = await reader.http.get(f"/v1/companies/{duplicate['id']}")
    assert redirect.status_code == 308
    assert redirect.headers["location"] == f"/v1/companies/{survivor['id']}"
    assert redirect.json() == {"id": duplicate["id"], "status": "merged", "merged_into_id": survivor["id"]}
    assert "etag" not in redirect.headers
    moved = await reader.http.get(f"/v1/companies/{survivor['id']}")
    assert moved.content == await reader.model_bytes(survivor["id"])
    assert moved.json()["identifiers"]["jp_corporate_number"] == JP_NUMBER


async def test_an_unknown_company_is_a_404_problem(reader: Reader) -> None:
    response = await reader.http.get(f"/v1/companies/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("query", "least_pages"),
    [
        ("limit=2", 2),
        ("country=JP&limit=1", 2),  # the parent and the full record
        ("sector=cells&limit=5", 1),
        ("hs_code=8507&limit=1", 1),
        ("kind=startup", 1),
        ("q=速読&limit=1", 1),  # 2-character search (grams)
        ("q=Fast Read&limit=1", 1),  # trigram search
        ("q=sokudoku", 1),
    ],
)
async def test_every_page_is_the_models_bytes(reader: Reader, query: str, least_pages: int) -> None:
    await _varied_companies(reader)
    pages, cursor = 0, None
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        response = await reader.http.get(f"/v1/companies?{query}{suffix}")
        assert response.status_code == 200, response.text
        page = response.json()
        assert response.content == await reader.page_bytes(page)
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None or pages == 4:
            break
    assert pages >= least_pages


async def test_a_read_sends_nothing_through_the_orm(reader: Reader) -> None:
    company = await create_company(reader.http, sectors=["cells"])
    sent: list[str] = []

    def record(*args: Any) -> None:
        sent.append(str(args[2]))

    event.listen(reader.engine.sync_engine, "before_cursor_execute", record)
    try:
        assert (await reader.http.get(f"/v1/companies/{company['id']}")).status_code == 200
        assert (await reader.http.get("/v1/companies?limit=3")).status_code == 200
    finally:
        event.remove(reader.engine.sync_engine, "before_cursor_execute", record)
    assert sent == []


async def test_the_pool_reads_in_one_statement_and_retries_a_lost_connection(
    test_database: PlazaDatabase, registry_settings: RegistrySettings
) -> None:
    import asyncpg

    pool = ReadPool(registry_settings, "plaza-registry-test-reads")
    await pool.open()
    try:
        pid = await pool.run(lambda connection: connection.fetchval("SELECT pg_backend_pid()"))
        assert await pool.run(lambda connection: repository.company_body(connection, uuid.uuid4())) is None
        admin = await asyncpg.connect(test_database.superuser_url)
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
            gone = "SELECT NOT EXISTS (SELECT FROM pg_stat_activity WHERE pid = $1)"
            for _ in range(500):  # the backend exits shortly after the signal
                if await admin.fetchval(gone, pid):
                    break
                await asyncio.sleep(0.01)
        finally:
            await admin.close()
        # The pooled connection is gone; the read goes through on a new one.
        again = await pool.run(lambda connection: connection.fetchval("SELECT pg_backend_pid()"))
        assert again != pid
    finally:
        await pool.close()


async def test_a_database_that_does_not_answer_is_a_503(registry_settings: RegistrySettings) -> None:
    nowhere = f"postgresql://plaza_registry@127.0.0.1:{free_port()}/nothing"
    pool = ReadPool(
        registry_settings.model_copy(update={"database_url": nowhere}), "plaza-registry-test-reads"
    )
    await pool.open()
    try:
        with pytest.raises(UnavailableError) as raised:
            await pool.run(lambda connection: repository.company_body(connection, uuid.uuid4()))
        assert raised.value.headers == {"Retry-After": "1"}
    finally:
        await pool.close()


async def test_the_lifespan_opens_and_closes_the_pool(
    registry_settings: RegistrySettings, partner_headers: dict[str, str]
) -> None:
    app = create_app(registry_settings)
    pool: ReadPool = app.state.read_pool
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://registry", headers=partner_headers
        ) as http:
            response = await http.get(f"/v1/companies/{uuid.uuid4()}")
        assert response.status_code == 404
        assert pool.is_open
    assert not pool.is_open
