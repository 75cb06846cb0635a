"""One OpenAPI 3.1 document for the whole platform, merged from the services' own documents.

Rules: only paths the gateway routes to a service are taken from it (health checks stay internal);
schemas with the same name and the same content are kept once, same name with different content is
renamed `<Service><Name>` in that service's part; operation ids must be unique (a clash is renamed
`<service>_<id>` and reported in `x-plaza-renamed`); every proxied operation also documents the gateway's
own failures (502/503/504).

Security: services declare the internal `PlazaIdentity` scheme with the scopes an operation requires; the
partner document never mentions it. Each such operation instead requires an API key (`ApiKeyAuth`) or an
OAuth 2.0 client-credentials token (`OAuth2`) with those scopes, lists them in `x-required-scopes`, and
documents 401, 403 and 429 (with the rate-limit headers). Scopes are named on the `OAuth2` requirement
only: OpenAPI tooling (and client generators) check them against the scheme's declared scopes, which an
API-key scheme has none of; the key carries its client's scopes all the same. Operations without a
requirement are public (`security: []`); only the gateway's token endpoint is.

The document is self-contained for generators: every tag an operation uses is defined (the gateway's own
and each service's), schemas no operation reaches are dropped (e.g. the services' health shapes), and
`servers` is the gateway itself (`/`: paths are relative to where the document was fetched).
"""

import copy
import json
from collections.abc import Mapping
from typing import Any

from gateway.oauth import TOKEN_PATH
from gateway.routes import owner_of
from plaza_kit.auth import IDENTITY_SCHEME_NAME
from plaza_kit.openapi import PROBLEM_REF
from plaza_kit.scopes import SCOPE_DESCRIPTIONS

_GATEWAY_ERRORS = {
    "502": "A service gave an invalid answer",
    "503": "A service is unavailable",
    "504": "A service did not answer in time",
}
_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
API_KEY_SCHEME = "ApiKeyAuth"
OAUTH_SCHEME = "OAuth2"
SERVERS = [{"url": "/", "description": "This gateway (the origin this document was fetched from)."}]
CONTACT = {"name": "Plaza platform operators"}
_RATE_HEADERS = {
    "RateLimit-Policy": {
        "description": 'The client\'s limit, e.g. `"client";q=100;w=10` (IETF httpapi ratelimit draft).',
        "schema": {"type": "string"},
    },
    "RateLimit": {
        "description": 'What is left, e.g. `"client";r=42;t=6`: remaining requests, seconds to a full quota.',
        "schema": {"type": "string"},
    },
}


def security_schemes() -> dict[str, Any]:
    """The schemes partners authenticate with: an API key, or OAuth 2.0 client credentials."""
    return {
        API_KEY_SCHEME: {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "An API key issued to your client (`plz_…`). Keep it secret; rotate it regularly. "
            "The key carries your client's scopes; `x-required-scopes` of an operation names those it needs.",
        },
        OAUTH_SCHEME: {
            "type": "oauth2",
            "description": "Client credentials: your client id and an API key as the secret.",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": TOKEN_PATH,
                    "scopes": {str(k): v for k, v in SCOPE_DESCRIPTIONS.items()},
                }
            },
        },
    }


def _problem(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/problem+json": {"schema": PROBLEM_REF}},
    }
    if headers:
        response["headers"] = headers
    return response


def _secure(operation: dict[str, Any]) -> None:
    """Translate the internal identity requirement into the partner-facing ones (or mark it public)."""
    scopes: list[str] | None = None
    for requirement in operation.get("security", []):
        if IDENTITY_SCHEME_NAME in requirement:
            scopes = sorted(set(requirement[IDENTITY_SCHEME_NAME]))
    if scopes is None:
        operation["security"] = []
        return
    operation["security"] = [{API_KEY_SCHEME: []}, {OAUTH_SCHEME: scopes}]
    operation["x-required-scopes"] = scopes
    responses = operation.setdefault("responses", {})
    responses.setdefault("401", _problem("No valid API key or access token"))
    if scopes:
        responses.setdefault("403", _problem(f"The client lacks the scope {' and '.join(scopes)}"))
    retry_after = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}
    responses["429"] = _problem("Rate limit exceeded", {**_RATE_HEADERS, **retry_after})
    for code, response in responses.items():
        if code.startswith("2"):
            response.setdefault("headers", {}).update(_RATE_HEADERS)


def _rewrite_refs(node: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/schemas/"):
                name = value.rsplit("/", 1)[1]
                result[key] = f"#/components/schemas/{renames.get(name, name)}"
            else:
                result[key] = _rewrite_refs(value, renames)
        return result
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _canonical(schema: Any) -> str:
    return json.dumps(schema, sort_keys=True)


def _schema_refs(node: Any) -> set[str]:
    """Names of the component schemas `node` refers to directly."""
    if isinstance(node, dict):
        found = set()
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/schemas/"):
                found.add(value.rsplit("/", 1)[1])
            else:
                found |= _schema_refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_schema_refs(item) for item in node))
    return set()


def _drop_unused_schemas(document: dict[str, Any]) -> None:
    """Keep only the schemas reachable from the paths (through other schemas too)."""
    schemas: dict[str, Any] = document["components"]["schemas"]
    reachable: set[str] = set()
    pending = _schema_refs({key: value for key, value in document.items() if key != "components"})
    while pending:
        name = pending.pop()
        if name not in reachable and name in schemas:
            reachable.add(name)
            pending |= _schema_refs(schemas[name])
    for name in set(schemas) - reachable:
        del schemas[name]


def _used_tags(parts: list[tuple[str, dict[str, Any]]], paths: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The definitions of the tags the merged operations use, the services' first, in their order."""
    used = {
        tag
        for item in paths.values()
        for method, operation in item.items()
        if method in _HTTP_METHODS
        for tag in operation.get("tags", [])
    }
    tags: list[dict[str, Any]] = []
    for _, document in [*parts[1:], parts[0]]:
        for tag in document.get("tags", []):
            if tag["name"] in used and all(tag["name"] != known["name"] for known in tags):
                tags.append(copy.deepcopy(tag))
    return tags


def merge_documents(
    gateway_document: dict[str, Any],
    service_documents: Mapping[str, dict[str, Any]],
    *,
    title: str,
    description: str,
    version: str,
) -> dict[str, Any]:
    """Merge the gateway's own document with each service's (service name → document)."""
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "description": description, "version": version, "contact": dict(CONTACT)},
        "servers": copy.deepcopy(SERVERS),
        "paths": {},
        "components": {"schemas": {}, "securitySchemes": security_schemes()},
        "tags": [],
    }
    schemas: dict[str, Any] = merged["components"]["schemas"]
    operation_ids: set[str] = set()
    renamed: list[str] = []

    parts = [("gateway", gateway_document), *sorted(service_documents.items())]
    for service, original in parts:
        document = copy.deepcopy(original)
        renames: dict[str, str] = {}
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            if name in schemas and _canonical(schemas[name]) != _canonical(schema):
                renames[name] = f"{service.capitalize()}{name}"
        document = _rewrite_refs(document, renames)
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            schemas.setdefault(renames.get(name, name), schema)
        for path, item in document.get("paths", {}).items():
            if service != "gateway" and owner_of(path) != service:
                continue
            for method, operation in item.items():
                if method not in _HTTP_METHODS:
                    continue
                operation_id = operation.get("operationId") or f"{method}_{path}"
                if operation_id in operation_ids:
                    renamed.append(operation_id)
                    operation_id = f"{service}_{operation_id}"
                operation_ids.add(operation_id)
                operation["operationId"] = operation_id
                _secure(operation)
                if service != "gateway":
                    for code, text in _GATEWAY_ERRORS.items():
                        operation.setdefault("responses", {}).setdefault(
                            code,
                            {
                                "description": text,
                                "content": {"application/problem+json": {"schema": PROBLEM_REF}},
                            },
                        )
            merged["paths"][path] = item
    merged["tags"] = _used_tags(parts, merged["paths"])
    _drop_unused_schemas(merged)
    if renamed:
        merged["x-plaza-renamed"] = sorted(renamed)
    return merged
