"""Each service's role owns its schema and cannot touch another's."""

import asyncpg
import pytest

from plaza_dev.testing import PlazaDatabase
from plaza_kit.bootstrap import bootstrap


async def test_registry_role_cannot_read_the_investment_schema(test_database: PlazaDatabase) -> None:
    owner = await asyncpg.connect(test_database.url("investment"))
    intruder = await asyncpg.connect(test_database.url("registry"))
    try:
        await owner.execute("CREATE TABLE IF NOT EXISTS investment.secret_probe (id int)")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await intruder.fetch("SELECT * FROM investment.secret_probe")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await intruder.execute("CREATE TABLE investment.planted (id int)")
    finally:
        await owner.execute("DROP TABLE IF EXISTS investment.secret_probe")
        await owner.close()
        await intruder.close()


async def test_service_roles_cannot_create_in_public(test_database: PlazaDatabase) -> None:
    connection = await asyncpg.connect(test_database.url("registry"))
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await connection.execute("CREATE TABLE public.stray (id int)")
    finally:
        await connection.close()


async def test_each_schema_and_its_version_table_belong_to_the_service_role(
    test_database: PlazaDatabase,
) -> None:
    connection = await asyncpg.connect(test_database.superuser_url)
    try:
        rows = await connection.fetch(
            "SELECT n.nspname AS schema, pg_get_userbyid(c.relowner) AS owner FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'alembic_version'"
        )
    finally:
        await connection.close()
    assert {(row["schema"], row["owner"]) for row in rows} == {
        ("registry", "plaza_registry"),
        ("meetings", "plaza_meetings"),
        ("investment", "plaza_investment"),
        ("gateway", "plaza_gateway"),
    }


async def test_bootstrap_is_idempotent(test_database: PlazaDatabase) -> None:
    await bootstrap(test_database.admin_url, test_database.name)
    await bootstrap(test_database.admin_url, test_database.name)
    connection = await asyncpg.connect(test_database.superuser_url)
    try:
        ctype = await connection.fetchval(
            "SELECT datctype FROM pg_database WHERE datname = current_database()"
        )
        trigram = await connection.fetchval("SELECT similarity('에코프로비엠', '에코프로')")
    finally:
        await connection.close()
    assert ctype == "C.UTF-8"
    assert trigram > 0.3
