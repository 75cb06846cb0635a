"""End to end: keys, tokens and personal data never reach any process's log."""

import time
import uuid
from collections.abc import Callable

import httpx
import pytest

from plaza_dev.stack import Stack

from .conftest import MadeClient

pytestmark = pytest.mark.e2e


def test_a_full_flow_leaves_no_secret_or_personal_data_in_any_log(
    stack: Stack, admin: httpx.Client, make_client: Callable[..., MadeClient]
) -> None:
    client = make_client("registry:read", "registry:write", "contacts:read", organisation_id=uuid.uuid4())
    token = httpx.post(
        f"{stack.gateway_url}/v1/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client.id, "client_secret": client.key},
    ).json()["access_token"]
    email, phone, person = "kim.minji.plaza@example.kr", "+82-10-4821-7730", "김민지"
    contact = {"name": {"ko": person}, "country": "KR", "contact": {"email": email, "phone": phone}}
    for headers in ({"X-API-Key": client.key}, {"Authorization": f"Bearer {token}"}):
        httpx.get(f"{stack.gateway_url}/v1/companies", params={"q": email}, headers=headers)
        refused = httpx.post(f"{stack.gateway_url}/v1/companies", json=contact, headers=headers)
        assert refused.status_code == 422
        assert email not in refused.text
        assert phone not in refused.text
        company = httpx.post(
            f"{stack.gateway_url}/v1/companies",
            json={"name": {"ko": f"{person} {uuid.uuid4().hex[:6]}"}, "country": "KR"},
            headers=headers,
        ).json()
        contacts = f"{stack.gateway_url}/v1/companies/{company['id']}/contacts"
        added = httpx.post(
            contacts, json={"name": {"ko": person}, "email": email, "phone": phone}, headers=headers
        )
        assert added.status_code == 201, added.text
        assert httpx.get(contacts, headers=headers).json()["items"][0]["email"] == email
    httpx.get(f"{stack.gateway_url}/v1/companies", headers={"X-API-Key": client.key + "x"})  # a wrong key
    httpx.get(f"{stack.gateway_url}/v1/companies", headers={"Authorization": f"Bearer {token}x"})
    time.sleep(0.5)  # let the processes flush their logs
    assert stack.log_dir is not None
    logs = {path.name: path.read_text() for path in stack.log_dir.glob("*.log")}
    assert {"gateway.log", "registry.log"} <= set(logs)
    assert any(client.id in text or "/v1/companies" in text for text in logs.values())  # the logs are real
    for name, text in logs.items():
        for secret in (client.key, client.key[4:], token, email, phone, person, stack.key("admin")):
            assert secret not in text, f"{name} contains a secret or personal data"
        assert "eyJ" not in text, f"{name} contains a JWT"
