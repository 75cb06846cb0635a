"""Another platform service reads meetings with its own identity (the investment service opening a lead
from a meeting); a partner client without an organisation does not."""

import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from plaza_dev.testing import Identities
from plaza_kit.identity import IDENTITY_HEADER
from plaza_kit.scopes import Scope

from .plaza import build_plaza


async def test_a_service_reads_any_meeting_and_a_stranger_does_not(
    live_client: httpx.AsyncClient, meetings_engine: AsyncEngine, identities: Identities
) -> None:
    plaza = await build_plaza(live_client, meetings_engine, korean=1, japanese=1, slots=2)
    body = {
        "event_id": str(plaza.event_id),
        "company_a_id": str(plaza.japanese[0].id),
        "company_b_id": str(plaza.korean[0].id),
        "slot_id": str(plaza.slots[0]),
    }
    booked = await live_client.post("/v1/meetings", json=body)
    assert booked.status_code == 201, booked.text
    path = f"/v1/meetings/{booked.json()['id']}"

    service = identities.token(Scope.MEETINGS_READ, subject="investment", kind="service")
    seen = await live_client.get(path, headers={IDENTITY_HEADER: service})
    assert seen.status_code == 200, seen.text
    assert seen.json()["a"]["company_id"] == str(plaza.japanese[0].id)

    stranger = identities.token(Scope.MEETINGS_READ, organisation_id=uuid.uuid4())
    assert (await live_client.get(path, headers={IDENTITY_HEADER: stranger})).status_code == 404
    unscoped = identities.token(Scope.REGISTRY_READ, subject="investment", kind="service")
    assert (await live_client.get(path, headers={IDENTITY_HEADER: unscoped})).status_code == 403
    writer = identities.token(Scope.MEETINGS_READ, Scope.MEETINGS_WRITE, subject="investment", kind="service")
    cancelled = await live_client.post(f"{path}/cancel", json={}, headers={IDENTITY_HEADER: writer})
    assert cancelled.status_code == 404  # reading everything is not acting for anyone
