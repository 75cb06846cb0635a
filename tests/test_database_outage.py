"""End to end: PostgreSQL stops under the running platform, then comes back.

The platform runs on its own embedded PostgreSQL (stopping the shared one would take every other test down
with it). While the server is stopped, every read and write through the gateway — registry queries, a key
the gateway has not cached, an OAuth token request, the admin API — is a quick 503 `database-unavailable`
problem with `Retry-After`, and the logs hold one line per failed request, never a traceback. A key the
gateway has cached keeps working: its requests are still proxied. When PostgreSQL is back on the same port,
requests succeed again without restarting anything, and the writes refused during the outage are audited.
"""

import json
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from plaza_dev.embedded_pg import EmbeddedPostgres
from plaza_dev.stack import Stack

pytestmark = pytest.mark.e2e

HANG = 10.0  # seconds: an answer slower than this is a hang (the bounds are 2 s connect, 2 s pool)


@dataclass
class Platform:
    """The stack over a PostgreSQL server of its own, and clients made for this module."""

    server: EmbeddedPostgres
    stack: Stack
    fresh_key: str  # issued before the outage, never used before it: not in the gateway's cache
    oauth_client_id: str
    oauth_secret: str  # likewise never used before the outage

    def log(self, name: str) -> list[dict[str, Any]]:
        assert self.stack.log_dir is not None
        lines = (self.stack.log_dir / f"{name}.log").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]


def _new_client(admin: httpx.Client, *scopes: str) -> tuple[str, str]:
    created = admin.post(
        "/v1/admin/clients", json={"name": f"outage-{uuid.uuid4().hex[:10]}", "scopes": scopes}
    )
    assert created.status_code == 201, created.text
    client_id = created.json()["id"]
    issued = admin.post(f"/v1/admin/clients/{client_id}/keys", json={})
    assert issued.status_code == 201, issued.text
    return client_id, issued.json()["key"]


@pytest.fixture(scope="module")
def platform() -> Iterator[Platform]:
    # A private folder, not pytest's numbered ones (another run may prune those; see plaza_dev.testing).
    folder = Path(tempfile.mkdtemp(prefix="plaza-test-outage-"))
    server = EmbeddedPostgres(folder / "data", durable=False)
    admin_url = server.start()
    # Cached keys must outlive the test's outage, so that "cached" is certain rather than a race with the TTL.
    stack = Stack.on_free_ports(
        admin_url, "plaza", log_dir=folder / "logs", extra_env={"GATEWAY_KEY_CACHE_TTL": "600"}
    )
    try:
        stack.prepare(load_demo=True)
        stack.start()
        with httpx.Client(base_url=stack.gateway_url, headers={"X-API-Key": stack.key("admin")}) as admin:
            _, fresh_key = _new_client(admin, "registry:read")
            oauth_client_id, oauth_secret = _new_client(admin, "registry:read")
        yield Platform(server, stack, fresh_key, oauth_client_id, oauth_secret)
    finally:
        stack.stop()
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _timed(call: Any, *args: Any, **kwargs: Any) -> httpx.Response:
    started = time.monotonic()
    response: httpx.Response = call(*args, **kwargs)
    assert time.monotonic() - started < HANG, f"{response.request.method} {response.request.url} hung"
    return response


def _assert_database_unavailable(
    response: httpx.Response, problem_type: str | None = "/problems/database-unavailable"
) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    body = response.json()
    if problem_type is not None:
        assert body["type"] == problem_type
    assert body["request_id"] == response.headers["x-request-id"]


def _token_request(platform: Platform) -> httpx.Response:
    return httpx.post(
        f"{platform.stack.gateway_url}/v1/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": platform.oauth_client_id,
            "client_secret": platform.oauth_secret,
        },
        timeout=HANG * 2,
    )


def test_a_database_outage_is_a_quick_503_and_the_platform_recovers_by_itself(platform: Platform) -> None:
    stack = platform.stack
    kotra = httpx.Client(
        base_url=stack.gateway_url, headers={"X-API-Key": stack.key("kotra")}, timeout=HANG * 2
    )
    admin = httpx.Client(
        base_url=stack.gateway_url, headers={"X-API-Key": stack.key("admin")}, timeout=HANG * 2
    )
    fresh = httpx.Client(
        base_url=stack.gateway_url, headers={"X-API-Key": platform.fresh_key}, timeout=HANG * 2
    )
    new_company = {"name": {"en": f"Outage Co. {uuid.uuid4().hex[:8]}"}, "country": "KR"}

    # Up: reads and writes work (and the kotra and admin keys are now cached by the gateway).
    listed = kotra.get("/v1/companies", params={"limit": 2})
    assert listed.status_code == 200, listed.text
    company_id = listed.json()["items"][0]["id"]
    assert kotra.post("/v1/companies", json=new_company).status_code == 201
    assert admin.get("/v1/admin/clients", params={"limit": 1}).status_code == 200

    platform.server.stop()
    port = platform.server.port

    # Down: the registry's queries, behind a cached key (the gateway still authenticates and proxies:
    # the answer carries the caller's rate-limit headers and comes from the registry).
    registry_answers = [
        _timed(kotra.get, "/v1/organisations", params={"limit": 2}),
        _timed(kotra.post, "/v1/companies", json={**new_company, "name": {"en": "Outage Co. refused"}}),
    ]
    # The company reads run on the registry's own asyncpg read pool (plaza_kit.read_pool).
    single_statement_reads = [
        _timed(kotra.get, "/v1/companies", params={"limit": 2}),
        _timed(kotra.get, f"/v1/companies/{company_id}"),
    ]
    for response in registry_answers + single_statement_reads:
        _assert_database_unavailable(response)
    for response in registry_answers + single_statement_reads:
        assert "ratelimit" in response.headers
    refused_write = registry_answers[-1]
    # A request the registry answers without its database goes through untouched.
    assert _timed(kotra.get, "/v1/companies/0123-not-a-uuid").status_code == 422

    # Down: everything that needs the gateway's own database.
    gateway_answers = [
        _timed(fresh.get, "/v1/companies", params={"limit": 2}),  # a key not cached: looked up, cannot be
        _timed(_token_request, platform),  # OAuth: the secret is a key not cached either
        _timed(admin.get, "/v1/admin/clients", params={"limit": 1}),  # admin reads
        _timed(admin.post, "/v1/admin/clients", json={"name": "outage-refused", "scopes": ["registry:read"]}),
    ]
    for response in gateway_answers:
        _assert_database_unavailable(response)
    ready = _timed(kotra.get, "/readyz")
    assert ready.status_code == 503
    assert ready.json()["services"]["gateway"] == "database unreachable"

    # One line per failed request, no traceback, in either process.
    gateway_log, registry_log = platform.log("gateway"), platform.log("registry")
    assert [
        line for line in gateway_log + registry_log if "exc" in line or "Traceback" in json.dumps(line)
    ] == []
    for log, answers, allowed in (
        (registry_log, registry_answers, [["database unavailable"]]),
        (registry_log, single_statement_reads, [[], ["database unavailable"]]),
        (gateway_log, gateway_answers, [["database unavailable"]]),
    ):
        for response in answers:
            request_id = response.headers["x-request-id"]
            said = [
                line["msg"]
                for line in log
                if line.get("request_id") == request_id and line["logger"] != "plaza.access"
            ]
            assert said in allowed, (response.request.url, said)
    for process in stack.children:
        assert process.process is not None
        assert process.process.poll() is None, f"{process.name} exited during the outage"

    # Back, on the same port: no process restarted, and requests succeed again at once.
    platform.server.start()
    assert platform.server.port == port
    assert kotra.get("/v1/companies", params={"limit": 2}).status_code == 200
    assert (
        kotra.post("/v1/companies", json=new_company | {"name": {"en": "Outage Co. after"}}).status_code
        == 201
    )
    assert fresh.get("/v1/companies", params={"limit": 2}).status_code == 200
    token = _token_request(platform)
    assert token.status_code == 200, token.text
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert httpx.get(f"{stack.gateway_url}/v1/companies/{company_id}", headers=bearer).status_code == 200
    assert admin.get("/v1/admin/clients", params={"limit": 1}).status_code == 200
    assert kotra.get("/readyz").status_code == 200

    # The write refused during the outage was kept in the audit queue and stored once the database was back.
    deadline = time.monotonic() + 15
    while True:
        audited = admin.get(
            "/v1/admin/audit", params={"client_id": str(stack.credentials["kotra"].client_id)}
        )
        request_ids = {item["request_id"]: item["status"] for item in audited.json()["items"]}
        if refused_write.headers["x-request-id"] in request_ids or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert request_ids.get(refused_write.headers["x-request-id"]) == 503
    for client in (kotra, admin, fresh):
        client.close()


def test_single_statement_reads_also_say_the_database_is_unavailable(platform: Platform) -> None:
    """Every 503 caused by the database has the one type partners can act on, the company reads' too
    (they run on the registry's own read pool, `plaza_kit.read_pool`, not on the session)."""
    headers = {"X-API-Key": platform.stack.key("kotra")}
    url = f"{platform.stack.gateway_url}/v1/companies"
    assert httpx.get(url, params={"limit": 1}, headers=headers).status_code == 200
    platform.server.stop()
    try:
        _assert_database_unavailable(
            _timed(httpx.get, url, params={"limit": 1}, headers=headers, timeout=HANG * 2)
        )
    finally:
        platform.server.start()
