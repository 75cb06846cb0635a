"""The gateway's own routes: health, readiness of the set, the merged OpenAPI document, the docs page,
the OAuth token endpoint and the admin API."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Literal

import aiohttp
from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from gateway import oauth
from gateway.admin import audit_router
from gateway.admin import router as admin_router
from gateway.docs_page import ASSET_FILES, ASSETS_DIR, DOCS_HTML, DOCS_INIT_JS
from gateway.openapi_merge import merge_documents
from gateway.proxy import UpstreamPool
from plaza_kit.errors import NotFoundError, UnavailableError
from plaza_kit.openapi import install_problem_openapi

API_DESCRIPTION = """The Plaza API: one entry point for the partner systems of Korea–Japan industrial
cooperation events (trade agencies, consulates, industry consortia). Authenticate with an API key
(`X-API-Key`) or an OAuth 2.0 client-credentials access token (`Authorization: Bearer`); each operation
lists the scope it requires. Errors are RFC 9457 problem details (`application/problem+json`) with a
`request_id`; collections are cursor-paginated (`next_cursor`); every response carries the `RateLimit`
and `RateLimit-Policy` headers."""


# The tags of the gateway's own operations, defined for generators to group them (services define theirs).
TAGS = [
    {"name": "oauth", "description": "OAuth 2.0 client credentials: exchange a client's key for a token."},
    {"name": "admin", "description": "Operators only (`admin`): clients, their keys, and the audit log."},
    {"name": "health", "description": "Liveness and readiness of the gateway and the services behind it."},
]


class GatewayHealth(BaseModel):
    """Liveness of the gateway process."""

    status: Literal["ok"] = "ok"


class PlatformReadiness(BaseModel):
    """Readiness of every service behind the gateway."""

    status: Literal["ok"] = "ok"
    services: dict[str, str] = Field(description="`gateway` and each service name → `ok`.")


def build_own_api(
    pool: UpstreamPool,
    merged_document: Callable[[], Awaitable[dict[str, Any]]],
    own_readiness: Callable[[], Awaitable[str]],
) -> FastAPI:
    """The FastAPI app that answers everything that is not proxied."""
    api = FastAPI(
        title="Plaza gateway",
        version="1.0.0",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        openapi_tags=TAGS,
    )
    install_problem_openapi(api)
    api.include_router(oauth.router)
    api.include_router(admin_router.router)
    api.include_router(audit_router.router)

    @api.get("/healthz", operation_id="gateway_healthz", summary="Gateway liveness", tags=["health"])
    async def healthz() -> GatewayHealth:
        """The gateway process is up."""
        return GatewayHealth()

    @api.get("/readyz", operation_id="gateway_readyz", summary="Platform readiness", tags=["health"])
    async def readyz() -> PlatformReadiness:
        """The gateway's database and every service are ready (reachable, migrations at head)."""
        results = await asyncio.gather(own_readiness(), *(_service_ready(pool, name) for name in pool.bases))
        states = dict(zip(["gateway", *pool.bases], results, strict=True))
        if any(state != "ok" for state in states.values()):
            raise UnavailableError(
                "some services are not ready", extensions={"services": states}, headers={"Retry-After": "2"}
            )
        return PlatformReadiness(services=states)

    @api.get("/openapi.json", include_in_schema=False)
    async def openapi() -> JSONResponse:
        return JSONResponse(await merged_document(), headers={"Cache-Control": "no-cache"})

    @api.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_HTML)

    @api.get("/docs/assets/{name}", include_in_schema=False)
    async def docs_asset(name: str) -> Response:
        if name == "init.js":
            return Response(DOCS_INIT_JS, media_type="text/javascript")
        if name not in ASSET_FILES:
            raise NotFoundError(f"no asset {name}")
        return FileResponse(ASSETS_DIR / name, headers={"Cache-Control": "public, max-age=86400"})

    return api


def platform_document(
    api: FastAPI, service_documents: Mapping[str, dict[str, Any]], missing: Sequence[str] = ()
) -> dict[str, Any]:
    """The platform's OpenAPI document: the gateway's own operations (`api`) and the services' (service
    name → its document); `missing` names the services whose document could not be fetched."""
    description = API_DESCRIPTION
    if missing:
        description += f"\n\n**Not included right now (unavailable):** {', '.join(missing)}."
    own = api.openapi()
    oauth.document_token_errors(own)
    return merge_documents(
        own, service_documents, title="Plaza API", description=description, version="1.0.0"
    )


async def _service_ready(pool: UpstreamPool, service: str) -> str:
    try:
        async with pool.sessions[service].get(
            pool.url(service, "/readyz"), timeout=aiohttp.ClientTimeout(total=2)
        ) as response:
            if response.status == 200:
                return "ok"
            body: Any = await response.json(content_type=None)
            return str(body.get("detail") or f"status {response.status}")
    except (aiohttp.ClientError, TimeoutError, ValueError):
        return "unreachable"
