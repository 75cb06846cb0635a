"""Columns derived from a company's names, refreshed on every write: duplicate keys and search keys."""

import re
from typing import Any

from registry.companies.models import Company
from registry.names import cjk_grams, duplicate_keys, fold, query_grams, search_document

_LATIN_TOKEN = re.compile(r"[a-z0-9]+")


def latin_short_grams(names: list[str | None]) -> list[str]:
    """Latin tokens of 1–2 characters and the 1–2 character prefixes of longer ones ('SK On' → sk, s, on, o).

    With the CJK grams they let 1–2 character queries ("SK", "LG") use the same GIN index.
    """
    grams: set[str] = set()
    for name in names:
        if not name:
            continue
        for token in _LATIN_TOKEN.findall(fold(name)):
            grams.update({token[:1], token[:2]})
    return sorted(grams)


def short_query_grams(query: str) -> list[str] | None:
    """The grams a company must hold to match a 1–2 character query; None for longer queries."""
    cjk = query_grams(query)
    if cjk is not None:
        return cjk
    folded = fold(query).replace(" ", "")
    if 1 <= len(folded) <= 2 and _LATIN_TOKEN.fullmatch(folded):
        return [folded]
    return None


def searchable_names(company: Company) -> list[str | None]:
    """Every name a company can be found by: legal names, kana reading, romanised name."""
    return [company.name_ko, company.name_ja, company.name_en, company.name_ja_kana, company.name_latin]


def derived_columns(
    ko: str | None, ja: str | None, en: str | None, kana: str | None, latin: str | None
) -> dict[str, Any]:
    """`name_keys`, `search_document` and `search_grams` of a company with these names.

    The kana reading is searchable but not a duplicate key: different organisations share readings.
    """
    names = [ko, ja, en, kana, latin]
    return {
        "name_keys": duplicate_keys([ko, ja, en, latin]),
        "search_document": search_document(names),
        "search_grams": sorted(set(cjk_grams(names)) | set(latin_short_grams(names))),
    }


def refresh_derived(company: Company) -> None:
    """Recompute the duplicate keys and search keys of `company` from its names."""
    for column, value in derived_columns(*searchable_names(company)).items():
        setattr(company, column, value)
