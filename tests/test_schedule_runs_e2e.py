"""Schedule all on the demo plaza, end to end through the gateway: KOTRA starts a run (202 + Location),
follows it to `finished`, reads the draft (the three accepted requests placed around the six meetings
already booked, which stay), checks it with the independent checker, publishes it, and the meetings are
booked with their tables and interpreters; a company's client sees none of it."""

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from meetings.scheduling.checker import check
from meetings.scheduling.instance import load_instance
from meetings.scheduling.result import Placement, Result
from plaza_contracts.demo import DEMO_COMPANIES, DEMO_EVENT_ID
from plaza_dev.stack import Stack
from plaza_kit.scopes import Scope

from .conftest import MadeClient

pytestmark = pytest.mark.e2e
RUNS = f"/v1/events/{DEMO_EVENT_ID}/schedule-runs"


@pytest.fixture
def kotra(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=stack.gateway_url, headers={"X-API-Key": stack.key("kotra")}, timeout=30
    ) as http:
        yield http


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: {response.text}"
    )
    return response.json()


def _follow(kotra: httpx.Client, location: str) -> dict[str, Any]:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        run = _ok(kotra.get(location))
        if run["status"] not in ("queued", "running"):
            return dict(run)
        time.sleep(0.2)
    raise AssertionError(f"{location} did not finish")


def test_schedule_all_on_the_demo_plaza(
    stack: Stack, kotra: httpx.Client, make_client: Callable[..., MadeClient]
) -> None:
    before = _ok(kotra.get("/v1/meetings", params={"event_id": str(DEMO_EVENT_ID), "limit": 100}))["items"]
    started = kotra.post(RUNS, json={"time_limit_seconds": 20})
    run = _ok(started, 202)
    location = started.headers["location"]
    assert location == f"{RUNS}/{run['id']}"

    run = _follow(kotra, location)
    assert run["status"] == "finished", run
    assert run["solver_status"] == "optimal"
    assert run["requests_to_place"] == 3
    assert run["fixed_meetings"] == len(before)
    assert run["unplaced"] == 0

    draft = _ok(kotra.get(f"{location}/draft"))
    placed = [p for p in draft["placements"] if p["request_id"]]
    assert len(placed) == 3
    for placement in placed:
        assert placement["table"] is not None  # the Korean firm's own table
        assert placement["interpreter"] is not None  # Korean and Japanese: no common language
        assert placement["starts_at"].endswith("+09:00")
    kept = {p["meeting_id"]: p["slot_id"] for p in draft["placements"] if p["meeting_id"]}
    assert kept == {m["id"]: m["slot_id"] for m in before}

    # The same draft, checked against the rules by the scheduling package's own checker: the instance is
    # rebuilt from what the API shows (slots, tables, interpreters), so the check is independent of the run.
    instance = _instance_from_api(draft)
    result = Result(
        status="feasible",
        solver="api",
        seconds=0,
        placements=[
            Placement(
                meeting=p["request_id"] or p["meeting_id"],
                slot=p["slot_id"],
                table=p["table"]["id"],
                interpreter=p["interpreter"]["id"] if p["interpreter"] else None,
            )
            for p in draft["placements"]
        ],
    )
    assert [v for v in check(instance, result) if "objective" not in v] == []

    company = make_client(
        Scope.MEETINGS_READ, Scope.MEETINGS_WRITE, organisation_id=DEMO_COMPANIES["hanbit-materials"]
    )
    assert httpx.get(f"{stack.gateway_url}{location}", headers={"X-API-Key": company.key}).status_code == 404

    published = _ok(kotra.post(f"{location}/publish", json={}))
    assert published["status"] == "published"
    assert published["publication"]["booked"] == 3
    after = _ok(kotra.get("/v1/meetings", params={"event_id": str(DEMO_EVENT_ID), "limit": 100}))["items"]
    assert len(after) == len(before) + 3
    by_request = {m["request_id"]: m for m in after if m["request_id"]}
    for placement in placed:
        meeting = by_request[placement["request_id"]]
        assert meeting["slot_id"] == placement["slot_id"]
        assert meeting["table"]["id"] == placement["table"]["id"]
        assert meeting["interpreter"]["id"] == placement["interpreter"]["id"]


def _instance_from_api(draft: dict[str, Any]) -> Any:
    """The rules that matter here, from the API: one meeting per company, table and interpreter per slot."""
    slots = sorted({p["slot_id"] for p in draft["placements"]})
    companies = {side["company_id"] for p in draft["placements"] for side in (p["a"], p["b"])}
    tables = {p["table"]["id"] for p in draft["placements"]}
    interpreters = {p["interpreter"]["id"] for p in draft["placements"] if p["interpreter"]}
    return load_instance(
        {
            "slots": [{"id": slot, "session": "afternoon"} for slot in slots],
            "companies": [{"id": company} for company in sorted(companies)],
            "tables": [{"id": table} for table in sorted(tables)],
            "interpreters": [{"id": i, "pairs": ["ko-ja"]} for i in sorted(interpreters)],
            "meetings": [
                {
                    "id": p["request_id"] or p["meeting_id"],
                    "companies": [p["a"]["company_id"], p["b"]["company_id"]],
                    **({"interpreter": "ko-ja"} if p["interpreter"] else {}),
                }
                for p in draft["placements"]
            ],
        }
    )
