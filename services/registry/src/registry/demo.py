"""Loads the demo data idempotently: fixed ids, `ON CONFLICT DO NOTHING`, so reruns change nothing.

`python -m registry.demo [database-url]` (defaults to `REGISTRY_DATABASE_URL`).
"""

import asyncio
import os
import sys
import uuid
from datetime import UTC, datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from plaza_contracts import deterministic_uuid7
from plaza_kit.settings import asyncpg_url
from registry.companies.models import Company
from registry.demo_data import DEMO_BODIES

# The day of the plaza: demo ids carry this time, one millisecond apart, so they list in the order above.
_EPOCH_MS = int(datetime(2025, 9, 18, tzinfo=UTC).timestamp() * 1000)


def demo_id(key: str) -> uuid.UUID:
    """The fixed id of a demo entry."""
    index = next(i for i, body in enumerate(DEMO_BODIES) if body.key == key)
    return deterministic_uuid7(_EPOCH_MS + index, f"plaza-demo:{key}")


async def load_demo(database_url: str) -> int:
    """Insert the demo bodies that are missing; returns how many were inserted."""
    engine = create_async_engine(asyncpg_url(database_url), poolclass=NullPool)
    created_at = datetime(2025, 9, 18, tzinfo=UTC)
    rows = [
        {
            "id": demo_id(body.key),
            "kind": body.kind,
            "country": body.country,
            "name_ko": body.ko,
            "name_ja": body.ja,
            "name_en": body.en,
            "version": 1,
            "created_at": created_at,
            "updated_at": created_at,
        }
        for body in DEMO_BODIES
    ]
    try:
        async with engine.begin() as connection:
            result = await connection.execute(
                insert(Company)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["id"])
                .returning(Company.id)
            )
            return len(result.all())
    finally:
        await engine.dispose()


def load_demo_sync(database_url: str) -> None:
    """Blocking wrapper for the run command."""
    asyncio.run(load_demo(database_url))


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ["REGISTRY_DATABASE_URL"]
    print(f"demo bodies inserted: {asyncio.run(load_demo(url))}")
