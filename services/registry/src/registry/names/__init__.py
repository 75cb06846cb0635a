"""Company-name handling: folding, duplicate keys, romanisation and search keys.

Pure functions (no database, no web framework), shared by the registry's repository and its migrations:

* `fold` — the canonical text form (NFKC, case-folded, whitespace collapsed);
* `duplicate_key` / `duplicate_keys` — what spellings of the same organisation share (legal forms such as
  株式会社, (주), Co., Ltd. stripped; see `legal_forms.LEGAL_FORMS`);
* `romanise` — Revised Romanization for Hangul, Hepburn for kana (no kanji readings);
* `search_document` — the pg_trgm column: names, romanisations and keys joined by ' | ';
* `cjk_grams` / `query_grams` / `is_short_cjk_query` — the GIN-indexed grams for 1–2 character CJK queries.
"""

from registry.names.grams import cjk_grams, is_short_cjk_query, query_grams
from registry.names.keys import duplicate_key, duplicate_keys
from registry.names.legal_forms import LEGAL_FORMS, LegalForm, Position, strip_legal_forms
from registry.names.normalise import fold
from registry.names.romanise import romanise
from registry.names.search import search_document

__all__ = [
    "LEGAL_FORMS",
    "LegalForm",
    "Position",
    "cjk_grams",
    "duplicate_key",
    "duplicate_keys",
    "fold",
    "is_short_cjk_query",
    "query_grams",
    "romanise",
    "search_document",
    "strip_legal_forms",
]
