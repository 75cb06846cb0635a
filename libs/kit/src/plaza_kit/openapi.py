"""OpenAPI post-processing shared by all services: errors are documented as problem+json.

FastAPI documents error responses as `application/json` and its 422 as `HTTPValidationError`; ours are
`application/problem+json` with the `Problem` schema. This rewrites the generated document accordingly and
adds the errors every operation can return, so front-end teams and contract tests see the real shapes.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from plaza_contracts import PROBLEM_MEDIA_TYPE, Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_METHODS_WITH_BODY = {"post", "put", "patch"}


def _problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}}


def problemize(document: dict[str, Any]) -> dict[str, Any]:
    """Rewrite error responses of `document` to problem+json and add the common ones."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for name, schema in (
        Problem.model_json_schema(ref_template="#/components/schemas/{model}").get("$defs", {}).items()
    ):
        schemas[name] = schema
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    problem_schema.pop("$defs", None)
    schemas["Problem"] = problem_schema

    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, response in responses.items():
                if code.isdigit() and int(code) >= 400:
                    description = response.get("description") or "Error"
                    if code == "422":
                        description = "Validation failed"
                    responses[code] = _problem_response(description)
            if operation.get("security"):
                responses.setdefault("401", _problem_response("Not authenticated"))
                responses.setdefault(
                    "403", _problem_response("Missing scope, or not allowed for this record")
                )
            has_input = bool(operation.get("parameters")) or "requestBody" in operation
            if has_input:
                responses.setdefault("400", _problem_response("Bad request (malformed JSON or cursor)"))
                responses.setdefault("422", _problem_response("Validation failed"))
            if method in _METHODS_WITH_BODY:
                responses.setdefault("413", _problem_response("Content too large"))
            responses.setdefault("500", _problem_response("Internal error"))
            responses.setdefault("503", _problem_response("Service unavailable"))
    return document


def install_problem_openapi(app: FastAPI) -> None:
    """Make `app.openapi()` return the problemized document (cached like FastAPI's own)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problemize(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                    tags=app.openapi_tags,
                    servers=app.servers,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
