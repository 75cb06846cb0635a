"""HTTP route of a company's change history."""

import uuid
from typing import Annotated

from fastapi import APIRouter
from sqlalchemy import select

from plaza_contracts import Page
from plaza_kit.auth import requires
from plaza_kit.db import SessionDep
from plaza_kit.errors import NotFoundError
from plaza_kit.identity import Principal
from plaza_kit.pagination import DEFAULT_LIMIT, CodecDep, CursorQuery, LimitQuery, decode_cursor_id
from plaza_kit.scopes import Scope
from registry.companies.models import Company
from registry.history.models import CompanyChange
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
    codec: CodecDep,
    _: Annotated[Principal, requires(Scope.REGISTRY_READ)],
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[CompanyChangeRead]:
    """Every change to the company, oldest first: who (client and organisation), when, what changed."""
    if await session.get(Company, company_id) is None:
        raise NotFoundError(f"no company with id {company_id}")
    filters = {"company_id": str(company_id)}
    after_id = decode_cursor_id(codec, cursor, filters)
    query = select(CompanyChange).where(CompanyChange.company_id == company_id).order_by(CompanyChange.id)
    if after_id is not None:
        query = query.where(CompanyChange.id > after_id)
    rows = (await session.scalars(query.limit(limit + 1))).all()
    items = [CompanyChangeRead.model_validate(row, from_attributes=True) for row in rows[:limit]]
    next_cursor = codec.encode([str(items[-1].id)], filters) if len(rows) > limit else None
    return Page[CompanyChangeRead](items=items, next_cursor=next_cursor)
