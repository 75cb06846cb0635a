"""Company use cases: create, read, list, patch."""

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from plaza_contracts import CursorCodec, Page
from plaza_kit.auth import ensure_can_write
from plaza_kit.errors import InvalidCursorError, NotFoundError, UnprocessableError
from plaza_kit.identity import Principal
from plaza_kit.pagination import decode_cursor
from registry.companies import repository
from registry.companies.models import Company
from registry.companies.schemas import CompanyCreate, CompanyRead, CompanyUpdate, company_read

_LANGUAGE_COLUMNS = {"ko": "name_ko", "ja": "name_ja", "en": "name_en"}


def to_read(company: Company) -> CompanyRead:
    """The API shape of a stored company."""
    return company_read(
        id=company.id,
        kind=company.kind,
        name_ko=company.name_ko,
        name_ja=company.name_ja,
        name_en=company.name_en,
        country=company.country,
        version=company.version,
        created_at=company.created_at,
        updated_at=company.updated_at,
    )


async def create_company(
    session: AsyncSession, data: CompanyCreate, *, owner_organisation_id: uuid.UUID | None
) -> Company:
    """Store a new company, owned by the organisation that registered it."""
    now = datetime.now(UTC)
    company = Company(
        kind=data.kind,
        name_ko=data.name.ko,
        name_ja=data.name.ja,
        name_en=data.name.en,
        country=data.country,
        owner_organisation_id=owner_organisation_id,
        created_at=now,
        updated_at=now,
    )
    session.add(company)
    await session.flush()
    return company


async def get_company(session: AsyncSession, company_id: uuid.UUID) -> Company:
    """The company with this id; NotFoundError otherwise."""
    company = await repository.get(session, company_id)
    if company is None:
        raise NotFoundError(f"no company with id {company_id}")
    return company


async def list_companies(
    session: AsyncSession, *, codec: CursorCodec, country: str | None, cursor: str | None, limit: int
) -> Page[CompanyRead]:
    """One page of companies in creation order, optionally of one country."""
    filters = {"country": country}
    position = decode_cursor(codec, cursor, filters)
    after_id = _cursor_id(position)
    rows = await repository.list_page(session, country=country, after_id=after_id, limit=limit + 1)
    items = [to_read(company) for company in rows[:limit]]
    next_cursor = codec.encode([str(items[-1].id)], filters) if len(rows) > limit else None
    return Page[CompanyRead](items=items, next_cursor=next_cursor)


def _cursor_id(position: list[object] | None) -> uuid.UUID | None:
    if position is None:
        return None
    try:
        return uuid.UUID(str(position[0]))
    except (ValueError, IndexError) as error:
        raise InvalidCursorError("the cursor is malformed") from error


async def update_company(
    session: AsyncSession, company_id: uuid.UUID, patch: CompanyUpdate, principal: Principal
) -> Company:
    """Apply a merge patch; a name must keep at least one language."""
    company = await get_company(session, company_id)
    ensure_can_write(principal, company.owner_organisation_id, "company")
    changes = patch.model_fields_set
    if "kind" in changes and patch.kind is not None:
        company.kind = patch.kind
    if "country" in changes and patch.country is not None:
        company.country = patch.country
    if "name" in changes and patch.name is not None:
        for language in patch.name.model_fields_set:
            setattr(company, _LANGUAGE_COLUMNS[language], getattr(patch.name, language))
        if not (company.name_ko or company.name_ja or company.name_en):
            raise UnprocessableError("a company keeps a name in at least one of ko, ja, en")
    if session.is_modified(company):
        company.updated_at = datetime.now(UTC)
        await session.flush()
    return company
