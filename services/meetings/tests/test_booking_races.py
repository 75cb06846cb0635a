"""The guarantee under concurrency: many accepts and moves fired at one slot at once, exactly one wins;
random operation sequences never leave a double booking behind.

Requests run concurrently through the app (each on its own database connection), so PostgreSQL sees real
overlapping transactions; the stored state is then re-checked by `invariants.assert_consistent`.
"""

import asyncio
import random
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from meetings.integrity import assert_consistent, live_meetings_in

from .plaza import Plaza, build_plaza


async def _request(client: httpx.AsyncClient, plaza: Plaza, body: dict[str, Any]) -> str:
    response = await client.post(f"/v1/events/{plaza.event_id}/requests", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _book(client: httpx.AsyncClient, plaza: Plaza, a: uuid.UUID, b: uuid.UUID, slot: uuid.UUID) -> str:
    body = {
        "event_id": str(plaza.event_id),
        "company_a_id": str(a),
        "company_b_id": str(b),
        "slot_id": str(slot),
    }
    response = await client.post("/v1/meetings", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


@pytest.mark.parametrize("round_", range(3))
async def test_many_accepts_and_moves_at_one_slot_exactly_one_wins(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine, round_: int
) -> None:
    plaza = await build_plaza(live_client, meetings_engine, korean=1, japanese=12, slots=4, interpreters=12)
    korean = plaza.korean[0]
    requests = [
        await _request(live_client, plaza, plaza.request_body(j, korean)) for j in plaza.japanese[:10]
    ]
    movers = [
        await _book(live_client, plaza, plaza.japanese[10].id, korean.id, plaza.slots[1]),
        await _book(live_client, plaza, plaza.japanese[11].id, korean.id, plaza.slots[2]),
    ]
    target = plaza.slots[round_ % 2 * 3]  # slot 0 or 3: free before the race
    accepts = [
        live_client.post(f"/v1/events/{plaza.event_id}/requests/{r}/accept", json={"slot_id": str(target)})
        for r in requests
    ]
    moves = [live_client.post(f"/v1/meetings/{m}/reschedule", json={"slot_id": str(target)}) for m in movers]
    answers = await asyncio.gather(*accepts, *moves)
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [200] + [409] * 11, [
        answer.text for answer in answers if answer.status_code not in (200, 409)
    ]
    for lost in (answer for answer in answers if answer.status_code == 409):
        problem = lost.json()
        assert problem["type"].endswith("/slot-taken"), problem
        assert any(item["resource"]["id"] == str(korean.id) for item in problem["taken"]), problem
        assert all(slot["slot_id"] != str(target) for slot in problem["next_free_slots"])
    assert await live_meetings_in(meetings_engine, plaza.event_id, target) == 1
    await assert_consistent(meetings_engine, plaza.event_id)


@pytest.mark.parametrize("round_", range(3))
async def test_opposite_moves_of_one_firms_meetings_do_not_deadlock(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine, round_: int
) -> None:
    plaza = await build_plaza(live_client, meetings_engine, korean=1, japanese=2, slots=3, interpreters=2)
    korean = plaza.korean[0]
    first = await _book(live_client, plaza, plaza.japanese[0].id, korean.id, plaza.slots[0])
    second = await _book(live_client, plaza, plaza.japanese[1].id, korean.id, plaza.slots[1])
    answers = await asyncio.gather(
        live_client.post(f"/v1/meetings/{first}/reschedule", json={"slot_id": str(plaza.slots[1])}),
        live_client.post(f"/v1/meetings/{second}/reschedule", json={"slot_id": str(plaza.slots[0])}),
    )
    # Each finds the other's committed claim: two 409s, never a deadlock's 503.
    assert [answer.status_code for answer in answers] == [409, 409], [answer.text for answer in answers]
    await assert_consistent(meetings_engine, plaza.event_id)


async def test_racing_meetings_of_different_firms_share_one_interpreter_once(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine
) -> None:
    plaza = await build_plaza(live_client, meetings_engine, korean=6, japanese=6, slots=2, interpreters=1)
    requests = [
        await _request(live_client, plaza, plaza.request_body(j, k))
        for j, k in zip(plaza.japanese, plaza.korean, strict=True)
    ]
    answers = await asyncio.gather(
        *(
            live_client.post(
                f"/v1/events/{plaza.event_id}/requests/{r}/accept", json={"slot_id": str(plaza.slots[0])}
            )
            for r in requests
        )
    )
    assert sorted(answer.status_code for answer in answers) == [200] + [409] * 5
    for lost in (answer for answer in answers if answer.status_code == 409):
        problem = lost.json()
        named = {item["resource"]["role"] for item in problem.get("taken", [])}
        assert named == {"interpreter"} or problem.get("missing") == "interpreter", problem
    await assert_consistent(meetings_engine, plaza.event_id)


class Driver:
    """Random operations against one plaza, as partners and organisers would send them."""

    def __init__(self, client: httpx.AsyncClient, plaza: Plaza, rng: random.Random) -> None:
        self.client, self.plaza, self.rng = client, plaza, rng
        self.requests: list[str] = []
        self.meetings: list[str] = []
        self.codes: list[int] = []

    def _slot(self) -> str:
        return str(self.rng.choice(self.plaza.slots))

    async def step(self) -> None:
        operation = self.rng.choice(
            ["request", "request", "accept", "accept", "decline", "move", "move", "cancel", "book"]
        )
        await getattr(self, operation)()

    def _record(self, response: httpx.Response) -> httpx.Response:
        self.codes.append(response.status_code)
        assert response.status_code < 500, response.text
        return response

    async def request(self) -> None:
        a, b = self.rng.choice(self.plaza.japanese), self.rng.choice(self.plaza.korean)
        if self.rng.random() < 0.5:
            a, b = b, a
        extra = {"proposed_slot_id": self._slot()} if self.rng.random() < 0.4 else {}
        response = self._record(
            await self.client.post(
                f"/v1/events/{self.plaza.event_id}/requests", json=self.plaza.request_body(a, b, **extra)
            )
        )
        if response.status_code == 201:
            self.requests.append(response.json()["id"])

    async def accept(self) -> None:
        if not self.requests:
            return
        body = {"slot_id": self._slot()} if self.rng.random() < 0.8 else {}
        path = f"/v1/events/{self.plaza.event_id}/requests/{self.rng.choice(self.requests)}/accept"
        response = self._record(await self.client.post(path, json=body))
        if response.status_code == 200 and response.json()["meeting"]:
            self.meetings.append(response.json()["meeting"]["id"])

    async def decline(self) -> None:
        if self.requests:
            action = self.rng.choice(["decline", "withdraw"])
            path = f"/v1/events/{self.plaza.event_id}/requests/{self.rng.choice(self.requests)}/{action}"
            self._record(await self.client.post(path, json={}))

    async def move(self) -> None:
        if self.meetings:
            path = f"/v1/meetings/{self.rng.choice(self.meetings)}/reschedule"
            self._record(await self.client.post(path, json={"slot_id": self._slot()}))

    async def cancel(self) -> None:
        if self.meetings:
            self._record(
                await self.client.post(f"/v1/meetings/{self.rng.choice(self.meetings)}/cancel", json={})
            )

    async def book(self) -> None:
        a, b = self.rng.choice(self.plaza.japanese), self.rng.choice(self.plaza.korean)
        body = {"event_id": str(self.plaza.event_id), "company_a_id": str(a.id), "company_b_id": str(b.id),
                "slot_id": self._slot()}  # fmt: skip
        response = self._record(await self.client.post("/v1/meetings", json=body))
        if response.status_code == 201:
            self.meetings.append(response.json()["id"])


@pytest.mark.parametrize("seed", range(6))
async def test_random_operation_sequences_keep_every_invariant(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine, seed: int
) -> None:
    plaza = await build_plaza(
        live_client, meetings_engine, korean=3, japanese=5, slots=4, interpreters=2, floating_tables=1,
        b2b={"slot_minutes": 30, "meeting_rule": "across_countries", "default_quota": 3},
    )  # fmt: skip
    driver = Driver(live_client, plaza, random.Random(seed))
    for _ in range(12):
        await asyncio.gather(*(driver.step() for _ in range(4)))  # four at a time: races included
        await assert_consistent(meetings_engine, plaza.event_id)
    assert 201 in driver.codes
    assert 409 in driver.codes or 422 in driver.codes
