"""The registry refuses what the gateway did not vouch for, and enforces scopes and ownership."""

import httpx

from plaza_dev.testing import Identities
from plaza_kit.identity import IDENTITY_HEADER, IdentitySigner, Principal, generate_private_key_pem
from plaza_kit.scopes import Scope

from .conftest import OTHER_ORGANISATION, OWN_ORGANISATION

BODY = {"name": {"en": "Owned Co."}, "country": "KR"}


async def test_a_request_without_identity_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/companies", headers={IDENTITY_HEADER: ""})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_forged_token_is_401(client: httpx.AsyncClient) -> None:
    forger = IdentitySigner(generate_private_key_pem(), kid="test-gateway", issuer="plaza-gateway")
    forged = forger.mint(Principal("intruder", None, frozenset({"admin"})))
    response = await client.get("/v1/companies", headers={IDENTITY_HEADER: forged})
    assert response.status_code == 401


async def test_an_expired_token_is_401(client: httpx.AsyncClient, identities: Identities) -> None:
    expired = identities.token(Scope.REGISTRY_READ, ttl_seconds=-60)
    response = await client.get("/v1/companies", headers={IDENTITY_HEADER: expired})
    assert response.status_code == 401


async def test_a_missing_scope_is_403(client: httpx.AsyncClient, identities: Identities) -> None:
    read_only = identities.headers(Scope.REGISTRY_READ, organisation_id=OWN_ORGANISATION)
    response = await client.post("/v1/companies", json=BODY, headers=read_only)
    assert response.status_code == 403
    assert response.json()["required_scopes"] == ["registry:write"]


async def test_only_the_owner_organisation_or_an_admin_may_change_a_company(
    client: httpx.AsyncClient, identities: Identities
) -> None:
    created = (await client.post("/v1/companies", json=BODY)).json()
    other = identities.headers(Scope.REGISTRY_READ, Scope.REGISTRY_WRITE, organisation_id=OTHER_ORGANISATION)
    refused = await client.patch(f"/v1/companies/{created['id']}", json={"country": "JP"}, headers=other)
    assert refused.status_code == 403
    assert (await client.get(f"/v1/companies/{created['id']}")).json()["country"] == "KR"
    admin = identities.headers(Scope.ADMIN, organisation_id=OTHER_ORGANISATION)
    allowed = await client.patch(f"/v1/companies/{created['id']}", json={"country": "JP"}, headers=admin)
    assert allowed.status_code == 200
    mine = await client.patch(f"/v1/companies/{created['id']}", json={"country": "KR"})
    assert mine.status_code == 200
