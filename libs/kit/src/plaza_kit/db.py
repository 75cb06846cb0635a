"""Database plumbing: one pooled async engine per app, one session per request, schema-bound metadata."""

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from plaza_kit.errors import DatabaseUnavailableError
from plaza_kit.settings import ComponentSettings, asyncpg_url

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def schema_metadata(schema: str) -> MetaData:
    """MetaData whose tables live in `schema`, with predictable constraint names (errors map on them)."""
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


def make_engine(settings: ComponentSettings, application_name: str) -> AsyncEngine:
    """The component's pooled engine. Every wait is bounded: opening a connection (`db_connect_timeout`),
    getting one from the pool (`db_pool_timeout`) and each statement (`db_statement_timeout_ms`, server-side);
    the errors they end in are answered as 503s (`plaza_kit.errors.database_unavailable`).
    """
    engine = create_async_engine(
        asyncpg_url(settings.database_url),
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_pre_ping=True,
        hide_parameters=True,  # statement parameters carry personal data: never into logs or errors
        connect_args={
            "server_settings": {
                "application_name": application_name,
                "statement_timeout": str(settings.db_statement_timeout_ms),
                "timezone": "UTC",
            },
            "timeout": settings.db_connect_timeout,
        },
    )
    event.listen(engine.sync_engine, "do_connect", _connect_or_unavailable)
    return engine


def _connect_or_unavailable(
    dialect: Dialect, _record: ConnectionPoolEntry, cargs: tuple[Any, ...], cparams: dict[str, Any]
) -> Any:
    """Open a DBAPI connection; a server that refuses or does not answer is `DatabaseUnavailableError`.

    asyncpg raises plain `OSError`s (`ConnectionRefusedError`, the connect timeout's `TimeoutError`, …)
    here, which SQLAlchemy passes on unwrapped; caught anywhere else they could as well be a failing
    upstream, so they are named for what they are while it is still known.
    """
    try:
        return dialect.connect(*cargs, **cparams)
    except TimeoutError as error:  # `db_connect_timeout` passed
        detail = "The database did not answer in time; retry shortly."
        raise DatabaseUnavailableError(detail, cause="ConnectTimeout") from error
    except OSError as error:
        raise DatabaseUnavailableError(cause=type(error).__name__) from error


def make_sessionmaker(bind: Any, **options: Any) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded attributes after commit (responses are built after the commit)."""
    return async_sessionmaker(bind=bind, expire_on_commit=False, autoflush=False, **options)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for one request: committed when the route succeeds, rolled back when it raises.

    Declared with `scope="function"` so the commit happens before the response is sent: a failed commit is
    answered as an error, never as a 201 for something that was not stored.
    """
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def constraint_name(error: DBAPIError) -> str | None:
    """The name of the constraint a database error violated, if the driver reports one."""
    cause = getattr(error.orig, "__cause__", None)
    name = getattr(cause, "constraint_name", None) or getattr(error.orig, "constraint_name", None)
    return str(name) if name else None
