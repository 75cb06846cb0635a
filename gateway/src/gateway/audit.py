"""The audit trail of writes: every POST/PUT/PATCH/DELETE that passed authentication, proxied or admin.

The hot path only appends a small record to an in-memory queue (no I/O, no awaiting); a background task
resolves operation ids and target ids and inserts the records in batches. Nothing of the request body,
query string or credentials is kept: client, organisation, request id, operation, target id, status.
While the database is unavailable the writer keeps the records queued and retries every second, logging
the outage once and its end once; if the queue fills up (the database is down for long), new records are
dropped and counted in the log rather than slowing or failing partner requests. Records that still cannot be
stored when the gateway stops are counted in the log; stopping never fails because of them.
"""

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import Message, Scope, Send

from gateway.credentials import Grant
from gateway.models import AuditEvent
from gateway.operations import OperationIndex, fallback_operation
from plaza_contracts import uuid7
from plaza_kit.errors import database_unavailable

logger = logging.getLogger("gateway.audit")

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DocumentSource = Callable[[], Awaitable[dict[str, Any]]]


@dataclass(slots=True)
class PendingRecord:
    """What the hot path knows about one write."""

    id: uuid.UUID
    occurred_at: float
    client_id: uuid.UUID
    organisation_id: uuid.UUID | None
    request_id: str
    method: str
    path: str
    status: int
    location: str | None


class AuditLog:
    """Queues write records and stores them in batches."""

    def __init__(
        self,
        engine: AsyncEngine,
        documents: DocumentSource,
        *,
        batch_size: int = 500,
        interval: float = 0.25,
        max_queued: int = 50_000,
    ) -> None:
        self._engine = engine
        self._documents = documents
        self._batch_size = batch_size
        self._interval = interval
        self._queue: asyncio.Queue[PendingRecord] = asyncio.Queue(maxsize=max_queued)
        self._task: asyncio.Task[None] | None = None
        self._dropped = 0
        self._index: OperationIndex | None = None
        self._index_at = 0.0

    def watch(self, scope: Scope, grant: Grant, send: Send) -> Send:
        """`send`, recording the write when its response starts."""

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                location = None
                for key, value in message.get("headers", ()):
                    if key.lower() == b"location":
                        location = value.decode("latin-1")
                self.record(
                    PendingRecord(
                        id=uuid7(),
                        occurred_at=time.time(),
                        client_id=grant.client_id,
                        organisation_id=grant.principal.organisation_id,
                        request_id=scope.get("plaza.request_id", ""),
                        method=scope["method"],
                        path=scope["path"],
                        status=message["status"],
                        location=location,
                    )
                )
            await send(message)

        return recording_send

    def record(self, record: PendingRecord) -> None:
        """Queue one record (never blocks)."""
        try:
            self._queue.put_nowait(record)
        except asyncio.QueueFull:
            self._dropped += 1

    async def start(self) -> None:
        """Start the background writer."""
        self._task = asyncio.create_task(self._run(), name="audit-writer")

    async def stop(self) -> None:
        """Store what is queued, then stop."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        while not self._queue.empty():
            batch = self._take([])
            try:
                await self._store(batch)
            except Exception as error:  # stopping during an outage: say what is lost, stop anyway
                logger.error(
                    "audit records not stored at shutdown",
                    extra={"count": len(batch) + self._queue.qsize(), "error": _cause(error)},
                )
                return

    async def _run(self) -> None:
        failing = False
        while True:
            first = await self._queue.get()
            await asyncio.sleep(self._interval)  # let a batch gather
            batch = self._take([first])
            try:
                await self._store(batch)
            except Exception as error:  # the writer must survive a database outage: keep the batch
                if not failing:
                    logger.error("audit records not stored, retrying", extra={"error": _cause(error)})
                failing = True
                for record in batch:
                    self.record(record)
                await asyncio.sleep(1.0)
            else:
                if failing:
                    logger.warning("audit records stored again", extra={"count": len(batch)})
                failing = False

    async def flush(self) -> None:
        """Store up to one batch of queued records now."""
        await self._store(self._take([]))

    def _take(self, batch: list[PendingRecord]) -> list[PendingRecord]:
        while len(batch) < self._batch_size and not self._queue.empty():
            batch.append(self._queue.get_nowait())
        return batch

    async def _store(self, batch: list[PendingRecord]) -> None:
        if self._dropped:
            logger.error("audit records dropped (queue full)", extra={"count": self._dropped})
            self._dropped = 0
        if not batch:
            return
        index = await self._operation_index()
        rows = [self._row(record, index) for record in batch]
        async with self._engine.begin() as connection:
            await connection.execute(insert(AuditEvent), rows)

    async def _operation_index(self) -> OperationIndex | None:
        now = time.monotonic()
        if self._index is None or now - self._index_at > 30:
            try:
                self._index = OperationIndex(await self._documents())
                self._index_at = now
            except Exception as error:  # no document: fall back to route templates
                logger.warning("operation index unavailable", extra={"error": type(error).__name__})
        return self._index

    @staticmethod
    def _row(record: PendingRecord, index: OperationIndex | None) -> dict[str, Any]:
        match = index.match(record.method, record.path) if index else None
        operation = match.operation if match else fallback_operation(record.method, record.path)
        target = match.parameters[-1] if match and match.parameters else None
        if record.location and 200 <= record.status < 300 and record.method == "POST":
            target = record.location.rstrip("/").rsplit("/", 1)[-1]
        return {
            "id": record.id,
            "occurred_at": datetime.fromtimestamp(record.occurred_at, UTC),
            "client_id": record.client_id,
            "organisation_id": record.organisation_id,
            "request_id": record.request_id[:128],
            "method": record.method,
            "operation": operation[:200],
            "target_id": target[:200] if target else None,
            "status": record.status,
        }


def _cause(error: Exception) -> str:
    """What failed, for the log line: the database's reason when it is unavailable, else the error type."""
    unavailable = database_unavailable(error)
    return unavailable.cause if unavailable is not None and unavailable.cause else type(error).__name__
