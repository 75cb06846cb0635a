"""`GET /v1/admin/audit`: the audit trail of writes, newest first, a page at a time."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from gateway.admin.schemas import AuditRead
from gateway.models import AuditEvent
from plaza_contracts import Page
from plaza_kit.auth import requires
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import DEFAULT_LIMIT, CodecDep, CursorQuery, LimitQuery, decode_cursor_id
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/admin", tags=["admin"])


@router.get("/audit", operation_id="admin_audit_list", summary="List audited writes")
async def list_audit(
    session: SessionDep,
    codec: CodecDep,
    _: Annotated[Principal, requires(Scope.ADMIN)],
    client_id: Annotated[uuid.UUID | None, Query(description="Only this client's writes.")] = None,
    organisation_id: Annotated[uuid.UUID | None, Query(description="Only this organisation's.")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[AuditRead]:
    """Writes (POST/PUT/PATCH/DELETE) through the gateway, newest first; records arrive within a second."""
    filters = {"client_id": str(client_id or ""), "organisation_id": str(organisation_id or "")}
    before_id = decode_cursor_id(codec, cursor, filters)  # newest first: the page continues below it
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit + 1)
    if client_id is not None:
        query = query.where(AuditEvent.client_id == client_id)
    if organisation_id is not None:
        query = query.where(AuditEvent.organisation_id == organisation_id)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    rows = (await session.scalars(query)).all()
    items = [AuditRead.model_validate(row, from_attributes=True) for row in rows[:limit]]
    next_cursor = codec.encode([str(items[-1].id)], filters) if len(rows) > limit else None
    return Page[AuditRead](items=items, next_cursor=next_cursor)
