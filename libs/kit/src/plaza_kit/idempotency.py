"""Idempotent creates: a retried POST with the same `Idempotency-Key` answers the first result again.

The key is claimed inside the request's own transaction with `INSERT … ON CONFLICT DO NOTHING`, so PostgreSQL
decides who was first: a concurrent retry waits on the unique index until the first request commits (then
it replays the stored answer) or rolls back (then it runs itself). Nothing is remembered for a request that
failed, so a retry of a failed create simply runs again. Keys are scoped to the calling client and expire
after `KEY_LIFETIME`; a key reused with a different request is a 422.

Each service that uses it declares the table once on its metadata with `idempotency_table(metadata)`.
"""

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    delete,
    func,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from plaza_kit.concurrency import entity_tag
from plaza_kit.db import SessionDep
from plaza_kit.errors import UnprocessableError
from plaza_kit.identity import Principal

KEY_LIFETIME = timedelta(hours=24)
PURGE_BATCH = 100  # expired keys removed by each claim, so the table stays small without a cron job

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="A unique value (e.g. a UUID) per intended create; a retry with the same key returns the "
        "first result instead of creating a second record. Kept for 24 hours.",
    ),
]


def idempotency_table(metadata: MetaData) -> Table:
    """The table that remembers answered keys, in the service's own schema."""
    return Table(
        "idempotency_record",
        metadata,
        Column("principal", String(200), primary_key=True),
        Column("key", String(200), primary_key=True),
        Column("fingerprint", String(64), nullable=False),
        Column("status_code", Integer),
        Column("body", JSONB),
        Column("location", String(500)),
        Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    )


@dataclass(frozen=True)
class Replay:
    """The stored answer of the first request with a key."""

    status_code: int
    body: Any
    location: str | None


def fingerprint(method: str, path: str, body: Any) -> str:
    """A digest of what was asked, to refuse a key reused for a different request."""
    canonical = json.dumps([method, path, body], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyStore:
    """Claims and answers keys in one service's table."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def _row(self, principal: str, key: str) -> Any:
        return and_(self.table.c.principal == principal, self.table.c.key == key)

    async def claim(self, session: AsyncSession, *, principal: str, key: str, digest: str) -> Replay | None:
        """None when this request owns the key (go on and create); the first answer when it was used."""
        table = self.table
        expired = table.c.created_at < datetime.now(UTC) - KEY_LIFETIME
        oldest = select(table.c.principal, table.c.key).where(expired).limit(PURGE_BATCH)
        await session.execute(delete(table).where(tuple_(table.c.principal, table.c.key).in_(oldest)))
        claimed = await session.execute(
            insert(table)
            .values(principal=principal, key=key, fingerprint=digest)
            .on_conflict_do_nothing()
            .returning(table.c.key)
        )
        if claimed.first() is not None:
            return None
        stored = (await session.execute(select(table).where(self._row(principal, key)))).one()
        if stored.fingerprint != digest:
            raise UnprocessableError(
                "this Idempotency-Key was already used for a different request; use a new key",
                extensions={"idempotency_key": key},
            )
        return Replay(stored.status_code, stored.body, stored.location)

    async def remember(
        self,
        session: AsyncSession,
        *,
        principal: str,
        key: str,
        status_code: int,
        body: Any,
        location: str | None,
    ) -> None:
        """Store the answer with the claim, in the same transaction as the create itself."""
        await session.execute(
            update(self.table)
            .where(self._row(principal, key))
            .values(status_code=status_code, body=body, location=location)
        )


@dataclass(frozen=True)
class Created:
    """What a create produced: its JSON body and the `Location` of the new record."""

    body: Any
    location: str


class IdempotentCreate:
    """Runs a create at most once per `Idempotency-Key` (the FastAPI dependency `IdempotentCreateDep`).

    It knows its own request (path, key, the request's session) so routes never repeat them: a route builds
    its `create` closure and calls `await idempotent(principal, body, create)`.
    """

    def __init__(self, store: IdempotencyStore, session: AsyncSession, path: str, key: str | None) -> None:
        self.store, self.session, self.path, self.key = store, session, path, key

    async def __call__(
        self, principal: Principal, body: BaseModel, create: Callable[[], Awaitable[Created]]
    ) -> JSONResponse:
        """Answer 201 with what `create` made, or the first answer again for a retry with the same key and
        body (a different body under a used key is a 422)."""
        if self.key:
            digest = fingerprint("POST", self.path, body.model_dump(mode="json"))
            replay = await self.store.claim(
                self.session, principal=principal.subject, key=self.key, digest=digest
            )
            if replay is not None:
                return replay_response(replay)
        created = await create()
        if self.key:
            await self.store.remember(
                self.session,
                principal=principal.subject,
                key=self.key,
                status_code=201,
                body=created.body,
                location=created.location,
            )
        return JSONResponse(
            created.body, status_code=201, headers=_created_headers(created.body, created.location)
        )


def _idempotent_create(
    request: Request, session: SessionDep, idempotency_key: IdempotencyKeyHeader = None
) -> IdempotentCreate:
    store: IdempotencyStore | None = getattr(request.app.state, "idempotency", None)
    if store is None:
        raise RuntimeError("this app has no idempotency store (pass idempotency= to create_service_app)")
    return IdempotentCreate(store, session, request.url.path, idempotency_key)


IdempotentCreateDep = Annotated[IdempotentCreate, Depends(_idempotent_create)]
"""The idempotent-create helper of the current request; documents the `Idempotency-Key` header."""


def _created_headers(body: Any, location: str | None) -> dict[str, str]:
    """`Location`, and the `ETag` of a versioned record."""
    headers = {"Location": location} if location else {}
    if isinstance(body, dict) and isinstance(body.get("version"), int):
        headers["ETag"] = entity_tag(body["version"])
    return headers


def replay_response(replay: Replay) -> JSONResponse:
    """The first answer again, marked as a replay."""
    headers = {"Idempotent-Replayed": "true", **_created_headers(replay.body, replay.location)}
    return JSONResponse(replay.body, status_code=replay.status_code, headers=headers)
