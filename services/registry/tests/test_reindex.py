"""`python -m registry.reindex`: derived search columns recomputed from the names, idempotently."""

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from plaza_dev.testing import PlazaDatabase
from registry.companies.derived import derived_columns
from registry.reindex import reindex


async def test_stale_search_columns_are_recomputed_once(
    test_database: PlazaDatabase, registry_engine: AsyncEngine
) -> None:
    company_id = uuid.uuid4()
    async with registry_engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO registry.company (id, kind, status, country, name_ko, name_en, version) "
                "VALUES (:id, 'company', 'active', 'KR', '재색인소재', 'Reindex Materials', 1)"
            ),
            {"id": company_id},
        )  # stored without its derived columns, as rows from before a migration would be
    assert await reindex(test_database.url("registry")) >= 1
    async with registry_engine.connect() as connection:
        row = (
            await connection.execute(
                text("SELECT name_keys, search_document, search_grams FROM registry.company WHERE id = :id"),
                {"id": company_id},
            )
        ).one()
    expected = derived_columns("재색인소재", None, "Reindex Materials", None, None)
    assert (row.name_keys, row.search_document, row.search_grams) == (
        expected["name_keys"],
        expected["search_document"],
        expected["search_grams"],
    )
    assert await reindex(test_database.url("registry")) == 0
    async with registry_engine.begin() as connection:
        await connection.execute(text("DELETE FROM registry.company WHERE id = :id"), {"id": company_id})
