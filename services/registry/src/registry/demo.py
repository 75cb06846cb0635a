"""Loads the demo data idempotently: fixed ids, `ON CONFLICT DO NOTHING`, so reruns change nothing.

`python -m registry.demo [database-url]` (defaults to `REGISTRY_DATABASE_URL`).
"""

import asyncio
import os
import sys
import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from plaza_contracts import deterministic_uuid7
from plaza_kit.settings import asyncpg_url
from registry.companies.derived import derived_columns
from registry.companies.models import Company, CompanySector
from registry.demo_data import CONSORTIUM_MEMBERS, DEMO_BODIES, PARENTS, REGIONS, SECTORS, owner_of
from registry.organisations.models import Membership

# The day of the plaza: demo ids carry this time, one millisecond apart, so they list in the order above.
_EPOCH_MS = int(datetime(2025, 9, 18, tzinfo=UTC).timestamp() * 1000)
_CREATED_AT = datetime(2025, 9, 18, tzinfo=UTC)
CONSORTIUM = "aichi-battery-consortium"


def demo_id(key: str) -> uuid.UUID:
    """The fixed id of a demo entry."""
    index = next(i for i, body in enumerate(DEMO_BODIES) if body.key == key)
    return deterministic_uuid7(_EPOCH_MS + index, f"plaza-demo:{key}")


def _company_rows() -> list[dict[str, Any]]:
    return [
        {
            "id": demo_id(body.key),
            "kind": body.kind,
            "status": "active",
            "country": body.country,
            "name_ko": body.ko,
            "name_ja": body.ja,
            "name_en": body.en,
            "region": REGIONS.get(body.key),
            "parent_id": demo_id(PARENTS[body.key]) if body.key in PARENTS else None,
            "owner_organisation_id": demo_id(owner_of(body.key, body.country)),
            "version": 1,
            "created_at": _CREATED_AT,
            "updated_at": _CREATED_AT,
            **derived_columns(body.ko, body.ja, body.en, None, None),
        }
        for body in DEMO_BODIES
    ]


def _membership_rows() -> list[dict[str, Any]]:
    return [
        {
            "id": deterministic_uuid7(_EPOCH_MS, f"plaza-demo-membership:{member}"),
            "organisation_id": demo_id(CONSORTIUM),
            "member_id": demo_id(member),
            "role": role,
            "joined_on": date.fromisoformat(joined),
        }
        for member, role, joined in CONSORTIUM_MEMBERS
    ]


async def _insert(connection: AsyncConnection) -> int:
    companies = await connection.execute(
        insert(Company)
        .values(_company_rows())
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(Company.id)
    )
    sectors = [
        {"company_id": demo_id(key), "sector_code": code} for key, codes in SECTORS.items() for code in codes
    ]
    await connection.execute(insert(CompanySector).values(sectors).on_conflict_do_nothing())
    await connection.execute(insert(Membership).values(_membership_rows()).on_conflict_do_nothing())
    return len(companies.all())


async def load_demo(database_url: str) -> int:
    """Insert the demo bodies, their sectors and the consortium's members that are missing; returns how
    many bodies were inserted."""
    engine = create_async_engine(asyncpg_url(database_url), poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            return await _insert(connection)
    finally:
        await engine.dispose()


def load_demo_sync(database_url: str) -> None:
    """Blocking wrapper for the run command."""
    asyncio.run(load_demo(database_url))


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ["REGISTRY_DATABASE_URL"]
    print(f"demo bodies inserted: {asyncio.run(load_demo(url))}")
