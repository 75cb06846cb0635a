"""Merging the services' OpenAPI documents into one."""

from typing import Any

from gateway.openapi_merge import merge_documents


def document(paths: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "paths": paths, "components": {"schemas": schemas}}


def operation(operation_id: str, schema: str) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "responses": {
            "200": {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}
        },
    }


PROBLEM = {"type": "object", "properties": {"status": {"type": "integer"}}}


def merged(registry: dict[str, Any], meetings: dict[str, Any]) -> dict[str, Any]:
    return merge_documents(
        document({}, {}),
        {"registry": registry, "meetings": meetings},  # layout: example names
        title="t",
        description="d",
        version="1",
    )


def test_identical_schemas_are_kept_once_and_different_ones_renamed() -> None:
    registry = document(
        {"/v1/companies": {"get": operation("companies_list", "Status")}},
        {"Problem": PROBLEM, "Status": {"enum": ["active", "archived"]}},
    )
    meetings = document(
        {"/v1/events": {"get": operation("events_list", "Status")}},
        {"Problem": PROBLEM, "Status": {"enum": ["draft", "published"]}},
    )
    result = merged(registry, meetings)
    schemas = result["components"]["schemas"]
    assert schemas["Problem"] == PROBLEM
    assert schemas["Status"] == {"enum": ["draft", "published"]}  # meetings sorts first
    assert schemas["RegistryStatus"] == {"enum": ["active", "archived"]}
    ref = result["paths"]["/v1/companies"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ref == {"$ref": "#/components/schemas/RegistryStatus"}


def test_clashing_operation_ids_are_renamed_and_reported() -> None:
    registry = document({"/v1/companies": {"get": operation("list", "A")}}, {"A": {}})
    meetings = document({"/v1/events": {"get": operation("list", "A")}}, {"A": {}})
    result = merged(registry, meetings)
    ids = {item["get"]["operationId"] for item in result["paths"].values()}
    assert ids == {"list", "registry_list"}
    assert result["x-plaza-renamed"] == ["list"]


def test_only_paths_the_gateway_routes_to_the_service_are_taken() -> None:
    registry = document(
        {
            "/healthz": {"get": operation("registry_healthz", "A")},
            "/v1/events": {"get": operation("stolen", "A")},
            "/v1/companies": {"get": operation("companies_list", "A")},
        },
        {"A": {}},
    )
    result = merged(registry, document({}, {}))
    assert list(result["paths"]) == ["/v1/companies"]


def test_proxied_operations_document_gateway_failures() -> None:
    registry = document({"/v1/companies": {"get": operation("companies_list", "A")}}, {"A": {}})
    responses = merged(registry, document({}, {}))["paths"]["/v1/companies"]["get"]["responses"]
    for code in ("502", "503", "504"):
        assert list(responses[code]["content"]) == ["application/problem+json"]
