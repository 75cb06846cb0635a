"""End to end: the merged OpenAPI document of a running platform declares every operation's access."""

import json

import httpx
import pytest

from plaza_dev.stack import Stack

pytestmark = pytest.mark.e2e
# The token endpoint authenticates the client itself; health checks answer load balancers.
# Public: the token endpoint, health, and the calendar feed whose secret URL is its credential.
PUBLIC_OPERATIONS = {"oauth_token", "gateway_healthz", "gateway_readyz", "calendar_feed"}


def test_every_operation_declares_its_scopes_and_the_partner_schemes(stack: Stack) -> None:
    document = httpx.get(f"{stack.gateway_url}/openapi.json").json()
    assert "PlazaIdentity" not in json.dumps(document)
    assert set(document["components"]["securitySchemes"]) == {"ApiKeyAuth", "OAuth2"}
    public = set()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if "x-required-scopes" not in operation:
                public.add(operation["operationId"])
                assert operation["security"] == []
                if path.startswith("/v1/calendar/"):
                    assert operation["x-plaza-access"] == "secret-url", path
                continue
            assert path.startswith("/v1/"), path
            scopes = operation["x-required-scopes"]
            # Scopes on the OAuth2 requirement only: an API-key scheme declares none (the key carries them).
            assert operation["security"] == [{"ApiKeyAuth": []}, {"OAuth2": scopes}], (method, path)
            if path.startswith("/v1/admin/"):
                assert scopes == ["admin"]
    assert public == PUBLIC_OPERATIONS
    companies = document["paths"]["/v1/companies"]
    assert companies["get"]["x-required-scopes"] == ["registry:read"]
    assert companies["post"]["x-required-scopes"] == ["registry:write"]
    token = document["paths"]["/v1/oauth/token"]["post"]
    assert "application/x-www-form-urlencoded" in token["requestBody"]["content"]
    assert token["responses"]["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/TokenError"
    }
