"""Test helpers: registry companies made through the registry's API, and request bodies for events."""

import uuid
from typing import Any

import httpx

from plaza_dev.testing import Identities
from plaza_kit.scopes import Scope

ORGANISER = uuid.UUID("01995a1e-ec00-7000-8000-0000000000e1")  # the organising organisation of the tests
STRANGER = uuid.UUID("01995a1e-ec00-7000-8000-0000000000e2")  # an organisation with nothing at the event


class Companies:
    """Registry companies for a test, each with a unique name (the registry refuses likely duplicates)."""

    def __init__(self, registry_url: str, identities: Identities) -> None:
        self.url = registry_url
        self.identities = identities

    @property
    def headers(self) -> dict[str, str]:
        """A fresh identity (tokens live a minute; the fixture lives the whole run)."""
        return self.identities.headers(Scope.REGISTRY_READ, Scope.REGISTRY_WRITE, organisation_id=ORGANISER)

    def create(self, country: str = "KR", *, kind: str = "company", name: str | None = None) -> uuid.UUID:
        """A new registry body in `country`; its id."""
        label = name or f"Test {country} {uuid.uuid4().hex[:10]}"
        body = {"kind": kind, "name": {"en": label}, "country": country}
        path = "/v1/organisations" if kind in ("association", "government_body") else "/v1/companies"
        response = httpx.post(f"{self.url}{path}", json=body, headers=self.headers, timeout=10)
        assert response.status_code == 201, response.text
        return uuid.UUID(response.json()["id"])


def event_body(**overrides: Any) -> dict[str, Any]:
    """A valid event create body (the plaza's day at STATION Ai), with `overrides`."""
    body: dict[str, Any] = {
        "title": {
            "ko": "한일 배터리 플라자",
            "ja": "日韓バッテリープラザ",
            "en": "Korea–Japan Battery Plaza",
        },
        "venue": {"name": "STATION Ai", "address": "Nagoya"},
        "time_zone": "Asia/Tokyo",
        "starts_at": "2025-09-18T09:30:00+09:00",
        "ends_at": "2025-09-18T18:00:00+09:00",
        "capacity": 150,
        "languages": ["ko", "ja"],
        "b2b": {"slot_minutes": 30, "request_expiry_hours": 72, "meeting_rule": "across_countries"},
    }
    body.update(overrides)
    return body


async def create_event(
    client: httpx.AsyncClient, *, open_it: bool = True, **overrides: Any
) -> dict[str, Any]:
    """An event made by the organiser (opened unless `open_it=False`)."""
    response = await client.post("/v1/events", json=event_body(**overrides))
    assert response.status_code == 201, response.text
    event: dict[str, Any] = response.json()
    if open_it:
        opened = await client.post(f"/v1/events/{event['id']}/status", json={"status": "open"})
        assert opened.status_code == 200, opened.text
        event = opened.json()
    return event
