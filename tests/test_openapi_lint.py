"""The merged OpenAPI document keeps what OpenAPI linters and front-end generators check, without node.

Spectral's `spectral:oas` ruleset (run by hand: 0 errors, 0 warnings) warned on the classes asserted here:
scopes an operation requires that its scheme does not declare, tags not defined at the top level, unused
components, no `servers`, no `info.contact`. The document is built in process from the real apps (no
network, no database): the services' documents, the gateway's own, merged as the gateway merges them.

It also checks that input shapes tell the truth about `null`: a field documented as nullable accepts it.
"""

import copy
import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from gateway.settings import GatewaySettings
from plaza_contracts import InputModel
from plaza_kit.catalogue import GATEWAY, SERVICES, resolve
from plaza_kit.identity import generate_private_key_pem

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_UNUSED_DATABASE = "postgresql://nobody@127.0.0.1:1/unused"  # the apps are built, never started


@cache
def merged_document() -> dict[str, Any]:
    """The platform's document as the gateway serves it, from the apps built in this process."""
    documents = {}
    for service in SERVICES:
        settings = resolve(service.settings_class)(database_url=_UNUSED_DATABASE)
        documents[service.name] = resolve(service.app_factory)(settings).openapi()
    gateway = resolve(GATEWAY.app_factory)(
        GatewaySettings(database_url=_UNUSED_DATABASE, signing_key=generate_private_key_pem())
    )
    platform_document = resolve("gateway.own_api:platform_document")
    document: dict[str, Any] = platform_document(gateway.api, documents)
    return copy.deepcopy(json.loads(json.dumps(document)))  # exactly what JSON clients see


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in _METHODS:
                yield method, path, operation


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_every_required_scope_is_declared_by_its_scheme() -> None:
    document = merged_document()
    schemes = document["components"]["securitySchemes"]
    for method, path, operation in operations(document):
        for requirement in operation["security"]:
            for name, scopes in requirement.items():
                scheme = schemes[name]
                if scheme["type"] == "oauth2":
                    declared = {scope for flow in scheme["flows"].values() for scope in flow["scopes"]}
                else:
                    declared = set()  # an API key or HTTP scheme has no scopes to declare
                assert set(scopes) <= declared, (method, path, name, set(scopes) - declared)
        if operation["security"]:
            # The scopes stay stated: on the OAuth2 requirement and in `x-required-scopes`.
            oauth = next(r["OAuth2"] for r in operation["security"] if "OAuth2" in r)
            assert oauth == operation["x-required-scopes"], (method, path)


def test_every_operation_has_defined_tags_and_a_unique_id() -> None:
    document = merged_document()
    defined = [tag["name"] for tag in document["tags"]]
    assert len(defined) == len(set(defined)), defined
    ids = []
    for method, path, operation in operations(document):
        assert operation["tags"], (method, path)
        assert set(operation["tags"]) <= set(defined), (method, path, operation["tags"])
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))


def test_every_component_is_used_and_every_reference_resolves() -> None:
    document = merged_document()
    referenced = set(_refs(document))
    components = document["components"]
    for section, entries in components.items():
        if section == "securitySchemes":  # used by name in `security`, not by reference
            continue
        for name in entries:
            assert f"#/components/{section}/{name}" in referenced, f"unused component {section}/{name}"
    for reference in referenced:
        _, section, name = reference.removeprefix("#/").split("/", 2)
        assert name in components.get(section, {}), f"dangling reference {reference}"


def test_servers_and_contact_are_given() -> None:
    document = merged_document()
    assert document.get("servers"), "no servers"
    assert all(server["url"] for server in document["servers"])
    assert document["info"].get("contact"), "no info.contact"


def _input_models() -> list[type[BaseModel]]:
    merged_document()  # imports every app, so every input shape is defined
    found: list[type[BaseModel]] = []
    pending: list[type[BaseModel]] = [InputModel]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if model is not InputModel and not model.__pydantic_generic_metadata__["parameters"]:
            found.append(model)
    return sorted(set(found), key=lambda model: f"{model.__module__}.{model.__qualname__}")


def _nullable(schema: dict[str, Any]) -> bool:
    branches = schema.get("anyOf", schema.get("oneOf", []))
    return schema.get("type") == "null" or any(branch.get("type") == "null" for branch in branches)


def _null_refusals(model: type[BaseModel]) -> list[str]:
    """From the shape's documented example (or `{}`), set each nullable field to `null` in turn: what fails.

    Fields named in the shape's top-level `oneOf` (or in a `oneOf` of its top-level `allOf`) are left out:
    the `oneOf` documents when they may be null.
    """
    schema = model.model_json_schema()
    base = (schema.get("examples") or [{}])[0]
    try:
        model.model_validate(base)
    except ValidationError as error:
        return [f"the documented example is refused: {error}"] if base else []  # `{}` need not be valid
    alternatives = [schema.get("oneOf", []), *(part.get("oneOf", []) for part in schema.get("allOf", []))]
    in_one_of = {name for one_of in alternatives for branch in one_of for name in branch.get("required", [])}
    refusals = []
    for name, field in schema.get("properties", {}).items():
        if _nullable(field) and name not in in_one_of:
            try:
                model.model_validate({**base, name: None})
            except ValidationError as error:
                refusals.append(f"{name} is documented as nullable but refuses null: {error}")
    return refusals


def test_fields_documented_as_nullable_accept_null() -> None:
    models = _input_models()
    assert len(models) > 20  # the registry's and the admin API's shapes were found
    problems = {model.__qualname__: found for model in models if (found := _null_refusals(model))}
    assert not problems, problems
