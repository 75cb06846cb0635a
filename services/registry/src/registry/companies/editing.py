"""Applying client fields to a company: scalars, localized texts, sectors and products (identifiers are
stored by `registry.duplicates.guard.store_identifiers`, which needs the database)."""

from collections.abc import Iterable

from pydantic import BaseModel

from registry.companies.derived import refresh_derived
from registry.companies.models import Company, CompanyProduct, CompanySector
from registry.companies.schemas import CompanyFields, ProductIn

_SCALARS = tuple(CompanyFields.model_fields)
_TEXT_COLUMNS = {"name": "name_{}", "description": "description_{}"}
_NAME_FIELDS = {"name", "name_ja_kana", "name_latin"}


def apply_scalars(company: Company, data: BaseModel, fields: Iterable[str]) -> None:
    """Copy plain fields present in `fields` (kind, country, region, …) onto the company."""
    for field in fields:
        if field in _SCALARS or field in {"kind", "country", "status"}:
            setattr(company, field, getattr(data, field))


def apply_texts(company: Company, field: str, value: BaseModel, *, patch: bool) -> None:
    """Set the languages of a localized text; a patch touches only the languages it names."""
    languages = value.model_fields_set if patch else ("ko", "ja", "en")
    for language in languages:
        setattr(company, _TEXT_COLUMNS[field].format(language), getattr(value, language))


def clear_texts(company: Company, field: str) -> None:
    """Remove every language of a localized text."""
    for language in ("ko", "ja", "en"):
        setattr(company, _TEXT_COLUMNS[field].format(language), None)


def replace_sectors(company: Company, codes: Iterable[str]) -> None:
    """Make `codes` the company's sectors (keeping rows that stay)."""
    wanted = list(dict.fromkeys(codes))
    keep = [row for row in company.sector_rows if row.sector_code in wanted]
    kept = {row.sector_code for row in keep}
    company.sector_rows = keep + [CompanySector(sector_code=code) for code in wanted if code not in kept]


def replace_products(company: Company, products: Iterable[ProductIn]) -> None:
    """Make `products` the company's product list, in the given order."""
    company.product_rows = [
        CompanyProduct(
            position=position, name_ko=p.name.ko, name_ja=p.name.ja, name_en=p.name.en, hs_code=p.hs_code
        )
        for position, p in enumerate(products)
    ]


def names_changed(fields: Iterable[str]) -> bool:
    """Whether a change touches anything the search and duplicate keys derive from."""
    return bool(_NAME_FIELDS & set(fields))


def refresh_if_names_changed(company: Company, fields: Iterable[str]) -> None:
    """Recompute derived search columns after a change to names."""
    if names_changed(fields):
        refresh_derived(company)
