"""Connections for one-statement reads: no session, no transaction, no ping, no reset query.

A read through the ORM session costs more round trips than the read itself: the pool's pre-ping (with
asyncpg, `BEGIN; ;` and `ROLLBACK`), then `BEGIN`, the statements and `COMMIT`. A read that is one
statement needs none of that: it runs in autocommit on a connection of this small asyncpg pool, whose
prepared statements asyncpg caches per connection, so the read is one round trip.

Without the ping, a pooled connection the server has closed (restart, idle timeout) fails on use; reads
are idempotent, so such a read is retried once on a fresh connection. A database that does not answer is
a 503 problem (`Retry-After`), as with the session.

The pool is opened by the app's lifespan (`install`). Without a lifespan (the in-process test clients),
reads borrow the connection the app's sessionmaker is bound to, so a test sees the rows of its own
transaction.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import asyncpg
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from plaza_kit.errors import DatabaseUnavailableError
from plaza_kit.settings import ServiceSettings

_UNAVAILABLE_CLASSES = (
    "08",
    "53",
    "57",
)  # connection exception, insufficient resources, operator intervention
# A connection the server closed or terminated (restart, idle timeout, pg_terminate_backend): depending on
# when the news arrives, asyncpg reports it as one of these.
_LOST = (
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    asyncpg.AdminShutdownError,
    ConnectionError,
)

T = TypeVar("T")


def _dsn(url: str) -> str:
    """A libpq URL asyncpg accepts, from the service's database URL (which may name the SQLAlchemy driver)."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _no_reset(_: Any) -> None:
    """Connections come back as they left: reads leave no session state (no SET, LISTEN or lock)."""


class ReadPool:
    """asyncpg connections of one service for its single-statement reads."""

    def __init__(self, settings: ServiceSettings, application_name: str) -> None:
        self._settings = settings
        self._application_name = application_name
        self._pool: Any = None
        self._fallback: Callable[[], Any] | None = None

    async def open(self) -> None:
        """Create the pool (connections are made on first use, so start-up does not need the database)."""
        self._pool = await asyncpg.create_pool(
            _dsn(self._settings.database_url),
            min_size=0,
            max_size=self._settings.db_pool_size,
            reset=_no_reset,
            server_settings={
                "application_name": self._application_name,
                "statement_timeout": str(self._settings.db_statement_timeout_ms),
                "timezone": "UTC",
            },
            timeout=self._settings.db_connect_timeout,
        )

    @property
    def is_open(self) -> bool:
        """Whether reads go through the pool (else through the sessionmaker's connection)."""
        return self._pool is not None

    async def close(self) -> None:
        """Close every connection (at shutdown)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    def borrow_from(self, app: FastAPI) -> None:
        """Without an open pool, read through the connection `app`'s sessionmaker is bound to (tests)."""
        self._fallback = lambda: app.state.sessionmaker.kw["bind"]

    async def run(self, read: Callable[[Any], Awaitable[T]]) -> T:
        """`read(connection)` on a pooled connection, once more on a fresh one if the first was lost."""
        try:
            if self._pool is None:
                return await self._run_borrowed(read)
            try:
                return await self._run_pooled(read)
            except _LOST:
                return await self._run_pooled(read)
        except (
            OSError,
            TimeoutError,
            asyncpg.CannotConnectNowError,
            asyncpg.TooManyConnectionsError,
        ) as error:
            raise DatabaseUnavailableError(cause=type(error).__name__) from error
        except asyncpg.PostgresError as error:
            if str(getattr(error, "sqlstate", "")).startswith(_UNAVAILABLE_CLASSES):
                raise DatabaseUnavailableError(cause=type(error).__name__) from error
            raise

    async def _run_pooled(self, read: Callable[[Any], Awaitable[T]]) -> T:
        # asyncio.timeout, not acquire(timeout=): asyncpg would wrap the wait in a task of its own.
        async with asyncio.timeout(self._settings.db_pool_timeout):
            connection = await self._pool.acquire()
        try:
            return await read(connection)
        except _LOST:
            connection.terminate()  # never back into the pool half-broken: the pool connects anew
            raise
        finally:
            await self._pool.release(connection)

    async def _run_borrowed(self, read: Callable[[Any], Awaitable[T]]) -> T:
        if self._fallback is None:
            raise RuntimeError("the read pool is not open and has nothing to borrow from")
        bind = self._fallback()
        async with contextlib.AsyncExitStack() as stack:
            if isinstance(bind, AsyncEngine):
                bind = await stack.enter_async_context(bind.connect())
            assert isinstance(bind, AsyncConnection)
            raw = await bind.get_raw_connection()
            return await read(raw.driver_connection)


def install(app: FastAPI, settings: ServiceSettings, application_name: str) -> ReadPool:
    """Give `app` a read pool (`app.state.read_pool`), opened and closed with the app's lifespan."""
    pool = ReadPool(settings, application_name)
    pool.borrow_from(app)
    app.state.read_pool = pool
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[Any]:
        async with inner(running) as state:
            await pool.open()
            try:
                yield state
            finally:
                await pool.close()

    app.router.lifespan_context = lifespan
    return pool
