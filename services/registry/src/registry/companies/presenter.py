"""The API shapes of stored companies."""

from typing import Any

import orjson

from plaza_contracts import Page
from registry.companies.fields import display_hs_code
from registry.companies.models import Company
from registry.companies.repository import CompanyBody, ListedBody
from registry.companies.schemas import CompanyRead, IdentifiersRead, MergedCompany, ProductRead, TextsRead


def _texts(ko: str | None, ja: str | None, en: str | None) -> TextsRead:
    return TextsRead(ko=ko, ja=ja, en=en)


def to_read(company: Company) -> CompanyRead:
    """The API shape of a stored company (its identifiers, sectors and products must be loaded)."""
    has_description = company.description_ko or company.description_ja or company.description_en
    return CompanyRead(
        id=company.id,
        kind=company.kind,
        status=company.status,
        name=_texts(company.name_ko, company.name_ja, company.name_en),
        name_ja_kana=company.name_ja_kana,
        name_latin=company.name_latin,
        country=company.country,
        region=company.region,
        address=company.address,
        website=company.website,
        size_band=company.size_band,
        founded_year=company.founded_year,
        description=_texts(company.description_ko, company.description_ja, company.description_en)
        if has_description
        else None,
        identifiers=IdentifiersRead(**{row.scheme: row.value for row in company.identifier_rows}),
        sectors=[row.sector_code for row in company.sector_rows],
        products=[
            ProductRead(
                name=_texts(row.name_ko, row.name_ja, row.name_en), hs_code=display_hs_code(row.hs_code)
            )
            for row in company.product_rows
        ],
        parent_id=company.parent_id,
        merged_into_id=company.merged_into_id,
        owner_organisation_id=company.owner_organisation_id,
        version=company.version,
        created_at=company.created_at,
        updated_at=company.updated_at,
    )


_UNTRACKED = {"version", "created_at", "updated_at", "id"}


def snapshot(company: Company) -> dict[str, Any]:
    """The fields of a company the history compares, as JSON values."""
    return to_read(company).model_dump(mode="json", exclude=_UNTRACKED)


# --- the fast read path: bodies PostgreSQL built (`repository.COMPANY_BODY`), sent as they are ------------


def body_bytes(found: CompanyBody) -> bytes:
    """The `CompanyRead` JSON of a company read, as the response body."""
    return found.body.encode()


def merged(found: CompanyBody) -> MergedCompany:
    """The answer for a merged id (a 308 names the survivor)."""
    assert found.merged_into_id is not None
    return MergedCompany(id=found.id, merged_into_id=found.merged_into_id)


def listed_body(row: ListedBody) -> str:
    """The JSON of one company of a page."""
    return row.body


def page_bytes(page: Page[str]) -> bytes:
    """A `Page[CompanyRead]` body from the JSON of its items: the bytes pydantic would write."""
    items = ",".join(page.items).encode()
    return b'{"items":[' + items + b'],"next_cursor":' + orjson.dumps(page.next_cursor) + b"}"


def page_models(page: Page[str]) -> Page[CompanyRead]:
    """The same page as models (for routes that return a page of companies among other shapes)."""
    items = [CompanyRead.model_validate_json(item) for item in page.items]
    return Page[CompanyRead](items=items, next_cursor=page.next_cursor)
