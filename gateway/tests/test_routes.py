"""The routing table agrees with the catalogue, and every path a service documents is routed to it."""

from typing import Any

import pytest

from gateway.routes import COLLECTION_OWNERS, GATEWAY_COLLECTIONS, catalogue_routes, owner_of
from plaza_kit.catalogue import GATEWAY, SERVICES, Component, resolve

URL = "postgresql://nobody@127.0.0.1:1/none"  # the apps are only built, never connected


def documented_paths(service: Component) -> list[str]:
    """The public paths (`/v1/...`) in the service's own OpenAPI document."""
    settings = resolve(service.settings_class)(database_url=URL)
    paths: dict[str, Any] = resolve(service.app_factory)(settings).openapi()["paths"]
    return [path for path in paths if path.startswith("/v1/")]


def misrouted(service: str, paths: list[str], owners: dict[str, str] = COLLECTION_OWNERS) -> list[str]:
    """The paths of `service` that the table would send elsewhere (or nowhere)."""
    return [path for path in paths if owner_of(path, owners) != service]


def test_the_table_is_the_catalogues() -> None:
    assert catalogue_routes() == COLLECTION_OWNERS
    assert frozenset(GATEWAY.collections) == GATEWAY_COLLECTIONS


@pytest.mark.parametrize("service", SERVICES, ids=lambda service: service.name)
def test_every_public_path_of_a_service_is_routed_to_it(service: Component) -> None:
    assert misrouted(service.name, documented_paths(service)) == []


def test_the_registry_documents_public_paths() -> None:
    # Guards the check above against passing on empty documents (a service with no routes yet passes it).
    assert len(documented_paths(SERVICES[0])) > 10


def test_a_path_routed_elsewhere_is_reported() -> None:
    wrong = {**COLLECTION_OWNERS, "companies": "meetings"}
    assert misrouted("registry", ["/v1/companies/{company_id}", "/v1/sectors"], wrong) == [
        "/v1/companies/{company_id}"
    ]
    assert misrouted("registry", ["/v1/unheard-of"]) == ["/v1/unheard-of"]


@pytest.mark.parametrize(
    ("path", "owner"),
    [
        ("/v1/companies", "registry"),
        ("/v1/companies/123/contacts", "registry"),
        ("/v1/events/1", "meetings"),
        ("/v1/leads", "investment"),
        ("/v1/companiesx", None),
        ("/v2/companies", None),
        ("/healthz", None),
        ("/v1/", None),
        ("/v1/admin/clients", None),
    ],
)
def test_owner_of(path: str, owner: str | None) -> None:
    assert owner_of(path) == owner
