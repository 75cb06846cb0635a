"""End to end: the admin API manages clients and keys; rotation overlaps, revocation is immediate."""

import time
import uuid
from collections.abc import Callable

import httpx
import pytest

from plaza_dev.processes import ChildProcess
from plaza_dev.stack import Stack

from .conftest import MadeClient

pytestmark = pytest.mark.e2e
READ = "registry:read"
ORGANISATION = uuid.UUID("01995a1e-ec00-7000-8000-0000000000c1")


def _status(stack: Stack, key: str, base_url: str | None = None) -> int:
    url = f"{base_url or stack.gateway_url}/v1/companies?limit=1"
    return httpx.get(url, headers={"X-API-Key": key}).status_code


def test_create_read_list_and_update_a_client(admin: httpx.Client) -> None:
    name = f"kotra-crm-{uuid.uuid4().hex[:8]}"
    created = admin.post(
        "/v1/admin/clients",
        json={"name": name, "organisation_id": str(ORGANISATION), "scopes": [READ, "registry:write"]},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["location"] == f"/v1/admin/clients/{body['id']}"
    assert body["name"] == name
    assert body["organisation_id"] == str(ORGANISATION)
    assert body["scopes"] == [READ, "registry:write"]
    assert (body["rate_per_minute"], body["burst"]) == (600, 100)
    assert admin.get(f"/v1/admin/clients/{body['id']}").json() == body
    listed = admin.get("/v1/admin/clients", params={"organisation_id": str(ORGANISATION)}).json()
    assert body in listed["items"]
    updated = admin.patch(f"/v1/admin/clients/{body['id']}", json={"scopes": [READ], "burst": 5})
    assert updated.status_code == 200
    assert updated.json()["scopes"] == [READ]
    assert updated.json()["burst"] == 5
    duplicate = admin.post("/v1/admin/clients", json={"name": name, "scopes": [READ]})
    assert duplicate.status_code == 409
    assert duplicate.headers["content-type"] == "application/problem+json"


def test_clients_list_in_cursor_pages(admin: httpx.Client, make_client: Callable[..., MadeClient]) -> None:
    for _ in range(3):
        make_client(READ)
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = admin.get("/v1/admin/clients", params=params).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    assert len(seen) == len(set(seen)) >= 7  # 4 demo clients and at least these 3
    assert seen == sorted(seen)


def test_bad_input_is_a_problem(admin: httpx.Client) -> None:
    unknown_scope = admin.post("/v1/admin/clients", json={"name": "x", "scopes": ["everything"]})
    assert unknown_scope.status_code == 422
    assert unknown_scope.json()["errors"][0]["pointer"] == "/scopes/0"
    missing = admin.get(f"/v1/admin/clients/{uuid.uuid4()}")
    assert missing.status_code == 404
    bad_cursor = admin.get("/v1/admin/clients", params={"cursor": "forged.cursor"})
    assert bad_cursor.status_code == 400


def test_only_admins_reach_the_admin_api(stack: Stack, make_client: Callable[..., MadeClient]) -> None:
    partner = make_client(READ, "registry:write", organisation_id=ORGANISATION)
    response = httpx.get(f"{stack.gateway_url}/v1/admin/clients", headers={"X-API-Key": partner.key})
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["admin"]
    assert httpx.get(f"{stack.gateway_url}/v1/admin/clients").status_code == 401


def test_an_issued_key_is_shown_once_and_listed_by_prefix(
    stack: Stack, admin: httpx.Client, make_client: Callable[..., MadeClient]
) -> None:
    client = make_client(READ)
    assert _status(stack, client.key) == 200
    keys = admin.get(f"/v1/admin/clients/{client.id}/keys").json()["items"]
    assert [(key["id"], key["prefix"], key["status"]) for key in keys] == [
        (client.key_id, client.key[:12], "active")
    ]
    assert client.key not in admin.get(f"/v1/admin/clients/{client.id}/keys").text


def test_rotation_keeps_both_keys_valid_for_the_grace_period(
    stack: Stack, admin: httpx.Client, make_client: Callable[..., MadeClient]
) -> None:
    client = make_client(READ)
    assert _status(stack, client.key) == 200
    rotated = admin.post(
        f"/v1/admin/clients/{client.id}/keys/{client.key_id}/rotate", json={"grace_seconds": 2}
    )
    assert rotated.status_code == 201, rotated.text
    new_key = rotated.json()["key"]
    assert _status(stack, client.key) == 200
    assert _status(stack, new_key) == 200
    old = next(
        k
        for k in admin.get(f"/v1/admin/clients/{client.id}/keys").json()["items"]
        if k["id"] == client.key_id
    )
    assert old["status"] == "expiring"
    assert old["replaced_by"] == rotated.json()["id"]
    again = admin.post(f"/v1/admin/clients/{client.id}/keys/{client.key_id}/rotate", json={})
    assert again.status_code == 409
    time.sleep(2.2)
    assert _status(stack, client.key) == 401
    assert _status(stack, new_key) == 200


def test_revocation_takes_effect_at_once(
    stack: Stack, admin: httpx.Client, make_client: Callable[..., MadeClient]
) -> None:
    client = make_client(READ)
    assert _status(stack, client.key) == 200  # now cached by the gateway
    revoked = admin.post(f"/v1/admin/clients/{client.id}/keys/{client.key_id}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert _status(stack, client.key) == 401
    assert admin.post(f"/v1/admin/clients/{client.id}/keys/{client.key_id}/revoke").status_code == 200


def test_revocation_reaches_every_replica_at_once(
    stack: Stack, admin: httpx.Client, make_client: Callable[..., MadeClient], replica: ChildProcess
) -> None:
    client = make_client(READ)
    assert _status(stack, client.key, replica.base_url) == 200  # cached by the replica too
    assert admin.post(f"/v1/admin/clients/{client.id}/keys/{client.key_id}/revoke").status_code == 200
    deadline = time.monotonic() + 0.5  # the broadcast is asynchronous, but well under a second
    while _status(stack, client.key, replica.base_url) != 401:
        assert time.monotonic() < deadline, "the replica still accepts a revoked key"
        time.sleep(0.02)


def test_scope_changes_reach_every_replica_at_once(
    stack: Stack, admin: httpx.Client, make_client: Callable[..., MadeClient], replica: ChildProcess
) -> None:
    client = make_client(READ)
    assert _status(stack, client.key, replica.base_url) == 200
    assert (
        admin.patch(f"/v1/admin/clients/{client.id}", json={"scopes": ["meetings:read"]}).status_code == 200
    )
    deadline = time.monotonic() + 0.5
    while _status(stack, client.key, replica.base_url) != 403:
        assert time.monotonic() < deadline, "the replica still uses the old scopes"
        time.sleep(0.02)
