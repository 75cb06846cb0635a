"""`/healthz` (the process is alive) and `/readyz` (database reachable and migrations at head)."""

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncEngine

from plaza_kit.errors import UnavailableError
from plaza_kit.migrations import current_revision


class Health(BaseModel):
    """Liveness or readiness."""

    status: Literal["ok"] = "ok"
    service: str
    revision: str | None = Field(default=None, description="Database migration revision (readiness only).")


def health_router(service: str, schema: str, head: str | None) -> APIRouter:
    """Health routes of one service; `head` is the migration revision the code expects."""
    router = APIRouter(tags=["health"])

    @router.get("/healthz", operation_id=f"{service}_healthz", summary="Liveness")
    async def healthz() -> Health:
        """The process is up and serving requests."""
        return Health(service=service)

    @router.get(
        "/readyz",
        operation_id=f"{service}_readyz",
        summary="Readiness",
        responses={503: {"description": "Not ready"}},
    )
    async def readyz(request: Request) -> Health:
        """The database answers and its schema is at the revision this code expects."""
        engine: AsyncEngine = request.app.state.engine
        try:
            async with engine.connect() as connection:
                revision = await current_revision(connection, schema)
        except (OSError, TimeoutError) as error:
            raise UnavailableError("the database is unreachable", headers={"Retry-After": "1"}) from error
        if revision != head:
            raise UnavailableError(
                f"the database is at migration {revision}, the code expects {head}",
                headers={"Retry-After": "5"},
            )
        return Health(service=service, revision=revision)

    return router
