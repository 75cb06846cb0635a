"""References for the other services: the `/refs` lookups, and the kit's registry client calling them over
real HTTP (the registry served by uvicorn on a free port, over the run's database) as another service would:
signed with that service's own key, which the registry trusts through its JWKS.
"""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
import pytest
import uvicorn
from fastapi import APIRouter, FastAPI
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from plaza_contracts import CompanyRef, OrganisationRef
from plaza_dev.embedded_pg import free_port
from plaza_dev.testing import Identities, PlazaDatabase
from plaza_kit.app import create_service_app
from plaza_kit.auth import requires
from plaza_kit.client import ServiceClient, open_upstreams
from plaza_kit.client_registry import RegistryClient, RegistryDep
from plaza_kit.errors import UnavailableError
from plaza_kit.identity import IDENTITY_HEADER, Principal, generate_private_key_pem, jwks_of
from plaza_kit.scopes import Scope
from plaza_kit.settings import ServiceSettings
from registry.app import create_app
from registry.settings import RegistrySettings

from .conftest import OWN_ORGANISATION
from .factories import create_company, unique

UNKNOWN = uuid.UUID("01995a1e-ec00-7000-8000-0000000000ee")
CALLER_PEM = generate_private_key_pem()  # the meetings service's own key, trusted by the live registry
CALLER_KEY = (CALLER_PEM, "meetings-1", "plaza-meetings")


async def merge(client: httpx.AsyncClient, survivor: dict[str, Any], merged: dict[str, Any]) -> None:
    response = await client.post(
        f"/v1/companies/{survivor['id']}/merge", json={"merged_id": merged["id"], "reason": "duplicate"}
    )
    assert response.status_code == 200, response.text


# --- the lookups, in process ----------------------------------------------------------------------------


async def test_company_refs_answer_found_merged_and_unknown_ids_once(client: httpx.AsyncClient) -> None:
    found = await create_company(client, name={"ko": unique("한빛소재"), "en": unique("Hanbit")})
    merged, survivor = await create_company(client), await create_company(client, country="JP")
    await merge(client, survivor, merged)
    asked = [found["id"], merged["id"], str(UNKNOWN), found["id"], survivor["id"]]
    response = await client.post("/v1/companies/refs", json={"ids": asked})
    assert response.status_code == 200, response.text
    body = response.json()
    expected_items = [
        {"id": record["id"], "name": record["name"], "country": record["country"]}
        for record in sorted([found, survivor], key=lambda record: record["id"])
    ]
    assert body == {
        "items": expected_items,
        "merged": [{"id": merged["id"], "merged_into_id": survivor["id"]}],
        "unknown": [str(UNKNOWN)],
    }
    assert CompanyRef.model_validate(body["items"][0]).name.ko == found["name"]["ko"]


async def test_a_merge_chain_resolves_to_the_last_survivor(client: httpx.AsyncClient) -> None:
    first, second, third = [await create_company(client) for _ in range(3)]
    await merge(client, second, first)
    await merge(client, third, second)
    body = (await client.post("/v1/companies/refs", json={"ids": [first["id"]]})).json()
    assert body["merged"] == [{"id": first["id"], "merged_into_id": third["id"]}]
    assert [item["id"] for item in body["items"]] == [third["id"]]


async def test_organisation_refs_know_only_organisations(client: httpx.AsyncClient) -> None:
    council = await create_company(client, kind="association", name={"ja": unique("中部電池協議会")})
    company = await create_company(client)
    body = (await client.post("/v1/organisations/refs", json={"ids": [council["id"], company["id"]]})).json()
    assert body == {
        "items": [{"id": council["id"], "name": council["name"]}],
        "merged": [],
        "unknown": [company["id"]],
    }
    OrganisationRef.model_validate(body["items"][0])


async def test_ref_lookups_refuse_empty_and_oversized_batches(client: httpx.AsyncClient) -> None:
    for path in ("/v1/companies/refs", "/v1/organisations/refs"):
        assert (await client.post(path, json={"ids": []})).status_code == 422
        assert (await client.post(path, json={"ids": [str(UNKNOWN)] * 501})).status_code == 422
        assert (await client.post(path, json={"ids": ["not-an-id"]})).status_code == 422


async def test_memberships_and_duplicate_candidates_name_bodies_as_company_refs(
    client: httpx.AsyncClient,
) -> None:
    council = await create_company(client, kind="association", name={"en": unique("Tokai Council")})
    member = await create_company(client, name={"ja": unique("株式会社東海セル")}, country="JP")
    added = await client.post(f"/v1/organisations/{council['id']}/members", json={"member_id": member["id"]})
    assert added.status_code == 201, added.text
    assert CompanyRef.model_validate(added.json()["member"]).id == uuid.UUID(member["id"])
    name = unique("Kobayashi Anode")
    await create_company(client, name={"en": name})
    refused = await client.post("/v1/companies", json={"name": {"en": f"{name} Co., Ltd."}, "country": "KR"})
    assert refused.status_code == 409
    for candidate in refused.json()["candidates"]:
        assert set(candidate) == {"id", "name", "country"}
        CompanyRef.model_validate(candidate)


# --- the kit's client against the registry over real HTTP ------------------------------------------------


class CallerSettings(ServiceSettings):
    """A service that calls the registry (the meetings service's prefix)."""

    model_config = SettingsConfigDict(env_prefix="MEETINGS_", extra="ignore")


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """`app` under uvicorn on a free port (lifespan included) until the block ends."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False, ws="none")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(30):
        while not server.started:
            assert not task.done(), "the server stopped while starting"
            await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture(scope="module")
async def live_registry(test_database: PlazaDatabase, identities: Identities) -> AsyncIterator[str]:
    """The registry trusting the gateway's test key and the calling service's key."""
    trusted = {"keys": identities.jwks["keys"] + jwks_of(CALLER_KEY)["keys"]}
    settings = RegistrySettings(database_url=test_database.url("registry"), trusted_keys=json.dumps(trusted))
    async with serving(create_app(settings)) as url:
        yield url


def caller_settings(database: PlazaDatabase, registry_url: str, pem: str = CALLER_PEM) -> CallerSettings:
    return CallerSettings(
        database_url=database.url("meetings"),
        signing_key=SecretStr(pem),
        signing_key_id="meetings-1",
        upstream_urls={"registry": registry_url},
        upstream_read_timeout=5.0,
    )


@asynccontextmanager
async def registry_client(settings: CallerSettings) -> AsyncIterator[RegistryClient]:
    upstreams = open_upstreams("meetings", settings, ["registry"])
    try:
        yield RegistryClient(upstreams["registry"])
    finally:
        await upstreams.aclose()


@pytest.fixture
async def partner(live_registry: str, identities: Identities) -> AsyncIterator[httpx.AsyncClient]:
    """A partner writing to the live registry (as through the gateway); its records are committed."""
    headers = identities.headers(Scope.REGISTRY_READ, Scope.REGISTRY_WRITE, organisation_id=OWN_ORGANISATION)
    async with httpx.AsyncClient(base_url=live_registry, headers=headers) as http:
        yield http


async def test_the_client_resolves_companies_with_the_callers_own_identity(
    partner: httpx.AsyncClient, live_registry: str, test_database: PlazaDatabase
) -> None:
    found = await create_company(partner, name={"en": unique("Chubu Cell")}, country="JP")
    merged, survivor = await create_company(partner), await create_company(partner)
    await merge(partner, survivor, merged)
    async with registry_client(caller_settings(test_database, live_registry)) as registry:
        refs = await registry.company_refs([uuid.UUID(found["id"]), uuid.UUID(merged["id"]), UNKNOWN])
        one = await registry.company_ref(uuid.UUID(merged["id"]))
        nothing = await registry.company_ref(UNKNOWN)
        organisations = await registry.organisation_refs([uuid.UUID(found["id"])])
    resolved = refs.resolved()
    assert resolved[uuid.UUID(found["id"])].name.en == found["name"]["en"]
    assert resolved[uuid.UUID(merged["id"])].id == uuid.UUID(survivor["id"])
    assert refs.unknown == [UNKNOWN]
    assert one is not None
    assert one.id == uuid.UUID(survivor["id"])
    assert nothing is None
    assert organisations.unknown == [uuid.UUID(found["id"])]


async def test_the_client_maps_a_404_to_the_callers_answer(
    live_registry: str, test_database: PlazaDatabase
) -> None:
    async with registry_client(caller_settings(test_database, live_registry)) as registry:
        missing = await registry.http.fetch("GET", f"/v1/companies/{UNKNOWN}", CompanyRef)
    assert missing is None


async def test_the_registry_refuses_a_caller_signed_by_an_untrusted_key(
    live_registry: str, test_database: PlazaDatabase
) -> None:
    impostor = caller_settings(test_database, live_registry, pem=generate_private_key_pem())
    async with registry_client(impostor) as registry:
        with pytest.raises(UnavailableError) as error:
            await registry.company_refs([UNKNOWN])
    assert error.value.detail == "the registry is unavailable: it refused this service's identity (401)"
    assert error.value.extensions == {"dependency": "registry"}


def caller_app(settings: CallerSettings) -> FastAPI:
    """A service with the registry as upstream and one route that shows a company it refers to."""
    router = APIRouter()

    @router.get("/v1/probe/{company_id}")
    async def probe(
        company_id: uuid.UUID,
        registry: RegistryDep,
        _: Annotated[Principal, requires(Scope.MEETINGS_READ)],
    ) -> CompanyRef | None:
        return await registry.company_ref(company_id)

    return create_service_app(
        service="meetings",
        settings=settings,
        title="caller",
        description="",
        routers=[router],
        upstreams=("registry",),
    )


@asynccontextmanager
async def calling(app: FastAPI, identities: Identities) -> AsyncIterator[httpx.AsyncClient]:
    """The caller app with its lifespan running (it owns the upstream clients), called in process."""
    async with app.router.lifespan_context(app):
        headers = {IDENTITY_HEADER: identities.token(Scope.MEETINGS_READ), "X-Request-ID": "probe-1"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://meetings", headers=headers
        ) as http:
            yield http


async def test_a_service_app_owns_its_registry_client_through_its_lifespan(
    partner: httpx.AsyncClient, live_registry: str, test_database: PlazaDatabase, identities: Identities
) -> None:
    company = await create_company(partner, name={"ko": unique("대한정밀")})
    settings = caller_settings(test_database, live_registry)
    settings.trusted_keys = identities.jwks_json
    app = caller_app(settings)
    async with calling(app, identities) as http:
        response = await http.get(f"/v1/probe/{company['id']}")
        client: ServiceClient = app.state.upstreams["registry"]
    assert response.status_code == 200, response.text
    assert response.json() == {"id": company["id"], "name": company["name"], "country": "KR"}
    assert client.is_closed  # closed with the app


async def test_a_registry_that_is_down_is_a_503_problem_naming_it(
    test_database: PlazaDatabase, identities: Identities
) -> None:
    settings = caller_settings(test_database, f"http://127.0.0.1:{free_port()}")
    settings.trusted_keys = identities.jwks_json
    async with calling(caller_app(settings), identities) as http:
        response = await http.get(f"/v1/probe/{UNKNOWN}")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    body = response.json()
    assert body["dependency"] == "registry"
    assert body["detail"].startswith("the registry is unavailable")
    assert body["request_id"] == "probe-1"
