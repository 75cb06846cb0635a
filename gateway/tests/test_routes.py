"""Every path a service documents is routed to that service, and nothing else is."""

import pytest

from gateway.routes import COLLECTION_OWNERS, owner_of
from investment.app import create_app as create_investment
from investment.settings import InvestmentSettings
from meetings.app import create_app as create_meetings
from meetings.settings import MeetingsSettings
from registry.app import create_app as create_registry
from registry.settings import RegistrySettings

URL = "postgresql://nobody@127.0.0.1:1/none"  # the apps are only built, never connected


@pytest.mark.parametrize(
    ("service", "paths"),
    [
        ("registry", create_registry(RegistrySettings(database_url=URL)).openapi()["paths"]),
        ("meetings", create_meetings(MeetingsSettings(database_url=URL)).openapi()["paths"]),
        ("investment", create_investment(InvestmentSettings(database_url=URL)).openapi()["paths"]),
    ],
)
def test_every_public_path_of_a_service_is_routed_to_it(service: str, paths: dict[str, object]) -> None:
    public = [path for path in paths if path.startswith("/v1/")]
    assert all(owner_of(path) == service for path in public), public


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
    ],
)
def test_owner_of(path: str, owner: str | None) -> None:
    assert owner_of(path) == owner


def test_owners_are_known_services() -> None:
    assert set(COLLECTION_OWNERS.values()) == {"registry", "meetings", "investment"}
