"""Test helpers: registry bodies made through the registry's API, organisations of the tests, lead bodies."""

import uuid
from typing import Any

import httpx

from plaza_dev.testing import Identities
from plaza_kit.scopes import Scope

OWNER = uuid.UUID("01995a1e-ec00-7000-8000-0000000001a1")  # the organisation that owns the tests' leads
STRANGER = uuid.UUID("01995a1e-ec00-7000-8000-0000000001a2")  # an organisation nothing is shared with
ALL_SCOPES = (Scope.INVESTMENT_READ, Scope.INVESTMENT_WRITE, Scope.INVESTMENT_WIN)


class Registry:
    """Registry bodies for a test, each with a unique name (the registry refuses likely duplicates)."""

    def __init__(self, registry_url: str, identities: Identities) -> None:
        self.url = registry_url
        self.identities = identities

    @property
    def headers(self) -> dict[str, str]:
        """A fresh identity (tokens live a minute; the fixture lives the whole run)."""
        return self.identities.headers(Scope.REGISTRY_READ, Scope.REGISTRY_WRITE, organisation_id=OWNER)

    def company(self, country: str = "KR", name: str | None = None) -> uuid.UUID:
        """A new registry company in `country`; its id."""
        body = {"kind": "company", "name": {"en": name or f"Lead Test {country} {uuid.uuid4().hex[:10]}"}}
        response = httpx.post(
            f"{self.url}/v1/companies", json={**body, "country": country}, headers=self.headers, timeout=10
        )
        assert response.status_code == 201, response.text
        return uuid.UUID(response.json()["id"])

    def organisation(self) -> uuid.UUID:
        """A new partner organisation (an association in Japan); its id."""
        body = {"kind": "association", "name": {"en": f"Partner {uuid.uuid4().hex[:10]}"}, "country": "JP"}
        response = httpx.post(f"{self.url}/v1/organisations", json=body, headers=self.headers, timeout=10)
        assert response.status_code == 201, response.text
        return uuid.UUID(response.json()["id"])


def lead_body(korean: uuid.UUID | None, japanese: uuid.UUID | None, **overrides: Any) -> dict[str, Any]:
    """A valid lead create body between two registry companies, with `overrides`."""
    body: dict[str, Any] = {
        "deal_type": "export",
        "title": "양극재 공급 / 正極材の供給",
        "korean_party_id": str(korean) if korean else None,
        "japanese_party_id": str(japanese) if japanese else None,
        "origin": {"kind": "plaza", "event_id": str(uuid.uuid4()), "meeting_id": str(uuid.uuid4())},
        "hs_codes": ["8507.60"],
        "sectors": ["battery_materials"],
        "estimated_value": {"amount": "1500000000", "currency": "KRW"},
        "owner_person": "Kim Minjun",
        "tags": ["cathode"],
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


async def create_lead(client: httpx.AsyncClient, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    """A lead made by the client (the owner organisation unless other headers are given)."""
    response = await client.post("/v1/leads", json=body, headers=headers or None)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


async def move(client: httpx.AsyncClient, lead_id: str, **body: Any) -> httpx.Response:
    """POST a transition."""
    return await client.post(f"/v1/leads/{lead_id}/transitions", json=body)


async def put_rate(
    client: httpx.AsyncClient, admin: dict[str, str], currency: str, day: str, rate: str
) -> None:
    """Store a rate as an administrator."""
    response = await client.post(
        "/v1/fx-rates", json={"currency": currency, "date": day, "rate": rate}, headers=admin
    )
    assert response.status_code in (200, 201), response.text
