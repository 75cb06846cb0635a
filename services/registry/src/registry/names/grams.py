"""Unigrams and bigrams of CJK characters, for finding names by 1–2 character Korean/Japanese queries.

pg_trgm cannot help with such queries (a trigram needs three characters), so each company also stores the
sorted unique CJK unigrams and bigrams of its names in an array column with a GIN index, and a short query
becomes an array-containment test: `grams @> query_grams(query)`.
"""

from collections.abc import Iterable, Iterator
from itertools import groupby

from registry.names.normalise import fold
from registry.names.scripts import is_cjk

_MAX_SHORT_QUERY = 2


def _cjk_runs(folded: str) -> Iterator[str]:
    """Maximal runs of CJK characters; spaces, Latin, digits and punctuation separate runs."""
    for cjk, run in groupby(folded, key=is_cjk):
        if cjk:
            yield "".join(run)


def _grams(run: str) -> Iterator[str]:
    yield from run
    yield from (run[index : index + 2] for index in range(len(run) - 1))


def cjk_grams(names: Iterable[str | None]) -> list[str]:
    """Sorted unique unigrams and bigrams of the CJK characters of each name, after fold().

    Bigrams never cross a non-CJK character or a space. Legal forms are not stripped (their grams are
    harmless). '에코프로비엠' → 에, 코, 프, 로, 비, 엠, 에코, 코프, 프로, 로비, 비엠.
    """
    grams = {gram for name in names if name for run in _cjk_runs(fold(name)) for gram in _grams(run)}
    return sorted(grams)


def query_grams(query: str) -> list[str] | None:
    """The grams a company must contain to match a 1–2 character CJK query, or None for any other query.

    The query is folded and its spaces removed first, so ' 삼 성 ' → ['삼성'] and 'ﾃﾞﾝ' → ['デン']. None
    means the query goes to trigram search instead.
    """
    compact = "".join(fold(query).split())
    if 1 <= len(compact) <= _MAX_SHORT_QUERY and all(is_cjk(char) for char in compact):
        return [compact]
    return None


def is_short_cjk_query(query: str) -> bool:
    """Whether `query` is answered from the CJK gram index (see query_grams())."""
    return query_grams(query) is not None
