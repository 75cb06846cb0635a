"""Database bootstrap: the database, one schema and one login role per service, shared extensions.

Idempotent: the run command, the tests and `deploy/` all call it on every start. It needs a connection
with the right to create databases and roles (the server's superuser, or a deploy role with CREATEROLE and
CREATEDB). Each service's role owns its schema and has no privilege on the others', so the registry's role
cannot read the investment schema even by accident.

`python -m plaza_kit.bootstrap <admin-url> [database]`; passwords come from `PLAZA_DB_PASSWORD_<SERVICE>`
(none means the role authenticates as the server's `pg_hba.conf` allows, e.g. trust in development).
"""

import asyncio
import os
import sys
from collections.abc import Mapping, Sequence
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

from plaza_kit.catalogue import COMPONENTS, component

SERVICE_SCHEMAS: tuple[str, ...] = tuple(component.schema for component in COMPONENTS)
EXTENSIONS: tuple[str, ...] = ("pg_trgm", "btree_gist", "citext", "unaccent")
_BOOTSTRAP_LOCK = 0x504C415A41  # "PLAZA": serialises concurrent bootstraps on one server


def role_name(service: str) -> str:
    """The login role of `service`, as the catalogue names it."""
    return component(service).role


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def with_database(url: str, database: str) -> str:
    """`url` pointing at another database on the same server."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + quote(database)))


def service_url(admin_url: str, database: str, service: str, password: str | None = None) -> str:
    """The URL a service uses: same server, its own role, the Plaza database."""
    parts = urlsplit(with_database(admin_url, database))
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    credentials = quote(role_name(service)) + (":" + quote(password, safe="") if password else "")
    netloc = f"{credentials}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


async def ensure_database(admin_url: str, database: str) -> None:
    """Create `database` (UTF-8, C.UTF-8 collation and ctype so trigram search works in CJK) if missing."""
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", _BOOTSTRAP_LOCK)
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            await connection.execute(
                f"CREATE DATABASE {_quote_ident(database)} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
        await _ensure_roles(connection, SERVICE_SCHEMAS)
    finally:
        await connection.close()


async def _ensure_roles(connection: asyncpg.Connection, services: Sequence[str]) -> None:
    for service in services:
        role = role_name(service)
        exists = await connection.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
        if not exists:
            await connection.execute(
                f"CREATE ROLE {_quote_ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
            )


async def ensure_schemas(
    admin_url: str,
    database: str,
    passwords: Mapping[str, str] | None = None,
    services: Sequence[str] = SERVICE_SCHEMAS,
) -> None:
    """Inside `database`: extensions, and for each service a schema owned by its role and closed to others."""
    connection = await asyncpg.connect(with_database(admin_url, database))
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", _BOOTSTRAP_LOCK)
        for extension in EXTENSIONS:
            await connection.execute(f"CREATE EXTENSION IF NOT EXISTS {extension} WITH SCHEMA public")
        await connection.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        for service in services:
            role, schema = _quote_ident(role_name(service)), _quote_ident(service)
            password = (passwords or {}).get(service)
            if password:
                await connection.execute(f"ALTER ROLE {role} PASSWORD {_quote_literal(password)}")
            await connection.execute(f"GRANT CONNECT ON DATABASE {_quote_ident(database)} TO {role}")
            await connection.execute(f"CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {role}")
            await connection.execute(f"ALTER SCHEMA {schema} OWNER TO {role}")
            await connection.execute(f"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC")
            await connection.execute(
                f"ALTER ROLE {role} IN DATABASE {_quote_ident(database)} SET search_path = {schema}, public"
            )
    finally:
        await connection.close()


async def bootstrap(admin_url: str, database: str, passwords: Mapping[str, str] | None = None) -> None:
    """Everything the services need before their migrations can run."""
    await ensure_database(admin_url, database)
    await ensure_schemas(admin_url, database, passwords)


def passwords_from_environment() -> dict[str, str]:
    """`PLAZA_DB_PASSWORD_<SERVICE>` for each service that has one."""
    found = {}
    for service in SERVICE_SCHEMAS:
        value = os.environ.get(f"PLAZA_DB_PASSWORD_{service.upper()}")
        if value:
            found[service] = value
    return found


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        raise SystemExit("usage: python -m plaza_kit.bootstrap <admin-url> [database]")
    database = args[1] if len(args) > 1 else "plaza"
    asyncio.run(bootstrap(args[0], database, passwords_from_environment()))


if __name__ == "__main__":
    main()
