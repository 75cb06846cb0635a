"""Alembic, one history per service, with the service's tables and `alembic_version` in its own schema.

The schema itself is created by the bootstrap (`plaza_dev.bootstrap`, or `deploy/`), owned by the service's
role; migrations run as that role and never touch another schema. Migrations are a step before the service
starts (`python -m plaza_kit.migrations <service>`), never part of application start-up.

A service's `migrations/env.py` is two lines: import its MetaData and call `run_env(metadata)`.
"""

import asyncio
import os
import sys
from collections.abc import Callable
from typing import Any

from alembic import command, context
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from plaza_kit.settings import asyncpg_url

FILE_TEMPLATE = "%%(year)d-%%(month).2d-%%(day).2d_%%(rev)s_%%(slug)s"


def alembic_config(service: str, database_url: str | None = None) -> Config:
    """The Alembic configuration of `service` (its package holds `migrations/`)."""
    config = Config()
    config.set_main_option("script_location", f"{service}:migrations")
    config.set_main_option("file_template", FILE_TEMPLATE)
    if database_url:
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def head_revision(service: str) -> str | None:
    """The revision that `service`'s migrations end at."""
    return ScriptDirectory.from_config(alembic_config(service)).get_current_head()


async def current_revision(connection: AsyncConnection, schema: str) -> str | None:
    """The revision the database is at for `schema`, or None before the first migration."""
    exists = await connection.scalar(text("SELECT to_regclass(:name)"), {"name": f"{schema}.alembic_version"})
    if exists is None:
        return None
    query = f'SELECT version_num FROM "{schema}".alembic_version'  # noqa: S608 (schema is ours, not input)
    value = await connection.scalar(text(query))
    return str(value) if value is not None else None


def upgrade(service: str, database_url: str, revision: str = "head") -> None:
    """Migrate `service` to `revision` (blocking; call from a thread inside an event loop)."""
    command.upgrade(alembic_config(service, database_url), revision)


def _only_schema(schema: str) -> Callable[..., bool]:
    def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
        return name == schema if type_ == "schema" else True

    return include_name


def run_env(metadata: MetaData) -> None:
    """Body of a service's `migrations/env.py` (online mode, async engine, own schema only)."""
    schema = metadata.schema
    assert schema, "service metadata must be bound to a schema"
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "pass the database URL (python -m plaza_kit.migrations <service> [url])"

    def migrate(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=schema,
            include_schemas=True,
            include_name=_only_schema(schema),
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(asyncpg_url(url), poolclass=NullPool)
        try:
            async with engine.connect() as connection:
                await connection.execute(text(f'SET search_path TO "{schema}", public'))
                await connection.run_sync(migrate)
                await connection.commit()
        finally:
            await engine.dispose()

    asyncio.run(run())


def main(argv: list[str] | None = None) -> None:
    """`python -m plaza_kit.migrations <service> [url]`; the URL defaults to `<SERVICE>_DATABASE_URL`."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        raise SystemExit("usage: python -m plaza_kit.migrations <service> [database-url]")
    service = args[0]
    url = args[1] if len(args) > 1 else os.environ.get(f"{service.upper()}_DATABASE_URL")
    if not url:
        raise SystemExit(f"set {service.upper()}_DATABASE_URL or pass the URL")
    upgrade(service, url)


if __name__ == "__main__":
    main()
