"""End to end: OAuth 2.0 client credentials (RFC 6749 §4.4) at `POST /v1/oauth/token`."""

import base64
import uuid
from collections.abc import Callable

import httpx
import pytest

from plaza_dev.stack import Stack

from .conftest import MadeClient

pytestmark = pytest.mark.e2e
READ, WRITE = "registry:read", "registry:write"


def _token(stack: Stack, data: dict[str, str], **kwargs: object) -> httpx.Response:
    return httpx.post(f"{stack.gateway_url}/v1/oauth/token", data=data, **kwargs)  # type: ignore[arg-type]


def test_client_credentials_in_the_body_give_a_bearer_token_that_works(
    stack: Stack, make_client: Callable[..., MadeClient]
) -> None:
    client = make_client(READ, WRITE)
    response = _token(
        stack, {"grant_type": "client_credentials", "client_id": client.id, "client_secret": client.key}
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["scope"] == "registry:read registry:write"
    listed = httpx.get(
        f"{stack.gateway_url}/v1/companies", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert listed.status_code == 200


def test_http_basic_and_a_narrower_scope(stack: Stack, make_client: Callable[..., MadeClient]) -> None:
    client = make_client(READ, WRITE)
    basic = base64.b64encode(f"{client.id}:{client.key}".encode()).decode()
    response = _token(
        stack,
        {"grant_type": "client_credentials", "scope": READ},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == READ
    bearer = {"Authorization": f"Bearer {response.json()['access_token']}"}
    assert httpx.get(f"{stack.gateway_url}/v1/companies", headers=bearer).status_code == 200
    write = httpx.post(
        f"{stack.gateway_url}/v1/companies",
        json={"name": {"en": f"X {uuid.uuid4().hex[:8]}"}, "country": "KR"},
        headers=bearer,
    )
    assert write.status_code == 403  # the token carries only registry:read


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"client_id": "{id}", "client_secret": "{key}"}, 400, "invalid_request"),
        (
            {"grant_type": "password", "client_id": "{id}", "client_secret": "{key}"},
            400,
            "unsupported_grant_type",
        ),
        (
            {"grant_type": "client_credentials", "client_id": "{id}", "client_secret": "plz_wrong"},
            401,
            "invalid_client",
        ),
        (
            {"grant_type": "client_credentials", "client_id": "{other}", "client_secret": "{key}"},
            401,
            "invalid_client",
        ),
        ({"grant_type": "client_credentials"}, 401, "invalid_client"),
        (
            {
                "grant_type": "client_credentials",
                "client_id": "{id}",
                "client_secret": "{key}",
                "scope": "admin",
            },
            400,
            "invalid_scope",
        ),
    ],
)
def test_errors_have_the_rfc_6749_shape(
    stack: Stack, make_client: Callable[..., MadeClient], form: dict[str, str], status: int, error: str
) -> None:
    client = make_client(READ)
    values = {"id": client.id, "key": client.key, "other": str(stack.credentials["kotra"].client_id)}
    response = _token(stack, {name: value.format(**values) for name, value in form.items()})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["error"] == error
    assert set(body) <= {"error", "error_description"}
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Basic")


def test_json_bodies_and_mixed_credentials_are_invalid_requests(
    stack: Stack, make_client: Callable[..., MadeClient]
) -> None:
    client = make_client(READ)
    as_json = httpx.post(
        f"{stack.gateway_url}/v1/oauth/token",
        json={"grant_type": "client_credentials", "client_id": client.id, "client_secret": client.key},
    )
    assert as_json.status_code == 400
    assert as_json.json()["error"] == "invalid_request"
    basic = base64.b64encode(f"{client.id}:{client.key}".encode()).decode()
    mixed = _token(
        stack,
        {"grant_type": "client_credentials", "client_secret": client.key},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert mixed.status_code == 400
    assert mixed.json()["error"] == "invalid_request"


def test_revoking_the_key_ends_its_tokens_at_once(
    stack: Stack, make_client: Callable[..., MadeClient], admin: httpx.Client
) -> None:
    client = make_client(READ)
    token = _token(
        stack, {"grant_type": "client_credentials", "client_id": client.id, "client_secret": client.key}
    ).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{stack.gateway_url}/v1/companies", headers=bearer).status_code == 200
    revoked = admin.post(f"/v1/admin/clients/{client.id}/keys/{client.key_id}/revoke")
    assert revoked.status_code == 200
    assert httpx.get(f"{stack.gateway_url}/v1/companies", headers=bearer).status_code == 401
