"""`GET /v1/admin/audit`: the audit trail of writes, newest first, a page at a time."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from gateway.admin import service
from gateway.admin.presenter import audit_read
from gateway.admin.schemas import AuditRead
from plaza_contracts import Page
from plaza_kit.auth import requires
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/admin", tags=["admin"])


@router.get("/audit", operation_id="admin_audit_list", summary="List audited writes")
async def list_audit(
    session: SessionDep,
    page: KeysetDep,
    _: Annotated[Principal, requires(Scope.ADMIN)],
    client_id: Annotated[uuid.UUID | None, Query(description="Only this client's writes.")] = None,
    organisation_id: Annotated[uuid.UUID | None, Query(description="Only this organisation's.")] = None,
) -> Page[AuditRead]:
    """Writes (POST/PUT/PATCH/DELETE) through the gateway, newest first; records arrive within a second."""
    filters = {"client_id": str(client_id or ""), "organisation_id": str(organisation_id or "")}
    before_id = page.after_id(filters)  # newest first: the page continues below this id
    rows = await service.audit_trail(
        session, client_id=client_id, organisation_id=organisation_id, before=before_id, limit=page.fetch
    )
    return page.of(rows, filters, audit_read)
