"""One OpenAPI 3.1 document for the whole platform, merged from the services' own documents.

Rules: only paths the gateway routes to a service are taken from it (health checks stay internal);
schemas with the same name and the same content are kept once, same name with different content is
renamed `<Service><Name>` in that service's part; operation ids must be unique (a clash is renamed
`<service>_<id>` and reported in `x-plaza-renamed`); every proxied operation also documents the gateway's
own failures (502/503/504).
"""

import copy
import json
from collections.abc import Mapping
from typing import Any

from gateway.routes import owner_of
from plaza_kit.openapi import PROBLEM_REF

_GATEWAY_ERRORS = {
    "502": "A service gave an invalid answer",
    "503": "A service is unavailable",
    "504": "A service did not answer in time",
}
_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


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
        "info": {"title": title, "description": description, "version": version},
        "paths": {},
        "components": {"schemas": {}},
        "tags": [],
    }
    schemas: dict[str, Any] = merged["components"]["schemas"]
    operation_ids: set[str] = set()
    renamed: list[str] = []
    seen_tags: set[str] = set()

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
        for tag in document.get("tags", []):
            if tag["name"] not in seen_tags:
                seen_tags.add(tag["name"])
                merged["tags"].append(tag)
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
    if renamed:
        merged["x-plaza-renamed"] = sorted(renamed)
    return merged
