"""Company use cases: create, read, update (merge patch under If-Match), list and search."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from plaza_contracts import CursorCodec, Page
from plaza_kit.auth import ensure_can_write
from plaza_kit.concurrency import ensure_matches
from plaza_kit.errors import InvalidCursorError, NotFoundError, UnprocessableError
from plaza_kit.identity import Principal
from plaza_kit.pagination import cursor_uuid, decode_cursor, decode_cursor_id, id_position, keyset_page
from plaza_kit.read_pool import ReadPool
from registry.companies import editing, repository
from registry.companies.derived import refresh_derived, short_query_grams
from registry.companies.filters import CompanyFilters
from registry.companies.models import ORGANISATION_KINDS, Company, CompanyStatus
from registry.companies.presenter import listed_body, page_models, snapshot
from registry.companies.repository import CompanyBody, ListedBody, SearchQuery
from registry.companies.schemas import CompanyCreate, CompanyRead, CompanyUpdate
from registry.duplicates import guard
from registry.errors import MergedCompanyError
from registry.history.recorder import diff, record_change
from registry.names import duplicate_key, fold
from registry.sectors.service import ensure_sectors_exist


async def _ensure_parent(
    session: AsyncSession, parent_id: uuid.UUID | None, company_id: uuid.UUID | None
) -> None:
    """The parent must be another active body, and not below this one (no cycles)."""
    if parent_id is None:
        return
    parent = await repository.get(session, parent_id)
    if parent_id == company_id or parent is None or parent.status is not CompanyStatus.active:
        raise UnprocessableError(f"parent_id: no other active company with id {parent_id}")
    if company_id is not None and company_id in await repository.ancestors(session, parent_id):
        raise UnprocessableError("parent_id: this company is above the proposed parent (a cycle)")


def _identifier_values(data: CompanyCreate) -> dict[str, str]:
    return {scheme: value for scheme, value in data.identifiers.model_dump().items() if value is not None}


def new_company(data: CompanyCreate, *, owner_organisation_id: uuid.UUID | None) -> Company:
    """An unsaved company built from a create request."""
    now = datetime.now(UTC)
    company = Company(
        kind=data.kind,
        status=CompanyStatus.active,
        country=data.country,
        owner_organisation_id=owner_organisation_id,
        created_at=now,
        updated_at=now,
        identifier_rows=[],
        sector_rows=[],
        product_rows=[],
    )
    editing.apply_scalars(company, data, type(data).model_fields)
    editing.apply_texts(company, "name", data.name, patch=False)
    if data.description is not None:
        editing.apply_texts(company, "description", data.description, patch=False)
    editing.replace_sectors(company, data.sectors)
    editing.replace_products(company, data.products)
    refresh_derived(company)
    return company


async def create_company(session: AsyncSession, data: CompanyCreate, principal: Principal) -> Company:
    """Register a company owned by the caller's organisation, refusing duplicates."""
    await ensure_sectors_exist(session, data.sectors)
    await _ensure_parent(session, data.parent_id, None)
    identifiers = _identifier_values(data)
    await guard.ensure_identifiers_free(session, identifiers)
    company = new_company(data, owner_organisation_id=principal.organisation_id)
    confirmed = await guard.ensure_name_is_new(session, company.name_keys, set(data.confirm_distinct_from))
    session.add(company)
    await session.flush()
    await guard.store_identifiers(session, company, identifiers)
    await guard.remember_distinct(session, company.id, confirmed)
    await guard.record_similar(session, company)
    await record_change(
        session, company_id=company.id, action="created", principal=principal, changes=snapshot(company)
    )
    return company


async def get_company(session: AsyncSession, company_id: uuid.UUID, *, for_update: bool = False) -> Company:
    """The company with this id; NotFoundError otherwise (merged companies included, see `merged_into_id`)."""
    company = await repository.get(session, company_id, for_update=for_update)
    if company is None:
        raise NotFoundError(f"no company with id {company_id}")
    return company


async def get_writable(
    session: AsyncSession, company_id: uuid.UUID, principal: Principal, *, if_match: str | None = None
) -> Company:
    """The company locked for a change by `principal`: owner or admin, not merged, at the expected version."""
    company = await get_company(session, company_id, for_update=True)
    ensure_can_write(principal, company.owner_organisation_id, "company")
    if company.merged_into_id is not None:
        raise MergedCompanyError(
            f"company {company_id} was merged into {company.merged_into_id}; change that one",
            extensions={"merged_into_id": str(company.merged_into_id)},
        )
    ensure_matches(if_match, company.version, "company")
    return company


async def update_company(
    session: AsyncSession,
    company_id: uuid.UUID,
    patch: CompanyUpdate,
    principal: Principal,
    *,
    if_match: str | None,
) -> Company:
    """Apply a merge patch under the row lock; a name keeps at least one language."""
    company = await get_writable(session, company_id, principal, if_match=if_match)
    before = snapshot(company)
    fields = patch.model_fields_set
    if patch.sectors is not None:
        await ensure_sectors_exist(session, patch.sectors)
    if "parent_id" in fields:
        await _ensure_parent(session, patch.parent_id, company.id)
    editing.apply_scalars(company, patch, fields)
    if patch.name is not None:
        editing.apply_texts(company, "name", patch.name, patch=True)
        if not (company.name_ko or company.name_ja or company.name_en):
            raise UnprocessableError("a company keeps a name in at least one of ko, ja, en")
    if "description" in fields:
        if patch.description is None:
            editing.clear_texts(company, "description")
        else:
            editing.apply_texts(company, "description", patch.description, patch=True)
    if patch.identifiers is not None:
        changes = {
            scheme: getattr(patch.identifiers, scheme) for scheme in patch.identifiers.model_fields_set
        }
        await guard.store_identifiers(session, company, changes)
    if patch.sectors is not None:
        editing.replace_sectors(company, patch.sectors)
    if patch.products is not None:
        editing.replace_products(company, patch.products)
    keys_before = set(company.name_keys)
    editing.refresh_if_names_changed(company, fields)
    if not set(company.name_keys) <= keys_before:  # a new name: the same duplicate control as a create
        confirmed = await guard.ensure_name_is_new(
            session, company.name_keys, set(patch.confirm_distinct_from), company_id=company.id
        )
        await guard.remember_distinct(session, company.id, confirmed)
        await guard.record_similar(session, company)
    changes_made = diff(before, snapshot(company))
    if changes_made:
        company.updated_at = datetime.now(UTC)
        await session.flush()
        await record_change(
            session, company_id=company.id, action="updated", principal=principal, changes=changes_made
        )
    return company


async def read_company(reads: ReadPool, company_id: uuid.UUID) -> CompanyBody:
    """The JSON of the company with this id, in one statement; NotFoundError otherwise (merged companies
    included: see `merged_into_id`)."""
    found = await reads.run(lambda connection: repository.company_body(connection, company_id))
    if found is None:
        raise NotFoundError(f"no company with id {company_id}")
    return found


async def company_page(
    reads: ReadPool,
    *,
    codec: CursorCodec,
    filters: CompanyFilters,
    query: str | None,
    limit: int,
    cursor: str | None,
) -> Page[str]:
    """One page of companies as JSON, in one statement: in creation order, or by relevance when `query` is
    given."""
    plan = _plan(codec, filters, query, cursor)
    if plan is None:
        return Page[str](items=[], next_cursor=None)
    return await reads.run(lambda connection: plan.fetch(connection, codec=codec, limit=limit))


async def list_companies(
    session: AsyncSession,
    *,
    codec: CursorCodec,
    filters: CompanyFilters,
    query: str | None,
    limit: int,
    cursor: str | None,
) -> Page[CompanyRead]:
    """`company_page` as models, on the request's session (for routes that also use the session)."""
    plan = _plan(codec, filters, query, cursor)
    if plan is None:
        return Page[CompanyRead](items=[], next_cursor=None)
    raw = await (await session.connection()).get_raw_connection()
    return page_models(await plan.fetch(raw.driver_connection, codec=codec, limit=limit))


@dataclass(frozen=True)
class _PagePlan:
    """What a page asks for, with its cursor already checked (before any connection is taken)."""

    filters: CompanyFilters
    fingerprint: dict[str, Any]
    search: SearchQuery | None
    after_id: uuid.UUID | None  # a listing's keyset position
    after: tuple[float, uuid.UUID] | None  # a search's: (relevance, id)

    async def fetch(self, connection: Any, *, codec: CursorCodec, limit: int) -> Page[str]:
        """Up to `limit + 1` rows (the extra one only says there is more), then the page."""
        if self.search is None:
            rows = await repository.list_bodies(
                connection, filters=self.filters, after_id=self.after_id, limit=limit + 1
            )
            position: Callable[[ListedBody], list[Any]] = id_position
        else:
            rows = await repository.search_bodies(
                connection, search=self.search, filters=self.filters, after=self.after, limit=limit + 1
            )
            position = _ranked_position
        return keyset_page(
            rows, limit=limit, codec=codec, filters=self.fingerprint, position=position, present=listed_body
        )


def _ranked_position(row: ListedBody) -> list[Any]:
    return [row.rank, str(row.id)]


def _plan(
    codec: CursorCodec, filters: CompanyFilters, query: str | None, cursor: str | None
) -> _PagePlan | None:
    """The page a request asks for; None when it can match nothing (a query of punctuation alone)."""
    if query is None or not query.strip():
        fingerprint = filters.as_dict()
        return _PagePlan(filters, fingerprint, None, decode_cursor_id(codec, cursor, fingerprint), None)
    search = SearchQuery(text=fold(query), key=duplicate_key(query), grams=short_query_grams(query))
    if not any(character.isalnum() for character in search.text):
        return None  # punctuation alone names no company
    fingerprint = {**filters.as_dict(), "q": search.text}
    position = decode_cursor(codec, cursor, fingerprint)
    if not position:
        return _PagePlan(filters, fingerprint, search, None, None)
    if len(position) != 2:
        raise InvalidCursorError("the cursor is malformed")
    return _PagePlan(
        filters, fingerprint, search, None, (_cursor_rank(position[0]), cursor_uuid(position[1]))
    )


def _cursor_rank(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidCursorError("the cursor is malformed")
    return float(value)


async def get_organisation_for_write(
    session: AsyncSession, organisation_id: uuid.UUID, principal: Principal
) -> Company:
    """An organisation (government body or association) locked for a change of its members."""
    organisation = await get_writable(session, organisation_id, principal)
    if organisation.kind not in ORGANISATION_KINDS:
        raise UnprocessableError(
            f"{organisation_id} is a {organisation.kind.value}; "
            "only government bodies and associations have members"
        )
    return organisation
