"""The floor of a company read: a bare ASGI app doing only what the answer needs (`./plaza bench gateway`).

It verifies the identity token with the same `plaza_kit.identity` verifier and keys as the registry, runs
the registry's own single statement (`registry.companies.repository`: `COMPANY_SQL` for one company,
`list_statement(...)` for the first page of 20) on an asyncpg pool set up like the registry's read pool,
and answers the same bytes (the page's `next_cursor` signed with the registry's cursor key). No framework,
no middleware, no access log, no session: what is left is uvicorn, the token check, one round trip and
the bytes. The registry's CPU per request divided by this one's is what the framework and our plumbing
cost (bench/README.md). It answers only the two requests the bench sends:

  GET /v1/companies/{id}        → 200 with `ETag`, 308 for a merged id, 404 when unknown
  GET /v1/companies?limit=20    → the first page of active companies
  GET /healthz                  → 200 (readiness)
"""

import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
import orjson
import uvicorn

from plaza_contracts import CursorCodec
from plaza_kit.identity import IDENTITY_HEADER, IdentityError, IdentityVerifier
from plaza_kit.logs import logging_config
from plaza_kit.scopes import Scope
from registry.companies import repository
from registry.companies.filters import CompanyFilters
from registry.settings import RegistrySettings

PAGE_QUERY = b"limit=20"
PAGE_LIMIT = 20
_IDENTITY = IDENTITY_HEADER.encode()
_READ = Scope.REGISTRY_READ.value
_PREFIX = "/v1/companies/"
_JSON = [(b"content-type", b"application/json")]
_NOT_FOUND = b'{"status":404}'


class Floor:
    """The ASGI app."""

    def __init__(self, settings: RegistrySettings) -> None:
        self.settings = settings
        self.verifier = IdentityVerifier(settings.trusted_keys)
        self.codec = CursorCodec(settings.cursor_secret.get_secret_value())
        filters = CompanyFilters()
        self.fingerprint = filters.as_dict()
        self.page_sql, self.page_arguments = repository.list_statement(
            filters, after_id=None, limit=PAGE_LIMIT + 1
        )
        self.pool: Any = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        path: str = scope["path"]
        if path == "/healthz":
            await _answer(send, 200, b"{}")
            return
        token = next((value for name, value in scope["headers"] if name == _IDENTITY), None)
        try:
            principal = self.verifier.verify(token.decode()) if token else None
        except IdentityError:
            principal = None
        if principal is None:
            await _answer(send, 401, b'{"status":401}')
        elif not principal.has_scope(_READ):
            await _answer(send, 403, b'{"status":403}')
        elif path == "/v1/companies" and scope["query_string"] == PAGE_QUERY:
            await self._page(send)
        elif path.startswith(_PREFIX):
            await self._company(send, path[len(_PREFIX) :])
        else:
            await _answer(send, 404, _NOT_FOUND)

    async def _company(self, send: Any, raw_id: str) -> None:
        try:
            company_id = uuid.UUID(raw_id)
        except ValueError:
            await _answer(send, 404, _NOT_FOUND)
            return
        async with self.pool.acquire() as connection:
            row = await connection.fetchrow(repository.COMPANY_SQL, company_id)
        if row is None:
            await _answer(send, 404, _NOT_FOUND)
        elif row[0] is not None:
            body = orjson.dumps({"id": raw_id, "status": "merged", "merged_into_id": str(row[0])})
            await _answer(send, 308, body, [(b"location", f"{_PREFIX}{row[0]}".encode())])
        else:
            await _answer(send, 200, row[2].encode(), [(b"etag", f'"{row[1]}"'.encode())])

    async def _page(self, send: Any) -> None:
        async with self.pool.acquire() as connection:
            rows = await connection.fetch(self.page_sql, *self.page_arguments)
        cursor = None
        if len(rows) > PAGE_LIMIT:
            cursor = self.codec.encode([str(rows[PAGE_LIMIT - 1][0])], self.fingerprint)
        items = ",".join(row[1] for row in rows[:PAGE_LIMIT]).encode()
        await _answer(send, 200, b'{"items":[' + items + b'],"next_cursor":' + orjson.dumps(cursor) + b"}")

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.pool = await asyncpg.create_pool(
                    self.settings.database_url.replace("postgresql+asyncpg://", "postgresql://", 1),
                    min_size=0,
                    max_size=self.settings.db_pool_size,
                    reset=_no_reset,
                    server_settings={"application_name": "plaza-bench-floor", "timezone": "UTC"},
                )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _no_reset(_: Any) -> None:
    """Like the registry's read pool: connections come back as they left."""


async def _answer(send: Any, status: int, body: bytes, extra: Sequence[tuple[bytes, bytes]] = ()) -> None:
    headers = [*_JSON, (b"content-length", str(len(body)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def create_app() -> Floor:
    """The floor app (uvicorn factory), configured like the registry (`REGISTRY_*`)."""
    return Floor(RegistrySettings())


if __name__ == "__main__":
    settings = RegistrySettings()
    uvicorn.run(  # the registry's own server options (plaza_kit.serve)
        "bench.floor:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        log_config=logging_config("registry", settings.log_level),
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
