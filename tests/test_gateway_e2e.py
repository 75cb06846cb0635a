"""The platform end to end: HTTP at the gateway, through the services, down to PostgreSQL and back."""

import json
import os
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from plaza_dev.stack import Stack
from plaza_kit.catalogue import COMPONENTS
from registry.demo import demo_id
from registry.demo_data import DEMO_BODIES

from .conftest import read_log


def test_the_gateway_lists_the_demo_companies(gateway: httpx.Client) -> None:
    listed: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = gateway.get("/v1/companies", params=params).json()
        listed += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    demo_ids = [str(demo_id(body.key)) for body in DEMO_BODIES]
    assert [company_id for company_id in listed if company_id in set(demo_ids)] == demo_ids


def test_create_then_read_through_the_gateway(gateway: httpx.Client) -> None:
    created = gateway.post(
        "/v1/companies", json={"name": {"ja": f"株式会社テスト電池{uuid.uuid4().hex[:8]}"}, "country": "JP"}
    )
    assert created.status_code == 201, created.text
    location = created.headers["location"]
    fetched = gateway.get(location)
    assert fetched.status_code == 200
    assert fetched.json() == created.json()


def test_request_id_and_traceparent_reach_the_service(gateway: httpx.Client, stack: Stack) -> None:
    request_id = f"e2e-{uuid.uuid4().hex}"
    trace_id = uuid.uuid4().hex
    response = gateway.get(
        "/v1/companies",
        params={"limit": 1},
        headers={"X-Request-ID": request_id, "traceparent": f"00-{trace_id}-{'1' * 16}-01"},
    )
    assert response.headers["x-request-id"] == request_id
    deadline = time.monotonic() + 5
    line = None
    while time.monotonic() < deadline and line is None:
        line = next(
            (json.loads(text) for text in read_log(stack, "registry").splitlines() if request_id in text),
            None,
        )
        time.sleep(0.05)
    assert line is not None, "the registry never logged the forwarded request id"
    assert line["request_id"] == request_id
    assert line["trace_id"] == trace_id  # same trace, the gateway's own span as parent


def test_a_minted_request_id_is_returned(gateway: httpx.Client) -> None:
    response = gateway.get("/v1/companies", params={"limit": 1})
    assert len(response.headers["x-request-id"]) == 32


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/v1/companies", {"name": {"en": "X"}, "country": 7}, 422),
        ("POST", "/v1/companies", {"name": {"en": "X"}, "country": "KR", "ceo": "?"}, 422),
        ("POST", "/v1/companies", {"name": [], "country": "KR"}, 422),
        ("GET", "/v1/companies?cursor=forged.cursor", None, 400),
        ("GET", "/v1/companies?limit=0", None, 422),
        ("GET", f"/v1/companies/{uuid.uuid4()}", None, 404),
        ("GET", "/v1/companies/0123-not-an-id", None, 422),
        ("PATCH", f"/v1/companies/{uuid.uuid4()}", {"country": "JP"}, 404),
        ("GET", "/v1/no-such-collection", None, 404),
    ],
)
def test_bad_input_gets_a_problem(
    gateway: httpx.Client, method: str, path: str, body: object, status: int
) -> None:
    response = gateway.request(method, path, json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["request_id"] == response.headers["x-request-id"]


def test_a_10_mb_body_is_refused_at_the_gateway(gateway: httpx.Client) -> None:
    before = gateway.get("/v1/companies", params={"limit": 100}).json()
    payload = b'{"name": {"en": "' + b"x" * (10 * 1024 * 1024) + b'"}, "country": "KR"}'
    response = gateway.post("/v1/companies", content=payload, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["type"] == "/problems/content-too-large"
    assert gateway.get("/v1/companies", params={"limit": 100}).json() == before


def test_a_chunked_oversized_body_is_refused(gateway: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 65536

    response = gateway.post("/v1/companies", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_readiness_aggregates_the_services(gateway: httpx.Client) -> None:
    response = gateway.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "services": {component.name: "ok" for component in COMPONENTS},
    }


def test_a_stopped_service_is_a_quick_503_and_recovers(gateway: httpx.Client, stack: Stack) -> None:
    meetings = stack.child("meetings")
    meetings.stop()
    try:
        started = time.monotonic()
        response = gateway.get("/v1/events")
        elapsed = time.monotonic() - started
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "1"
        assert elapsed < 2.0
        readiness = gateway.get("/readyz")
        assert readiness.status_code == 503
        assert readiness.json()["services"]["meetings"] == "unreachable"
    finally:
        meetings.start()
        meetings.wait_ready()
    assert gateway.get("/readyz").status_code == 200


def test_the_docs_page_needs_no_network(gateway: httpx.Client) -> None:
    page = gateway.get("/docs")
    assert page.status_code == 200
    html = page.text
    assert "http://" not in html
    assert "https://" not in html
    for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"):
        assert asset in html
        served = gateway.get(asset)
        assert served.status_code == 200
        assert len(served.content) > 10_000


def test_the_merged_openapi_document(gateway: httpx.Client) -> None:
    document = gateway.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    operations = [
        operation
        for item in document["paths"].values()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    operation_ids = [operation["operationId"] for operation in operations]
    assert len(operation_ids) == len(set(operation_ids))
    assert {"companies_list", "companies_create", "companies_get", "companies_update"} <= set(operation_ids)
    assert "/healthz" in document["paths"]  # the gateway's, not the services'
    assert "registry_healthz" not in operation_ids
    assert "Problem" in document["components"]["schemas"]
    for operation in operations:
        if operation["operationId"] == "oauth_token":
            continue  # RFC 6749 §5.2 fixes its error body: {"error": ..., "error_description": ...}
        for code, response in operation["responses"].items():
            if int(code) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (operation, code)


def test_a_slow_service_is_a_504_within_the_timeout(
    stack: Stack, partner_headers: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A second gateway whose registry is a socket that accepts and never answers."""
    import socket

    from plaza_dev.embedded_pg import free_port
    from plaza_dev.processes import ChildProcess

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    env = {
        **stack.gateway_env(),
        "GATEWAY_REGISTRY_URL": f"http://127.0.0.1:{silent.getsockname()[1]}",
        "GATEWAY_READ_TIMEOUT": "0.5",
        "GATEWAY_PORT": str(free_port()),
    }
    slow_gateway = ChildProcess(
        "slow-gateway",
        "gateway",
        int(env["GATEWAY_PORT"]),
        env,
        ready_path="/healthz",
        log_path=str(tmp_path_factory.mktemp("slow") / "gateway.log"),
    )
    slow_gateway.start()
    try:
        slow_gateway.wait_ready()
        started = time.monotonic()
        response = httpx.get(slow_gateway.base_url + "/v1/companies", headers=partner_headers, timeout=10)
        elapsed = time.monotonic() - started
        assert response.status_code == 504
        assert response.headers["content-type"] == "application/problem+json"
        assert 0.4 < elapsed < 2.0
    finally:
        slow_gateway.stop()
        silent.close()
    assert os.path.exists(slow_gateway.log_path or "")
