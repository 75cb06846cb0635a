"""The lean read of "my meetings" (`bookings.lean_read`): `GET /v1/meetings` for the common request answers
the bytes the presenter path does (`to_read` → `Page[MeetingRead]`, FastAPI's answer as declared), for every
kind of caller, feedback seen from each side, outcomes in JPY and USD, a cancelled meeting, local times in
zones with half-hour and negative offsets, and page boundaries with their cursors.

The presenter path is asked for with the same query and one parameter repeated (`limit=…&limit=…`): the
lean answer declines such a request and FastAPI answers it, with the same meaning.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from plaza_dev.testing import Identities
from plaza_kit.scopes import Scope

from .helpers import STRANGER
from .plaza import Plaza, build_plaza

# Quotes, a backslash, control characters, an emoji, U+2028 and CJK: every escape the two encoders make.
AWKWARD = 'Say "쌍따옴표" \\ back\tslash\nline\x01\x1f 🔋 \u2028 電池'


@contextmanager
def statements_on(engine: AsyncEngine) -> Iterator[list[str]]:
    """The statements sent through SQLAlchemy meanwhile (the lean path sends none: it uses asyncpg)."""
    sent: list[str] = []

    def record(*args: Any) -> None:
        sent.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def _book(client: httpx.AsyncClient, plaza: Plaza, a: Any, b: Any, slot: int) -> dict[str, Any]:
    body = {
        "event_id": str(plaza.event_id),
        "company_a_id": str(a.id),
        "company_b_id": str(b.id),
        "slot_id": str(plaza.slots[slot]),
        "purpose": "export_import",
    }
    response = await client.post("/v1/meetings", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _show(client: httpx.AsyncClient, engine: AsyncEngine, zone: str, as_org: Any) -> Plaza:
    """A plaza with four meetings: feedback from both sides, outcomes in JPY and USD, one cancelled."""
    plaza = await build_plaza(
        client, engine, korean=2, japanese=3, slots=4, interpreters=2, floating_tables=1, time_zone=zone
    )
    k0, k1 = plaza.korean
    j0, j1, j2 = plaza.japanese
    first = await _book(client, plaza, j0, k0, 0)  # an interpreter: ko and ja share no language
    second = await _book(client, plaza, j1, k0, 1)
    third = await _book(client, plaza, j0, k1, 2)
    fourth = await _book(client, plaza, j2, k1, 0)
    for company, notes in ((k0, AWKWARD), (j0, "Samples in October.")):
        answer = await client.put(
            f"/v1/meetings/{first['id']}/feedback",
            json={"rating": 4, "notes": notes},
            headers=as_org(company.id),
        )
        assert answer.status_code == 200, answer.text
    rated = await client.put(
        f"/v1/meetings/{third['id']}/feedback", json={"rating": 2}, headers=as_org(k1.id)
    )
    assert rated.status_code == 200, rated.text
    outcomes = (
        (first, {"amount": "150000000", "currency": "JPY"}, AWKWARD),
        (second, {"amount": "1500.12", "currency": "USD"}, None),
    )
    for meeting, value, summary in outcomes:
        answer = await client.put(
            f"/v1/meetings/{meeting['id']}/outcome",
            json={"outcome": "cooperation_possible", "purpose": "joint_development", "estimated_value": value}
            | ({"summary": summary} if summary else {}),
        )
        assert answer.status_code == 200, answer.text
    cancelled = await client.post(f"/v1/meetings/{fourth['id']}/cancel", json={"reason": AWKWARD})
    assert cancelled.status_code == 200, cancelled.text
    async with engine.begin() as connection:
        # Values as stored by other writers (the demo, imports): more places than the currency has, ties
        # rounded half to even; whole-second timestamps; awkward names.
        await connection.execute(
            text("UPDATE meeting_outcome SET value_amount = 1500.1250 WHERE meeting_id = :id"),
            {"id": second["id"]},
        )
        await connection.execute(  # and a meeting with neither table nor interpreter
            text(
                "UPDATE meeting SET created_at = date_trunc('second', created_at), table_id = NULL, "
                "interpreter_id = NULL WHERE id = :id"
            ),
            {"id": third["id"]},
        )
        await connection.execute(
            text(
                "UPDATE registration SET company_name_ko = :name, company_name_ja = '関東電機' WHERE id = :id"
            ),
            {"name": AWKWARD, "id": j0.people[0]},
        )
    return plaza


@pytest.fixture(params=["Asia/Tokyo", "America/St_Johns", "Asia/Kolkata"])
async def plaza(
    request: pytest.FixtureRequest, live_client: httpx.AsyncClient, meetings_engine: AsyncEngine, as_org: Any
) -> Plaza:
    return await _show(live_client, meetings_engine, request.param, as_org)


def _repeated(query: str) -> str:
    """The same query with `limit` given twice: the lean answer declines it, FastAPI answers as declared."""
    parts = dict(part.split("=", 1) for part in query.split("&") if part)
    limit = parts.get("limit", "50")
    return "&".join(
        [*(f"{k}={v}" for k, v in parts.items() if k != "limit"), f"limit={limit}", f"limit={limit}"]
    )


async def _both(
    client: httpx.AsyncClient, engine: AsyncEngine, query: str, headers: dict[str, str]
) -> httpx.Response:
    """The lean answer, checked against the presenter path's bytes; the lean one sends no ORM statement."""
    with statements_on(engine) as sent:
        lean = await client.get(f"/v1/meetings?{query}", headers=headers)
    assert sent == [], "the common request went through the ORM"
    with statements_on(engine) as sent:
        full = await client.get(f"/v1/meetings?{_repeated(query)}", headers=headers)
    assert sent, "the repeated parameter did not reach the presenter path"
    assert (lean.status_code, full.status_code) == (200, 200), (lean.text, full.text)
    assert lean.content == full.content
    assert lean.headers["content-type"] == full.headers["content-type"] == "application/json"
    return lean


async def _pages(
    client: httpx.AsyncClient, engine: AsyncEngine, query: str, headers: dict[str, str]
) -> list[dict[str, Any]]:
    """Every page of `query`, each compared with the presenter path, following the lean cursors."""
    pages: list[dict[str, Any]] = []
    cursor = None
    while len(pages) < 10:
        page = (await _both(client, engine, query + (f"&cursor={cursor}" if cursor else ""), headers)).json()
        pages.append(page)
        cursor = page["next_cursor"]
        if cursor is None:
            return pages
    raise AssertionError("more pages than meetings")


async def test_every_caller_reads_the_presenters_bytes(
    live_client: httpx.AsyncClient,
    meetings_engine: AsyncEngine,
    plaza: Plaza,
    as_org: Any,
    identities: Identities,
) -> None:
    k0, k1 = plaza.korean
    j0 = plaza.japanese[0]
    event = f"event_id={plaza.event_id}"
    organiser: dict[str, str] = {}  # the client's own headers
    admin = identities.headers("admin")
    callers = [organiser, admin, as_org(k0.id), as_org(j0.id), as_org(k1.id), as_org(STRANGER)]
    queries = [
        event,
        f"{event}&registration_id={k0.people[0]}",
        f"registration_id={j0.people[0]}",
        f"{event}&company_id={k1.id}",
        f"company_id={j0.id}&registration_id={j0.people[0]}&{event}",
        f"{event}&registration_id={plaza.interpreters[0][1]}",  # the interpreter's own meetings
        f"{event}&limit=1",
        f"{event}&limit=3",
    ]
    for headers in callers:
        for query in queries:
            await _pages(live_client, meetings_engine, query, headers)
    seen = await _pages(live_client, meetings_engine, f"{event}&limit=2", organiser)
    assert [len(page["items"]) for page in seen] == [2, 2]
    mine = await _pages(
        live_client, meetings_engine, f"{event}&registration_id={k0.people[0]}", as_org(k0.id)
    )
    assert len(mine[0]["items"]) == 2
    assert (await _both(live_client, meetings_engine, event, as_org(STRANGER))).json()["items"] == []


async def test_the_lean_json_says_what_the_presenter_says(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine, plaza: Plaza, as_org: Any
) -> None:
    """Spot checks of what the bytes cover: privacy of notes, amounts, local times, a cancellation."""
    k0 = plaza.korean[0]
    j0 = plaza.japanese[0]
    query = f"event_id={plaza.event_id}&company_id={k0.id}"
    as_korean = (await _both(live_client, meetings_engine, query, as_org(k0.id))).json()["items"]
    first = as_korean[0]
    notes = {item["company_id"]: item["notes"] for item in first["feedback"]}
    assert notes == {str(k0.id): AWKWARD, str(j0.id): None}  # the other side's notes are hidden
    assert first["outcome"]["estimated_value"] == {"amount": "150000000", "currency": "JPY"}
    assert first["outcome"]["summary"] == AWKWARD
    assert first["a"]["name"]["ko"] == AWKWARD
    assert first["interpreter"]["id"] in {str(interpreter) for interpreter, _ in plaza.interpreters}
    assert as_korean[1]["outcome"]["estimated_value"] == {"amount": "1500.12", "currency": "USD"}  # half even
    as_organiser = (await _both(live_client, meetings_engine, query, {})).json()["items"]
    assert {item["notes"] for item in as_organiser[0]["feedback"]} == {AWKWARD, "Samples in October."}
    everything = (await _both(live_client, meetings_engine, f"event_id={plaza.event_id}", {})).json()["items"]
    cancelled = [item for item in everything if item["status"] == "cancelled"]
    assert [(item["cancel_reason"], item["sequence"]) for item in cancelled] == [(AWKWARD, 1)]
    starts = everything[0]["starts_at"]
    assert starts[-6:] in {"+09:00", "-02:30", "+05:30"}
    assert everything[0]["created_at"].endswith("Z")


async def test_a_page_continues_on_either_path(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine, plaza: Plaza
) -> None:
    """A cursor of the lean answer continues on the presenter path and back: they are the same cursor."""
    event = f"event_id={plaza.event_id}"
    full = (await live_client.get(f"/v1/meetings?{event}&limit=1&limit=1")).json()
    lean = (await live_client.get(f"/v1/meetings?{event}&limit=1&cursor={full['next_cursor']}")).json()
    again = (
        await live_client.get(f"/v1/meetings?{event}&limit=1&limit=1&cursor={lean['next_cursor']}")
    ).json()
    ids = [page["items"][0]["id"] for page in (full, lean, again)]
    everything = (await live_client.get(f"/v1/meetings?{event}")).json()["items"]
    assert ids == [item["id"] for item in everything[:3]]


async def test_bad_input_is_the_declared_problem(live_client: httpx.AsyncClient, plaza: Plaza) -> None:
    event = f"event_id={plaza.event_id}"
    page = (await live_client.get(f"/v1/meetings?{event}&limit=1")).json()
    other = await live_client.get(f"/v1/meetings?event_id={uuid.uuid4()}&cursor={page['next_cursor']}")
    assert other.status_code == 400
    assert other.headers["content-type"] == "application/problem+json"
    forged = await live_client.get(f"/v1/meetings?{event}&cursor=abc.def")
    assert forged.status_code == 400
    for query in ("event_id=nope", "limit=0", "limit=x", f"{event}&status=wrong"):
        answer = await live_client.get(f"/v1/meetings?{query}")
        assert answer.status_code == 422, query
    upper = await live_client.get(f"/v1/meetings?event_id={str(plaza.event_id).upper()}")
    assert upper.status_code == 200
    assert upper.content == (await live_client.get(f"/v1/meetings?{event}")).content


async def test_the_read_needs_an_identity_and_the_scope(
    live_client: httpx.AsyncClient, plaza: Plaza, identities: Identities
) -> None:
    path = f"/v1/meetings?event_id={plaza.event_id}"
    anonymous = await live_client.get(path, headers={"X-Plaza-Identity": ""})
    assert anonymous.status_code == 401
    unscoped = await live_client.get(path, headers=identities.headers(Scope.REGISTRY_READ))
    assert unscoped.status_code == 403
