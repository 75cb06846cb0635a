"""End-to-end helpers: an admin HTTP client of the shared stack and clients made for one test."""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from plaza_dev.embedded_pg import free_port
from plaza_dev.processes import ChildProcess
from plaza_dev.stack import Stack


@dataclass(frozen=True)
class MadeClient:
    """A client created through the admin API for one test, with its first key."""

    id: str
    key: str
    key_id: str
    organisation_id: str | None


@pytest.fixture
def admin(stack: Stack) -> Iterator[httpx.Client]:
    """HTTP client of the gateway authenticated as the demo admin."""
    with httpx.Client(base_url=stack.gateway_url, headers={"X-API-Key": stack.key("admin")}) as http:
        yield http


@pytest.fixture
def make_client(admin: httpx.Client) -> Callable[..., MadeClient]:
    """Create a client (unique name) with `scopes` and return it with a fresh key."""

    def make(
        *scopes: str,
        organisation_id: uuid.UUID | None = None,
        rate_per_minute: int | None = None,
        burst: int | None = None,
    ) -> MadeClient:
        body: dict[str, object] = {"name": f"test-{uuid.uuid4().hex[:12]}", "scopes": list(scopes)}
        if organisation_id is not None:
            body["organisation_id"] = str(organisation_id)
        if rate_per_minute is not None:
            body["rate_per_minute"] = rate_per_minute
        if burst is not None:
            body["burst"] = burst
        created = admin.post("/v1/admin/clients", json=body)
        assert created.status_code == 201, created.text
        client_id = created.json()["id"]
        issued = admin.post(f"/v1/admin/clients/{client_id}/keys", json={})
        assert issued.status_code == 201, issued.text
        return MadeClient(client_id, issued.json()["key"], issued.json()["id"], body.get("organisation_id"))  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="module")
def replica(stack: Stack) -> Iterator[ChildProcess]:
    """A second gateway process sharing the stack's database and Redis (skipped without Redis: replicas
    share rate limits and revocations through Redis only)."""
    if stack.redis_url is None:
        pytest.skip("no Redis at TEST_REDIS_URL")
    process = stack.start_gateway(f"gateway-replica-{uuid.uuid4().hex[:6]}", free_port())
    try:
        yield process
    finally:
        process.stop()
        stack.children.remove(process)


@pytest.fixture(scope="session")
def partner_headers(stack: Stack) -> dict[str, str]:
    """Credentials of KOTRA's partner system (a demo client with every partner scope)."""
    return {"X-API-Key": stack.key("kotra")}


@pytest.fixture
def gateway(stack: Stack, partner_headers: dict[str, str]) -> Iterator[httpx.Client]:
    """An HTTP client for the gateway, authenticated as KOTRA's partner system."""
    with httpx.Client(base_url=stack.gateway_url, headers=partner_headers, timeout=10) as client:
        yield client


def read_log(stack: Stack, name: str) -> str:
    """Everything process `name` has logged so far."""
    assert stack.log_dir is not None
    return (stack.log_dir / f"{name}.log").read_text(encoding="utf-8")
