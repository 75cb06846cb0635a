"""Duplicate keys: the form two spellings of the same organisation's name share."""

from collections.abc import Iterable

from registry.names.legal_forms import strip_legal_forms
from registry.names.normalise import fold, keep_word_characters


def duplicate_key(name: str) -> str | None:
    """The key two names of the same organisation share, or None when nothing is left.

    fold() (so ㈱/（株）/(株), ﾃﾞﾝｿｰ/デンソー and upper/lower case agree), then strip legal-form affixes
    from both ends (see `legal_forms`), then drop spaces and punctuation, keeping letters and digits of
    every script. 株式会社デンソー, ㈱デンソー and デンソー株式会社 → "デンソー";
    "EcoPro BM Co., Ltd." → "ecoprobm"; "株式会社" → None.
    """
    key = keep_word_characters(strip_legal_forms(fold(name)))
    return key or None


def duplicate_keys(names: Iterable[str | None]) -> list[str]:
    """Sorted unique duplicate_key() of each non-empty name: the set stored on a company."""
    keys = {duplicate_key(name) for name in names if name}
    return sorted(key for key in keys if key is not None)
