"""HTTP route of a company's change history."""

import uuid
from typing import Annotated

from fastapi import APIRouter

from plaza_contracts import Page
from plaza_kit.auth import requires
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope
from registry.history import service
from registry.history.presenter import to_read
from registry.history.schemas import CompanyChangeRead

router = APIRouter(prefix="/v1/companies", tags=["companies"])


@router.get(
    "/{company_id}/history",
    operation_id="companies_history",
    summary="A company's change history",
    responses={404: {"description": "No company with this id"}},
)
async def history(
    company_id: uuid.UUID,
    session: SessionDep,
    page: KeysetDep,
    _: Annotated[Principal, requires(Scope.REGISTRY_READ)],
) -> Page[CompanyChangeRead]:
    """Every change to the company, oldest first: who (client and organisation), when, what changed."""
    filters = {"company_id": str(company_id)}
    rows = await service.changes(session, company_id, after_id=page.after_id(filters), limit=page.fetch)
    return page.of(rows, filters, to_read)
