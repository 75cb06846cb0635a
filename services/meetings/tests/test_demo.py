"""The demo plaza loads into a fresh schema, consistently, and a second load changes nothing."""

from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from meetings.demo import load_demo
from meetings.integrity import problems_of
from plaza_contracts.demo import DEMO_EVENT_ID, DEMO_ORGANISATIONS
from plaza_dev.testing import PlazaDatabase


async def test_the_demo_plaza_loads_once_and_keeps_every_invariant(
    test_database: PlazaDatabase, meetings_engine: AsyncEngine, live_client: httpx.AsyncClient, as_org: Any
) -> None:
    url = test_database.url("meetings")
    first = await load_demo(url)
    assert first > 0
    assert await load_demo(url) == 0
    assert await problems_of(meetings_engine, DEMO_EVENT_ID) == {}
    async with meetings_engine.connect() as connection:
        meetings = await connection.scalar(
            text("SELECT count(*) FROM meetings.meeting WHERE event_id = :e"), {"e": DEMO_EVENT_ID}
        )
        tables = await connection.scalar(
            text("SELECT count(*) FROM meetings.b2b_table WHERE event_id = :e AND company_id IS NOT NULL"),
            {"e": DEMO_EVENT_ID},
        )
    assert meetings == 6
    assert tables == 10  # the ten Korean firms at fixed tables
    event = (await live_client.get(f"/v1/events/{DEMO_EVENT_ID}")).json()
    assert event["starts_at"] == "2025-09-18T09:30:00+09:00"
    kotra = as_org(DEMO_ORGANISATIONS["kotra"])
    params = {"event_id": str(DEMO_EVENT_ID)}
    listed = (await live_client.get("/v1/meetings", params=params, headers=kotra)).json()["items"]
    assert len(listed) == 6
    # Korean and Japanese speakers are interpreted; Ken Sato and Kim Min-jun share English.
    assert sum(1 for item in listed if item["interpreter"] is not None) == 5
    assert {item["outcome"]["outcome"] for item in listed if item["outcome"]} == {
        "cooperation_possible",
        "follow_up",
    }
