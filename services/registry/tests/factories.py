"""Small async factories for registry tests."""

import uuid
from typing import Any

import httpx


def unique(text: str) -> str:
    """`text` with a random suffix, for tests that commit for real."""
    return f"{text} {uuid.uuid4().hex[:8]}"


async def create_company(
    client: httpx.AsyncClient, headers: dict[str, str] | None = None, **body: Any
) -> dict[str, Any]:
    """POST a company (defaults: an English name and KR) and return the created record."""
    body.setdefault("name", {"en": unique("Test Company")})
    body.setdefault("country", "KR")
    response = await client.post("/v1/companies", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())
