"""End to end: every write through the gateway, proxied or admin, lands in the audit trail."""

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from plaza_dev.stack import Stack

from .conftest import MadeClient

pytestmark = pytest.mark.e2e
ORGANISATION = uuid.UUID("01995a1e-ec00-7000-8000-0000000000a7")


def _audit(admin: httpx.Client, expected: int, **filters: str) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 5  # records are written in batches, off the request path
    while True:
        items: list[dict[str, Any]] = admin.get("/v1/admin/audit", params=filters).json()["items"]
        if len(items) >= expected or time.monotonic() > deadline:
            return items
        time.sleep(0.1)


def test_proxied_writes_are_audited_with_operation_target_and_status(
    stack: Stack, admin: httpx.Client, make_client: Callable[..., MadeClient]
) -> None:
    client = make_client("registry:read", "registry:write", organisation_id=ORGANISATION)
    headers = {"X-API-Key": client.key}
    created = httpx.post(
        f"{stack.gateway_url}/v1/companies",
        json={"name": {"en": f"Audit Co. {uuid.uuid4().hex[:8]}"}, "country": "KR"},
        headers=headers,
    )
    company_id = created.json()["id"]
    patched = httpx.patch(
        f"{stack.gateway_url}/v1/companies/{company_id}", json={"country": "JP"}, headers=headers
    )
    httpx.get(f"{stack.gateway_url}/v1/companies/{company_id}", headers=headers)  # reads are not audited
    items = _audit(admin, 2, client_id=client.id)
    trimmed = [{k: v for k, v in item.items() if k not in {"id", "occurred_at"}} for item in items]
    assert trimmed == [
        {
            "client_id": client.id,
            "organisation_id": str(ORGANISATION),
            "request_id": patched.headers["x-request-id"],
            "method": "PATCH",
            "operation": "companies_update",
            "target_id": company_id,
            "status": 200,
        },
        {
            "client_id": client.id,
            "organisation_id": str(ORGANISATION),
            "request_id": created.headers["x-request-id"],
            "method": "POST",
            "operation": "companies_create",
            "target_id": company_id,
            "status": 201,
        },
    ]


def test_admin_writes_and_refused_writes_are_audited_too(
    stack: Stack, admin: httpx.Client, make_client: Callable[..., MadeClient]
) -> None:
    reader = make_client("registry:read")
    refused = httpx.post(
        f"{stack.gateway_url}/v1/companies",
        json={"name": {"en": f"No {uuid.uuid4().hex[:8]}"}, "country": "KR"},
        headers={"X-API-Key": reader.key},
    )
    assert refused.status_code == 403
    [entry] = _audit(admin, 1, client_id=reader.id)
    assert (entry["operation"], entry["status"], entry["target_id"]) == ("companies_create", 403, None)
    admin_id = str(stack.credentials["admin"].client_id)
    recent = _audit(admin, 2, client_id=admin_id)
    assert ("admin_keys_issue", reader.key_id, 201) in {
        (e["operation"], e["target_id"], e["status"]) for e in recent
    }
    assert ("admin_clients_create", reader.id, 201) in {
        (e["operation"], e["target_id"], e["status"]) for e in recent
    }


def test_the_audit_trail_pages_newest_first(
    admin: httpx.Client, make_client: Callable[..., MadeClient]
) -> None:
    for _ in range(3):
        make_client("registry:read")
    first = admin.get("/v1/admin/audit", params={"limit": 2}).json()
    assert len(first["items"]) == 2
    second = admin.get("/v1/admin/audit", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == 4
