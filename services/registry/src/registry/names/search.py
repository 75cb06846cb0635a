"""The text document pg_trgm searches for a company: every spelling a user might type, in one string."""

from collections.abc import Iterable, Iterator

from registry.names.keys import duplicate_key
from registry.names.normalise import fold
from registry.names.romanise import romanise

SEPARATOR = " | "


def _spellings(name: str) -> Iterator[str | None]:
    """The folded name, its romanisation, its duplicate key and the romanisation of that key.

    The key's romanisation is the romanised name without legal forms ("ekopeurobiem" for (주)에코프로비엠),
    which is what someone typing a Latin query has in mind.
    """
    yield fold(name)
    yield romanise(name)
    key = duplicate_key(name)
    yield key
    yield romanise(key) if key is not None else None


def search_document(names: Iterable[str | None]) -> str:
    """Every name, romanisation and duplicate key of `names`, folded, unique, joined by ' | '.

    Order follows the names (first occurrence wins), so the document is stable for the same input; "" when
    no name is non-empty.
    """
    parts: dict[str, None] = {}
    for name in names:
        if not name:
            continue
        for spelling in _spellings(name):
            if spelling:
                parts.setdefault(spelling)
    return SEPARATOR.join(parts)
