"""The merged document speaks the partners' security schemes, never the internal identity header."""

import json
from typing import Any

from gateway.openapi_merge import merge_documents
from plaza_kit.scopes import SCOPE_DESCRIPTIONS


def _service_document() -> dict[str, Any]:
    identity = {"type": "apiKey", "in": "header", "name": "X-Plaza-Identity"}
    return {
        "openapi": "3.1.0",
        "paths": {
            "/v1/companies/{company_id}": {
                "patch": {
                    "operationId": "companies_update",
                    "security": [{"PlazaIdentity": ["registry:write"]}],
                    "x-plaza-ownership": "owner",
                    "responses": {"200": {"description": "OK"}},
                }
            },
            "/healthz": {
                "get": {"operationId": "registry_healthz", "responses": {"200": {"description": "OK"}}}
            },
        },
        "components": {"schemas": {}, "securitySchemes": {"PlazaIdentity": identity}},
    }


def _merge() -> dict[str, Any]:
    gateway = {
        "paths": {
            "/v1/oauth/token": {"post": {"operationId": "oauth_token", "security": [], "responses": {}}},
        }
    }
    return merge_documents(
        gateway, {"registry": _service_document()}, title="t", description="d", version="1"
    )


def test_scoped_operations_require_an_api_key_or_oauth_with_the_same_scopes() -> None:
    operation = _merge()["paths"]["/v1/companies/{company_id}"]["patch"]
    assert operation["security"] == [{"ApiKeyAuth": []}, {"OAuth2": ["registry:write"]}]
    assert operation["x-required-scopes"] == ["registry:write"]
    assert operation["x-plaza-ownership"] == "owner"
    assert set(operation["responses"]) >= {"200", "401", "403", "429", "502", "503", "504"}
    assert set(operation["responses"]["429"]["headers"]) == {"RateLimit-Policy", "RateLimit", "Retry-After"}
    assert set(operation["responses"]["200"]["headers"]) == {"RateLimit-Policy", "RateLimit"}


def test_the_internal_scheme_is_gone_and_the_partner_schemes_are_described() -> None:
    merged = _merge()
    assert "PlazaIdentity" not in json.dumps(merged)
    assert "/healthz" not in merged["paths"]
    schemes = merged["components"]["securitySchemes"]
    assert schemes["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": schemes["ApiKeyAuth"]["description"],
    }
    flow = schemes["OAuth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "/v1/oauth/token"
    assert flow["scopes"] == {str(scope): text for scope, text in SCOPE_DESCRIPTIONS.items()}


def test_operations_without_a_requirement_are_public() -> None:
    operation = _merge()["paths"]["/v1/oauth/token"]["post"]
    assert operation["security"] == []
    assert "x-required-scopes" not in operation
