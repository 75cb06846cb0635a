"""End to end: body and JSON-depth limits, slow bodies, CORS, and security headers on every answer."""

import socket
import time

import httpx
import pytest

from plaza_dev.stack import Stack
from plaza_dev.testing import TEST_ORIGIN

pytestmark = pytest.mark.e2e
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def _key(stack: Stack) -> dict[str, str]:
    return {"X-API-Key": stack.key("kotra")}


def test_json_nested_too_deep_is_refused_at_the_gateway(stack: Stack) -> None:
    body = '{"name": {"en": "Deep"}, "country": "KR", "x": ' + "[" * 40 + "]" * 40 + "}"
    response = httpx.post(
        f"{stack.gateway_url}/v1/companies",
        content=body,
        headers={**_key(stack), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/json-too-deep")


def test_a_body_over_the_limit_is_413(stack: Stack) -> None:
    response = httpx.post(
        f"{stack.gateway_url}/v1/companies",
        content=b"{" + b" " * (1024 * 1024 + 10) + b"}",
        headers={**_key(stack), "Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_a_body_sent_too_slowly_is_408(stack: Stack) -> None:
    request = (
        "POST /v1/companies HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        f"X-API-Key: {stack.key('kotra')}\r\nContent-Length: 50\r\n\r\n" + '{"name":'
    ).encode()
    with socket.create_connection(("127.0.0.1", stack.ports["gateway"]), timeout=10) as connection:
        connection.sendall(request)
        started = time.monotonic()
        answer = connection.recv(65536).decode()
    assert answer.startswith("HTTP/1.1 408"), answer[:200]
    assert 1.5 < time.monotonic() - started < 8


def test_security_headers_are_on_every_kind_of_answer(stack: Stack) -> None:
    answers = {
        "proxied": httpx.get(f"{stack.gateway_url}/v1/companies", headers=_key(stack)),
        "refused": httpx.get(f"{stack.gateway_url}/v1/companies"),
        "admin": httpx.get(
            f"{stack.gateway_url}/v1/admin/clients", headers={"X-API-Key": stack.key("admin")}
        ),
        "health": httpx.get(f"{stack.gateway_url}/healthz"),
        "openapi": httpx.get(f"{stack.gateway_url}/openapi.json"),
    }
    for kind, response in answers.items():
        assert response.status_code in {200, 401}, kind
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (kind, name)
        assert response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert "strict-transport-security" not in response.headers  # the test stack is not behind TLS
    for kind in ("proxied", "refused", "admin"):
        assert answers[kind].headers["cache-control"] == "no-store", kind


def test_the_docs_page_works_under_its_own_policy(stack: Stack) -> None:
    page = httpx.get(f"{stack.gateway_url}/docs")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "<script>" not in page.text  # no inline script: everything comes from /docs/assets
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "init.js"):
        assert httpx.get(f"{stack.gateway_url}/docs/assets/{asset}").status_code == 200


def test_a_preflight_from_an_allowed_origin_is_answered_before_authentication(stack: Stack) -> None:
    response = httpx.options(
        f"{stack.gateway_url}/v1/companies",
        headers={
            "Origin": TEST_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "X-API-Key, Content-Type",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == TEST_ORIGIN
    assert response.headers["access-control-allow-methods"] == "GET, POST, PUT, PATCH, DELETE"
    assert response.headers["access-control-allow-headers"] == "content-type, x-api-key"
    assert "access-control-allow-credentials" not in response.headers
    actual = httpx.get(f"{stack.gateway_url}/v1/companies", headers={**_key(stack), "Origin": TEST_ORIGIN})
    assert actual.headers["access-control-allow-origin"] == TEST_ORIGIN
    assert "RateLimit" in actual.headers["access-control-expose-headers"]


def test_other_origins_get_no_cors_permission(stack: Stack) -> None:
    preflight = httpx.options(
        f"{stack.gateway_url}/v1/companies",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 403
    assert "access-control-allow-origin" not in preflight.headers
    actual = httpx.get(
        f"{stack.gateway_url}/v1/companies", headers={**_key(stack), "Origin": "https://evil.example"}
    )
    assert actual.status_code == 200
    assert "access-control-allow-origin" not in actual.headers
