"""End to end: the gateway authenticates API keys and forwards a fresh identity the services trust."""

import uuid

import httpx
import pytest

from plaza_dev.stack import Stack
from plaza_kit.catalogue import COMPONENTS, service_names
from plaza_kit.identity import IdentitySigner, Principal, generate_private_key_pem

pytestmark = pytest.mark.e2e


def test_a_request_without_credentials_is_refused_at_the_gateway(stack: Stack) -> None:
    response = httpx.get(f"{stack.gateway_url}/v1/companies")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert "Bearer" in response.headers["www-authenticate"]
    body = response.json()
    assert body["status"] == 401
    assert body["type"].endswith("/unauthorized")
    assert body["request_id"] == response.headers["x-request-id"]


@pytest.mark.parametrize(
    "headers",
    [
        {"X-API-Key": "plz_" + "A" * 43},
        {"X-API-Key": "not-a-key"},
        {"Authorization": "Bearer not.a.token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
)
def test_unknown_or_malformed_credentials_are_401(stack: Stack, headers: dict[str, str]) -> None:
    response = httpx.get(f"{stack.gateway_url}/v1/companies", headers=headers)
    assert response.status_code == 401


def test_an_unknown_v1_path_without_credentials_is_401_not_404(stack: Stack) -> None:
    assert httpx.get(f"{stack.gateway_url}/v1/nothing-here").status_code == 401


def test_a_demo_key_reads_the_registry(stack: Stack) -> None:
    response = httpx.get(
        f"{stack.gateway_url}/v1/companies", params={"limit": 100}, headers={"X-API-Key": stack.key("kotra")}
    )
    assert response.status_code == 200, response.text
    names = {item["name"].get("en") for item in response.json()["items"]}
    assert "Korea Trade-Investment Promotion Agency (KOTRA)" in names


def test_an_identity_header_sent_by_the_caller_is_replaced(stack: Stack) -> None:
    forger = IdentitySigner(generate_private_key_pem(), kid=stack.signing.kid, issuer="plaza-gateway")
    forged = forger.mint(Principal("intruder", None, frozenset({"admin"})))
    alone = httpx.get(f"{stack.gateway_url}/v1/companies", headers={"X-Plaza-Identity": forged})
    assert alone.status_code == 401
    with_key = httpx.get(
        f"{stack.gateway_url}/v1/companies",
        headers={"X-Plaza-Identity": forged, "X-API-Key": stack.key("kotra")},
    )
    assert with_key.status_code == 200  # the service saw the gateway's token, not the forged one


def test_a_service_reached_directly_refuses_the_request(stack: Stack) -> None:
    direct = httpx.get(f"http://127.0.0.1:{stack.ports['registry']}/v1/companies")
    assert direct.status_code == 401


def test_the_forwarded_identity_carries_the_clients_organisation(stack: Stack) -> None:
    kotra = {"X-API-Key": stack.key("kotra")}
    consulate = {"X-API-Key": stack.key("consulate")}
    created = httpx.post(
        f"{stack.gateway_url}/v1/companies",
        json={"name": {"en": f"Auth Materials {uuid.uuid4().hex[:8]}"}, "country": "KR"},
        headers=kotra,
    )
    assert created.status_code == 201, created.text
    url = f"{stack.gateway_url}/v1/companies/{created.json()['id']}"
    refused = httpx.patch(url, json={"country": "JP"}, headers=consulate)
    assert refused.status_code == 403
    assert httpx.get(url, headers=consulate).json()["country"] == "KR"
    allowed = httpx.patch(url, json={"country": "JP"}, headers=kotra)
    assert allowed.status_code == 200
    assert allowed.json()["country"] == "JP"


def test_readiness_covers_the_gateways_own_database(stack: Stack) -> None:
    response = httpx.get(f"{stack.gateway_url}/readyz")
    assert response.json() == {
        "status": "ok",
        "services": {component.name: "ok" for component in COMPONENTS},
    }


@pytest.mark.parametrize("service", service_names())
def test_each_service_refuses_forged_and_expired_identity_tokens(stack: Stack, service: str) -> None:
    """Reached directly, every protected operation of every service refuses tokens the gateway did not
    mint (another key) and tokens that expired, so bypassing the gateway exposes nothing."""
    base = f"http://127.0.0.1:{stack.ports[service]}"
    admin = Principal("intruder", None, frozenset({"admin"}))
    forger = IdentitySigner(generate_private_key_pem(), kid=stack.signing.kid, issuer="plaza-gateway")
    genuine = IdentitySigner(stack.signing.pem, kid=stack.signing.kid, issuer="plaza-gateway")
    tokens = {"forged": forger.mint(admin), "expired": genuine.mint(admin, ttl_seconds=-120)}
    valid = genuine.mint(admin)
    document = httpx.get(f"{base}/openapi.json").json()
    protected = [
        path
        for path, item in document["paths"].items()
        if any(operation.get("security") for operation in item.values() if isinstance(operation, dict))
        and "{" not in path
    ]
    assert protected or service != "registry"
    for path in [*protected, "/healthz"]:
        for kind, token in tokens.items():
            response = httpx.get(f"{base}{path}", headers={"X-Plaza-Identity": token})
            expected = 200 if path == "/healthz" else 401
            assert response.status_code in {expected, 405}, (service, path, kind, response.status_code)
    if protected:
        accepted = httpx.get(f"{base}{protected[0]}", headers={"X-Plaza-Identity": valid})
        assert accepted.status_code in {200, 405}
