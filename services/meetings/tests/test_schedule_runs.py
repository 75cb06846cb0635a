"""Schedule runs through the API: start (202), follow, draft, publish through the guarantee, conflicts,
re-solving the rest, moving unlocked meetings, cancelling, and runs whose process dies.

Runs are committed for real (`live_client`): the solver runs in a child process supervised by the app, and
its writes come through their own connections. Every draft is checked with the scheduling checker against
the instance the run stored, and every published event with the integrity check.
"""

import asyncio
import io
import json
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from meetings.bookings.models import Meeting
from meetings.integrity import assert_consistent
from meetings.schedule_runs import worker
from meetings.schedule_runs.models import ScheduleRun
from meetings.scheduling import generate
from meetings.scheduling.checker import check
from meetings.scheduling.instance import load_instance
from meetings.scheduling.result import Result
from meetings.settings import MeetingsSettings
from plaza_contracts import uuid7

from .conftest import committing_client
from .plaza import Company, Plaza, build_plaza

SLEEPER = [sys.executable, "-c", "import sys, time; sys.stdin.read(); time.sleep(120)"]
CRASHER = [sys.executable, "-c", "import sys; sys.stdin.read(); sys.exit('solver blew up')"]


@pytest.fixture
async def sleepy_client(
    meetings_engine: AsyncEngine, meetings_settings: MeetingsSettings, organiser_headers: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with a solver process that never answers (to cancel it or kill it)."""
    settings = meetings_settings.model_copy(
        update={"scheduler_command": SLEEPER, "scheduler_stale_seconds": 5}
    )
    async with committing_client(meetings_engine, settings, organiser_headers) as http:
        yield http


async def _accepted(client: httpx.AsyncClient, plaza: Plaza, requester: Company, requested: Company) -> str:
    """An accepted request without a slot (what a run places)."""
    created = await client.post(
        f"/v1/events/{plaza.event_id}/requests", json=plaza.request_body(requester, requested)
    )
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    accepted = await client.post(f"/v1/events/{plaza.event_id}/requests/{request_id}/accept", json={})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["meeting"] is None
    return str(request_id)


async def _book(client: httpx.AsyncClient, plaza: Plaza, a: Company, b: Company, slot: uuid.UUID) -> str:
    body = {
        "event_id": str(plaza.event_id),
        "company_a_id": str(a.id),
        "company_b_id": str(b.id),
        "slot_id": str(slot),
    }
    response = await client.post("/v1/meetings", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _start(client: httpx.AsyncClient, plaza: Plaza, **body: Any) -> str:
    response = await client.post(f"/v1/events/{plaza.event_id}/schedule-runs", json=body)
    assert response.status_code == 202, response.text
    location = response.headers["location"]
    assert location == f"/v1/events/{plaza.event_id}/schedule-runs/{response.json()['id']}"
    assert response.json()["status"] == "queued"
    return location


async def _wait(client: httpx.AsyncClient, location: str, *until: str, limit: float = 60) -> dict[str, Any]:
    wanted = until or ("finished", "failed", "cancelled")
    async with asyncio.timeout(limit):
        while True:
            run = (await client.get(location)).json()
            if run["status"] in wanted:
                return dict(run)
            await asyncio.sleep(0.1)


async def _checked_draft(client: httpx.AsyncClient, engine: AsyncEngine, location: str) -> dict[str, Any]:
    """The draft, after checking the stored result against the stored instance with the checker."""
    run_id = uuid.UUID(location.rsplit("/", 1)[1])
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                select(ScheduleRun.instance, ScheduleRun.result).where(ScheduleRun.id == run_id)
            )
        ).one()
    assert check(load_instance(row.instance), Result.model_validate(row.result)) == []
    response = await client.get(f"{location}/draft")
    assert response.status_code == 200, response.text
    return dict(response.json())


async def _live_meetings(engine: AsyncEngine, event_id: uuid.UUID) -> list[Any]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(Meeting).where(Meeting.event_id == event_id, Meeting.status != "cancelled")
        )
        return list(rows)


async def test_a_run_places_every_request_and_publishing_books_them(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine
) -> None:
    plaza = await build_plaza(live_client, meetings_engine, korean=3, japanese=4, slots=4, interpreters=3)
    requests = [await _accepted(live_client, plaza, j, k) for k in plaza.korean for j in plaza.japanese[:3]]
    fixed = await _book(live_client, plaza, plaza.japanese[3], plaza.korean[0], plaza.slots[0])

    location = await _start(live_client, plaza, time_limit_seconds=20)
    run = await _wait(live_client, location)
    assert run["status"] == "finished", run
    assert run["solver_status"] == "optimal"
    assert run["requests_to_place"] == 9
    assert run["fixed_meetings"] == 1
    assert run["placed"] == 10
    assert run["unplaced"] == 0
    assert run["objective"]["placed_weight"] == 30  # every meeting, priority 3 each
    assert run["progress"]["phase"] == "done"

    draft = await _checked_draft(live_client, meetings_engine, location)
    assert sorted(p["request_id"] for p in draft["placements"] if p["request_id"]) == sorted(requests)
    kept = next(p for p in draft["placements"] if p["meeting_id"] == fixed)
    assert kept["fixed"] is True
    assert kept["slot_id"] == str(plaza.slots[0])
    assert all(p["table"] is not None and p["interpreter"] is not None for p in draft["placements"])
    assert draft["placements"][0]["starts_at"].endswith("+09:00")  # the event's time

    published = await live_client.post(f"{location}/publish", json={})
    assert published.status_code == 200, published.text
    body = published.json()
    assert body["status"] == "published"
    assert body["publication"] == {
        "booked": 9,
        "moved": 0,
        "unchanged": 0,
        "conflicts": [],
        "follow_up_run_id": None,
    }
    meetings = await _live_meetings(meetings_engine, plaza.event_id)
    assert len(meetings) == 10
    assert all(m.locked for m in meetings if str(m.id) != fixed)
    by_request = {str(m.request_id): m for m in meetings if m.request_id}
    for placement in draft["placements"]:
        if placement["request_id"]:
            booked = by_request[placement["request_id"]]
            assert str(booked.slot_id) == placement["slot_id"]
            assert str(booked.table_id) == placement["table"]["id"]
    await assert_consistent(meetings_engine, plaza.event_id)

    again = await live_client.post(f"{location}/publish", json={})
    assert again.status_code == 409
    assert again.json()["run_status"] == "published"
    rerun = await _wait(live_client, await _start(live_client, plaza, time_limit_seconds=5))
    assert rerun["requests_to_place"] == 0
    assert rerun["fixed_meetings"] == 10


async def test_meetings_booked_since_the_run_win_and_resolve_places_the_rest(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine
) -> None:
    # three interpreters: the interloper's own interpreter leaves the draft's other meetings theirs
    plaza = await build_plaza(live_client, meetings_engine, korean=2, japanese=3, slots=4, interpreters=3)
    for k in plaza.korean:
        for j in plaza.japanese[:2]:
            await _accepted(live_client, plaza, j, k)
    location = await _start(live_client, plaza, time_limit_seconds=20)
    assert (await _wait(live_client, location))["status"] == "finished"
    draft = await _checked_draft(live_client, meetings_engine, location)
    victim = draft["placements"][0]
    korean = next(
        k for k in plaza.korean if str(k.id) in (victim["a"]["company_id"], victim["b"]["company_id"])
    )
    interloper = await _book(live_client, plaza, plaza.japanese[2], korean, uuid.UUID(victim["slot_id"]))

    refused = await live_client.post(f"{location}/publish", json={"on_conflict": "fail"})
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["type"].endswith("schedule-conflicts")
    assert [c["request_id"] for c in problem["conflicts"]] == [victim["request_id"]]
    assert problem["conflicts"][0]["problem"]["status"] == 409
    assert [str(m.id) for m in await _live_meetings(meetings_engine, plaza.event_id)] == [
        interloper
    ]  # nothing

    resolved = await live_client.post(f"{location}/publish", json={"on_conflict": "resolve"})
    assert resolved.status_code == 200, resolved.text
    publication = resolved.json()["publication"]
    assert publication["booked"] == 3
    assert len(publication["conflicts"]) == 1
    follow_up = f"/v1/events/{plaza.event_id}/schedule-runs/{publication['follow_up_run_id']}"
    rest = await _wait(live_client, follow_up)
    assert rest["status"] == "finished"
    assert rest["requests_to_place"] == 1
    assert rest["placed"] == 5  # the 3 published, the interloper, and the one re-solved
    assert (await live_client.post(f"{follow_up}/publish", json={})).status_code == 200
    assert len(await _live_meetings(meetings_engine, plaza.event_id)) == 5
    await assert_consistent(meetings_engine, plaza.event_id)


async def test_reschedule_unlocked_moves_a_meeting_and_bumps_its_sequence(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine
) -> None:
    plaza = await build_plaza(live_client, meetings_engine, korean=1, japanese=3, slots=4, interpreters=2)
    korean, (j1, j2, j3) = plaza.korean[0], plaza.japanese
    in_the_way = await _book(live_client, plaza, j1, korean, plaza.slots[1])
    for buyer in (j2, j3):  # free only in slots 1 and 3
        blocked = await live_client.post(
            f"/v1/events/{plaza.event_id}/blocked-slots",
            json={
                "registration_id": str(buyer.people[0]),
                "slot_ids": [str(plaza.slots[0]), str(plaza.slots[2])],
            },
        )
        assert blocked.status_code == 201, blocked.text
        await _accepted(live_client, plaza, buyer, korean)

    kept = await _wait(live_client, await _start(live_client, plaza, time_limit_seconds=20))
    assert kept["placed"] == 2
    assert kept["unplaced"] == 1
    locked = await live_client.post(f"/v1/meetings/{in_the_way}/lock")
    assert locked.status_code == 200
    assert locked.json()["locked"] is True
    held = await _wait(
        live_client, await _start(live_client, plaza, time_limit_seconds=20, reschedule_unlocked=True)
    )
    assert held["movable_meetings"] == 0  # a locked meeting stays, whatever the run may do
    assert held["placed"] == 2
    unlocked = await live_client.post(f"/v1/meetings/{in_the_way}/unlock")
    assert unlocked.json()["locked"] is False
    location = await _start(live_client, plaza, time_limit_seconds=20, reschedule_unlocked=True)
    run = await _wait(live_client, location)
    assert run["movable_meetings"] == 1
    assert run["placed"] == 3
    assert run["solver_status"] == "optimal"
    draft = await _checked_draft(live_client, meetings_engine, location)
    moved = next(p for p in draft["placements"] if p["meeting_id"] == in_the_way)
    assert moved["moved"] is True
    assert moved["slot_id"] in (str(plaza.slots[0]), str(plaza.slots[2]))

    published = await live_client.post(f"{location}/publish", json={})
    assert published.status_code == 200, published.text
    assert published.json()["publication"]["moved"] == 1
    meeting = (await live_client.get(f"/v1/meetings/{in_the_way}")).json()
    assert meeting["slot_id"] == moved["slot_id"]
    assert meeting["sequence"] == 1
    assert meeting["locked"] is True  # published
    await assert_consistent(meetings_engine, plaza.event_id)


async def test_a_cancelled_run_kills_its_process_and_one_run_at_a_time(
    sleepy_client: httpx.AsyncClient, meetings_engine: AsyncEngine
) -> None:
    plaza = await build_plaza(sleepy_client, meetings_engine)
    await _accepted(sleepy_client, plaza, plaza.japanese[0], plaza.korean[0])
    location = await _start(sleepy_client, plaza, time_limit_seconds=60)
    running = await _wait(sleepy_client, location, "running")
    pid = await _worker_pid(meetings_engine, location)

    second = await sleepy_client.post(f"/v1/events/{plaza.event_id}/schedule-runs", json={})
    assert second.status_code == 409
    assert second.json()["run_id"] == running["id"]
    assert (await sleepy_client.get(f"{location}/draft")).status_code == 409  # no schedule yet

    cancelled = await sleepy_client.post(f"{location}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    await _gone(pid)
    assert (await sleepy_client.get(location)).json()["status"] == "cancelled"
    assert (await sleepy_client.post(f"{location}/cancel")).status_code == 200  # again: nothing changes
    assert (await sleepy_client.post(f"{location}/publish", json={})).status_code == 409


async def test_a_run_whose_process_dies_is_failed(
    sleepy_client: httpx.AsyncClient, meetings_engine: AsyncEngine
) -> None:
    plaza = await build_plaza(sleepy_client, meetings_engine)
    await _accepted(sleepy_client, plaza, plaza.japanese[0], plaza.korean[0])
    location = await _start(sleepy_client, plaza, time_limit_seconds=60)
    await _wait(sleepy_client, location, "running")
    os.kill(await _worker_pid(meetings_engine, location), signal.SIGKILL)
    failed = await _wait(sleepy_client, location, "failed", limit=10)
    assert "killed (signal 9)" in failed["error"]
    again = await _start(sleepy_client, plaza, time_limit_seconds=60)  # the failed run blocks nothing
    assert (await sleepy_client.post(f"{again}/cancel")).status_code == 200


async def test_a_crashing_solver_fails_the_run_with_its_message(
    meetings_engine: AsyncEngine, meetings_settings: MeetingsSettings, organiser_headers: dict[str, str]
) -> None:
    settings = meetings_settings.model_copy(update={"scheduler_command": CRASHER})
    async with committing_client(meetings_engine, settings, organiser_headers) as client:
        plaza = await build_plaza(client, meetings_engine)
        failed = await _wait(client, await _start(client, plaza), "failed", limit=20)
    assert "exit status 1" in failed["error"]
    assert "solver blew up" in failed["error"]


async def test_a_run_left_without_heartbeat_reads_as_failed(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine
) -> None:
    plaza = await build_plaza(live_client, meetings_engine)
    orphan = uuid7()  # ids sort by creation: it is the older run
    async with meetings_engine.begin() as connection:  # a run whose service died long ago
        await connection.execute(
            text(
                "INSERT INTO schedule_run (id, event_id, status, options, instance, skipped, progress, "
                "time_limit_seconds, requested_by, heartbeat_at, version) VALUES (:id, :event, 'running', "
                """'{"solver": {"time_limit": 10, "fairness": null, "seed": 0}}', """
                """'{"meetings": []}', '[]', """
                """'{"phase": "running"}', 10, 'test', now() - interval '1 hour', 1)"""
            ),
            {"id": orphan, "event": plaza.event_id},
        )
    run = (await live_client.get(f"/v1/events/{plaza.event_id}/schedule-runs/{orphan}")).json()
    assert run["status"] == "failed"
    assert "no heartbeat" in run["error"]
    await _wait(live_client, await _start(live_client, plaza, time_limit_seconds=5))
    listed = (await live_client.get(f"/v1/events/{plaza.event_id}/schedule-runs")).json()["items"]
    assert [item["status"] for item in listed] == ["finished", "failed"]  # newest first


async def test_runs_are_the_organisers_alone(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine, as_org: Any
) -> None:
    plaza = await build_plaza(live_client, meetings_engine)
    location = await _start(live_client, plaza, time_limit_seconds=5)
    await _wait(live_client, location)
    company = as_org(plaza.korean[0].id, "meetings:read", "meetings:write", "meetings:organise")
    for method, path in (("GET", location), ("GET", f"{location}/draft"), ("POST", f"{location}/publish")):
        response = await live_client.request(
            method, path, headers=company, json={} if method == "POST" else None
        )
        assert response.status_code == 404, (path, response.text)
    started = await live_client.post(f"/v1/events/{plaza.event_id}/schedule-runs", json={}, headers=company)
    assert started.status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"time_limit_seconds": 0}, 422),
        ({"time_limit_seconds": 601}, 422),  # over the service's maximum (600)
        ({"fairness": -1}, 422),
        ({"sessions": [{"request_id": str(uuid.uuid4()), "session": "morning"}]}, 422),
        ({"precedences": [{"request_id": str(uuid.uuid4()), "after": [str(uuid.uuid4())]}]}, 422),
        ({"seed": "zero"}, 422),
        ({"time_limit_seconds": "10"}, 422),  # numbers are numbers
        ({"reschedule_unlocked": 0}, 422),  # and booleans booleans
    ],
)
async def test_bad_run_options_are_422(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine, body: dict[str, Any], status: int
) -> None:
    plaza = await build_plaza(live_client, meetings_engine, korean=1, japanese=1)
    response = await live_client.post(f"/v1/events/{plaza.event_id}/schedule-runs", json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def _worker_pid(engine: AsyncEngine, location: str) -> int:
    run_id = uuid.UUID(location.rsplit("/", 1)[1])
    async with asyncio.timeout(10):
        while True:
            async with engine.connect() as connection:
                pid = await connection.scalar(select(ScheduleRun.worker_pid).where(ScheduleRun.id == run_id))
            if pid:
                return int(pid)
            await asyncio.sleep(0.05)


async def _gone(pid: int) -> None:
    async with asyncio.timeout(10):
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            await asyncio.sleep(0.1)


def test_the_worker_reports_progress_then_the_result() -> None:
    """The solver process's conversation: JSON lines, the greedy schedule first, then the exact solver's
    stages with their bounds, then a result that passes the checker."""
    instance = generate.plaza()
    job = {"instance": instance.model_dump(mode="json"), "time_limit": 10, "fairness": None, "seed": 0}
    out = io.StringIO()
    assert worker.run(io.StringIO(json.dumps(job)), out) == 0
    messages = [json.loads(line) for line in out.getvalue().splitlines()]
    progress = [m["progress"] for m in messages if "progress" in m]
    assert progress[0]["placed"] > 0
    assert progress[0]["best_objective"]["placed_weight"] > 0  # the greedy schedule
    stages = [p["stage"] for p in progress[1:]]
    assert stages[0] == "placed_weight"
    assert "breaks" in stages
    assert any(p["bound"] is not None for p in progress[1:])
    assert "result" in messages[-1]
    result = Result.model_validate(messages[-1]["result"])
    assert check(instance, result) == []
    final = progress[-1]["best_objective"]
    assert final == (result.objective.model_dump() if result.objective else None)
