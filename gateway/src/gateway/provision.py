"""Clients and keys created outside the admin API: the run command's demo clients, test and benchmark
clients, and an operator's first admin client (there is no admin API before there is an admin).

`python -m gateway.provision --name NAME --scopes registry:read,registry:write [--organisation UUID]
[--rate-per-minute N] [--burst N] [--database-url URL]` creates (or updates) the client, issues a new key
and prints `{"client_id": ..., "key": ...}` as JSON. The URL defaults to `GATEWAY_DATABASE_URL`.
"""

import argparse
import asyncio
import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from gateway.keys import display_prefix, key_hash, new_key
from gateway.models import ApiClient, ApiKey
from plaza_contracts import deterministic_uuid7
from plaza_kit.settings import asyncpg_url

_EPOCH_MS = int(datetime(2025, 9, 18, tzinfo=UTC).timestamp() * 1000)


@dataclass(frozen=True)
class ClientSpec:
    """A client to exist, with the key it should hold."""

    name: str
    scopes: tuple[str, ...]
    organisation_id: uuid.UUID | None = None
    rate_per_minute: int = 600
    burst: int = 100

    @property
    def client_id(self) -> uuid.UUID:
        """Stable id derived from the name, so provisioning twice finds the same client."""
        return deterministic_uuid7(_EPOCH_MS, f"plaza-client:{self.name}")


@dataclass(frozen=True)
class ClientCredentials:
    """A provisioned client and its key (keep the key secret)."""

    client_id: uuid.UUID
    name: str
    organisation_id: uuid.UUID | None
    scopes: tuple[str, ...]
    key: str

    def __repr__(self) -> str:
        return f"ClientCredentials(name={self.name!r}, client_id={self.client_id}, key=<hidden>)"


async def ensure_client(connection: AsyncConnection, spec: ClientSpec, key: str) -> ClientCredentials:
    """Create or update the client (scopes, organisation, limits) and make sure `key` is one of its keys."""
    now = datetime.now(UTC)
    values = {
        "organisation_id": spec.organisation_id,
        "scopes": sorted(set(spec.scopes)),
        "rate_per_minute": spec.rate_per_minute,
        "burst": spec.burst,
    }
    await connection.execute(
        insert(ApiClient)
        .values(id=spec.client_id, name=spec.name, created_at=now, updated_at=now, **values)
        .on_conflict_do_update(index_elements=["id"], set_={**values, "updated_at": now})
    )
    digest = key_hash(key)
    await connection.execute(
        insert(ApiKey)
        .values(
            id=deterministic_uuid7(_EPOCH_MS, "plaza-key:" + digest.hex()),
            client_id=spec.client_id,
            prefix=display_prefix(key),
            secret_hash=digest,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["secret_hash"])
    )
    return ClientCredentials(spec.client_id, spec.name, spec.organisation_id, tuple(sorted(spec.scopes)), key)


async def provision(database_url: str, specs: Sequence[tuple[ClientSpec, str]]) -> list[ClientCredentials]:
    """Ensure every (client, key) pair, in one transaction."""
    engine = create_async_engine(asyncpg_url(database_url), poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            return [await ensure_client(connection, spec, key) for spec, key in specs]
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m gateway.provision", description=__doc__)
    parser.add_argument("--name", required=True)
    parser.add_argument("--scopes", required=True, help="comma-separated scopes")
    parser.add_argument("--organisation", type=uuid.UUID, default=None)
    parser.add_argument("--rate-per-minute", type=int, default=600)
    parser.add_argument("--burst", type=int, default=100)
    parser.add_argument("--database-url", default=os.environ.get("GATEWAY_DATABASE_URL"))
    args = parser.parse_args(argv)
    if not args.database_url:
        raise SystemExit("set GATEWAY_DATABASE_URL or pass --database-url")
    spec = ClientSpec(
        name=args.name,
        scopes=tuple(scope.strip() for scope in args.scopes.split(",") if scope.strip()),
        organisation_id=args.organisation,
        rate_per_minute=args.rate_per_minute,
        burst=args.burst,
    )
    [created] = asyncio.run(provision(args.database_url, [(spec, new_key())]))
    print(json.dumps({"client_id": str(created.client_id), "key": created.key}))


if __name__ == "__main__":
    main()
