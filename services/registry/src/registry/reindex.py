"""Recompute the columns derived from company names (duplicate keys, search document, short-query grams).

They are computed by the code in `registry.names` on every write. When those rules change — or for rows
stored before a migration added the columns — this recomputes them for every company, in batches, in one
transaction per batch. Migrations never do it themselves: they must not import the service's code, whose
rules may have changed since the migration was written.

`python -m registry.reindex [database-url]` (defaults to `REGISTRY_DATABASE_URL`); deploy's migrate step
runs it after the migrations. Idempotent: a second run changes nothing.
"""

import asyncio
import os
import sys
import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from plaza_kit.settings import asyncpg_url
from registry.companies.derived import derived_columns

BATCH = 1000
_PAGE = text(
    "SELECT id, name_ko, name_ja, name_en, name_ja_kana, name_latin, status, name_keys, search_document, "
    "search_grams FROM registry.company WHERE id > :after ORDER BY id LIMIT :limit"
)
_UPDATE = text(
    "UPDATE registry.company SET name_keys = :name_keys, search_document = :search_document, "
    "search_grams = :search_grams WHERE id = :id"
)


async def reindex(database_url: str) -> int:
    """Recompute the derived columns of every company whose stored values differ; returns how many."""
    engine = create_async_engine(asyncpg_url(database_url), poolclass=NullPool)
    changed, after = 0, uuid.UUID(int=0)
    try:
        while True:
            async with engine.begin() as connection:
                rows = (await connection.execute(_PAGE, {"after": after, "limit": BATCH})).all()
                updates = []
                for row in rows:
                    derived = derived_columns(
                        row.name_ko, row.name_ja, row.name_en, row.name_ja_kana, row.name_latin
                    )
                    if row.status == "merged":  # a redirect keeps no duplicate keys or short grams
                        derived = {**derived, "name_keys": [], "search_grams": []}
                    stored = {
                        "name_keys": row.name_keys,
                        "search_document": row.search_document,
                        "search_grams": row.search_grams,
                    }
                    if derived != stored:
                        updates.append({"id": row.id, **derived})
                if updates:
                    await connection.execute(_UPDATE, updates)
            changed += len(updates)
            if len(rows) < BATCH:
                return changed
            after = rows[-1].id
    finally:
        await engine.dispose()


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ["REGISTRY_DATABASE_URL"]
    print(f"companies reindexed: {asyncio.run(reindex(url))}")
